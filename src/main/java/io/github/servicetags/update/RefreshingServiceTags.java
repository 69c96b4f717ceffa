package io.github.servicetags.update;

import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.github.servicetags.ServiceTags;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Always-current service tags for long-running services: reloads in the background and swaps the immutable index
 * atomically.
 *
 * <pre>{@code
 * try (var tags = RefreshingServiceTags.ofCache(ServiceTagsCache.defaultDirectory(System.getenv()), "Public",
 *                                               Duration.ofHours(1))) {
 *     tags.current().lookup("20.38.98.1").names();   // returns [AzureCloud, AzureCloud.eastus, ...]
 * }
 * }</pre>
 *
 * <p>Guarantees:
 * <ul>
 * <li>{@link #current()} never blocks, never returns {@code null}, never throws, and returns a complete index: a new
 *     index is built off to the side by the refresh and only then published.</li>
 * <li>A failed refresh (the source throws, returns {@code null}, the file is damaged) keeps the last good index and is
 *     reported to {@link Builder#onFailure}; the next refresh tries again.</li>
 * <li>The {@link ServiceTags#changeNumber()} seen through {@link #current()} never goes down: an older file from the
 *     source is refused like a failure.</li>
 * </ul>
 *
 * <p>How: a Caffeine {@link LoadingCache} with a single entry drives the reloads: it runs them on our background
 * thread ({@code refreshAfterWrite}, so a read after the interval schedules one), deduplicates concurrent refreshes,
 * and keeps the old value while a reload is in flight; a timer additionally asks for a refresh every interval so that
 * the data stays current when nobody reads. Each reload publishes its result, if newer, with one atomic
 * compare-and-set, and readers take the published index with one volatile read. Closing stops the refreshes;
 * {@link #current()} keeps answering with the last index.
 */
public final class RefreshingServiceTags implements AutoCloseable {
    private static final String KEY = "service-tags";

    private final Callable<ServiceTags> source;
    private final AtomicReference<ServiceTags> lastGood;
    private final AtomicReference<Exception> lastFailure = new AtomicReference<>();
    private final Consumer<ServiceTags> onUpdate;
    private final Consumer<Exception> onFailure;
    private final ScheduledExecutorService executor;
    private final LoadingCache<String, ServiceTags> cache;
    private volatile boolean closed;

    private RefreshingServiceTags(Builder b, ServiceTags initial) {
        this.source = b.source;
        this.lastGood = new AtomicReference<>(initial);
        this.onUpdate = b.onUpdate;
        this.onFailure = b.onFailure;
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "servicetags-refresh");
            t.setDaemon(true);
            return t;
        });
        ex.setRemoveOnCancelPolicy(true);
        ex.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.executor = ex;
        this.cache = Caffeine.newBuilder()
                .initialCapacity(1)
                .executor(task -> {
                    try {
                        ex.execute(task);
                    } catch (RejectedExecutionException e) {
                        task.run(); // closed: only Caffeine's cheap maintenance (a reload returns at once when closed)
                    }
                })
                .refreshAfterWrite(b.interval)
                .build(new CacheLoader<String, ServiceTags>() {
                    @Override
                    public ServiceTags load(String key) {
                        return lastGood.get();
                    }

                    @Override
                    public ServiceTags reload(String key, ServiceTags old) {
                        return reloadFrom(old);
                    }
                });
        cache.put(KEY, initial);
        long nanos = b.interval.toNanos();
        ex.scheduleWithFixedDelay(this::tick, b.firstRefresh.toNanos(), nanos, TimeUnit.NANOSECONDS);
    }

    /** A builder refreshing from {@code source}, which returns a fully loaded index or throws. */
    public static Builder builder(Callable<ServiceTags> source) {
        return new Builder(source);
    }

    /**
     * Watches one file: loads it now, then checks it every {@code interval} and reloads it when its size or
     * modification time changed.
     *
     * @throws IOException when the first load fails
     */
    public static RefreshingServiceTags ofFile(Path file, Duration interval) throws IOException {
        Objects.requireNonNull(file, "file");
        return builder(new FileSource(() -> Optional.of(file))).interval(interval).build();
    }

    /**
     * Follows the cache written by {@link Updater} (for example by a {@code servicetags update} cron job): loads the
     * newest cached file of {@code cloud} now and whenever it changes.
     *
     * @throws IOException when the cache holds no file for the cloud or it cannot be loaded
     */
    public static RefreshingServiceTags ofCache(Path cacheDir, String cloud, Duration interval) throws IOException {
        Cloud c = Cloud.parse(cloud);
        return builder(new FileSource(() -> ServiceTagsCache.current(cacheDir, c.id()))).interval(interval).build();
    }

    /**
     * Keeps itself current from Microsoft: every {@code interval} runs {@code updater} and loads the cache. Starts with
     * the cached file when there is one (and updates in the background right away), else updates first.
     *
     * @throws IOException when there is no cached file and the first update fails
     */
    public static RefreshingServiceTags updating(Updater updater, Duration interval) throws IOException {
        FileSource files = new FileSource(
                () -> ServiceTagsCache.current(updater.cacheDirectory(), updater.cloud().id()));
        Callable<ServiceTags> source = () -> {
            updater.update();
            return files.call();
        };
        Builder b = builder(source).interval(interval);
        if (ServiceTagsCache.current(updater.cacheDirectory(), updater.cloud().id()).isPresent()) {
            try {
                b.initial(files.call()).firstRefresh(Duration.ZERO);
            } catch (Exception e) {
                // damaged cache: fall through to a synchronous update
            }
        }
        return b.build();
    }

    /** The last good index. Never blocks, never {@code null}; its changeNumber never decreases. */
    public ServiceTags current() {
        if (!closed) {
            cache.getIfPresent(KEY); // lets Caffeine start a due refresh (refreshAfterWrite) in the background
        }
        return lastGood.get();
    }

    /**
     * Asks for a refresh now (joined with one already running) and returns the index in place afterwards. The future
     * never completes exceptionally: a failed refresh yields the last good index.
     */
    public CompletableFuture<ServiceTags> refresh() {
        if (closed) {
            return CompletableFuture.completedFuture(current());
        }
        try {
            return cache.refresh(KEY).handle((v, e) -> lastGood.get());
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(current());
        }
    }

    /** The error of the most recent refresh, empty when it succeeded (or none ran yet). */
    public Optional<Exception> lastFailure() {
        return Optional.ofNullable(lastFailure.get());
    }

    /** Stops the background refreshes. {@link #current()} keeps returning the last index. Idempotent. */
    @Override
    public void close() {
        closed = true;
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        ServiceTags st = current();
        return "RefreshingServiceTags[" + st.cloud() + " changeNumber " + st.changeNumber()
                + (closed ? ", closed" : "") + "]";
    }

    private void tick() {
        if (!closed) {
            cache.refresh(KEY);
        }
    }

    /** Runs on the refresh thread; Caffeine installs what this returns. Never throws, never returns null. */
    private ServiceTags reloadFrom(ServiceTags old) {
        ServiceTags base = newer(old, lastGood.get());
        if (closed) {
            return base;
        }
        ServiceTags fresh;
        try {
            fresh = source.call();
            if (fresh == null) {
                throw new IOException("the refresh source returned null");
            }
        } catch (Exception e) {
            fail(e);
            return base;
        }
        if (fresh.changeNumber() < base.changeNumber()) {
            fail(new IOException("refused changeNumber " + fresh.changeNumber()
                    + " from the refresh source: older than " + base.changeNumber() + " in use"));
            return base;
        }
        lastFailure.set(null);
        if (fresh == base) {
            return base;
        }
        ServiceTags winner = lastGood.accumulateAndGet(fresh, RefreshingServiceTags::newer);
        if (winner == fresh && onUpdate != null) {
            try {
                onUpdate.accept(fresh);
            } catch (RuntimeException ignored) {
                // a listener may not break refreshing
            }
        }
        return winner;
    }

    /** The one with the higher changeNumber; on a tie the second (the newer load). */
    private static ServiceTags newer(ServiceTags a, ServiceTags b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return b.changeNumber() >= a.changeNumber() ? b : a;
    }

    private void fail(Exception e) {
        lastFailure.set(e);
        if (onFailure != null) {
            try {
                onFailure.accept(e);
            } catch (RuntimeException ignored) {
                // a listener may not break refreshing
            }
        }
    }

    /** Loads the file the supplier names, again only when it changed (path, size, modification time, file key). */
    static final class FileSource implements Callable<ServiceTags> {
        private final Supplier<Optional<Path>> file;
        private Object stamp;
        private ServiceTags loaded;

        FileSource(Supplier<Optional<Path>> file) {
            this.file = file;
        }

        @Override
        public synchronized ServiceTags call() throws IOException {
            Path p = file.get().orElseThrow(
                    () -> new NoSuchFileException("no service-tag file in the cache; run `servicetags update`"));
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            Object now = java.util.List.of(p.toAbsolutePath().toString(), a.size(), a.lastModifiedTime(),
                    String.valueOf(a.fileKey()));
            if (loaded != null && now.equals(stamp)) {
                return loaded;
            }
            ServiceTags st = ServiceTags.load(p);
            loaded = st;
            stamp = now;
            return st;
        }
    }

    /** Options of a {@link RefreshingServiceTags}. */
    public static final class Builder {
        private final Callable<ServiceTags> source;
        private Duration interval = Duration.ofHours(1);
        private Duration firstRefresh;
        private ServiceTags initial;
        private Consumer<ServiceTags> onUpdate;
        private Consumer<Exception> onFailure;

        private Builder(Callable<ServiceTags> source) {
            this.source = Objects.requireNonNull(source, "source");
        }

        /** Time between refreshes; default one hour. */
        public Builder interval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("refresh interval must be positive, was " + interval);
            }
            this.interval = interval;
            return this;
        }

        /** Delay before the first background refresh; default the interval. */
        public Builder firstRefresh(Duration delay) {
            Objects.requireNonNull(delay, "delay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("first refresh delay must not be negative, was " + delay);
            }
            this.firstRefresh = delay;
            return this;
        }

        /**
         * Start with this index (for example {@link ServiceTags#bundled()}) instead of calling the source in
         * {@link #build()}.
         */
        public Builder initial(ServiceTags initial) {
            this.initial = Objects.requireNonNull(initial, "initial");
            return this;
        }

        /** Called on the refresh thread after a newer index was published. */
        public Builder onUpdate(Consumer<ServiceTags> listener) {
            this.onUpdate = listener;
            return this;
        }

        /** Called on the refresh thread when a refresh failed; the last good index stays in use. */
        public Builder onFailure(Consumer<Exception> listener) {
            this.onFailure = listener;
            return this;
        }

        /**
         * Loads the first index (unless {@link #initial} was given) and starts refreshing.
         *
         * @throws IOException when the first load fails
         */
        public RefreshingServiceTags build() throws IOException {
            ServiceTags first = initial;
            if (first == null) {
                try {
                    first = source.call();
                } catch (IOException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IOException("the first load of the service tags failed: " + e.getMessage(), e);
                }
                if (first == null) {
                    throw new IOException("the refresh source returned null");
                }
            }
            if (firstRefresh == null) {
                firstRefresh = interval;
            }
            return new RefreshingServiceTags(this, first);
        }
    }
}
