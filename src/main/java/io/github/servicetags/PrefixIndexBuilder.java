package io.github.servicetags;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Makes the {@link PrefixIndex} tables from the prefixes of the tags, in two steps: {@link #sweep} flattens the
 * prefixes into disjoint intervals (a sweep over the start and end events of every prefix, sorted by a radix sort
 * for IPv4; tag sets interned by a Zobrist hash updated per event), then {@link #of} builds the lookup tables from
 * the intervals in linear time. Build time only: nothing here runs during a lookup.
 */
final class PrefixIndexBuilder {
    private PrefixIndexBuilder() {}

    /** Builds the index for the tags (their position in the list is their id). */
    static PrefixIndex build(List<ServiceTag> tags) {
        return of(tags, sweep(tags));
    }

    /**
     * The flattened form: disjoint intervals per family (sorted starts, the first at address 0, each with a set id)
     * and the members of each set as increasing tag indexes. {@link #sweep} computes it from the prefixes;
     * {@link #of} builds the lookup tables from it in linear time; the binary form stores it.
     */
    record Intervals(int[][] members, long[] starts4, int[] ids4, long[] hi6, long[] lo6, int[] ids6) {}

    /** Sweeps the sorted start and end events of every prefix: O(n log n). */
    static Intervals sweep(List<ServiceTag> tags) {
        if (tags.size() >= (1 << 21)) {
            throw new IllegalArgumentException("too many tags for the index: " + tags.size());
        }
        SetInterner interner = new SetInterner(tags);
        // ---- IPv4: events packed in longs: boundary (33 bits) << 22 | kind (1 bit: 0 = end, 1 = start) << 21 | tag
        int n4 = 0;
        for (ServiceTag t : tags) {
            n4 += t.prefixes(IpFamily.IPV4).size();
        }
        long[] ev = new long[n4 * 2];
        int e = 0;
        for (int id = 0; id < tags.size(); id++) {
            for (IpPrefix p : tags.get(id).prefixes(IpFamily.IPV4)) {
                ev[e++] = (p.low() << 22) | (1L << 21) | id;
                ev[e++] = ((p.lastLow() + 1) << 22) | id;
            }
        }
        radixSort(ev, e);
        long[] starts = new long[e + 1];
        int[] ids = new int[e + 1];
        int count = 0;
        int[] active = new int[tags.size()];
        long pos = 0;
        int i = 0;
        while (i <= e) {
            long next = i < e ? ev[i] >>> 22 : 1L << 32;
            if ((next > pos || i == e) && pos < (1L << 32)) {
                int setId = interner.intern();
                if (count == 0 || ids[count - 1] != setId) {
                    starts[count] = pos;
                    ids[count] = setId;
                    count++;
                }
            }
            if (i == e) {
                break;
            }
            pos = next;
            int tag = (int) (ev[i] & ((1 << 21) - 1));
            if ((ev[i] & (1L << 21)) != 0) {
                if (active[tag]++ == 0) {
                    interner.flip(tag);
                }
            } else if (--active[tag] == 0) {
                interner.flip(tag);
            }
            i++;
        }
        // ---- IPv6: events as objects (tens of thousands; build-time only)
        List<long[]> ev6 = new ArrayList<>();
        for (int id = 0; id < tags.size(); id++) {
            for (IpPrefix p : tags.get(id).prefixes(IpFamily.IPV6)) {
                ev6.add(new long[] {p.high(), p.low(), 1, id});
                long lh = p.lastHigh();
                long ll = p.lastLow() + 1;
                if (ll == 0) {
                    lh++;
                    if (lh == 0) {
                        continue; // ends at the top of the space
                    }
                }
                ev6.add(new long[] {lh, ll, 0, id});
            }
        }
        ev6.sort((a, b) -> {
            int c = Long.compareUnsigned(a[0], b[0]);
            if (c == 0) {
                c = Long.compareUnsigned(a[1], b[1]);
            }
            return c;
        });
        int m6 = ev6.size();
        long[] h6 = new long[m6 + 1];
        long[] l6 = new long[m6 + 1];
        int[] i6 = new int[m6 + 1];
        int c6 = 0;
        Arrays.fill(active, 0);
        long ph = 0;
        long pl = 0;
        i = 0;
        while (true) {
            boolean end = i == m6;
            long[] x = end ? null : ev6.get(i);
            if (end || x[0] != ph || x[1] != pl) {
                int setId = interner.intern();
                if (c6 == 0 || i6[c6 - 1] != setId) {
                    h6[c6] = ph;
                    l6[c6] = pl;
                    i6[c6] = setId;
                    c6++;
                }
                if (end) {
                    break;
                }
                ph = x[0];
                pl = x[1];
            }
            int tag = (int) x[3];
            if (x[2] == 1) {
                if (active[tag]++ == 0) {
                    interner.flip(tag);
                }
            } else if (--active[tag] == 0) {
                interner.flip(tag);
            }
            i++;
        }
        return new Intervals(interner.members(), Arrays.copyOf(starts, count), Arrays.copyOf(ids, count),
                Arrays.copyOf(h6, c6), Arrays.copyOf(l6, c6), Arrays.copyOf(i6, c6));
    }

    /**
     * Builds the tables from valid intervals (as {@link #sweep} makes them, or as the binary reader has checked
     * them) in linear time, with one shared {@link TagSet} per set.
     */
    static PrefixIndex of(List<ServiceTag> tags, Intervals iv) {
        TagSet[] sets = new TagSet[iv.members().length];
        for (int i = 0; i < sets.length; i++) {
            int[] m = iv.members()[i];
            ServiceTag[] t = new ServiceTag[m.length];
            for (int j = 0; j < m.length; j++) {
                t[j] = tags.get(m[j]);
            }
            sets[i] = new TagSet(Arrays.asList(t));
        }
        long[] starts = iv.starts4();
        int[] ids = iv.ids4();
        int count = starts.length;
        long[] h6 = iv.hi6();
        int c6 = h6.length;
        // ---- IPv4 directory: a 16-bit table, then rank-compressed nodes of 256 slots for /24s and addresses
        int[] dir4 = new int[1 << 16];
        Nodes nodes = new Nodes();
        int[] slots = new int[256];
        int k = 0; // interval containing the current /16, /24 or address
        for (int b = 0; b < (1 << 16); b++) {
            long bStart = (long) b << 16;
            while (k + 1 < count && starts[k + 1] <= bStart) {
                k++;
            }
            if (k + 1 >= count || starts[k + 1] >= bStart + 0x10000) {
                dir4[b] = ~ids[k];
                continue;
            }
            for (int s = 0; s < 256; s++) {
                long sStart = bStart + ((long) s << 8);
                while (k + 1 < count && starts[k + 1] <= sStart) {
                    k++;
                }
                if (k + 1 >= count || starts[k + 1] >= sStart + 256) {
                    slots[s] = ~ids[k];
                    continue;
                }
                // the /24's runs are the intervals that meet it (neighbouring intervals have different sets)
                int j = k + 1;
                while (j < count && starts[j] < sStart + 256) {
                    j++;
                }
                slots[s] = nodes.addRuns(starts, ids, k, j, sStart);
            }
            dir4[b] = nodes.add(slots);
        }
        // dir6[b] = last interval with start <= bucket start (b:: as 128 bits: a start with the bucket's high half
        // but a non-zero low half comes after it); the bucket's candidates are [dir6[b], dir6[b+1]]
        long[] l6 = iv.lo6();
        int[] dir6 = new int[(1 << 16) + 1];
        int q = 0;
        for (int b = 0; b < (1 << 16); b++) {
            long bStart = (long) b << 48;
            while (q + 1 < c6 && (Long.compareUnsigned(h6[q + 1], bStart) < 0
                    || h6[q + 1] == bStart && l6[q + 1] == 0)) {
                q++;
            }
            dir6[b] = q;
        }
        dir6[1 << 16] = c6 - 1;
        return new PrefixIndex(sets, dir4, nodes.nodes(), nodes.vals(), dir6, h6, l6, iv.ids6(), count);
    }

    /**
     * Sorts the first n non-negative keys: LSD radix sort, 16 bits a pass, skipping passes where every key has the
     * same digit. Simple loops that the JIT compiles at once: in a cold CLI process this is several times faster
     * than {@code Arrays.sort}, which runs interpreted for most of a one-off call.
     */
    static void radixSort(long[] a, int n) {
        long[] buf = new long[n];
        int[] count = new int[1 << 16];
        long or = 0;
        long and = -1;
        for (int i = 0; i < n; i++) {
            or |= a[i];
            and &= a[i];
        }
        long[] src = a;
        long[] dst = buf;
        for (int shift = 0; shift < 64; shift += 16) {
            if (((or ^ and) >>> shift & 0xffff) == 0) {
                continue; // every key has the same digit here
            }
            Arrays.fill(count, 0);
            for (int i = 0; i < n; i++) {
                count[(int) (src[i] >>> shift) & 0xffff]++;
            }
            int sum = 0;
            for (int d = 0; d < count.length; d++) {
                int c = count[d];
                count[d] = sum;
                sum += c;
            }
            for (int i = 0; i < n; i++) {
                long v = src[i];
                dst[count[(int) (v >>> shift) & 0xffff]++] = v;
            }
            long[] t = src;
            src = dst;
            dst = t;
        }
        if (src != a) {
            System.arraycopy(src, 0, a, 0, n);
        }
    }

    /** Rank-compressed nodes of 256 slots: only the runs of equal neighbouring values are stored. */
    private static final class Nodes {
        private long[] nodes = new long[5 * 1024];
        private int[] vals = new int[4096];
        private int count;
        private int nv;

        private void ensureRoomForOneNode() {
            if (nv > Integer.MAX_VALUE / 2 || count > Integer.MAX_VALUE / 10) {
                throw new IllegalArgumentException("too many IPv4 intervals for the index");
            }
            if ((count + 1) * 5 > nodes.length) {
                nodes = Arrays.copyOf(nodes, nodes.length * 2);
            }
            if (nv + 256 > vals.length) {
                vals = Arrays.copyOf(vals, vals.length * 2);
            }
        }

        /** Appends a node for the 256 values; returns its number. */
        int add(int[] v) {
            ensureRoomForOneNode();
            int at = count * 5;
            long counts = nv;
            int first = nv;
            for (int s = 0; s < 256; s++) {
                if ((s & 63) == 0 && s > 0) {
                    counts |= (long) (nv - first) << (32 + ((s >>> 6) << 3));
                }
                if (s == 0 || v[s] != v[s - 1]) {
                    nodes[at + (s >>> 6)] |= 1L << (s & 63);
                    vals[nv++] = v[s];
                }
            }
            nodes[at + 4] = counts;
            return count++;
        }

        /**
         * Appends a node whose runs are intervals [from, to) of a sorted, merged list, the first holding slot 0 of the
         * node at address {@code base}, the others starting inside it; returns its number.
         */
        int addRuns(long[] starts, int[] ids, int from, int to, long base) {
            ensureRoomForOneNode();
            int at = count * 5;
            int first = nv;
            nodes[at] |= 1L;
            vals[nv++] = ids[from];
            int[] before = new int[4]; // runs before each word
            for (int i = from + 1; i < to; i++) {
                int slot = (int) (starts[i] - base);
                nodes[at + (slot >>> 6)] |= 1L << (slot & 63);
                vals[nv++] = ids[i];
                for (int w = (slot >>> 6) + 1; w < 4; w++) {
                    before[w]++;
                }
            }
            long counts = first;
            for (int w = 1; w < 4; w++) {
                counts |= (long) (before[w] + 1) << (32 + (w << 3));
            }
            nodes[at + 4] = counts;
            return count++;
        }

        long[] nodes() {
            return Arrays.copyOf(nodes, count * 5);
        }

        int[] vals() {
            return Arrays.copyOf(vals, nv);
        }
    }

    /**
     * Interns the set of active tags while the sweep turns tags on and off: equal sets share one id and one
     * {@link TagSet}. The set carries a Zobrist hash (XOR of a random word per active tag) updated in O(1) per flip,
     * so interning costs a hash probe and, on a hit, one comparison, not a hash of the whole set per boundary.
     */
    private static final class SetInterner {
        private final long[] zobrist;
        private final BitSet on;
        private long hash;
        private boolean dirty = true;
        private int last;
        private long[] keys = new long[1 << 12];
        private int[] slots = new int[1 << 12]; // set id + 1; 0 = empty
        private final List<BitSet> members = new ArrayList<>();
        private final List<int[]> sets = new ArrayList<>();

        SetInterner(List<ServiceTag> tags) {
            this.on = new BitSet(tags.size());
            SplittableRandom r = new SplittableRandom(0x5e7_1d5L);
            zobrist = new long[tags.size()];
            for (int i = 0; i < zobrist.length; i++) {
                zobrist[i] = r.nextLong();
            }
            intern();
        }

        /** Turns a tag on if it is off and off if it is on. */
        void flip(int tag) {
            on.flip(tag);
            hash ^= zobrist[tag];
            dirty = true;
        }

        /** Returns the id of the current set. */
        int intern() {
            if (!dirty) {
                return last;
            }
            dirty = false;
            int mask = keys.length - 1;
            int i = (int) (hash ^ (hash >>> 29)) & mask;
            while (slots[i] != 0) {
                if (keys[i] == hash && members.get(slots[i] - 1).equals(on)) {
                    return last = slots[i] - 1;
                }
                i = (i + 1) & mask;
            }
            int id = sets.size();
            members.add((BitSet) on.clone());
            int[] m = new int[on.cardinality()];
            int j = 0;
            for (int t = on.nextSetBit(0); t >= 0; t = on.nextSetBit(t + 1)) {
                m[j++] = t;
            }
            sets.add(m);
            keys[i] = hash;
            slots[i] = id + 1;
            if (sets.size() * 2 > keys.length) {
                rehash();
            }
            return last = id;
        }

        private void rehash() {
            long[] oldKeys = keys;
            int[] oldSlots = slots;
            keys = new long[oldKeys.length * 2];
            slots = new int[oldSlots.length * 2];
            int mask = keys.length - 1;
            for (int j = 0; j < oldKeys.length; j++) {
                if (oldSlots[j] != 0) {
                    long h = oldKeys[j];
                    int i = (int) (h ^ (h >>> 29)) & mask;
                    while (slots[i] != 0) {
                        i = (i + 1) & mask;
                    }
                    keys[i] = h;
                    slots[i] = oldSlots[j];
                }
            }
        }

        int[][] members() {
            return sets.toArray(new int[0][]);
        }
    }
}
