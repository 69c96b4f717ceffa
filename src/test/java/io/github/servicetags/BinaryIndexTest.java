package io.github.servicetags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** The binary form ({@link ServiceTags#write}, {@link ServiceTags#read}): round trips and hostile bytes. */
class BinaryIndexTest {
    static final List<String> FILES = RealData.FILES;

    static byte[] write(ServiceTags st) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        st.write(out);
        return out.toByteArray();
    }

    static ServiceTags read(byte[] b) throws IOException {
        return ServiceTags.read(new ByteArrayInputStream(b), "test.bin");
    }

    /** A small data set with both families, features, a /0, a /32, a /128 and a global tag. */
    static ServiceTags small() {
        List<ServiceTag> tags = List.of(
                new ServiceTag("AzureCloud", "AzureCloud", "", 0, "Azure", "", Set.of("API", "NSG"), 7,
                        List.of(IpPrefix.parse("20.0.0.0/8"), IpPrefix.parse("2603:1000::/24"))),
                new ServiceTag("Sql.WestEurope", "Sql.WestEurope", "westeurope", 18, "Azure", "AzureSQL",
                        Set.of(), 3, List.of(IpPrefix.parse("20.38.98.0/24"), IpPrefix.parse("20.38.98.7/32"),
                                IpPrefix.parse("2603:1000:4::1/128"))),
                new ServiceTag("Everything", "Everything", "", 0, "", "", Set.of(), 1,
                        List.of(IpPrefix.parse("0.0.0.0/0"), IpPrefix.parse("::/0"))));
        return ServiceTags.of("Public", 376, "small", tags);
    }

    @ParameterizedTest
    @FieldSource("FILES")
    void realFileRoundTripsExactly(String file) throws IOException {
        ServiceTags st = RealData.load(file);
        byte[] bin = write(st);
        assertTrue(bin.length < 1_000_000, "binary form of " + file + " is " + bin.length + " bytes");
        ServiceTags back = read(bin);
        assertSameData(st, back);
        assertEquals("test.bin", back.source());
        assertEquals(st.distinctTagSets(), back.distinctTagSets());
        assertSameLookups(st, back, new Random(file.hashCode()));
        // writing again gives the same bytes
        assertTrue(Arrays.equals(bin, write(back)), "second write differs");
    }

    @Test
    void gzipCompressedBinaryIsRead() throws IOException {
        ServiceTags st = small();
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            st.write(out);
        }
        ServiceTags back = read(gz.toByteArray());
        assertSameData(st, back);
        assertSameLookups(st, back, new Random(1));
    }

    @Test
    void smallDataRoundTripsWithEveryProperty() throws IOException {
        ServiceTags st = small();
        ServiceTags back = ServiceTags.read(new ByteArrayInputStream(write(st)));
        assertSameData(st, back);
        assertEquals("binary stream", back.source());
        assertEquals(Set.of("API", "NSG"), back.tag("AzureCloud").orElseThrow().networkFeatures());
        assertEquals(List.of("AzureCloud", "Everything", "Sql.WestEurope"),
                List.copyOf(back.lookup("20.38.98.7").names()));
        assertEquals(List.of("AzureCloud", "Everything", "Sql.WestEurope"),
                List.copyOf(back.lookup("2603:1000:4::1").names()));
        assertEquals(List.of("Everything"), List.copyOf(back.lookup("1.1.1.1").names()));
    }

    @Test
    void everyFlippedByteIsRefused() throws IOException {
        byte[] bin = write(small());
        for (int i = 0; i < bin.length; i++) {
            for (int bit : new int[] {0x01, 0x80, 0xff}) {
                byte[] bad = bin.clone();
                bad[i] ^= (byte) bit;
                int at = i;
                InvalidServiceTagsException e = assertThrows(InvalidServiceTagsException.class, () -> read(bad),
                        () -> "flip 0x" + Integer.toHexString(bit) + " at byte " + at + " was accepted");
                assertEquals("test.bin", e.source());
                assertTrue(e.getMessage().startsWith("test.bin: byte "), e.getMessage());
            }
        }
    }

    @Test
    void flippedBytesInARealFileAreRefused() throws IOException {
        byte[] bin = write(RealData.load("ServiceTags_Public_376.json"));
        Random r = new Random(376);
        for (int n = 0; n < 60; n++) {
            byte[] bad = bin.clone();
            int i = n < 20 ? n : r.nextInt(bin.length);
            bad[i] ^= (byte) (1 << r.nextInt(8));
            assertThrows(InvalidServiceTagsException.class, () -> read(bad), "flip at byte " + i);
        }
    }

    @Test
    void everyTruncationIsRefused() throws IOException {
        byte[] bin = write(small());
        for (int len = 0; len < bin.length; len++) {
            byte[] cut = Arrays.copyOf(bin, len);
            InvalidServiceTagsException e = assertThrows(InvalidServiceTagsException.class, () -> read(cut),
                    "truncated to " + len);
            if (len == 0) {
                assertEquals("test.bin: byte 0: the stream is empty; expected a servicetags binary index",
                        e.getMessage());
            } else if (len >= IndexCodec.HEADER) {
                assertTrue(e.getMessage().contains("the payload ends early (truncated?): " + (len - IndexCodec.HEADER)
                        + " of "), e.getMessage());
            }
        }
    }

    @Test
    void trailingBytesAreRefused() throws IOException {
        byte[] bin = write(small());
        byte[] more = Arrays.copyOf(bin, bin.length + 1);
        InvalidServiceTagsException e = assertThrows(InvalidServiceTagsException.class, () -> read(more));
        assertEquals("trailing bytes after the payload", e.problem());
    }

    @Test
    void jsonIsRefusedWithAHint() {
        byte[] json = "{\"changeNumber\": 1, \"cloud\": \"Public\", \"values\": []}".getBytes(StandardCharsets.UTF_8);
        InvalidServiceTagsException e = assertThrows(InvalidServiceTagsException.class, () -> read(json));
        assertEquals("test.bin: byte 0: bad magic bytes 7b226368616e6765: this looks like JSON: load it with "
                + "ServiceTags.load", e.getMessage());
    }

    @Test
    void otherVersionIsRefused() throws IOException {
        byte[] bin = write(small());
        bin[9] = 2;
        InvalidServiceTagsException e = assertThrows(InvalidServiceTagsException.class, () -> read(bin));
        assertEquals("test.bin: byte 8: unsupported binary index version 2; this library reads version 1 (write it "
                + "again with this version's ServiceTags.write)", e.getMessage());
    }

    @Test
    void forgedHugePayloadLengthIsRefusedBeforeReading() throws IOException {
        byte[] bin = write(small());
        ByteBuffer.wrap(bin).putInt(12, 0xfffffff0);
        InvalidServiceTagsException e = assertThrows(InvalidServiceTagsException.class, () -> read(bin));
        assertEquals("payload length 4294967280 exceeds the limit of 268435456 bytes (LoadOptions.maxDocumentBytes)",
                e.problem());
        // a length within the limit on a short stream: refused as truncated, without a 200 MB buffer
        ByteBuffer.wrap(bin).putInt(12, 200 << 20);
        e = assertThrows(InvalidServiceTagsException.class, () -> read(bin));
        assertTrue(e.problem().startsWith("the payload ends early (truncated?)"), e.problem());
    }

    @Test
    void forgedHugeCountsWithAValidChecksumAreRefused() throws IOException {
        // string table count = 2^62: far more than the bytes that remain
        byte[] payload = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
            (byte) 0x80, 0x40, 0};
        InvalidServiceTagsException e = assertThrows(InvalidServiceTagsException.class,
                () -> read(withHeader(payload)));
        assertEquals("test.bin: byte 20: string table 4611686018427387904 is larger than the 1 bytes that remain",
                e.getMessage());
        // a string length larger than what remains
        e = assertThrows(InvalidServiceTagsException.class, () -> read(withHeader(new byte[] {1, (byte) 0xff, 0x7f})));
        assertEquals("string length 16383 is larger than the 0 bytes that remain", e.problem());
        // a varint longer than 64 bits
        byte[] endless = new byte[12];
        Arrays.fill(endless, (byte) 0xff);
        e = assertThrows(InvalidServiceTagsException.class, () -> read(withHeader(endless)));
        assertEquals("malformed number", e.problem());
    }

    @Test
    void semanticErrorsWithAValidChecksumAreRefused() throws IOException {
        // host bits: 20.38.98.7/24 (the writer never produces it; a forger might)
        byte[] bin = write(ServiceTags.of("Public", 1, "x", List.of(new ServiceTag("A", "A", "", 0, "", "", Set.of(),
                1, List.of(IpPrefix.parse("20.38.98.0/24")))))); 
        byte[] payload = Arrays.copyOfRange(bin, IndexCodec.HEADER, bin.length);
        int at = indexOf(payload, new byte[] {24, 20, 38, 98});
        payload[at + 3] = 99; // 20.38.99.0/24 is fine; now set a host bit in a /23
        payload[at] = 23;
        InvalidServiceTagsException e = assertThrows(InvalidServiceTagsException.class,
                () -> read(withHeader(payload)));
        assertTrue(e.problem().contains("host bits set in 20.38.99.0/23"), e.problem());
        // duplicate tag names
        ServiceTags two = ServiceTags.of("Public", 1, "x", List.of(
                new ServiceTag("A", "A", "", 0, "", "", Set.of(), 1, List.of()),
                new ServiceTag("B", "B", "", 0, "", "", Set.of(), 1, List.of())));
        byte[] p2 = Arrays.copyOfRange(write(two), IndexCodec.HEADER, write(two).length);
        int b = indexOf(p2, new byte[] {1, 'B'});
        p2[b + 1] = 'A';
        e = assertThrows(InvalidServiceTagsException.class, () -> read(withHeader(p2)));
        assertTrue(e.problem().contains("duplicate tag name A"), e.problem());
        // a prefix length out of range
        byte[] p3 = payload.clone();
        p3[at] = 33;
        e = assertThrows(InvalidServiceTagsException.class, () -> read(withHeader(p3)));
        assertEquals("prefix length 33 is out of range for IPv4", e.problem());
    }

    /**
     * Forged payloads with a valid checksum (every byte replaced by several values): each is refused with an
     * {@link InvalidServiceTagsException} or read into a usable instance, never another exception.
     */
    @Test
    void forgedBytesWithAValidChecksumNeverBreakTheReader() throws IOException {
        byte[] bin = write(small());
        byte[] payload = Arrays.copyOfRange(bin, IndexCodec.HEADER, bin.length);
        int refused = 0;
        for (int i = 0; i < payload.length; i++) {
            for (int v : new int[] {0, 1, 2, 0x7f, 0x80, 0xff}) {
                byte[] bad = payload.clone();
                bad[i] = (byte) v;
                try {
                    ServiceTags st = read(withHeader(bad));
                    for (String ip : List.of("0.0.0.0", "20.38.98.7", "255.255.255.255", "::", "2603:1000:4::1",
                            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")) {
                        st.lookup(ip).names();
                    }
                } catch (InvalidServiceTagsException e) {
                    refused++;
                } catch (RuntimeException | IOException e) {
                    throw new AssertionError("byte " + i + " = " + v + ": " + e, e);
                }
            }
        }
        assertTrue(refused > payload.length, "only " + refused + " forgeries refused");
    }

    static byte[] withHeader(byte[] payload) {
        CRC32 crc = new CRC32();
        crc.update(payload);
        ByteBuffer b = ByteBuffer.allocate(IndexCodec.HEADER + payload.length);
        b.put(IndexCodec.MAGIC).putShort((short) 1).putShort((short) 0).putInt(payload.length)
                .putInt((int) crc.getValue()).put(payload);
        return b.array();
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        fail("not found: " + Arrays.toString(needle));
        return -1;
    }

    static void assertSameData(ServiceTags a, ServiceTags b) {
        assertEquals(a.cloud(), b.cloud());
        assertEquals(a.changeNumber(), b.changeNumber());
        assertEquals(a.tags().size(), b.tags().size());
        for (int i = 0; i < a.tags().size(); i++) {
            ServiceTag x = a.tags().get(i);
            ServiceTag y = b.tags().get(i);
            String n = x.name();
            assertEquals(x.name(), y.name());
            assertEquals(x.id(), y.id(), n);
            assertEquals(x.region(), y.region(), n);
            assertEquals(x.regionId(), y.regionId(), n);
            assertEquals(x.platform(), y.platform(), n);
            assertEquals(x.systemService(), y.systemService(), n);
            assertEquals(x.networkFeatures(), y.networkFeatures(), n);
            assertEquals(x.changeNumber(), y.changeNumber(), n);
            assertEquals(x.prefixes(), y.prefixes(), n);
        }
    }

    /** Every prefix boundary (first, last, one before, one after) and random addresses answer the same names. */
    static void assertSameLookups(ServiceTags a, ServiceTags b, Random r) {
        List<long[]> probes = new ArrayList<>();
        for (ServiceTag t : a.tags()) {
            for (IpPrefix p : t.prefixes()) {
                if (p.family() == IpFamily.IPV4) {
                    probes.add(new long[] {-1, p.low()});
                    probes.add(new long[] {-1, p.lastLow()});
                    probes.add(new long[] {-1, (p.low() - 1) & 0xffffffffL});
                    probes.add(new long[] {-1, (p.lastLow() + 1) & 0xffffffffL});
                } else {
                    probes.add(new long[] {p.high(), p.low()});
                    probes.add(new long[] {p.lastHigh(), p.lastLow()});
                }
            }
        }
        for (int i = 0; i < 20_000; i++) {
            probes.add(new long[] {-1, r.nextInt() & 0xffffffffL});
            probes.add(new long[] {0x2000_0000_0000_0000L | (r.nextLong() >>> 3), r.nextLong()});
        }
        for (long[] p : probes) {
            TagSet x = p[0] == -1 ? a.lookupIPv4((int) p[1]) : a.lookupIPv6(p[0], p[1]);
            TagSet y = p[0] == -1 ? b.lookupIPv4((int) p[1]) : b.lookupIPv6(p[0], p[1]);
            assertEquals(x.names(), y.names());
        }
        assertSame(b.lookupIPv4(0x14266207), b.lookupIPv4(0x14266207));
    }
}
