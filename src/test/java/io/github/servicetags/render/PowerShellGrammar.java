package io.github.servicetags.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.servicetags.testing.TestJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * The tree-sitter PowerShell grammar as a judge of the {@code powershell} output: {@code node} runs
 * {@code src/test/node/parse-powershell.mjs}, which imports {@code tree-sitter} and {@code tree-sitter-powershell}
 * as ES modules from {@code .tools/node/node_modules} (installed by {@code .ci/install-tools}, pinned by
 * {@code src/test/node/package-lock.json}). Tests skip when node or the modules are missing, and fail instead when
 * the system property {@code servicetags.requireRealData} is true.
 */
final class PowerShellGrammar {
    static final Path SCRIPT = Path.of("src/test/node/parse-powershell.mjs");
    static final Path MODULES = Path.of(".tools/node/node_modules");
    private static String reason;
    private static boolean probed;

    private PowerShellGrammar() {
    }

    /** One parameter of a command: {@code -Name value}, and the single-quoted literals in the value, decoded. */
    record Param(String name, String value, List<String> strings) {
    }

    /** One command of a script, with its parameters in order. */
    record Command(String name, int row, List<Param> params) {
        /** The parameter, or null. */
        Param param(String name) {
            for (Param p : params) {
                if (name.equalsIgnoreCase(p.name())) {
                    return p;
                }
            }
            return null;
        }
    }

    /** A parsed script: its ERROR and MISSING nodes, and its commands. */
    record Parsed(List<String> errors, List<Command> commands) {
    }

    /** Skips (or fails under requireRealData) when the grammar cannot run. */
    static synchronized void assume() {
        if (!probed) {
            probed = true;
            if (!Files.isRegularFile(SCRIPT)) {
                reason = SCRIPT + " is missing (run the tests from the repository root)";
            } else if (!Files.isDirectory(MODULES.resolve("tree-sitter-powershell"))
                    || !Files.isDirectory(MODULES.resolve("tree-sitter"))) {
                reason = "tree-sitter and tree-sitter-powershell are not installed in " + MODULES
                        + " (run .ci/install-tools)";
            } else {
                RealTools.Result r = RealTools.run(List.of("node", "--version"));
                reason = r.code() == 0 ? null : "node is not installed (apt-get install -y nodejs): " + r.output();
            }
        }
        if (reason != null) {
            if (Boolean.getBoolean("servicetags.requireRealData")) {
                fail("the tree-sitter PowerShell grammar is required (servicetags.requireRealData=true) but "
                        + reason);
            }
            Assumptions.assumeTrue(false, reason);
        }
    }

    /** Parses every script (name to text) in one node run; asserts that node succeeded. */
    static Map<String, Parsed> parse(Path dir, Map<String, String> scripts) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("node", SCRIPT.toString(), MODULES.toString()));
        Map<String, String> byFile = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, String> s : scripts.entrySet()) {
            Path f = dir.resolve("script" + (i++) + ".ps1");
            Files.writeString(f, s.getValue(), StandardCharsets.UTF_8);
            cmd.add(f.toString());
            byFile.put(f.toString(), s.getKey());
        }
        RealTools.Result r = RealTools.runStdout(cmd);
        assertEquals(0, r.code(), () -> "node parse-powershell.mjs failed:\n" + r.output());
        Map<String, Parsed> out = new LinkedHashMap<>();
        for (Object o : (List<?>) TestJson.parse(r.output())) {
            Map<?, ?> file = (Map<?, ?>) o;
            List<String> errors = new ArrayList<>();
            for (Object e : (List<?>) file.get("errors")) {
                Map<?, ?> m = (Map<?, ?>) e;
                errors.add(m.get("type") + " at " + m.get("row") + ":" + m.get("column") + ": " + m.get("text"));
            }
            List<Command> commands = new ArrayList<>();
            for (Object c : (List<?>) file.get("commands")) {
                Map<?, ?> m = (Map<?, ?>) c;
                List<Param> params = new ArrayList<>();
                for (Object p : (List<?>) m.get("params")) {
                    Map<?, ?> pm = (Map<?, ?>) p;
                    List<String> strings = new ArrayList<>();
                    for (Object s : (List<?>) pm.get("strings")) {
                        strings.add((String) s);
                    }
                    params.add(new Param((String) pm.get("name"), (String) pm.get("value"), strings));
                }
                commands.add(new Command((String) m.get("name"), ((Number) m.get("row")).intValue(), params));
            }
            out.put(byFile.get((String) file.get("file")), new Parsed(errors, commands));
        }
        return out;
    }
}
