package io.github.servicetags.internal;

import io.github.servicetags.IpFamily;
import io.github.servicetags.IpPrefix;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * The prefix arithmetic of the library, in one place: sorting without duplicates, dropping covered prefixes, and
 * aggregation into the fewest prefixes covering exactly the same addresses. Used by {@code ServiceTags}, the
 * {@code prefixes} command, the renderers and the diff.
 *
 * <p>Internal: public only because its callers live in several packages; not exported by the module.
 */
public final class Prefixes {
    private Prefixes() {}

    /** Returns the prefixes sorted (IPv4 first, by address, then length) without duplicates. */
    public static List<IpPrefix> sortedUnique(Iterable<IpPrefix> prefixes) {
        TreeSet<IpPrefix> set = new TreeSet<>();
        prefixes.forEach(set::add);
        return List.copyOf(set);
    }

    /** Returns the prefixes of one family, sorted, without duplicates and without prefixes inside another one. */
    public static List<IpPrefix> normalize(Collection<IpPrefix> prefixes, IpFamily family) {
        List<IpPrefix> out = new ArrayList<>(prefixes.size());
        for (IpPrefix p : sortedUnique(ofFamily(prefixes, family))) {
            // sorted by address then length: a covering prefix always comes before what it covers
            if (out.isEmpty() || !out.get(out.size() - 1).contains(p)) {
                out.add(p);
            }
        }
        return List.copyOf(out);
    }

    /** Returns {@link #aggregate(Iterable)} of the prefixes of one family. */
    public static List<IpPrefix> aggregate(Collection<IpPrefix> prefixes, IpFamily family) {
        return aggregate(ofFamily(prefixes, family));
    }

    /** Splits {@code 0.0.0.0/0} and {@code ::/0} into their two halves (ipset hash:net refuses length 0). */
    public static List<IpPrefix> withoutZeroLength(List<IpPrefix> prefixes) {
        List<IpPrefix> out = new ArrayList<>(prefixes.size() + 1);
        for (IpPrefix p : prefixes) {
            if (p.length() != 0) {
                out.add(p);
            } else if (p.family() == IpFamily.IPV4) {
                out.add(IpPrefix.ofIPv4(0, 1));
                out.add(IpPrefix.ofIPv4(0x80000000, 1));
            } else {
                out.add(IpPrefix.ofIPv6(0, 0, 1));
                out.add(IpPrefix.ofIPv6(Long.MIN_VALUE, 0, 1));
            }
        }
        return out;
    }

    private static List<IpPrefix> ofFamily(Collection<IpPrefix> prefixes, IpFamily family) {
        List<IpPrefix> out = new ArrayList<>(prefixes.size());
        for (IpPrefix p : prefixes) {
            if (p.family() == family) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * Returns the smallest sorted list of prefixes that covers exactly the same addresses: contained prefixes are
     * dropped and adjacent siblings are merged into their parent, repeatedly.
     */
    public static List<IpPrefix> aggregate(Iterable<IpPrefix> prefixes) {
        List<IpPrefix> out = new ArrayList<>();
        for (IpPrefix p : sortedUnique(prefixes)) {
            if (!out.isEmpty() && out.get(out.size() - 1).contains(p)) {
                continue;
            }
            out.add(p);
            // merge siblings at the tail as long as possible
            while (out.size() >= 2) {
                IpPrefix b = out.get(out.size() - 1);
                IpPrefix a = out.get(out.size() - 2);
                IpPrefix parent = siblingParent(a, b);
                if (parent == null) {
                    break;
                }
                out.remove(out.size() - 1);
                out.set(out.size() - 1, parent);
                // the parent may now contain... nothing before it (sorted), so only further merges matter
            }
        }
        return List.copyOf(out);
    }

    /** Returns the parent if {@code a} and {@code b} are the two halves of it, else null. */
    static IpPrefix siblingParent(IpPrefix a, IpPrefix b) {
        if (a.family() != b.family() || a.length() != b.length() || a.length() == 0) {
            return null;
        }
        int len = a.length() - 1;
        if (a.family() == IpFamily.IPV4) {
            long bit = 1L << (32 - a.length());
            if ((a.low() & bit) != 0 || (a.low() | bit) != b.low()) {
                return null;
            }
            return IpPrefix.ofIPv4((int) a.low(), len);
        }
        long hiBit = a.length() <= 64 ? 1L << (64 - a.length()) : 0;
        long loBit = a.length() > 64 ? 1L << (128 - a.length()) : 0;
        if ((a.high() & hiBit) != 0 || (a.low() & loBit) != 0
                || (a.high() | hiBit) != b.high() || (a.low() | loBit) != b.low()) {
            return null;
        }
        return IpPrefix.ofIPv6(a.high(), a.low(), len);
    }
}
