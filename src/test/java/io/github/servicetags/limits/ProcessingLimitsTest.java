package io.github.servicetags.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.servicetags.InvalidServiceTagsException;
import io.github.servicetags.LoadOptions;
import io.github.servicetags.ServiceTags;
import io.github.servicetags.catalog.Catalog;
import io.github.servicetags.cli.Main;
import io.github.servicetags.hostile.HostileCorpus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every processing limit documented in docs/limits.md is enforced exactly where documented: a
 * file at the limit loads, one step over it is refused with a message naming the limit (for {@link LoadOptions}, the
 * setter that raises it).
 */
class ProcessingLimitsTest {
    static final String SAMPLE = HostileCorpus.SAMPLE; // 2 tags, 3 + 4 prefixes (7), nesting depth 5

    static ServiceTags load(String json, UnaryOperator<LoadOptions.Builder> limits) throws IOException {
        return ServiceTags.load(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "limits.json",
                limits.apply(LoadOptions.builder()).build());
    }

    static Stream<Arguments> loadOptionLimits() {
        int bytes = SAMPLE.getBytes(StandardCharsets.UTF_8).length;
        String longest = "2001:db8:1::1/128"; // 17 characters, the longest string of the sample
        return Stream.of(
                Arguments.of("maxDocumentBytes", (UnaryOperator<LoadOptions.Builder>) b -> b.maxDocumentBytes(bytes),
                        (UnaryOperator<LoadOptions.Builder>) b -> b.maxDocumentBytes(bytes - 1),
                        "document larger than " + (bytes - 1) + " bytes (LoadOptions.maxDocumentBytes)"),
                Arguments.of("maxTags", (UnaryOperator<LoadOptions.Builder>) b -> b.maxTags(2),
                        (UnaryOperator<LoadOptions.Builder>) b -> b.maxTags(1),
                        "more than 1 tags (LoadOptions.maxTags)"),
                Arguments.of("maxPrefixesPerTag", (UnaryOperator<LoadOptions.Builder>) b -> b.maxPrefixesPerTag(4),
                        (UnaryOperator<LoadOptions.Builder>) b -> b.maxPrefixesPerTag(3),
                        "more than 3 prefixes in one tag (LoadOptions.maxPrefixesPerTag)"),
                Arguments.of("maxTotalPrefixes", (UnaryOperator<LoadOptions.Builder>) b -> b.maxTotalPrefixes(7),
                        (UnaryOperator<LoadOptions.Builder>) b -> b.maxTotalPrefixes(6),
                        "more than 6 prefixes in the file (LoadOptions.maxTotalPrefixes)"),
                Arguments.of("maxStringLength",
                        (UnaryOperator<LoadOptions.Builder>) b -> b.maxStringLength(longest.length()),
                        (UnaryOperator<LoadOptions.Builder>) b -> b.maxStringLength(longest.length() - 1),
                        "String value length (17) exceeds the maximum allowed (16) (a processing limit, "
                                + "LoadOptions.maxStringLength; raise it with LoadOptions.builder().maxStringLength(n) "
                                + "if the file is genuine)"),
                Arguments.of("maxNestingDepth", (UnaryOperator<LoadOptions.Builder>) b -> b.maxNestingDepth(5),
                        (UnaryOperator<LoadOptions.Builder>) b -> b.maxNestingDepth(4),
                        "Document nesting depth (5) exceeds the maximum allowed (4) (a processing limit, "
                                + "LoadOptions.maxNestingDepth; raise it with LoadOptions.builder().maxNestingDepth(n) "
                                + "if the file is genuine)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("loadOptionLimits")
    void eachLoadOptionsLimitIsExactAndNamedInTheMessage(String setter, UnaryOperator<LoadOptions.Builder> atLimit,
            UnaryOperator<LoadOptions.Builder> overLimit, String problem) throws IOException {
        assertEquals(2, load(SAMPLE, atLimit).tags().size());
        InvalidServiceTagsException e = assertThrows(InvalidServiceTagsException.class,
                () -> load(SAMPLE, overLimit));
        assertEquals(problem, e.problem());
        assertTrue(e.getMessage().startsWith("limits.json: "), e.getMessage());
        assertTrue(e.getMessage().contains("LoadOptions." + setter), e.getMessage());
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        assertEquals("LoadOptions{maxDocumentBytes=268435456, maxTags=50000, maxPrefixesPerTag=200000, "
                + "maxTotalPrefixes=2000000, maxStringLength=1000, maxNestingDepth=16}",
                LoadOptions.defaults().toString());
    }

    @Test
    void theDefaultStringLimitIsExact() throws IOException {
        String at = SAMPLE.replace("\"Azure\"", "\"" + "A".repeat(1000) + "\"");
        assertEquals(2, load(at, b -> b).tags().size());
        String over = SAMPLE.replace("\"Azure\"", "\"" + "A".repeat(1001) + "\"");
        InvalidServiceTagsException e = assertThrows(InvalidServiceTagsException.class, () -> load(over, b -> b));
        assertTrue(e.problem().startsWith("String value length (1001) exceeds the maximum allowed (1000)"),
                e.getMessage());
    }

    @Test
    void numbersHaveAFixedLimitOfFortyDigits() throws IOException {
        String at = SAMPLE.replace("\"changeNumber\": 7,", "\"changeNumber\": 7, \"x\": " + "9".repeat(40) + ",");
        assertEquals(2, load(at, b -> b).tags().size());
        String over = SAMPLE.replace("\"changeNumber\": 7,", "\"changeNumber\": 7, \"x\": " + "9".repeat(41) + ",");
        InvalidServiceTagsException e = assertThrows(InvalidServiceTagsException.class, () -> load(over, b -> b));
        assertEquals("Number value length (41) exceeds the maximum allowed (40) (a fixed processing limit of the "
                + "reader)", e.problem());
    }

    @Test
    void setterValuesBelowOneAreRefusedNamingTheSetter() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LoadOptions.builder().maxNestingDepth(0));
        assertEquals("maxNestingDepth must be at least 1, got 0", e.getMessage());
    }

    // --- the command line ---------------------------------------------------------------------------------------

    @Test
    void stdinLinesUpToTheLimitAreAnsweredLongerOnesRefused(@TempDir Path dir) throws IOException {
        Path data = dir.resolve("sample.json");
        Files.writeString(data, SAMPLE);
        String atLimit = "192.0.2.1" + " ".repeat(1024 - 9); // 1024 characters: answered (after strip)
        String over = "192.0.2.1" + " ".repeat(1025 - 9);
        String stdin = atLimit + "\n" + over + "\n198.51.100.7\n";
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"--data", data.toString(), "lookup", "--format", "tsv", "--stdin"}, new PrintWriter(out),
                new PrintWriter(err), Map.of(), new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        assertEquals(Main.USAGE, code, err.toString());
        assertEquals("192.0.2.1\tDemo,Demo.WestEurope\n198.51.100.7\tDemo\n", out.toString());
        assertTrue(err.toString().contains("servicetags: line 2: longer than 1024 characters"), err.toString());
    }

    // --- the catalog (fixed limits) -----------------------------------------------------------------------------

    /** A valid catalog with the given counts and lengths (one product repeated, one flow repeated). */
    static String catalog(int products, int roles, int flows, int ports, int fqdns, int name, int purpose, int url) {
        String source = "https://example.com/" + "p".repeat(url - 20);
        String roleList = IntStream.range(0, roles).mapToObj(i -> "\"r" + i + "\"").collect(Collectors.joining(","));
        String portList = IntStream.range(0, ports).mapToObj(i -> "\"" + (1000 + i) + "\"")
                .collect(Collectors.joining(","));
        String fqdnList = IntStream.range(0, fqdns).mapToObj(i -> "\"h" + i + ".example.com\"")
                .collect(Collectors.joining(","));
        String flowList = IntStream.range(0, flows).mapToObj(i -> "{\"from\":\"r0\",\"to\":{\"fqdns\":[" + fqdnList
                        + "]},\"protocol\":\"tcp\",\"ports\":[" + (i == 0 ? portList : "\"" + (1 + i) + "\"")
                        + "],\"optional\":false,\"purpose\":\"" + "u".repeat(purpose) + "\",\"source\":\"" + source
                        + "\"}")
                .collect(Collectors.joining(","));
        String productList = IntStream.range(0, products).mapToObj(i -> "{\"id\":\"p" + i + "\",\"name\":\""
                        + "N".repeat(name) + "\",\"source\":\"" + source + "\",\"roles\":[" + roleList + "],\"flows\":["
                        + flowList + "]}")
                .collect(Collectors.joining(","));
        return "{\"schemaVersion\":1,\"catalogVersion\":\"1\",\"products\":[" + productList + "]}";
    }

    static Stream<Arguments> catalogLimits() {
        return Stream.of(
                Arguments.of("products", catalog(256, 1, 1, 1, 1, 10, 10, 30), catalog(257, 1, 1, 1, 1, 10, 10, 30),
                        "more than 256 products"),
                Arguments.of("roles", catalog(1, 64, 1, 1, 1, 10, 10, 30), catalog(1, 65, 1, 1, 1, 10, 10, 30),
                        "more than 64 roles"),
                Arguments.of("flows", catalog(1, 1, 4096, 1, 1, 10, 10, 30), catalog(1, 1, 4097, 1, 1, 10, 10, 30),
                        "more than 4096 flows"),
                Arguments.of("ports", catalog(1, 1, 1, 64, 1, 10, 10, 30), catalog(1, 1, 1, 65, 1, 10, 10, 30),
                        "more than 64 port entries"),
                Arguments.of("fqdns", catalog(1, 1, 1, 1, 256, 10, 10, 30), catalog(1, 1, 1, 1, 257, 10, 10, 30),
                        "more than 256 host names"),
                Arguments.of("name", catalog(1, 1, 1, 1, 1, 200, 10, 30), catalog(1, 1, 1, 1, 1, 201, 10, 30),
                        "string of 201 characters, over the limit of 200"),
                Arguments.of("purpose", catalog(1, 1, 1, 1, 1, 10, 500, 30), catalog(1, 1, 1, 1, 1, 10, 501, 30),
                        "string of 501 characters, over the limit of 500"),
                Arguments.of("source URL", catalog(1, 1, 1, 1, 1, 10, 10, 2048), catalog(1, 1, 1, 1, 1, 10, 10, 2049),
                        "string of 2049 characters, over the limit of 2048"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogLimits")
    void eachCatalogLimitIsExactAndNamedInTheMessage(String what, String atLimit, String overLimit, String problem)
            throws IOException {
        Catalog.load(new ByteArrayInputStream(atLimit.getBytes(StandardCharsets.UTF_8)), "catalog.json");
        InvalidServiceTagsException e = assertThrows(InvalidServiceTagsException.class, () -> Catalog.load(
                new ByteArrayInputStream(overLimit.getBytes(StandardCharsets.UTF_8)), "catalog.json"));
        assertTrue(e.problem().contains(problem), what + ": " + e.getMessage());
    }

    @Test
    void aCatalogFileOverFourMebibytesIsRefusedBeforeParsing(@TempDir Path dir) throws IOException {
        String valid = catalog(1, 1, 1, 1, 1, 10, 10, 30);
        Path at = dir.resolve("at.json");
        Files.writeString(at, valid + " ".repeat((4 << 20) - valid.length()));
        Catalog.load(at);
        Path over = dir.resolve("over.json");
        Files.writeString(over, valid + " ".repeat((4 << 20) - valid.length() + 1));
        InvalidServiceTagsException e = assertThrows(InvalidServiceTagsException.class, () -> Catalog.load(over));
        assertEquals("the catalog is 4194305 bytes, over the limit of 4194304 bytes", e.problem());
    }
}
