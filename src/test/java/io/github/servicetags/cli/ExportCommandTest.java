package io.github.servicetags.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.servicetags.Exports;
import io.github.servicetags.ServiceTags;
import io.github.servicetags.cli.CliTest.Result;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code export} in-process: each format, and every error path with its exit code and message. */
class ExportCommandTest {
    @TempDir
    Path dir;

    @TempDir
    static Path shared;
    static Path sample;

    @BeforeAll
    static void writeSample() throws IOException {
        sample = Files.writeString(shared.resolve("sample.json"), CliTest.SAMPLE);
        Files.createDirectories(shared.resolve("cache"));
    }

    static Result run(String... args) {
        return CliTest.runEnv(Map.of("SERVICETAGS_CACHE", shared.resolve("cache").toString()), "", args);
    }

    static String[] withData(String... args) {
        List<String> a = new ArrayList<>(List.of("--data", sample.toString()));
        a.addAll(List.of(args));
        return a.toArray(new String[0]);
    }

    static List<Path> files(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.sorted().toList();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"binary", "mmdb", "csv", "MMDB"})
    void writesTheFormatAndNothingToStdout(String format) throws IOException {
        Path out = dir.resolve("export.out");
        Result r = run(withData("export", "--format", format, "--output", out.toString()));
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.out());
        assertEquals("", r.err());
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        Exports.write(ServiceTags.load(sample), Exports.Format.parse(format), expected);
        assertArrayEquals(expected.toByteArray(), Files.readAllBytes(out));
        assertEquals(List.of(out), files(dir));
    }

    @Test
    void helpNamesTheFormats() {
        Result r = run("export", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("Usage: servicetags export"), r.out());
        assertTrue(r.out().contains("binary, mmdb or csv"), r.out());
    }

    @Test
    void aBinaryExportIsReadBackByData() {
        Path out = dir.resolve("index.bin");
        assertEquals(0, run(withData("export", "--format", "binary", "--output", out.toString())).code());
        Result fromJson = run(withData("lookup", "--format", "tsv", "13.69.112.5", "2603:1020:201::1"));
        Result fromBinary = run("--data", out.toString(), "lookup", "--format", "tsv", "13.69.112.5",
                "2603:1020:201::1");
        assertEquals(0, fromBinary.code(), fromBinary.err());
        assertEquals(fromJson.out(), fromBinary.out());
    }

    @Test
    void theCsvTableHasAHeaderAndARowPerPrefixAndTag() throws IOException {
        Path out = dir.resolve("tags.csv");
        assertEquals(0, run(withData("export", "--format", "csv", "--output", out.toString())).code());
        List<String> lines = Files.readAllLines(out);
        assertEquals("prefix,tag,region,system_service,family", lines.get(0));
        assertEquals("13.64.0.0/11,AzureCloud,,,ipv4", lines.get(1));
        assertTrue(lines.contains("13.69.112.0/28,Sql.WestEurope,westeurope,AzureSQL,ipv4"), lines.toString());
        assertEquals("2603:1020:201::/48,Sql.WestEurope,westeurope,AzureSQL,ipv6", lines.get(lines.size() - 1));
        assertEquals(1 + 11, lines.size());
    }

    @Test
    void anUnknownFormatIsExitTwoListingTheFormats() throws IOException {
        Path out = dir.resolve("x.xml");
        Result r = run(withData("export", "--format", "xml", "--output", out.toString()));
        assertEquals(2, r.code());
        assertEquals("servicetags: unknown export format 'xml'; expected one of binary, mmdb, csv\n", r.err());
        assertEquals("", r.out());
        assertEquals(List.of(), files(dir));
    }

    @Test
    void formatAndOutputAreRequired() {
        Result noFormat = run(withData("export", "--output", dir.resolve("a").toString()));
        assertEquals(2, noFormat.code());
        assertTrue(noFormat.err().contains("Missing required option: '--format=FORMAT'"), noFormat.err());
        Result noOutput = run(withData("export", "--format", "mmdb"));
        assertEquals(2, noOutput.code());
        assertTrue(noOutput.err().contains("Missing required option: '--output=FILE'"), noOutput.err());
    }

    @Test
    void aMissingFolderIsExitOneNamingThePathAndLeavesNothing() throws IOException {
        Path out = dir.resolve("missing").resolve("st.mmdb");
        Result r = run(withData("export", "--format", "mmdb", "--output", out.toString()));
        assertEquals(1, r.code());
        assertEquals("servicetags: cannot write " + out + ": the folder " + out.getParent() + " does not exist\n",
                r.err());
        assertEquals("", r.out());
        assertEquals(List.of(), files(dir));
    }

    @Test
    void aFolderThatIsAFileOrAnOutputThatIsAFolderIsExitOne() throws IOException {
        Path plain = Files.writeString(dir.resolve("plain.txt"), "keep");
        Path under = plain.resolve("st.csv");
        Result r = run(withData("export", "--format", "csv", "--output", under.toString()));
        assertEquals(1, r.code());
        assertEquals("servicetags: cannot write " + under + ": the folder " + plain + " is not a folder\n", r.err());
        Result folder = run(withData("export", "--format", "csv", "--output", dir.toString()));
        assertEquals(1, folder.code());
        assertEquals("servicetags: cannot write " + dir + ": it is a folder; give a file name\n", folder.err());
        assertEquals(List.of(plain), files(dir));
        assertEquals("keep", Files.readString(plain));
    }

    @Test
    void anUnwritableFolderIsExitOneNamingThePath() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/sys")), "no /sys here");
        Path out = Path.of("/sys/st.mmdb"); // refused with EACCES, also to root
        Result r = run(withData("export", "--format", "mmdb", "--output", out.toString()));
        assertEquals(1, r.code());
        assertEquals("servicetags: cannot write /sys/st.mmdb: the folder /sys is not writable\n", r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void badDataIsExitOneAndKeepsTheOldExport() throws IOException {
        Path out = Files.writeString(dir.resolve("st.mmdb"), "previous export");
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"changeNumber\": 1, \"cloud\": \"Public\"");
        Result r = run("--data", broken.toString(), "export", "--format", "mmdb", "--output", out.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("servicetags: " + broken + ": "), r.err());
        assertEquals("previous export", Files.readString(out));
        assertEquals(List.of(broken, out), files(dir));
    }
}
