package io.github.servicetags.testdata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.servicetags.IpFamily;
import io.github.servicetags.IpPrefix;
import io.github.servicetags.Region;
import io.github.servicetags.ServiceTags;
import io.github.servicetags.internal.Internals;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index, on a full-size file it has never seen ({@link SyntheticServiceTags}), agrees with a brute-force scan of
 * every prefix for a sample of addresses chosen where mistakes hide: the first and last address of prefixes, the
 * addresses just outside them, addresses inside, and uniformly random ones.
 */
class SyntheticDataIndexTest {
    @TempDir
    static Path dir;
    static SyntheticServiceTags.Model model;
    static ServiceTags st;
    static Path file;

    // brute-force oracle: every prefix as [first, last] (IPv4) or [firstHigh, firstLow, lastHigh, lastLow] (IPv6)
    static final List<String> names4 = new ArrayList<>();
    static final List<long[]> ranges4 = new ArrayList<>();
    static final List<String> names6 = new ArrayList<>();
    static final List<long[]> ranges6 = new ArrayList<>();

    @BeforeAll
    static void generateAndLoad() throws IOException {
        file = dir.resolve("synthetic.json");
        model = SyntheticServiceTags.write(file, SyntheticServiceTags.DEFAULT_SEED);
        st = ServiceTags.load(file);
        for (SyntheticServiceTags.TagSpec t : model.tags()) {
            for (String text : t.prefixes()) {
                IpPrefix p = IpPrefix.parse(text);
                if (p.family() == IpFamily.IPV4) {
                    names4.add(t.name());
                    ranges4.add(new long[] {p.low(), p.lastLow()});
                } else {
                    names6.add(t.name());
                    ranges6.add(new long[] {p.high(), p.low(), p.lastHigh(), p.lastLow()});
                }
            }
        }
    }

    @Test
    void theFileHasTheSizeAndShapeOfARealOne() {
        assertTrue(st.tags().size() > 2800 && st.tags().size() < 3300, st.toString());
        assertTrue(st.prefixCount(IpFamily.IPV4) > 60_000 && st.prefixCount(IpFamily.IPV4) < 80_000, st.toString());
        assertTrue(st.prefixCount(IpFamily.IPV6) > 18_000 && st.prefixCount(IpFamily.IPV6) < 30_000, st.toString());
        assertTrue(st.tagSets().size() > 1000, "distinct tag sets: " + st.tagSets().size());
        assertEquals(model.tags().size(), st.tags().size());
        for (SyntheticServiceTags.TagSpec t : model.tags()) {
            assertEquals(t.prefixes().stream().map(IpPrefix::parse).toList(), st.prefixes(t.name()), t.name());
        }
    }

    @Test
    void regionsJoinByIdWhateverTheSpelling() {
        assertEquals(model.regions().size(), st.regions().size());
        for (SyntheticServiceTags.RegionSpec r : model.regions()) {
            Region byCamel = st.region(r.camel());
            assertEquals(r.id(), byCamel.id(), r.camel());
            assertEquals(r.id(), st.region(r.internal()).id(), r.internal());
            assertEquals(r.camel().toLowerCase(), byCamel.name());
            assertEquals("AzureCloud." + r.internal(), st.regionalTag("AzureCloud", byCamel).orElseThrow().name());
        }
        for (String svc : model.services()) {
            assertTrue(Internals.serviceTags().hasRegionalTags(st, svc), svc);
        }
    }

    @Test
    void ipv4LookupsAgreeWithABruteForceScan() {
        long[] first4 = ranges4.stream().mapToLong(r -> r[0]).toArray();
        long[] last4 = ranges4.stream().mapToLong(r -> r[1]).toArray();
        Random rnd = new Random(1);
        List<Long> probes = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            long[] r = ranges4.get(rnd.nextInt(ranges4.size()));
            probes.add(r[0]);
            probes.add(r[1]);
            probes.add((r[0] - 1) & 0xffffffffL);
            probes.add((r[1] + 1) & 0xffffffffL);
            probes.add(r[0] + (long) (rnd.nextDouble() * (r[1] - r[0] + 1)));
        }
        for (int i = 0; i < 1000; i++) {
            probes.add(0x0b000000L + (rnd.nextLong() & 0x3fffffffL)); // the allocated part of the space, mostly
            probes.add(rnd.nextLong() & 0xffffffffL);
        }
        probes.add(0L);
        probes.add(0xffffffffL);
        for (long ip : probes) {
            TreeSet<String> want = new TreeSet<>();
            for (int i = 0; i < first4.length; i++) {
                if (first4[i] <= ip && ip <= last4[i]) {
                    want.add(names4.get(i));
                }
            }
            assertEquals(List.copyOf(want), List.copyOf(st.lookupIPv4((int) ip).names()),
                    () -> "lookup of " + (ip >>> 24) + "." + ((ip >>> 16) & 255) + "." + ((ip >>> 8) & 255) + "."
                            + (ip & 255));
        }
    }

    @Test
    void ipv6LookupsAgreeWithABruteForceScan() {
        Random rnd = new Random(2);
        List<long[]> probes = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            long[] r = ranges6.get(rnd.nextInt(ranges6.size()));
            probes.add(new long[] {r[0], r[1]});
            probes.add(new long[] {r[2], r[3]});
            probes.add(r[1] == 0 ? new long[] {r[0] - 1, -1L} : new long[] {r[0], r[1] - 1});
            probes.add(r[3] == -1L ? new long[] {r[2] + 1, 0} : new long[] {r[2], r[3] + 1});
            probes.add(new long[] {r[0] + (long) (rnd.nextDouble() * (r[2] - r[0])), rnd.nextLong()});
        }
        for (int i = 0; i < 500; i++) {
            probes.add(new long[] {0x2a01_1000_0000_0000L + (rnd.nextLong() >>> 20), rnd.nextLong()});
            probes.add(new long[] {rnd.nextLong(), rnd.nextLong()});
        }
        for (long[] ip : probes) {
            if (ip[0] == 0 && (ip[1] >>> 32) == 0xffffL) {
                continue; // IPv4-mapped: answered by the IPv4 index by design
            }
            TreeSet<String> want = new TreeSet<>();
            for (int i = 0; i < ranges6.size(); i++) {
                long[] r = ranges6.get(i);
                if (le(r[0], r[1], ip[0], ip[1]) && le(ip[0], ip[1], r[2], r[3])) {
                    want.add(names6.get(i));
                }
            }
            assertEquals(List.copyOf(want), List.copyOf(st.lookupIPv6(ip[0], ip[1]).names()),
                    () -> "lookup of " + IpPrefix.ofIPv6(ip[0], ip[1], 128).address().getHostAddress());
        }
    }

    @Test
    void theGeneratorIsDeterministic() throws Exception {
        Path again = dir.resolve("again.json");
        SyntheticServiceTags.write(again, SyntheticServiceTags.DEFAULT_SEED);
        assertEquals(sha256(file), sha256(again));
    }

    private static boolean le(long ah, long al, long bh, long bl) {
        int c = Long.compareUnsigned(ah, bh);
        return c < 0 || (c == 0 && Long.compareUnsigned(al, bl) <= 0);
    }

    private static String sha256(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }
}
