package io.github.servicetags.spark;

import java.util.Comparator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.broadcast.Broadcast;

/**
 * The per-JVM cache of decoded indexes, keyed by the SHA-256 of the broadcast payload. The first task on an
 * executor that needs an index fetches the broadcast and decodes it while the others wait for the same key; every
 * later task gets the same object. Identical data registered twice (two sessions, a re-registration) is decoded
 * once. At most {@value #MAX_ENTRIES} indexes are kept, the most recently decoded ones, so that a long-running
 * application that re-registers fresh data every week does not keep every old index alive.
 */
final class ExecutorIndex {
    static final int MAX_ENTRIES = 4;

    private static final ConcurrentHashMap<String, LoadedIndex> CACHE = new ConcurrentHashMap<>();
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final AtomicInteger DECODES = new AtomicInteger();

    private ExecutorIndex() {}

    /** Returns the decoded index of the payload, decoding it if this JVM has not yet. */
    static LoadedIndex get(String sha256, Broadcast<IndexPayload> broadcast) {
        LoadedIndex hit = CACHE.get(sha256);
        if (hit != null) {
            return hit;
        }
        LoadedIndex loaded = CACHE.computeIfAbsent(sha256, key -> decode(key, broadcast));
        evictOld();
        return loaded;
    }

    private static LoadedIndex decode(String sha256, Broadcast<IndexPayload> broadcast) {
        IndexPayload payload = broadcast.value();
        if (!payload.sha256().equals(sha256)) {
            throw new IllegalStateException("broadcast " + broadcast.id() + " holds " + payload
                    + ", expected sha256 " + sha256);
        }
        LoadedIndex loaded = new LoadedIndex(BroadcastCodec.decode(payload), sha256, SEQUENCE.incrementAndGet());
        DECODES.incrementAndGet();
        return loaded;
    }

    private static void evictOld() {
        while (CACHE.size() > MAX_ENTRIES) {
            CACHE.values().stream().min(Comparator.comparingLong(LoadedIndex::sequence))
                    .ifPresent(oldest -> CACHE.remove(oldest.sha256(), oldest));
        }
    }

    /** Returns how many times this JVM decoded a payload (for tests and metrics). */
    static int decodes() {
        return DECODES.get();
    }

    /** Forgets every decoded index (tests). */
    static void clear() {
        CACHE.clear();
    }
}
