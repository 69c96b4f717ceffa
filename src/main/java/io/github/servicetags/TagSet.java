package io.github.servicetags;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;

/**
 * The set of all tags that contain an address: the answer of a lookup. Instances are built once per distinct set
 * when the index is built and shared by every lookup that lands in the same address range, so a lookup allocates
 * nothing. Immutable and thread-safe.
 *
 * <pre>{@code
 * TagSet s = st.lookup("20.38.98.1");
 * s.names()                    // [AzureCloud, AzureCloud.westus3, ...] sorted by String.compareTo
 * s.contains("AzureCloud")     // true
 * }</pre>
 */
public final class TagSet {
    private final List<ServiceTag> tags;
    private final SortedSet<String> names;

    TagSet(List<ServiceTag> members) {
        this(members.toArray(new ServiceTag[0]));
    }

    /** A set of these members, which it keeps (sorted in place unless they come sorted): no copy for the reader. */
    TagSet(ServiceTag[] sorted) {
        String[] n = new String[sorted.length];
        boolean ascending = true; // the stored tables keep each set in this order: no sort at a cold start
        for (int i = 0; i < n.length; i++) {
            n[i] = sorted[i].name();
            ascending &= i == 0 || n[i - 1].compareTo(n[i]) < 0;
        }
        if (!ascending) {
            Arrays.sort(sorted, (a, b) -> a.name().compareTo(b.name())); // linked only when run
            for (int i = 0; i < n.length; i++) {
                n[i] = sorted[i].name();
                if (i > 0 && n[i].equals(n[i - 1])) {
                    throw new IllegalArgumentException("duplicate tag " + n[i] + " in a tag set");
                }
            }
        }
        this.names = new SortedNames(n);
        this.tags = Collections.unmodifiableList(Arrays.asList(sorted));
    }

    /** Returns the names of the tags, sorted by {@link String#compareTo}; unmodifiable and shared. */
    public SortedSet<String> names() {
        return names;
    }

    /** Returns the tags, sorted by name. */
    public List<ServiceTag> tags() {
        return tags;
    }

    /** Returns true if a tag of that exact name is in the set. */
    public boolean contains(String name) {
        return names.contains(name);
    }

    /** Returns true if no tag contains the address. */
    public boolean isEmpty() {
        return tags.isEmpty();
    }

    /** Returns the number of tags. */
    public int size() {
        return tags.size();
    }

    @Override
    public String toString() {
        return names.toString();
    }
}
