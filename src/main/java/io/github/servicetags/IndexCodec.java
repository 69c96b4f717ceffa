package io.github.servicetags;

import io.github.servicetags.internal.ServiceTagsReader;
import io.github.servicetags.internal.Strings;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The compact binary form of a {@link ServiceTags}: what {@link ServiceTags#write} writes and {@link ServiceTags#read}
 * reads. It holds the data, not the lookup tables: reading decodes the tags without any text parsing and builds the
 * index exactly as a JSON load does, so a binary can never answer differently from its own prefixes, whatever a
 * forger puts in it (the checksum detects damage; it is not a signature). Storing the tables too was tried: it
 * saved the index sweep but needed a check of the tables against the prefixes that cost about as much.
 *
 * <pre>
 * header (20 bytes, big-endian)
 *   0  magic     89 53 54 41 47 0D 0A 1A   ("\x89STAG\r\n\x1a": binary, and damaged by text-mode copies)
 *   8  version   u16 = 1
 *  10  flags     u16 = 0
 *  12  length    u32 payload bytes
 *  16  crc32     u32 of the payload
 * payload (varint = unsigned LEB128)
 *   strings      varint n, then n times: varint byte length, UTF-8 bytes (every distinct string once)
 *   cloud        varint string index
 *   changeNumber varint
 *   tags         varint n, then per tag: name, id, region (string indexes), regionId (varint), platform,
 *                systemService (string indexes), features (varint n + string indexes), changeNumber (varint),
 *                prefixes (varint n, then per prefix one byte: the length for IPv4, 64 + the length for
 *                IPv6; then the first ceil(length / 8) bytes of the network address: the rest are zero)
 * </pre>
 *
 * <p>Every length and count is checked against the bytes that remain before anything is allocated, and against the
 * {@link LoadOptions} limits, so a forged length is refused, never an {@code OutOfMemoryError}. A gzip-compressed
 * binary is read too.
 */
final class IndexCodec {
    static final byte[] MAGIC = {(byte) 0x89, 'S', 'T', 'A', 'G', '\r', '\n', 0x1a};
    static final int VERSION = 1;
    static final int HEADER = 20;
    private static final Pattern CLOUD = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,63}");
    private static final Pattern REGION = Pattern.compile("[A-Za-z0-9]{0,64}");
    private static final Pattern FEATURE = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,31}");

    private IndexCodec() {}

    // ------------------------------------------------------------------------------------------------ writing

    static void write(ServiceTags st, OutputStream out) throws IOException {
        Map<String, Integer> strings = new LinkedHashMap<>();
        intern(strings, st.cloud());
        for (ServiceTag t : st.tags()) {
            intern(strings, t.name());
            intern(strings, t.id());
            intern(strings, t.region());
            intern(strings, t.platform());
            intern(strings, t.systemService());
            for (String f : t.networkFeatures()) {
                intern(strings, f);
            }
        }
        Out p = new Out(1 << 20);
        p.varint(strings.size());
        for (String s : strings.keySet()) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            p.varint(b.length);
            p.bytes(b, b.length);
        }
        p.varint(strings.get(st.cloud()));
        p.varint(st.changeNumber());
        p.varint(st.tags().size());
        byte[] addr = new byte[16];
        for (ServiceTag t : st.tags()) {
            p.varint(strings.get(t.name()));
            p.varint(strings.get(t.id()));
            p.varint(strings.get(t.region()));
            p.varint(t.regionId());
            p.varint(strings.get(t.platform()));
            p.varint(strings.get(t.systemService()));
            p.varint(t.networkFeatures().size());
            for (String f : t.networkFeatures()) {
                p.varint(strings.get(f));
            }
            p.varint(t.changeNumber());
            p.varint(t.prefixes().size());
            for (IpPrefix q : t.prefixes()) {
                boolean v6 = q.family() == IpFamily.IPV6;
                p.bytes(new byte[] {(byte) ((v6 ? 64 : 0) + q.length())}, 1);
                if (v6) {
                    ByteBuffer.wrap(addr).putLong(0, q.high()).putLong(8, q.low());
                } else {
                    ByteBuffer.wrap(addr).putInt(0, q.ipv4());
                }
                p.bytes(addr, (q.length() + 7) >>> 3);
            }
        }
        CRC32 crc = new CRC32();
        crc.update(p.buf, 0, p.size);
        ByteBuffer h = ByteBuffer.allocate(HEADER);
        h.put(MAGIC).putShort((short) VERSION).putShort((short) 0).putInt(p.size).putInt((int) crc.getValue());
        out.write(h.array());
        out.write(p.buf, 0, p.size);
    }

    private static void intern(Map<String, Integer> strings, String s) {
        strings.putIfAbsent(s, strings.size());
    }

    /** A growable byte buffer; {@link ByteArrayOutputStream} without the synchronisation. */
    private static final class Out {
        byte[] buf;
        int size;

        Out(int capacity) {
            buf = new byte[capacity];
        }

        void varint(long v) {
            ensure(10);
            while ((v & ~0x7fL) != 0) {
                buf[size++] = (byte) ((v & 0x7f) | 0x80);
                v >>>= 7;
            }
            buf[size++] = (byte) v;
        }

        void bytes(byte[] b, int n) {
            ensure(n);
            System.arraycopy(b, 0, buf, size, n);
            size += n;
        }

        private void ensure(int n) {
            if (size + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ reading

    /** True if the stream starts like a binary index (plain or gzip-compressed is not told apart here). */
    static boolean startsWithMagic(byte[] head, int n) {
        return n >= MAGIC.length && Arrays.equals(head, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    static ServiceTags read(InputStream in, String source, LoadOptions options) throws IOException {
        return read(in, source, options, PrefixIndex::build);
    }

    static ServiceTags read(InputStream in, String source, LoadOptions options,
            Function<List<ServiceTag>, PrefixIndex> indexer) throws IOException {
        PushbackInputStream pin = new PushbackInputStream(in, 2);
        int b0 = pin.read();
        int b1 = pin.read();
        if (b1 >= 0) {
            pin.unread(b1);
        }
        if (b0 >= 0) {
            pin.unread(b0);
        }
        if (b0 == 0x1f && b1 == 0x8b) {
            // gzip: the limit applies to the decompressed bytes, so a gzip bomb stops at maxDocumentBytes
            try {
                return readPlain(new GZIPInputStream(pin, 1 << 16), source, options, indexer);
            } catch (ZipException | EOFException e) {
                throw new InvalidServiceTagsException(source, "", "the gzip compression is corrupt or truncated ("
                        + e.getMessage() + ")", e);
            }
        }
        return readPlain(pin, source, options, indexer);
    }

    private static ServiceTags readPlain(InputStream in, String source, LoadOptions options,
            Function<List<ServiceTag>, PrefixIndex> indexer) throws IOException {
        byte[] head = in.readNBytes(HEADER);
        if (head.length == 0) {
            throw invalid(source, 0, "the stream is empty; expected a servicetags binary index");
        }
        if (head.length < MAGIC.length && Arrays.equals(head, 0, head.length, MAGIC, 0, head.length)) {
            throw invalid(source, head.length, "the header ends early (truncated?): " + head.length + " of "
                    + HEADER + " bytes");
        }
        if (!startsWithMagic(head, head.length)) {
            int first = head[0] & 0xff;
            String hint = first == '{' || first == 0xef || first == '[' || Character.isWhitespace(first)
                    ? "this looks like JSON: load it with ServiceTags.load"
                    : first == '<' ? "this looks like an HTML or XML page" : "not a servicetags binary index";
            throw invalid(source, 0, "bad magic bytes " + hex(head, Math.min(8, head.length)) + ": " + hint);
        }
        if (head.length < HEADER) {
            throw invalid(source, head.length, "the header ends early (truncated?): " + head.length + " of "
                    + HEADER + " bytes");
        }
        ByteBuffer h = ByteBuffer.wrap(head);
        int version = h.getShort(8) & 0xffff;
        if (version != VERSION) {
            throw invalid(source, 8, "unsupported binary index version " + version + "; this library reads version "
                    + VERSION + " (write it again with this version's ServiceTags.write)");
        }
        int flags = h.getShort(10) & 0xffff;
        if (flags != 0) {
            throw invalid(source, 10, "unknown flags 0x" + Integer.toHexString(flags) + " in the header");
        }
        long length = h.getInt(12) & 0xffffffffL;
        long max = Math.min(options.maxDocumentBytes(), Integer.MAX_VALUE - 64);
        if (length > max) {
            throw invalid(source, 12, "payload length " + length + " exceeds the limit of " + max
                    + " bytes (LoadOptions.maxDocumentBytes)");
        }
        // readNBytes grows its buffer as bytes arrive: a forged length on a short stream allocates nothing big
        byte[] payload = in.readNBytes((int) length);
        if (payload.length < length) {
            throw invalid(source, HEADER + payload.length, "the payload ends early (truncated?): " + payload.length
                    + " of " + length + " bytes");
        }
        if (in.read() >= 0) {
            throw invalid(source, HEADER + length, "trailing bytes after the payload");
        }
        CRC32 crc = new CRC32();
        crc.update(payload);
        int want = h.getInt(16);
        if ((int) crc.getValue() != want) {
            throw invalid(source, 16, String.format("checksum mismatch (header says %08x, payload has %08x):"
                    + " the file is corrupt", want, (int) crc.getValue()));
        }
        return new In(payload, source, options).read(indexer);
    }

    /** Decoder of a payload whose checksum is good; still validates everything (the checksum is not a signature). */
    private static final class In {
        private final byte[] b;
        private final String source;
        private final LoadOptions options;
        private int pos;
        private String[] strings;

        In(byte[] b, String source, LoadOptions options) {
            this.b = b;
            this.source = source;
            this.options = options;
        }

        ServiceTags read(Function<List<ServiceTag>, PrefixIndex> indexer) throws IOException {
            int ns = count("string table", 1);
            strings = new String[ns];
            CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
            for (int i = 0; i < ns; i++) {
                int len = count("string length", 1);
                if (len > options.maxStringLength() * 4L) {
                    throw fail("string of " + len + " bytes exceeds the limit (LoadOptions.maxStringLength)");
                }
                try {
                    CharBuffer cb = utf8.decode(ByteBuffer.wrap(b, pos, len));
                    if (cb.length() > options.maxStringLength()) {
                        throw fail("string of " + cb.length() + " characters exceeds the limit of "
                                + options.maxStringLength() + " (LoadOptions.maxStringLength)");
                    }
                    strings[i] = cb.toString();
                } catch (CharacterCodingException e) {
                    throw fail("string " + i + " is not valid UTF-8");
                }
                pos += len;
            }
            String cloud = string();
            if (!CLOUD.matcher(cloud).matches()) {
                throw fail("cloud " + Strings.quote(cloud) + " is not a plain word");
            }
            long changeNumber = changeNumber();
            int nt = count("tag count", 8);
            if (nt > options.maxTags()) {
                throw fail(nt + " tags exceed the limit of " + options.maxTags() + " (LoadOptions.maxTags)");
            }
            List<ServiceTag> tags = new ArrayList<>(nt);
            long total = 0;
            for (int i = 0; i < nt; i++) {
                int at = pos;
                String name = string();
                if (!ServiceTagsReader.TAG_NAME.matcher(name).matches()) {
                    throw fail("invalid tag name " + Strings.quote(name));
                }
                String id = string();
                if (!ServiceTagsReader.TAG_NAME.matcher(id).matches()) {
                    throw fail("invalid tag id " + Strings.quote(id));
                }
                String region = string();
                if (!REGION.matcher(region).matches()) {
                    throw fail("region " + Strings.quote(region) + " must be letters and digits");
                }
                long regionId = varint();
                if (Long.compareUnsigned(regionId, Integer.MAX_VALUE) > 0) {
                    throw fail("regionId " + Long.toUnsignedString(regionId) + " is out of range");
                }
                String platform = plain(string());
                String systemService = plain(string());
                int nf = count("feature count", 1);
                Set<String> features = new LinkedHashSet<>();
                for (int f = 0; f < nf; f++) {
                    String feature = string();
                    if (!FEATURE.matcher(feature).matches()) {
                        throw fail("network feature " + Strings.quote(feature) + " is not a plain word");
                    }
                    features.add(feature);
                }
                long tagChange = changeNumber();
                int np = count("prefix count", 1);
                if (np > options.maxPrefixesPerTag()) {
                    throw fail(np + " prefixes in tag " + Strings.quote(name) + " exceed the limit of "
                            + options.maxPrefixesPerTag() + " (LoadOptions.maxPrefixesPerTag)");
                }
                total += np;
                if (total > options.maxTotalPrefixes()) {
                    throw fail("more than " + options.maxTotalPrefixes()
                            + " prefixes in the file (LoadOptions.maxTotalPrefixes)");
                }
                List<IpPrefix> prefixes = new ArrayList<>(np);
                for (int p = 0; p < np; p++) {
                    prefixes.add(prefix());
                }
                try {
                    tags.add(new ServiceTag(name, id, region, (int) regionId, platform, systemService, features,
                            tagChange, prefixes));
                } catch (IllegalArgumentException e) {
                    throw new InvalidServiceTagsException(source, "byte " + (HEADER + at), e.getMessage(), e);
                }
            }
            if (pos != b.length) {
                throw fail("unused bytes at the end of the payload");
            }
            try {
                return ServiceTags.of(cloud, changeNumber, source, tags, indexer);
            } catch (IllegalArgumentException e) {
                throw new InvalidServiceTagsException(source, "", e.getMessage(), e);
            }
        }

        private IpPrefix prefix() throws IOException {
            need(1);
            int head = b[pos++] & 0xff;
            boolean v6 = head >= 64;
            int length = v6 ? head - 64 : head;
            if (length > (v6 ? 128 : 32)) {
                pos--;
                throw fail("prefix length " + length + " is out of range for " + (v6 ? "IPv6" : "IPv4"));
            }
            int n = (length + 7) >>> 3;
            need(n);
            long high = 0;
            long low = 0;
            for (int i = 0; i < n; i++) {
                long v = b[pos + i] & 0xffL;
                if (v6) {
                    if (i < 8) {
                        high |= v << (56 - 8 * i);
                    } else {
                        low |= v << (56 - 8 * (i - 8));
                    }
                } else {
                    low |= v << (24 - 8 * i);
                }
            }
            int at = pos - 1;
            pos += n;
            try {
                return v6 ? IpPrefix.ofIPv6(high, low, length) : IpPrefix.ofIPv4((int) low, length);
            } catch (IllegalArgumentException e) {
                throw new InvalidServiceTagsException(source, "byte " + (HEADER + at), e.getMessage(), e);
            }
        }

        private String plain(String s) throws IOException {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < 0x20 || c == 0x7f) {
                    throw fail("control character in " + Strings.quote(s));
                }
            }
            return s;
        }

        private String string() throws IOException {
            long i = varint();
            if (Long.compareUnsigned(i, strings.length) >= 0) {
                throw fail("string index " + Long.toUnsignedString(i) + " is outside the table of "
                        + strings.length);
            }
            return strings[(int) i];
        }

        /** A count of items that take at least {@code minBytes} each: never more than the bytes that remain. */
        private int count(String what, int minBytes) throws IOException {
            int at = pos;
            long n = varint();
            int remain = b.length - pos;
            if (Long.compareUnsigned(n, remain / minBytes) > 0) {
                pos = at;
                throw fail(what + " " + Long.toUnsignedString(n) + " is larger than the " + remain
                        + " bytes that remain");
            }
            return (int) n;
        }

        /** A changeNumber: at most 18 decimal digits, as in the JSON. */
        private long changeNumber() throws IOException {
            long v = varint();
            if (Long.compareUnsigned(v, 999_999_999_999_999_999L) > 0) {
                throw fail("changeNumber " + Long.toUnsignedString(v) + " is out of range");
            }
            return v;
        }

        private long varint() throws IOException {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                need(1);
                int x = b[pos++];
                v |= (long) (x & 0x7f) << shift;
                if (x >= 0) {
                    if (shift == 63 && (x & 0x7e) != 0) {
                        break;
                    }
                    return v;
                }
            }
            throw fail("malformed number");
        }

        private void need(int n) throws IOException {
            if (b.length - pos < n) {
                throw fail("the payload ends early");
            }
        }

        private InvalidServiceTagsException fail(String problem) {
            return invalid(source, HEADER + pos, problem);
        }
    }

    private static InvalidServiceTagsException invalid(String source, long offset, String problem) {
        return new InvalidServiceTagsException(source, "byte " + offset, problem);
    }

    private static String hex(byte[] b, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(String.format("%02x", b[i] & 0xff));
        }
        return s.toString();
    }
}
