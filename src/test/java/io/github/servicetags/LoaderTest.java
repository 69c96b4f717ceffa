package io.github.servicetags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The loader: every class of bad JSON input of DESIGN.md is refused with a message naming the problem. */
class LoaderTest {
    static final String TAG_SQL = "{\"name\":\"Sql.WestEurope\",\"id\":\"Sql.WestEurope\",\"properties\":{"
            + "\"changeNumber\":6,\"region\":\"westeurope\",\"regionId\":18,\"platform\":\"Azure\","
            + "\"systemService\":\"AzureSQL\",\"addressPrefixes\":[\"13.69.112.0/28\",\"2603:1020:201::/48\"],"
            + "\"networkFeatures\":[\"API\",\"NSG\"]}}";
    static final String TAG_CLOUD = "{\"name\":\"AzureCloud\",\"id\":\"AzureCloud\",\"properties\":{"
            + "\"changeNumber\":1,\"region\":\"\",\"regionId\":0,\"platform\":\"Azure\",\"systemService\":\"\","
            + "\"addressPrefixes\":[\"13.64.0.0/11\",\"2603:1000::/24\"],\"networkFeatures\":null}}";
    static final String VALID = "{\"changeNumber\":376,\"cloud\":\"Public\",\"values\":[" + TAG_SQL + ","
            + TAG_CLOUD + "]}";

    static ServiceTags load(String json) throws IOException {
        return load(json.getBytes(StandardCharsets.UTF_8));
    }

    static ServiceTags load(byte[] bytes) throws IOException {
        return ServiceTags.load(new ByteArrayInputStream(bytes), "test.json", LoadOptions.defaults());
    }

    static InvalidServiceTagsException refused(String json) {
        return assertThrows(InvalidServiceTagsException.class, () -> load(json));
    }

    @Test
    void validSampleLoads() throws IOException {
        ServiceTags st = load(VALID);
        assertEquals(376, st.changeNumber());
        assertEquals("Public", st.cloud());
        assertEquals("[AzureCloud, Sql.WestEurope]", st.lookup("13.69.112.5").toString());
        assertEquals("[AzureCloud, Sql.WestEurope]", st.lookup("2603:1020:201::1").toString());
        assertEquals("[AzureCloud]", st.lookup("13.69.112.16").toString());
        assertEquals("[]", st.lookup("8.8.8.8").toString());
        assertEquals("IP text is null",
                assertThrows(IllegalArgumentException.class, () -> st.lookup((String) null)).getMessage());
        ServiceTag sql = st.tag("Sql.WestEurope").orElseThrow();
        assertEquals("Sql.WestEurope [westeurope, 2 prefixes]", sql.toString());
        assertEquals("AzureSQL", sql.systemService());
        assertEquals(java.util.Set.of("API", "NSG"), sql.networkFeatures());
        assertEquals(java.util.Set.of(), st.tag("AzureCloud").orElseThrow().networkFeatures());
        assertEquals(List.of(IpPrefix.parse("13.69.112.0/28")), st.prefixes("Sql.WestEurope", IpFamily.IPV4));
    }

    @Test
    void discoveryApiResponseWithStringChangeNumberAndNextLinkLoads() throws IOException {
        String json = "{\"changeNumber\":\"377\",\"cloud\":\"Public\",\"values\":[" + TAG_CLOUD
                + "],\"nextLink\":\"\"}";
        assertEquals(377, load(json).changeNumber());
    }

    @Test
    void utf8ByteOrderMarkIsSkipped() throws IOException {
        byte[] body = VALID.getBytes(StandardCharsets.UTF_8);
        byte[] bom = new byte[body.length + 3];
        bom[0] = (byte) 0xef;
        bom[1] = (byte) 0xbb;
        bom[2] = (byte) 0xbf;
        System.arraycopy(body, 0, bom, 3, body.length);
        assertEquals(376, load(bom).changeNumber());
    }

    @Test
    void gzipIsDetectedByMagicBytes(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(buf)) {
            gz.write(VALID.getBytes(StandardCharsets.UTF_8));
        }
        Path f = dir.resolve("tags.json"); // the name says nothing: the bytes decide
        Files.write(f, buf.toByteArray());
        assertEquals(2, ServiceTags.load(f).tags().size());
        byte[] cut = java.util.Arrays.copyOf(buf.toByteArray(), buf.size() / 2);
        InvalidServiceTagsException e = assertThrows(InvalidServiceTagsException.class, () -> load(cut));
        assertTrue(e.getMessage().startsWith("test.json: "), e.getMessage());
        assertTrue(e.problem().contains("truncated"), e.getMessage());
    }

    @Test
    void missingFileIsAnIoErrorNamingIt(@TempDir Path dir) {
        Path f = dir.resolve("nope.json");
        IOException e = assertThrows(IOException.class, () -> ServiceTags.load(f));
        assertTrue(e.getMessage().contains("nope.json"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "empty document | `` | empty document; expected a service-tags JSON object",
        "html page | <!DOCTYPE html><html><body>Error</body></html> | this is an HTML or XML page, not JSON",
        "array at top | [1,2] | expected a JSON object at the top level, found [; is this a ServiceTags_*.json file?",
        "no values | {\"changeNumber\":1,\"cloud\":\"Public\"} | missing \"values\" array; is this a ServiceTags_*.json file?",
        "no cloud | {\"changeNumber\":1,\"values\":[]} | missing \"cloud\"; is this a ServiceTags_*.json file?",
        "no changeNumber | {\"cloud\":\"Public\",\"values\":[]} | missing \"changeNumber\"",
        "truncated | {\"changeNumber\":1,\"cloud\":\"Public\",\"values\":[{\"name\":\"A\" | the file ends early (truncated?)",
        "trailing content | {\"changeNumber\":1,\"cloud\":\"Public\",\"values\":[]} {} | trailing content after the JSON document",
        "trailing garbage | {\"changeNumber\":1,\"cloud\":\"Public\",\"values\":[]} xyz | trailing content after the JSON document",
        "duplicate key | {\"changeNumber\":1,\"changeNumber\":2,\"cloud\":\"Public\",\"values\":[]} | duplicate key: Duplicate field 'changeNumber'",
        "values not array | {\"changeNumber\":1,\"cloud\":\"Public\",\"values\":{}} | \"values\" must be an array, found an object",
        "changeNumber float | {\"changeNumber\":1.5,\"cloud\":\"Public\",\"values\":[]} | changeNumber must be a number or a string of digits, found a number",
        "changeNumber negative | {\"changeNumber\":-1,\"cloud\":\"Public\",\"values\":[]} | changeNumber must not be negative, got -1",
        "changeNumber text | {\"changeNumber\":\"12a\",\"cloud\":\"Public\",\"values\":[]} | changeNumber '12a' is not a decimal number",
        "changeNumber null | {\"changeNumber\":null,\"cloud\":\"Public\",\"values\":[]} | changeNumber must be a number or a string of digits, found null",
        "cloud with quote | {\"changeNumber\":1,\"cloud\":\"Pub\\\"lic\",\"values\":[]} | cloud name 'Pub\"lic' is not a plain word",
        "tag not object | {\"changeNumber\":1,\"cloud\":\"Public\",\"values\":[42]} | expected a tag object, found a number",
        "tag without name | {\"changeNumber\":1,\"cloud\":\"Public\",\"values\":[{\"properties\":{\"addressPrefixes\":[]}}]} | tag without a \"name\"",
        "tag without prefixes | {\"changeNumber\":1,\"cloud\":\"Public\",\"values\":[{\"name\":\"A\",\"properties\":{}}]} | tag 'A' has no \"properties.addressPrefixes\" array",
        "name with newline | {\"changeNumber\":1,\"cloud\":\"Public\",\"values\":[{\"name\":\"A\\nflush ruleset\",\"properties\":{\"addressPrefixes\":[]}}]} | invalid tag name 'A\\u000aflush ruleset': names match [A-Za-z0-9][A-Za-z0-9._-]{0,127}",
        "name with quote | {\"changeNumber\":1,\"cloud\":\"Public\",\"values\":[{\"name\":\"A'; rm\",\"properties\":{\"addressPrefixes\":[]}}]} | invalid tag name 'A'; rm': names match [A-Za-z0-9][A-Za-z0-9._-]{0,127}",
        "name null | {\"changeNumber\":1,\"cloud\":\"Public\",\"values\":[{\"name\":null,\"properties\":{\"addressPrefixes\":[]}}]} | expected a string, found null",
        "prefix host bits | {\"changeNumber\":1,\"cloud\":\"Public\",\"values\":[{\"name\":\"A\",\"properties\":{\"addressPrefixes\":[\"10.0.0.1/8\"]}}]} | host bits set in '10.0.0.1/8'; did you mean 10.0.0.0/8?",
        "prefix /33 | {\"changeNumber\":1,\"cloud\":\"Public\",\"values\":[{\"name\":\"A\",\"properties\":{\"addressPrefixes\":[\"10.0.0.0/33\"]}}]} | '10.0.0.0/33' is not a CIDR prefix: the length '33' must be a decimal number 0..32 without sign or leading zero",
        "prefix octal | {\"changeNumber\":1,\"cloud\":\"Public\",\"values\":[{\"name\":\"A\",\"properties\":{\"addressPrefixes\":[\"010.0.0.0/8\"]}}]} | '010.0.0.0/8' is not a CIDR prefix: '010.0.0.0' has a leading zero in '010' (ambiguous: octal in some tools); write it without leading zeros",
        "prefix number | {\"changeNumber\":1,\"cloud\":\"Public\",\"values\":[{\"name\":\"A\",\"properties\":{\"addressPrefixes\":[167772160]}}]} | a prefix must be a string, found a number",
        "regionId text | {\"changeNumber\":1,\"cloud\":\"Public\",\"values\":[{\"name\":\"A\",\"properties\":{\"regionId\":\"18\",\"addressPrefixes\":[]}}]} | regionId must be a non-negative integer, found a string",
        "platform control char | {\"changeNumber\":1,\"cloud\":\"Public\",\"values\":[{\"name\":\"A\",\"properties\":{\"platform\":\"Az\\u0007\",\"addressPrefixes\":[]}}]} | control character in 'Az\\u0007'",
        "feature not word | {\"changeNumber\":1,\"cloud\":\"Public\",\"values\":[{\"name\":\"A\",\"properties\":{\"networkFeatures\":[\"a b\"],\"addressPrefixes\":[]}}]} | network feature 'a b' is not a plain word",
    })
    void badJsonIsRefusedNamingTheProblem(String what, String json, String problem) {
        InvalidServiceTagsException e = refused(json);
        assertTrue(e.problem().startsWith(problem), () -> what + ": got " + e.getMessage());
        assertTrue(e.getMessage().startsWith("test.json: "), e.getMessage());
        assertEquals("test.json", e.source());
    }

    @Test
    void locationNamesLineColumnAndPath() {
        String json = "{\"changeNumber\":1,\"cloud\":\"Public\",\"values\":[\n" + TAG_SQL + ",\n"
                + "{\"name\":\"B\",\"properties\":{\"addressPrefixes\":[\"10.0.0.0/8\",\"1.2.3/24\"]}}]}";
        InvalidServiceTagsException e = refused(json);
        assertEquals("line 3, column 59 (values[1] 'B'.properties.addressPrefixes[1])", e.location());
        assertEquals("test.json: line 3, column 59 (values[1] 'B'.properties.addressPrefixes[1]): '1.2.3/24' is not "
                + "a CIDR prefix: '1.2.3' is not an IP address: an IPv4 address has 4 dot-separated decimal parts, "
                + "found 3", e.getMessage());
    }

    @Test
    void duplicateTagNamesAreRefused() {
        InvalidServiceTagsException e = refused("{\"changeNumber\":1,\"cloud\":\"Public\",\"values\":[" + TAG_CLOUD
                + "," + TAG_CLOUD + "]}");
        assertEquals("duplicate tag name 'AzureCloud' (also values[0])", e.problem());
    }

    @Test
    void limitsAreEnforcedAndNamed() {
        LoadOptions tiny = LoadOptions.builder().maxTags(1).build();
        InvalidServiceTagsException e = assertThrows(InvalidServiceTagsException.class, () -> ServiceTags.load(
                new ByteArrayInputStream(VALID.getBytes(StandardCharsets.UTF_8)), "t", tiny));
        assertEquals("more than 1 tags (LoadOptions.maxTags)", e.problem());
        LoadOptions perTag = LoadOptions.builder().maxPrefixesPerTag(1).build();
        e = assertThrows(InvalidServiceTagsException.class, () -> ServiceTags.load(
                new ByteArrayInputStream(VALID.getBytes(StandardCharsets.UTF_8)), "t", perTag));
        assertEquals("more than 1 prefixes in one tag (LoadOptions.maxPrefixesPerTag)", e.problem());
        LoadOptions small = LoadOptions.builder().maxDocumentBytes(100).build();
        e = assertThrows(InvalidServiceTagsException.class, () -> ServiceTags.load(
                new ByteArrayInputStream(VALID.getBytes(StandardCharsets.UTF_8)), "t", small));
        assertEquals("document larger than 100 bytes (LoadOptions.maxDocumentBytes)", e.problem());
        String deep = "{\"changeNumber\":1,\"cloud\":\"Public\",\"x\":" + "[".repeat(40) + "]".repeat(40)
                + ",\"values\":[]}";
        e = refused(deep);
        assertTrue(e.problem().contains("nesting depth"), e.getMessage());
        String longName = "{\"changeNumber\":1,\"cloud\":\"Public\",\"values\":[],\"x\":\"" + "a".repeat(5000)
                + "\"}";
        e = refused(longName);
        assertTrue(e.problem().contains("String value length") && e.problem().contains("LoadOptions"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.builder().maxTags(0));
    }
}
