package io.github.servicetags.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.servicetags.RealData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line in-process: stdout, stderr and exit code of every command and error path. */
class CliTest {
    static final String SAMPLE = """
            {"changeNumber": 42, "cloud": "Public", "values": [
              {"name": "AzureCloud", "id": "AzureCloud", "properties": {"changeNumber": 1, "region": "",
                "regionId": 0, "platform": "Azure", "systemService": "",
                "addressPrefixes": ["13.64.0.0/11", "20.0.0.0/8", "2603:1000::/24"], "networkFeatures": ["API"]}},
              {"name": "AzureCloud.westeurope", "id": "AzureCloud.westeurope", "properties": {"changeNumber": 1,
                "region": "westeurope", "regionId": 18, "platform": "Azure", "systemService": "",
                "addressPrefixes": ["13.69.0.0/17", "2603:1020::/36"], "networkFeatures": ["API"]}},
              {"name": "Sql.WestEurope", "id": "Sql.WestEurope", "properties": {"changeNumber": 6,
                "region": "westeurope", "regionId": 18, "platform": "Azure", "systemService": "AzureSQL",
                "addressPrefixes": ["13.69.112.16/28", "13.69.112.0/28", "2603:1020:201::/48"],
                "networkFeatures": ["API", "NSG"]}},
              {"name": "Sql.GermanyWestCentral", "id": "Sql.GermanyWestCentral", "properties": {"changeNumber": 2,
                "region": "germanywc", "regionId": 71, "platform": "Azure", "systemService": "AzureSQL",
                "addressPrefixes": ["20.52.64.0/28"], "networkFeatures": ["API", "NSG"]}},
              {"name": "AzureActiveDirectory", "id": "AzureActiveDirectory", "properties": {"changeNumber": 3,
                "region": "", "regionId": 0, "platform": "Azure", "systemService": "AzureAD",
                "addressPrefixes": ["20.190.128.0/18", "13.64.151.161/32"], "networkFeatures": null}}
            ]}
            """;

    @TempDir
    static Path dir;
    static Path sample;
    static Path emptyCache;

    @BeforeAll
    static void writeSample() throws IOException {
        sample = dir.resolve("sample.json");
        Files.writeString(sample, SAMPLE);
        emptyCache = Files.createDirectories(dir.resolve("cache"));
    }

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        return runWithInput("", args);
    }

    static Result runWithInput(String stdin, String... args) {
        return runEnv(Map.of("SERVICETAGS_CACHE", emptyCache.toString()), stdin, args);
    }

    static Result runEnv(Map<String, String> env, String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err), env,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        return new Result(code, out.toString(), err.toString());
    }

    static String[] withData(String... args) {
        List<String> a = new ArrayList<>(List.of("--data", sample.toString()));
        a.addAll(List.of(args));
        return a.toArray(new String[0]);
    }

    @Test
    void versionAndHelp() {
        Result v = run("--version");
        assertEquals(0, v.code);
        assertTrue(v.out.startsWith("servicetags "), v.out);
        Result h = run("--help");
        assertEquals(0, h.code);
        assertTrue(h.out.contains("lookup") && h.out.contains("Exit codes"), h.out);
        for (String cmd : new String[] {"info", "lookup", "prefixes", "tags", "regions", "catalog", "expand",
            "diff", "update"}) {
            Result sub = run(cmd, "--help");
            assertEquals(0, sub.code, cmd);
            assertTrue(sub.out.startsWith("Usage: servicetags " + cmd), sub.out);
        }
    }

    @Test
    void noCommandOrUnknownCommandIsUsageError() {
        Result none = run();
        assertEquals(2, none.code);
        Result unknown = run("lookpu", "1.2.3.4");
        assertEquals(2, unknown.code);
        assertTrue(unknown.err.contains("Unmatched argument") && unknown.err.contains("lookup"), unknown.err);
        assertEquals("", unknown.out);
    }

    @Test
    void infoTextAndJson() {
        Result t = run(withData("info"));
        assertEquals(0, t.code, t.err);
        assertTrue(t.out.contains("cloud          Public\n"), t.out);
        assertTrue(t.out.contains("changeNumber   42\n"), t.out);
        assertTrue(t.out.contains("tags           5\n"), t.out);
        assertTrue(t.out.contains("prefixes IPv4  8\n"), t.out);
        assertTrue(t.out.contains("prefixes IPv6  3\n"), t.out);
        assertEquals("", t.err);
        Result j = run(withData("info", "--format", "json"));
        assertEquals(0, j.code);
        assertTrue(j.out.startsWith("{\"cloud\":\"Public\",\"changeNumber\":42,\"source\":"), j.out);
        assertTrue(j.out.contains("\"tags\":5,\"regions\":2,\"prefixes\":{\"ipv4\":8,\"ipv6\":3}"), j.out);
    }

    @Test
    void missingOrCorruptDataIsExitOne() throws IOException {
        Result missing = run("--data", dir.resolve("absent.json").toString(), "info");
        assertEquals(1, missing.code);
        assertEquals("servicetags: " + dir.resolve("absent.json") + ": no such file\n", missing.err);
        Path html = dir.resolve("error.html");
        Files.writeString(html, "<html><body>Service unavailable</body></html>");
        Result bad = run("--data", html.toString(), "lookup", "1.2.3.4");
        assertEquals(1, bad.code);
        assertEquals("servicetags: " + html + ": line 1, column 1: this is an HTML or XML page, not JSON (did a "
                + "download return an error page?)\n", bad.err);
        assertEquals("", bad.out);
    }

    @Test
    void lookupTsvTextJson() {
        Result tsv = run(withData("lookup", "--format", "tsv", "13.69.112.5", "8.8.8.8", "2603:1020:201::1",
                "::ffff:13.69.112.5"));
        assertEquals(0, tsv.code, tsv.err);
        assertEquals("13.69.112.5\tAzureCloud,AzureCloud.westeurope,Sql.WestEurope\n"
                + "8.8.8.8\t\n"
                + "2603:1020:201::1\tAzureCloud,AzureCloud.westeurope,Sql.WestEurope\n"
                + "::ffff:13.69.112.5\tAzureCloud,AzureCloud.westeurope,Sql.WestEurope\n", tsv.out);
        assertEquals("", tsv.err);
        Result text = run(withData("lookup", "13.69.112.5", "8.8.8.8"));
        assertEquals("13.69.112.5: AzureCloud, AzureCloud.westeurope, Sql.WestEurope\n8.8.8.8: (no service tag)\n",
                text.out);
        Result json = run(withData("lookup", "--format", "json", "20.52.64.1", "8.8.8.8"));
        assertEquals("[{\"ip\":\"20.52.64.1\",\"tags\":[\"AzureCloud\",\"Sql.GermanyWestCentral\"]},"
                + "{\"ip\":\"8.8.8.8\",\"tags\":[]}]\n", json.out);
    }

    @Test
    void lookupInvalidAddressesGoToStderrAndExitTwo() {
        Result r = run(withData("lookup", "--format", "tsv", "1.2.3", "13.69.112.5", "010.1.1.1", "fe80::1%eth0"));
        assertEquals(2, r.code);
        assertEquals("13.69.112.5\tAzureCloud,AzureCloud.westeurope,Sql.WestEurope\n", r.out);
        assertEquals("servicetags: '1.2.3' is not an IP address: an IPv4 address has 4 dot-separated decimal parts, "
                + "found 3\n"
                + "servicetags: '010.1.1.1' has a leading zero in '010' (ambiguous: octal in some tools); write it "
                + "without leading zeros\n"
                + "servicetags: 'fe80::1%eth0' has a zone id; zone ids are not accepted\n"
                + "servicetags: 3 invalid addresses\n", r.err);
        Result none = run(withData("lookup"));
        assertEquals(2, none.code);
        assertEquals("servicetags: lookup needs at least one IP address, or --stdin\n", none.err);
    }

    @Test
    void lookupStdinAnswersValidLinesAndReportsInvalidOnesWithLineNumbers() {
        String input = "13.69.112.5\n\n  8.8.8.8  \nnot-an-ip\r\n2603:1020:201::1\r\n" + "1".repeat(2000) + "\n";
        Result r = runWithInput(input, withData("lookup", "--stdin", "--format", "tsv"));
        assertEquals(2, r.code);
        assertEquals("13.69.112.5\tAzureCloud,AzureCloud.westeurope,Sql.WestEurope\n8.8.8.8\t\n"
                + "2603:1020:201::1\tAzureCloud,AzureCloud.westeurope,Sql.WestEurope\n", r.out);
        assertEquals("servicetags: line 4: 'not-an-ip' is a name, not an IP address; names are never resolved\n"
                + "servicetags: line 6: longer than 1024 characters\n"
                + "servicetags: 2 invalid addresses\n", r.err);
        Result ok = runWithInput("20.52.64.1\n", withData("lookup", "--stdin", "--format", "json"));
        assertEquals(0, ok.code);
        assertEquals("[{\"ip\":\"20.52.64.1\",\"tags\":[\"AzureCloud\",\"Sql.GermanyWestCentral\"]}]\n", ok.out);
        Result both = runWithInput("", withData("lookup", "--stdin", "1.2.3.4"));
        assertEquals(2, both.code);
    }

    @Test
    void prefixesSortedUniqueIpv4FirstAndAggregated() {
        Result r = run(withData("prefixes", "Sql.WestEurope", "AzureCloud.westeurope", "Sql.WestEurope"));
        assertEquals(0, r.code, r.err);
        assertEquals("13.69.0.0/17\n13.69.112.0/28\n13.69.112.16/28\n2603:1020::/36\n2603:1020:201::/48\n", r.out);
        assertEquals("13.69.112.0/27\n2603:1020:201::/48\n",
                run(withData("prefixes", "--aggregate", "Sql.WestEurope")).out);
        assertEquals("13.69.112.0/28\n13.69.112.16/28\n", run(withData("prefixes", "--ipv4", "Sql.WestEurope")).out);
        assertEquals("2603:1020:201::/48\n", run(withData("prefixes", "--ipv6", "Sql.WestEurope")).out);
        Result both = run(withData("prefixes", "--ipv4", "--ipv6", "Sql.WestEurope"));
        assertEquals(2, both.code);
        assertTrue(both.err.contains("mutually exclusive"), both.err);
    }

    @Test
    void prefixesUnknownTagSuggests() {
        Result r = run(withData("prefixes", "Sql.WestEuropa"));
        assertEquals(2, r.code);
        assertEquals("", r.out);
        assertEquals("servicetags: unknown tag 'Sql.WestEuropa'; did you mean Sql.WestEurope?\n", r.err);
    }

    @Test
    void tagsFilteredByRegionAndService() {
        assertEquals("AzureActiveDirectory\nAzureCloud\nAzureCloud.westeurope\nSql.GermanyWestCentral\n"
                + "Sql.WestEurope\n", run(withData("tags")).out);
        assertEquals("AzureCloud.westeurope\nSql.WestEurope\n", run(withData("tags", "--region", "West Europe")).out);
        assertEquals("Sql.GermanyWestCentral\nSql.WestEurope\n", run(withData("tags", "--service", "AzureSQL")).out);
        assertEquals("Sql.GermanyWestCentral\n",
                run(withData("tags", "--service", "sql", "--region", "germanywc")).out);
        assertEquals("[\"Sql.GermanyWestCentral\",\"Sql.WestEurope\"]\n",
                run(withData("tags", "--service", "Sql", "--format", "json")).out);
        Result badRegion = run(withData("tags", "--region", "westeuropa"));
        assertEquals(2, badRegion.code);
        assertEquals("servicetags: unknown region 'westeuropa'; did you mean westeurope?\n", badRegion.err);
        Result badService = run(withData("tags", "--service", "Sqll"));
        assertEquals(2, badService.code);
        assertTrue(badService.err.startsWith("servicetags: unknown service 'Sqll'; did you mean Sql"), badService.err);
    }

    @Test
    void tagsFilteredByFeatureAndSystemService() {
        assertEquals("Sql.GermanyWestCentral\nSql.WestEurope\n", run(withData("tags", "--feature", "NSG")).out);
        assertEquals("AzureCloud\nAzureCloud.westeurope\nSql.GermanyWestCentral\nSql.WestEurope\n",
                run(withData("tags", "--feature", "api")).out);
        assertEquals("AzureActiveDirectory\n", run(withData("tags", "--system-service", "AzureAD")).out);
        Result badFeature = run(withData("tags", "--feature", "NGS"));
        assertEquals(2, badFeature.code);
        assertEquals("servicetags: unknown network feature 'NGS'; did you mean NSG?\n", badFeature.err);
        Result badSvc = run(withData("tags", "--system-service", "AzureSQLL"));
        assertEquals(2, badSvc.code);
        assertEquals("servicetags: unknown system service 'AzureSQLL'; did you mean AzureSQL?\n", badSvc.err);
    }

    @Test
    void regionsAllOfAServiceOfATag() {
        assertEquals("germanywestcentral\nwesteurope\n", run(withData("regions")).out);
        assertEquals("germanywestcentral\nwesteurope\n", run(withData("regions", "Sql")).out);
        assertEquals("westeurope\n", run(withData("regions", "Sql.WestEurope")).out);
        assertEquals("", run(withData("regions", "AzureActiveDirectory")).out);
        Result json = run(withData("regions", "--format", "json", "Sql.GermanyWestCentral"));
        assertEquals("[{\"name\":\"germanywestcentral\",\"displayName\":\"Germany West Central\","
                + "\"internalName\":\"germanywc\",\"regionId\":71,\"spellings\":[\"Germany West Central\","
                + "\"GermanyWestCentral\",\"germanywc\",\"germanywestcentral\"]}]\n", json.out);
        Result bad = run(withData("regions", "Sqk"));
        assertEquals(2, bad.code);
        assertTrue(bad.err.startsWith("servicetags: unknown tag 'Sqk'; did you mean Sql"), bad.err);
    }

    @Test
    void dataFromEnvironmentVariable() {
        Map<String, String> env = new HashMap<>();
        env.put("SERVICETAGS_DATA", sample.toString());
        env.put("SERVICETAGS_CACHE", emptyCache.toString());
        Result r = runEnv(env, "", "lookup", "--format", "tsv", "20.52.64.1");
        assertEquals(0, r.code, r.err);
        assertEquals("20.52.64.1\tAzureCloud,Sql.GermanyWestCentral\n", r.out);
        assertEquals("", r.err);
    }

    @Test
    void bundledSnapshotIsTheDefaultWithOneNotice() {
        Result r = run("lookup", "--format", "tsv", "20.38.98.1");
        assertEquals(0, r.code, r.err);
        assertEquals("20.38.98.1\tAzureCloud,AzureCloud.eastus,Storage,Storage.EastUS\n", r.out);
        assertEquals("servicetags: using the bundled snapshot (Public, changeNumber 376); service tags change "
                + "weekly: run 'servicetags update' for current data\n", r.err);
        Result other = run("--cloud", "AzureChina", "info");
        assertEquals(2, other.code);
        assertTrue(other.err.contains("no cached data for cloud 'AzureChina'"), other.err);
    }

    @Test
    void binaryIndexIsRecognisedByItsMagicPlainOrGzipped() throws Exception {
        io.github.servicetags.ServiceTags st = io.github.servicetags.ServiceTags.load(sample);
        Path bin = dir.resolve("tags.bin");
        try (var out = Files.newOutputStream(bin)) {
            st.write(out);
        }
        Path gz = dir.resolve("tags.bin.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            st.write(out);
        }
        for (Path p : List.of(bin, gz)) {
            Result r = run("--data", p.toString(), "lookup", "--format", "tsv", "20.52.64.1");
            assertEquals(0, r.code, r.err);
            assertEquals("20.52.64.1\tAzureCloud,Sql.GermanyWestCentral\n", r.out);
        }
        // a pipe (--data <(zcat file)) can be read only once: the format is peeked from the same stream
        Path fifo = dir.resolve("tags.fifo");
        if (new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0) {
            for (Path p : List.of(gz, sample)) {
                Thread writer = new Thread(() -> {
                    try (var out = Files.newOutputStream(fifo)) {
                        Files.copy(p, out);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                writer.start();
                Result r = run("--data", fifo.toString(), "lookup", "--format", "tsv", "20.52.64.1");
                writer.join();
                assertEquals(0, r.code, r.err);
                assertEquals("20.52.64.1\tAzureCloud,Sql.GermanyWestCentral\n", r.out);
            }
        }
        byte[] cut = java.util.Arrays.copyOf(Files.readAllBytes(bin), 40);
        Path broken = dir.resolve("broken.bin");
        Files.write(broken, cut);
        Result r = run("--data", broken.toString(), "info");
        assertEquals(1, r.code);
        assertTrue(r.err.startsWith("servicetags: " + broken + ": "), r.err);
    }

    @Test
    void realFileAnswersLikeTheBundledSnapshot() {
        Path real = RealData.file("ServiceTags_Public_376.json");
        Result r = run("--data", real.toString(), "lookup", "--format", "tsv", "20.38.98.1");
        assertEquals("20.38.98.1\tAzureCloud,AzureCloud.eastus,Storage,Storage.EastUS\n", r.out);
        assertEquals("", r.err);
    }
}
