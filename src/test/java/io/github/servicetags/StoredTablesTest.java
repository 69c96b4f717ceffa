package io.github.servicetags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The index tables stored in the trailer of the binary form (the bundled snapshot, the cache's index): equal to a
 * fresh build of the same tags, used only where the library trusts the file, and any damage is refused by the
 * trailer's checksum or falls back to a build.
 */
class StoredTablesTest {
    private static final String TAG_IP = "13.69.112.5";

    static byte[] bundledBinary() throws IOException {
        try (InputStream in = ServiceTags.class.getResourceAsStream(
                "/io/github/servicetags/ServiceTags_Public_376.bin.gz")) {
            assertNotNull(in, "the build step (exec-maven-plugin, BundleWriter) writes the binary into the classes");
            return new GZIPInputStream(in).readAllBytes();
        }
    }

    static byte[] withTables(ServiceTags st, byte[] origin) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        IndexCodec.write(st, out, true, origin);
        return out.toByteArray();
    }

    /** Offset of the trailer body (after its length and checksum). */
    static int trailerBody(byte[] bin) {
        return IndexCodec.HEADER + ByteBuffer.wrap(bin).getInt(12) + 8;
    }

    static int flags(byte[] bin) {
        return ByteBuffer.wrap(bin).getShort(10) & 0xffff;
    }

    /** Recomputes the trailer checksum after a change to its body (a forger's edit). */
    static void resealTrailer(byte[] bin) {
        int body = trailerBody(bin);
        CRC32 crc = new CRC32();
        crc.update(bin, body, bin.length - body);
        ByteBuffer.wrap(bin).putInt(body - 4, (int) crc.getValue());
    }

    static ServiceTags readTrusted(byte[] bin) throws IOException {
        return IndexCodec.read(new ByteArrayInputStream(bin), "test.bin", LoadOptions.defaults(),
                new IndexCodec.Trust(true, null));
    }

    @Test
    void bundledTablesAreStoredAndEqualAFreshBuildOfTheBundledTags() throws IOException {
        ServiceTags bundled = ServiceTags.bundled();
        byte[] bin = bundledBinary();
        assertEquals(IndexCodec.FLAG_TABLES, flags(bin), "the bundled binary carries its tables");
        PrefixIndex stored = IndexCodec.readTables(bin, trailerBody(bin), bundled.tags());
        assertNotNull(stored, "the bundled tables were refused: bundled() would rebuild the index at every start");
        PrefixIndex fresh = PrefixIndex.build(bundled.tags());
        assertTrue(fresh.sameTables(stored), "stored tables differ from a build");
        assertTrue(fresh.sameTables(bundled.index()), "bundled() answers from other tables than a build");
        Random rnd = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            int ip = rnd.nextInt();
            assertEquals(fresh.lookupIPv4(ip).names(), bundled.lookupIPv4(ip).names());
        }
    }

    @Test
    void trustedTablesAreUsedAndUntrustedOnesIgnored() throws IOException {
        ServiceTags st = LoaderTest.load(LoaderTest.VALID);
        assertTrue(st.lookup(TAG_IP).size() > 0, "fixture: the address is in a tag");
        byte[] bin = withTables(st, null);
        assertTrue(st.index().sameTables(readTrusted(bin).index()));
        // forge the tables: the /16 of the address answers the empty set (id 0) instead
        int at = trailerBody(bin) + 12;
        for (TagSet set : st.index().sets) {
            at += 4 + 4 * set.size();
        }
        at += 4 + 4 * (0x0d45 /* 13.69 */);
        ByteBuffer.wrap(bin).putInt(at, ~0);
        resealTrailer(bin);
        assertEquals(0, readTrusted(bin).lookup(TAG_IP).size(), "a trusted read answers from the stored tables");
        ServiceTags untrusted = ServiceTags.read(new ByteArrayInputStream(bin), "forged.bin");
        assertEquals(st.lookup(TAG_IP).names(), untrusted.lookup(TAG_IP).names(),
                "ServiceTags.read answers from the prefixes, whatever the tables say");
    }

    @Test
    void damagedTrailersAreRefusedAndTablesOfOtherDataRebuilt() throws IOException {
        ServiceTags st = LoaderTest.load(LoaderTest.VALID);
        byte[] good = withTables(st, null);
        int body = trailerBody(good);
        Random rnd = new Random(376);
        java.util.TreeSet<Integer> offsets = new java.util.TreeSet<>();
        for (int i = body - 8; i < body + 64; i++) {
            offsets.add(i);
        }
        for (int i = 0; i < 64; i++) {
            offsets.add(good.length - 1 - i);
        }
        while (offsets.size() < 300) {
            offsets.add(body - 8 + rnd.nextInt(good.length - body + 8));
        }
        for (int i : offsets) {
            byte[] bad = good.clone();
            bad[i] ^= 0x5a;
            assertThrows(InvalidServiceTagsException.class, () -> readTrusted(bad), "flip at " + i);
            byte[] cut = Arrays.copyOf(good, i);
            assertThrows(InvalidServiceTagsException.class, () -> readTrusted(cut), "cut at " + i);
        }
        // tables with counts of other data (a resealed edit of the tag count) are not used: the index is built
        byte[] other = good.clone();
        ByteBuffer.wrap(other).putInt(body, st.tags().size() + 1);
        resealTrailer(other);
        assertNull(IndexCodec.readTables(other, body, st.tags()));
        assertTrue(PrefixIndex.build(st.tags()).sameTables(readTrusted(other).index()));
        // tables of another file never fit these tags
        byte[] bundled = bundledBinary();
        assertNull(IndexCodec.readTables(bundled, trailerBody(bundled), st.tags()));
    }

    /**
     * Tables with empty arrays and a single set are tables too: no tags at all (only the empty set), prefixes no
     * longer than /16 (no /24 nodes: empty node and value arrays), IPv6 only.
     */
    @Test
    void tablesOfTinyIndexesAreReadBack() throws IOException {
        List<List<ServiceTag>> cases = List.of(List.of(),
                List.of(ServiceTag.builder("A").prefixes(List.of(IpPrefix.parse("10.0.0.0/8"))).build()),
                List.of(ServiceTag.builder("A").prefixes(List.of(IpPrefix.parse("2603:1000::/24"))).build()),
                List.of(ServiceTag.builder("A").build(), ServiceTag.builder("B").build()));
        for (List<ServiceTag> tags : cases) {
            ServiceTags st = ServiceTags.of("Public", 1, "tiny", tags);
            byte[] bin = withTables(st, null);
            PrefixIndex stored = IndexCodec.readTables(bin, trailerBody(bin), st.tags());
            assertNotNull(stored, () -> "tables of " + tags + " refused");
            assertTrue(PrefixIndex.build(st.tags()).sameTables(stored), () -> "tables of " + tags);
            assertTrue(st.index().sameTables(readTrusted(bin).index()));
        }
    }

    @Test
    void originIsCheckedWhenTheReaderExpectsOne() throws IOException {
        ServiceTags st = LoaderTest.load(LoaderTest.VALID);
        byte[] sha = new byte[32];
        sha[0] = 1;
        byte[] bin = withTables(st, sha);
        assertEquals(IndexCodec.FLAG_TABLES | IndexCodec.FLAG_ORIGIN, flags(bin));
        IndexCodec.Trust same = new IndexCodec.Trust(true, sha.clone());
        assertTrue(st.index().sameTables(IndexCodec.read(new ByteArrayInputStream(bin), "t", LoadOptions.defaults(),
                same).index()));
        byte[] otherSha = sha.clone();
        otherSha[31] = 9;
        InvalidServiceTagsException e = assertThrows(InvalidServiceTagsException.class, () -> IndexCodec.read(
                new ByteArrayInputStream(bin), "t", LoadOptions.defaults(), new IndexCodec.Trust(true, otherSha)));
        assertEquals("the index was made from another document than expected", e.problem());
        byte[] noOrigin = withTables(st, null);
        assertThrows(InvalidServiceTagsException.class, () -> IndexCodec.read(new ByteArrayInputStream(noOrigin),
                "t", LoadOptions.defaults(), new IndexCodec.Trust(true, sha)));
        // the public reader accepts both and answers alike
        BinaryIndexTest.assertSameLookups(st, ServiceTags.read(new ByteArrayInputStream(bin)), new Random(1));
    }
}
