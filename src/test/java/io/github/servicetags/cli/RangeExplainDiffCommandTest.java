package io.github.servicetags.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lookup CIDR --partial}, {@code explain} and {@code diff --product --exit-code} in-process. */
class RangeExplainDiffCommandTest {
    @TempDir
    static Path dir;
    static Path sample;
    static Path newer;
    static Path china;
    static Path cache;

    @BeforeAll
    static void write() throws IOException {
        sample = Files.writeString(dir.resolve("sample.json"), CliTest.SAMPLE);
        newer = Files.writeString(dir.resolve("newer.json"), CliTest.SAMPLE.replace("\"changeNumber\": 42",
                "\"changeNumber\": 43").replace("\"13.69.112.16/28\", \"13.69.112.0/28\"", "\"13.69.112.0/28\", "
                + "\"13.69.113.0/28\""));
        china = Files.writeString(dir.resolve("china.json"), CliTest.SAMPLE.replace("\"cloud\": \"Public\"",
                "\"cloud\": \"AzureChina\""));
        cache = Files.createDirectories(dir.resolve("cache"));
    }

    record Result(int code, String out, String err) {}

    static Result run(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err), Map.of("SERVICETAGS_CACHE",
                cache.toString()), new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        return new Result(code, out.toString(), err.toString());
    }

    static Result data(String... args) {
        return dataIn("", args);
    }

    static Result dataIn(String stdin, String... args) {
        List<String> a = new ArrayList<>(List.of("--data", sample.toString()));
        a.addAll(List.of(args));
        return run(stdin, a.toArray(new String[0]));
    }

    // ------------------------------------------------------------------------------------------- lookup CIDR

    @Test
    void lookupAnswersPrefixesWithTheTagsContainingAllOfThem() {
        Result r = data("lookup", "--format", "tsv", "13.69.112.0/27", "13.69.0.0/16", "8.8.8.0/24",
                "13.69.112.5/32", "13.69.112.5");
        assertEquals(0, r.code, r.err);
        assertEquals("13.69.112.0/27\tAzureCloud,AzureCloud.westeurope,Sql.WestEurope\n"
                + "13.69.0.0/16\tAzureCloud\n"
                + "8.8.8.0/24\t\n"
                + "13.69.112.5/32\tAzureCloud,AzureCloud.westeurope,Sql.WestEurope\n"
                + "13.69.112.5\tAzureCloud,AzureCloud.westeurope,Sql.WestEurope\n", r.out);
    }

    @Test
    void partialAddsAThirdColumnInTsvAKeyInJsonAndAClauseInText() {
        Result tsv = data("lookup", "--format", "tsv", "--partial", "13.69.0.0/16", "8.8.8.0/24", "13.69.112.5",
                "::ffff:13.69.112.0/124");
        assertEquals(0, tsv.code, tsv.err);
        assertEquals("13.69.0.0/16\tAzureCloud\tAzureCloud.westeurope,Sql.WestEurope\n"
                + "8.8.8.0/24\t\t\n"
                + "13.69.112.5\tAzureCloud,AzureCloud.westeurope,Sql.WestEurope\t\n"
                + "::ffff:13.69.112.0/124\tAzureCloud,AzureCloud.westeurope,Sql.WestEurope\t\n", tsv.out);
        Result json = data("lookup", "--format", "json", "--partial", "13.69.0.0/16");
        assertEquals("[{\"ip\":\"13.69.0.0/16\",\"tags\":[\"AzureCloud\"],\"partial\":[\"AzureCloud.westeurope\","
                + "\"Sql.WestEurope\"]}]\n", json.out);
        Result plain = data("lookup", "--format", "json", "13.69.0.0/16");
        assertEquals("[{\"ip\":\"13.69.0.0/16\",\"tags\":[\"AzureCloud\"]}]\n", plain.out);
        Result text = data("lookup", "--partial", "13.69.0.0/16", "0.0.0.0/0", "8.8.8.8");
        assertEquals("13.69.0.0/16: AzureCloud; partly: AzureCloud.westeurope, Sql.WestEurope\n"
                + "0.0.0.0/0: (no service tag contains all of it); partly: AzureActiveDirectory, AzureCloud, "
                + "AzureCloud.westeurope, Sql.GermanyWestCentral, Sql.WestEurope\n"
                + "8.8.8.8: (no service tag)\n", text.out);
    }

    @Test
    void stdinAuditsAnAllowListOfAddressesAndPrefixesAndReportsBadLines() {
        String list = "13.69.112.0/27\n  20.38.98.1/24 \n13.69.0.0/16\n1.2.3.0/33\n2603:1020::/129\n10.0.0.0/024\n"
                + "::/80\n\n8.8.8.8\n";
        Result r = dataIn(list, "lookup", "--stdin", "--partial", "--format", "tsv");
        assertEquals(2, r.code);
        assertEquals("13.69.112.0/27\tAzureCloud,AzureCloud.westeurope,Sql.WestEurope\t\n"
                + "13.69.0.0/16\tAzureCloud\tAzureCloud.westeurope,Sql.WestEurope\n"
                + "8.8.8.8\t\t\n", r.out);
        assertEquals("servicetags: line 2: host bits set in '20.38.98.1/24'; did you mean 20.38.98.0/24?\n"
                + "servicetags: line 4: '1.2.3.0/33' is not a CIDR prefix: the length '33' must be a decimal number "
                + "0..32 without sign or leading zero\n"
                + "servicetags: line 5: '2603:1020::/129' is not a CIDR prefix: the length '129' must be a decimal "
                + "number 0..128 without sign or leading zero\n"
                + "servicetags: line 6: '10.0.0.0/024' is not a CIDR prefix: the length '024' must be a decimal "
                + "number 0..32 without sign or leading zero\n"
                + "servicetags: line 7: '::/80' holds the IPv4-mapped range ::ffff:0.0.0.0/96, which is answered as "
                + "IPv4: an IPv4-mapped prefix must be /96 or longer; ask for ::ffff:0.0.0.0/96 (all of IPv4) and "
                + "the rest of the range separately\n"
                + "servicetags: 5 invalid addresses\n", r.err);
    }

    @Test
    void hostBitsInAnArgumentAreExitTwoWithTheNetwork() {
        Result r = data("lookup", "20.38.98.1/24");
        assertEquals(2, r.code);
        assertEquals("", r.out);
        assertTrue(r.err.startsWith("servicetags: host bits set in '20.38.98.1/24'; did you mean 20.38.98.0/24?\n"),
                r.err);
    }

    // ------------------------------------------------------------------------------------------------ explain

    @Test
    void explainNamesTheFlowAndTheTagOfTheAddressItsRegion() {
        Result r = data("explain", "--product", "veeam-backup-azure", "--port", "1433", "13.69.112.5");
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.startsWith("13.69.112.5: AzureCloud, AzureCloud.westeurope, Sql.WestEurope\n"
                + "  veeam-backup-azure: worker -> Sql.WestEurope tcp 1433,11000-11999  Worker connects"), r.out);
        assertEquals(2, r.out.split("\n").length, r.out);
        Result other = data("explain", "--product", "veeam-backup-azure", "--region", "germanywc", "--port", "1433",
                "13.69.112.5");
        assertEquals("13.69.112.5: AzureCloud, AzureCloud.westeurope, Sql.WestEurope\n"
                + "  no flow of the catalog allows it\n", other.out);
        Result json = data("explain", "--product", "veeam-backup-azure", "--protocol", "TCP", "--port", "11000",
                "--format", "json", "13.69.112.0/28", "8.8.8.8");
        assertEquals(0, json.code, json.err);
        assertTrue(json.out.startsWith("[{\"ip\":\"13.69.112.0/28\",\"tags\":[\"AzureCloud\","
                + "\"AzureCloud.westeurope\",\"Sql.WestEurope\"],\"flows\":[{\"product\":\"veeam-backup-azure\","
                + "\"from\":\"worker\",\"to\":\"Sql.WestEurope\",\"kind\":\"tag\",\"protocol\":\"tcp\",\"ports\":"
                + "[\"1433\",\"11000-11999\"],\"optional\":false,\"purpose\":\""), json.out);
        assertTrue(json.out.endsWith("{\"ip\":\"8.8.8.8\",\"tags\":[],\"flows\":[]}]\n"), json.out);
    }

    @Test
    void explainMatchesRolesThroughBinds() {
        Result r = data("explain", "--product", "veeam-backup-azure", "--bind", "worker=10.1.0.0/24", "10.1.0.9");
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.startsWith("10.1.0.9: (no service tag)\n  veeam-backup-azure: "), r.out);
        assertTrue(r.out.contains(" -> worker "), r.out);
        Result unbound = data("explain", "10.1.0.9");
        assertEquals("10.1.0.9: (no service tag)\n  no flow of the catalog allows it\n", unbound.out);
    }

    @Test
    void explainErrorsAreExitTwoWithSuggestions() {
        Result product = data("explain", "--product", "veeam-backup-azur", "13.69.112.5");
        assertEquals(2, product.code);
        assertTrue(product.err.contains("veeam-backup-azur") && product.err.contains("veeam-backup-azure"),
                product.err);
        Result protocol = data("explain", "--protocol", "tcpp", "13.69.112.5");
        assertEquals(2, protocol.code);
        assertEquals("servicetags: unknown protocol 'tcpp'; expected one of tcp, udp, icmp, any\n", protocol.err);
        for (String port : new String[] {"0", "65536", "x", "443-444"}) {
            Result p = data("explain", "--port", port, "13.69.112.5");
            assertEquals(2, p.code, port);
            assertTrue(p.err.startsWith("servicetags: invalid port '" + port + "'")
                    || p.err.startsWith("servicetags: port " + port + " is outside 1-65535"), p.err);
            assertEquals("", p.out);
        }
        Result ip = data("explain", "13.69.112");
        assertEquals(2, ip.code);
        assertTrue(ip.err.contains("'13.69.112'"), ip.err);
        Result host = data("explain", "13.69.112.5/24");
        assertEquals(2, host.code);
        assertTrue(host.err.contains("did you mean 13.69.112.0/24?"), host.err);
        Result bind = data("explain", "--product", "veeam-backup-azure", "--bind", "workr=10.0.0.0/8", "10.0.0.1");
        assertEquals(2, bind.code);
        assertTrue(bind.err.contains("'workr'") && bind.err.contains("worker"), bind.err);
        Result region = data("explain", "--region", "westeurop", "13.69.112.5");
        assertEquals(2, region.code);
        assertTrue(region.err.contains("westeurope"), region.err);
        Result none = data("explain");
        assertEquals(2, none.code);
    }

    // ----------------------------------------------------------------------------------------- diff --product

    @Test
    void diffProductListsTheChangedRulesAndExitCodeSaysWhetherToReload() {
        Result r = run("", "diff", sample.toString(), newer.toString(), "--product", "veeam-backup-azure",
                "--region", "westeurope", "--ipv4-only", "--exit-code");
        assertEquals(3, r.code, r.err);
        assertEquals("# veeam-backup-azure westeurope, Public changeNumber 42 -> 43\n"
                + "# 1 rule changed, 1 prefixes added, 1 removed\n"
                + "# worker -> Sql.WestEurope tcp 1433,11000-11999\n"
                + "+13.69.113.0/28\n"
                + "-13.69.112.16/28\n", r.out);
        Result json = run("", "diff", sample.toString(), newer.toString(), "--product", "veeam-backup-azure",
                "--region", "westeurope", "--ipv4-only", "--format", "json");
        assertEquals(0, json.code, json.err);
        assertTrue(json.out.startsWith("{\"product\":\"veeam-backup-azure\",\"region\":\"westeurope\",\"old\":{"
                + "\"cloud\":\"Public\",\"changeNumber\":42},\"new\":{\"cloud\":\"Public\",\"changeNumber\":43},"
                + "\"summary\":{\"rulesChanged\":1,\"prefixesAdded\":1,\"prefixesRemoved\":1},\"rules\":["), json.out);
        assertTrue(json.out.contains("\"rules\":[{\"from\":\"worker\",\"to\":\"Sql.WestEurope\",\"protocol\":"
                + "\"tcp\",\"ports\":[\"1433\",\"11000-11999\"],\"change\":\"changed\",\"added\":[\"13.69.113.0/28\"],"
                + "\"removed\":[\"13.69.112.16/28\"]}]"), json.out);
        Result same = run("", "diff", sample.toString(), sample.toString(), "--product", "veeam-backup-azure",
                "--region", "westeurope", "--exit-code");
        assertEquals(0, same.code, same.err);
        assertEquals("# veeam-backup-azure westeurope, Public changeNumber 42 -> 42\n"
                + "# 0 rules changed, 0 prefixes added, 0 removed\n", same.out);
    }

    @Test
    void exitCodeWorksForTheTagDiffToo() {
        assertEquals(3, run("", "diff", sample.toString(), newer.toString(), "--exit-code").code);
        assertEquals(0, run("", "diff", sample.toString(), newer.toString()).code);
        assertEquals(0, run("", "diff", sample.toString(), sample.toString(), "--exit-code").code);
        assertEquals(1, run("", "diff", sample.toString(), dir.resolve("missing.json").toString(), "--exit-code")
                .code);
    }

    @Test
    void diffProductErrors() {
        Result clouds = run("", "diff", sample.toString(), china.toString(), "--product", "veeam-backup-azure");
        assertEquals(2, clouds.code);
        assertEquals("servicetags: OLD " + sample + " is a file of cloud Public and NEW " + china + " of cloud "
                + "AzureChina: a product diff compares two versions of one cloud's file\n", clouds.err);
        assertEquals("", clouds.out);
        Result orphan = run("", "diff", sample.toString(), newer.toString(), "--region", "westeurope");
        assertEquals(2, orphan.code);
        assertEquals("servicetags: --region needs --product: it chooses the expansion to compare\n", orphan.err);
        Result product = run("", "diff", sample.toString(), newer.toString(), "--product", "nope");
        assertEquals(2, product.code);
        assertTrue(product.err.contains("'nope'"), product.err);
        Result region = run("", "diff", sample.toString(), newer.toString(), "--product", "veeam-backup-azure",
                "--region", "marsnorth");
        assertEquals(2, region.code);
    }

    @Test
    void exitCodeOnTheRealFiles() {
        String a = RealData.file(RealData.FILES.get(0)).toString();
        String b = RealData.file(RealData.FILES.get(1)).toString();
        for (String product : new String[] {"veeam-backup-azure", "azure-backup-mars", "entra-connect",
            "veeam-backup-entra-id"}) {
            Result r = run("", "diff", a, b, "--product", product, "--region", "eastus", "--exit-code");
            assertEquals(3, r.code, product + r.err);
            assertTrue(r.out.contains("\n+") || r.out.contains("\n-"), r.out);
            Result same = run("", "diff", b, b, "--product", product, "--region", "eastus", "--exit-code");
            assertEquals(0, same.code, product);
            assertFalse(same.out.contains("\n+"), same.out);
        }
    }
}
