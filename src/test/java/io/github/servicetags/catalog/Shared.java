package io.github.servicetags.catalog;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Locates ../shared (system property servicetags.shared): skips when missing, fails under requireRealData. */
final class Shared {
    private Shared() {}

    static Path require(String relative) {
        String base = System.getProperty("servicetags.shared", "../shared");
        Path p = Path.of(base).resolve(relative);
        if (!Files.exists(p)) {
            String why = p.toAbsolutePath() + " is missing (set -Dservicetags.shared=DIR)";
            if (Boolean.getBoolean("servicetags.requireRealData")) {
                fail(why + " and servicetags.requireRealData=true");
            }
            Assumptions.abort(why);
        }
        return p;
    }
}
