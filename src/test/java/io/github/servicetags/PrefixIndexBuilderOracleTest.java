package io.github.servicetags;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The index build ({@link PrefixIndexBuilder}) on synthetic prefix sets, fast enough to run for every mutant under
 * PIT, against a reference that knows nothing of intervals or tables: per prefix length, a hash map from network to
 * the tags holding that prefix (an address is in a tag when its network at some length is one of the tag's
 * prefixes). The sets change only at a prefix's first address or right after its last, so the reference also gives
 * the exact intervals the sweep must produce and, from them, the documented shape of the IPv4 tables (only the /16s
 * and /24s that hold more than one interval get a node; a node stores one value per run of equal slots).
 *
 * <p>The generator mixes nested, duplicated and adjacent prefixes, prefixes at both ends of each address space,
 * /64-aligned IPv6 prefixes (whose end carries into the high half), prefixes across IPv6 buckets, and enough tags
 * and /24s to grow every table of the builder.
 */
class PrefixIndexBuilderOracleTest {
    private static final long TOP4 = 1L << 32;
    private static final long REGION4 = 0x0a140000L; // 10.20.0.0/15, probed address by address
    private static final long REGION6 = 0x20010db800000000L; // 2001:db8::/32

    // ---- the reference

    record Addr6(long hi, long lo) implements Comparable<Addr6> {
        @Override
        public int compareTo(Addr6 o) {
            int c = Long.compareUnsigned(hi, o.hi);
            return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
        }

        Addr6 minus1() {
            return new Addr6(lo == 0 ? hi - 1 : hi, lo - 1);
        }

        boolean mapped() {
            return hi == 0 && (lo >>> 32) == 0xffffL;
        }
    }

    static long mask4(int len) {
        return len == 0 ? 0 : (0xffffffffL << (32 - len)) & 0xffffffffL;
    }

    static long maskHi(int len) {
        return len == 0 ? 0 : len >= 64 ? -1L : -1L << (64 - len);
    }

    static long maskLo(int len) {
        return len <= 64 ? 0 : len == 128 ? -1L : -1L << (128 - len);
    }

    /** Per length, network to the indexes of the tags that hold it. */
    static final class Ref {
        final List<ServiceTag> tags;
        final List<Map<Long, BitSet>> byLen4 = new ArrayList<>();
        final List<Map<Addr6, BitSet>> byLen6 = new ArrayList<>();
        /** The addresses where the set may change: 0, each prefix's first address and the one after its last. */
        final TreeSet<Long> edges4 = new TreeSet<>(List.of(0L));
        final TreeSet<Addr6> edges6 = new TreeSet<>(List.of(new Addr6(0, 0)));

        Ref(List<ServiceTag> tags) {
            this.tags = tags;
            for (int l = 0; l <= 128; l++) {
                byLen4.add(new HashMap<>());
                byLen6.add(new HashMap<>());
            }
            for (int t = 0; t < tags.size(); t++) {
                for (IpPrefix p : tags.get(t).prefixes()) {
                    if (p.family() == IpFamily.IPV4) {
                        byLen4.get(p.length()).computeIfAbsent(p.low(), k -> new BitSet()).set(t);
                        edges4.add(p.low());
                        if (p.lastLow() + 1 < TOP4) {
                            edges4.add(p.lastLow() + 1);
                        }
                    } else {
                        byLen6.get(p.length()).computeIfAbsent(new Addr6(p.high(), p.low()), k -> new BitSet())
                                .set(t);
                        edges6.add(new Addr6(p.high(), p.low()));
                        long h = p.lastLow() == -1L ? p.lastHigh() + 1 : p.lastHigh();
                        if (!(p.lastHigh() == -1L && p.lastLow() == -1L)) {
                            edges6.add(new Addr6(h, p.lastLow() + 1));
                        }
                    }
                }
            }
        }

        BitSet at4(long ip) {
            BitSet out = new BitSet();
            for (int len = 0; len <= 32; len++) {
                Map<Long, BitSet> m = byLen4.get(len);
                if (!m.isEmpty()) {
                    BitSet hit = m.get(ip & mask4(len));
                    if (hit != null) {
                        out.or(hit);
                    }
                }
            }
            return out;
        }

        BitSet at6(Addr6 a) {
            BitSet out = new BitSet();
            for (int len = 0; len <= 128; len++) {
                Map<Addr6, BitSet> m = byLen6.get(len);
                if (!m.isEmpty()) {
                    BitSet hit = m.get(new Addr6(a.hi & maskHi(len), a.lo & maskLo(len)));
                    if (hit != null) {
                        out.or(hit);
                    }
                }
            }
            return out;
        }

        TreeSet<String> names(BitSet s) {
            TreeSet<String> out = new TreeSet<>();
            s.stream().forEach(t -> out.add(tags.get(t).name()));
            return out;
        }

        /** The intervals the index must hold: each edge where the set differs from the one before, with the set. */
        TreeMap<Long, BitSet> intervals4() {
            TreeMap<Long, BitSet> out = new TreeMap<>();
            BitSet prev = null;
            for (long e : edges4) {
                BitSet s = at4(e);
                if (!s.equals(prev)) {
                    out.put(e, s);
                    prev = s;
                }
            }
            return out;
        }

        TreeMap<Addr6, BitSet> intervals6() {
            TreeMap<Addr6, BitSet> out = new TreeMap<>();
            BitSet prev = null;
            for (Addr6 e : edges6) {
                BitSet s = at6(e);
                if (!s.equals(prev)) {
                    out.put(e, s);
                    prev = s;
                }
            }
            return out;
        }
    }

    // ---- the generator

    static IpPrefix v4(long addr, int len) {
        return IpPrefix.ofIPv4((int) (addr & mask4(len)), len);
    }

    static IpPrefix v6(long hi, long lo, int len) {
        IpPrefix p = IpPrefix.ofIPv6(hi & maskHi(len), lo & maskLo(len), len);
        return p.length() >= 96 && p.high() == 0 && (p.low() >>> 32) == 0xffffL ? IpPrefix.ofIPv6(0, 0, len) : p;
    }

    /** A random IPv4 prefix: mostly in the probed region, else anywhere, at an end, or near an earlier one. */
    static IpPrefix random4(SplittableRandom r, List<IpPrefix> earlier) {
        int kind = r.nextInt(10);
        if (kind < 5) {
            int len = 15 + Math.min(r.nextInt(18), r.nextInt(18)) + r.nextInt(9); // /15 .. /32, mostly long
            return v4(REGION4 + r.nextInt(1 << 17), Math.min(len, 32));
        }
        if (kind == 5) {
            return v4(r.nextLong(TOP4), r.nextInt(33));
        }
        if (kind == 6) {
            return v4(r.nextBoolean() ? 0 : TOP4 - 1, r.nextInt(33)); // the first or the last prefix of a length
        }
        if (earlier.isEmpty()) {
            return v4(REGION4, 24);
        }
        IpPrefix p = earlier.get(r.nextInt(earlier.size()));
        if (p.family() != IpFamily.IPV4) {
            return v4(REGION4 + r.nextInt(1 << 17), 28);
        }
        if (kind == 7) {
            return p; // a duplicate (in this tag or another)
        }
        if (kind == 8) { // nested: a random sub-prefix or the parent
            if (p.length() < 32 && r.nextBoolean()) {
                int len = p.length() + 1 + r.nextInt(32 - p.length());
                return v4(p.low() + r.nextLong(p.lastLow() - p.low() + 1), len);
            }
            return v4(p.low(), Math.max(0, p.length() - 1 - r.nextInt(3)));
        }
        long size = p.lastLow() - p.low() + 1; // adjacent: the block right after or before
        long at = r.nextBoolean() ? p.lastLow() + 1 : p.low() - size;
        return at < 0 || at >= TOP4 ? p : v4(at, p.length());
    }

    /** A random IPv6 prefix: mostly in 2001:db8::/32, else across buckets, at an end, /64-aligned, or nested. */
    static IpPrefix random6(SplittableRandom r, List<IpPrefix> earlier) {
        int kind = r.nextInt(10);
        if (kind < 4) {
            int len = 32 + r.nextInt(97);
            return v6(REGION6 | r.nextLong() >>> 32, r.nextLong(), len);
        }
        if (kind == 4) {
            return v6(r.nextLong(), r.nextLong(), r.nextInt(17)); // holds whole buckets
        }
        if (kind == 5) {
            long hi = r.nextBoolean() ? 0 : -1L;
            long lo = hi;
            return v6(hi, lo, 1 + r.nextInt(128)); // the first or the last prefix of a length
        }
        if (kind == 6) {
            return v6(REGION6 | r.nextLong() >>> 40, 0, 56 + r.nextInt(9)); // ends where the low half wraps
        }
        if (kind == 7) {
            long hi = (long) r.nextInt(1 << 16) << 48; // starts at a bucket start, maybe with a low half
            return r.nextBoolean() ? v6(hi, 0, 16 + r.nextInt(113)) : v6(hi, r.nextLong(8), 125 + r.nextInt(4));
        }
        if (earlier.isEmpty()) {
            return v6(REGION6, 0, 48);
        }
        IpPrefix p = earlier.get(r.nextInt(earlier.size()));
        if (p.family() != IpFamily.IPV6) {
            return v6(REGION6, r.nextLong(), 120);
        }
        if (kind == 8 || p.length() == 128) {
            return p;
        }
        int len = p.length() + 1 + r.nextInt(128 - p.length());
        return v6(p.high() | (r.nextLong() & ~maskHi(p.length())), p.low() | (r.nextLong() & ~maskLo(p.length())),
                len);
    }

    static List<ServiceTag> randomTags(long seed, int tagCount, int maxPrefixesPerTag) {
        SplittableRandom r = new SplittableRandom(seed);
        List<ServiceTag> tags = new ArrayList<>();
        List<IpPrefix> earlier = new ArrayList<>();
        for (int t = 0; t < tagCount; t++) {
            List<IpPrefix> ps = new ArrayList<>();
            int n = r.nextInt(maxPrefixesPerTag + 1);
            for (int i = 0; i < n; i++) {
                IpPrefix p = r.nextInt(3) == 0 ? random6(r, earlier) : random4(r, earlier);
                ps.add(p);
                earlier.add(p);
            }
            tags.add(ServiceTag.builder(String.format("T%04d", t)).prefixes(ps).build());
        }
        return tags;
    }

    // ---- the checks

    /** Every check of this class on one tag list; returns the index for more. */
    static ServiceTags check(List<ServiceTag> tags, boolean wholeRegion, long seed) {
        Ref ref = new Ref(tags);
        ServiceTags st = ServiceTags.of("Public", 1, "synthetic", tags);
        PrefixIndex ix = st.index();
        TreeMap<Long, BitSet> want4 = ref.intervals4();
        TreeMap<Addr6, BitSet> want6 = ref.intervals6();
        checkSweep(tags, ref, want4, want6);
        checkSets(st);
        checkTables4(ix, want4);
        checkTables6(ix, want6);
        SplittableRandom r = new SplittableRandom(seed);
        // IPv4: both sides of every edge, a random address in every interval, the ends of every /24 of a node
        List<Long> probes = new ArrayList<>();
        Long prev = null;
        for (long e : want4.keySet()) {
            probes.add(e);
            if (e > 0) {
                probes.add(e - 1);
            }
            if (prev != null) {
                probes.add(prev + r.nextLong(e - prev));
            }
            prev = e;
        }
        probes.add(TOP4 - 1);
        for (int i = 0; i < 2000; i++) {
            probes.add(r.nextLong(TOP4));
        }
        if (wholeRegion) {
            for (long ip = REGION4; ip < REGION4 + (1 << 17); ip++) {
                probes.add(ip);
            }
        }
        for (long ip : probes) {
            assertEquals(ref.names(ref.at4(ip)), st.lookupIPv4((int) ip).names(),
                    () -> "IPv4 " + IpPrefix.ofIPv4((int) ip, 32));
        }
        // IPv6: both sides of every edge, a random address in every interval, every bucket start
        List<Addr6> probes6 = new ArrayList<>();
        Addr6 p6 = null;
        for (Addr6 e : want6.keySet()) {
            probes6.add(e);
            if (e.hi != 0 || e.lo != 0) {
                probes6.add(e.minus1());
            }
            if (p6 != null && p6.hi == e.hi) {
                long span = e.lo - p6.lo;
                probes6.add(new Addr6(e.hi, p6.lo + (span > 0 ? r.nextLong(span) : 0)));
            }
            p6 = e;
            long b = e.hi >>> 48;
            probes6.add(new Addr6(b << 48, 0));
            probes6.add(new Addr6((b + 1) << 48, 0).minus1());
        }
        probes6.add(new Addr6(-1L, -1L));
        for (int i = 0; i < 2000; i++) {
            probes6.add(new Addr6(r.nextLong(), r.nextLong()));
            probes6.add(new Addr6(REGION6 | r.nextLong() >>> 32, r.nextLong()));
        }
        for (Addr6 a : probes6) {
            if (!a.mapped()) {
                assertEquals(ref.names(ref.at6(a)), st.lookupIPv6(a.hi, a.lo).names(),
                        () -> "IPv6 " + IpPrefix.ofIPv6(a.hi, a.lo, 128));
            }
        }
        // range queries: contained in a tag when every address is, overlapping when one is
        for (int i = 0; i < 100; i++) {
            int len = 24 + r.nextInt(9);
            IpPrefix q = v4(REGION4 + r.nextInt(1 << 17), len);
            BitSet all = null;
            BitSet any = new BitSet();
            for (long ip = q.low(); ip <= q.lastLow(); ip++) {
                BitSet s = ref.at4(ip);
                any.or(s);
                if (all == null) {
                    all = s;
                } else {
                    all.and(s);
                }
            }
            assertEquals(ref.names(all), st.lookup(q).names(), q::toString);
            assertEquals(ref.names(any), st.overlapping(q).names(), q::toString);
        }
        return st;
    }

    /** The sweep's intervals are exactly the reference's: starts where the set changes, each with its members. */
    static void checkSweep(List<ServiceTag> tags, Ref ref, TreeMap<Long, BitSet> want4,
            TreeMap<Addr6, BitSet> want6) {
        PrefixIndexBuilder.Intervals iv = PrefixIndexBuilder.sweep(tags);
        assertArrayEquals(want4.keySet().stream().mapToLong(Long::longValue).toArray(), iv.starts4(), "IPv4 starts");
        int i = 0;
        for (BitSet s : want4.values()) {
            assertEquals(s, bits(iv.members()[iv.ids4()[i]]), "members of IPv4 interval " + i);
            i++;
        }
        assertEquals(want6.size(), iv.hi6().length, "IPv6 intervals");
        i = 0;
        for (Map.Entry<Addr6, BitSet> e : want6.entrySet()) {
            assertEquals(e.getKey(), new Addr6(iv.hi6()[i], iv.lo6()[i]), "start of IPv6 interval " + i);
            assertEquals(e.getValue(), bits(iv.members()[iv.ids6()[i]]), "members of IPv6 interval " + i);
            i++;
        }
        // one id per distinct set, members in increasing order, and nothing else interned
        Map<BitSet, Integer> ids = new HashMap<>();
        for (int id = 0; id < iv.members().length; id++) {
            int[] m = iv.members()[id];
            for (int j = 1; j < m.length; j++) {
                assertTrue(m[j - 1] < m[j], "members of set " + id + " in increasing order");
            }
            Integer before = ids.put(bits(m), id);
            assertEquals(null, before, "sets " + before + " and " + id + " are equal");
        }
        assertEquals(0, iv.members()[0].length, "set 0 is the empty set");
        java.util.Set<BitSet> used = new java.util.HashSet<>();
        used.addAll(want4.values());
        used.addAll(want6.values());
        used.add(new BitSet());
        assertEquals(used.size(), iv.members().length, "every interned set is the set of some interval");
    }

    static BitSet bits(int[] m) {
        BitSet b = new BitSet();
        for (int t : m) {
            b.set(t);
        }
        return b;
    }

    /** One shared {@link TagSet} per distinct set: an answer is the same object wherever the set is equal. */
    static void checkSets(ServiceTags st) {
        Map<java.util.Set<String>, TagSet> byNames = new HashMap<>();
        for (TagSet s : st.tagSets()) {
            assertEquals(null, byNames.put(s.names(), s), () -> "two TagSet objects for " + s);
        }
        assertTrue(st.tagSets().get(0).isEmpty(), "set 0 is the empty set");
    }

    /**
     * The IPv4 tables have the documented shape: a /16 inside one interval answers from the directory; only the
     * /16s and /24s that hold more than one interval get a node of 256 slots; a node stores one value per run of
     * equal slots.
     */
    static void checkTables4(PrefixIndex ix, TreeMap<Long, BitSet> want) {
        assertEquals(want.size(), ix.intervals4, "IPv4 intervals");
        long[] starts = want.keySet().stream().mapToLong(Long::longValue).toArray();
        int nodes = 0;
        long runs = 0;
        for (long b = 0; b < (1 << 16); b++) {
            long bStart = b << 16;
            boolean busy = startsInside(starts, bStart, 1 << 16) > 0;
            assertEquals(busy, ix.dir4[(int) b] >= 0, () -> "/16 " + IpPrefix.ofIPv4((int) bStart, 16) + " busy");
            if (!busy) {
                continue;
            }
            nodes++;
            runs++;
            boolean prevBusy = false;
            for (int s = 0; s < 256; s++) {
                long sStart = bStart + (s << 8);
                int inside = startsInside(starts, sStart, 256);
                if (inside > 0) {
                    nodes++;
                    runs += 1 + inside;
                }
                if (s > 0 && (inside > 0 || prevBusy || Arrays.binarySearch(starts, sStart) >= 0)) {
                    runs++;
                }
                prevBusy = inside > 0;
            }
        }
        assertEquals(5L * nodes, ix.nodes4.length, "nodes of the busy /16s and /24s");
        assertEquals(runs, ix.vals4.length, "one value per run of equal slots");
    }

    /** The number of intervals that start strictly inside the block. */
    static int startsInside(long[] starts, long from, long size) {
        return firstAbove(starts, from + size - 1) - firstAbove(starts, from);
    }

    /** The index of the first start above x. */
    static int firstAbove(long[] starts, long x) {
        int i = Arrays.binarySearch(starts, x);
        return i >= 0 ? i + 1 : -i - 1;
    }

    /** The IPv6 directory: per bucket, the interval holding the bucket's first address; then the last interval. */
    static void checkTables6(PrefixIndex ix, TreeMap<Addr6, BitSet> want) {
        assertEquals(want.size(), ix.intervals6, "IPv6 intervals");
        List<Addr6> starts = new ArrayList<>(want.keySet());
        int q = 0;
        for (int b = 0; b < (1 << 16); b++) {
            Addr6 bStart = new Addr6((long) b << 48, 0);
            while (q + 1 < starts.size() && starts.get(q + 1).compareTo(bStart) <= 0) {
                q++;
            }
            assertEquals(q, ix.dir6[b], "dir6 of bucket " + Integer.toHexString(b));
        }
        assertEquals(starts.size() - 1, ix.dir6[1 << 16], "sentinel");
    }

    // ---- the cases

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void randomPrefixSetsMatchTheReferenceAddressByAddress(long seed) {
        check(randomTags(seed, 40, 30), true, seed);
    }

    @ParameterizedTest
    @ValueSource(longs = {5, 6, 7, 8, 9, 10, 11, 12})
    void smallPrefixSetsMatchTheReference(long seed) {
        check(randomTags(seed, 1 + (int) seed % 5, 6), false, seed);
    }

    @Test
    void handPickedEdgesMatchTheReference() {
        List<ServiceTag> tags = List.of(
                tag("All", "0.0.0.0/0", "::/0"),
                tag("Top", "255.255.255.255/32", "255.255.255.0/24", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128",
                        "ffff::/16"),
                tag("Bottom", "0.0.0.0/32", "0.0.0.0/16", "::/128", "::/16"),
                tag("Half", "10.0.0.0/17"), // a /16 with two intervals, each a whole number of /24s
                tag("Exact16", "10.1.0.0/16", "10.2.0.0/16"), // /16s that start and end at a /16 boundary
                tag("Exact24", "10.3.1.0/24", "10.3.2.0/24", "10.3.4.0/24"),
                tag("Busy", "10.3.1.7/32", "10.3.1.8/31", "10.3.1.64/26", "10.3.1.255/32", "10.3.2.0/32"),
                tag("Nested", "10.3.1.0/25", "10.3.1.0/30", "10.3.1.0/32"),
                tag("Wrap", "2001:db8:0:ffff::/64", "2001:db8:1::/63", "2001:db8::/128"),
                tag("Buckets", "2600::/7", "2603::4/128", "2603::/128", "2604::/16"),
                tag("Adjacent", "192.0.2.0/25", "192.0.2.128/25", "2001:db8:2::/49", "2001:db8:2:8000::/49"));
        check(tags, false, 99);
    }

    @Test
    void manySetsAndNodesGrowEveryTable() {
        // 4200 distinct singleton sets (the interner's table of 4096 slots rehashes twice, and would be full
        // without), 4200 busy /24s and /16s across the space (the node tables double), 100 wide prefixes nesting them
        SplittableRandom r = new SplittableRandom(42);
        List<ServiceTag> tags = new ArrayList<>();
        for (int t = 0; t < 4300; t++) {
            List<IpPrefix> ps = new ArrayList<>();
            if (t < 4200) {
                ps.add(v4(((long) r.nextInt(1 << 24) << 8) | r.nextInt(256), 32));
                if (t % 3 == 0) {
                    ps.add(v6(REGION6 | r.nextLong() >>> 32, r.nextLong(), 128));
                }
            } else {
                ps.add(v4(r.nextLong(TOP4), 4 + r.nextInt(16)));
                ps.add(v6(r.nextLong(), 0, 8 + r.nextInt(40)));
            }
            tags.add(ServiceTag.builder(String.format("T%04d", t)).prefixes(ps).build());
        }
        ServiceTags st = check(tags, false, 42);
        assertTrue(st.tagSets().size() > 4200, "sets: " + st.tagSets().size());
        assertTrue(st.index().nodes4.length / 5 > 4200, "nodes: " + st.index().nodes4.length / 5);
    }

    @Test
    void equalSetsInBothFamiliesShareOneTagSet() {
        ServiceTags st = ServiceTags.of("Public", 1, "t", List.of(
                tag("A", "192.0.2.0/24", "198.51.100.0/24", "2001:db8::/32", "2001:db9::/32"),
                tag("B", "192.0.2.0/24", "2001:db8::/32")));
        TagSet ab = st.lookup("192.0.2.1");
        assertEquals(List.of("A", "B"), List.copyOf(ab.names()));
        assertSame(ab, st.lookup("2001:db8::1"), "the same set of both families is one object");
        assertEquals(List.of("A"), List.copyOf(st.lookup("198.51.100.1").names()));
        assertSame(st.lookup("198.51.100.1"), st.lookup("2001:db9::1"));
        assertEquals(3, st.tagSets().size(), "the empty set, {A} and {A, B}");
    }

    @Test
    void theTagCountIsLimitedToTheEventEncoding() {
        ServiceTag t = tag("T", "192.0.2.0/24");
        assertEquals(1, PrefixIndexBuilder.sweep(Collections.nCopies((1 << 21) - 1, tag("E"))).members().length,
                "2^21 - 1 tags are indexed (one set, the empty one: the tag has no prefix)");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PrefixIndexBuilder.sweep(Collections.nCopies(1 << 21, t)));
        assertEquals("too many tags for the index: 2097152", e.getMessage());
    }

    static ServiceTag tag(String name, String... prefixes) {
        return ServiceTag.builder(name).prefixes(java.util.Arrays.stream(prefixes).map(IpPrefix::parse).toList())
                .build();
    }
}
