package io.github.servicetags.packaging;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the Debian tools the package tests judge it with (dpkg-deb, dpkg, lintian, systemd-analyze, man, bash), with
 * stdout and stderr kept apart. Tests skip when a tool is missing and fail instead under
 * {@code -Dservicetags.requireRealData=true}, as in CI, where {@code .ci/install-tools} installs them.
 */
final class Sh {
    private Sh() {
    }

    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
        }
    }

    /** Skips (or fails under requireRealData) unless every tool is on the PATH. */
    static void requireTools(String... tools) {
        for (String tool : tools) {
            if (which(tool) == null) {
                String reason = tool + " is not installed; .ci/install-tools installs it";
                if (Boolean.getBoolean("servicetags.requireRealData")) {
                    fail("the package tests need their tools (servicetags.requireRealData=true) but " + reason);
                }
                Assumptions.assumeTrue(false, reason);
            }
        }
    }

    static Path which(String tool) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin"));
        for (String dir : dirs) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    static Result run(List<String> command) throws IOException {
        return run(command, Map.of(), null);
    }

    /** Runs {@code command} with {@code env} added to (or, for a null value, removed from) this environment. */
    static Result run(List<String> command, Map<String, String> env, Path dir) throws IOException {
        List<String> cmd = new ArrayList<>(command);
        if (!cmd.get(0).contains("/") && which(cmd.get(0)) != null) {
            cmd.set(0, which(cmd.get(0)).toString()); // found on our PATH, whatever PATH the command gets
        }
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Map<String, String> e = pb.environment();
        e.put("PATH", e.getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin");
        e.put("LC_ALL", "C.UTF-8");
        env.forEach((k, v) -> {
            if (v == null) {
                e.remove(k);
            } else {
                e.put(k, v);
            }
        });
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getErrorStream().readAllBytes();
            } catch (IOException ex) {
                return ex.toString().getBytes(StandardCharsets.UTF_8);
            }
        });
        byte[] out = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("timed out after 300 s: " + command);
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8),
                    new String(err.get(), StandardCharsets.UTF_8));
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IOException(ex);
        } catch (ExecutionException ex) {
            throw new IOException(ex);
        }
    }
}
