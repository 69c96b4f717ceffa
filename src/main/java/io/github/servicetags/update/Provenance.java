package io.github.servicetags.update;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a cached service-tag file came from: written by {@link Updater} beside the file as
 * {@code <name>.provenance.json}.
 *
 * <pre>{@code
 * Provenance.of(Path.of("~/.cache/servicetags/Public/current.json"))
 *     // returns Optional[Provenance[cloud=Public, changeNumber=376,
 *     //     url=https://download.microsoft.com/.../ServiceTags_Public_20251117.json, ...]]
 * p.age(Instant.now())   // returns PT72H: time since Microsoft published the file (or since the download)
 * }</pre>
 *
 * @param cloud        the {@code cloud} field of the file ({@code Public}, ...)
 * @param changeNumber the top-level {@code changeNumber} of the file
 * @param url          the URL the file was downloaded from (after redirects)
 * @param downloadedAt when the download finished
 * @param sha256       SHA-256 of the file, lower-case hex
 * @param size         size of the file in bytes
 */
public record Provenance(String cloud, long changeNumber, String url, Instant downloadedAt, String sha256, long size) {

    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final Pattern FILE_DATE = Pattern.compile("ServiceTags_[A-Za-z]+_(\\d{8})\\.json$");
    /** Suffix of the provenance file written beside a data file {@code X.json}: {@code X.provenance.json}. */
    static final String SUFFIX = ".provenance.json";

    /** Validates the components. */
    public Provenance {
        Objects.requireNonNull(cloud, "cloud");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(downloadedAt, "downloadedAt");
        Objects.requireNonNull(sha256, "sha256");
    }

    /**
     * The publication date Microsoft puts in the file name ({@code ServiceTags_Public_20251117.json}), when the URL has
     * one.
     */
    public Optional<LocalDate> publishedOn() {
        String path = url;
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        Matcher m = FILE_DATE.matcher(path);
        if (!m.find()) {
            return Optional.empty();
        }
        String d = m.group(1);
        try {
            return Optional.of(LocalDate.of(Integer.parseInt(d.substring(0, 4)), Integer.parseInt(d.substring(4, 6)),
                    Integer.parseInt(d.substring(6, 8))));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The age of the data at {@code now}: time since the publication date in the file name (midnight UTC), or since the
     * download when the URL names no date. Never negative.
     */
    public Duration age(Instant now) {
        Instant since = publishedOn().map(d -> d.atStartOfDay(ZoneOffset.UTC).toInstant())
                .filter(p -> !p.isAfter(downloadedAt)).orElse(downloadedAt);
        Duration age = Duration.between(since, now);
        return age.isNegative() ? Duration.ZERO : age;
    }

    /** Time since the download finished at {@code now}. Never negative. */
    public Duration sinceDownload(Instant now) {
        Duration age = Duration.between(downloadedAt, now);
        return age.isNegative() ? Duration.ZERO : age;
    }

    /**
     * The provenance recorded beside {@code dataFile}, if there is one that still describes it (same size). Empty when
     * missing, unreadable or stale; never throws for a bad provenance file.
     */
    public static Optional<Provenance> of(Path dataFile) {
        Path file = fileFor(dataFile);
        try {
            Provenance p = read(file);
            if (p.size() >= 0 && Files.size(dataFile) != p.size()) {
                return Optional.empty();
            }
            return Optional.of(p);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The path of the provenance file for {@code dataFile}. */
    static Path fileFor(Path dataFile) {
        String name = dataFile.getFileName().toString();
        String base = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        return dataFile.resolveSibling(base + SUFFIX);
    }

    /** Writes this provenance as a small JSON object. */
    void write(OutputStream out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeNumberField("format", 1);
            g.writeStringField("cloud", cloud);
            g.writeNumberField("changeNumber", changeNumber);
            g.writeStringField("url", url);
            g.writeStringField("downloadedAt", downloadedAt.toString());
            g.writeStringField("sha256", sha256);
            g.writeNumberField("size", size);
            g.writeEndObject();
        }
        out.write('\n');
    }

    static Provenance read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        if (Files.size(file) > 64 * 1024) {
            throw new IOException(file + ": provenance file too large");
        }
        String cloud = null;
        String url = null;
        String sha = null;
        Instant at = null;
        long change = -1;
        long size = -1;
        try (JsonParser p = JSON.createParser(Files.readAllBytes(file))) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException(file + ": not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "cloud": cloud = p.getValueAsString(); break;
                    case "url": url = p.getValueAsString(); break;
                    case "sha256": sha = p.getValueAsString(); break;
                    case "downloadedAt": at = Instant.parse(p.getValueAsString()); break;
                    case "changeNumber": change = p.getValueAsLong(-1); break;
                    case "size": size = p.getValueAsLong(-1); break;
                    default:
                        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                            p.skipChildren();
                        }
                }
            }
        } catch (DateTimeException e) {
            throw new IOException(file + ": bad downloadedAt: " + e.getMessage(), e);
        }
        if (cloud == null || url == null || sha == null || at == null || change < 0) {
            throw new IOException(file + ": incomplete provenance");
        }
        return new Provenance(cloud, change, url, at, sha, size);
    }
}
