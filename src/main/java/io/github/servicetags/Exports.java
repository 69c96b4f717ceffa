package io.github.servicetags;

import io.github.servicetags.internal.Csv;
import io.github.servicetags.internal.Strings;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The whole index in another form, for tools that do not run Java: a MaxMind DB file for log pipelines (Vector's
 * {@code mmdb} enrichment table, Fluent Bit's {@code geoip2} filter, libmaxminddb), a CIDR lookup table in CSV for SIEMs (Splunk
 * {@code match_type = CIDR(prefix)}, Microsoft Sentinel watchlists), or the binary index of
 * {@link ServiceTags#write(OutputStream)}.
 *
 * <pre>{@code
 * var st = ServiceTags.load(Path.of("ServiceTags_Public_376.json"));
 * Exports.write(st, Exports.Format.MMDB, Path.of("servicetags.mmdb"));   // atomic: all or nothing
 * Exports.write(st, Exports.Format.CSV, System.out);                     // prefix,tag,region,system_service,family
 * }</pre>
 *
 * <p>Every export of the same data is byte-for-byte the same. A MaxMind DB reader answers what
 * {@link ServiceTags#lookup(String)} answers for every address, with one exception the format imposes: IPv6
 * addresses in {@code ::/96} read the IPv4 tree ({@code ::1.2.3.4} answers like {@code 1.2.3.4}).
 */
public final class Exports {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Exports() {}

    /** The export formats. */
    public enum Format {
        /** The binary index, as {@link ServiceTags#write(OutputStream)} writes it; {@code --data} reads it back. */
        BINARY,
        /**
         * A MaxMind DB file (binary format 2.0, IPv6 tree with IPv4 under {@code ::/96} and {@code ::ffff:0:0/96}):
         * per address {@code {"service_tags": [...], "service_tags_text": "a,b,...", "regions": [...],
         * "system_services": [...]}}, sorted, or no record when no tag contains it; metadata {@code database_type}
         * {@code Azure-ServiceTags-<cloud>}.
         */
        MMDB,
        /**
         * CSV with a header, one row per (prefix, tag): {@code prefix,tag,region,system_service,family}, IPv4 first,
         * sorted by prefix then tag; CRLF line ends; cells neutralised against spreadsheet formulas.
         */
        CSV;

        /** Returns the name used on the command line: {@code binary}, {@code mmdb}, {@code csv}. */
        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * Returns the format of that name, case-insensitively.
         *
         * @throws IllegalArgumentException quoting the name and listing the formats when there is none
         */
        public static Format parse(String name) {
            for (Format f : values()) {
                if (f.name().equalsIgnoreCase(String.valueOf(name))) {
                    return f;
                }
            }
            throw new IllegalArgumentException("unknown export format " + Strings.quote(String.valueOf(name))
                    + "; expected one of "
                    + Arrays.stream(values()).map(Format::toString).collect(Collectors.joining(", ")));
        }
    }

    /**
     * Writes the export to a stream, which is flushed but not closed.
     *
     * @throws IOException when the stream fails
     */
    public static void write(ServiceTags st, Format format, OutputStream out) throws IOException {
        Objects.requireNonNull(st, "st");
        Objects.requireNonNull(out, "out");
        switch (Objects.requireNonNull(format, "format")) {
            case BINARY -> st.write(out);
            case MMDB -> MmdbWriter.write(st, st.intervals(), out);
            case CSV -> csv(st, out);
        }
        out.flush();
    }

    /**
     * Writes the export to a file atomically: into a temporary file beside it, renamed over it once complete. A
     * failure leaves the file as it was and no temporary file behind.
     *
     * @throws IOException naming the path when its folder does not exist or cannot be written, or the write fails
     */
    public static void write(ServiceTags st, Format format, Path file) throws IOException {
        Objects.requireNonNull(st, "st");
        Objects.requireNonNull(format, "format");
        writeAtomically(file, out -> write(st, format, out));
    }

    /** What an atomic write puts into the temporary file. */
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes {@code body} into a temporary file beside {@code file}, then renames it over {@code file}. */
    static void writeAtomically(Path file, Body body) throws IOException {
        Path target = file.toAbsolutePath();
        Path folder = target.getParent();
        Path shown = file.getParent() != null ? file.getParent() : folder;
        if (folder == null || Files.isDirectory(target)) {
            throw new IOException("cannot write " + file + ": it is a folder; give a file name");
        }
        if (!Files.isDirectory(folder)) {
            throw new IOException("cannot write " + file + ": the folder " + shown
                    + (Files.exists(folder) ? " is not a folder" : " does not exist"));
        }
        Path temp = newTempFile(file, folder, shown);
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE);
                 OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16)) {
                body.writeTo(out);
                out.flush();
                ch.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            moved = true;
        } catch (FileSystemException e) {
            throw new IOException("cannot write " + file + ": " + reason(e), e);
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** A new empty file beside the target (permissions from the umask, like any file the user creates). */
    private static Path newTempFile(Path file, Path folder, Path shown) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path p = folder.resolve("." + file.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36)
                    + ".tmp");
            try {
                FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return p;
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            } catch (AccessDeniedException e) {
                throw new IOException("cannot write " + file + ": the folder " + shown + " is not writable", e);
            } catch (FileSystemException e) {
                throw new IOException("cannot write " + file + ": the folder " + shown + ": " + reason(e), e);
            }
        }
    }

    private static String reason(FileSystemException e) {
        return e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
    }

    /** The CSV export; see {@link Format#CSV}. */
    private static void csv(ServiceTags st, OutputStream stream) throws IOException {
        record Row(IpPrefix prefix, ServiceTag tag) {}
        List<Row> rows = new ArrayList<>();
        for (ServiceTag t : st.tags()) {
            for (IpPrefix p : io.github.servicetags.internal.Prefixes.sortedUnique(t.prefixes())) {
                rows.add(new Row(p, t));
            }
        }
        rows.sort((a, b) -> {
            int c = a.prefix().compareTo(b.prefix());
            return c != 0 ? c : a.tag().name().compareTo(b.tag().name());
        });
        Writer out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
        Csv.row(out, "prefix", "tag", "region", "system_service", "family");
        for (Row r : rows) {
            Csv.row(out, r.prefix().toString(), r.tag().name(), r.tag().region(), r.tag().systemService(),
                    r.prefix().family() == IpFamily.IPV4 ? "ipv4" : "ipv6");
        }
        out.flush();
    }
}
