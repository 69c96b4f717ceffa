package io.github.servicetags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * {@link ServiceTags#lookup(IpPrefix)} and {@link ServiceTags#overlapping(IpPrefix)} against a naive computation on
 * the real files: each tag's prefixes of a family merged into sorted disjoint intervals (adjacent ones joined), a
 * query contained when one interval holds both its ends and overlapping when some interval meets it. Nothing of the
 * index is used.
 */
class RangeOracleTest {
    static final List<String> FILES = RealData.FILES;

    /** One tag's union of prefixes of one family: sorted disjoint intervals [start, end] as 128-bit (hi, lo). */
    record Union(String name, long[] sh, long[] sl, long[] eh, long[] el) {
        static Union of(String name, List<IpPrefix> prefixes) {
            List<IpPrefix> sorted = new ArrayList<>(prefixes);
            sorted.sort(Comparator.naturalOrder());
            List<long[]> out = new ArrayList<>();
            for (IpPrefix p : sorted) {
                long[] cur = out.isEmpty() ? null : out.get(out.size() - 1);
                // joins when the prefix starts inside the current interval or right after its end
                if (cur != null && (cmp(p.high(), p.low(), cur[2], cur[3]) <= 0
                        || isNext(cur[2], cur[3], p.high(), p.low()))) {
                    if (cmp(p.lastHigh(), p.lastLow(), cur[2], cur[3]) > 0) {
                        cur[2] = p.lastHigh();
                        cur[3] = p.lastLow();
                    }
                } else {
                    out.add(new long[] {p.high(), p.low(), p.lastHigh(), p.lastLow()});
                }
            }
            int n = out.size();
            long[][] a = new long[4][n];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < 4; k++) {
                    a[k][i] = out.get(i)[k];
                }
            }
            return new Union(name, a[0], a[1], a[2], a[3]);
        }

        /** The last interval starting at or before (h, l), or -1. */
        int floor(long h, long l) {
            int lo = 0;
            int hi = sh.length - 1;
            int best = -1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (cmp(sh[mid], sl[mid], h, l) <= 0) {
                    best = mid;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return best;
        }

        boolean contains(IpPrefix q) {
            if (!meets(q)) {
                return false;
            }
            int i = floor(q.high(), q.low());
            return i >= 0 && cmp(eh[i], el[i], q.lastHigh(), q.lastLow()) >= 0;
        }

        /** Whether the query meets the hull [first start, last end] at all: a quick test before the search. */
        boolean meets(IpPrefix q) {
            int n = sh.length - 1;
            return cmp(q.lastHigh(), q.lastLow(), sh[0], sl[0]) >= 0 && cmp(q.high(), q.low(), eh[n], el[n]) <= 0;
        }

        boolean overlaps(IpPrefix q) {
            if (!meets(q)) {
                return false;
            }
            int i = floor(q.lastHigh(), q.lastLow());
            return i >= 0 && cmp(eh[i], el[i], q.high(), q.low()) >= 0;
        }
    }

    static int cmp(long ah, long al, long bh, long bl) {
        int c = Long.compareUnsigned(ah, bh);
        return c != 0 ? c : Long.compareUnsigned(al, bl);
    }

    /** True if (bh, bl) is (ah, al) + 1. */
    static boolean isNext(long ah, long al, long bh, long bl) {
        return al == -1L ? bh == ah + 1 && bl == 0 : bh == ah && bl == al + 1;
    }

    static List<Union> unions(ServiceTags st, IpFamily family) {
        List<Union> out = new ArrayList<>();
        for (ServiceTag t : st.tags()) {
            List<IpPrefix> p = t.prefixes(family);
            if (!p.isEmpty()) {
                out.add(Union.of(t.name(), p));
            }
        }
        return out;
    }

    /**
     * A sample of 8,000 of the file's prefixes (every n-th in file order), their halves, their parents up to /8
     * (IPv4: every length) or /16 (IPv6: every 8th length and the next shorter one), a random prefix around each,
     * and 4,000 random prefixes anywhere.
     */
    static List<IpPrefix> queries(ServiceTags st) {
        LinkedHashSet<IpPrefix> q = new LinkedHashSet<>();
        SplittableRandom r = new SplittableRandom(12);
        int total = st.prefixCount(IpFamily.IPV4) + st.prefixCount(IpFamily.IPV6);
        int stride = Math.max(1, total / 8000);
        int seen = 0;
        for (ServiceTag t : st.tags()) {
            for (IpPrefix p : t.prefixes()) {
                if (seen++ % stride != 0) {
                    continue;
                }
                boolean v4 = p.family() == IpFamily.IPV4;
                if (!v4 && p.high() == 0) {
                    continue; // ::/64 area: mapped space is checked as IPv4 below
                }
                q.add(p);
                int max = v4 ? 32 : 128;
                if (p.length() < max) {
                    q.add(make(v4, p.high(), p.low(), p.length() + 1));
                    IpPrefix second = make(v4, v4 ? 0 : p.high() | bitHigh(p.length()), v4 ? p.low()
                            | (1L << (31 - p.length())) : p.low() | bitLow(p.length()), p.length() + 1);
                    q.add(second);
                }
                for (int len = v4 ? 8 : 16; len < p.length(); len += v4 ? 1 : 8) {
                    q.add(parent(v4, p.high(), p.low(), len));
                }
                if (p.length() > (v4 ? 8 : 16)) {
                    q.add(parent(v4, p.high(), p.low(), p.length() - 1));
                }
                // a random prefix around it: a random address of the prefix at a random length
                long h = v4 ? 0 : p.high() | (r.nextLong() & IpPrefix.hostMaskHigh(p.length()));
                long l = v4 ? p.low() | (r.nextLong() & IpPrefix.hostMask32(p.length()))
                        : p.low() | (r.nextLong() & IpPrefix.hostMaskLow(p.length()));
                q.add(parent(v4, h, l, v4 ? r.nextInt(8, 33) : r.nextInt(16, 129)));
            }
        }
        for (int i = 0; i < 2000; i++) { // random ones anywhere
            q.add(parent(true, 0, r.nextLong() & 0xffffffffL, r.nextInt(0, 33)));
            IpPrefix v6 = parent(false, r.nextLong(), r.nextLong(), r.nextInt(1, 129));
            if (v6.high() != 0) {
                q.add(v6);
            }
        }
        return new ArrayList<>(q);
    }

    static long bitHigh(int len) {
        return len < 64 ? 1L << (63 - len) : 0;
    }

    static long bitLow(int len) {
        return len >= 64 ? 1L << (127 - len) : 0;
    }

    static IpPrefix make(boolean v4, long h, long l, int len) {
        return v4 ? IpPrefix.ofIPv4((int) l, len) : IpPrefix.ofIPv6(h, l, len);
    }

    static IpPrefix parent(boolean v4, long h, long l, int len) {
        if (v4) {
            return IpPrefix.ofIPv4((int) (l & ~IpPrefix.hostMask32(len)), len);
        }
        return IpPrefix.ofIPv6(h & ~IpPrefix.hostMaskHigh(len), l & ~IpPrefix.hostMaskLow(len), len);
    }

    @ParameterizedTest
    @FieldSource("FILES")
    void containingAndOverlappingEqualTheUnionOfIntervals(String file) {
        ServiceTags st = RealData.load(file);
        List<Union> u4 = unions(st, IpFamily.IPV4);
        List<Union> u6 = unions(st, IpFamily.IPV6);
        List<IpPrefix> queries = queries(st);
        assertTrue(queries.size() >= 20_000, "only " + queries.size() + " queries");
        int partial = 0;
        for (IpPrefix q : queries) {
            TreeSet<String> containing = new TreeSet<>();
            TreeSet<String> overlapping = new TreeSet<>();
            for (Union u : q.family() == IpFamily.IPV4 ? u4 : u6) {
                if (u.contains(q)) {
                    containing.add(u.name());
                }
                if (u.overlaps(q)) {
                    overlapping.add(u.name());
                }
            }
            assertEquals(containing, st.lookup(q).names(), () -> "containing " + q);
            assertEquals(overlapping, st.overlapping(q).names(), () -> "overlapping " + q);
            if (!containing.equals(overlapping)) {
                partial++;
            }
        }
        assertTrue(partial > 1000, "the queries should include many partial overlaps, got " + partial);
    }

    @ParameterizedTest
    @FieldSource("FILES")
    void aFullLengthPrefixIsTheAddressLookupAndMappedPrefixesAreIpv4(String file) {
        ServiceTags st = RealData.load(file);
        for (IpPrefix q : queries(st)) {
            if (q.length() == (q.family() == IpFamily.IPV4 ? 32 : 128)) {
                String address = q.toString().substring(0, q.toString().indexOf('/'));
                assertSame(st.lookup(address), st.lookup(q), address);
                assertSame(st.lookup(address), st.overlapping(q), address);
            }
            if (q.family() == IpFamily.IPV4) {
                IpPrefix mapped = IpPrefix.ofIPv6(0, 0xffff00000000L | q.low(), q.length() + 96);
                assertEquals(st.lookup(q).names(), st.lookup(mapped).names(), mapped::toString);
                assertEquals(st.overlapping(q).names(), st.overlapping(mapped).names(), mapped::toString);
            }
        }
    }

    /** Whole /16s and /24s are answered with interned sets: the same object every time, so nothing is allocated. */
    @ParameterizedTest
    @FieldSource("FILES")
    void sixteensAndTwentyFoursAnswerWithInternedSets(String file) {
        ServiceTags st = RealData.load(file);
        int n = 0;
        for (IpPrefix q : queries(st)) {
            if (q.family() == IpFamily.IPV4 && (q.length() == 16 || q.length() == 24)) {
                assertSame(st.lookup(q), st.lookup(q), q::toString);
                n++;
            }
        }
        assertTrue(n > 1000, "only " + n + " /16 and /24 queries");
    }

    @Test
    void aSlash24SplitOverTwoHalvesOfOneTagIsContained() {
        ServiceTags st = ServiceTags.of("Public", 1, "test", List.of(
                tag("A", "10.0.0.0/25", "10.0.0.128/25"),
                tag("B", "10.0.0.0/25"),
                tag("C", "10.0.0.0/24", "2001:db8::/33", "2001:db8:8000::/33")));
        assertEquals(List.of("A", "C"), List.copyOf(st.lookup(IpPrefix.parse("10.0.0.0/24")).names()));
        assertEquals(List.of("A", "B", "C"), List.copyOf(st.overlapping(IpPrefix.parse("10.0.0.0/24")).names()));
        assertEquals(List.of("A", "B", "C"), List.copyOf(st.lookup(IpPrefix.parse("10.0.0.0/26")).names()));
        assertEquals(List.of(), List.copyOf(st.lookup(IpPrefix.parse("10.0.0.0/23")).names()));
        assertEquals(List.of("C"), List.copyOf(st.lookup(IpPrefix.parse("2001:db8::/32")).names()));
        assertEquals(List.of("A", "C"), List.copyOf(st.lookup(IpPrefix.parse("::ffff:10.0.0.0/120")).names()));
        assertEquals(List.of(), List.copyOf(st.lookup(IpPrefix.parse("0.0.0.0/0")).names()));
        assertEquals(List.of("A", "B", "C"), List.copyOf(st.overlapping(IpPrefix.parse("0.0.0.0/0")).names()));
    }

    @Test
    void prefixesHoldingTheMappedRangeAreRefused() {
        ServiceTags st = ServiceTags.of("Public", 1, "test", List.of(tag("A", "10.0.0.0/8")));
        for (String p : new String[] {"::/0", "::/80", "::fffe:0:0/95"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> st.lookup(IpPrefix.parse(p)));
            assertEquals("'" + p + "' holds the IPv4-mapped range ::ffff:0.0.0.0/96, which is answered as IPv4: "
                    + "an IPv4-mapped prefix must be /96 or longer; ask for ::ffff:0.0.0.0/96 (all of IPv4) and the rest of "
                    + "the range separately", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> st.overlapping(IpPrefix.parse(p)));
        }
        assertEquals(List.of("A"), List.copyOf(st.overlapping(IpPrefix.parse("::ffff:0:0/96")).names()));
        assertEquals(List.of(), List.copyOf(st.lookup(IpPrefix.parse("::/96")).names()));
        assertThrows(IllegalArgumentException.class, () -> st.lookup((IpPrefix) null));
    }

    static ServiceTag tag(String name, String... prefixes) {
        return ServiceTag.builder(name).prefixes(Arrays.stream(prefixes).map(IpPrefix::parse).toList()).build();
    }
}
