package io.github.servicetags.cli;

import io.github.servicetags.update.Cloud;
import io.github.servicetags.update.ServiceTagsCache;
import io.github.servicetags.update.UpdateException;
import io.github.servicetags.update.UpdateResult;
import io.github.servicetags.update.Updater;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code update}: download the current file from Microsoft into the cache, safely. */
@Command(name = "update", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Download the current service-tag file of a cloud into the cache.",
            "The file URL is discovered from Microsoft's download page (it changes weekly) unless --url is given. "
                    + "The file is validated completely before it replaces the cached one; the previous file is "
                    + "kept. Any failure leaves the cache as it was and exits with 1."})
final class UpdateCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Option(names = "--cloud", paramLabel = "CLOUD",
            description = "Public, AzureGovernment or AzureChina (default: the global --cloud, or the cloud named in "
                    + "the --url file name, or Public).")
    String cloud;

    @Option(names = "--url", paramLabel = "URL", description = "Download this file instead of discovering the link.")
    URI url;

    @Option(names = "--page", paramLabel = "URL",
            description = "The download page to discover the link from (default: Microsoft's page of the cloud).")
    URI page;

    @Option(names = "--insecure", description = "Allow plain http URLs and redirects to http.")
    boolean insecure;

    @Option(names = "--allow-downgrade", description = "Install a file with a lower changeNumber than the cached one.")
    boolean allowDowngrade;

    @Option(names = "--timeout", paramLabel = "S", defaultValue = "30",
            description = "Connect timeout and longest wait for data, in seconds (default: ${DEFAULT-VALUE}).")
    double timeoutSeconds;

    @Option(names = "--max-size", paramLabel = "BYTES", defaultValue = "64M",
            description = "Largest file accepted; suffixes K, M, G (default: ${DEFAULT-VALUE}).")
    String maxSize;

    @Option(names = "--cache", paramLabel = "DIR",
            description = "Cache directory (default: the global --cache, $SERVICETAGS_CACHE, ~/.cache/servicetags).")
    Path cache;

    /** Whether stderr is a terminal; a progress line is shown only then. */
    boolean terminal = System.console() != null;

    @Override
    public Integer call() {
        Path dir = cache != null ? cache
                : main.cache != null ? main.cache : ServiceTagsCache.defaultDirectory(main.env);
        Updater.Builder b = Updater.builder(dir)
                .insecure(insecure)
                .allowDowngrade(allowDowngrade)
                .timeout(timeout(timeoutSeconds))
                .maxSize(parseSize(maxSize));
        Cloud c = chosenCloud();
        if (c != null) {
            b.cloud(c);
        }
        if (url != null) {
            b.url(url);
        }
        if (page != null) {
            b.downloadPage(page);
        }
        ProgressLine progress = terminal ? new ProgressLine(main.err) : null;
        if (progress != null) {
            b.progress(progress);
        }
        Updater updater = b.build();
        try {
            UpdateResult r = updater.update();
            if (progress != null) {
                progress.finish();
            }
            String was = r.previousChangeNumber().isPresent()
                    ? " (was " + r.previousChangeNumber().getAsLong() + ")" : "";
            if (r.status() == UpdateResult.Status.INSTALLED) {
                main.out.printf("installed %s changeNumber %d%s from %s into %s%n", r.cloud().id(), r.changeNumber(),
                        was, r.provenance().url(), r.file());
            } else {
                main.out.printf("up to date: %s changeNumber %d from %s in %s%n", r.cloud().id(), r.changeNumber(),
                        r.provenance().url(), r.file());
            }
            return Main.OK;
        } catch (UpdateException e) {
            if (progress != null) {
                progress.finish();
            }
            main.err.println("servicetags: update failed: " + e.getMessage());
            main.err.println("servicetags: the cache in " + ServiceTagsCache.folder(dir, updater.cloud())
                    + " is unchanged");
            return Main.DATA_ERROR;
        }
    }

    private Cloud chosenCloud() {
        if (cloud != null) {
            return Cloud.parse(cloud);
        }
        if (main.cloud != null && !main.cloud.equalsIgnoreCase("Public")) {
            return Cloud.parse(main.cloud);
        }
        return url == null ? Cloud.PUBLIC : null; // with --url: the cloud named in the file name, else Public
    }

    private static Duration timeout(double seconds) {
        if (!(seconds > 0) || seconds > 86_400) {
            throw new IllegalArgumentException("--timeout must be between 0 and 86400 seconds, was " + seconds);
        }
        return Duration.ofMillis(Math.max(1, Math.round(seconds * 1000)));
    }

    static long parseSize(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        if (t.endsWith("K") || t.endsWith("M") || t.endsWith("G")) {
            unit = t.endsWith("K") ? 1L << 10 : t.endsWith("M") ? 1L << 20 : 1L << 30;
            t = t.substring(0, t.length() - 1);
        }
        try {
            long n = Long.parseLong(t);
            if (n <= 0 || n > Long.MAX_VALUE / unit) {
                throw new NumberFormatException();
            }
            return n * unit;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--max-size must be a positive number of bytes (suffix K, M or G "
                    + "allowed), was '" + text + "'");
        }
    }

    /** "downloading  1.2 MiB / 4.0 MiB" rewritten in place on a terminal, at most ten times a second. */
    static final class ProgressLine implements Updater.Progress {
        private final PrintWriter err;
        private long lastNanos;
        private boolean shown;

        ProgressLine(PrintWriter err) {
            this.err = err;
        }

        @Override
        public synchronized void onProgress(long received, long total) {
            long now = System.nanoTime();
            if (shown && now - lastNanos < 100_000_000L && received != total) {
                return;
            }
            lastNanos = now;
            shown = true;
            String line = "downloading " + mib(received) + (total > 0 ? " / " + mib(total) : "");
            err.print("\r" + line + "   ");
            err.flush();
        }

        synchronized void finish() {
            if (shown) {
                err.println();
                shown = false;
            }
        }

        private static String mib(long bytes) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
        }
    }
}
