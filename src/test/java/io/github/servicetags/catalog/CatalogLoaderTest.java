package io.github.servicetags.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.servicetags.InvalidServiceTagsException;
import io.github.servicetags.UnknownNameException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The catalog loader: the bundled file, a valid file of one's own, and one test per broken or hostile file. */
class CatalogLoaderTest {
    private static final String URL = "https://example.com/ports.html";

    /** A valid catalog with one product; {@code flow} is the JSON of its only flow. */
    static String catalog(String flow) {
        return "{\"schemaVersion\":1,\"catalogVersion\":\"1\",\"products\":[{\"id\":\"p\",\"name\":\"P\",\"source\":\""
                + URL + "\",\"roles\":[\"a\",\"b\"],\"flows\":[" + flow + "]}]}";
    }

    static final String FLOW = "{\"from\":\"a\",\"to\":{\"role\":\"b\"},\"protocol\":\"tcp\",\"ports\":[\"443\"],"
            + "\"optional\":false,\"purpose\":\"x\",\"source\":\"" + URL + "\"}";

    static Catalog load(String json) throws IOException {
        return Catalog.load(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test.json");
    }

    @Test
    void bundledCatalogHasTheFourProducts() {
        Catalog c = Catalog.bundled();
        assertEquals(List.of("veeam-backup-entra-id", "veeam-backup-azure", "azure-backup-mars", "entra-connect"),
                c.productIds());
        assertEquals("bundled:catalog.json", c.source());
        assertTrue(c.toString().startsWith("catalog " + c.catalogVersion() + " (bundled:catalog.json, 4 products)"));
        Flow sql = c.product("veeam-backup-azure").flows().stream().filter(f -> f.to().isRegional()).findFirst()
                .orElseThrow();
        assertEquals("worker -> tag Sql.<region> tcp 1433,11000-11999", sql.toString());
        assertEquals("Sql", sql.to().service());
    }

    @Test
    void unknownProductSuggestsTheClosestIds() {
        UnknownNameException e = assertThrows(UnknownNameException.class,
                () -> Catalog.bundled().product("veeam-backup-azur"));
        assertEquals("unknown product 'veeam-backup-azur'; did you mean veeam-backup-azure?", e.getMessage());
        assertEquals(List.of("veeam-backup-azure"), e.suggestions());
    }

    @Test
    void validFileLoadsWithEveryDestinationKindAndACloudVariant(@TempDir Path dir) throws IOException {
        String flows = FLOW + ","
                + "{\"from\":\"b\",\"to\":{\"tag\":\"Sql.<region>\"},\"protocol\":\"tcp\",\"ports\":[\"1433\",\"11000-11999\"],"
                + "\"optional\":true,\"purpose\":\"sql\",\"source\":\"" + URL + "\"},"
                + "{\"from\":\"b\",\"to\":{\"fqdns\":[\"*.windows.net\",\"login.microsoftonline.com\"]},\"protocol\":\"udp\","
                + "\"ports\":[\"53\"],\"optional\":false,\"purpose\":\"dns; \\\"quoted\\\"\",\"source\":\"" + URL + "\","
                + "\"clouds\":{\"AzureGovernment\":{\"fqdns\":[\"*.usgovcloudapi.net\"]}}},"
                + "{\"from\":\"a\",\"to\":{\"host\":\"smtp-server\"},\"protocol\":\"icmp\",\"ports\":[],"
                + "\"optional\":false,\"purpose\":\"ping\",\"source\":\"" + URL + "\"}";
        Path file = dir.resolve("mine.json");
        Files.writeString(file, "\ufeff" + catalog(flows));
        Catalog c = Catalog.load(file);
        assertEquals(file.toString(), c.source());
        Product p = c.product("p");
        assertEquals(4, p.flows().size());
        assertEquals(Destination.role("b"), p.flows().get(0).to());
        assertEquals(List.of(PortRange.of(1433), new PortRange(11000, 11999)), p.flows().get(1).ports());
        assertTrue(p.flows().get(1).optional());
        assertEquals(Destination.fqdns(List.of("*.usgovcloudapi.net")), p.flows().get(2).destination("azuregovernment"));
        assertEquals(Destination.fqdns(List.of("*.windows.net", "login.microsoftonline.com")),
                p.flows().get(2).destination("Public"));
        assertEquals("dns; \"quoted\"", p.flows().get(2).purpose());
        assertEquals(Protocol.ICMP, p.flows().get(3).protocol());
        assertEquals(List.of(), p.flows().get(3).ports());
    }

    static Stream<Arguments> broken() {
        return Stream.of(
                Arguments.of("empty file", "", "test.json: the file is empty; expected a catalog JSON object"),
                Arguments.of("HTML page", "<!DOCTYPE html><html></html>",
                        "test.json: line 1, column 1: malformed JSON: this looks like HTML or XML, not a catalog JSON file"),
                Arguments.of("array at the top", "[]",
                        "test.json: line 1, column 1: expected a JSON object at the top; is this a servicetags catalog file?"),
                Arguments.of("service-tag file", "{\"changeNumber\":376,\"cloud\":\"Public\",\"values\":[]}",
                        "test.json: line 1, column 2 (changeNumber): unknown field 'changeNumber'; expected one of schemaVersion, catalogVersion, products, dependencies"),
                Arguments.of("truncated", catalog(FLOW).substring(0, 120),
                        "test.json: line 1, column 121: malformed JSON: Unexpected end-of-input in field name"),
                Arguments.of("trailing content", catalog(FLOW) + " {}",
                        "test.json: line 1, column 284: unexpected content after the catalog object"),
                Arguments.of("duplicate key", catalog(FLOW).replace("\"name\":\"P\"", "\"name\":\"P\",\"name\":\"Q\""),
                        "test.json: line 1, column 74 (products[0].name): duplicate key 'name'"),
                Arguments.of("missing products", "{\"schemaVersion\":1,\"catalogVersion\":\"1\"}",
                        "test.json: line 1, column 40: missing field 'products'"),
                Arguments.of("schema version 2", catalog(FLOW).replace("\"schemaVersion\":1", "\"schemaVersion\":2"),
                        "test.json: line 1, column 18 (schemaVersion): unsupported schemaVersion 2; this version of servicetags reads schemaVersion 1"),
                Arguments.of("port 0", catalog(FLOW.replace("\"443\"", "\"0\"")),
                        "test.json: line 1, column 199 (products[0].flows[0].ports[0]): invalid port '0': port 0 is out of range 1-65535"),
                Arguments.of("port 65536", catalog(FLOW.replace("\"443\"", "\"65536\"")),
                        "test.json: line 1, column 199 (products[0].flows[0].ports[0]): invalid port '65536': port 65536 is out of range 1-65535"),
                Arguments.of("reversed range", catalog(FLOW.replace("\"443\"", "\"65535-49152\"")),
                        "test.json: line 1, column 199 (products[0].flows[0].ports[0]): invalid port '65535-49152': port range 65535-49152 is reversed; did you mean 49152-65535?"),
                Arguments.of("leading zero", catalog(FLOW.replace("\"443\"", "\"0443\"")),
                        "test.json: line 1, column 199 (products[0].flows[0].ports[0]): invalid port '0443': leading zero"),
                Arguments.of("space in range", catalog(FLOW.replace("\"443\"", "\"49152- 65535\"")),
                        "test.json: line 1, column 199 (products[0].flows[0].ports[0]): invalid port '49152- 65535': expected a port 1-65535 or a range like 49152-65535"),
                Arguments.of("port as a number", catalog(FLOW.replace("\"443\"", "443")),
                        "test.json: line 1, column 199 (products[0].flows[0].ports[0]): expected a port as a string like \"443\" or \"49152-65535\", found a number"),
                Arguments.of("overlapping ports", catalog(FLOW.replace("\"443\"", "\"400-500\",\"443\"")),
                        "test.json: line 1, column 209 (products[0].flows[0].ports[1]): port 443 overlaps 400-500 listed before"),
                Arguments.of("tcp without ports", catalog(FLOW.replace("[\"443\"]", "[]")),
                        "test.json: line 1, column 190 (products[0].flows[0].ports): a tcp flow needs at least one port"),
                Arguments.of("icmp with ports", catalog(FLOW.replace("\"tcp\"", "\"icmp\"")),
                        "test.json: line 1, column 191 (products[0].flows[0].ports): a icmp flow takes no ports; use []"),
                Arguments.of("unknown protocol", catalog(FLOW.replace("\"tcp\"", "\"sctp\"")),
                        "test.json: line 1, column 184 (products[0].flows[0].protocol): unknown protocol 'sctp'; expected one of tcp, udp, icmp, any"),
                Arguments.of("unknown role in from", catalog(FLOW.replace("\"from\":\"a\"", "\"from\":\"c\"")),
                        "test.json: line 1, column 151 (products[0].flows[0].from): unknown role 'c' in 'from'; did you mean a, b? (product 'p' declares roles a, b)"),
                Arguments.of("misspelt role in to", catalog(FLOW.replace("{\"role\":\"b\"}", "{\"role\":\"bb\"}")),
                        "test.json: line 1, column 168 (products[0].flows[0].to.role): unknown role 'bb' in 'to.role'; did you mean b? (product 'p' declares roles a, b)"),
                Arguments.of("two destinations", catalog(FLOW.replace("{\"role\":\"b\"}", "{\"role\":\"b\",\"tag\":\"Storage\"}")),
                        "test.json: line 1, column 172 (products[0].flows[0].to.tag): 'tag' beside 'role': a destination holds exactly one of tag, fqdns, role, host"),
                Arguments.of("empty destination", catalog(FLOW.replace("{\"role\":\"b\"}", "{}")),
                        "test.json: line 1, column 161 (products[0].flows[0].to): empty destination; expected exactly one of tag, fqdns, role, host"),
                Arguments.of("unknown field in a flow", catalog(FLOW.replace("\"optional\":false", "\"optional\":false,\"port\":\"22\"")),
                        "test.json: line 1, column 223 (products[0].flows[0].port): unknown field 'port'; expected one of from, to, protocol, ports, optional, purpose, source, clouds"),
                Arguments.of("missing purpose", catalog(FLOW.replace("\"purpose\":\"x\",", "")),
                        "test.json: line 1, column 264 (products[0].flows[0]): missing field 'purpose'"),
                Arguments.of("optional as a string", catalog(FLOW.replace("\"optional\":false", "\"optional\":\"no\"")),
                        "test.json: line 1, column 217 (products[0].flows[0].optional): expected true or false"),
                Arguments.of("newline in purpose", catalog(FLOW.replace("\"purpose\":\"x\"", "\"purpose\":\"x\\nflush ruleset\"")),
                        "test.json: line 1, column 233 (products[0].flows[0].purpose): control character U+000A in text 'x\\u000aflush ruleset'"),
                Arguments.of("http source", catalog(FLOW.replace("\"source\":\"" + URL, "\"source\":\"http://example.com/x")),
                        "test.json: line 1, column 246 (products[0].flows[0].source): invalid source URL 'http://example.com/x'; expected an https:// URL"),
                Arguments.of("hostile tag name", catalog(FLOW.replace("{\"role\":\"b\"}", "{\"tag\":\"Storage\\\"; flush ruleset\"}")),
                        "test.json: line 1, column 167 (products[0].flows[0].to.tag): invalid tag name 'Storage\"; flush ruleset'; expected a service tag like \"Storage\" or \"Sql.<region>\""),
                Arguments.of("hostile host name", catalog(FLOW.replace("{\"role\":\"b\"}", "{\"host\":\"a b\"}")),
                        "test.json: line 1, column 168 (products[0].flows[0].to.host): invalid value 'a b'; expected lower-case letters, digits and '-', like \"smtp-server\""),
                Arguments.of("bad FQDN", catalog(FLOW.replace("{\"role\":\"b\"}", "{\"fqdns\":[\"a..b\"]}")),
                        "test.json: line 1, column 170 (products[0].flows[0].to.fqdns[0]): invalid value 'a..b'; expected a host name like \"login.microsoftonline.com\" or \"*.windows.net\""),
                Arguments.of("unknown cloud", catalog(FLOW.replace("\"optional\":false", "\"optional\":false,\"clouds\":{\"Mars\":{\"tag\":\"x\"}}")),
                        "test.json: line 1, column 233 (products[0].flows[0].clouds): unknown cloud 'Mars'; expected one of Public, AzureGovernment, AzureChina"),
                Arguments.of("duplicate role", catalog(FLOW).replace("[\"a\",\"b\"]", "[\"a\",\"a\"]"),
                        "test.json: line 1, column 129 (products[0].roles[1]): duplicate role 'a'"),
                Arguments.of("upper-case product id", catalog(FLOW).replace("\"id\":\"p\"", "\"id\":\"P\""),
                        "test.json: line 1, column 59 (products[0].id): invalid value 'P'; expected lower-case letters, digits and '-', like \"veeam-backup-azure\""),
                Arguments.of("duplicate product", "{\"schemaVersion\":1,\"catalogVersion\":\"1\",\"products\":["
                        + catalog(FLOW).replaceAll("^.*\"products\":\\[", "").replaceAll("\\]\\}$", "") + ","
                        + catalog(FLOW).replaceAll("^.*\"products\":\\[", "").replaceAll("\\]\\}$", "") + "]}",
                        "test.json: line 1, column 509 (products[1]): duplicate product id 'p'"),
                Arguments.of("no flows", catalog(""),
                        "test.json: line 1, column 143 (products[0].flows): a product needs at least one flow"),
                Arguments.of("deep nesting", "{\"products\":" + "[".repeat(40),
                        "test.json: line 1, column 14 (products[0]): expected a product object"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void brokenCatalogIsRefusedWithItsLocation(String name, String json, String message) {
        InvalidServiceTagsException e = assertThrows(InvalidServiceTagsException.class, () -> load(json));
        assertEquals(message, e.getMessage());
        assertEquals("test.json", e.source());
    }

    @Test
    void fileOverTheSizeLimitIsRefusedBeforeParsing(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("big.json");
        Files.write(file, new byte[(4 << 20) + 1]);
        InvalidServiceTagsException e = assertThrows(InvalidServiceTagsException.class, () -> Catalog.load(file));
        assertEquals(file + ": the catalog is 4194305 bytes, over the limit of 4194304 bytes", e.getMessage());
    }

    @Test
    void portRangeParsesAndPrints() {
        assertEquals("443", PortRange.parse("443").toString());
        assertEquals("49152-65535", PortRange.parse("49152-65535").toString());
        assertEquals(16384, PortRange.parse("49152-65535").count());
        assertEquals("invalid port '+443': expected a port 1-65535 or a range like 49152-65535",
                assertThrows(IllegalArgumentException.class, () -> PortRange.parse("+443")).getMessage());
        assertEquals("invalid port '\\u0663': expected a port 1-65535 or a range like 49152-65535",
                assertThrows(IllegalArgumentException.class, () -> PortRange.parse("\u0663")).getMessage());
        assertEquals("invalid port '': expected a port 1-65535 or a range like 49152-65535",
                assertThrows(IllegalArgumentException.class, () -> PortRange.parse("")).getMessage());
    }

    @Test
    void utf16AndDirectoriesAreRefusedNamingTheProblem(@TempDir Path dir) throws IOException {
        Path utf16 = dir.resolve("utf16.json");
        Files.write(utf16, "{\"schemaVersion\":1}".getBytes(StandardCharsets.UTF_16LE));
        InvalidServiceTagsException e = assertThrows(InvalidServiceTagsException.class, () -> Catalog.load(utf16));
        assertTrue(e.problem().contains("UTF-16"), e.getMessage());
        IOException d = assertThrows(IOException.class, () -> Catalog.load(dir));
        assertEquals(dir + ": is a directory, not a catalog file", d.getMessage());
    }
}
