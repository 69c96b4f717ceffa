package io.github.servicetags.spark;

import io.github.servicetags.TagSet;
import java.io.Serializable;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.connector.catalog.functions.ScalarFunction;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.util.LongAccumulator;

/**
 * What the two SQL functions share: the broadcast index, resolved once per deserialized copy (once per task) from
 * the per-JVM cache, and the handling of address text that is not an address.
 */
abstract class IndexFunction<R> implements ScalarFunction<R>, Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final String sha256;
    private final Broadcast<IndexPayload> broadcast;
    final boolean strict;
    private final LongAccumulator invalidInputs;
    // Not volatile on purpose: LoadedIndex is immutable with final fields, a race only costs one more cache probe.
    private transient LoadedIndex loaded;

    IndexFunction(String name, String sha256, Broadcast<IndexPayload> broadcast, boolean strict,
            LongAccumulator invalidInputs) {
        this.name = name;
        this.sha256 = sha256;
        this.broadcast = broadcast;
        this.strict = strict;
        this.invalidInputs = invalidInputs;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String canonicalName() {
        return "servicetags." + name;
    }

    final LoadedIndex index() {
        LoadedIndex l = loaded;
        if (l == null) {
            l = ExecutorIndex.get(sha256, broadcast);
            loaded = l;
        }
        return l;
    }

    /**
     * Returns every tag containing the address, or null when the text is not an address (counted, or an error in
     * strict mode).
     *
     * <p>The library answers text that is not an address with an exception, which costs microseconds in Spark's deep
     * stacks; real logs repeat a few such values ({@code "-"}, {@code ""}, {@code "unknown"}). So text with a byte
     * that no address has, and text recently refused by the library, is refused here without asking it again.
     */
    final TagSet lookup(LoadedIndex index, UTF8String ip) {
        long v4 = Utf8Ip.parseIPv4(ip);
        if (v4 != Utf8Ip.NOT_IPV4) {
            return index.serviceTags().lookupIPv4((int) v4);
        }
        if (!strict && (!Utf8Ip.mayBeAddress(ip) || recentlyRefused(ip))) {
            invalidInputs.add(1);
            return null;
        }
        try {
            return index.serviceTags().lookup(ip.toString());
        } catch (IllegalArgumentException e) {
            if (strict) {
                throw new IllegalArgumentException(name + ": " + e.getMessage()
                        + " (strict mode; register without strict to get NULL for such rows)", e);
            }
            remember(ip);
            invalidInputs.add(1);
            return null;
        }
    }

    private static final int REFUSED_SLOTS = 16;
    // Per deserialized copy (per task); races between threads only lose an entry.
    private transient UTF8String[] refused;
    private transient int nextRefused;

    private boolean recentlyRefused(UTF8String ip) {
        UTF8String[] r = refused;
        if (r != null) {
            for (UTF8String s : r) {
                if (s != null && s.equals(ip)) {
                    return true;
                }
            }
        }
        return false;
    }

    private void remember(UTF8String ip) {
        if (ip.numBytes() > 64) {
            return;
        }
        UTF8String[] r = refused;
        if (r == null) {
            r = new UTF8String[REFUSED_SLOTS];
            refused = r;
        }
        // clone(): the row's bytes may be reused for the next row.
        r[nextRefused] = ip.clone();
        nextRefused = (nextRefused + 1) % REFUSED_SLOTS;
    }
}
