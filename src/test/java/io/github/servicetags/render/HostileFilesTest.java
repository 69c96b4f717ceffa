package io.github.servicetags.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.github.servicetags.ServiceTags;
import io.github.servicetags.catalog.Catalog;
import io.github.servicetags.catalog.ExpandOptions;
import io.github.servicetags.catalog.Expander;
import io.github.servicetags.catalog.Expansion;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The injection test end to end: a catalog file and a service-tag file that pass validation but carry everything
 * validation lets through (purposes with quotes, {@code ; flush ruleset}, {@code $(...)}, backticks, backslashes
 * and {@code #}; 63-character roles and product ids; 128-character tag names and tags named like keywords) are
 * loaded from disk, expanded, rendered in every format and loaded by the real tools.
 */
class HostileFilesTest {
    static final String PURPOSE = "\"; flush ruleset; `reboot` $(reboot) ${HOME} \\\\ 'q' # -j DROP */ ;"
            + " add rule inet filter output drop";
    static final String ROLE = "a-" + "x".repeat(60) + "z";           // 63 characters, the catalog maximum
    static final String PRODUCT = "p-" + "y".repeat(60) + "z";
    static final String LONG_TAG = "T" + "-._".repeat(42) + "x";       // 128 characters, the data maximum

    @TempDir
    Path dir;

    @Test
    void hostileCatalogAndDataFilesCannotInject() throws IOException {
        Path data = dir.resolve("ServiceTags_Public_9.json");
        writeData(data);
        Path catalog = dir.resolve("catalog.json");
        Files.writeString(catalog, catalogJson(), StandardCharsets.UTF_8);

        ServiceTags st = ServiceTags.load(data);
        Catalog c = Catalog.load(catalog);
        Expansion e = Expander.expand(st, c, PRODUCT, "westeurope",
                ExpandOptions.builder().bind("other=192.0.2.0/24").bind("smtp-server=2001:db8:5::/48").build());
        assertEquals(7, e.rules().size(), e::toString);

        List<String> warnings = new ArrayList<>();
        String nft = Samples.render("nft", e, warnings);
        String ipset = Samples.render("ipset", e, warnings);
        String v4 = Samples.render("iptables", e, warnings);
        String v6 = Samples.render("ip6tables", e, warnings);
        HostileInputTest.checkNftShapes(nft);
        HostileInputTest.checkIpsetIptablesShapes(ipset, v4, v6);
        for (String f : Renderers.formats()) {
            String out = Samples.render(f, e, warnings);
            if (f.equals("csv")) {
                // Data for a spreadsheet: the text stays as it was, quoted by RFC 4180.
                List<List<String>> rows = HostileInputTest.parseCsv(out);
                assertEquals(PURPOSE, rows.get(1).get(11));
            } else if (!f.equals("json")) {
                assertTrue(!out.contains("$(") && !out.contains("`") && !out.contains("\\\\"), f + ":\n" + out);
            }
        }
        assertTrue(warnings.stream().anyMatch(w -> w.contains("cannot match host names")), warnings::toString);

        RealTools.assume();
        RealTools.nftLoadAndList(dir, nft, "nft list tables");
        RealTools.ipsetIptables(dir, ipset, v4, v6, null);
    }

    private static void writeData(Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.writeStartObject();
            g.writeNumberField("changeNumber", 9);
            g.writeStringField("cloud", "Public");
            g.writeArrayFieldStart("values");
            tag(g, "Evil", "", 0, List.of("198.51.100.0/24", "2001:db8:1::/48"));
            tag(g, "Evil.WestEurope", "westeurope", 18, List.of("198.51.100.0/25", "2001:db8:1::/49"));
            tag(g, "AzureCloud.westeurope", "westeurope", 18, List.of("198.51.100.0/24"));
            tag(g, LONG_TAG, "", 0, List.of("203.0.113.0/24"));
            tag(g, "table", "", 0, List.of("203.0.113.0/25", "0.0.0.0/0"));
            tag(g, "x.-", "", 0, List.of("203.0.113.128/25"));
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    private static void tag(JsonGenerator g, String name, String region, int regionId, List<String> prefixes)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("name", name);
        g.writeStringField("id", name);
        g.writeObjectFieldStart("properties");
        g.writeNumberField("changeNumber", 1);
        g.writeStringField("region", region);
        g.writeNumberField("regionId", regionId);
        g.writeStringField("platform", "Azure");
        g.writeStringField("systemService", "");
        g.writeArrayFieldStart("addressPrefixes");
        for (String p : prefixes) {
            g.writeString(p);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("networkFeatures");
        g.writeString("NSG");
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
    }

    private static String catalogJson() throws IOException {
        java.io.StringWriter sw = new java.io.StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(sw)) {
            g.writeStartObject();
            g.writeNumberField("schemaVersion", 1);
            g.writeStringField("catalogVersion", "1");
            g.writeArrayFieldStart("products");
            g.writeStartObject();
            g.writeStringField("id", PRODUCT);
            g.writeStringField("name", PURPOSE);
            g.writeStringField("source", "https://example.com/?q=;flush");
            g.writeArrayFieldStart("roles");
            g.writeString(ROLE);
            g.writeString("other");
            g.writeEndArray();
            g.writeArrayFieldStart("flows");
            flow(g, "tag", "Evil.<region>", "tcp", List.of("443", "1-2", "5-6", "9", "11", "13", "15", "17", "19",
                    "21", "23", "25", "27", "29"));
            flow(g, "tag", LONG_TAG, "udp", List.of("53"));
            flow(g, "tag", "table", "any", List.of());
            flow(g, "tag", "x.-", "icmp", List.of());
            flow(g, "role", "other", "tcp", List.of("22"));
            flow(g, "host", "smtp-server", "tcp", List.of("25"));
            g.writeStartObject();
            g.writeStringField("from", ROLE);
            g.writeObjectFieldStart("to");
            g.writeArrayFieldStart("fqdns");
            g.writeString("*.evil.example");
            g.writeEndArray();
            g.writeEndObject();
            g.writeStringField("protocol", "tcp");
            g.writeArrayFieldStart("ports");
            g.writeString("443");
            g.writeEndArray();
            g.writeBooleanField("optional", true);
            g.writeStringField("purpose", PURPOSE);
            g.writeStringField("source", "https://example.com/");
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
        }
        return sw.toString();
    }

    private static void flow(JsonGenerator g, String kind, String to, String protocol, List<String> ports)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("from", ROLE);
        g.writeObjectFieldStart("to");
        g.writeStringField(kind, to);
        g.writeEndObject();
        g.writeStringField("protocol", protocol);
        g.writeArrayFieldStart("ports");
        for (String p : ports) {
            g.writeString(p);
        }
        g.writeEndArray();
        g.writeBooleanField("optional", false);
        g.writeStringField("purpose", PURPOSE);
        g.writeStringField("source", "https://example.com/");
        g.writeEndObject();
    }
}
