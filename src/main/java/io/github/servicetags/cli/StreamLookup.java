package io.github.servicetags.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.servicetags.ServiceTags;
import io.github.servicetags.TagSet;
import io.github.servicetags.internal.IpText;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * {@code lookup --stdin} at disk speed: lines are parsed straight from a large byte buffer and each answer is written
 * from bytes encoded once per distinct tag set, so a plain address line costs no {@code String} and no allocation.
 *
 * <p>The output is exactly that of {@link LookupCommand}'s per-line method, which stays the one authority for
 * everything but plain ASCII address lines: a line that is not an address (a CIDR, a typo, a NUL byte), a line with
 * non-ASCII bytes (decoded as UTF-8 like the line reader did, malformed bytes replaced) and, with
 * {@code perLineOnly}, every line goes to it as a {@code String}, in order and with the same line number. Other
 * ASCII text that is not an address is reported here with {@link IpText#whyInvalid}, the reason
 * {@link ServiceTags#lookup(String)} gives, without an exception per line. Line
 * rules as before: lines end at {@code \n}, {@code \r} or {@code \r\n}; a line longer than
 * {@value LookupCommand#MAX_LINE} characters is reported and skipped without being kept in memory; blank lines and
 * whitespace at both ends ({@link String#strip()}) are ignored.
 */
final class StreamLookup {
    /** The per-line method: answers (or reports) one stripped, non-empty line. */
    @FunctionalInterface
    interface PerLine {
        void answer(String text, String where) throws IOException;
    }

    private static final int BUFFER = 1 << 16;
    /** A line of more bytes has more than MAX_LINE characters however it decodes (at most 3 bytes per char). */
    private static final int MAX_BYTES = 3 * LookupCommand.MAX_LINE;
    private static final byte[] JSON_START = "{\"ip\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] COMMA = {','};
    private static final int REASONS = 4096;

    private final ServiceTags st;
    private final LookupCommand.Format format;
    private final boolean perLineOnly;
    private final PerLine perLine;
    private final PrintWriter writer;
    private final OutputStream raw;
    private final JsonGenerator json;
    private final PrintWriter err;

    private final Map<TagSet, byte[]> encoded = new IdentityHashMap<>();
    private TagSet lastTags;
    private byte[] lastSuffix;
    private final long[] v6 = new long[2];
    private final byte[] out = new byte[BUFFER];
    private int outLen;
    private char[] chars;
    /** True when the writer (or the JSON generator) may hold output not yet in {@code raw}. */
    private boolean writerDirty = true;
    /** JSON: whether any element of the array has been written (by us or by the per-line method). */
    private boolean anyElement;
    private final StringBuilder errors = new StringBuilder();
    private final Map<String, String> reasons = new HashMap<>();
    private int refused;

    /**
     * @param writer the command's output; the per-line method and {@code json} write to it
     * @param raw the bytes under {@code writer} (standard output), or null to write through {@code writer}
     * @param json the command's JSON generator over {@code writer}, its array started; null unless json format
     */
    StreamLookup(ServiceTags st, LookupCommand.Format format, boolean perLineOnly, PerLine perLine,
            PrintWriter writer, OutputStream raw, JsonGenerator json, PrintWriter err) {
        this.st = st;
        this.format = format;
        this.perLineOnly = perLineOnly;
        this.perLine = perLine;
        this.writer = writer;
        this.raw = raw;
        this.json = json;
        this.err = err;
    }

    /**
     * Answers every line of {@code in}; returns the number of lines refused here (too long, or not an address).
     * Lines the per-line method refuses are counted by it.
     */
    int run(InputStream in) throws IOException {
        byte[] b = new byte[BUFFER];
        int start = 0; // first byte of the current line
        int scan = 0; // next byte to look at
        int lim = 0; // end of the data in b
        int acc = 0; // OR of the current line's bytes: negative when one is not ASCII
        boolean over = false; // the current line passed MAX_BYTES: its bytes are dropped
        boolean skipLF = false; // the last line ended with \r at the end of the data
        long n = 0;
        while (true) {
            int i = scan;
            int a = acc;
            byte c = 0;
            while (i < lim) {
                c = b[i];
                if ((c & 0xff) <= '\r' && (c == '\n' || c == '\r')) {
                    break;
                }
                a |= c;
                i++;
            }
            if (i < lim) {
                line(++n, b, start, i, a, over);
                i++;
                if (c == '\r') {
                    if (i < lim) {
                        if (b[i] == '\n') {
                            i++;
                        }
                    } else {
                        skipLF = true;
                    }
                }
                start = scan = i;
                acc = 0;
                over = false;
                continue;
            }
            scan = i;
            acc = a;
            if (over || scan - start > MAX_BYTES) {
                over = true;
                start = scan = lim = 0;
            } else if (start > 0) {
                System.arraycopy(b, start, b, 0, lim - start);
                scan -= start;
                lim -= start;
                start = 0;
            }
            int r = in.read(b, lim, b.length - lim);
            if (r < 0) {
                if (over || scan > start) {
                    line(++n, b, start, scan, acc, over);
                }
                break;
            }
            lim += r;
            if (skipLF) {
                skipLF = false;
                if (r > 0 && b[scan] == '\n') {
                    start = ++scan;
                }
            }
        }
        flushOwn();
        flushErrors();
        return refused;
    }

    private void line(long n, byte[] b, int from, int to, int acc, boolean over) throws IOException {
        int len = to - from;
        if (over || (len > LookupCommand.MAX_LINE && (acc >= 0 || len > MAX_BYTES))) {
            refuse(n, "longer than " + LookupCommand.MAX_LINE + " characters");
            return;
        }
        if (acc < 0) {
            String text = new String(b, from, len, StandardCharsets.UTF_8);
            if (text.length() > LookupCommand.MAX_LINE) {
                refuse(n, "longer than " + LookupCommand.MAX_LINE + " characters");
                return;
            }
            String ip = text.strip();
            if (!ip.isEmpty()) {
                perLine(ip, n);
            }
            return;
        }
        int s = from;
        int e = to;
        while (s < e && isWhitespace(b[s])) {
            s++;
        }
        while (e > s && isWhitespace(b[e - 1])) {
            e--;
        }
        if (s == e) {
            return;
        }
        if (!perLineOnly) {
            long v4 = IpText.parseIPv4(b, s, e);
            if (v4 != IpText.INVALID) {
                write(b, s, e, st.lookupIPv4((int) v4));
                return;
            }
            if (IpText.parseIPv6(b, s, e, v6)) {
                write(b, s, e, st.lookupIPv6(v6[0], v6[1]));
                return;
            }
        }
        String text = new String(b, s, e - s, StandardCharsets.ISO_8859_1);
        if (perLineOnly || text.indexOf('/') >= 0) {
            perLine(text, n);
        } else {
            // not an address, and not a prefix: the library's own reason, as ServiceTags.lookup would throw it
            refuse(n, whyInvalid(text));
        }
    }

    /**
     * {@link IpText#whyInvalid}, remembered for up to {@value #REASONS} distinct short texts: logs repeat their junk
     * ({@code -}, {@code unknown}) and explaining it costs microseconds before the explanation code is compiled.
     */
    private String whyInvalid(String text) {
        String why = reasons.get(text);
        if (why == null) {
            why = IpText.whyInvalid(text);
            if (text.length() <= 64 && reasons.size() < REASONS) {
                reasons.put(text, why);
            }
        }
        return why;
    }

    /** Reports a refused line on stderr (batched: the order of stderr is kept, stdout is buffered anyway). */
    private void refuse(long n, String why) {
        refused++;
        errors.append("servicetags: line ").append(n).append(": ").append(why).append('\n');
        if (errors.length() > BUFFER / 8) {
            flushErrors();
        }
    }

    private void flushErrors() {
        if (errors.length() > 0) {
            err.print(errors);
            err.flush();
            errors.setLength(0);
        }
    }

    /** {@link Character#isWhitespace} for an ASCII byte: what {@link String#strip()} removes. */
    private static boolean isWhitespace(byte c) {
        return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
    }

    private void perLine(String text, long n) throws IOException {
        flushOwn();
        flushErrors();
        int before = 0;
        if (json != null) {
            if (anyElement && json.getOutputContext().getEntryCount() == 0) {
                json.writeRawValue(""); // the generator did not write our elements: make it write the comma
            }
            before = json.getOutputContext().getEntryCount();
        }
        perLine.answer(text, "line " + n + ": ");
        writerDirty = true;
        if (json != null && json.getOutputContext().getEntryCount() > before) {
            anyElement = true;
        }
    }

    private void write(byte[] b, int from, int to, TagSet tags) throws IOException {
        byte[] suffix;
        if (tags == lastTags) { // neighbouring log lines often share an answer
            suffix = lastSuffix;
        } else {
            suffix = encoded.get(tags);
            if (suffix == null) {
                suffix = encode(tags);
                encoded.put(tags, suffix);
            }
            lastTags = tags;
            lastSuffix = suffix;
        }
        int len = to - from;
        int need = len + suffix.length + (json != null ? JSON_START.length + 1 : 0);
        if (outLen + need > out.length) {
            flushOwn();
            if (need > out.length) { // a tag set too large for the buffer: in pieces
                if (json != null) {
                    put(COMMA, 0, anyElement ? 1 : 0);
                    put(JSON_START, 0, JSON_START.length);
                    anyElement = true;
                }
                put(b, from, len);
                put(suffix, 0, suffix.length);
                return;
            }
        }
        byte[] o = out;
        int p = outLen;
        if (json != null) {
            if (anyElement) {
                o[p++] = ',';
            }
            anyElement = true;
            System.arraycopy(JSON_START, 0, o, p, JSON_START.length);
            p += JSON_START.length;
        }
        System.arraycopy(b, from, o, p, len);
        p += len;
        System.arraycopy(suffix, 0, o, p, suffix.length);
        outLen = p + suffix.length;
    }

    /** Appends bytes of any length, flushing as the buffer fills. */
    private void put(byte[] b, int from, int len) throws IOException {
        while (len > 0) {
            if (outLen == out.length) {
                flushOwn();
            }
            int k = Math.min(len, out.length - outLen);
            System.arraycopy(b, from, out, outLen, k);
            outLen += k;
            from += k;
            len -= k;
        }
    }

    /** What follows the address on its output line, as {@link LookupCommand} writes it. */
    private byte[] encode(TagSet tags) throws IOException {
        String joined = String.join(",", tags.names());
        String s = switch (format) {
            case tsv -> "\t" + joined + "\n";
            case text -> ": " + (tags.isEmpty() ? "(no service tag)" : joined.replace(",", ", ")) + "\n";
            case json -> {
                StringWriter w = new StringWriter();
                try (JsonGenerator g = Json.generator(w)) {
                    g.writeStartArray();
                    for (String name : tags.names()) {
                        g.writeString(name);
                    }
                    g.writeEndArray();
                }
                yield "\",\"tags\":" + w + "}";
            }
        };
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Writes our buffered bytes after whatever the writer holds, so that the output keeps the input's order. */
    private void flushOwn() throws IOException {
        if (outLen == 0) {
            return;
        }
        if (raw != null) {
            if (writerDirty) {
                if (json != null) {
                    json.flush(); // into the writer, and the writer into raw
                }
                writer.flush();
                writerDirty = false;
            }
            raw.write(out, 0, outLen);
        } else {
            if (json != null) {
                json.flush();
            }
            if (chars == null) {
                chars = new char[out.length];
            }
            for (int i = 0; i < outLen; i++) {
                chars[i] = (char) (out[i] & 0xff); // our bytes are ASCII
            }
            writer.write(chars, 0, outLen);
        }
        outLen = 0;
    }
}
