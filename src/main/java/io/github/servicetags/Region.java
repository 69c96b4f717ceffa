package io.github.servicetags;

import java.util.Set;

/**
 * An Azure region as the service-tags file knows it, joined by {@code regionId}. Tag suffixes and the
 * {@code region} property spell regions differently ({@code Sql.GermanyWestCentral} has region {@code germanywc});
 * a Region collects every spelling.
 *
 * <pre>{@code
 * Region r = st.region("Germany West Central");   // also "germanywestcentral", "GermanyWestCentral", "germanywc"
 * r.name()           // "germanywestcentral"
 * r.internalName()   // "germanywc"
 * }</pre>
 */
public final class Region {
    private final int id;
    private final String name;
    private final String internalName;
    private final String displayName;
    private final Set<String> spellings;

    Region(int id, String name, String internalName, String displayName, Set<String> spellings) {
        this.id = id;
        this.name = name;
        this.internalName = internalName;
        this.displayName = displayName;
        this.spellings = Set.copyOf(spellings);
    }

    /** Returns the {@code regionId} of the file. */
    public int id() {
        return id;
    }

    /** Returns the ARM-style name, e.g. {@code "germanywestcentral"}. */
    public String name() {
        return name;
    }

    /** Returns the {@code region} property of the file, e.g. {@code "germanywc"}. */
    public String internalName() {
        return internalName;
    }

    /** Returns a display name derived from the tag suffix, e.g. {@code "Germany West Central"}. */
    public String displayName() {
        return displayName;
    }

    /** Returns every spelling accepted for this region (matched case-insensitively, ignoring spaces). */
    public Set<String> spellings() {
        return spellings;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Region r && r.id == id && r.name.equals(name);
    }

    @Override
    public int hashCode() {
        return id * 31 + name.hashCode();
    }

    @Override
    public String toString() {
        return name + " (" + displayName + ", id " + id + ", " + internalName + ")";
    }
}
