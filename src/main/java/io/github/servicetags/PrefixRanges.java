package io.github.servicetags;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Range queries over the lookup tables of a {@link PrefixIndex}: the tags that contain every address of a prefix
 * (the intersection of the sets of the intervals that meet it, which is containment by the union of a tag's
 * prefixes) and the tags that contain at least one (their union).
 *
 * <h2>Design</h2>
 * The intervals meeting an IPv4 block are read from the index's own tables: a /16 bucket holds one value or a node
 * whose runs for slots s0..s1 are the contiguous values {@code rank(s0)..rank(s1)}, and a mixed /24 the same one
 * level down. The intersection is folded as a 64-bit mask over the members of the set holding the block's first
 * address (members as tag ranks in name order, so two sets intersect by a merge), then found by its Zobrist hash in
 * a table of interned sets: no allocation when the result is interned. The table holds every set of the index plus
 * the intersection of every node (each mixed /16 and /24), which is also what a whole node contributes to a fold,
 * so a query of a /16 or a /24 reads one value per node and never misses. A result that is not interned (possible
 * for other lengths, or when a set has more than 64 tags) is built: correct, but allocating. IPv6 walks the sorted
 * interval starts from the interval holding the prefix's first address.
 *
 * <p>Built on the first range query, so address lookups and cold starts never pay for it; immutable once built.
 */
final class PrefixRanges {
    private final PrefixIndex ix;
    private final TagSet[] all;        // the index's sets (same ids), then node intersections that are new
    private final int[][] members;     // per entry of all: its tags as ranks, ascending
    private final ServiceTag[] byRank; // every tag of some set, in name order
    private final long[] zobrist;      // per tag rank
    private final int[] keys;          // open addressing over hashes of member lists
    private final int[] slots;         // entry of all + 1; 0 = empty
    private final int[] nodeSet;       // per IPv4 node: entry of all for the intersection of everything below it
    private final boolean narrow;      // every set has at most 64 tags: masks fit in a long

    private PrefixRanges(PrefixIndex ix) {
        this.ix = ix;
        IdentityHashMap<ServiceTag, Integer> rank = new IdentityHashMap<>();
        int widest = 0;
        for (TagSet s : ix.sets) {
            widest = Math.max(widest, s.size());
            for (ServiceTag t : s.tags()) {
                rank.put(t, 0);
            }
        }
        narrow = widest <= 64;
        byRank = rank.keySet().toArray(new ServiceTag[0]);
        Arrays.sort(byRank, Comparator.comparing(ServiceTag::name));
        for (int i = 0; i < byRank.length; i++) {
            rank.put(byRank[i], i);
        }
        SplittableRandom r = new SplittableRandom(0x7a6e_5e75L);
        zobrist = new long[byRank.length];
        for (int i = 0; i < zobrist.length; i++) {
            zobrist[i] = r.nextLong();
        }
        List<TagSet> sets = new ArrayList<>(Arrays.asList(ix.sets));
        List<int[]> mem = new ArrayList<>();
        for (TagSet s : ix.sets) {
            int[] m = new int[s.size()];
            for (int i = 0; i < m.length; i++) {
                m[i] = rank.get(s.tags().get(i)); // tags() is in name order, so the ranks ascend
            }
            mem.add(m);
        }
        int nodes = ix.nodes4.length / 5;
        BitSet outer = new BitSet(nodes); // /16 nodes: their non-negative values are /24 node numbers
        for (int d : ix.dir4) {
            if (d >= 0) {
                outer.set(d);
            }
        }
        int size = Integer.highestOneBit(Math.max(8, sets.size() + nodes)) << 2;
        keys = new int[size];
        slots = new int[size];
        for (int i = 0; i < sets.size(); i++) {
            insert(hash(mem.get(i)), i);
        }
        // a /16 node is built after the /24 nodes it holds, so in number order every value is known when needed
        nodeSet = new int[nodes];
        for (int n = 0; n < nodes; n++) {
            int from = (int) ix.nodes4[n * 5 + 4];
            int to = from + runs(n);
            int[] acc = null;
            for (int j = from; j < to; j++) {
                int v = ix.vals4[j];
                int[] m = mem.get(v < 0 ? ~v : outer.get(n) ? nodeSet[v] : v);
                acc = acc == null ? m : intersect(acc, m);
            }
            int h = hash(acc);
            int found = find(mem, h, acc);
            if (found < 0) {
                found = sets.size();
                sets.add(newSet(acc));
                mem.add(acc);
                insert(h, found);
            }
            nodeSet[n] = found;
        }
        all = sets.toArray(new TagSet[0]);
        members = mem.toArray(new int[0][]);
    }

    /** Builds the range tables of an index. */
    static PrefixRanges of(PrefixIndex ix) {
        return new PrefixRanges(ix);
    }

    /** The number of runs of a node: the set bits of its map (slot 0 always starts one). */
    private int runs(int n) {
        long[] a = ix.nodes4;
        int at = n * 5;
        return Long.bitCount(a[at]) + Long.bitCount(a[at + 1]) + Long.bitCount(a[at + 2]) + Long.bitCount(a[at + 3]);
    }

    // ------------------------------------------------------------------------------------------------ queries

    /** Tags containing every address of the IPv4 prefix (network address unsigned in the low 32 bits). */
    TagSet containing4(long network, int length) {
        long last = network | IpPrefix.hostMask32(length);
        // one value or one whole node covers the prefix (every /16 and /24, most others): its set, no fold
        if (length >= 16) {
            int d = ix.dir4[(int) (network >>> 16)];
            if (d < 0) {
                return all[~d];
            }
            if (length == 16) {
                return all[nodeSet[d]];
            }
            int r = ix.rank(d, (int) (network >>> 8) & 0xff);
            if (r == ix.rank(d, (int) (last >>> 8) & 0xff)) {
                int v = ix.vals4[r];
                if (v < 0) {
                    return all[~v];
                }
                if (length <= 24) {
                    return all[nodeSet[v]];
                }
                int q = ix.rank(v, (int) network & 0xff);
                if (q == ix.rank(v, (int) last & 0xff)) {
                    return all[ix.vals4[q]];
                }
            }
        }
        int first = id4((int) network);
        if (!narrow) {
            return intersection(collect4(network, last, length));
        }
        int[] fm = members[first];
        long mask = walk4(network, last, length, first, full(fm.length), null);
        return result(first, mask);
    }

    /** Tags containing some address of the IPv4 prefix. */
    TagSet overlapping4(long network, int length) {
        return union(collect4(network, network | IpPrefix.hostMask32(length), length));
    }

    /** Tags containing every address of the IPv6 prefix [high:low, lastHigh:lastLow]. */
    TagSet containing6(long high, long low, long lastHigh, long lastLow) {
        int at = at6(high, low);
        int first = ix.ids6[at];
        if (!narrow) {
            BitSet ids = new BitSet();
            walk6(at, lastHigh, lastLow, first, 0, ids);
            return intersection(ids);
        }
        return result(first, walk6(at, lastHigh, lastLow, first, full(members[first].length), null));
    }

    /** Tags containing some address of the IPv6 prefix. */
    TagSet overlapping6(long high, long low, long lastHigh, long lastLow) {
        BitSet ids = new BitSet();
        walk6(at6(high, low), lastHigh, lastLow, 0, 0, ids);
        return union(ids);
    }

    private static long full(int n) {
        return n == 64 ? -1L : (1L << n) - 1;
    }

    /** The set id of the interval holding an IPv4 address. */
    private int id4(int ip) {
        return ix.setIPv4(ip);
    }

    /**
     * Folds the sets of the IPv4 block [lo, hi] of the given length: with {@code ids == null} into the mask over the
     * members of set {@code first} (a whole node contributes its intersection); otherwise adds every set met to
     * {@code ids} (whole nodes are descended) and returns the mask unchanged.
     */
    private long walk4(long lo, long hi, int length, int first, long mask, BitSet ids) {
        int[] fm = members[first];
        int b0 = (int) (lo >>> 16);
        int b1 = (int) (hi >>> 16);
        for (int b = b0; b <= b1 && (mask != 0 || ids != null); b++) {
            int d = ix.dir4[b];
            if (d < 0) {
                mask = visit(fm, first, mask, ~d, ids);
            } else if (length <= 16) {
                mask = ids == null ? and(fm, first, mask, nodeSet[d]) : descend(d, true, ids, mask);
            } else if (length <= 24) {
                int r1 = ix.rank(d, (int) (hi >>> 8) & 0xff);
                for (int r = ix.rank(d, (int) (lo >>> 8) & 0xff); r <= r1; r++) {
                    int v = ix.vals4[r];
                    if (v < 0) {
                        mask = visit(fm, first, mask, ~v, ids);
                    } else {
                        mask = ids == null ? and(fm, first, mask, nodeSet[v]) : descend(v, false, ids, mask);
                    }
                }
            } else {
                int v = ix.vals4[ix.rank(d, (int) (lo >>> 8) & 0xff)];
                if (v < 0) {
                    mask = visit(fm, first, mask, ~v, ids);
                } else {
                    int q1 = ix.rank(v, (int) hi & 0xff);
                    for (int q = ix.rank(v, (int) lo & 0xff); q <= q1; q++) {
                        mask = visit(fm, first, mask, ix.vals4[q], ids);
                    }
                }
            }
        }
        return mask;
    }

    /** Adds every set below a node to ids. */
    private long descend(int n, boolean outerNode, BitSet ids, long mask) {
        int from = (int) ix.nodes4[n * 5 + 4];
        int to = from + runs(n);
        for (int j = from; j < to; j++) {
            int v = ix.vals4[j];
            if (v < 0) {
                ids.set(~v);
            } else if (outerNode) {
                descend(v, false, ids, mask);
            } else {
                ids.set(v);
            }
        }
        return mask;
    }

    private long visit(int[] fm, int first, long mask, int id, BitSet ids) {
        if (ids != null) {
            ids.set(id);
            return mask;
        }
        return and(fm, first, mask, id);
    }

    /** Clears the bits of the members of {@code fm} that set {@code id} lacks (both ascending: a merge). */
    private long and(int[] fm, int first, long mask, int id) {
        if (id == first || mask == 0) {
            return mask;
        }
        int[] o = members[id];
        int j = 0;
        for (long m = mask; m != 0; m &= m - 1) {
            int i = Long.numberOfTrailingZeros(m);
            int t = fm[i];
            while (j < o.length && o[j] < t) {
                j++;
            }
            if (j == o.length || o[j] != t) {
                mask &= ~(1L << i);
            }
        }
        return mask;
    }

    private BitSet collect4(long lo, long hi, int length) {
        BitSet ids = new BitSet();
        walk4(lo, hi, length, 0, 0, ids);
        return ids;
    }

    /** The interval holding (high, low): the search of {@link PrefixIndex#lookupIPv6}, returning its position. */
    private int at6(long high, long low) {
        int b = (int) (high >>> 48);
        int base = ix.dir6[b];
        int n = ix.dir6[b + 1] - base + 1;
        long h = high ^ Long.MIN_VALUE;
        long l = low ^ Long.MIN_VALUE;
        while (n > 1) {
            int half = n >>> 1;
            int mid = base + half;
            long mh = ix.hi6[mid] ^ Long.MIN_VALUE;
            base = mh < h || mh == h && (ix.lo6[mid] ^ Long.MIN_VALUE) <= l ? mid : base;
            n -= half;
        }
        return base;
    }

    /** Folds the sets of the IPv6 intervals from position {@code at} while they start at or before the last address. */
    private long walk6(int at, long lastHigh, long lastLow, int first, long mask, BitSet ids) {
        int[] fm = members[first];
        long lh = lastHigh ^ Long.MIN_VALUE;
        long ll = lastLow ^ Long.MIN_VALUE;
        long[] his = ix.hi6;
        long[] los = ix.lo6;
        for (int j = at; j < his.length && (mask != 0 || ids != null); j++) {
            if (j > at) {
                long sh = his[j] ^ Long.MIN_VALUE;
                if (sh > lh || sh == lh && (los[j] ^ Long.MIN_VALUE) > ll) {
                    break;
                }
            }
            mask = visit(fm, first, mask, ix.ids6[j], ids);
        }
        return mask;
    }

    // ------------------------------------------------------------------------------------------------ results

    /** The interned set of the members of {@code first} selected by the mask, or a new one when not interned. */
    private TagSet result(int first, long mask) {
        int[] fm = members[first];
        if (mask == full(fm.length)) {
            return all[first];
        }
        if (mask == 0) {
            return ix.sets[0];
        }
        long z = 0;
        for (long m = mask; m != 0; m &= m - 1) {
            z ^= zobrist[fm[Long.numberOfTrailingZeros(m)]];
        }
        int h = mix(z);
        int n = Long.bitCount(mask);
        int sizeMask = keys.length - 1;
        for (int i = h & sizeMask; slots[i] != 0; i = (i + 1) & sizeMask) {
            if (keys[i] == h && sameMembers(members[slots[i] - 1], n, fm, mask)) {
                return all[slots[i] - 1];
            }
        }
        int[] ranks = new int[n];
        int k = 0;
        for (long m = mask; m != 0; m &= m - 1) {
            ranks[k++] = fm[Long.numberOfTrailingZeros(m)];
        }
        return newSet(ranks);
    }

    private static boolean sameMembers(int[] candidate, int n, int[] fm, long mask) {
        if (candidate.length != n) {
            return false;
        }
        int k = 0;
        for (long m = mask; m != 0; m &= m - 1) {
            if (candidate[k++] != fm[Long.numberOfTrailingZeros(m)]) {
                return false;
            }
        }
        return true;
    }

    private TagSet intersection(BitSet ids) {
        int[] acc = null;
        for (int id = ids.nextSetBit(0); id >= 0; id = ids.nextSetBit(id + 1)) {
            acc = acc == null ? members[id] : intersect(acc, members[id]);
        }
        return interned(acc);
    }

    private TagSet union(BitSet ids) {
        int one = ids.nextSetBit(0);
        if (ids.nextSetBit(one + 1) < 0) {
            return all[one]; // a single interval's set: the address lookup's own object
        }
        BitSet ranks = new BitSet(byRank.length);
        for (int id = one; id >= 0; id = ids.nextSetBit(id + 1)) {
            for (int t : members[id]) {
                ranks.set(t);
            }
        }
        int[] r = new int[ranks.cardinality()];
        int k = 0;
        for (int t = ranks.nextSetBit(0); t >= 0; t = ranks.nextSetBit(t + 1)) {
            r[k++] = t;
        }
        return interned(r);
    }

    private TagSet interned(int[] ranks) {
        int found = find(Arrays.asList(members), hash(ranks), ranks);
        return found >= 0 ? all[found] : newSet(ranks);
    }

    // ------------------------------------------------------------------------------------------------ table

    private int hash(int[] ranks) {
        long z = 0;
        for (int t : ranks) {
            z ^= zobrist[t];
        }
        return mix(z);
    }

    private static int mix(long z) {
        return (int) (z ^ (z >>> 32));
    }

    private void insert(int h, int entry) {
        int mask = keys.length - 1;
        int i = h & mask;
        while (slots[i] != 0) {
            i = (i + 1) & mask;
        }
        keys[i] = h;
        slots[i] = entry + 1;
    }

    private int find(List<int[]> mem, int h, int[] ranks) {
        int mask = keys.length - 1;
        for (int i = h & mask; slots[i] != 0; i = (i + 1) & mask) {
            if (keys[i] == h && Arrays.equals(mem.get(slots[i] - 1), ranks)) {
                return slots[i] - 1;
            }
        }
        return -1;
    }

    private static int[] intersect(int[] a, int[] b) {
        int[] out = new int[Math.min(a.length, b.length)];
        int n = 0;
        for (int i = 0, j = 0; i < a.length && j < b.length;) {
            if (a[i] == b[j]) {
                out[n++] = a[i];
                i++;
                j++;
            } else if (a[i] < b[j]) {
                i++;
            } else {
                j++;
            }
        }
        return Arrays.copyOf(out, n);
    }

    private TagSet newSet(int[] ranks) {
        ServiceTag[] t = new ServiceTag[ranks.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = byRank[ranks[i]];
        }
        return new TagSet(Arrays.asList(t));
    }
}
