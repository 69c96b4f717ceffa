package io.github.servicetags;

import static io.github.servicetags.BinaryIndexTest.assertSameData;
import static io.github.servicetags.BinaryIndexTest.indexOf;
import static io.github.servicetags.BinaryIndexTest.withHeader;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * The binary format as documented in {@link IndexCodec}'s Javadoc, checked byte by byte on a hand-built index (the
 * expected bytes are written out here from the format description, not by the codec), and every refusal of the reader
 * with its message and the offset it names: truncation in each part, bad magic, flags and checksums, trailers of each
 * flag combination, forged counts and numbers, and each {@link LoadOptions} limit at exactly the limit and one past it.
 */
class BinaryIndexFormatTest {
    private static final IpPrefix V6_72 = IpPrefix.parse("2001:db8:0:0:ab00::/72");

    /** Two tags: an id that differs from the name, a two-byte regionId, features, a 2^35 changeNumber, a /72. */
    static ServiceTags hand() {
        return ServiceTags.of("Public", 300, "hand", List.of(
                ServiceTag.builder("Sql.WestEurope").id("Sql.WestEurope.v2").region("westeurope").regionId(300)
                        .platform("Azure").systemService("AzureSQL").networkFeatures(List.of("NSG", "API"))
                        .changeNumber(1L << 35).prefixes(List.of(IpPrefix.parse("20.38.98.0/24"),
                                IpPrefix.parse("20.38.98.7/32"), IpPrefix.parse("2603:1000:4::1/128"))).build(),
                ServiceTag.builder("AzureCloud").platform("Azure").networkFeatures(List.of("API")).changeNumber(7)
                        .prefixes(List.of(IpPrefix.parse("0.0.0.0/0"), IpPrefix.parse("10.0.0.0/8"), V6_72)).build()));
    }

    /** The payload of {@link #hand()}, written out from the format description. */
    static byte[] handPayload() {
        Bytes p = new Bytes();
        p.u(10); // strings, in order of first use: cloud, then per tag name, id, region, platform, service, features
        p.str("Public").str("Sql.WestEurope").str("Sql.WestEurope.v2").str("westeurope").str("Azure").str("AzureSQL")
                .str("NSG").str("API").str("AzureCloud").str("");
        p.u(0); // cloud: string 0
        p.u(0xac, 0x02); // changeNumber 300 = 0b10_0101100
        p.u(2); // tags
        p.u(1, 2, 3); // name, id, region
        p.u(0xac, 0x02); // regionId 300
        p.u(4, 5); // platform, systemService
        p.u(2, 6, 7); // features: NSG, API
        p.u(0x80, 0x80, 0x80, 0x80, 0x80, 0x01); // changeNumber 2^35 = 1 << (5 * 7)
        p.u(3); // prefixes
        p.u(24, 20, 38, 98); // 20.38.98.0/24: 3 address bytes
        p.u(32, 20, 38, 98, 7); // 20.38.98.7/32
        p.u(64 + 128, 0x26, 0x03, 0x10, 0x00, 0x00, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1); // 2603:1000:4::1/128
        p.u(8, 8, 9); // AzureCloud: name and id both string 8; region ""
        p.u(0); // regionId
        p.u(4, 9); // platform Azure (shared), systemService ""
        p.u(1, 7); // features: API (shared)
        p.u(7); // changeNumber
        p.u(3);
        p.u(0); // 0.0.0.0/0: no address bytes
        p.u(8, 10); // 10.0.0.0/8
        p.u(64 + 72, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0xab); // 2001:db8:0:0:ab00::/72: 9 address bytes
        return p.toByteArray();
    }

    /** A header as documented: magic, u16 version 1, u16 flags, u32 payload length, u32 CRC-32 of the payload. */
    static byte[] header(byte[] payload, int flags) {
        CRC32 crc = new CRC32();
        crc.update(payload);
        return ByteBuffer.allocate(20).put(new byte[] {(byte) 0x89, 'S', 'T', 'A', 'G', '\r', '\n', 0x1a})
                .putShort((short) 1).putShort((short) flags).putInt(payload.length).putInt((int) crc.getValue())
                .array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** A trailer as documented: u32 body length, u32 CRC-32 of the body, the body. */
    static byte[] trailer(byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        return concat(ByteBuffer.allocate(8).putInt(body.length).putInt((int) crc.getValue()).array(), body);
    }

    static byte[] write(ServiceTags st, boolean tables, byte[] origin) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        IndexCodec.write(st, out, tables, origin);
        return out.toByteArray();
    }

    static ServiceTags read(byte[] b) throws IOException {
        return ServiceTags.read(new ByteArrayInputStream(b), "test.bin");
    }

    static ServiceTags load(byte[] b, LoadOptions options) throws IOException {
        return ServiceTags.load(new ByteArrayInputStream(b), "test.bin", options);
    }

    static String refusal(byte[] b) {
        return assertThrows(InvalidServiceTagsException.class, () -> read(b)).getMessage();
    }

    static String refusal(byte[] b, LoadOptions options) {
        return assertThrows(InvalidServiceTagsException.class, () -> load(b, options)).getMessage();
    }

    static byte[] origin() {
        byte[] sha = new byte[32];
        for (int i = 0; i < sha.length; i++) {
            sha[i] = (byte) (0xa0 + i);
        }
        return sha;
    }

    // ------------------------------------------------------------------------------------------ the format

    @Test
    void aHandBuiltIndexIsWrittenByteForByteAsDocumented() throws IOException {
        byte[] payload = handPayload();
        assertArrayEquals(concat(header(payload, 0), payload), BinaryIndexTest.write(hand()));
    }

    @Test
    void theHandBuiltBytesReadAsTheIndex() throws IOException {
        byte[] payload = handPayload();
        ServiceTags back = read(concat(header(payload, 0), payload));
        assertSameData(hand(), back);
        assertEquals("Sql.WestEurope.v2", back.tag("Sql.WestEurope").orElseThrow().id());
        assertEquals(List.of(V6_72), back.tag("AzureCloud").orElseThrow().prefixes().subList(2, 3));
        // inside the /72 (its ninth byte is 0xab) and just outside it
        assertEquals(List.of("AzureCloud"), List.copyOf(back.lookup("2001:db8::ab00:0:0:1").names()));
        assertEquals(List.of("AzureCloud"), List.copyOf(back.lookup("2001:db8::abff:ffff:ffff:ffff").names()));
        assertEquals(List.of(), List.copyOf(back.lookup("2001:db8::ac00:0:0:0").names()));
        assertEquals(List.of(), List.copyOf(back.lookup("2001:db8::aa00:0:0:0").names()));
        assertEquals(List.of("AzureCloud", "Sql.WestEurope"), List.copyOf(back.lookup("20.38.98.7").names()));
    }

    @Test
    void anEmptyIndexIsTheStringTableTheCloudTheChangeNumberAndNoTags() throws IOException {
        byte[] payload = {1, 6, 'P', 'u', 'b', 'l', 'i', 'c', 0, 5, 0};
        ServiceTags empty = ServiceTags.of("Public", 5, "x", List.of());
        assertArrayEquals(concat(header(payload, 0), payload), BinaryIndexTest.write(empty));
        ServiceTags back = read(concat(header(payload, 0), payload));
        assertEquals("Public", back.cloud());
        assertEquals(5, back.changeNumber());
        assertEquals(List.of(), back.tags());
        assertEquals(0, back.lookup("20.38.98.7").size());
        assertEquals(0, back.lookup("2603:1000::1").size());
    }

    @Test
    void anOriginTrailerIsItsLengthItsChecksumAndTheSha() throws IOException {
        byte[] payload = handPayload();
        byte[] expected = concat(header(payload, IndexCodec.FLAG_ORIGIN), payload, trailer(origin()));
        byte[] bin = write(hand(), false, origin());
        assertArrayEquals(expected, bin);
        assertSameData(hand(), read(bin));
    }

    @Test
    void aTablesTrailerStartsWithTheCountsOfItsData() throws IOException {
        ServiceTags st = hand();
        byte[] bin = write(st, true, null);
        int body = 20 + handPayload().length + 8;
        ByteBuffer b = ByteBuffer.wrap(bin);
        assertEquals(IndexCodec.FLAG_TABLES, b.getShort(10));
        assertEquals(bin.length - body, b.getInt(body - 8), "trailer length");
        CRC32 crc = new CRC32();
        crc.update(bin, body, bin.length - body);
        assertEquals((int) crc.getValue(), b.getInt(body - 4), "trailer checksum");
        assertEquals(2, b.getInt(body), "tag count");
        assertEquals(6, b.getInt(body + 4), "prefix count");
        assertEquals(st.tagSets().size(), b.getInt(body + 8), "set count");
        // origin first, then the same tables
        byte[] both = write(st, true, origin());
        assertArrayEquals(origin(), Arrays.copyOfRange(both, body, body + 32));
        assertArrayEquals(Arrays.copyOfRange(bin, body, bin.length), Arrays.copyOfRange(both, body + 32, both.length));
    }

    /** More than the writer's first 1 MiB buffer: 70,000 IPv6 /128s of 17 bytes each. */
    @Test
    void aPayloadOverOneMebibyteRoundTrips() throws IOException {
        List<IpPrefix> many = new ArrayList<>();
        for (int i = 0; i < 70_000; i++) {
            many.add(IpPrefix.ofIPv6(0x2603_1000_0000_0000L + i, 0x1234_5678_9abc_def0L + i, 128));
        }
        ServiceTags st = ServiceTags.of("Public", 1, "many", List.of(
                ServiceTag.builder("Many").changeNumber(1).prefixes(many).build()));
        byte[] bin = BinaryIndexTest.write(st);
        // header, strings (count, "Public", "Many", ""), cloud, changeNumber and tag count, the tag's 8 one-byte
        // fields, a 3-byte prefix count, the prefixes
        assertEquals(20 + (1 + 7 + 5 + 1) + 3 + 8 + 3 + 17 * 70_000, bin.length);
        assertEquals(bin.length - 20, ByteBuffer.wrap(bin).getInt(12));
        assertSameData(st, read(bin));
    }

    /**
     * A string table that ends exactly at 1 MiB, the writer's first buffer, so that the next number (the cloud's
     * string index) is the first byte past it: 2 bytes of count, "Public" (7), the first name (128), "" (1), 8,190
     * more names of 127 characters (128 bytes each: one byte of length) and one of 117 (118).
     */
    @Test
    void aStringTableEndingExactlyAtOneMebibyteRoundTrips() throws IOException {
        List<ServiceTag> tags = new ArrayList<>();
        for (int i = 0; i < 8_191; i++) {
            tags.add(ServiceTag.builder(String.format("T%0126d", i)).build());
        }
        tags.add(ServiceTag.builder("U" + "x".repeat(116)).build());
        ServiceTags st = ServiceTags.of("Public", 1, "names", tags);
        byte[] bin = BinaryIndexTest.write(st);
        assertEquals(2 + 7 + 128 + 1 + 8_190 * 128 + 118, 1 << 20, "fixture: the table's size");
        assertEquals(0, bin[20 + (1 << 20)], "the cloud's string index follows the table");
        assertSameData(st, read(bin));
    }

    /** One string of 3 MiB, larger than twice the writer's first buffer ({@link ServiceTags#of} has no length limit). */
    @Test
    void aStringLargerThanTheWritersBufferRoundTrips() throws IOException {
        String huge = "Azure".repeat((3 << 20) / 5 + 1);
        ServiceTags st = ServiceTags.of("Public", 1, "huge", List.of(ServiceTag.builder("A").platform(huge).build()));
        byte[] bin = BinaryIndexTest.write(st);
        assertEquals(huge, load(bin, LoadOptions.builder().maxStringLength(huge.length()).build()).tags().get(0)
                .platform());
    }

    // ------------------------------------------------------------------------------------------ the header

    @Test
    void everyShortHeaderIsReportedAsTruncated() throws IOException {
        byte[] bin = BinaryIndexTest.write(hand());
        for (int n = 1; n < 20; n++) {
            assertEquals("test.bin: byte " + n + ": the header ends early (truncated?): " + n + " of 20 bytes",
                    refusal(Arrays.copyOf(bin, n)));
        }
    }

    @Test
    void badMagicBytesNameWhatTheFileLooksLike() {
        String json = "this looks like JSON: load it with ServiceTags.load";
        String page = "this looks like an HTML or XML page";
        String other = "not a servicetags binary index";
        assertEquals("test.bin: byte 0: bad magic bytes 7b7d: " + json, refusal(bytes("{}")));
        assertEquals("test.bin: byte 0: bad magic bytes 5b5d: " + json, refusal(bytes("[]")));
        assertEquals("test.bin: byte 0: bad magic bytes efbbbf7b7d: " + json,
                refusal(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, '{', '}'}));
        assertEquals("test.bin: byte 0: bad magic bytes 0a7b7d: " + json, refusal(bytes("\n{}")));
        assertEquals("test.bin: byte 0: bad magic bytes 2020207b: " + json, refusal(bytes("   {")));
        assertEquals("test.bin: byte 0: bad magic bytes 3c68746d6c3e3c2f: " + page,
                refusal(bytes("<html></html>")));
        assertEquals("test.bin: byte 0: bad magic bytes 504b0304: " + other,
                refusal(new byte[] {'P', 'K', 3, 4}));
        // a text-mode copy turned \r\n into \n: no longer the magic
        byte[] damaged = {(byte) 0x89, 'S', 'T', 'A', 'G', '\n', 0x1a, 0, 1, 0, 0};
        assertEquals("test.bin: byte 0: bad magic bytes 89535441470a1a00: " + other, refusal(damaged));
        // a one-byte prefix of the magic that goes on differently
        assertEquals("test.bin: byte 0: bad magic bytes 8954: " + other, refusal(new byte[] {(byte) 0x89, 'T'}));
    }

    @Test
    void unknownFlagsAreRefused() throws IOException {
        for (int flag : new int[] {4, 0x80, 0x8000}) {
            byte[] bin = BinaryIndexTest.write(hand());
            ByteBuffer.wrap(bin).putShort(10, (short) flag);
            assertEquals("test.bin: byte 10: unknown flags 0x" + Integer.toHexString(flag) + " in the header",
                    refusal(bin));
        }
    }

    @Test
    void aBadPayloadChecksumIsRefused() throws IOException {
        byte[] bin = BinaryIndexTest.write(hand());
        CRC32 crc = new CRC32();
        crc.update(bin, 20, bin.length - 20);
        ByteBuffer.wrap(bin).putInt(16, (int) crc.getValue() ^ 1);
        assertEquals(String.format("test.bin: byte 16: checksum mismatch (header says %08x, payload has %08x): the "
                + "file is corrupt", (int) crc.getValue() ^ 1, (int) crc.getValue()), refusal(bin));
    }

    @Test
    void aTruncatedPayloadNamesWhereTheBytesEnd() throws IOException {
        byte[] bin = BinaryIndexTest.write(hand());
        int length = bin.length - 20;
        for (int n = 20; n < bin.length; n++) {
            assertEquals("test.bin: byte " + n + ": the payload ends early (truncated?): " + (n - 20) + " of "
                    + length + " bytes", refusal(Arrays.copyOf(bin, n)));
        }
    }

    @Test
    void trailingBytesAreRefusedWhereTheyStart() throws IOException {
        byte[] plain = BinaryIndexTest.write(hand());
        assertEquals("test.bin: byte " + plain.length + ": trailing bytes after the payload",
                refusal(Arrays.copyOf(plain, plain.length + 3)));
        byte[] withOrigin = write(hand(), false, origin());
        assertEquals("test.bin: byte " + withOrigin.length + ": trailing bytes after the trailer",
                refusal(Arrays.copyOf(withOrigin, withOrigin.length + 1)));
        byte[] withTables = write(hand(), true, origin());
        assertEquals("test.bin: byte " + withTables.length + ": trailing bytes after the trailer",
                refusal(Arrays.copyOf(withTables, withTables.length + 1)));
    }

    // ------------------------------------------------------------------------------------------ the trailer

    @Test
    void aTruncatedTrailerNamesWhereTheBytesEnd() throws IOException {
        byte[] bin = write(hand(), false, origin());
        int end = 20 + handPayload().length;
        for (int k = 0; k < 8; k++) {
            assertEquals("test.bin: byte " + (end + k) + ": the trailer ends early (truncated?): " + k + " of 8 bytes",
                    refusal(Arrays.copyOf(bin, end + k)));
        }
        for (int k = 0; k < 32; k++) {
            assertEquals("test.bin: byte " + (end + 8 + k) + ": the trailer ends early (truncated?): " + k
                    + " of 32 bytes", refusal(Arrays.copyOf(bin, end + 8 + k)));
        }
    }

    @Test
    void aBadTrailerChecksumIsRefused() throws IOException {
        byte[] bin = write(hand(), false, origin());
        int end = 20 + handPayload().length;
        int good = ByteBuffer.wrap(bin).getInt(end + 4);
        ByteBuffer.wrap(bin).putInt(end + 4, good ^ 0x100);
        assertEquals(String.format("test.bin: byte %d: checksum mismatch (trailer says %08x, it has %08x): the file "
                + "is corrupt", end + 4, good ^ 0x100, good), refusal(bin));
    }

    /** The body a trailer must hold: 32 bytes of origin (ORIGIN), at least 4 bytes of tables (TABLES), or both. */
    @Test
    void trailerLengthsAreCheckedAgainstTheFlags() throws IOException {
        byte[] payload = handPayload();
        int end = 20 + payload.length;
        int[][] cases = {{IndexCodec.FLAG_ORIGIN, 32}, {IndexCodec.FLAG_TABLES, 4},
            {IndexCodec.FLAG_ORIGIN | IndexCodec.FLAG_TABLES, 36}};
        for (int[] c : cases) {
            int flags = c[0];
            int min = c[1];
            byte[] atMin = concat(header(payload, flags), payload, trailer(new byte[min]));
            assertSameData(hand(), read(atMin)); // untrusted: tables are never read, only checked
            assertEquals("test.bin: byte " + end + ": trailer length " + (min - 1) + " is shorter than the " + min
                    + " bytes its flags 0x" + flags + " need",
                    refusal(concat(header(payload, flags), payload, trailer(new byte[min - 1]))));
        }
        // an origin without tables is exactly 32 bytes
        assertEquals("test.bin: byte " + end + ": trailer of 33 bytes without tables (flags 0x2)",
                refusal(concat(header(payload, IndexCodec.FLAG_ORIGIN), payload, trailer(new byte[33]))));
        // tables may be any length from 4 (a reader that trusts them checks them, and builds if they do not fit)
        byte[] tables = concat(header(payload, IndexCodec.FLAG_TABLES), payload, trailer(new byte[40]));
        assertSameData(hand(), read(tables));
        ServiceTags trusted = IndexCodec.read(new ByteArrayInputStream(tables), "t", LoadOptions.defaults(),
                new IndexCodec.Trust(true, null));
        assertTrue(PrefixIndex.build(trusted.tags()).sameTables(trusted.index()));
    }

    @Test
    void aWrongOriginNamesWhereTheOriginIs() throws IOException {
        byte[] bin = write(hand(), true, origin());
        byte[] other = origin();
        other[5] ^= 1;
        InvalidServiceTagsException e = assertThrows(InvalidServiceTagsException.class, () -> IndexCodec.read(
                new ByteArrayInputStream(bin), "t", LoadOptions.defaults(), new IndexCodec.Trust(false, other)));
        assertEquals("t: byte " + (20 + handPayload().length + 8) + ": the index was made from another document "
                + "than expected", e.getMessage());
    }

    // ------------------------------------------------------------------------------------------ the document limit

    @Test
    void aFileOfExactlyMaxDocumentBytesLoadsAndOneByteLessIsRefused() throws IOException {
        byte[] plain = BinaryIndexTest.write(hand());
        int n = plain.length;
        assertSameData(hand(), load(plain, LoadOptions.builder().maxDocumentBytes(n).build()));
        assertEquals("test.bin: byte 12: payload length " + (n - 20) + ": document larger than " + (n - 1)
                + " bytes (LoadOptions.maxDocumentBytes)",
                refusal(plain, LoadOptions.builder().maxDocumentBytes(n - 1).build()));
        // with a trailer: the whole file counts
        byte[] withOrigin = write(hand(), false, origin());
        int m = withOrigin.length;
        assertSameData(hand(), load(withOrigin, LoadOptions.builder().maxDocumentBytes(m).build()));
        assertEquals("test.bin: byte " + n + ": trailer length 32: document larger than " + (m - 1)
                + " bytes (LoadOptions.maxDocumentBytes)",
                refusal(withOrigin, LoadOptions.builder().maxDocumentBytes(m - 1).build()));
        // a forged length refused before the stream is read, also when the stream is short
        byte[] forged = plain.clone();
        ByteBuffer.wrap(forged).putInt(12, n - 20 + 1);
        assertEquals("test.bin: byte 12: payload length " + (n - 19) + ": document larger than " + n
                + " bytes (LoadOptions.maxDocumentBytes)", refusal(forged, LoadOptions.builder().maxDocumentBytes(n)
                        .build()));
        byte[] forgedTrailer = withOrigin.clone();
        ByteBuffer.wrap(forgedTrailer).putInt(n, 33);
        assertEquals("test.bin: byte " + n + ": trailer length 33: document larger than " + m
                + " bytes (LoadOptions.maxDocumentBytes)", refusal(forgedTrailer, LoadOptions.builder()
                        .maxDocumentBytes(m).build()));
    }

    // ------------------------------------------------------------------------------------------ the payload

    @Test
    void aStringIndexOneOutsideTheTableIsRefused() {
        byte[] payload = {1, 6, 'P', 'u', 'b', 'l', 'i', 'c', 1, 5, 0};
        assertEquals("test.bin: byte 29: string index 1 is outside the table of 1", refusal(withHeader(payload)));
    }

    @Test
    void aPayloadThatEndsInsideANumberIsRefused() {
        assertEquals("test.bin: byte 22: the payload ends early", refusal(withHeader(new byte[] {1, (byte) 0x80})));
        byte[] payload = {1, 6, 'P', 'u', 'b', 'l', 'i', 'c', 0, (byte) 0xff};
        assertEquals("test.bin: byte 30: the payload ends early", refusal(withHeader(payload)));
    }

    /** Unsigned LEB128 of 64 bits: the tenth byte holds bit 63 only, so it is 0 or 1. */
    @Test
    void aTenByteNumberHoldsSixtyFourBitsAndNoMore() {
        byte[] max = {1, 6, 'P', 'u', 'b', 'l', 'i', 'c', -1, -1, -1, -1, -1, -1, -1, -1, -1, 0x01, 5, 0};
        assertEquals("test.bin: byte 38: string index 18446744073709551615 is outside the table of 1",
                refusal(withHeader(max)));
        for (byte last : new byte[] {0x02, 0x03, 0x7f}) {
            byte[] over = max.clone();
            over[17] = last;
            assertEquals("test.bin: byte 38: malformed number", refusal(withHeader(over)));
        }
        byte[] eleven = Arrays.copyOf(max, max.length + 1);
        System.arraycopy(max, 17, eleven, 18, max.length - 17);
        eleven[17] = (byte) 0x81;
        assertEquals("test.bin: byte 38: malformed number", refusal(withHeader(eleven)));
    }

    /** A tag takes at least nine bytes (nine fields of at least one byte): a count beyond the bytes left is forged. */
    @Test
    void aTagCountLargerThanTheRestCanHoldIsRefusedBeforeDecoding() {
        byte[] payload = new byte[11 + 30];
        System.arraycopy(new byte[] {1, 6, 'P', 'u', 'b', 'l', 'i', 'c', 0, 5, 20}, 0, payload, 0, 11);
        assertEquals("test.bin: byte 30: tag count 20 is larger than the 30 bytes that remain",
                refusal(withHeader(payload)));
    }

    @Test
    void prefixErrorsNameThePrefixByte() throws IOException {
        byte[] payload = handPayload();
        int v4 = indexOf(payload, new byte[] {24, 20, 38, 98});
        byte[] p = payload.clone();
        p[v4] = 33;
        assertEquals("test.bin: byte " + (20 + v4) + ": prefix length 33 is out of range for IPv4",
                refusal(withHeader(p)));
        p[v4] = 22; // 20.38.98.0/22: 98 = 0b0110_0010 has a host bit
        assertEquals("test.bin: byte " + (20 + v4) + ": host bits set in 20.38.98.0/22; did you mean 20.38.96.0/22?",
                refusal(withHeader(p)));
        int v6 = indexOf(payload, new byte[] {(byte) 192, 0x26, 0x03});
        p = payload.clone();
        p[v6] = (byte) (64 + 129);
        assertEquals("test.bin: byte " + (20 + v6) + ": prefix length 129 is out of range for IPv6",
                refusal(withHeader(p)));
        int v72 = indexOf(payload, new byte[] {(byte) (64 + 72), 0x20, 0x01});
        p = payload.clone();
        p[v72] = (byte) (64 + 71); // 2001:db8:0:0:ab00::/71: 0xab has its last bit set
        assertEquals("test.bin: byte " + (20 + v72) + ": host bits set in 2001:db8:0:0:ab00::/71; did you mean "
                + "2001:db8:0:0:aa00::/71?", refusal(withHeader(p)));
    }

    @Test
    void dataRuleErrorsNameTheItemTheyAreIn() throws IOException {
        byte[] payload = handPayload();
        int cloud = indexOf(payload, new byte[] {3, 'A', 'P', 'I'}) + 4 + 11 + 1; // after "API", "AzureCloud", ""
        assertEquals(0, payload[cloud], "fixture: the cloud's string index");
        byte[] p = payload.clone();
        p[indexOf(p, "Public".getBytes(StandardCharsets.US_ASCII)) + 3] = '.';
        assertEquals("test.bin: byte " + (20 + cloud) + ": cloud name 'Pub.ic' is not a plain word",
                refusal(withHeader(p)));
        int firstTag = cloud + 4; // cloud, changeNumber (2 bytes), tag count
        p = payload.clone();
        p[indexOf(p, "westeurope".getBytes(StandardCharsets.US_ASCII)) + 4] = '-';
        assertEquals("test.bin: byte " + (20 + firstTag) + ": region 'west-urope' must be letters and digits",
                refusal(withHeader(p)).replaceAll("(must be letters and digits).*", "$1"));
    }

    // ------------------------------------------------------------------------------------------ the limits

    @Test
    void stringsOfExactlyMaxStringLengthCharactersLoadAndLongerAreRefused() throws IOException {
        LoadOptions twenty = LoadOptions.builder().maxStringLength(20).build();
        for (String s : List.of("x".repeat(20), "\u00e9".repeat(20), "\u20ac".repeat(20))) {
            ServiceTags st = ServiceTags.of("Public", 1, "x", List.of(ServiceTag.builder("A").platform(s).build()));
            assertEquals(s, load(BinaryIndexTest.write(st), twenty).tags().get(0).platform());
            ServiceTags longer = ServiceTags.of("Public", 1, "x", List.of(ServiceTag.builder("A").platform(s + "y")
                    .build()));
            assertTrue(refusal(BinaryIndexTest.write(longer), twenty).contains(
                    "String value length (21) exceeds the maximum allowed (20)"), s);
        }
    }

    @Test
    void exactlyMaxTagsLoadAndOneMoreIsRefused() throws IOException {
        LoadOptions two = LoadOptions.builder().maxTags(2).build();
        assertSameData(hand(), load(BinaryIndexTest.write(hand()), two));
        List<ServiceTag> three = new ArrayList<>(hand().tags());
        three.add(ServiceTag.builder("Third").build());
        assertTrue(refusal(BinaryIndexTest.write(ServiceTags.of("Public", 1, "x", three)), two)
                .endsWith(": more than 2 tags (LoadOptions.maxTags)"));
    }

    @Test
    void exactlyMaxPrefixesLoadAndOneMoreIsRefused() throws IOException {
        // hand(): 3 prefixes in each of 2 tags
        LoadOptions perTag = LoadOptions.builder().maxPrefixesPerTag(3).build();
        assertSameData(hand(), load(BinaryIndexTest.write(hand()), perTag));
        assertTrue(refusal(BinaryIndexTest.write(hand()), LoadOptions.builder().maxPrefixesPerTag(2).build())
                .endsWith(": more than 2 prefixes in one tag (LoadOptions.maxPrefixesPerTag)"));
        LoadOptions total = LoadOptions.builder().maxTotalPrefixes(6).build();
        assertSameData(hand(), load(BinaryIndexTest.write(hand()), total));
        assertTrue(refusal(BinaryIndexTest.write(hand()), LoadOptions.builder().maxTotalPrefixes(5).build())
                .endsWith(": more than 5 prefixes in the file (LoadOptions.maxTotalPrefixes)"));
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Bytes written out by hand. */
    static final class Bytes extends ByteArrayOutputStream {
        Bytes u(int... values) {
            for (int v : values) {
                write(v);
            }
            return this;
        }

        /** A string of at most 127 ASCII characters: its length in one varint byte, then the bytes. */
        Bytes str(String s) {
            write(s.length());
            writeBytes(s.getBytes(StandardCharsets.US_ASCII));
            return this;
        }
    }
}
