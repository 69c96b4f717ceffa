package io.github.servicetags.update;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.servicetags.InvalidServiceTagsException;
import io.github.servicetags.ServiceTags;
import io.github.servicetags.internal.DataOpener;
import io.github.servicetags.internal.Internals;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The on-disk cache written by {@link Updater} and read by the data-source resolution of the command line.
 *
 * <p>Layout, one folder per cloud ({@link Cloud#id()}):
 * <pre>
 * ~/.cache/servicetags/            (or $SERVICETAGS_CACHE, or --cache DIR, or /var/cache/servicetags)
 *   Public/
 *     current.json                 the newest validated file, exactly as downloaded
 *     current.provenance.json      {"cloud","changeNumber","url","downloadedAt","sha256","size"}
 *     current.index                its binary index with the lookup tables (made from the JSON of that sha256)
 *     previous.json                the file it replaced (kept for diff and rollback)
 *     previous.provenance.json
 *     .update.lock                 held while an update installs
 *     .download-*.tmp              in-flight downloads; leftovers of a crash are ignored and removed by the next update
 *   AzureGovernment/ ...
 *   AzureChina/ ...
 * </pre>
 * Every file that appears under {@code current.json} was validated completely before an atomic rename put it there, so
 * a reader never sees a partial file.
 *
 * <pre>{@code
 * Path dir = ServiceTagsCache.defaultDirectory(System.getenv());      // returns /home/me/.cache/servicetags
 * ServiceTagsCache.current(dir, "Public")  // returns Optional[/home/me/.cache/servicetags/Public/current.json]
 * }</pre>
 */
public final class ServiceTagsCache {

    /** Environment variable that overrides the default cache directory. */
    public static final String ENV = "SERVICETAGS_CACHE";
    /**
     * The system-wide cache that the Debian package's {@code servicetags-update.service} keeps current. The command
     * line reads it after the user's cache ({@link #defaultDirectory}) when no source is given.
     */
    public static final Path SYSTEM_DIRECTORY = Path.of("/var/cache/servicetags");
    static final String CURRENT = "current.json";
    static final String PREVIOUS = "previous.json";
    static final String LOCK = ".update.lock";
    static final String TEMP_PREFIX = ".download-";
    static final String TEMP_SUFFIX = ".tmp";
    static final String INDEX_SUFFIX = ".index";

    /** Jackson's factory, made on first use: most runs read no JSON here, and it costs ~50 classes at start. */
    private static final class Json {
        static final JsonFactory FACTORY = JsonFactory.builder().build();
    }

    private ServiceTagsCache() {
    }

    /**
     * The cache directory: {@code $SERVICETAGS_CACHE} when set and not blank, else {@code $HOME/.cache/servicetags}
     * (the {@code user.home} system property when {@code HOME} is not set).
     */
    public static Path defaultDirectory(Map<String, String> env) {
        String dir = env.get(ENV);
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir);
        }
        String home = env.get("HOME");
        if (home == null || home.isBlank()) {
            home = System.getProperty("user.home");
        }
        return Path.of(home, ".cache", "servicetags");
    }

    /** The folder of {@code cloud} inside {@code cacheDir}. */
    public static Path folder(Path cacheDir, Cloud cloud) {
        return cacheDir.resolve(cloud.id());
    }

    /**
     * The newest valid file for {@code cloud} ({@code "Public"}, {@code "AzureGovernment"}, {@code "AzureChina"}, case
     * insensitive): {@code current.json}, or {@code previous.json} when the current one is missing or damaged. Empty
     * when the cache holds nothing for the cloud. Cheap: checks existence and the first bytes, it does not parse the
     * file.
     *
     * @throws IllegalArgumentException for an unknown cloud name
     */
    public static Optional<Path> current(Path cacheDir, String cloud) {
        Path folder = folder(cacheDir, Cloud.parse(cloud));
        for (String name : new String[] {CURRENT, PREVIOUS}) {
            Path file = folder.resolve(name);
            if (looksValid(file)) {
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }

    /** The file that {@code current.json} replaced, if the cache holds one. */
    public static Optional<Path> previous(Path cacheDir, String cloud) {
        Path file = folder(cacheDir, Cloud.parse(cloud)).resolve(PREVIOUS);
        return looksValid(file) ? Optional.of(file) : Optional.empty();
    }

    /** The provenance of {@link #current(Path, String)}, when recorded. */
    public static Optional<Provenance> provenance(Path cacheDir, String cloud) {
        return current(cacheDir, cloud).flatMap(Provenance::of);
    }

    /**
     * Loads a data file of the cache, as fast as the bundled snapshot: from the binary index with its lookup tables
     * that {@link Updater} stores beside it ({@code current.index}), when the index was made from exactly this file
     * (the SHA-256 in the index equals the one of the provenance record, which also names the file's size).
     * Otherwise, and for files without provenance, it loads the file itself and stores a fresh index beside it
     * when it can (a read-only cache is read as it is).
     *
     * <pre>{@code
     * ServiceTags st = ServiceTagsCache.load(ServiceTagsCache.current(dir, "Public").orElseThrow());
     * }</pre>
     *
     * @throws InvalidServiceTagsException when the data file itself is malformed
     * @throws IOException when it cannot be read
     */
    public static ServiceTags load(Path dataFile) throws IOException {
        Optional<byte[]> origin = Provenance.of(dataFile).flatMap(ServiceTagsCache::sha256);
        Path index = indexFor(dataFile);
        if (origin.isPresent() && Files.isRegularFile(index)) {
            try (InputStream in = Files.newInputStream(index)) {
                return Internals.serviceTags().readWithTables(in, dataFile.toString(), origin.get());
            } catch (IOException e) {
                // stale (made from another file), damaged or unreadable: the data file itself is the truth
            }
        }
        ServiceTags st = ServiceTags.load(dataFile);
        if (origin.isPresent()) {
            try {
                writeIndex(st, dataFile, origin.get());
            } catch (IOException e) {
                // a read-only cache (the system one, read by another user): read as it is
            }
        }
        return st;
    }

    /**
     * Stores the binary index of {@code st} (loaded from {@code dataFile}, whose SHA-256 is {@code origin}) beside
     * it, atomically: a temporary file renamed over the old index, removed on failure.
     */
    static void writeIndex(ServiceTags st, Path dataFile, byte[] origin) throws IOException {
        Path index = indexFor(dataFile);
        Path tmp = Updater.newTempFile(index.getParent()); // the umask's permissions, like the data file
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                Internals.serviceTags().writeWithTables(st, out, origin);
            }
            Files.move(tmp, index, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The binary index beside a data file: {@code current.json} has {@code current.index}. */
    static Path indexFor(Path dataFile) {
        String name = dataFile.getFileName().toString();
        String base = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        return dataFile.resolveSibling(base + INDEX_SUFFIX);
    }

    private static Optional<byte[]> sha256(Provenance p) {
        try {
            byte[] b = HexFormat.of().parseHex(p.sha256());
            return b.length == 32 ? Optional.of(b) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Regular, non-empty, and starts like data (JSON, optionally after a BOM, gzip or a binary index). */
    static boolean looksValid(Path file) {
        return DataOpener.looksLikeData(file);
    }

    /**
     * The top-level {@code changeNumber} of a service-tag file, read by streaming (no index is built): from the
     * provenance when it matches, else from the file. Empty when it cannot be read.
     */
    static OptionalLong changeNumberOf(Path file) {
        Optional<Provenance> p = Provenance.of(file);
        if (p.isPresent()) {
            return OptionalLong.of(p.get().changeNumber());
        }
        try (InputStream raw = Files.newInputStream(file)) {
            try (JsonParser parser = Json.FACTORY.createParser(DataOpener.open(raw, file.toString(), Long.MAX_VALUE).json())) {
                if (parser.nextToken() != JsonToken.START_OBJECT) {
                    return OptionalLong.empty();
                }
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    JsonToken t = parser.nextToken();
                    if ("changeNumber".equals(name)) {
                        if (t == JsonToken.VALUE_NUMBER_INT) {
                            return OptionalLong.of(parser.getLongValue());
                        }
                        if (t == JsonToken.VALUE_STRING) {
                            return OptionalLong.of(Long.parseLong(parser.getText().trim()));
                        }
                        return OptionalLong.empty();
                    }
                    parser.skipChildren();
                }
            }
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }
}
