package io.github.servicetags.render;

import java.util.List;
import java.util.Locale;

/**
 * The limits of a target platform, used to split output into chunks it accepts. Immutable.
 *
 * <pre>{@code
 * FitProfile.named("nsg")                  // at most 4000 prefixes per rule, 1000 rules
 * FitProfile.ipGroups().withMaxGroups(80)   // your firewall's own limit on IP Groups
 * }</pre>
 *
 * <table>
 *   <caption>Profiles</caption>
 *   <tr><th>name</th><th>applies to</th><th>entries per chunk</th><th>chunks</th></tr>
 *   <tr><td>{@code nsg}</td><td>{@code --format nsg}</td><td>4000 prefixes per security rule</td>
 *       <td>1000 rules per NSG (priorities 100..4096)</td></tr>
 *   <tr><td>{@code ipgroups}</td><td>{@code --format ipgroups}</td><td>5000 addresses per IP Group</td>
 *       <td>200 IP Groups per firewall</td></tr>
 *   <tr><td>{@code edl}</td><td>{@code --format edl}</td><td>50000 entries per list (the smaller PAN-OS models)</td>
 *       <td>one list</td></tr>
 *   <tr><td>{@code windows}</td><td>{@code --format powershell}</td><td>1000 remote addresses per firewall rule</td>
 *       <td>no limit</td></tr>
 *   <tr><td>{@code none}</td><td>every format</td><td>no limit</td><td>no limit</td></tr>
 * </table>
 *
 * <p>Chunks are named after what they hold and their position ({@code -1}, {@code -2}, ...), so the same input gives
 * the same names. When the chunks do not fit even after merging adjacent prefixes, rendering fails with a
 * {@link LimitExceededException} instead of writing a configuration the platform would reject.
 */
public final class FitProfile {
    private static final FitProfile NONE = new FitProfile("none", "", Integer.MAX_VALUE, Integer.MAX_VALUE);
    private static final FitProfile NSG = new FitProfile("nsg", "nsg", 4000, 1000);
    private static final FitProfile IPGROUPS = new FitProfile("ipgroups", "ipgroups", 5000, 200);
    private static final FitProfile EDL = new FitProfile("edl", "edl", 50_000, 1);
    private static final FitProfile WINDOWS = new FitProfile("windows", "powershell", 1000, Integer.MAX_VALUE);

    private final String name;
    private final String format;
    private final int maxEntries;
    private final int maxGroups;

    private FitProfile(String name, String format, int maxEntries, int maxGroups) {
        this.name = name;
        this.format = format;
        this.maxEntries = maxEntries;
        this.maxGroups = maxGroups;
    }

    /** No limits: nothing is split. */
    public static FitProfile none() {
        return NONE;
    }

    /** Network security groups: 4000 prefixes per rule and family, 1000 rules. */
    public static FitProfile nsg() {
        return NSG;
    }

    /** Azure Firewall IP Groups: 5000 addresses per group, 200 groups. */
    public static FitProfile ipGroups() {
        return IPGROUPS;
    }

    /** External dynamic lists: 50000 entries in the one list. */
    public static FitProfile edl() {
        return EDL;
    }

    /**
     * Windows Defender Firewall ({@code --format powershell}): 1000 remote addresses per rule, no limit on the
     * number of rules. The {@code powershell} format always splits to this profile, or to the {@code windows}
     * profile given with other limits.
     */
    public static FitProfile windows() {
        return WINDOWS;
    }

    /** The profile names: {@code none, nsg, ipgroups, edl, windows}. */
    public static List<String> names() {
        return List.of("none", "nsg", "ipgroups", "edl", "windows");
    }

    /**
     * The profile with this name (case-insensitive).
     *
     * @throws IllegalArgumentException naming the known profiles
     */
    public static FitProfile named(String name) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
        switch (n) {
            case "none":
                return NONE;
            case "nsg":
                return NSG;
            case "ipgroups":
                return IPGROUPS;
            case "edl":
                return EDL;
            case "windows":
                return WINDOWS;
            default:
                throw new IllegalArgumentException("unknown fit profile " + (name == null ? "null"
                        : "'" + SafeNames.display(name) + "'") + "; expected one of " + String.join(", ", names()));
        }
    }

    /** The name: {@code nsg}, {@code ipgroups}, {@code edl}, {@code windows} or {@code none}. */
    public String name() {
        return name;
    }

    /** Most entries (prefixes) in one chunk: an NSG rule, an IP Group, a list. */
    public int maxEntries() {
        return maxEntries;
    }

    /** Most chunks in one output: NSG rules, IP Groups, lists. */
    public int maxGroups() {
        return maxGroups;
    }

    /**
     * This profile with another limit of entries per chunk.
     *
     * @throws IllegalArgumentException when {@code maxEntries} is less than 1
     */
    public FitProfile withMaxEntries(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maximum entries per chunk must be at least 1, got " + maxEntries);
        }
        return new FitProfile(name, format, maxEntries, maxGroups);
    }

    /**
     * This profile with another limit of chunks.
     *
     * @throws IllegalArgumentException when {@code maxGroups} is less than 1
     */
    public FitProfile withMaxGroups(int maxGroups) {
        if (maxGroups < 1) {
            throw new IllegalArgumentException("maximum number of chunks must be at least 1, got " + maxGroups);
        }
        return new FitProfile(name, format, maxEntries, maxGroups);
    }

    /**
     * Whether the profile limits this format ({@code none} limits nothing; {@code windows} limits
     * {@code powershell}, the others the format of their name).
     */
    public boolean appliesTo(String format) {
        return !isNone() && this.format.equals(format);
    }

    /** The format this profile limits: {@code powershell} for {@code windows}; empty for {@code none}. */
    String format() {
        return format;
    }

    boolean isNone() {
        return name.equals("none");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FitProfile f && f.name.equals(name) && f.maxEntries == maxEntries
                && f.maxGroups == maxGroups;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + maxEntries * 17 + maxGroups;
    }

    /** Returns {@code "nsg (at most 4000 entries per chunk, 1000 chunks)"}. */
    @Override
    public String toString() {
        return isNone() ? "none" : name + " (at most " + maxEntries + " entries per chunk, "
                + (maxGroups == Integer.MAX_VALUE ? "any number of" : Integer.toString(maxGroups)) + " chunks)";
    }
}
