package io.github.servicetags;

import java.util.Arrays;
import java.util.List;

/**
 * The lookup structure: address to the pre-built {@link TagSet} of every tag containing it. This class holds the
 * tables and the lookups only; {@link PrefixIndexBuilder} makes the tables from the prefixes and {@link IndexCodec}
 * stores them.
 *
 * <h2>Design</h2>
 * All prefixes of a family are flattened into disjoint intervals that cover the whole address space; each interval
 * carries the id of an interned {@link TagSet} (id 0 is the empty set). Neighbouring intervals with the same set are
 * merged. A lookup never compares prefixes: it finds the interval.
 *
 * <p><b>IPv4</b>: a table of 65,536 entries for the top 16 bits, then poptrie-style rank-compressed nodes of 256
 * slots for bits 15..8 and 7..0. A node stores a 256-bit map (a bit per slot where a new run of equal values
 * starts) and the run values; slot s's value is {@code vals[base + popcount(bits <= s) - 1]}. A /16 covered by one
 * interval (most of them) answers in one load; an address in a busy /24 takes five dependent loads and no
 * unpredictable branch.
 * <pre>
 *  ip = a.b.c.d
 *  dir4[a.b] ──&lt; 0──▶ sets[~v]                                    (uniform /16)
 *     │ node n
 *     ▼
 *  nodes4[5n..5n+4] = 4 x 64-bit map + counts ─rank(c)─▶ vals4[i] ──&lt; 0──▶ sets[~v]   (uniform /24)
 *     │ node m
 *     ▼
 *  nodes4[5m..5m+4] ─rank(d)─▶ vals4[j] = setId ──▶ sets[setId]
 * </pre>
 * Only the /16s and /24s that hold more than one interval get a node, so the tables stay near 1 MB for the real
 * files, where full DIR-16-8-8 tables would take 12 MB for one load less ({@code LayoutBenchmark} in benchmarks/;
 * {@code servicetags info} prints the interval and tag-set counts of a file).
 *
 * <p><b>IPv6</b> (16-bit directory over bits 127..112, then search over the 128-bit starts): intervals are sorted
 * by their start; {@code dir6} narrows the search to the starts of the top-16-bit bucket and a branch-free binary
 * search over (high, low) finds the interval, so prefixes longer than /64 (Azure has many /117-/128) cost nothing
 * special. Random addresses mostly land in empty buckets and answer at once.
 *
 * <p>A lookup allocates nothing and takes no lock. Instances are immutable.
 */
final class PrefixIndex {
    final TagSet[] sets;

    // IPv4
    final int[] dir4;     // per /16: ~setId (negative) or the number of its /24 node
    final long[] nodes4;  // 5 longs per node of 256 slots: 4 bitmap words (a run of equal values starts at this
                          // slot), then the node's first value index (low 32 bits) and the count of runs before
                          // words 1, 2, 3 (one byte each, from bit 40)
    final int[] vals4;    // run values: in /24 nodes ~setId or the number of a /32 node; in /32 nodes the setId
    // IPv6
    final int[] dir6;     // per top-16-bit bucket: the interval holding its start; plus one sentinel
    final long[] hi6;     // high 64 bits of interval starts (sorted, unsigned)
    final long[] lo6;     // low 64 bits of interval starts
    final int[] ids6;

    final int intervals4;
    final int intervals6;

    private volatile PrefixRanges ranges; // built on the first range query; address lookups never need it

    PrefixIndex(TagSet[] sets, int[] dir4, long[] nodes4, int[] vals4, int[] dir6, long[] hi6, long[] lo6,
            int[] ids6, int intervals4) {
        this.sets = sets;
        this.dir4 = dir4;
        this.nodes4 = nodes4;
        this.vals4 = vals4;
        this.dir6 = dir6;
        this.hi6 = hi6;
        this.lo6 = lo6;
        this.ids6 = ids6;
        this.intervals4 = intervals4;
        this.intervals6 = hi6.length;
    }

    /** Returns the range-query tables, building them on first use (a race builds equal tables twice: harmless). */
    PrefixRanges ranges() {
        PrefixRanges r = ranges;
        if (r == null) {
            ranges = r = PrefixRanges.of(this);
        }
        return r;
    }

    /** Builds the index for the tags (their position in the list is their id); see {@link PrefixIndexBuilder}. */
    static PrefixIndex build(List<ServiceTag> tags) {
        return PrefixIndexBuilder.build(tags);
    }

    TagSet lookupIPv4(int ip) {
        return sets[setIPv4(ip)];
    }

    /** The number in {@link #sets} of the answer for the IPv4 address. */
    int setIPv4(int ip) {
        int d = dir4[ip >>> 16];
        if (d < 0) {
            return ~d;
        }
        int m = vals4[rank(d, (ip >>> 8) & 0xff)];
        if (m < 0) {
            return ~m;
        }
        return vals4[rank(m, ip & 0xff)];
    }

    /** Index in vals4 of the value of a slot (0..255) of a node: runs before its word, plus runs up to the slot. */
    int rank(int node, int slot) {
        return (int) rankOf(node, slot);
    }

    /** {@link #rank} in long arithmetic: the stored tables' check sees forged counts that an int would wrap. */
    long rankOf(int node, int slot) {
        long[] n = nodes4;
        int at = node * 5;
        long counts = n[at + 4];
        int w = slot >>> 6;
        return (counts & 0xffffffffL) + ((counts >>> (32 + (w << 3))) & 0xff)
                + Long.bitCount(n[at + w] << (63 - (slot & 63))) - 1;
    }

    TagSet lookupIPv6(long high, long low) {
        return sets[setIPv6(high, low)];
    }

    /** The number in {@link #sets} of the answer for the IPv6 address (IPv4-mapped ones are the caller's). */
    int setIPv6(long high, long low) {
        // the last start <= (high, low) among the candidates of the top-16-bit bucket: dir6[b] is the interval
        // holding the bucket's start, dir6[b + 1] the one holding the next bucket's start (most buckets: the same)
        int b = (int) (high >>> 48);
        int base = dir6[b];
        int n = dir6[b + 1] - base + 1;
        // branch-free search in unsigned order (sign bits flipped)
        long h = high ^ Long.MIN_VALUE;
        long l = low ^ Long.MIN_VALUE;
        long[] his = hi6;
        long[] los = lo6;
        while (n > 1) {
            int half = n >>> 1;
            int mid = base + half;
            long mh = his[mid] ^ Long.MIN_VALUE;
            base = mh < h || mh == h && (los[mid] ^ Long.MIN_VALUE) <= l ? mid : base;
            n -= half;
        }
        return ids6[base];
    }

    /**
     * Returns the index over stored tables when every number on every lookup path points inside them (so no lookup
     * can fail), else null: each /16 of the directory holds a set id or a /24 node, each slot of a /24 node a set id
     * or a /32 node, each slot of a /32 node a set id, and each slot's rank is inside the run values; the IPv6
     * directory holds interval numbers and the intervals set ids. It does not prove that the tables answer like the
     * prefixes: only tables this library wrote for the same data are given to it (see {@link IndexCodec}).
     */
    static PrefixIndex ofStoredTables(TagSet[] sets, int[] dir4, long[] nodes4, int[] vals4, int[] dir6, long[] hi6,
            long[] lo6, int[] ids6, int intervals4) {
        int nsets = sets.length;
        if (dir4.length != 1 << 16 || dir6.length != (1 << 16) + 1 || hi6.length != lo6.length
                || ids6.length != hi6.length || hi6.length == 0 || nodes4.length % 5 != 0) {
            return null;
        }
        PrefixIndex ix = new PrefixIndex(sets, dir4, nodes4, vals4, dir6, hi6, lo6, ids6, intervals4);
        byte[] checked = new byte[nodes4.length / 5]; // per node: 0 not yet, else the level it was checked as
        for (int d : dir4) {
            if (d < 0 ? ~d >= nsets : !ix.nodeInside(d, LEVEL_24, checked)) {
                return null;
            }
        }
        for (int v : dir6) { // interval numbers
            if (v < 0 || v >= hi6.length) {
                return null;
            }
        }
        for (int v : ids6) {
            if (v < 0 || v >= nsets) {
                return null;
            }
        }
        return ix;
    }

    private static final byte LEVEL_24 = 1; // a node of the 256 /24s of a /16: values ~setId or a /32 node
    private static final byte LEVEL_32 = 2; // a node of the 256 addresses of a /24: values setIds

    /**
     * True if node n exists and every slot's rank is inside vals4 and its value is what a node of the level holds.
     * Each node is walked once; a node reached at both levels is refused (a build never shares one).
     */
    private boolean nodeInside(int n, byte level, byte[] checked) {
        if (n >= checked.length || checked[n] != 0) {
            return n < checked.length && checked[n] == level;
        }
        checked[n] = level;
        // the 64 slots of word w rank (rankOf) from base + its bit 0 to base + its bit count, each rank between
        // taken by some slot in ascending order: checking those ranges checks every slot, in a cold start's time
        // (4 ranges a node, not 256 ranks)
        long counts = nodes4[n * 5 + 4];
        for (int w = 0; w < 4; w++) {
            long word = nodes4[n * 5 + w];
            long base = (counts & 0xffffffffL) + ((counts >>> (32 + (w << 3))) & 0xff) - 1;
            long lo = base + (word & 1);
            long hi = base + Long.bitCount(word);
            if (lo < 0 || hi >= vals4.length) {
                return false;
            }
            for (long r = lo; r <= hi; r++) {
                int v = vals4[(int) r];
                if (level == LEVEL_32 ? v < 0 || v >= sets.length
                        : v < 0 ? ~v >= sets.length : !nodeInside(v, LEVEL_32, checked)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** True if the two indexes hold equal tables and sets of equally named tags (for tests of the stored tables). */
    boolean sameTables(PrefixIndex o) {
        if (sets.length != o.sets.length) {
            return false;
        }
        for (int i = 0; i < sets.length; i++) {
            if (!sets[i].names().equals(o.sets[i].names())) {
                return false;
            }
        }
        return Arrays.equals(dir4, o.dir4) && Arrays.equals(nodes4, o.nodes4) && Arrays.equals(vals4, o.vals4)
                && Arrays.equals(dir6, o.dir6) && Arrays.equals(hi6, o.hi6) && Arrays.equals(lo6, o.lo6)
                && Arrays.equals(ids6, o.ids6) && intervals4 == o.intervals4;
    }
}
