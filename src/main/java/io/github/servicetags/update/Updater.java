package io.github.servicetags.update;

import io.github.servicetags.LoadOptions;
import io.github.servicetags.ServiceTags;
import io.github.servicetags.internal.DataOpener;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * Downloads the current service-tag file of a cloud into the {@link ServiceTagsCache cache}, safely.
 *
 * <pre>{@code
 * Updater.builder(ServiceTagsCache.defaultDirectory(System.getenv())).cloud(Cloud.PUBLIC).build().update()
 *     // returns UpdateResult[status=INSTALLED, cloud=Public,
 *     //     file=/home/me/.cache/servicetags/Public/current.json, ...]
 * }</pre>
 *
 * <p>What it guarantees:
 * <ul>
 * <li>The file URL is discovered from Microsoft's download page of the cloud ({@link Cloud#downloadPage()}), whose link
 *     changes every week, unless a URL is given.</li>
 * <li>HTTPS only; plain http only with {@link Builder#insecure(boolean)}. Redirects are followed by hand (at most
 *     {@value Downloader#MAX_REDIRECTS}) and a redirect to http is refused. Connect timeout, idle read timeout, size
 *     limit.</li>
 * <li>The download goes to a temporary file in the cloud's folder and is validated completely with
 *     {@link ServiceTags#load(Path)}; it must be for the requested cloud and its {@code changeNumber} may not be lower
 *     than the cached one (unless {@link Builder#allowDowngrade(boolean)}).</li>
 * <li>Only then is the old file copied to {@code previous.json} and the new one renamed atomically over
 *     {@code current.json}, with its {@link Provenance} beside it.</li>
 * <li>Any failure throws {@link UpdateException} and leaves the cache as it was.</li>
 * </ul>
 * Updates of the same cache folder are serialised with a file lock. Instances are immutable and thread-safe.
 */
public final class Updater {

    /** Receives download progress; {@code totalBytes} is {@code -1} when the server does not announce a length. */
    @FunctionalInterface
    public interface Progress {
        /** Called on the download thread after each chunk. */
        void onProgress(long receivedBytes, long totalBytes);
    }

    /** Default limit for the downloaded file: 64 MiB (the Public file is about 4 MiB). */
    public static final long DEFAULT_MAX_SIZE = 64L << 20;
    /** Default connect timeout. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Default idle read timeout: the longest wait for the response or the next bytes of the body. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    static final long MAX_PAGE_SIZE = 8L << 20;

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    private static final Pattern FILE_NAME = Pattern.compile("ServiceTags_([A-Za-z]+)_\\d{8}\\.json$");

    private final Path cacheDir;
    private final Cloud cloud;
    private final URI url;
    private final URI downloadPage;
    private final boolean insecure;
    private final boolean allowDowngrade;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final long maxSize;
    private final Progress progress;
    private final Clock clock;
    private final Hook beforeInstall;
    private final HttpClient client;
    private final Downloader downloader;

    /** Test seam: runs after the new file is written and validated, just before it is moved into place. */
    @FunctionalInterface
    interface Hook {
        void run(Path tempFile) throws IOException;
    }

    private Updater(Builder b) {
        this.cacheDir = b.cacheDir;
        this.url = b.url;
        this.cloud = b.cloud != null ? b.cloud
                : b.url != null ? cloudFromUrl(b.url).orElse(Cloud.PUBLIC) : Cloud.PUBLIC;
        this.downloadPage = b.downloadPage != null ? b.downloadPage : cloud.downloadPage();
        this.insecure = b.insecure;
        this.allowDowngrade = b.allowDowngrade;
        this.connectTimeout = b.connectTimeout;
        this.readTimeout = b.readTimeout;
        this.maxSize = b.maxSize;
        this.progress = b.progress;
        this.clock = b.clock;
        this.beforeInstall = b.beforeInstall;
        HttpClient.Builder hb = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (b.sslContext != null) {
            hb.sslContext(b.sslContext);
        }
        this.client = hb.build();
        this.downloader = new Downloader(client, insecure, readTimeout, "servicetags/" + version());
    }

    /** A builder for an updater writing into {@code cacheDir} (see {@link ServiceTagsCache#defaultDirectory}). */
    public static Builder builder(Path cacheDir) {
        return new Builder(cacheDir);
    }

    /** The cloud this updater installs. */
    public Cloud cloud() {
        return cloud;
    }

    /** The cache directory this updater writes into. */
    public Path cacheDirectory() {
        return cacheDir;
    }

    /**
     * The URL of the file to download: the one given to the builder, else the link found in the download page.
     *
     * @throws UpdateException when the page cannot be fetched or holds no link to a service-tag file
     */
    public URI discover() throws UpdateException {
        if (url != null) {
            return url;
        }
        ByteArrayOutputStream page = new ByteArrayOutputStream();
        Downloader.Result r = downloader.get(downloadPage, "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8",
                MAX_PAGE_SIZE, page, null);
        String html = page.toString(StandardCharsets.UTF_8);
        return LinkFinder.find(html, r.uri, cloud).orElseThrow(() -> new UpdateException(
                "no link to a ServiceTags_*.json file found in the download page " + downloadPage
                        + " (" + r.bytes + " bytes); the page may have changed: pass the file URL with --url"));
    }

    /**
     * Brings the cache up to date. Already current (same URL and content as the cached file, or the same bytes) is
     * not an error: the result says {@link UpdateResult.Status#UP_TO_DATE} and nothing changes.
     *
     * @throws UpdateException for every failure; the cache is then unchanged
     */
    public UpdateResult update() throws UpdateException {
        URI fileUrl = discover();
        Path folder = ServiceTagsCache.folder(cacheDir, cloud);
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UpdateException("cannot create the cache folder " + folder + ": " + e.getMessage(), e);
        }
        Path lockFile = folder.resolve(ServiceTagsCache.LOCK);
        try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new UpdateException("another update of " + folder + " is running (lock " + lockFile + ")");
            }
            try {
                return updateLocked(fileUrl, folder);
            } finally {
                lock.release();
            }
        } catch (UpdateException e) {
            throw e;
        } catch (IOException e) {
            throw new UpdateException("cannot update the cache in " + folder + ": " + e.getMessage(), e);
        }
    }

    private UpdateResult updateLocked(URI fileUrl, Path folder) throws IOException {
        removeStaleTemporaryFiles(folder);
        Path current = folder.resolve(ServiceTagsCache.CURRENT);
        Optional<Path> cached = ServiceTagsCache.looksValid(current) ? Optional.of(current) : Optional.empty();
        Optional<Path> newestValid = cached.isPresent() ? cached : ServiceTagsCache.current(cacheDir, cloud.id());
        OptionalLong cachedChange = newestValid.map(ServiceTagsCache::changeNumberOf).orElse(OptionalLong.empty());
        Optional<Provenance> cachedProvenance = cached.flatMap(Provenance::of);

        // Same URL as the cached file and the file is intact: nothing to download.
        if (url == null && cachedProvenance.isPresent() && cachedProvenance.get().url().equals(fileUrl.toString())
                && cachedProvenance.get().sha256().equals(sha256(current))) {
            try {
                ServiceTagsCache.load(current); // stores the binary index if it is missing or stale
            } catch (IOException e) {
                // left to the next update: the data file is the one the provenance describes
            }
            return new UpdateResult(UpdateResult.Status.UP_TO_DATE, cloud, current, cachedProvenance.get(),
                    cachedChange);
        }

        Path temp = newTempFile(folder);
        Path tempProvenance = null;
        try {
            MessageDigest digest = sha256Digest();
            Downloader.Result r;
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream out = new DigestOutputStream(new BufferedOutputStream(
                         java.nio.channels.Channels.newOutputStream(ch), 1 << 16), digest)) {
                r = downloader.get(fileUrl, "application/json, application/octet-stream;q=0.9, */*;q=0.1",
                        maxSize, out, progress);
                out.flush();
                ch.force(true);
            }
            String sha = HexFormat.of().formatHex(digest.digest());

            ServiceTags loaded;
            try (InputStream in = Files.newInputStream(temp)) {
                DataOpener.Opened opened = DataOpener.open(in, fileName(r.uri),
                        LoadOptions.defaults().maxDocumentBytes());
                if (opened.isBinary()) {
                    opened.json(); // the cache holds the JSON as published: refused as "a binary index, not JSON"
                }
                loaded = ServiceTags.load(opened.raw(), fileName(r.uri), LoadOptions.defaults());
            } catch (IOException | RuntimeException e) {
                throw new UpdateException("the file downloaded from " + r.uri + " is not a valid service-tag file"
                        + describeType(r.contentType) + ": " + e.getMessage(), e);
            }
            Optional<Cloud> fileCloud = Cloud.tryParse(loaded.cloud());
            if (fileCloud.isEmpty() || fileCloud.get() != cloud) {
                throw new UpdateException("the file downloaded from " + r.uri + " is for cloud '" + loaded.cloud()
                        + "', not " + cloud.id()
                        + (fileCloud.isPresent() ? "; pass --cloud " + fileCloud.get().id() : ""));
            }
            long change = loaded.changeNumber();
            if (cachedChange.isPresent() && change < cachedChange.getAsLong() && !allowDowngrade) {
                throw new UpdateException("refusing to install changeNumber " + change + " from " + r.uri
                        + ": the cache already holds changeNumber " + cachedChange.getAsLong() + " ("
                        + newestValid.get() + "); use --allow-downgrade to install an older file");
            }
            if (cached.isPresent() && sha.equals(sha256(current))) {
                Provenance p = cachedProvenance.orElse(new Provenance(loaded.cloud(), change, r.uri.toString(),
                        clock.instant(), sha, Files.size(current)));
                storeIndex(loaded, current, sha);
                return new UpdateResult(UpdateResult.Status.UP_TO_DATE, cloud, current, p, cachedChange);
            }

            Provenance provenance = new Provenance(loaded.cloud(), change, r.uri.toString(), clock.instant(), sha,
                    Files.size(temp));
            tempProvenance = newTempFile(folder);
            writeProvenance(provenance, tempProvenance);

            if (beforeInstall != null) {
                beforeInstall.run(temp);
            }
            install(folder, temp, tempProvenance, cached.isPresent());
            storeIndex(loaded, current, sha);
            return new UpdateResult(UpdateResult.Status.INSTALLED, cloud, current, provenance, cachedChange);
        } finally {
            Files.deleteIfExists(temp);
            if (tempProvenance != null) {
                Files.deleteIfExists(tempProvenance);
            }
        }
    }

    /**
     * Keeps the old file as previous, then renames the new one over current. At every instant current.json is a
     * complete, validated file: either the old one or the new one.
     */
    /**
     * Stores the binary index of the installed file beside it, so that lookups from the cache start like the
     * bundled snapshot. Best effort: without it (a full disk) the JSON is read, and the index stored on a later read.
     */
    private static void storeIndex(ServiceTags loaded, Path current, String sha) {
        try {
            ServiceTagsCache.writeIndex(loaded, current, HexFormat.of().parseHex(sha));
        } catch (IOException e) {
            // the update itself succeeded: current.json and its provenance are installed
        }
    }

    private static void install(Path folder, Path temp, Path tempProvenance, boolean keepCurrent) throws IOException {
        Path current = folder.resolve(ServiceTagsCache.CURRENT);
        Path currentProvenance = Provenance.fileFor(current);
        Path previous = folder.resolve(ServiceTagsCache.PREVIOUS);
        Path previousProvenance = Provenance.fileFor(previous);
        try {
            if (keepCurrent) { // a damaged current file is not worth keeping: the previous one stays instead
                copyAtomically(current, previous, folder);
                if (Files.isRegularFile(currentProvenance)) {
                    copyAtomically(currentProvenance, previousProvenance, folder);
                } else {
                    Files.deleteIfExists(previousProvenance);
                }
            }
            Files.move(temp, current, StandardCopyOption.ATOMIC_MOVE);
            Files.move(tempProvenance, currentProvenance, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new UpdateException("the file system of " + folder + " does not support atomic renames", e);
        }
        syncDirectory(folder);
    }

    private static void copyAtomically(Path from, Path to, Path folder) throws IOException {
        Path tmp = newTempFile(folder);
        try {
            Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, to, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * A new empty file for an in-flight download. Unlike {@link Files#createTempFile} (always 0600) it gets the
     * permissions of the umask, like any file the user creates: the cache may serve a daemon running as another user.
     */
    static Path newTempFile(Path folder) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path p = folder.resolve(ServiceTagsCache.TEMP_PREFIX + Long.toUnsignedString(RANDOM.nextLong(), 36)
                    + ServiceTagsCache.TEMP_SUFFIX);
            try {
                FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return p;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            }
        }
    }

    private static void writeProvenance(Provenance p, Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
             OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
            p.write(out);
            out.flush();
            ch.force(true);
        }
    }

    /** Best effort: makes the renames durable on file systems that support syncing a directory. */
    private static void syncDirectory(Path folder) {
        try (FileChannel ch = FileChannel.open(folder, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            // not supported here (Windows): the renames are still atomic
        }
    }

    /** Leftovers of an update that crashed between download and rename; we hold the lock, so none is in use. */
    private static void removeStaleTemporaryFiles(Path folder) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder,
                ServiceTagsCache.TEMP_PREFIX + "*" + ServiceTagsCache.TEMP_SUFFIX)) {
            for (Path p : ds) {
                Files.deleteIfExists(p);
            }
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest d = sha256Digest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    private static String describeType(String contentType) {
        return contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).contains("html")
                ? " (the server sent an HTML page, Content-Type " + contentType + ")" : "";
    }

    /** The last path segment of the URL, to name the download in messages. */
    static String fileName(URI uri) {
        String path = uri.getPath() == null ? "" : uri.getPath();
        String name = path.substring(path.lastIndexOf('/') + 1);
        return name.isEmpty() ? uri.toString() : name;
    }

    static Optional<Cloud> cloudFromUrl(URI uri) {
        String path = uri.getPath() == null ? "" : uri.getPath();
        Matcher m = FILE_NAME.matcher(path);
        return m.find() ? Cloud.tryParse(m.group(1)) : Optional.empty();
    }

    private static String version() {
        String v = Updater.class.getPackage() == null ? null : Updater.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Options of an {@link Updater}; every option has a safe default. */
    public static final class Builder {
        private final Path cacheDir;
        private Cloud cloud;
        private URI url;
        private URI downloadPage;
        private boolean insecure;
        private boolean allowDowngrade;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration readTimeout = DEFAULT_READ_TIMEOUT;
        private long maxSize = DEFAULT_MAX_SIZE;
        private Progress progress;
        private SSLContext sslContext;
        private Clock clock = Clock.systemUTC();
        private Hook beforeInstall;

        private Builder(Path cacheDir) {
            this.cacheDir = Objects.requireNonNull(cacheDir, "cacheDir");
        }

        /** The cloud to update; default {@link Cloud#PUBLIC}, or the cloud named in the file name of {@link #url}. */
        public Builder cloud(Cloud cloud) {
            this.cloud = Objects.requireNonNull(cloud, "cloud");
            return this;
        }

        /** Download this file instead of discovering the URL from the download page. */
        public Builder url(URI url) {
            this.url = Objects.requireNonNull(url, "url");
            return this;
        }

        /** The page to discover the file URL from; default {@link Cloud#downloadPage()}. */
        public Builder downloadPage(URI page) {
            this.downloadPage = Objects.requireNonNull(page, "page");
            return this;
        }

        /** Allow plain {@code http:} URLs and redirects to them. Default false. */
        public Builder insecure(boolean insecure) {
            this.insecure = insecure;
            return this;
        }

        /** Install a file with a lower {@code changeNumber} than the cached one. Default false. */
        public Builder allowDowngrade(boolean allow) {
            this.allowDowngrade = allow;
            return this;
        }

        /** Connect timeout; default 10 seconds. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connect timeout");
            return this;
        }

        /** Longest wait for the response headers or the next bytes of a body; default 30 seconds. */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = positive(timeout, "read timeout");
            return this;
        }

        /** Sets both timeouts. */
        public Builder timeout(Duration timeout) {
            return connectTimeout(timeout).readTimeout(timeout);
        }

        /** Largest file accepted, in bytes; default {@link #DEFAULT_MAX_SIZE}. */
        public Builder maxSize(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maximum size must be positive, was " + bytes);
            }
            this.maxSize = bytes;
            return this;
        }

        /** Receives progress of the file download (not of the page). */
        public Builder progress(Progress progress) {
            this.progress = progress;
            return this;
        }

        /** TLS settings, for example a trust store holding a private CA. Default: the JDK's. */
        public Builder sslContext(SSLContext context) {
            this.sslContext = Objects.requireNonNull(context, "context");
            return this;
        }

        /** The clock for the download time in the provenance. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        Builder beforeInstall(Hook hook) {
            this.beforeInstall = hook;
            return this;
        }

        /** The updater. Cheap; does no I/O. */
        public Updater build() {
            return new Updater(this);
        }

        private static Duration positive(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, was " + d);
            }
            return d;
        }
    }
}
