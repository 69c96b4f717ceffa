package io.github.servicetags;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assumptions;

/**
 * The real Microsoft files in {@code ../shared/servicetags}. Tests that need them skip with a reason when the folder
 * is absent, and fail instead when {@code -Dservicetags.requireRealData=true} (as in CI).
 */
public final class RealData {
    /** The two real files, oldest first. */
    public static final List<String> FILES = List.of("ServiceTags_Public_353.json", "ServiceTags_Public_376.json");

    private static final Map<String, ServiceTags> LOADED = new ConcurrentHashMap<>();

    private RealData() {}

    /** Returns {@code ../shared} (from the system property set by the build, or relative to the work dir). */
    public static Path sharedDir() {
        String p = System.getProperty("servicetags.shared");
        return p != null ? Path.of(p) : Path.of("..", "shared");
    }

    /** Returns the path of a real file, skipping (or failing under requireRealData) when it is absent. */
    public static Path file(String name) {
        Path f = sharedDir().resolve("servicetags").resolve(name);
        require(f);
        return f;
    }

    /** Returns a seed document of the port catalog, like {@link #file(String)}. */
    public static Path seedsDir() {
        Path d = sharedDir().resolve("seeds");
        require(d);
        return d;
    }

    private static void require(Path p) {
        if (Files.exists(p)) {
            return;
        }
        String why = p.toAbsolutePath().normalize() + " is absent: this test needs the real data in ../shared";
        if (Boolean.getBoolean("servicetags.requireRealData")) {
            fail(why + " (servicetags.requireRealData=true)");
        }
        Assumptions.abort(why);
    }

    /** Loads a real file once per test JVM. */
    public static ServiceTags load(String name) {
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
