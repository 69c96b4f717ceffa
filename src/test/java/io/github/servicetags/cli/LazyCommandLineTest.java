package io.github.servicetags.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A run that names a subcommand builds picocli's model of that subcommand alone: the same argument vectors through
 * that build and through the whole command line give byte-identical stdout, stderr and exit codes, and the lazy
 * build really holds one subcommand when the arguments surely name it, every one otherwise.
 */
class LazyCommandLineTest {
    @TempDir
    static Path dir;
    static String sample;
    static Path emptyCache;
    /** Every subcommand name of the whole command line, in the order of the usage help. */
    static List<String> names;

    @BeforeAll
    static void setUp() throws IOException {
        Path file = dir.resolve("sample.json");
        Files.writeString(file, CliTest.SAMPLE);
        sample = file.toString();
        emptyCache = Files.createDirectories(dir.resolve("cache"));
        names = List.copyOf(Main.commandLine(new Main()).getSubcommands().keySet());
    }

    record Result(int code, String out, String err) {}

    static Result run(boolean whole, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Main main = new Main();
        main.env = Map.of("SERVICETAGS_CACHE", emptyCache.toString());
        main.systemCache = emptyCache;
        main.stdin = new ByteArrayInputStream(new byte[0]);
        main.out = new PrintWriter(out);
        main.err = new PrintWriter(err);
        int code = whole ? Main.execute(main, args, Main.commandLine(main)) : Main.execute(main, args);
        return new Result(code, out.toString(), err.toString());
    }

    /** The subcommands the build for {@code args} registers. */
    static Set<String> registered(String... args) {
        return Main.commandLine(new Main(), args).getSubcommands().keySet();
    }

    /** Argument vectors at the top level: options before the subcommand, help, typos, doubtful forms. */
    static List<String[]> topLevel() {
        String[][] v = {
            {}, {"--help"}, {"-h"}, {"--version"}, {"-V"}, {"-hV"}, {"-Vh", "lookup"}, {"--help", "lookup"},
            {"--version", "tags"}, {"--bogus"}, {"--bogus", "lookup"}, {"--cahce", "x", "lookup"}, {"lookpu"},
            {"lookpu", "1.2.3.4"}, {"LOOKUP", "1.2.3.4"}, {""}, {"--"}, {"--", "lookup", "1.2.3.4"},
            {"--cache"}, {"--cache", "--data", sample, "info"}, {"--data"}, {"--data=" + sample},
            {"--cloud", "lookup", "tags"}, {"--cloud=lookup", "tags"}, {"--cloud", "tags", "lookup", "13.69.112.5"},
            {"--cloud", "tags"}, {"--data", sample, "lookup", "13.69.112.5"}, {"--data=" + sample, "lookup",
                "13.69.112.5"}, {"--data", sample, "--data", sample, "lookup", "13.69.112.5"},
            {"--data=" + sample, "--data=" + sample, "tags"}, {"--cloud", "AzureChina", "lookup", "13.69.112.5"},
            {"--cloud=AzureChina", "tags"}, {"--cloud=", "tags"}, {"--cloud", "", "tags"},
            {"--cache", emptyCache.toString(), "lookup", "13.69.112.5"}, {"--cache=" + emptyCache, "--cloud",
                "Public", "--data", sample, "info", "--format", "json"}, {"--data", sample, "lookup", "tags"},
            {"--data", sample, "lookup", "--stdin"}, {"--data", sample, "lookup", "--format", "tsv", "20.0.0.1",
                "nonsense"}, {"--data", sample, "tags", "--region", "westeurope"}, {"--data", sample, "tags",
                "lookup"}, {"--data", sample, "prefixes", "Sql.WestEurope"}, {"--data", sample, "regions", "Sql"},
            {"--data", sample, "regions", "Nope"}, {"--data", sample, "catalog"}, {"--data", sample, "diff",
                sample, sample}, {"--data", sample, "explain", "13.69.112.5"}, {"--data", sample, "expand",
                "--product", "veeam-backup-azure"}, {"--data", sample, "expand", "--product", "nope"},
            {"--data", sample, "export", "--format", "nope", "--output", dir.resolve("x").toString()},
            {"--data", sample, "export", "--format", "csv", "--output", dir.resolve("absent/x.csv").toString()},
            {"--data", dir.resolve("absent.json").toString(), "info"}, {"@" + dir.resolve("absent.args")},
            {"--data", "@" + sample, "info"}, {"lookup", "@" + dir.resolve("absent.args")}, {"-d", "x", "info"},
            {"--dat", sample, "info"}, {"--data-x", sample, "info"}, {"--help=true", "info"},
        };
        return List.of(v);
    }

    /** For each subcommand: help, version, an unknown option, a typo of each option, each option's value missing. */
    static List<String[]> perSubcommand() {
        List<String[]> vectors = new ArrayList<>();
        CommandLine whole = Main.commandLine(new Main());
        whole.getSubcommands().forEach((name, sub) -> {
            vectors.add(new String[] {name, "--help"});
            vectors.add(new String[] {name, "-h"});
            vectors.add(new String[] {name, "-V"});
            vectors.add(new String[] {name, "--bogus"});
            vectors.add(new String[] {name, "bogus", "--bogus"});
            vectors.add(new String[] {"--data", sample, name});
            vectors.add(new String[] {"--cloud=Public", name, "--help"});
            for (OptionSpec o : sub.getCommandSpec().options()) {
                String n = o.longestName();
                if (n.length() > 4) { // typos: --abcd -> --bacd, --abd (picocli suggests the option meant)
                    vectors.add(new String[] {name, n.substring(0, 2) + n.charAt(3) + n.charAt(2) + n.substring(4)});
                    vectors.add(new String[] {name, n.substring(0, n.length() - 2) + n.charAt(n.length() - 1)});
                }
                if (o.arity().min() > 0) {
                    vectors.add(new String[] {"--data", sample, name, n}); // the value is missing
                    vectors.add(new String[] {name, n, "--help"});
                }
            }
        });
        return vectors;
    }

    @Test
    void lazyAndWholeBuildsAnswerByteForByte() {
        List<String[]> vectors = new ArrayList<>(topLevel());
        vectors.addAll(perSubcommand());
        Set<Integer> codes = new TreeSet<>();
        int lazy = 0;
        int suggestions = 0;
        for (String[] args : vectors) {
            Result whole = run(true, args);
            Result part = run(false, args);
            String what = String.join(" ", args);
            assertEquals(whole, part, what);
            codes.add(whole.code());
            lazy += registered(args).size() == 1 ? 1 : 0;
            suggestions += whole.err().contains("Possible solutions: ") ? 1 : 0;
        }
        assertEquals(Set.of(0, 1, 2), codes, "the vectors reach success, data errors and usage errors");
        assertTrue(suggestions > 20, suggestions + " vectors got suggestions for a typo");
        assertTrue(lazy > vectors.size() / 2, lazy + " of " + vectors.size() + " vectors took the lazy build");
    }

    @Test
    void suggestionsAndHelpAreThoseOfTheWholeCommandLine() {
        Result typo = run(false, "lookup", "--formt", "tsv");
        assertEquals(2, typo.code());
        assertTrue(typo.err().startsWith("servicetags: Unknown option: '--formt'\nPossible solutions: --format\n"),
                typo.err());
        assertTrue(typo.err().endsWith("Try 'servicetags lookup --help' for more information.\n"), typo.err());
        Result unknown = run(false, "lookpu", "1.2.3.4");
        assertTrue(unknown.err().contains("lookup"), "suggests the subcommand: " + unknown.err());
        Result help = run(false, "lookup", "--help");
        assertTrue(help.out().startsWith("Usage: servicetags lookup"), help.out());
        Result top = run(false, "--help");
        for (String name : names) {
            assertTrue(top.out().contains("  " + name + " "), name + " in the usage help: " + top.out());
        }
    }

    @Test
    void aRunThatNamesASubcommandBuildsThatOneAlone() {
        assertEquals(11, names.size(), names::toString);
        for (String name : names) {
            assertEquals(Set.of(name), registered(name), name);
            assertEquals(Set.of(name), registered(name, "--help"), name);
            assertEquals(Set.of(name), registered("--data", sample, "--cache=" + emptyCache, name, "x"), name);
            assertEquals(Set.of(name), registered("--cloud", "AzureChina", name, "tags"), name);
        }
        assertEquals(Set.of("lookup"), registered("--cache", "/tmp/c", "lookup", "--stdin"));
        CommandLine lookup = Main.commandLine(new Main(), new String[] {"lookup", "1.2.3.4"});
        assertEquals("servicetags lookup", lookup.getSubcommands().get("lookup").getCommandSpec().qualifiedName());
    }

    @Test
    void inDoubtTheWholeCommandLineIsBuilt() {
        Set<String> all = new HashSet<>(names);
        String[][] doubtful = {
            {}, {"--help"}, {"-h", "lookup"}, {"--version"}, {"-V", "tags"}, {"-hV", "info"}, {"--bogus", "lookup"},
            {"lookpu"}, {"--"}, {"--", "lookup"}, {"--cache"}, {"--cache", "--data", "x", "info"},
            {"--cloud", "lookup", "tags"}, {"--cloud=lookup", "tags"}, {"--cloud", "tags", "lookup", "1.2.3.4"},
            {"--data", "a", "--data", "b", "info"}, {"@args"}, {"--data", "@x", "info"}, {"--dat", "x", "info"},
            {"--help=true", "info"}, {"--data"}, {"--data", "x"}, {"LOOKUP"}, {""},
        };
        for (String[] args : doubtful) {
            assertEquals(all, registered(args), String.join(" ", args));
        }
        assertEquals(all, Main.commandLine(new Main()).getSubcommands().keySet());
        System.setProperty("picocli.trace", "OFF"); // tracing writes which commands it builds to stderr
        try {
            assertEquals(all, registered("lookup", "1.2.3.4"));
        } finally {
            System.clearProperty("picocli.trace");
        }
        assertEquals(Set.of("lookup"), registered("lookup", "1.2.3.4"));
    }
}
