package io.github.servicetags.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.github.servicetags.ServiceTags;
import io.github.servicetags.TagSet;
import io.github.servicetags.internal.Internals;
import io.github.servicetags.internal.IpText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * {@code lookup --stdin} at disk speed: the input is read in chunks of whole lines, each chunk is answered by a
 * worker thread straight from its bytes (each answer written from bytes encoded once per distinct tag set, so a
 * plain address line costs no {@code String} and no allocation), and the calling thread writes the chunks' output
 * in input order while the workers answer the next ones.
 *
 * <p>The output is exactly that of {@link LookupCommand}'s per-line method, which stays the one authority for
 * everything but plain ASCII address lines: a line that is not an address (a CIDR, a typo, a NUL byte), a line with
 * non-ASCII bytes (decoded as UTF-8 like the line reader did, malformed bytes replaced) and, with
 * {@code perLineOnly}, every line goes to it as a {@code String}, on the calling thread, in order and with the same
 * line number. Other ASCII text that is not an address is reported with {@link IpText#whyInvalid}, the reason
 * {@link ServiceTags#lookup(String)} gives, without an exception per line. Line rules as before: lines end at
 * {@code \n}, {@code \r} or {@code \r\n}; a line longer than {@value LookupCommand#MAX_LINE} characters is reported
 * and skipped without being kept in memory; blank lines and whitespace at both ends ({@link String#strip()}) are
 * ignored.
 */
final class StreamLookup {
    /** The per-line method: answers (or reports) one stripped, non-empty line. */
    @FunctionalInterface
    interface PerLine {
        void answer(String text, String where) throws IOException;
    }

    /** Bytes read per chunk. A chunk holds whole lines; a line that does not fit in one is over-long anyway. */
    private static final int BUFFER = 1 << 16;
    /** A line of more bytes has more than MAX_LINE characters however it decodes (at most 3 bytes per char). */
    private static final int MAX_BYTES = 3 * LookupCommand.MAX_LINE;
    private static final byte[] JSON_START = ",{\"ip\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] JSON_TAGS = "\",\"tags\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] JSON_END = "]}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TSV_START = "\t".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TEXT_START = ": ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TEXT_NONE = (": " + LookupCommand.NO_TAG).getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LINE_END = "\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REFUSED = "servicetags: line ".getBytes(StandardCharsets.US_ASCII);
    /** Entries of a chunk's table of reasons (a power of two). */
    private static final int REASONS = 1024;
    private static final int SHARED_REASONS = 4096;
    /** Texts up to this length have their reasons remembered. */
    private static final int SHORT_TEXT = 64;
    private static final String TOO_LONG = "longer than " + LookupCommand.MAX_LINE + " characters";

    private final ServiceTags st;
    private final LookupCommand.Format format;
    private final boolean perLineOnly;
    private final PerLine perLine;
    private final PrintWriter writer;
    private final OutputStream raw;
    private final JsonGenerator json;
    private final PrintWriter err;
    private final OutputStream rawErr;
    private final int workers;
    private final ThreadFactory threads;

    /** The positions of answers in {@link ServiceTags#tagSets()}. */
    private final Internals.ServiceTagsAccess index = Internals.serviceTags();
    /** {@link IpText#whyInvalid} of short texts, shared by the chunks. */
    private final ConcurrentHashMap<String, String> reasons = new ConcurrentHashMap<>();
    /** The output bytes of each answer by its position ({@link #encodeAll}); read by the workers. */
    private final byte[][] encoded;

    // the calling thread's state
    /** Chunks not in use, kept with their grown buffers for the next chunk (and the next run). */
    private final ArrayDeque<Chunk> free = new ArrayDeque<>();
    private char[] chars;
    /** True when the writer (or the JSON generator) may hold output not yet in {@code raw}. */
    private boolean writerDirty = true;
    /** JSON: whether any element of the array has been written (by us or by the per-line method). */
    private boolean anyElement;
    /** Reports of refused lines not yet written, UTF-8. */
    private byte[] errorBytes = new byte[BUFFER / 4];
    private int errorLen;
    /** The UTF-8 bytes of reasons already reported (reasons are shared strings: by identity). */
    private final IdentityHashMap<String, byte[]> reasonBytes = new IdentityHashMap<>();
    private int refused;
    /** Number of the last line of the chunks written so far. */
    private long lineBase;

    /**
     * @param writer the command's output; the per-line method and {@code json} write to it
     * @param raw the bytes under {@code writer} (standard output), or null to write through {@code writer}
     * @param json the command's JSON generator over {@code writer}, its array started; null unless json format
     * @param err the command's diagnostics
     * @param rawErr the bytes under {@code err} (standard error), or null to write through {@code err}
     * @param workers threads answering chunks; with 1 the calling thread answers them itself
     * @param threads makes the worker threads (daemon threads, so that a failed write cannot keep the JVM alive)
     */
    StreamLookup(ServiceTags st, LookupCommand.Format format, boolean perLineOnly, PerLine perLine,
            PrintWriter writer, OutputStream raw, JsonGenerator json, PrintWriter err, OutputStream rawErr,
            int workers, ThreadFactory threads) {
        this.st = st;
        this.format = format;
        this.perLineOnly = perLineOnly;
        this.perLine = perLine;
        this.writer = writer;
        this.raw = raw;
        this.json = json;
        this.err = err;
        this.rawErr = rawErr;
        this.workers = perLineOnly ? 1 : workers; // every line goes to the calling thread anyway
        this.threads = threads;
        this.encoded = encodeAll(st.tagSets(), format);
    }

    /** The worker count of a command run: one per processor, at most 4 (the writer is the limit beyond that). */
    static int defaultWorkers() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    /** Daemon threads named {@code servicetags-lookup-N}. */
    static ThreadFactory daemonThreads() {
        return new ThreadFactory() {
            private int n;

            @Override
            public synchronized Thread newThread(Runnable r) {
                Thread t = new Thread(r, "servicetags-lookup-" + ++n);
                t.setDaemon(true);
                return t;
            }
        };
    }

    /**
     * Answers every line of {@code in}; returns the number of lines refused here (too long, or not an address).
     * Lines the per-line method refuses are counted by it.
     */
    int run(InputStream in) throws IOException {
        lineBase = 0;
        refused = 0;
        ExecutorService pool = workers > 1 ? Executors.newFixedThreadPool(workers, threads) : null;
        try {
            read(in, pool);
        } finally {
            if (pool != null) {
                pool.shutdownNow(); // idle workers end at once; a busy one ends with its chunk (a few milliseconds)
                try {
                    pool.awaitTermination(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        flushErrors();
        return refused;
    }

    /**
     * Cuts the input into chunks of whole lines: a chunk ends after its last line end, the rest of the bytes start
     * the next chunk. A chunk's bytes may begin with the {@code \n} of a {@code \r\n} cut after the {@code \r}
     * ({@link Chunk#skipLF}), or with the end of an over-long line whose start was dropped ({@link Chunk#over}).
     * A chunk also ends early when it holds a line end and the input has no more bytes for now (a pipe from
     * {@code tail -f}): its lines are answered, every earlier chunk written and the output flushed before the next
     * read waits, so answers come as the lines do. A file or a busy pipe always has more: its chunks stay full.
     */
    private void read(InputStream in, ExecutorService pool) throws IOException {
        ArrayDeque<Chunk> queued = new ArrayDeque<>();
        ArrayDeque<Future<?>> pending = new ArrayDeque<>();
        int inFlight = pool == null ? 1 : 2 * workers;
        Chunk c = free.isEmpty() ? new Chunk() : free.pop();
        c.len = 0;
        boolean skipLF = false; // the previous chunk ended with \r
        boolean over = false; // the bytes of the current line so far were dropped: it is over-long
        while (true) {
            boolean eof = false;
            boolean idle = false; // the input has no more bytes now: answer the whole lines so far, then flush
            boolean lineEnd = false; // the chunk holds a line end (the bytes carried over hold none)
            while (c.len < BUFFER) {
                int r = in.read(c.in, c.len, BUFFER - c.len);
                if (r < 0) {
                    eof = true;
                    break;
                }
                for (int k = c.len; k < c.len + r && !lineEnd; k++) {
                    lineEnd = c.in[k] == '\n' || c.in[k] == '\r';
                }
                c.len += r;
                if (lineEnd && in.available() <= 0) { // e.g. tail -f | servicetags lookup --stdin
                    idle = true;
                    break;
                }
            }
            int cut = c.len;
            while (cut > 0 && c.in[cut - 1] != '\n' && c.in[cut - 1] != '\r') {
                cut--;
            }
            if (eof) {
                cut = c.len; // the last line needs no line end
            } else if (cut == 0) { // a full buffer without a line end: an over-long line, dropped as it goes
                over = true;
                skipLF = false; // the \n of a \r\n would be a line end: there is none in these bytes
                c.len = 0;
                continue;
            }
            Chunk next = free.isEmpty() ? new Chunk() : free.pop();
            next.len = c.len - cut;
            System.arraycopy(c.in, cut, next.in, 0, next.len);
            c.len = cut;
            c.skipLF = skipLF;
            c.over = over;
            skipLF = cut > 0 && c.in[cut - 1] == '\r';
            over = false;
            if (c.len > 0 || c.over) {
                if (pool == null) {
                    c.answer();
                    write(c);
                    free.push(c);
                } else {
                    queued.add(c);
                    pending.add(pool.submit(c::answer));
                    if (pending.size() >= inFlight) {
                        free.push(writeNext(queued, pending));
                    }
                }
            } else {
                free.push(c);
            }
            if (idle) { // every line read so far answered and out, before waiting for more input
                while (!pending.isEmpty()) {
                    free.push(writeNext(queued, pending));
                }
                flushErrors();
                if (json != null) {
                    json.flush();
                }
                writer.flush();
                if (raw != null) {
                    raw.flush();
                }
            }
            if (eof) {
                free.push(next);
                break;
            }
            c = next;
        }
        while (!pending.isEmpty()) {
            free.push(writeNext(queued, pending));
        }
    }

    /** Waits for the oldest chunk in work, writes it, and returns it for reuse. */
    private Chunk writeNext(ArrayDeque<Chunk> queued, ArrayDeque<Future<?>> pending) throws IOException {
        Future<?> f = pending.remove();
        Chunk c = queued.remove();
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while answering lines");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error x) {
                throw x;
            }
            throw new IOException(cause);
        }
        write(c);
        return c;
    }

    /**
     * Writes an answered chunk: its output, cut only where a per-line line's output goes in between (a refused
     * line only adds to stderr, whose order is kept: stdout is written in one piece per chunk, not per refusal).
     */
    private void write(Chunk c) throws IOException {
        int at = 0;
        for (int k = 0; k < c.events; k++) {
            long n = lineBase + c.eventLine[k];
            if (c.eventRefused[k]) {
                refuse(n, c.eventText[k]);
            } else {
                int to = c.eventAt[k];
                writeOwn(c.out, at, to);
                at = to;
                perLine(c.eventText[k], n);
            }
        }
        writeOwn(c.out, at, c.outLen);
        lineBase += c.lines;
    }

    /**
     * Reports a refused line on stderr, batched as UTF-8 bytes (the order of stderr is kept; stdout is buffered
     * anyway): a million refused lines cost no {@code String} and no encoding of each message.
     */
    private void refuse(long n, String why) throws IOException {
        refused++;
        byte[] reason = reasonBytes.get(why);
        if (reason == null) {
            reason = why.getBytes(StandardCharsets.UTF_8);
            if (reasonBytes.size() < SHARED_REASONS) {
                reasonBytes.put(why, reason);
            }
        }
        int need = REFUSED.length + 20 + 2 + reason.length + 1;
        if (errorLen + need > errorBytes.length) {
            errorBytes = Arrays.copyOf(errorBytes, Math.max(2 * errorBytes.length, errorLen + need));
        }
        byte[] e = errorBytes;
        int p = errorLen;
        System.arraycopy(REFUSED, 0, e, p, REFUSED.length);
        p += REFUSED.length;
        int digits = 1;
        for (long x = n; x >= 10; x /= 10) {
            digits++;
        }
        for (int k = p + digits - 1; k >= p; k--, n /= 10) {
            e[k] = (byte) ('0' + n % 10);
        }
        p += digits;
        e[p++] = ':';
        e[p++] = ' ';
        System.arraycopy(reason, 0, e, p, reason.length);
        p += reason.length;
        e[p++] = '\n';
        errorLen = p;
        if (errorLen > BUFFER / 8) {
            flushErrors();
        }
    }

    /** Writes the batched reports: as bytes under {@code err} when there are, else through it. */
    private void flushErrors() throws IOException {
        if (errorLen > 0) {
            if (rawErr != null) {
                err.flush(); // what the per-line method wrote goes first
                rawErr.write(errorBytes, 0, errorLen);
                rawErr.flush();
            } else {
                err.write(new String(errorBytes, 0, errorLen, StandardCharsets.UTF_8));
                err.flush();
            }
            errorLen = 0;
        }
    }

    private void perLine(String text, long n) throws IOException {
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

    /**
     * Writes answers of a chunk after whatever the writer holds, so that the output keeps the input's order. In
     * JSON every element of a chunk starts with a comma: the first element of the array goes without.
     */
    private void writeOwn(byte[] b, int from, int to) throws IOException {
        if (from == to) {
            return;
        }
        if (json != null && !anyElement) {
            from++;
            anyElement = true;
        }
        if (raw != null) {
            if (writerDirty) {
                if (json != null) {
                    json.flush(); // into the writer, and the writer into raw
                }
                writer.flush();
                writerDirty = false;
            }
            raw.write(b, from, to - from);
        } else {
            if (json != null) {
                json.flush();
            }
            int len = to - from;
            if (chars == null || chars.length < len) {
                chars = new char[Math.max(len, BUFFER)];
            }
            for (int i = 0; i < len; i++) {
                chars[i] = (char) (b[from + i] & 0xff); // our bytes are ASCII
            }
            writer.write(chars, 0, len);
        }
    }

    private static int indexOf(byte[] b, int from, int to, byte c) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The output bytes of every answer, by its position in {@link ServiceTags#tagSets()}: what follows the address
     * on its output line, as {@link LookupCommand} writes it (JSON strings escaped by Jackson's own encoder). Each
     * name is encoded once; a few milliseconds for every set of the file, so that answering needs no lookup of
     * what was encoded, no lock and no allocation.
     */
    private static byte[][] encodeAll(List<TagSet> sets, LookupCommand.Format format) {
        Map<String, byte[]> names = new HashMap<>();
        byte[] separator = (format == LookupCommand.Format.text ? ", " : ",").getBytes(StandardCharsets.US_ASCII);
        byte[][] all = new byte[sets.size()][];
        ByteArrayOutputStream b = new ByteArrayOutputStream(256);
        for (int k = 0; k < all.length; k++) {
            TagSet tags = sets.get(k);
            b.reset();
            b.writeBytes(switch (format) {
                case tsv -> TSV_START;
                case text -> tags.isEmpty() ? TEXT_NONE : TEXT_START;
                case json -> JSON_TAGS;
            });
            boolean first = true;
            for (String name : tags.names()) {
                byte[] n = names.get(name);
                if (n == null) {
                    n = format == LookupCommand.Format.json ? quoted(name) : name.getBytes(StandardCharsets.UTF_8);
                    names.put(name, n);
                }
                if (!first) {
                    b.writeBytes(separator);
                }
                first = false;
                b.writeBytes(n);
            }
            b.writeBytes(format == LookupCommand.Format.json ? JSON_END : LINE_END);
            all[k] = b.toByteArray();
        }
        return all;
    }

    private static byte[] quoted(String name) {
        byte[] q = JsonStringEncoder.getInstance().quoteAsUTF8(name);
        byte[] n = new byte[q.length + 2];
        n[0] = '"';
        System.arraycopy(q, 0, n, 1, q.length);
        n[n.length - 1] = '"';
        return n;
    }

    /** {@link Character#isWhitespace} for an ASCII byte: what {@link String#strip()} removes. */
    private static boolean isWhitespace(byte c) {
        return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
    }

    /**
     * Whole lines of the input and what they answer: the output bytes, and the lines the calling thread must
     * report or hand to the per-line method, each at its place in the output. Answered by one thread at a time;
     * reused, so that a plain address line allocates nothing.
     */
    private final class Chunk {
        final byte[] in = new byte[BUFFER + 1]; // + the sentinel
        int len;
        /** The bytes start with the end of an over-long line whose start was dropped. */
        boolean over;
        /** The previous chunk ended with {@code \r}: a {@code \n} at the start ends no line. */
        boolean skipLF;

        int lines;
        /** Room for the answers of a chunk: four bytes out per byte in; grows (once per chunk) for more. */
        byte[] out = new byte[BUFFER * 4];
        int outLen;
        int events;
        int[] eventAt = new int[16];
        int[] eventLine = new int[16];
        boolean[] eventRefused = new boolean[16];
        String[] eventText = new String[16];

        private final long[] v6 = new long[2];
        /** The texts of the table of reasons and their reasons (see {@link #whyInvalid(byte[], int, int)}). */
        private final byte[][] reasonKeys = new byte[REASONS][];
        private final String[] reasonTexts = new String[REASONS];

        /**
         * Answers every line of the chunk. A line is answered by a call of its own ({@link #plainLine}), so that
         * the JIT compiles the line path after a few hundred lines, without waiting to replace this loop.
         */
        void answer() {
            lines = 0;
            outLen = 0;
            Arrays.fill(eventText, 0, events, null);
            events = 0;
            byte[] b = in;
            int end = len;
            int i = 0;
            if (skipLF && end > 0 && b[0] == '\n') {
                i = 1;
            }
            b[end] = '\n'; // a sentinel: no scan of a line runs past it, so a last line without a line end is found
            if (over) { // the end of an over-long line whose start was dropped (perhaps no byte of it is here)
                int e = lineEnd(b, i);
                event(++lines, true, TOO_LONG);
                i = next(b, e, end);
            }
            if (perLineOnly) {
                while (i < end) {
                    i = otherLine(b, i, end);
                }
            } else {
                while (i < end) {
                    i = plainLine(b, i, end);
                }
            }
        }

        /** Answers the line at {@code b[i]}; returns where the next one starts. The common line takes one look. */
        private int plainLine(byte[] b, int i, int end) {
            long q = plainQuad(b, i);
            if (q < 0) {
                return otherLine(b, i, end);
            }
            int e = (int) (q >>> 32);
            lines++;
            write(b, i, e, index.tagSetOfIPv4(st, (int) q));
            return next(b, e, end);
        }

        /**
         * Answers any other line at {@code b[i]}; returns where the next one starts. Padded, IPv6 and IPv4-mapped
         * addresses are answered here; a line too long or with bytes outside ASCII goes to {@link #unusual}, text
         * that is not an address to {@link #notAnAddress}.
         */
        private int otherLine(byte[] b, int i, int end) {
            int acc = 0; // the OR of the line's bytes: negative when one is not ASCII
            int to = i;
            for (byte c = b[to]; c != '\n' && c != '\r'; c = b[++to]) {
                acc |= c;
            }
            int n = ++lines;
            if (to - i > LookupCommand.MAX_LINE || acc < 0) {
                unusual(n, b, i, to, acc);
                return next(b, to, end);
            }
            int s = i;
            int e = to;
            while (s < e && isWhitespace(b[s])) {
                s++;
            }
            while (e > s && isWhitespace(b[e - 1])) {
                e--;
            }
            if (s < e) {
                int set = -1;
                if (!perLineOnly) {
                    long v4 = IpText.parseIPv4(b, s, e);
                    if (v4 != IpText.INVALID) {
                        set = index.tagSetOfIPv4(st, (int) v4);
                    } else if (IpText.parseIPv6(b, s, e, v6)) {
                        set = index.tagSetOfIPv6(st, v6[0], v6[1]);
                    }
                }
                if (set >= 0) {
                    write(b, s, e, set);
                } else {
                    notAnAddress(n, b, s, e);
                }
            }
            return next(b, to, end);
        }

        /** The end of the line starting at {@code b[i]}: its {@code \n} or {@code \r}, or the sentinel. */
        private static int lineEnd(byte[] b, int i) {
            while (b[i] != '\n' && b[i] != '\r') {
                i++;
            }
            return i;
        }

        /** The start of the line after the one ending at {@code b[e]} ({@code \r\n} is one line end). */
        private static int next(byte[] b, int e, int end) {
            return b[e] == '\r' && e + 1 < end && b[e + 1] == '\n' ? e + 2 : e + 1;
        }

        /**
         * The dotted quad at {@code b[i]} that ends its line (the byte after it is {@code \n} or {@code \r}): its
         * end and address as {@code end << 32 | address}, or -1 for anything else, which the general path answers.
         * It accepts only text {@link IpText#parseIPv4(byte[], int, int)} accepts for the same address (1 to 3
         * digits per part, no leading zero, at most 255), so taking it or not never changes an answer. It reads no
         * further than the first byte that is neither a digit nor a dot: the chunk's line ends, or its sentinel.
         */
        private static long plainQuad(byte[] b, int i) {
            int ip = 0;
            for (int part = 0; part < 4; part++) {
                if (part > 0 && b[i++] != '.') {
                    return -1;
                }
                int v = b[i] - '0';
                if (v < 0 || v > 9) {
                    return -1;
                }
                int d = b[++i] - '0';
                if (d >= 0 && d <= 9) {
                    if (v == 0) {
                        return -1; // a leading zero
                    }
                    v = v * 10 + d;
                    d = b[++i] - '0';
                    if (d >= 0 && d <= 9) {
                        v = v * 10 + d;
                        if (v > 255) {
                            return -1;
                        }
                        i++;
                    }
                }
                ip = ip << 8 | v;
            }
            byte t = b[i];
            return t == '\n' || t == '\r' ? (long) i << 32 | (ip & 0xffffffffL) : -1;
        }

        /** A line too long, or with bytes outside ASCII: decoded as UTF-8 and given to the per-line method. */
        private void unusual(int n, byte[] b, int from, int to, int acc) {
            int len = to - from;
            if (len > LookupCommand.MAX_LINE && (acc >= 0 || len > MAX_BYTES)) {
                event(n, true, TOO_LONG);
                return;
            }
            String text = new String(b, from, len, StandardCharsets.UTF_8);
            if (text.length() > LookupCommand.MAX_LINE) {
                event(n, true, TOO_LONG);
                return;
            }
            String ip = text.strip();
            if (!ip.isEmpty()) {
                event(n, false, ip);
            }
        }

        /** Stripped ASCII text that is not an address: a prefix goes to the per-line method, the rest is refused. */
        private void notAnAddress(int n, byte[] b, int s, int e) {
            if (perLineOnly || indexOf(b, s, e, (byte) '/') >= 0) {
                event(n, false, new String(b, s, e - s, StandardCharsets.ISO_8859_1));
            } else {
                // not an address, and not a prefix: the library's own reason, as ServiceTags.lookup would throw it
                event(n, true, whyInvalid(b, s, e));
            }
        }

        /**
         * {@link IpText#whyInvalid} of the text {@code b[s, e)}, remembered for short texts by their bytes (a
         * direct-mapped table of {@value #REASONS} entries per chunk: a repeated typo costs no {@code String}) and,
         * behind that, by their text for all chunks (up to {@value #SHARED_REASONS}: each computed once).
         */
        private String whyInvalid(byte[] b, int s, int e) {
            int h = 1;
            for (int i = s; i < e; i++) {
                h = 31 * h + b[i];
            }
            int slot = (h ^ h >>> 16) & (REASONS - 1);
            byte[] key = reasonKeys[slot];
            if (key != null && Arrays.equals(key, 0, key.length, b, s, e)) {
                return reasonTexts[slot];
            }
            String text = new String(b, s, e - s, StandardCharsets.ISO_8859_1);
            String why = reasons.get(text);
            if (why == null) {
                why = IpText.whyInvalid(text);
                if (text.length() <= SHORT_TEXT && reasons.size() < SHARED_REASONS) {
                    reasons.put(text, why);
                }
            }
            if (e - s <= SHORT_TEXT) {
                reasonKeys[slot] = Arrays.copyOfRange(b, s, e);
                reasonTexts[slot] = why;
            }
            return why;
        }

        /** A line for the calling thread, at the current place in the output. */
        private void event(int n, boolean refusedLine, String text) {
            if (events == eventAt.length) {
                int size = events * 2;
                eventAt = Arrays.copyOf(eventAt, size);
                eventLine = Arrays.copyOf(eventLine, size);
                eventRefused = Arrays.copyOf(eventRefused, size);
                eventText = Arrays.copyOf(eventText, size);
            }
            eventAt[events] = outLen;
            eventLine[events] = n;
            eventRefused[events] = refusedLine;
            eventText[events] = text;
            events++;
        }

        /** Writes the address {@code b[from, to)} and its answer, number {@code set}. */
        private void write(byte[] b, int from, int to, int set) {
            byte[] suffix = encoded[set];
            int len = to - from;
            int need = len + suffix.length + (json != null ? JSON_START.length : 0);
            if (outLen + need > out.length) {
                grow(need);
            }
            byte[] o = out;
            int p = outLen;
            if (json != null) {
                System.arraycopy(JSON_START, 0, o, p, JSON_START.length);
                p += JSON_START.length;
            }
            System.arraycopy(b, from, o, p, len);
            p += len;
            System.arraycopy(suffix, 0, o, p, suffix.length);
            outLen = p + suffix.length;
        }

        private void grow(int need) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, outLen + need));
        }
    }
}
