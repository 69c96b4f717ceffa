package io.github.servicetags;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * The prefixes of a read that trusts its stored tables (the bundled snapshot, the cache's index) stay encoded until
 * a command asks for them. The oracle is the public reader, which decodes everything at once: for any bytes, both
 * refuse with the same message or both give the same data.
 */
class LazyPrefixesTest {
    private static final String SOURCE = "test.bin";

    static ServiceTags trusted(byte[] bin) throws IOException {
        return IndexCodec.read(new ByteArrayInputStream(bin), SOURCE, LoadOptions.defaults(),
                new IndexCodec.Trust(true, null));
    }

    /** The public reader's result (all prefixes decoded at once) or its error, as text to compare. */
    static String outcome(byte[] bin, boolean trusted) {
        try {
            ServiceTags st = trusted ? trusted(bin) : ServiceTags.read(new ByteArrayInputStream(bin), SOURCE);
            StringBuilder s = new StringBuilder(st.toString());
            for (ServiceTag t : st.tags()) {
                s.append('\n').append(t).append(' ').append(t.id()).append(' ').append(t.regionId()).append(' ')
                        .append(t.platform()).append(' ').append(t.systemService()).append(' ')
                        .append(t.networkFeatures()).append(' ').append(t.changeNumber()).append(' ')
                        .append(t.prefixes()).append(t.prefixes(IpFamily.IPV4)).append(t.prefixes(IpFamily.IPV6));
            }
            return s.toString();
        } catch (InvalidServiceTagsException e) {
            return "refused: " + e.getMessage();
        } catch (IOException | RuntimeException e) {
            return "failed: " + e; // neither reader may fail in any other way: the comparison shows it
        }
    }

    static byte[] withTables(ServiceTags st) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        IndexCodec.write(st, out, true, null);
        return out.toByteArray();
    }

    static int payloadLength(byte[] bin) {
        return ByteBuffer.wrap(bin).getInt(12);
    }

    /** Recomputes the payload checksum after an edit of the payload (a forger's edit, or damage resealed). */
    static void resealPayload(byte[] bin) {
        CRC32 crc = new CRC32();
        crc.update(bin, IndexCodec.HEADER, payloadLength(bin));
        ByteBuffer.wrap(bin).putInt(16, (int) crc.getValue());
    }

    @Test
    void bundledSnapshotDecodesPrefixesOnFirstUseOnlyAndEqualsAFullDecode() throws IOException {
        byte[] bin = StoredTablesTest.bundledBinary();
        ServiceTags lazy = trusted(bin);
        ServiceTags eager = ServiceTags.read(new ByteArrayInputStream(bin), SOURCE);
        for (ServiceTag t : lazy.tags()) {
            assertFalse(t.prefixesDecoded(), t.name() + " decoded at load");
        }
        // what a lookup and the summaries need does not decode them
        assertEquals(eager.lookup("20.38.98.1").names(), lazy.lookup("20.38.98.1").names());
        assertEquals(eager.toString(), lazy.toString());
        for (int i = 0; i < eager.tags().size(); i++) {
            assertEquals(eager.tags().get(i).toString(), lazy.tags().get(i).toString());
        }
        assertFalse(lazy.tags().get(0).prefixesDecoded(), "a lookup or toString decoded prefixes");
        BinaryIndexTest.assertSameData(eager, lazy);
        for (ServiceTag t : lazy.tags()) {
            assertTrue(t.prefixesDecoded());
            assertEquals(eager.require(t.name()).prefixes(IpFamily.IPV4), t.prefixes(IpFamily.IPV4), t.name());
            assertEquals(eager.require(t.name()).prefixes(IpFamily.IPV6), t.prefixes(IpFamily.IPV6), t.name());
        }
        ByteArrayOutputStream a = new ByteArrayOutputStream();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        eager.write(a);
        trusted(bin).write(b);
        assertArrayEquals(a.toByteArray(), b.toByteArray(), "a lazily read index writes the same bytes");
    }

    @Test
    void everyForgedPayloadByteIsRefusedOrReadAlikeByBothReaders() throws IOException {
        byte[] good = withTables(BinaryIndexTest.small());
        int end = IndexCodec.HEADER + payloadLength(good);
        int refused = 0;
        for (int i = IndexCodec.HEADER; i < end; i++) {
            for (int v : new int[] {0x00, 0x01, 0x3f, 0x40, 0x7f, 0x80, 0xff, good[i] ^ 0x01, good[i] ^ 0x10}) {
                byte[] bad = good.clone();
                bad[i] = (byte) v;
                resealPayload(bad);
                String want = outcome(bad, false);
                assertEquals(want, outcome(bad, true), "byte " + i + " = " + v);
                refused += want.startsWith("refused: ") ? 1 : 0;
            }
        }
        assertTrue(refused > end - IndexCodec.HEADER, "only " + refused + " forgeries refused");
    }

    @Test
    void everyCutAndTrailerFlipIsRefusedAlikeByBothReaders() throws IOException {
        // the trusted reader streams the tables out of the trailer; the public one reads the trailer whole
        byte[] good = withTables(BinaryIndexTest.small());
        int trailer = IndexCodec.HEADER + payloadLength(good);
        java.util.TreeSet<Integer> cuts = new java.util.TreeSet<>();
        for (int i = 0; i < trailer + 200; i++) { // header, payload, trailer head, origin and first counts
            cuts.add(i);
        }
        java.util.Random rnd = new java.util.Random(14);
        for (int i = 0; i < 100; i++) {
            cuts.add(good.length - 1 - i);
            cuts.add(trailer + rnd.nextInt(good.length - trailer));
        }
        for (int i : cuts) {
            byte[] cut = java.util.Arrays.copyOf(good, i);
            String want = outcome(cut, false);
            assertTrue(want.startsWith("refused: "), "cut at " + i + ": " + want);
            assertEquals(want, outcome(cut, true), "cut at " + i);
        }
        for (int i : cuts) {
            if (i < trailer) {
                continue;
            }
            byte[] bad = good.clone();
            bad[i] ^= 0x21;
            String want = outcome(bad, false);
            assertTrue(want.startsWith("refused: "), "flip at " + i + ": " + want);
            assertEquals(want, outcome(bad, true), "flip at " + i);
        }
    }

    @Test
    void everyIpv4PrefixEncodingIsRefusedOrReadAlike() throws IOException {
        // one tag with one prefix: the payload ends with its head byte and ceil(length / 8) address bytes
        for (int length = 0; length <= 32; length++) {
            byte[] good = withTables(oneTag(IpPrefix.ofIPv4(0, length)));
            int bytes = (length + 7) >>> 3;
            int last = IndexCodec.HEADER + payloadLength(good) - 1;
            for (int head : new int[] {length, 33, 63}) {
                for (int v = 0; v < (bytes == 0 || head != length ? 1 : 256); v++) {
                    byte[] bad = good.clone();
                    bad[last - bytes] = (byte) head;
                    if (bytes > 0) {
                        bad[last] = (byte) v;
                        bad[last - bytes + 1] |= (byte) (bytes > 1 ? v : 0); // first byte too: any address
                    }
                    resealPayload(bad);
                    assertEquals(outcome(bad, false), outcome(bad, true), "/" + length + " head " + head
                            + " byte " + v);
                }
            }
        }
    }

    @Test
    void everyIpv6PrefixEncodingIsRefusedOrReadAlike() throws IOException {
        for (int length = 0; length <= 128; length++) {
            byte[] good = withTables(oneTag(IpPrefix.ofIPv6(0x2603L << 48, 0, Math.max(length, 16))));
            if (length < 16) {
                good = withTables(oneTag(IpPrefix.ofIPv6(0, 0, length)));
            }
            int bytes = (length + 7) >>> 3;
            int first = IndexCodec.HEADER + payloadLength(good) - bytes;
            for (int f : new int[] {0x00, 0x20, 0xff}) {
                for (int v : new int[] {0x00, 0x01, 0x02, 0x40, 0x80, 0xff}) {
                    byte[] bad = good.clone();
                    if (bytes > 0) {
                        bad[first] = (byte) f;
                        bad[first + bytes - 1] |= (byte) v;
                    }
                    resealPayload(bad);
                    assertEquals(outcome(bad, false), outcome(bad, true), "/" + length + " first " + f
                            + " last " + v);
                }
            }
        }
        // an IPv4-mapped prefix (::ffff:0:0/96 and longer) is refused by both, with the same message
        ServiceTags near = oneTag(IpPrefix.parse("::fffe:0:0/96"));
        byte[] bad = withTables(near);
        int at = IndexCodec.HEADER + payloadLength(bad) - 1;
        assertEquals((byte) 0xfe, bad[at]);
        bad[at] = (byte) 0xff;
        resealPayload(bad);
        String want = outcome(bad, false);
        assertTrue(want.startsWith("refused: ") && want.contains("IPv4-mapped"), want);
        assertEquals(want, outcome(bad, true));
    }

    @Test
    void concurrentFirstUsesSeeOneDecodedList() throws Exception {
        byte[] bin = StoredTablesTest.bundledBinary();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 5; round++) {
                ServiceTags st = trusted(bin);
                ServiceTag tag = st.require("AzureCloud");
                CountDownLatch go = new CountDownLatch(1);
                List<Future<List<IpPrefix>>> got = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    IpFamily family = i % 2 == 0 ? IpFamily.IPV4 : IpFamily.IPV6;
                    got.add(pool.submit(() -> {
                        go.await();
                        tag.prefixes(family); // either list may be the first use
                        return tag.prefixes();
                    }));
                }
                go.countDown();
                List<IpPrefix> first = got.get(0).get();
                for (Future<List<IpPrefix>> f : got) {
                    assertSame(first, f.get(), "every thread sees the one published list");
                }
                assertEquals(ServiceTags.bundled().require("AzureCloud").prefixes().size(), first.size());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static ServiceTags oneTag(IpPrefix p) {
        return ServiceTags.of("Public", 1, "one", List.of(ServiceTag.builder("T").prefixes(List.of(p)).build()));
    }
}
