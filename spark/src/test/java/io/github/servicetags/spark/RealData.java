package io.github.servicetags.spark;

import static org.junit.jupiter.api.Assertions.fail;

import io.github.servicetags.ServiceTags;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assumptions;

/**
 * The real Microsoft files in {@code ../shared/servicetags} (seen from {@code spark/}: {@code ../../shared}). Tests
 * that need them skip with a reason when absent, and fail instead under {@code -Dservicetags.requireRealData=true}.
 */
final class RealData {
    /** The two real files, oldest first. */
    static final List<String> FILES = List.of("ServiceTags_Public_353.json", "ServiceTags_Public_376.json");

    private static final Map<String, ServiceTags> LOADED = new ConcurrentHashMap<>();

    private RealData() {}

    static Path sharedDir() {
        String p = System.getProperty("servicetags.shared");
        return p != null ? Path.of(p) : Path.of("..", "..", "shared");
    }

    static Path file(String name) {
        Path f = sharedDir().resolve("servicetags").resolve(name);
        if (!Files.exists(f)) {
            String why = f.toAbsolutePath().normalize() + " is absent: this test needs the real data in ../shared";
            if (Boolean.getBoolean("servicetags.requireRealData")) {
                fail(why + " (servicetags.requireRealData=true)");
            }
            Assumptions.abort(why);
        }
        return f;
    }

    /** Loads a real file once per test JVM. */
    static ServiceTags load(String name) {
        Path f = file(name);
        return LOADED.computeIfAbsent(name, n -> {
            try {
                return ServiceTags.load(f);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
