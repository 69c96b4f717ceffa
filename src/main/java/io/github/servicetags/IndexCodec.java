package io.github.servicetags;

import io.github.servicetags.internal.DataOpener;
import io.github.servicetags.internal.DataRules;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.zip.CRC32;
import java.util.zip.ZipException;

/**
 * The compact binary form of a {@link ServiceTags}: what {@link ServiceTags#write} writes and {@link ServiceTags#read}
 * reads, and the one binary framing of the library (the bundled snapshot and the cache's index use it too). It holds
 * the data, and optionally the lookup tables: reading decodes the tags without any text parsing and, unless the
 * caller trusts the file's tables, builds the index exactly as a JSON load does, so a binary given to
 * {@link ServiceTags#read} can never answer differently from its own prefixes, whatever a forger puts in it (the
 * checksums detect damage; they are not a signature). Stored tables are used only for files this library wrote in
 * places it owns: the bundled snapshot in the jar, and the cache's index, checked against the SHA-256 of the JSON it
 * was made from.
 *
 * <pre>
 * header (20 bytes, big-endian)
 *   0  magic     89 53 54 41 47 0D 0A 1A   ("\x89STAG\r\n\x1a": binary, and damaged by text-mode copies)
 *   8  version   u16 = 1
 *  10  flags     u16: bit 0 TABLES, bit 1 ORIGIN (0 for what ServiceTags.write writes)
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
 * trailer (only when a flag is set)
 *   length u32, crc32 u32 of what follows, then
 *   origin       32 bytes (ORIGIN): the SHA-256 of the JSON document the index was made from
 *   tables       (TABLES) u32 tag count, u32 prefix count (of the data above), u32 set count, per set u32 n and
 *                n tag numbers; the int arrays dir4, vals4, dir6, ids6 and the long arrays nodes4, hi6, lo6 of
 *                {@link PrefixIndex}, each as u32 length and values; u32 IPv4 interval count
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
    static final int FLAG_TABLES = 1;
    static final int FLAG_ORIGIN = 2;
    static final int ORIGIN_BYTES = 32;

    private IndexCodec() {}

    // ------------------------------------------------------------------------------------------------ writing

    static void write(ServiceTags st, OutputStream out) throws IOException {
        write(st, out, false, null);
    }

    /**
     * Writes the binary form, with the lookup tables when {@code tables} is set and with the SHA-256 of the JSON
     * document it was made from when {@code origin} is not null.
     */
    static void write(ServiceTags st, OutputStream out, boolean tables, byte[] origin) throws IOException {
        if (origin != null && origin.length != ORIGIN_BYTES) {
            throw new IllegalArgumentException("origin must be a SHA-256 (32 bytes), got " + origin.length);
        }
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
        int flags = (tables ? FLAG_TABLES : 0) | (origin != null ? FLAG_ORIGIN : 0);
        ByteBuffer h = ByteBuffer.allocate(HEADER);
        h.put(MAGIC).putShort((short) VERSION).putShort((short) flags).putInt(p.size).putInt((int) crc.getValue());
        out.write(h.array());
        out.write(p.buf, 0, p.size);
        if (flags != 0) {
            ByteArrayOutputStream t = new ByteArrayOutputStream(tables ? 1 << 21 : ORIGIN_BYTES);
            if (origin != null) {
                t.write(origin);
            }
            if (tables) {
                writeTables(st, new DataOutputStream(t));
            }
            byte[] body = t.toByteArray();
            CRC32 tc = new CRC32();
            tc.update(body);
            out.write(ByteBuffer.allocate(8).putInt(body.length).putInt((int) tc.getValue()).array());
            out.write(body);
        }
    }

    private static void writeTables(ServiceTags st, DataOutputStream d) throws IOException {
        List<ServiceTag> tags = st.tags();
        PrefixIndex x = st.index();
        IdentityHashMap<ServiceTag, Integer> number = new IdentityHashMap<>();
        for (int i = 0; i < tags.size(); i++) {
            number.put(tags.get(i), i);
        }
        d.writeInt(tags.size());
        d.writeInt(prefixTotal(tags));
        d.writeInt(x.sets.length);
        for (TagSet set : x.sets) {
            d.writeInt(set.size());
            for (ServiceTag t : set.tags()) {
                d.writeInt(number.get(t));
            }
        }
        for (int[] a : new int[][] {x.dir4, x.vals4, x.dir6, x.ids6}) {
            d.writeInt(a.length);
            for (int v : a) {
                d.writeInt(v);
            }
        }
        for (long[] a : new long[][] {x.nodes4, x.hi6, x.lo6}) {
            d.writeInt(a.length);
            for (long v : a) {
                d.writeLong(v);
            }
        }
        d.writeInt(x.intervals4);
        d.flush();
    }

    private static int prefixTotal(List<ServiceTag> tags) {
        int n = 0;
        for (ServiceTag t : tags) {
            n += t.prefixCount(); // not prefixes().size(): that would decode a trusted read's prefixes
        }
        return n;
    }

    /**
     * The tables of a trailer body (from {@code off}, after the origin if any) for these tags, or null when they do
     * not fit them (another file's tables, or a damaged count): the caller then builds the index, which is always
     * right.
     */
    static PrefixIndex readTables(byte[] b, int off, List<ServiceTag> tags) {
        try {
            RawTables raw = RawTables.read(new Body(new java.io.ByteArrayInputStream(b, off, b.length - off),
                    b.length - off));
            return raw == null ? null : raw.fit(tags);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a byte array does not fail
        }
    }

    /** The tables of a trailer as stored, before they are fitted to the tags of the payload. */
    private record RawTables(int tagCount, int prefixCount, int[] setStarts, int[] setMembers, int[][] ints,
            long[][] longs, int intervals4) {
        /** Reads the tables from the rest of the body; null when they do not parse (they are then not used). */
        static RawTables read(Body in) throws IOException {
            try {
                int tagCount = in.u32();
                int prefixCount = in.u32();
                int nsets = in.u32();
                if (nsets < 1 || nsets > in.remaining() / 4) {
                    return null;
                }
                int[] starts = new int[nsets + 1];
                int[] members = new int[16];
                int m = 0;
                for (int i = 0; i < nsets; i++) {
                    int n = in.u32();
                    if (n < 0 || n > in.remaining() / 4) {
                        return null;
                    }
                    if (m + n > members.length) {
                        members = Arrays.copyOf(members, Math.max(m + n, 2 * members.length));
                    }
                    in.ints(members, m, n);
                    starts[i + 1] = m += n;
                }
                int[][] ints = new int[4][];
                for (int k = 0; k < 4; k++) {
                    int n = in.u32();
                    if (n < 0 || n > in.remaining() / 4) {
                        return null;
                    }
                    ints[k] = new int[n];
                    in.ints(ints[k], 0, n);
                }
                long[][] longs = new long[3][];
                for (int k = 0; k < 3; k++) {
                    int n = in.u32();
                    if (n < 0 || n > in.remaining() / 8) {
                        return null;
                    }
                    longs[k] = new long[n];
                    in.longs(longs[k], n);
                }
                int intervals4 = in.u32();
                return in.remaining() == 0
                        ? new RawTables(tagCount, prefixCount, starts, members, ints, longs, intervals4) : null;
            } catch (Body.Short e) {
                return null; // a count that runs past the end
            }
        }

        /** The index over these tables for the tags, or null when they are not theirs. */
        PrefixIndex fit(List<ServiceTag> tags) {
            if (tagCount != tags.size() || prefixCount != prefixTotal(tags)) {
                return null;
            }
            try {
                TagSet[] sets = new TagSet[setStarts.length - 1];
                for (int i = 0; i < sets.length; i++) {
                    int n = setStarts[i + 1] - setStarts[i];
                    if (n > tags.size()) {
                        return null;
                    }
                    ServiceTag[] members = new ServiceTag[n];
                    for (int j = 0; j < n; j++) {
                        members[j] = tags.get(setMembers[setStarts[i] + j]);
                    }
                    sets[i] = new TagSet(members);
                }
                return PrefixIndex.ofStoredTables(sets, ints[0], longs[0], ints[1], ints[2], longs[1], longs[2],
                        ints[3], intervals4);
            } catch (RuntimeException e) {
                return null; // a tag number out of range, a tag twice in a set: build instead
            }
        }
    }

    /**
     * The body of a trailer read from the stream through a small window, its checksum computed on the way: the
     * tables go straight into their arrays, without a copy of the whole body (a cold start allocates little
     * enough to need no collection).
     */
    private static final class Body {
        /** Fewer bytes than a read needs: the tables do not parse. */
        static final class Short extends Exception {
            Short() {
                super(null, null, false, false);
            }
        }

        private static final Short SHORT = new Short();

        final CRC32 crc = new CRC32();
        private final InputStream in;
        private final long length;
        private final byte[] buf;
        private long read; // bytes taken from the stream
        private int pos;
        private int lim;
        private boolean eof;

        Body(InputStream in, long length) {
            this.in = in;
            this.length = length;
            this.buf = new byte[(int) Math.min(length, 1 << 16)];
        }

        long read() {
            return read;
        }

        /** Declared bytes not yet consumed. */
        long remaining() {
            return length - read + (lim - pos);
        }

        /** Makes {@code n} bytes (at most the window) available at {@code pos}, or returns false. */
        private boolean ensure(int n) throws IOException {
            if (lim - pos >= n) {
                return true;
            }
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            pos = 0;
            while (lim < n && !eof && read < length) {
                int want = (int) Math.min(buf.length - lim, length - read);
                int got = in.readNBytes(buf, lim, want);
                crc.update(buf, lim, got);
                read += got;
                lim += got;
                eof = got < want;
            }
            return lim - pos >= n;
        }

        /** The next {@code n} bytes, or null when the body has fewer. */
        byte[] bytes(int n) throws IOException {
            if (!ensure(n)) {
                return null;
            }
            pos += n;
            return Arrays.copyOfRange(buf, pos - n, pos);
        }

        int u32() throws IOException, Short {
            if (!ensure(4)) {
                throw SHORT;
            }
            pos += 4;
            return (buf[pos - 4] & 0xff) << 24 | (buf[pos - 3] & 0xff) << 16 | (buf[pos - 2] & 0xff) << 8
                    | buf[pos - 1] & 0xff;
        }

        void ints(int[] dst, int off, int n) throws IOException, Short {
            for (int end = off + n; off < end; ) {
                if (!ensure(4)) {
                    throw SHORT;
                }
                int k = Math.min(end - off, (lim - pos) / 4);
                ByteBuffer.wrap(buf, pos, 4 * k).asIntBuffer().get(dst, off, k);
                pos += 4 * k;
                off += k;
            }
        }

        void longs(long[] dst, int n) throws IOException, Short {
            for (int off = 0; off < n; ) {
                if (!ensure(8)) {
                    throw SHORT;
                }
                int k = Math.min(n - off, (lim - pos) / 8);
                ByteBuffer.wrap(buf, pos, 8 * k).asLongBuffer().get(dst, off, k);
                pos += 8 * k;
                off += k;
            }
        }

        /** Reads what is left of the body (for the checksum). */
        void drain() throws IOException {
            while (!eof && read < length) {
                pos = lim = 0;
                ensure(buf.length);
            }
            pos = lim;
        }
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

    /**
     * What a reader takes from a file beyond its data: its stored tables (only for files this library wrote in a
     * place it owns), and the SHA-256 of the JSON the file must have been made from (null: any).
     */
    record Trust(boolean tables, byte[] origin) {
        static final Trust NONE = new Trust(false, null);
    }

    static ServiceTags read(InputStream in, String source, LoadOptions options) throws IOException {
        return read(in, source, options, Trust.NONE);
    }

    static ServiceTags read(InputStream in, String source, LoadOptions options, Trust trust) throws IOException {
        return read(DataOpener.open(in, source, options.maxDocumentBytes()), source, options, trust);
    }

    /** Reads an opened stream (plain or gunzipped by {@link DataOpener}). */
    static ServiceTags read(DataOpener.Opened in, String source, LoadOptions options, Trust trust)
            throws IOException {
        try {
            return readPlain(in.raw(), source, options, trust);
        } catch (ZipException | EOFException e) {
            throw new InvalidServiceTagsException(source, "", DataOpener.corruptGzip(e), e);
        }
    }

    private static ServiceTags readPlain(InputStream in, String source, LoadOptions options, Trust trust)
            throws IOException {
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
        if ((flags & ~(FLAG_TABLES | FLAG_ORIGIN)) != 0) {
            throw invalid(source, 10, "unknown flags 0x" + Integer.toHexString(flags) + " in the header");
        }
        long length = h.getInt(12) & 0xffffffffL;
        long max = Math.min(options.maxDocumentBytes(), Integer.MAX_VALUE - 64);
        if (length > max - HEADER) { // the header counts towards the document's bytes
            throw invalid(source, 12, "payload length " + length + ": " + DataRules.documentTooLarge(max));
        }
        byte[] payload = readUpTo(in, (int) length);
        if (payload.length < length) {
            throw invalid(source, HEADER + payload.length, "the payload ends early (truncated?): " + payload.length
                    + " of " + length + " bytes");
        }
        boolean stored = trust.tables() && (flags & FLAG_TABLES) != 0; // the tables answer lookups
        Trailer trailer = flags == 0 ? null : trailer(in, source, HEADER + length, max, flags, stored);
        if (in.read() >= 0) {
            throw invalid(source, HEADER + length + (trailer == null ? 0 : 8 + trailer.length()),
                    trailer == null ? "trailing bytes after the payload" : "trailing bytes after the trailer");
        }
        CRC32 crc = new CRC32();
        crc.update(payload);
        int want = h.getInt(16);
        if ((int) crc.getValue() != want) {
            throw invalid(source, 16, String.format("checksum mismatch (header says %08x, payload has %08x):"
                    + " the file is corrupt", want, (int) crc.getValue()));
        }
        if (trust.origin() != null && (trailer == null || trailer.origin() == null
                || !Arrays.equals(trailer.origin(), 0, ORIGIN_BYTES, trust.origin(), 0, ORIGIN_BYTES))) {
            throw invalid(source, HEADER + length + 8, "the index was made from another document than expected");
        }
        if (stored) {
            // the tables answer lookups, so the prefixes are decoded only when a command asks for them
            return new In(payload, source, options, true).read(new StoredTables(trailer.tables()));
        }
        return new In(payload, source, options, false).read(PrefixIndex::build);
    }

    /** The index from a trailer's tables, or a build when they do not fit the tags (not a lambda: cold start). */
    private static final class StoredTables implements Function<List<ServiceTag>, PrefixIndex> {
        private final RawTables tables; // null when they did not parse

        StoredTables(RawTables tables) {
            this.tables = tables;
        }

        @Override
        public PrefixIndex apply(List<ServiceTag> tags) {
            PrefixIndex stored = tables == null ? null : tables.fit(tags);
            return stored != null ? stored : PrefixIndex.build(tags);
        }
    }

    /**
     * The prefixes of one tag as the payload holds them, checked by {@link In#scanPrefixes} to decode to valid
     * prefixes, decoded on first use by the same code that decodes them eagerly ({@link In#prefix}).
     */
    static final class EncodedPrefixes {
        private byte[] payload; // released once decoded
        private final int offset;
        private final int count;
        private final int ipv4Count;
        private final String source;

        EncodedPrefixes(byte[] payload, int offset, int count, int ipv4Count, String source) {
            this.payload = payload;
            this.offset = offset;
            this.count = count;
            this.ipv4Count = ipv4Count;
            this.source = source;
        }

        int count() {
            return count;
        }

        int ipv4Count() {
            return ipv4Count;
        }

        /** The prefixes in file order; called once, under this object's lock (by {@link ServiceTag}). */
        synchronized List<IpPrefix> decode() {
            In in = new In(payload, source, LoadOptions.defaults(), false);
            in.pos = offset;
            IpPrefix[] out = new IpPrefix[count];
            try {
                for (int i = 0; i < count; i++) {
                    out[i] = in.prefix();
                }
            } catch (IOException | IllegalArgumentException e) {
                // cannot happen: scanPrefixes let through only prefixes that decode to valid ones
                throw new IllegalStateException("prefixes of " + source + " at byte " + (HEADER + offset)
                        + " passed the check but do not decode", e);
            }
            payload = null;
            return List.of(out);
        }
    }

    /** Bytes read at first for a stated length; more only as they arrive. */
    private static final int READ_CHUNK = 4 << 20;

    /**
     * Reads {@code length} bytes, or fewer when the stream ends first. An honest length up to {@link #READ_CHUNK}
     * is read into one array of that size (no copies: a cold start allocates little enough to need no
     * collection); beyond it the array doubles as bytes arrive, so a forged length on a short stream allocates at
     * most {@code READ_CHUNK} more than the stream holds.
     */
    static byte[] readUpTo(InputStream in, int length) throws IOException {
        byte[] buf = new byte[Math.min(length, READ_CHUNK)];
        int n = 0;
        while (true) {
            n += in.readNBytes(buf, n, buf.length - n);
            if (n < buf.length) {
                return Arrays.copyOf(buf, n); // the stream ended early
            }
            if (n == length) {
                return buf;
            }
            buf = Arrays.copyOf(buf, (int) Math.min(length, 2L * buf.length));
        }
    }

    /** A trailer: its declared length, the origin (null without FLAG_ORIGIN) and the tables when asked for. */
    private record Trailer(long length, byte[] origin, RawTables tables) {}

    /**
     * Reads the trailer after the payload at {@code offset}: its length, its checksum and its body, of which it
     * keeps the origin and, with {@code tables}, the tables (null when they do not parse).
     */
    private static Trailer trailer(InputStream in, String source, long offset, long max, int flags, boolean tables)
            throws IOException {
        byte[] th = in.readNBytes(8);
        if (th.length < 8) {
            throw invalid(source, offset + th.length, "the trailer ends early (truncated?): " + th.length
                    + " of 8 bytes");
        }
        ByteBuffer t = ByteBuffer.wrap(th);
        long length = t.getInt(0) & 0xffffffffL;
        long min = ((flags & FLAG_ORIGIN) != 0 ? ORIGIN_BYTES : 0) + ((flags & FLAG_TABLES) != 0 ? 4 : 0);
        if (length < min) {
            throw invalid(source, offset, "trailer length " + length + " is shorter than the " + min
                    + " bytes its flags 0x" + Integer.toHexString(flags) + " need");
        }
        if (length > max - offset - 8) { // what precedes the body counts towards the document's bytes
            throw invalid(source, offset, "trailer length " + length + ": " + DataRules.documentTooLarge(max));
        }
        Body body = new Body(in, length);
        byte[] origin = (flags & FLAG_ORIGIN) != 0 ? body.bytes(ORIGIN_BYTES) : null;
        RawTables raw = tables ? RawTables.read(body) : null;
        body.drain();
        if (body.read() < length) {
            throw invalid(source, offset + 8 + body.read(), "the trailer ends early (truncated?): " + body.read()
                    + " of " + length + " bytes");
        }
        CRC32 crc = body.crc;
        if ((int) crc.getValue() != t.getInt(4)) {
            throw invalid(source, offset + 4, String.format("checksum mismatch (trailer says %08x, it has %08x):"
                    + " the file is corrupt", t.getInt(4), (int) crc.getValue()));
        }
        if ((flags & FLAG_TABLES) == 0 && length != min) {
            throw invalid(source, offset, "trailer of " + length + " bytes without tables (flags 0x"
                    + Integer.toHexString(flags) + ")");
        }
        return new Trailer(length, origin, raw);
    }

    /** Decoder of a payload whose checksum is good; still validates everything (the checksum is not a signature). */
    private static final class In {
        private final byte[] b;
        private final String source;
        private final LoadOptions options;
        private final boolean lazy; // keep the prefixes of tags encoded (EncodedPrefixes) where they are plain
        private int pos;
        private int item; // where the string or tag being decoded starts
        private String[] strings;
        // the rules each string passed (lazy reads): NAME, ID, REGION, TEXT, FEATURE bits
        private static final int NAME = 1;
        private static final int ID = 2;
        private static final int REGION = 4;
        private static final int TEXT = 8;
        private static final int FEATURE = 16;
        private byte[] checks;
        private int[] lastFeatures;
        private Set<String> lastFeatureSet;

        In(byte[] b, String source, LoadOptions options, boolean lazy) {
            this.b = b;
            this.source = source;
            this.options = options;
            this.lazy = lazy;
        }

        ServiceTags read(Function<List<ServiceTag>, PrefixIndex> indexer) throws IOException {
            try {
                return decode(indexer);
            } catch (IllegalArgumentException e) {
                // a rule of the data (DataRules), at the item being decoded
                throw new InvalidServiceTagsException(source, "byte " + (HEADER + item), e.getMessage(), e);
            }
        }

        private ServiceTags decode(Function<List<ServiceTag>, PrefixIndex> indexer) throws IOException {
            int ns = count("string table", 1);
            strings = new String[ns];
            checks = new byte[ns];
            CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
            for (int i = 0; i < ns; i++) {
                item = pos;
                int len = count("string length", 1);
                DataRules.requireStringLength(len / 4, options); // at most 4 bytes a character
                if (isAscii(pos, len)) { // nearly every string: one character a byte, nothing to decode
                    DataRules.requireStringLength(len, options);
                    strings[i] = new String(b, pos, len, StandardCharsets.ISO_8859_1);
                } else {
                    try {
                        CharBuffer cb = utf8.decode(ByteBuffer.wrap(b, pos, len));
                        DataRules.requireStringLength(cb.length(), options);
                        strings[i] = cb.toString();
                    } catch (CharacterCodingException e) {
                        throw fail("string " + i + " is not valid UTF-8");
                    }
                }
                pos += len;
            }
            item = pos;
            String cloud = DataRules.requireCloud(string());
            item = pos;
            long changeNumber = DataRules.requireChangeNumber(varint());
            int nt = count("tag count", 8);
            DataRules.requireTagCount(nt, options);
            List<ServiceTag> tags = new ArrayList<>(nt);
            long total = 0;
            for (int i = 0; i < nt; i++) {
                item = pos;
                int name = index();
                int id = index();
                int region = index();
                int regionId = DataRules.requireRegionId(varint());
                int platform = index();
                int systemService = index();
                int nf = count("feature count", 1);
                int[] features = new int[nf];
                for (int f = 0; f < nf; f++) {
                    features[f] = index();
                }
                long tagChange = DataRules.requireChangeNumber(varint());
                int np = count("prefix count", 1);
                DataRules.requirePrefixCountOfTag(np, options);
                total += np;
                DataRules.requireTotalPrefixCount(total, options);
                if (lazy) {
                    int start = pos;
                    int ipv4 = scanPrefixes(np);
                    if (ipv4 >= 0) {
                        // the checks of ServiceTag.Builder#build, in its order, once per distinct string
                        tags.add(ServiceTag.ofChecked(checked(name, NAME), checked(id, ID), checked(region, REGION),
                                regionId, checked(platform, TEXT), checked(systemService, TEXT),
                                featureSet(features), tagChange, new EncodedPrefixes(b, start, np, ipv4, source)));
                        continue;
                    }
                    pos = start; // a prefix that may be invalid: decoded now, refused with the eager path's error
                }
                List<IpPrefix> prefixes = new ArrayList<>(np);
                for (int p = 0; p < np; p++) {
                    prefixes.add(prefix());
                }
                List<String> featureList = new ArrayList<>(nf);
                for (int f : features) {
                    featureList.add(strings[f]);
                }
                tags.add(ServiceTag.builder(strings[name]).id(strings[id]).region(strings[region]).regionId(regionId)
                        .platform(strings[platform]).systemService(strings[systemService])
                        .networkFeatures(featureList).changeNumber(tagChange).prefixes(prefixes).build());
            }
            if (pos != b.length) {
                throw fail("unused bytes at the end of the payload");
            }
            item = 0;
            try {
                return ServiceTags.of(cloud, changeNumber, source, tags, indexer);
            } catch (IllegalArgumentException e) {
                throw new InvalidServiceTagsException(source, "", e.getMessage(), e);
            }
        }

        /**
         * Skips {@code n} encoded prefixes when each one certainly decodes to a valid prefix of a tag, and returns
         * how many are IPv4; returns -1 (position undefined) when any might not: a length out of range, bytes
         * missing, host bits set in the last byte, or an IPv6 prefix whose first byte is zero (it might be
         * IPv4-mapped). The caller then decodes the tag eagerly, so every error is the one {@link #prefix} and
         * {@link ServiceTag} give. Allocates nothing: the cheap half of a cold start from stored tables.
         */
        private int scanPrefixes(int n) {
            int ipv4 = 0;
            for (int p = 0; p < n; p++) {
                if (pos >= b.length) {
                    return -1;
                }
                int head = b[pos] & 0xff;
                boolean v6 = head >= 64;
                int length = v6 ? head - 64 : head;
                int bytes = (length + 7) >>> 3;
                if (length > (v6 ? 128 : 32) || b.length - pos - 1 < bytes) {
                    return -1;
                }
                // the bytes after the first ceil(length / 8) are zero by the encoding; only the last one can
                // carry host bits
                if ((length & 7) != 0 && (b[pos + bytes] & (0xff >>> (length & 7))) != 0) {
                    return -1;
                }
                if (v6 && (bytes == 0 || b[pos + 1] == 0)) {
                    return -1;
                }
                if (!v6) {
                    ipv4++;
                }
                pos += 1 + bytes;
            }
            return ipv4;
        }

        private boolean isAscii(int from, int len) {
            for (int i = from; i < from + len; i++) {
                if (b[i] < 0) {
                    return false;
                }
            }
            return true;
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

        private String string() throws IOException {
            return strings[index()];
        }

        private int index() throws IOException {
            long i = varint();
            if (Long.compareUnsigned(i, strings.length) >= 0) {
                throw fail("string index " + Long.toUnsignedString(i) + " is outside the table of "
                        + strings.length);
            }
            return (int) i;
        }

        /** The string, checked by the rule of its role ({@link DataRules}) unless it passed that rule before. */
        private String checked(int index, int rule) {
            String s = strings[index];
            if ((checks[index] & rule) == 0) {
                switch (rule) {
                    case NAME -> DataRules.requireTagName(s);
                    case ID -> DataRules.requireTagId(s);
                    case REGION -> DataRules.requireRegion(s);
                    case TEXT -> DataRules.requireText(s);
                    default -> DataRules.requireFeature(s);
                }
                checks[index] |= (byte) rule;
            }
            return s;
        }

        /** The checked features of a tag; the previous tag's set when the indexes are the same (most are). */
        private Set<String> featureSet(int[] features) {
            if (!Arrays.equals(features, lastFeatures)) {
                Set<String> set = new LinkedHashSet<>();
                for (int f : features) {
                    set.add(checked(f, FEATURE));
                }
                lastFeatures = features;
                lastFeatureSet = Collections.unmodifiableSet(set);
            }
            return lastFeatureSet;
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
