package io.github.servicetags.internal;

import io.github.servicetags.InvalidServiceTagsException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The one place that tells what a data stream is: plain or gzip (by the gzip magic bytes), then a servicetags
 * binary index (by its magic bytes) or text, which must be UTF-8 (UTF-16 and UTF-32, with or without a byte order
 * mark, are refused by name; one UTF-8 byte order mark is skipped). Used by {@code ServiceTags.load} (both
 * overloads), {@code ServiceTags.read}, the catalog reader, the cache and the updater.
 *
 * <p>Internal: public only because its callers live in several packages; not exported by the module.
 */
public final class DataOpener {
    /** The magic bytes of a servicetags binary index ({@code "\x89STAG\r\n\x1a"}). */
    private static final byte[] BINARY_MAGIC = {(byte) 0x89, 'S', 'T', 'A', 'G', '\r', '\n', 0x1a};

    private DataOpener() {}

    /** An opened stream: decompressed, limited, with its first bytes still to be read. */
    public static final class Opened {
        private final PushbackInputStream in;
        private final String source;
        private final boolean binary;
        private final byte[] head;

        private Opened(PushbackInputStream in, String source, byte[] head) {
            this.in = in;
            this.source = source;
            this.head = head;
            this.binary = head.length >= 5 && (head[0] & 0xff) == 0x89 && head[1] == 'S' && head[2] == 'T'
                    && head[3] == 'A' && head[4] == 'G';
        }

        /** True if the (decompressed) bytes start like a servicetags binary index. */
        public boolean isBinary() {
            return binary;
        }

        /** The stream from its first byte, for the binary reader (which checks the magic itself). */
        public InputStream raw() {
            return in;
        }

        /**
         * The stream as UTF-8 JSON text, its byte order mark skipped.
         *
         * @throws InvalidServiceTagsException for a binary index, UTF-16 or UTF-32 text, or two byte order marks
         */
        public InputStream json() throws IOException {
            if (binary) {
                throw new InvalidServiceTagsException(source, "byte 0", "this is a servicetags binary index, not "
                        + "JSON: read it with ServiceTags.read");
            }
            String encoding = otherEncoding(head);
            if (encoding != null) {
                throw new InvalidServiceTagsException(source, "byte 0", "the file is " + encoding
                        + " text; service-tag files are UTF-8 JSON (convert it, e.g. iconv -f " + encoding
                        + " -t UTF-8)");
            }
            boolean bom = isBom(head, 0);
            if (bom && isBom(head, 3)) {
                throw new InvalidServiceTagsException(source, "byte 3", "a second UTF-8 byte order mark; a file has "
                        + "at most one, at its start");
            }
            if (bom) {
                in.skipNBytes(3);
            }
            return in;
        }
    }

    /**
     * Opens {@code raw}, gunzipping it when it starts with the gzip magic bytes, and limited to {@code maxBytes}
     * decompressed (a gzip bomb stops at the limit). Reads a few bytes ahead; closing the result closes {@code raw}.
     *
     * @param source the name used in error messages
     */
    public static Opened open(InputStream raw, String source, long maxBytes) throws IOException {
        BufferedInputStream b = raw instanceof BufferedInputStream bi ? bi : new BufferedInputStream(raw, 1 << 16);
        b.mark(2);
        int b0 = b.read();
        int b1 = b.read();
        b.reset();
        InputStream s = b;
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                s = new GZIPInputStream(b, 1 << 16);
            } catch (EOFException e) {
                throw new InvalidServiceTagsException(source, "", "corrupt or truncated gzip data: the gzip header "
                        + "ends early", e);
            }
        }
        PushbackInputStream text = new PushbackInputStream(new LimitedInputStream(s, maxBytes, source), 8);
        byte[] head;
        try {
            head = text.readNBytes(8);
        } catch (ZipException | EOFException e) {
            throw new InvalidServiceTagsException(source, "", corruptGzip(e), e);
        }
        text.unread(head);
        return new Opened(text, source, head);
    }

    /** The one message for a gzip stream that is corrupt or ends early, whichever reader meets it. */
    public static String corruptGzip(IOException e) {
        return "corrupt or truncated gzip data: " + (e.getMessage() == null ? "the gzip stream ends early"
                : e.getMessage());
    }

    /**
     * Opens a file for reading. A {@code FileInputStream}, not {@code Files.newInputStream}: its {@code available()}
     * works on pipes ({@code --data <(zcat ...)}), where a channel's throws "Illegal seek". Never opened twice, so a
     * pipe works.
     *
     * @throws NoSuchFileException when it does not exist
     * @throws IOException naming the file and the reason ("Is a directory") when it cannot be opened
     */
    public static InputStream openFile(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        try {
            return new BufferedInputStream(new FileInputStream(file.toFile()), 1 << 16);
        } catch (FileNotFoundException e) {
            // its message is "FILE (Is a directory)": keep the reason, name the file once
            String why = e.getMessage().replace(file.toString(), "").replaceAll("^ *\\(|\\)$", "");
            throw new IOException(file + ": " + why, e);
        }
    }

    /**
     * True if the file is regular, not empty, and starts like data: gzip, a binary index, or a JSON object
     * (optionally after a byte order mark and whitespace). Cheap: reads the first bytes only.
     */
    public static boolean looksLikeData(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(64);
            if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b
                    || head.length >= 8 && java.util.Arrays.equals(head, 0, 8, BINARY_MAGIC, 0, 8)) {
                return true;
            }
            int i = isBom(head, 0) ? 3 : 0;
            while (i < head.length && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' || head[i] == '\t')) {
                i++;
            }
            return i < head.length && head[i] == '{';
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isBom(byte[] h, int at) {
        return h.length >= at + 3 && (h[at] & 0xff) == 0xef && (h[at + 1] & 0xff) == 0xbb
                && (h[at + 2] & 0xff) == 0xbf;
    }

    /** The name of a UTF-16 or UTF-32 encoding the first bytes show (by BOM or by NUL pattern), else null. */
    static String otherEncoding(byte[] h) {
        int n = h.length;
        int b0 = n > 0 ? h[0] & 0xff : -1;
        int b1 = n > 1 ? h[1] & 0xff : -1;
        int b2 = n > 2 ? h[2] & 0xff : -1;
        int b3 = n > 3 ? h[3] & 0xff : -1;
        if (b0 == 0 && b1 == 0 && b2 == 0xfe && b3 == 0xff) {
            return "UTF-32BE";
        }
        if (b0 == 0xff && b1 == 0xfe && b2 == 0 && b3 == 0) {
            return "UTF-32LE";
        }
        if (b0 == 0xfe && b1 == 0xff) {
            return "UTF-16BE";
        }
        if (b0 == 0xff && b1 == 0xfe) {
            return "UTF-16LE";
        }
        if (n >= 4 && b0 == 0 && b1 == 0 && b2 == 0 && b3 != 0) {
            return "UTF-32BE";
        }
        if (n >= 4 && b0 != 0 && b1 == 0 && b2 == 0 && b3 == 0) {
            return "UTF-32LE";
        }
        if (n >= 2 && b0 == 0 && b1 > 0) {
            return "UTF-16BE";
        }
        if (n >= 2 && b0 > 0 && b1 == 0) {
            return "UTF-16LE";
        }
        return null; // all-NUL input is left to the JSON parser, which names the NUL byte
    }

    /** Counts bytes and refuses to read past the limit (also after gzip: a bomb stops at the limit). */
    static final class LimitedInputStream extends FilterInputStream {
        private final long max;
        private final String source;
        private long count;

        LimitedInputStream(InputStream in, long max, String source) {
            super(in);
            this.max = max;
            this.source = source;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                add(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long k = super.skip(n);
            if (k > 0) {
                add(k);
            }
            return k;
        }

        private void add(long n) throws IOException {
            count += n;
            if (count > max) {
                throw new InvalidServiceTagsException(source, "byte " + max, DataRules.documentTooLarge(max));
            }
        }
    }
}
