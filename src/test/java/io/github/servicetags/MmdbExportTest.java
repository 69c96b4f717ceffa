package io.github.servicetags;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.maxmind.db.DatabaseRecord;
import com.maxmind.db.Metadata;
import com.maxmind.db.Networks;
import com.maxmind.db.Reader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The MaxMind DB export judged by two independent readers, MaxMind's Java reader ({@code com.maxmind.db}) and
 * libmaxminddb's {@code mmdblookup}, against {@link ServiceTags#lookup}: on the real files, and on a small file of
 * edge prefixes (the ends of both address spaces, IPv6 data under the IPv4 aliases).
 */
class MmdbExportTest {
    @TempDir
    Path dir;

    static List<String> files() {
        return RealData.FILES;
    }

    /** The MaxMind DB export of the data, written to a file as the command writes it. */
    Path exported(ServiceTags st) throws IOException {
        Path mmdb = dir.resolve("st.mmdb");
        Exports.write(st, Exports.Format.MMDB, mmdb);
        return mmdb;
    }

    /** A probe: the address as the reader takes it, and the answer expected from the index. */
    record Probe(InetAddress address, TagSet expected) {}

    @ParameterizedTest
    @MethodSource("files")
    void javaReaderAgreesWithLookupOnEveryProbe(String name) throws IOException {
        ServiceTags st = RealData.load(name);
        Path mmdb = exported(st);
        List<Probe> probes = probes(st, 0x5eedL + name.hashCode());
        assertTrue(probes.size() >= 200_000, "probes: " + probes.size());
        int none = 0;
        int ipv6 = 0;
        int mapped = 0;
        try (Reader reader = new Reader(mmdb.toFile())) {
            for (Probe p : probes) {
                Map<?, ?> record = reader.get(p.address(), Map.class);
                assertRecord(p, record);
                none += p.expected().isEmpty() ? 1 : 0;
                if (p.address() instanceof Inet6Address a) {
                    ipv6 += p.expected().isEmpty() ? 0 : 1;
                    mapped += isMapped(a.getAddress()) && !p.expected().isEmpty() ? 1 : 0;
                }
            }
        }
        // the comparison covered all kinds of answers, not only one
        assertTrue(none > 10_000, "probes in no tag: " + none);
        assertTrue(ipv6 > 10_000, "IPv6 probes with tags: " + ipv6);
        assertTrue(mapped > 1_000, "IPv4-mapped probes with tags: " + mapped);
    }

    static void assertRecord(Probe p, Map<?, ?> record) {
        TagSet want = p.expected();
        if (want.isEmpty()) {
            assertNull(record, () -> p.address() + ": expected no record, got " + record);
            return;
        }
        if (record == null) {
            fail(p.address() + ": no record, expected " + want);
        }
        assertEquals(Map.of("service_tags", List.copyOf(want.names()),
                "service_tags_text", String.join(",", want.names()), "regions", regions(want),
                "system_services", services(want)), record, () -> p.address().toString());
    }

    /** The distinct non-empty regions of the set's tags, sorted. */
    static List<String> regions(TagSet s) {
        return List.copyOf(new TreeSet<>(s.tags().stream().map(ServiceTag::region).filter(r -> !r.isEmpty())
                .toList()));
    }

    /** The distinct non-empty system services of the set's tags, sorted. */
    static List<String> services(TagSet s) {
        return List.copyOf(new TreeSet<>(s.tags().stream().map(ServiceTag::systemService).filter(r -> !r.isEmpty())
                .toList()));
    }

    /**
     * Both ends of every prefix of the file and the addresses just outside them, random IPv4 and IPv6 addresses
     * (anywhere, and inside the file's IPv6 prefixes), IPv4-mapped forms and IPv4-compatible {@code ::a.b.c.d}.
     */
    static List<Probe> probes(ServiceTags st, long seed) throws UnknownHostException {
        List<Probe> out = new ArrayList<>();
        Set<IpPrefix> seen = new HashSet<>();
        List<IpPrefix> v6 = new ArrayList<>();
        for (ServiceTag t : st.tags()) {
            for (IpPrefix p : t.prefixes()) {
                if (!seen.add(p)) {
                    continue;
                }
                if (p.family() == IpFamily.IPV4) {
                    long first = p.low();
                    long last = p.lastLow();
                    for (long a : new long[] {first, last, first - 1, last + 1}) {
                        if (a >= 0 && a <= 0xffffffffL) {
                            out.add(v4(st, (int) a));
                        }
                    }
                    out.add(mapped(st, (int) first));
                    out.add(mapped(st, (int) last));
                } else {
                    v6.add(p);
                    out.add(v6(st, p.high(), p.low()));
                    out.add(v6(st, p.lastHigh(), p.lastLow()));
                    if (p.low() != 0 || p.high() != 0) {
                        out.add(v6(st, p.low() == 0 ? p.high() - 1 : p.high(), p.low() - 1));
                    }
                    if (p.lastLow() != -1L || p.lastHigh() != -1L) {
                        out.add(v6(st, p.lastLow() == -1L ? p.lastHigh() + 1 : p.lastHigh(), p.lastLow() + 1));
                    }
                }
            }
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 40_000; i++) {
            int a = r.nextInt();
            out.add(v4(st, a));
            if (i % 2 == 0) {
                out.add(mapped(st, a));
            }
        }
        for (int i = 0; i < 20_000; i++) {
            out.add(v6(st, r.nextLong(), r.nextLong()));
            IpPrefix p = v6.get(r.nextInt(v6.size()));
            long h = p.high() | (r.nextLong() & (p.lastHigh() ^ p.high()));
            long l = p.low() | (r.nextLong() & (p.lastLow() ^ p.low()));
            out.add(v6(st, h, l));
        }
        for (int i = 0; i < 2_000; i++) {
            out.add(v6(st, 0, r.nextInt() & 0xffffffffL)); // ::a.b.c.d reads the IPv4 tree (the format's rule)
        }
        return out;
    }

    static Probe v4(ServiceTags st, int a) throws UnknownHostException {
        byte[] b = {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a};
        return new Probe(InetAddress.getByAddress(b), st.lookupIPv4(a));
    }

    static Probe mapped(ServiceTags st, int a) throws UnknownHostException {
        return v6(st, 0, 0xffff00000000L | (a & 0xffffffffL));
    }

    /** An IPv6 address as the reader gets it (never turned into an Inet4Address, also when it is IPv4-mapped). */
    static Probe v6(ServiceTags st, long h, long l) throws UnknownHostException {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (h >>> (56 - 8 * i));
            b[8 + i] = (byte) (l >>> (56 - 8 * i));
        }
        TagSet want = h == 0 && (l >>> 32) == 0 ? st.lookupIPv4((int) l) : st.lookupIPv6(h, l);
        return new Probe(Inet6Address.getByAddress(null, b, -1), want);
    }

    static boolean isMapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    /**
     * Every network MaxMind's reader finds in the file lies in one interval of the index and carries its tags, and
     * together they cover exactly the addresses that some tag contains: the file answers like the index for every
     * address, not only for the probes.
     */
    @ParameterizedTest
    @MethodSource("files")
    void theReadersNetworksAreExactlyTheIndexIntervalsWithTags(String name) throws Exception {
        ServiceTags st = RealData.load(name);
        Path mmdb = exported(st);
        PrefixIndexBuilder.Intervals iv = st.intervals();
        BigInteger want4 = BigInteger.ZERO;
        for (int i = 0; i < iv.starts4().length; i++) {
            if (iv.ids4()[i] != 0) {
                long end = i + 1 < iv.starts4().length ? iv.starts4()[i + 1] : 1L << 32;
                want4 = want4.add(BigInteger.valueOf(end - iv.starts4()[i]));
            }
        }
        BigInteger want6 = BigInteger.ZERO;
        for (int i = 0; i < iv.hi6().length; i++) {
            if (iv.ids6()[i] != 0) {
                assertTrue(iv.hi6()[i] != 0, "no IPv6 data under the IPv4 aliases in the real files");
                BigInteger end = i + 1 < iv.hi6().length ? u128(iv.hi6()[i + 1], iv.lo6()[i + 1])
                        : BigInteger.ONE.shiftLeft(128);
                want6 = want6.add(end.subtract(u128(iv.hi6()[i], iv.lo6()[i])));
            }
        }
        BigInteger got4 = BigInteger.ZERO;
        BigInteger got6 = BigInteger.ZERO;
        int networks = 0;
        try (Reader reader = new Reader(mmdb.toFile())) {
            Networks<Map> it = reader.networks(false, Map.class);
            while (it.hasNext()) {
                DatabaseRecord<Map> r = it.next();
                byte[] a = r.getNetwork().getNetworkAddress().getAddress();
                int len = r.getNetwork().getPrefixLength();
                boolean v4 = a.length == 4;
                if (!v4 && java.util.Arrays.equals(a, 0, 12, new byte[12], 0, 12)) {
                    v4 = true; // the IPv4 subtree, reported in its IPv6 form
                    a = java.util.Arrays.copyOfRange(a, 12, 16);
                    len -= 96;
                }
                IpPrefix p = v4 ? IpPrefix.ofIPv4((int) Tree.uint(a, 0, 4), len)
                        : IpPrefix.ofIPv6(uint64(a, 0), uint64(a, 8), len);
                TagSet first = v4 ? st.lookupIPv4((int) p.low()) : st.lookupIPv6(p.high(), p.low());
                TagSet last = v4 ? st.lookupIPv4((int) p.lastLow()) : st.lookupIPv6(p.lastHigh(), p.lastLow());
                assertTrue(first == last, p + ": one network, two answers: " + first + " / " + last);
                assertRecord(new Probe(r.getNetwork().getNetworkAddress(), first), r.getData());
                int free = (v4 ? 32 : 128) - len;
                if (v4) {
                    got4 = got4.add(BigInteger.ONE.shiftLeft(free));
                } else {
                    got6 = got6.add(BigInteger.ONE.shiftLeft(free));
                }
                networks++;
            }
        }
        assertEquals(want4, got4, "IPv4 addresses with a record");
        assertEquals(want6, got6, "IPv6 addresses with a record");
        assertTrue(networks > 10_000, "networks: " + networks);
    }

    static BigInteger u128(long h, long l) {
        return new BigInteger(1, java.nio.ByteBuffer.allocate(16).putLong(h).putLong(l).array());
    }

    static long uint64(byte[] b, int at) {
        return java.nio.ByteBuffer.wrap(b, at, 8).getLong();
    }

    @ParameterizedTest
    @MethodSource("files")
    void metadataNamesTheDataAndRecordsAreSharedPerTagSet(String name) throws IOException {
        ServiceTags st = RealData.load(name);
        Path mmdb = exported(st);
        try (Reader reader = new Reader(mmdb.toFile())) {
            Metadata m = reader.getMetadata();
            assertEquals("Azure-ServiceTags-Public", m.getDatabaseType());
            assertEquals(Map.of("en", "Azure service tags of the Public cloud, changeNumber " + st.changeNumber()
                    + ": every tag containing an address (service_tags), their regions and system services"),
                    m.getDescription());
            assertEquals(new Date(st.changeNumber() * 1000), m.getBuildDate());
            assertEquals(6, m.getIpVersion());
            assertEquals(List.of("en"), m.getLanguages());
            assertEquals(2, m.getBinaryFormatMajorVersion());
            assertEquals(0, m.getBinaryFormatMinorVersion());
        }
        Tree tree = Tree.read(mmdb);
        // one data record per distinct non-empty tag set, however many intervals carry it
        assertEquals(st.tagSets().size() - 1, tree.dataPointers().size());
        // the smallest record size that addresses every value
        long maxValue = tree.nodeCount() + 16L + tree.dataSectionSize();
        int smallest = maxValue < 1L << 24 ? 24 : maxValue < 1L << 28 ? 28 : 32;
        assertEquals(smallest, tree.recordSize());
    }

    @ParameterizedTest
    @MethodSource("files")
    void twoExportsOfTheSameFileAreByteIdentical(String name) throws IOException {
        ServiceTags cached = RealData.load(name);
        ServiceTags fresh = ServiceTags.load(RealData.file(name));
        ByteArrayOutputStream binary = new ByteArrayOutputStream();
        fresh.write(binary);
        ServiceTags fromBinary = ServiceTags.read(new ByteArrayInputStream(binary.toByteArray()));
        byte[] a = export(cached);
        assertArrayEquals(a, export(fresh));
        assertArrayEquals(a, export(fromBinary));
        Path f1 = dir.resolve("one.mmdb");
        Path f2 = dir.resolve("two.mmdb");
        Exports.write(fresh, Exports.Format.MMDB, f1);
        Exports.write(cached, Exports.Format.MMDB, f2);
        assertArrayEquals(Files.readAllBytes(f1), Files.readAllBytes(f2));
        assertArrayEquals(a, Files.readAllBytes(f1));
    }

    static byte[] export(ServiceTags st) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Exports.write(st, Exports.Format.MMDB, out);
        return out.toByteArray();
    }

    /** Tags at the ends of both spaces and IPv6 data overlapping the IPv4 aliases ::/96 and ::ffff:0:0/96. */
    static ServiceTags edges() {
        return ServiceTags.of("AzureChina", 7, "edges", List.of(
                tag("Low", "chinanorth", "", "0.0.0.0/32", "0.0.0.0/8", "::/1"),
                tag("High", "chinaeast", "SvcA", "255.255.255.255/32", "255.255.255.0/24",
                        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", "8000::/1"),
                tag("Mid", "", "SvcB", "10.0.0.0/8", "10.1.2.3/32", "::1:0:0:0/80", "::fffe:0:0/95",
                        "2001:db8::/127")));
    }

    static ServiceTag tag(String name, String region, String service, String... cidrs) {
        return ServiceTag.builder(name).region(region).platform("Azure").systemService(service).changeNumber(1)
                .prefixes(java.util.Arrays.stream(cidrs).map(IpPrefix::parse).toList()).build();
    }

    @Test
    void edgePrefixesAndTheAliasesAnswerLikeLookup() throws IOException {
        ServiceTags st = edges();
        Path mmdb = dir.resolve("edges.mmdb");
        Exports.write(st, Exports.Format.MMDB, mmdb);
        List<Probe> probes = new ArrayList<>(probes(st, 7));
        for (long l : new long[] {0, 1, 0xffffffffL, 0x0a010203L, 0x1_0000_0000L, 0xfffe_ffff_ffffL,
            0xffff_0000_0000L, 0xffff_0a01_0203L, 0xffff_ffff_ffffL, 0x1_0000_0000_0000L, -1L}) {
            probes.add(v6(st, 0, l));
        }
        probes.add(v6(st, -1L, -1L));
        probes.add(v6(st, 0x7fff_ffff_ffff_ffffL, -1L));
        probes.add(v6(st, Long.MIN_VALUE, 0));
        try (Reader reader = new Reader(mmdb.toFile())) {
            for (Probe p : probes) {
                assertRecord(p, reader.get(p.address(), Map.class));
            }
            assertEquals("Azure-ServiceTags-AzureChina", reader.getMetadata().getDatabaseType());
        }
        // the aliases hide the file's IPv6 data there: ::ffff:0:0/96 answers as IPv4, ::/96 too
        try (Reader reader = new Reader(mmdb.toFile())) {
            assertNull(reader.get(v6(st, 0, 0xffff_0b00_0000L).address(), Map.class)); // 11.0.0.0: no tag
            assertEquals(List.of("Mid"), reader.get(v6(st, 0, 0xffff_0a00_0001L).address(), Map.class)
                    .get("service_tags"));
        }
    }

    /** The three node layouts of the specification (24, 28 and 32-bit records) read back alike. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {24, 28, 32})
    void everyRecordSizeReadsBackLikeLookup(int bits) throws IOException {
        ServiceTags st = RealData.load("ServiceTags_Public_376.json");
        ServiceTags e = edges();
        for (ServiceTags data : List.of(st, e)) {
            Path mmdb = dir.resolve("rs" + bits + ".mmdb");
            try (var out = Files.newOutputStream(mmdb)) {
                MmdbWriter.write(data, data.intervals(), out, bits);
            }
            assertEquals(bits, Tree.read(mmdb).recordSize());
            List<Probe> probes = probes(data, bits);
            try (Reader reader = new Reader(mmdb.toFile())) {
                for (int i = 0; i < probes.size(); i += data == st ? 7 : 1) {
                    Probe p = probes.get(i);
                    assertRecord(p, reader.get(p.address(), Map.class));
                }
            }
            assertEquals(mmdblookup(mmdb, "20.38.98.1", "service_tags"),
                    data == st ? List.copyOf(st.lookup("20.38.98.1").names()) : null);
        }
    }

    // ------------------------------------------------------------------------------------------- mmdblookup

    @ParameterizedTest
    @MethodSource("files")
    void mmdblookupAgreesOnASample(String name) throws IOException {
        assumeMmdblookup();
        ServiceTags st = RealData.load(name);
        Path mmdb = exported(st);
        List<Probe> all = probes(st, 99);
        SplittableRandom r = new SplittableRandom(name.hashCode());
        int found = 0;
        int none = 0;
        for (int i = 0; i < 150; i++) {
            Probe p = all.get(r.nextInt(all.size()));
            String ip = text(p.address());
            List<String> got = mmdblookup(mmdb, ip, "service_tags");
            if (p.expected().isEmpty()) {
                assertNull(got, () -> ip + ": expected no record, mmdblookup found " + got);
                none++;
            } else {
                assertEquals(List.copyOf(p.expected().names()), got, ip);
                found++;
            }
        }
        assertTrue(found > 20 && none > 5, "found " + found + ", none " + none);
        // the documented answers of the README, through the mapped form too
        assertEquals(List.copyOf(st.lookup("20.38.98.1").names()), mmdblookup(mmdb, "20.38.98.1", "service_tags"));
        assertEquals(List.copyOf(st.lookup("20.38.98.1").names()),
                mmdblookup(mmdb, "::ffff:20.38.98.1", "service_tags"));
        assertEquals(regions(st.lookup("20.38.98.1")), mmdblookup(mmdb, "20.38.98.1", "regions"));
        assertEquals(services(st.lookup("20.38.98.1")), mmdblookup(mmdb, "20.38.98.1", "system_services"));
        assertEquals(List.of(String.join(",", st.lookup("20.38.98.1").names())),
                mmdblookup(mmdb, "::ffff:20.38.98.1", "service_tags_text"));
    }

    @ParameterizedTest
    @MethodSource("files")
    void mmdblookupReadsTheMetadata(String name) throws IOException {
        assumeMmdblookup();
        ServiceTags st = RealData.load(name);
        Path mmdb = exported(st);
        String v = run(List.of("mmdblookup", "--file", mmdb.toString(), "--ip", "1.1.1.1", "--verbose"));
        Tree tree = Tree.read(mmdb);
        assertTrue(v.contains("Node count:    " + tree.nodeCount() + "\n"), v);
        assertTrue(v.contains("Record size:   " + tree.recordSize() + " bits"), v);
        assertTrue(v.contains("IP version:    IPv6"), v);
        assertTrue(v.contains("Binary format: 2.0"), v);
        assertTrue(v.contains("Type:          Azure-ServiceTags-Public"), v);
        assertTrue(v.contains("changeNumber " + st.changeNumber()), v);
    }

    static String text(InetAddress a) {
        String s = a.getHostAddress();
        byte[] b = a.getAddress();
        if (b.length == 16 && isMapped(b)) { // the JDK prints ::ffff:a.b.c.d as hex words; both parse the same
            s = "::ffff:" + (b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "." + (b[15] & 0xff);
        }
        return s;
    }

    private static final Pattern STRING = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\" <utf8_string>");

    /** The strings of one key of the record, or null when mmdblookup finds no entry. */
    static List<String> mmdblookup(Path mmdb, String ip, String key) {
        String out = run(List.of("mmdblookup", "--file", mmdb.toString(), "--ip", ip, key));
        if (out.contains("Could not find an entry for this IP address")) {
            return null;
        }
        List<String> got = new ArrayList<>();
        Matcher m = STRING.matcher(out);
        while (m.find()) {
            got.add(m.group(1));
        }
        if (got.isEmpty() && !out.contains("[")) {
            fail("mmdblookup " + ip + " " + key + ": " + out);
        }
        return got;
    }

    static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("timed out: " + command);
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static void assumeMmdblookup() {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, "mmdblookup"))) {
                return;
            }
        }
        String why = "mmdblookup is not installed (apt-get install -y mmdb-bin; .ci/install-tools does it)";
        if (Boolean.getBoolean("servicetags.requireRealData")) {
            fail(why + " (servicetags.requireRealData=true)");
        }
        Assumptions.abort(why);
    }

    /**
     * The search tree of a MaxMind DB file read by the specification alone (not by the writer's code): node count
     * and record size from the metadata as libmaxminddb reports them, then every record of every node.
     */
    record Tree(int nodeCount, int recordSize, long dataSectionSize, Set<Long> dataPointers) {
        static Tree read(Path mmdb) throws IOException {
            assumeMmdblookup();
            String v = run(List.of("mmdblookup", "--file", mmdb.toString(), "--ip", "1.1.1.1", "--verbose"));
            Matcher n = Pattern.compile("Node count: +(\\d+)").matcher(v);
            Matcher s = Pattern.compile("Record size: +(\\d+) bits").matcher(v);
            assertTrue(n.find() && s.find(), v);
            int nodes = Integer.parseInt(n.group(1));
            int size = Integer.parseInt(s.group(1));
            byte[] b = Files.readAllBytes(mmdb);
            int nodeBytes = size / 4;
            Set<Long> data = new HashSet<>();
            for (int i = 0; i < nodes; i++) {
                int at = i * nodeBytes;
                long[] rec = switch (size) {
                    case 24 -> new long[] {uint(b, at, 3), uint(b, at + 3, 3)};
                    case 28 -> new long[] {(b[at + 3] & 0xf0L) << 20 | uint(b, at, 3),
                        (b[at + 3] & 0x0fL) << 24 | uint(b, at + 4, 3)};
                    default -> new long[] {uint(b, at, 4), uint(b, at + 4, 4)};
                };
                for (long x : rec) {
                    if (x > nodes) {
                        data.add(x);
                    }
                }
            }
            int dataStart = nodes * nodeBytes + 16;
            for (int i = nodes * nodeBytes; i < dataStart; i++) {
                assertEquals(0, b[i], "the 16-byte data section separator");
            }
            int marker = lastIndexOf(b, MmdbWriter.METADATA_MARKER);
            return new Tree(nodes, size, marker - dataStart, data);
        }

        static long uint(byte[] b, int at, int n) {
            long v = 0;
            for (int i = 0; i < n; i++) {
                v = v << 8 | (b[at + i] & 0xff);
            }
            return v;
        }

        static int lastIndexOf(byte[] b, byte[] m) {
            for (int i = b.length - m.length; i >= 0; i--) {
                if (java.util.Arrays.equals(b, i, i + m.length, m, 0, m.length)) {
                    return i;
                }
            }
            throw new AssertionError("no metadata marker");
        }
    }
}
