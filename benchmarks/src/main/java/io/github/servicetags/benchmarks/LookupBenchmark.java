package io.github.servicetags.benchmarks;

import com.google.common.net.InetAddresses;
import com.maxmind.db.CHMCache;
import com.maxmind.db.Reader;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv4.IPv4AddressAssociativeTrie;
import inet.ipaddr.ipv4.IPv4AddressAssociativeTrie.IPv4AssociativeTrieNode;
import inet.ipaddr.ipv6.IPv6Address;
import inet.ipaddr.ipv6.IPv6AddressAssociativeTrie;
import inet.ipaddr.ipv6.IPv6AddressAssociativeTrie.IPv6AssociativeTrieNode;
import io.github.servicetags.Exports;
import io.github.servicetags.IpFamily;
import io.github.servicetags.IpPrefix;
import io.github.servicetags.ServiceTag;
import io.github.servicetags.ServiceTags;
import io.github.servicetags.TagSet;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
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
 * IP to tags: servicetags against what users would use instead, all over the same fixed probe set ({@link Probes}:
 * 4,096 addresses per family, half inside prefixes including their first and last address, half random). Scores are
 * nanoseconds per lookup: each method loops over the probe set and JMH divides by {@link Probes#COUNT}.
 *
 * <p>Competitors, all built from the same file: the IPAddress associative trie (every containing prefix collected),
 * a naive linear scan over all (network, mask) pairs, MaxMind's DB reader over the {@code export --format mmdb} file
 * of the same data (without and with its {@code CHMCache}), Guava's and IPAddress's text parsers (beside our parse
 * + lookup), and the floor: one {@code int[65536]} load indexed by the top 16 bits, the least any lookup must do.
 * The {@code *Chained} pair feeds each answer into the next probe so lookups cannot overlap: latency, not throughput.
 *
 * <p>Before anything is timed, {@link #setup()} checks that every competitor gives our answer on every probe, and
 * throws (aborting the run) on the first disagreement. The floor is exempt: it is not a lookup.
 *
 * <p>Run (after {@code mvn install -DskipTests} at the root and {@code mvn -f benchmarks/pom.xml package}):
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar LookupBenchmark -p data=../shared/servicetags/ServiceTags_Public_376.json
 * java -jar benchmarks/target/benchmarks.jar LookupBenchmark -prof gc          # B/op of every path
 * java -jar benchmarks/target/benchmarks.jar 'LookupBenchmark.servicetags.*' -f 1 -wi 2 -i 3 -w 1s -r 1s   # quick
 * </pre>
 * Run from the repository root: the default {@code data}, {@code ../shared/servicetags/ServiceTags_Public_376.json},
 * is relative to the working directory.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
public class LookupBenchmark {
    @Param("../shared/servicetags/ServiceTags_Public_376.json")
    public String data;

    private ServiceTags st;
    private int[] v4;
    private String[] v4Text;
    private long[] v6High;
    private long[] v6Low;

    private IPv4Address[] v4Addresses;
    private IPv6Address[] v6Addresses;
    private IPv4AddressAssociativeTrie<List<String>> trie4;
    private IPv6AddressAssociativeTrie<List<String>> trie6;

    private int[] scanNet;
    private int[] scanMask;
    private int[] scanTag;
    private int[] scanOut;

    private int[] floor;

    private InetAddress[] v4Inet;
    private Reader maxmind;
    private Reader maxmindCached;

    @Setup
    public void setup() throws Exception {
        Probes p = Probes.of(data);
        st = p.st;
        v4 = p.v4;
        v4Text = p.v4Text;
        v6High = p.v6High;
        v6Low = p.v6Low;

        trie4 = new IPv4AddressAssociativeTrie<>();
        trie6 = new IPv6AddressAssociativeTrie<>();
        List<ServiceTag> tags = st.tags();
        int n4 = 0;
        for (ServiceTag t : tags) {
            for (IpPrefix q : t.prefixes()) {
                if (q.family() == IpFamily.IPV4) {
                    n4++;
                    trie4.remap(new IPv4Address(q.ipv4(), q.length()).toPrefixBlock(), old -> add(old, t.name()));
                } else {
                    IPv6Address a = new IPv6Address(bytes(q.high(), q.low()), q.length()).toPrefixBlock();
                    trie6.remap(a, old -> add(old, t.name()));
                }
            }
        }
        scanNet = new int[n4];
        scanMask = new int[n4];
        scanTag = new int[n4];
        scanOut = new int[n4];
        int k = 0;
        for (int id = 0; id < tags.size(); id++) {
            for (IpPrefix q : tags.get(id).prefixes(IpFamily.IPV4)) {
                scanNet[k] = q.ipv4();
                scanMask[k] = q.length() == 0 ? 0 : -1 << (32 - q.length());
                scanTag[k++] = id;
            }
        }
        v4Addresses = new IPv4Address[v4.length];
        v6Addresses = new IPv6Address[v6High.length];
        for (int i = 0; i < v4.length; i++) {
            v4Addresses[i] = new IPv4Address(v4[i]);
            v6Addresses[i] = new IPv6Address(bytes(v6High[i], v6Low[i]));
        }
        // MaxMind's reader over the MaxMind DB export of the same data, memory-mapped from a file as a user opens it
        Path mmdb = Files.createTempFile("servicetags-bench", ".mmdb");
        mmdb.toFile().deleteOnExit();
        Exports.write(st, Exports.Format.MMDB, mmdb);
        maxmind = new Reader(mmdb.toFile());
        maxmindCached = new Reader(mmdb.toFile(), new CHMCache());
        v4Inet = new InetAddress[v4.length];
        for (int i = 0; i < v4.length; i++) {
            v4Inet[i] = InetAddress.getByAddress(ByteBuffer.allocate(4).putInt(v4[i]).array());
        }
        floor = new int[1 << 16];
        SplittableRandom r = new SplittableRandom(Probes.SEED);
        for (int i = 0; i < floor.length; i++) {
            floor[i] = r.nextInt() >>> 1; // non-negative: the chained variant relies on it
        }
        verify();
    }

    private static List<String> add(List<String> old, String name) {
        List<String> l = old == null ? new ArrayList<>(2) : old;
        l.add(name);
        return l;
    }

    private static byte[] bytes(long high, long low) {
        return ByteBuffer.allocate(16).putLong(high).putLong(low).array();
    }

    /** Every competitor against our answer on every probe; throws on the first disagreement. */
    private void verify() throws Exception {
        List<ServiceTag> tags = st.tags();
        for (int i = 0; i < v4.length; i++) {
            int ip = v4[i];
            TagSet ours = st.lookupIPv4(ip);
            String what = v4Text[i];
            check(what, "servicetagsIpv4String", ours, st.lookup(v4Text[i]));
            check(what, "servicetagsIpv4 via InetAddress", ours, st.lookup(InetAddress.getByAddress(
                    ByteBuffer.allocate(4).putInt(ip).array())));
            TreeSet<String> trie = new TreeSet<>();
            for (IPv4AssociativeTrieNode<List<String>> n = trie4.elementsContaining(v4Addresses[i]); n != null;
                    n = n.getLowerSubNode() != null ? n.getLowerSubNode() : n.getUpperSubNode()) {
                if (n.isAdded()) {
                    trie.addAll(n.getValue());
                }
            }
            check(what, "ipaddressTrieIpv4", ours.names(), trie);
            int found = scan(ip);
            TreeSet<String> scan = new TreeSet<>();
            for (int j = 0; j < found; j++) {
                scan.add(tags.get(scanOut[j]).name());
            }
            check(what, "linearScanIpv4", ours.names(), scan);
            check(what, "maxmindReaderIpv4", List.copyOf(ours.names()), maxmindTags(maxmind, v4Inet[i]));
            check(what, "maxmindReaderCachedIpv4", List.copyOf(ours.names()),
                    maxmindTags(maxmindCached, v4Inet[i]));
            int guava = ByteBuffer.wrap(InetAddresses.forString(v4Text[i]).getAddress()).getInt();
            check(what, "guavaParseIpv4", ip, guava);
            check(what, "ipaddressParseIpv4", ip, new IPAddressString(v4Text[i]).getAddress().toIPv4().intValue());
        }
        for (int i = 0; i < v6High.length; i++) {
            TagSet ours = st.lookupIPv6(v6High[i], v6Low[i]);
            String what = v6Addresses[i].toCanonicalString();
            check(what, "servicetags lookup(String) for IPv6", ours, st.lookup(what));
            TreeSet<String> trie = new TreeSet<>();
            for (IPv6AssociativeTrieNode<List<String>> n = trie6.elementsContaining(v6Addresses[i]); n != null;
                    n = n.getLowerSubNode() != null ? n.getLowerSubNode() : n.getUpperSubNode()) {
                if (n.isAdded()) {
                    trie.addAll(n.getValue());
                }
            }
            check(what, "ipaddressTrieIpv6", ours.names(), trie);
        }
    }

    /** The record's {@code service_tags} as a user of MaxMind's reader gets them (empty for "no record"). */
    private static Object maxmindTags(Reader reader, InetAddress ip) throws java.io.IOException {
        Map<?, ?> record = reader.get(ip, Map.class);
        return record == null ? List.of() : record.get("service_tags");
    }

    private static void check(String probe, String who, Object expected, Object actual) {
        if (!expected.equals(actual)) {
            throw new IllegalStateException(who + " disagrees with ServiceTags on " + probe + ": expected "
                    + expected + ", got " + actual);
        }
    }

    private int scan(int ip) {
        int[] net = scanNet;
        int[] mask = scanMask;
        int[] out = scanOut;
        int n = 0;
        for (int j = 0; j < net.length; j++) {
            if ((ip & mask[j]) == net[j]) {
                out[n++] = scanTag[j];
            }
        }
        return n;
    }

    /** Pre-parsed IPv4 ({@code lookupIPv4(int)}), lookups free to overlap. */
    @Benchmark
    @OperationsPerInvocation(Probes.COUNT)
    public void servicetagsIpv4(Blackhole bh) {
        ServiceTags s = st;
        for (int ip : v4) {
            bh.consume(s.lookupIPv4(ip));
        }
    }

    /** Strict parse of dotted-quad text plus lookup ({@code lookup(String)}). */
    @Benchmark
    @OperationsPerInvocation(Probes.COUNT)
    public void servicetagsIpv4String(Blackhole bh) {
        ServiceTags s = st;
        for (String ip : v4Text) {
            bh.consume(s.lookup(ip));
        }
    }

    /** Pre-parsed IPv6 ({@code lookupIPv6(long, long)}). */
    @Benchmark
    @OperationsPerInvocation(Probes.COUNT)
    public void servicetagsIpv6(Blackhole bh) {
        ServiceTags s = st;
        long[] hi = v6High;
        long[] lo = v6Low;
        for (int i = 0; i < hi.length; i++) {
            bh.consume(s.lookupIPv6(hi[i], lo[i]));
        }
    }

    /** The IPAddress associative trie, collecting the values of every containing prefix. */
    @Benchmark
    @OperationsPerInvocation(Probes.COUNT)
    public void ipaddressTrieIpv4(Blackhole bh) {
        for (IPv4Address a : v4Addresses) {
            for (IPv4AssociativeTrieNode<List<String>> n = trie4.elementsContaining(a); n != null;
                    n = n.getLowerSubNode() != null ? n.getLowerSubNode() : n.getUpperSubNode()) {
                if (n.isAdded()) {
                    bh.consume(n.getValue());
                }
            }
        }
    }

    /** The IPAddress associative trie over IPv6, collecting the values of every containing prefix. */
    @Benchmark
    @OperationsPerInvocation(Probes.COUNT)
    public void ipaddressTrieIpv6(Blackhole bh) {
        for (IPv6Address a : v6Addresses) {
            for (IPv6AssociativeTrieNode<List<String>> n = trie6.elementsContaining(a); n != null;
                    n = n.getLowerSubNode() != null ? n.getLowerSubNode() : n.getUpperSubNode()) {
                if (n.isAdded()) {
                    bh.consume(n.getValue());
                }
            }
        }
    }

    /** The naive way: test every (network, mask) pair of the file. */
    @Benchmark
    @OperationsPerInvocation(Probes.COUNT)
    public void linearScanIpv4(Blackhole bh) {
        int[] out = scanOut;
        for (int ip : v4) {
            int n = scan(ip);
            bh.consume(n);
            bh.consume(out);
        }
    }

    /**
     * MaxMind's reader ({@code com.maxmind.db.Reader}, memory-mapped, no cache: its default) over the
     * {@code export --format mmdb} file of the same data, decoding the record and taking its {@code service_tags}.
     */
    @Benchmark
    @OperationsPerInvocation(Probes.COUNT)
    public void maxmindReaderIpv4(Blackhole bh) throws java.io.IOException {
        maxmindLookups(maxmind, bh);
    }

    /** {@link #maxmindReaderIpv4} with the reader's {@code CHMCache} of decoded records (its fastest setup). */
    @Benchmark
    @OperationsPerInvocation(Probes.COUNT)
    public void maxmindReaderCachedIpv4(Blackhole bh) throws java.io.IOException {
        maxmindLookups(maxmindCached, bh);
    }

    private void maxmindLookups(Reader r, Blackhole bh) throws java.io.IOException {
        for (InetAddress ip : v4Inet) {
            Map<?, ?> record = r.get(ip, Map.class);
            bh.consume(record == null ? null : record.get("service_tags"));
        }
    }

    /** The floor: one {@code int[65536]} load indexed by the top 16 bits; no lookup can do less. */
    @Benchmark
    @OperationsPerInvocation(Probes.COUNT)
    public void arrayFloorIpv4(Blackhole bh) {
        int[] f = floor;
        for (int ip : v4) {
            bh.consume(f[ip >>> 16]);
        }
    }

    /** Guava's {@code InetAddresses.forString} alone, to compare with {@link #servicetagsIpv4String}. */
    @Benchmark
    @OperationsPerInvocation(Probes.COUNT)
    public void guavaParseIpv4(Blackhole bh) {
        for (String ip : v4Text) {
            bh.consume(InetAddresses.forString(ip));
        }
    }

    /** IPAddress's {@code new IPAddressString(s).getAddress()} alone. */
    @Benchmark
    @OperationsPerInvocation(Probes.COUNT)
    public void ipaddressParseIpv4(Blackhole bh) {
        for (String ip : v4Text) {
            bh.consume(new IPAddressString(ip).getAddress());
        }
    }

    /**
     * Latency: each probe is XORed with a bit of the previous answer's identity hash (always 0, which the JIT cannot
     * know), so each lookup waits for the one before.
     */
    @Benchmark
    @OperationsPerInvocation(Probes.COUNT)
    public int servicetagsIpv4Chained() {
        ServiceTags s = st;
        int dep = 0;
        for (int ip : v4) {
            TagSet t = s.lookupIPv4(ip ^ dep);
            dep = System.identityHashCode(t) >>> 31;
        }
        return dep;
    }

    /** Latency of the floor: each probe is XORed with the sign bit of the previous load (always 0). */
    @Benchmark
    @OperationsPerInvocation(Probes.COUNT)
    public int arrayFloorIpv4Chained() {
        int[] f = floor;
        int dep = 0;
        for (int ip : v4) {
            dep = f[(ip ^ dep) >>> 16] >>> 31;
        }
        return dep;
    }
    /**
     * Range probes for {@link #servicetagsRangeIpv4}: {@link Probes#COUNT} prefixes of one length, the /L parents of
     * prefixes of the file (drawn with a fixed seed from its IPv4 prefixes of length L or longer). Only that
     * benchmark uses this state, so only it runs once per length.
     */
    @State(Scope.Benchmark)
    public static class Ranges {
        @Param({"24", "20", "16"})
        public int length;

        IpPrefix[] prefixes;

        @Setup
        public void setup(LookupBenchmark b) {
            List<IpPrefix> pool = new ArrayList<>();
            for (ServiceTag t : b.st.tags()) {
                for (IpPrefix q : t.prefixes(IpFamily.IPV4)) {
                    if (q.length() >= length) {
                        long mask = length == 0 ? 0 : (0xffffffffL << (32 - length)) & 0xffffffffL;
                        pool.add(IpPrefix.ofIPv4((int) (q.low() & mask), length));
                    }
                }
            }
            SplittableRandom r = new SplittableRandom(Probes.SEED);
            prefixes = new IpPrefix[Probes.COUNT];
            for (int i = 0; i < prefixes.length; i++) {
                prefixes[i] = pool.get(r.nextInt(pool.size()));
            }
            // the answer against the definition, on every distinct probe: the tags that hold every address of it
            // are the intersection of the address lookups of all its addresses
            for (IpPrefix q : new TreeSet<>(List.of(prefixes))) {
                TreeSet<String> all = null;
                for (long a = q.low(); a <= q.lastLow(); a++) {
                    TagSet s = b.st.lookupIPv4((int) a);
                    if (all == null) {
                        all = new TreeSet<>(s.names());
                    } else {
                        all.retainAll(s.names());
                    }
                }
                check(q.toString(), "servicetagsRangeIpv4", all, b.st.lookup(q).names());
            }
        }
    }

    /**
     * Tags containing every address of a prefix ({@code lookup(IpPrefix)}) for the /24, /20 and /16 probes of
     * {@link Ranges}; compare with {@link #servicetagsIpv4} (one address) in the same run. With {@code -prof gc}:
     * 0 B/op when every answer is an interned set (always for /16 and /24).
     * <pre>
     * java -jar benchmarks/target/benchmarks.jar 'LookupBenchmark.servicetags(Ipv4|RangeIpv4)$' -prof gc
     * </pre>
     */
    @Benchmark
    @OperationsPerInvocation(Probes.COUNT)
    public void servicetagsRangeIpv4(Ranges ranges, Blackhole bh) {
        ServiceTags s = st;
        for (IpPrefix q : ranges.prefixes) {
            bh.consume(s.lookup(q));
        }
    }
}
