package io.github.servicetags.benchmarks;

import io.github.servicetags.IpFamily;
import io.github.servicetags.IpPrefix;
import io.github.servicetags.ServiceTag;
import io.github.servicetags.ServiceTags;
import io.github.servicetags.TagSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The exploration behind the IPv4 index: candidate layouts of the same disjoint intervals, each answering the
 * {@link Probes} set, so their costs can be compared in one run. The intervals are recovered from the library's
 * public API (every prefix boundary, answered by {@code lookupIPv4}), and every layout is checked against the
 * library on every probe before timing.
 *
 * <ul>
 *   <li>{@code flatBinary}: one sorted array of all interval starts, branchy binary search (the textbook).
 *   <li>{@code eytzinger}: the same starts in BFS (Eytzinger) order, branch-free descent.
 *   <li>{@code dir16Bucket}: the first design: a 16-bit table, then a branchy binary search of the /16's starts.
 *   <li>{@code dir16x8Run}: the chosen design: 16-bit table, a 256-entry node per mixed /16, then a branch-free
 *       search of the (short) run of starts inside a mixed /24.
 *   <li>{@code dir16x8x8}: three full table levels (DIR-16-8-8): the fewest loads, but about 12 MB on the Public
 *       file, four times the memory budget of the whole index.
 * </ul>
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar LayoutBenchmark -f 1 -wi 3 -i 5}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class LayoutBenchmark {
    @Param("../shared/servicetags/ServiceTags_Public_376.json")
    public String data;

    private int[] probes;
    private final int[] floorTable = new java.util.SplittableRandom(Probes.SEED).ints(1 << 16, 0, Integer.MAX_VALUE)
            .toArray();
    private TagSet[] sets;
    // flat: starts biased by Integer.MIN_VALUE so that signed compare is unsigned order
    private int[] flatStarts;
    private int[] flatIds;
    // eytzinger (1-based), ids of the predecessor of each node; eyPrev[0] = id of the last interval
    private int[] eyStarts;
    private int[] eyPrev;
    // dir16 + bucket
    private int[] b16dir;
    private char[] b16last;
    private char[] b16lows;
    private int[] b16ids;
    // dir16x8 + run
    private int[] r16dir;
    private int[] r8mid;
    private byte[] r8lows;
    private int[] r8ids;
    // rank-compressed levels: per node 4 bitmap words (bit = a new run starts at this slot) and 4 running counts
    private int[] k16;
    private long[] k8bits;
    private int[] k8pre;
    private int[] k8vals;   // ~setId or leaf node
    private long[] k0bits;
    private int[] k0pre;
    private int[] k0vals;   // setId
    private int[] kFullMid; // full 256-entry mid nodes pointing to rank leaves
    // dir16x8x8
    private int[] t16;
    private int[] t8;
    private int[] t8b;

    @Setup
    public void setup() {
        Probes p = Probes.of(data);
        probes = p.v4;
        ServiceTags st = p.st;
        // recover the intervals: every boundary, answered by the library; merge equal neighbours
        List<Long> bounds = new ArrayList<>();
        bounds.add(0L);
        for (ServiceTag t : st.tags()) {
            for (IpPrefix q : t.prefixes(IpFamily.IPV4)) {
                bounds.add(q.low());
                if (q.lastLow() < 0xffffffffL) {
                    bounds.add(q.lastLow() + 1);
                }
            }
        }
        long[] b = bounds.stream().mapToLong(Long::longValue).sorted().distinct().toArray();
        Map<TagSet, Integer> id = new IdentityHashMap<>();
        List<TagSet> setList = new ArrayList<>();
        long[] starts = new long[b.length];
        int[] ids = new int[b.length];
        int n = 0;
        for (long x : b) {
            TagSet s = st.lookupIPv4((int) x);
            Integer i = id.get(s);
            if (i == null) {
                i = setList.size();
                id.put(s, i);
                setList.add(s);
            }
            if (n == 0 || ids[n - 1] != i) {
                starts[n] = x;
                ids[n++] = i;
            }
        }
        sets = setList.toArray(new TagSet[0]);
        starts = Arrays.copyOf(starts, n);
        ids = Arrays.copyOf(ids, n);

        flatStarts = new int[n];
        for (int i = 0; i < n; i++) {
            flatStarts[i] = (int) starts[i] ^ Integer.MIN_VALUE;
        }
        flatIds = ids;

        eyStarts = new int[n + 1];
        eyPrev = new int[n + 1];
        int[] pos = {0};
        eytzinger(flatStarts, ids, pos, 1, n);
        eyPrev[0] = ids[n - 1];

        buildBucket(starts, ids, n);
        buildRun(starts, ids, n);
        buildTables(starts, ids, n);
        buildRank();

        for (int ip : probes) {
            TagSet want = st.lookupIPv4(ip);
            check("flatBinary", ip, want, flatBinary(ip));
            check("eytzinger", ip, want, eytzinger(ip));
            check("dir16Bucket", ip, want, dir16Bucket(ip));
            check("dir16x8Run", ip, want, dir16x8Run(ip));
            check("dir16x8x8", ip, want, dir16x8x8(ip));
            check("rank16x8x8", ip, want, rank16x8x8(ip));
            check("dir16x8Rank8", ip, want, dir16x8Rank8(ip));
        }
    }

    private static void check(String who, int ip, TagSet want, TagSet got) {
        if (want != got) {
            throw new IllegalStateException(who + " disagrees on " + Integer.toUnsignedString(ip) + ": " + want
                    + " vs " + got);
        }
    }

    private void eytzinger(int[] sorted, int[] ids, int[] pos, int k, int n) {
        if (k <= n) {
            eytzinger(sorted, ids, pos, 2 * k, n);
            eyStarts[k] = sorted[pos[0]];
            eyPrev[k] = pos[0] == 0 ? ids[0] : ids[pos[0] - 1];
            pos[0]++;
            eytzinger(sorted, ids, pos, 2 * k + 1, n);
        }
    }

    private void buildBucket(long[] starts, int[] ids, int count) {
        b16dir = new int[1 << 16];
        b16last = new char[1 << 16];
        b16lows = new char[count + (1 << 16)];
        b16ids = new int[count + (1 << 16)];
        int off = 0;
        int k = 0;
        for (int b = 0; b < (1 << 16); b++) {
            long bStart = (long) b << 16;
            long bEnd = bStart + 0x10000;
            while (k + 1 < count && starts[k + 1] <= bStart) {
                k++;
            }
            if (k + 1 >= count || starts[k + 1] >= bEnd) {
                b16dir[b] = ~ids[k];
                continue;
            }
            b16dir[b] = off;
            int j = k;
            b16lows[off] = 0;
            b16ids[off] = ids[j];
            int m = 1;
            while (j + 1 < count && starts[j + 1] < bEnd) {
                j++;
                b16lows[off + m] = (char) (starts[j] & 0xffff);
                b16ids[off + m] = ids[j];
                m++;
            }
            b16last[b] = (char) (m - 1);
            off += m;
        }
    }

    private void buildRun(long[] starts, int[] ids, int count) {
        r16dir = new int[1 << 16];
        int[] mid = new int[256 * 1024];
        byte[] lows = new byte[count + 256];
        int[] rids = new int[count + 256];
        int nodes = 0;
        int off = 0;
        int k = 0;
        for (int b = 0; b < (1 << 16); b++) {
            long bStart = (long) b << 16;
            while (k + 1 < count && starts[k + 1] <= bStart) {
                k++;
            }
            if (k + 1 >= count || starts[k + 1] >= bStart + 0x10000) {
                r16dir[b] = ~ids[k];
                continue;
            }
            if ((nodes + 1) * 256 > mid.length) {
                mid = Arrays.copyOf(mid, mid.length * 2);
            }
            r16dir[b] = nodes;
            for (int s = 0; s < 256; s++) {
                long sStart = bStart + ((long) s << 8);
                long sEnd = sStart + 256;
                while (k + 1 < count && starts[k + 1] <= sStart) {
                    k++;
                }
                int slot = nodes * 256 + s;
                if (k + 1 >= count || starts[k + 1] >= sEnd) {
                    mid[slot] = ~ids[k];
                    continue;
                }
                if (off + 256 > lows.length) {
                    lows = Arrays.copyOf(lows, lows.length * 2);
                    rids = Arrays.copyOf(rids, rids.length * 2);
                }
                int j = k;
                lows[off] = 0;
                rids[off] = ids[j];
                int m = 1;
                while (j + 1 < count && starts[j + 1] < sEnd) {
                    j++;
                    lows[off + m] = (byte) starts[j];
                    rids[off + m] = ids[j];
                    m++;
                }
                mid[slot] = (off << 8) | (m - 1);
                off += m;
            }
            nodes++;
        }
        r8mid = Arrays.copyOf(mid, nodes * 256);
        r8lows = Arrays.copyOf(lows, off);
        r8ids = Arrays.copyOf(rids, off);
    }

    private void buildTables(long[] starts, int[] ids, int count) {
        t16 = new int[1 << 16];
        int[] mid = new int[256 * 1024];
        int[] leaf = new int[256 * 1024];
        int nodes = 0;
        int leaves = 0;
        int k = 0;
        for (int b = 0; b < (1 << 16); b++) {
            long bStart = (long) b << 16;
            while (k + 1 < count && starts[k + 1] <= bStart) {
                k++;
            }
            if (k + 1 >= count || starts[k + 1] >= bStart + 0x10000) {
                t16[b] = ~ids[k];
                continue;
            }
            if ((nodes + 1) * 256 > mid.length) {
                mid = Arrays.copyOf(mid, mid.length * 2);
            }
            t16[b] = nodes;
            for (int s = 0; s < 256; s++) {
                long sStart = bStart + ((long) s << 8);
                while (k + 1 < count && starts[k + 1] <= sStart) {
                    k++;
                }
                int slot = nodes * 256 + s;
                if (k + 1 >= count || starts[k + 1] >= sStart + 256) {
                    mid[slot] = ~ids[k];
                    continue;
                }
                if ((leaves + 1) * 256 > leaf.length) {
                    leaf = Arrays.copyOf(leaf, leaf.length * 2);
                }
                mid[slot] = leaves;
                for (int a = 0; a < 256; a++) {
                    while (k + 1 < count && starts[k + 1] <= sStart + a) {
                        k++;
                    }
                    leaf[leaves * 256 + a] = ids[k];
                }
                leaves++;
            }
            nodes++;
        }
        t8 = Arrays.copyOf(mid, nodes * 256);
        t8b = Arrays.copyOf(leaf, leaves * 256);
    }

    /** Rank-compresses the DIR-16-8-8 tables: a node of 256 slots keeps only its runs of equal values. */
    private void buildRank() {
        k16 = t16;
        int mids = t8.length / 256;
        int leaves = t8b.length / 256;
        long[][] bits = new long[2][];
        int[][] pre = new int[2][];
        int[][] vals = new int[2][];
        for (int level = 0; level < 2; level++) {
            int[] table = level == 0 ? t8 : t8b;
            int nodes = level == 0 ? mids : leaves;
            long[] b = new long[nodes * 4];
            int[] pr = new int[nodes * 4];
            int[] v = new int[table.length];
            int nv = 0;
            for (int node = 0; node < nodes; node++) {
                for (int slot = 0; slot < 256; slot++) {
                    int val = table[node * 256 + slot];
                    if ((slot & 63) == 0) {
                        pr[node * 4 + (slot >>> 6)] = nv;
                    }
                    if (slot == 0 || val != table[node * 256 + slot - 1]) {
                        b[node * 4 + (slot >>> 6)] |= 1L << (slot & 63);
                        v[nv++] = val;
                    }
                }
            }
            bits[level] = b;
            pre[level] = pr;
            vals[level] = Arrays.copyOf(v, nv);
        }
        k8bits = bits[0];
        k8pre = pre[0];
        k8vals = vals[0];
        k0bits = bits[1];
        k0pre = pre[1];
        k0vals = vals[1];
        kFullMid = t8;
    }

    /** Value index of slot s (0..255) in node i: the running count before its word plus the bits up to s. */
    private static int rank(long[] bits, int[] pre, int i, int s) {
        int w = (i << 2) | (s >>> 6);
        return pre[w] + Long.bitCount(bits[w] << (63 - (s & 63))) - 1;
    }

    TagSet rank16x8x8(int ip) {
        int d = k16[ip >>> 16];
        if (d < 0) {
            return sets[~d];
        }
        int m = k8vals[rank(k8bits, k8pre, d, (ip >>> 8) & 0xff)];
        if (m < 0) {
            return sets[~m];
        }
        return sets[k0vals[rank(k0bits, k0pre, m, ip & 0xff)]];
    }

    TagSet dir16x8Rank8(int ip) {
        int d = k16[ip >>> 16];
        if (d < 0) {
            return sets[~d];
        }
        int m = kFullMid[(d << 8) | ((ip >>> 8) & 0xff)];
        if (m < 0) {
            return sets[~m];
        }
        return sets[k0vals[rank(k0bits, k0pre, m, ip & 0xff)]];
    }

    /** DIR-16 + rank-compressed /24 and /32 levels (poptrie-style). */
    @Benchmark
    @OperationsPerInvocation(Probes.COUNT)
    public void rank16x8x8(Blackhole bh) {
        for (int ip : probes) {
            bh.consume(rank16x8x8(ip));
        }
    }

    /** DIR-16 + full /24 nodes + rank-compressed /32 leaves. */
    @Benchmark
    @OperationsPerInvocation(Probes.COUNT)
    public void dir16x8Rank8(Blackhole bh) {
        for (int ip : probes) {
            bh.consume(dir16x8Rank8(ip));
        }
    }

    /** Latency of rank16x8x8. */
    @Benchmark
    @OperationsPerInvocation(Probes.COUNT)
    public int rank16x8x8Chained() {
        int dep = 0;
        for (int ip : probes) {
            dep = System.identityHashCode(rank16x8x8(ip ^ dep)) >>> 31;
        }
        return dep;
    }

    /** Latency of dir16x8Rank8. */
    @Benchmark
    @OperationsPerInvocation(Probes.COUNT)
    public int dir16x8Rank8Chained() {
        int dep = 0;
        for (int ip : probes) {
            dep = System.identityHashCode(dir16x8Rank8(ip ^ dep)) >>> 31;
        }
        return dep;
    }

    /** Latency of the floor, in this run. */
    @Benchmark
    @OperationsPerInvocation(Probes.COUNT)
    public int floorChained() {
        int[] f = floorTable;
        int dep = 0;
        for (int ip : probes) {
            dep = f[(ip ^ dep) >>> 16] >>> 31;
        }
        return dep;
    }

    /** The floor, in this run. */
    @Benchmark
    @OperationsPerInvocation(Probes.COUNT)
    public void floor(Blackhole bh) {
        int[] f = floorTable;
        for (int ip : probes) {
            bh.consume(f[ip >>> 16]);
        }
    }

    TagSet flatBinary(int ip) {
        int x = ip ^ Integer.MIN_VALUE;
        int[] a = flatStarts;
        int lo = 0;
        int hi = a.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (a[mid] <= x) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return sets[flatIds[lo]];
    }

    TagSet eytzinger(int ip) {
        int x = ip ^ Integer.MIN_VALUE;
        int[] e = eyStarts;
        int n = e.length - 1;
        int k = 1;
        while (k <= n) {
            k = 2 * k + (e[k] <= x ? 1 : 0);
        }
        k >>>= Integer.numberOfTrailingZeros(~k) + 1; // first start > x, or 0 when none
        return sets[eyPrev[k]];
    }

    TagSet dir16Bucket(int ip) {
        int d = b16dir[ip >>> 16];
        if (d < 0) {
            return sets[~d];
        }
        int x = ip & 0xffff;
        int lo = d;
        int hi = d + b16last[ip >>> 16];
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (b16lows[mid] <= x) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return sets[b16ids[lo]];
    }

    TagSet dir16x8Run(int ip) {
        int d = r16dir[ip >>> 16];
        if (d < 0) {
            return sets[~d];
        }
        int m = r8mid[(d << 8) | ((ip >>> 8) & 0xff)];
        if (m < 0) {
            return sets[~m];
        }
        int x = ip & 0xff;
        int base = m >>> 8;
        int n = (m & 0xff) + 1;
        byte[] lows = r8lows;
        while (n > 1) {
            int half = n >>> 1;
            base = (lows[base + half] & 0xff) <= x ? base + half : base;
            n -= half;
        }
        return sets[r8ids[base]];
    }

    TagSet dir16x8x8(int ip) {
        int d = t16[ip >>> 16];
        if (d < 0) {
            return sets[~d];
        }
        int m = t8[(d << 8) | ((ip >>> 8) & 0xff)];
        if (m < 0) {
            return sets[~m];
        }
        return sets[t8b[(m << 8) | (ip & 0xff)]];
    }

    /** Textbook binary search over all starts. */
    @Benchmark
    @OperationsPerInvocation(Probes.COUNT)
    public void flatBinary(Blackhole bh) {
        for (int ip : probes) {
            bh.consume(flatBinary(ip));
        }
    }

    /** Eytzinger order, branch-free descent. */
    @Benchmark
    @OperationsPerInvocation(Probes.COUNT)
    public void eytzinger(Blackhole bh) {
        for (int ip : probes) {
            bh.consume(eytzinger(ip));
        }
    }

    /** DIR-16 + branchy search of the /16 bucket (the first design). */
    @Benchmark
    @OperationsPerInvocation(Probes.COUNT)
    public void dir16Bucket(Blackhole bh) {
        for (int ip : probes) {
            bh.consume(dir16Bucket(ip));
        }
    }

    /** DIR-16-8 + branch-free search of the /24 run (the chosen design). */
    @Benchmark
    @OperationsPerInvocation(Probes.COUNT)
    public void dir16x8Run(Blackhole bh) {
        for (int ip : probes) {
            bh.consume(dir16x8Run(ip));
        }
    }

    /** DIR-16-8-8: three table loads at most. */
    @Benchmark
    @OperationsPerInvocation(Probes.COUNT)
    public void dir16x8x8(Blackhole bh) {
        for (int ip : probes) {
            bh.consume(dir16x8x8(ip));
        }
    }

    /** Latency of the chosen design (compare with {@code LookupBenchmark.arrayFloorIpv4Chained}). */
    @Benchmark
    @OperationsPerInvocation(Probes.COUNT)
    public int dir16x8RunChained() {
        int dep = 0;
        for (int ip : probes) {
            dep = System.identityHashCode(dir16x8Run(ip ^ dep)) >>> 31;
        }
        return dep;
    }

    /** Latency of DIR-16-8-8. */
    @Benchmark
    @OperationsPerInvocation(Probes.COUNT)
    public int dir16x8x8Chained() {
        int dep = 0;
        for (int ip : probes) {
            dep = System.identityHashCode(dir16x8x8(ip ^ dep)) >>> 31;
        }
        return dep;
    }

    /** Latency of the first design. */
    @Benchmark
    @OperationsPerInvocation(Probes.COUNT)
    public int dir16BucketChained() {
        int dep = 0;
        for (int ip : probes) {
            dep = System.identityHashCode(dir16Bucket(ip ^ dep)) >>> 31;
        }
        return dep;
    }
}
