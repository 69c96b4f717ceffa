package io.github.servicetags.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the real nft, ipset and iptables tools inside a new user and network namespace ({@code unshare -rn}), so
 * nothing on the host changes. Tests skip when the tools or namespaces are missing, and fail instead when the
 * system property {@code servicetags.requireRealData} is true.
 */
final class RealTools {
    private static Boolean available;
    private static String reason;

    private RealTools() {
    }

    /** Skips (or fails under requireRealData) when the tools cannot run. */
    static void assume() {
        if (available == null) {
            probe();
        }
        if (!available) {
            if (Boolean.getBoolean("servicetags.requireRealData")) {
                fail("real firewall tools required (servicetags.requireRealData=true) but " + reason
                        + "; run .ci/install-tools");
            }
            Assumptions.assumeTrue(false, reason);
        }
    }

    private static synchronized void probe() {
        for (String tool : List.of("nft", "ipset", "iptables-restore", "ip6tables-restore", "unshare")) {
            if (!onPath(tool)) {
                available = false;
                reason = tool + " is not installed (apt-get install -y nftables ipset iptables)";
                return;
            }
        }
        Result r = run(List.of("unshare", "-rn", "sh", "-c", "ipset list >/dev/null && nft list ruleset >/dev/null"));
        available = r.code == 0;
        reason = available ? null : "user and network namespaces are not permitted here (unshare -rn: "
                + r.output.strip() + ")";
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        for (String dir : List.of("/usr/sbin", "/sbin")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    record Result(int code, String output) {
    }

    static Result run(List<String> command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            String path = pb.environment().getOrDefault("PATH", "/usr/bin:/bin");
            pb.environment().put("PATH", path + ":/usr/sbin:/sbin");
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out: " + command);
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, e.toString());
        }
    }

    /** Runs a command; the output is its stdout, with its stderr after it only when it failed. */
    static Result runStdout(List<String> command) {
        try {
            Path err = Files.createTempFile("servicetags-stderr", ".txt");
            try {
                ProcessBuilder pb = new ProcessBuilder(command).redirectError(err.toFile());
                Process p = pb.start();
                p.getOutputStream().close();
                byte[] out = p.getInputStream().readAllBytes();
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return new Result(-1, "timed out: " + command);
                }
                String text = new String(out, StandardCharsets.UTF_8);
                return new Result(p.exitValue(), p.exitValue() == 0 ? text
                        : text + "\n--- stderr ---\n" + Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, e.toString());
        }
    }

    private static String squidReason;
    private static boolean squidProbed;

    /** Skips (or fails under requireRealData) when squid is not installed. */
    static synchronized void assumeSquid() {
        if (!squidProbed) {
            squidProbed = true;
            squidReason = onPath("squid") ? null : "squid is not installed (apt-get install -y squid)";
        }
        if (squidReason != null) {
            if (Boolean.getBoolean("servicetags.requireRealData")) {
                fail("squid required (servicetags.requireRealData=true) but " + squidReason
                        + "; run .ci/install-tools");
            }
            Assumptions.assumeTrue(false, squidReason);
        }
    }

    /**
     * {@code squid -k parse -f} on a configuration that includes {@code allowList} between an {@code http_port} and
     * the final {@code http_access deny all}, as the README says to load it. Returns the lines of squid's output
     * that are warnings or errors (empty when it loads cleanly); asserts that the parse succeeded when
     * {@code mustSucceed}.
     */
    static List<String> squidParse(Path dir, String allowList, boolean mustSucceed) throws IOException {
        Path list = write(dir, "allow.conf", allowList);
        Path conf = write(dir, "squid.conf", "http_port 127.0.0.1:3128\ninclude " + list + "\nhttp_access deny all\n");
        Result r = run(List.of("squid", "-k", "parse", "-f", conf.toString()));
        if (mustSucceed) {
            assertEquals(0, r.code, () -> "squid -k parse failed:\n" + r.output + "\n--- allow-list ---\n"
                    + head(allowList));
        }
        List<String> problems = new ArrayList<>();
        for (String line : r.output.split("\n")) {
            if (line.contains("WARNING") || line.contains("ERROR") || line.contains("FATAL")
                    || line.contains("Bungled")) {
                problems.add(line);
            }
        }
        if (r.code != 0 && problems.isEmpty()) {
            problems.add("exit " + r.code + ": " + r.output.strip());
        }
        return problems;
    }

    /** {@code nft -c -f} in a fresh namespace; asserts success. */
    static void nftCheck(Path dir, String ruleset) throws IOException {
        Path f = write(dir, "ruleset.nft", ruleset);
        Result r = run(List.of("unshare", "-rn", "nft", "-c", "-f", f.toString()));
        assertEquals(0, r.code, () -> "nft -c -f rejected the ruleset:\n" + r.output + "\n--- ruleset ---\n"
                + head(ruleset));
    }

    /**
     * Loads the ipset file for real in a fresh namespace, then checks the iptables and ip6tables files with
     * {@code --test}; optionally runs extra shell commands there (for example {@code ipset list}) and returns the
     * output.
     */
    static String ipsetIptables(Path dir, String ipset, String iptables, String ip6tables, String after)
            throws IOException {
        Path s = write(dir, "sets.ipset", ipset);
        Path v4 = write(dir, "rules.iptables", iptables);
        Path v6 = write(dir, "rules.ip6tables", ip6tables);
        List<String> cmd = new ArrayList<>(List.of("unshare", "-rn", "sh", "-c",
                "ipset restore < \"$1\" && iptables-restore --test --noflush < \"$2\""
                        + " && ip6tables-restore --test --noflush < \"$3\"" + (after == null ? "" : " && " + after),
                "sh", s.toString(), v4.toString(), v6.toString()));
        Result r = run(cmd);
        assertEquals(0, r.code, () -> "ipset restore / iptables-restore --test failed:\n" + r.output
                + "\n--- ipset ---\n" + head(ipset) + "\n--- iptables ---\n" + head(iptables)
                + "\n--- ip6tables ---\n" + head(ip6tables));
        return r.output;
    }

    /** Loads the ruleset for real in a fresh namespace and returns {@code nft list ruleset}-style output. */
    static String nftLoadAndList(Path dir, String ruleset, String listCommand) throws IOException {
        Path f = write(dir, "load.nft", ruleset);
        Result r = run(List.of("unshare", "-rn", "sh", "-c", "nft -f \"$1\" && nft -f \"$1\" && " + listCommand,
                "sh", f.toString()));
        assertEquals(0, r.code, () -> "nft -f failed:\n" + r.output + "\n--- ruleset ---\n" + head(ruleset));
        return r.output;
    }

    private static Path write(Path dir, String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }

    private static String head(String s) {
        return s.length() < 6000 ? s : s.substring(0, 6000) + "\n...";
    }
}
