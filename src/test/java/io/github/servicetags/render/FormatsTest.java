package io.github.servicetags.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.servicetags.catalog.Expansion;
import io.github.servicetags.internal.Csv;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Each format on the small hand-built expansion: a golden file per format (regenerate with
 * {@code -Dservicetags.updateGolden=/abs/path/to/src/test/resources/io/github/servicetags/render/golden}) plus
 * targeted assertions on what matters.
 */
class FormatsTest {
    static List<String> formats() {
        return Renderers.formats();
    }

    @Test
    void formatsAreTheDocumentedOnes() {
        assertEquals(List.of("json", "csv", "nft", "ipset", "iptables", "ip6tables", "edl", "nsg", "ipgroups",
                "powershell", "azfw", "squid"), Renderers.formats());
    }

    @Test
    void unknownFormatNamesTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Renderers.render("pf\n", Samples.small(), new StringWriter(), new ArrayList<>()));
        assertEquals("unknown format 'pf\\u000a'; expected one of json, csv, nft, ipset, iptables, ip6tables, edl,"
                + " nsg, ipgroups, powershell, azfw, squid", e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("formats")
    void matchesGoldenFile(String format) throws IOException {
        List<String> warnings = new ArrayList<>();
        String out = Samples.render(format, Samples.small(), warnings);
        String update = System.getProperty("servicetags.updateGolden");
        if (update != null && !update.isEmpty()) {
            Files.writeString(Path.of(update, "small." + format), out, StandardCharsets.UTF_8);
            Files.write(Path.of(update, "small." + format + ".warnings"), warnings, StandardCharsets.UTF_8);
        }
        assertEquals(golden("small." + format), out, format);
        assertEquals(golden("small." + format + ".warnings"), warnings.isEmpty() ? "" : String.join("\n", warnings)
                + "\n", format + " warnings");
    }

    @ParameterizedTest
    @MethodSource("formats")
    void sameInputSameOutput(String format) {
        assertEquals(Samples.render(format, Samples.small(), new ArrayList<>()),
                Samples.render(format, Samples.small(), new ArrayList<>()));
    }

    @ParameterizedTest
    @MethodSource("formats")
    void fqdnRuleIsNeverDroppedSilently(String format) {
        List<String> warnings = new ArrayList<>();
        String out = Samples.render(format, Samples.small(), warnings);
        boolean inOutput = out.contains("login.microsoftonline.com");
        boolean warned = warnings.stream().anyMatch(w -> w.contains("login.microsoftonline.com")
                && w.contains("cannot match host names"));
        assertTrue(inOutput ^ warned, format + ": the FQDN rule must be in the output or in a warning, not both");
        boolean unbound = warnings.stream().anyMatch(w -> w.contains("--bind gateway=CIDR")
                || w.startsWith(format + ": not rendered: console -> gateway udp"));
        assertTrue(unbound || out.contains("gateway"), format + ": the unbound host must be mentioned");
    }

    @Test
    void jsonIsTheExpandContract() throws IOException {
        String out = Samples.render("json", Samples.small(), new ArrayList<>());
        try (JsonParser p = new JsonFactory().createParser(out)) {
            List<String> topLevel = new ArrayList<>();
            assertEquals(JsonToken.START_OBJECT, p.nextToken());
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                topLevel.add(p.currentName());
                p.nextToken();
                p.skipChildren();
            }
            assertEquals(List.of("product", "region", "cloud", "changeNumber", "rules", "warnings"), topLevel);
        }
        assertTrue(out.contains("\"ports\" : [ \"1433\", \"11000-11999\" ]"), out);
        assertTrue(out.contains("\"kind\" : \"fqdn\""), out);
        assertTrue(out.contains("\"fqdns\" : [ \"login.microsoftonline.com\", \"*.blob.core.windows.net\" ]"), out);
    }

    @Test
    void csvHasOneRowPerRuleAndPrefixOrFqdn() {
        String out = Samples.render("csv", Samples.small(), new ArrayList<>());
        String[] lines = out.split("\r\n", -1);
        assertEquals("", lines[lines.length - 1], "ends with CRLF");
        assertEquals("product,region,from,to,kind,protocol,ports,family,prefix,fqdn,optional,purpose,source", lines[0]);
        // 3 Sql + 2 AAD + 2 fqdn + 1 proxy + 1 unbound + 2 storage (covered /16 and duplicate dropped) + 2 any
        assertEquals(1 + 13, lines.length - 1);
        assertTrue(out.contains(",worker,Sql.WestEurope,tag,tcp,1433 11000-11999,ipv6,2603:1020:203::/48,,false,"));
        assertTrue(out.contains(",console,gateway,host,udp,,,,,false,unbound host,"));
    }

    @Test
    void csvCellsCannotBecomeFormulas() {
        assertEquals("'=1+1", Csv.cell("=1+1"));
        assertEquals("'+1", Csv.cell("+1"));
        assertEquals("'-1", Csv.cell("-1"));
        assertEquals("'@SUM(A1)", Csv.cell("@SUM(A1)"));
        assertEquals("'\tx", Csv.cell("\tx"));
        assertEquals("\"'\rx\"", Csv.cell("\rx"));
        assertEquals("'  =x", Csv.cell("  =x"));
        assertEquals("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"", Csv.cell("=HYPERLINK(\"http://x\",\"y\")"));
        assertEquals("\"a;b\"", Csv.cell("a;b"));
        assertEquals("\"a\nb\"", Csv.cell("a\nb"));
        assertEquals("10.0.0.0/8", Csv.cell("10.0.0.0/8"));
        assertEquals("", Csv.cell(null));
    }

    @Test
    void iptablesSplitsMultiportAtFifteen() {
        String out = Samples.render("iptables", Samples.small(), new ArrayList<>());
        assertTrue(out.contains("--dports 1,3,5,7,9,11,13,15,17,19,21,23,25,27,29 "), out);
        assertTrue(out.contains("--dports 31,33:34 "), out);
        for (String line : out.split("\n")) {
            int i = line.indexOf("--dports ");
            if (i >= 0) {
                String list = line.substring(i + 9, line.indexOf(' ', i + 9));
                int slots = 0;
                for (String p : list.split(",")) {
                    slots += p.contains(":") ? 2 : 1;
                }
                assertTrue(slots <= 15, line);
            }
        }
    }

    @Test
    void multiportChunksCountRangesTwice() {
        var ports = Samples.ports("1-2", "3-4", "5-6", "7-8", "9-10", "11-12", "13-14", "15");
        var chunks = IptablesRenderer.chunks(ports);
        assertEquals(1, chunks.size());
        ports = Samples.ports("1-2", "3-4", "5-6", "7-8", "9-10", "11-12", "13-14", "15-16");
        chunks = IptablesRenderer.chunks(ports);
        assertEquals(2, chunks.size());
        assertEquals(7, chunks.get(0).size());
    }

    @Test
    void iptablesAndIp6tablesPointAtEachOther() {
        List<String> w4 = new ArrayList<>();
        String v4 = Samples.render("iptables", Samples.small(), w4);
        List<String> w6 = new ArrayList<>();
        String v6 = Samples.render("ip6tables", Samples.small(), w6);
        // 3 outbound rules and the inbound rule from the appliance have IPv6 prefixes; 5 and 1 have IPv4 ones.
        assertTrue(w4.contains("iptables: 4 rules have IPv6 prefixes that are in --format ip6tables instead"), w4::toString);
        assertTrue(w6.contains("ip6tables: 6 rules have IPv4 prefixes that are in --format iptables instead"), w6::toString);
        assertFalse(v4.contains("st6-"));
        assertFalse(v6.contains("st4-"));
        assertTrue(v6.contains(" -p ipv6-icmp "));
        assertTrue(v4.contains(" -p icmp "));
    }

    @Test
    void nsgUsesTagsAndSplitsFamilies() {
        List<String> warnings = new ArrayList<>();
        String out = Samples.render("nsg", Samples.small(), warnings);
        assertTrue(out.contains("\"destinationAddressPrefix\" : \"Sql.WestEurope\""), out);
        assertFalse(out.contains("13.69.112.0/28"), "tag rules name the tag, not its prefixes");
        assertTrue(out.contains("\"name\" : \"worker-everything-any-v4\""), out);
        assertTrue(out.contains("\"name\" : \"worker-everything-any-v6\""), out);
        assertTrue(out.contains("\"priority\" : 105"), out);
        // The inbound rule on the proxy from the bound appliance comes after the outbound rules.
        assertTrue(out.contains("\"name\" : \"proxy-from-appliance-tcp-1-v4\""), out);
        assertTrue(out.contains("\"sourceAddressPrefix\" : \"10.9.0.0/24\""), out);
        assertTrue(out.contains("\"direction\" : \"Inbound\""), out);
        assertTrue(out.contains("\"priority\" : 106"), out);
        assertFalse(out.contains("\"priority\" : 107"), out);

        String cidrs = Samples.render("nsg", Samples.small(), RenderOptions.builder()
                .nsgServiceTag(tag -> !tag.startsWith("Sql.")).build(), warnings);
        assertTrue(cidrs.contains("\"destinationAddressPrefixes\" : [ \"13.69.112.0/28\", \"13.69.112.16/28\" ]"),
                cidrs);
        assertTrue(cidrs.contains("\"destinationAddressPrefix\" : \"2603:1020:203::/48\""), cidrs);
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith("nsg: worker -> Sql.WestEurope tcp 1433,11000-11999:"
                + " the tag is not usable in an NSG rule")), warnings::toString);
    }

    @Test
    void edlIsOneCidrPerLine() {
        Expansion small = Samples.small();
        Expansion e = new Expansion(small.product(), small.region(), small.cloud(), small.changeNumber(),
                small.rules().subList(0, 6), small.warnings());
        String out = Samples.render("edl", e, new ArrayList<>());
        assertEquals("10.0.0.0/8\n13.69.112.0/28\n13.69.112.16/28\n20.190.128.0/18\n40.126.0.0/18\n"
                + "2603:1020:203::/48\nfd00::/8\n", out);
        String aggregated = Samples.render("edl", e, RenderOptions.builder().aggregate(true).build(), new ArrayList<>());
        assertTrue(aggregated.contains("13.69.112.0/27\n"), aggregated);
    }

    private static String golden(String name) throws IOException {
        try (InputStream in = FormatsTest.class.getResourceAsStream("golden/" + name)) {
            if (in == null) {
                return "(missing golden file " + name + ")";
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
