package io.github.servicetags.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.servicetags.InvalidServiceTagsException;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The field rules of docs/catalog.md, each at its edge: every required field of a product, a flow and a dependency
 * ("missing fields" are refused, naming the field), the text limits ("at most 500 and 200 characters", "without
 * control characters", the first character too) and "not overlapping" ports (one shared port is an overlap,
 * neighbouring ranges are not).
 */
class CatalogFieldRulesTest {
    private static final String FLOW = CatalogLoaderTest.FLOW;

    /** Removes {@code "field":value,} (or {@code ,"field":value} at the end) from one JSON object text. */
    static String without(String json, String field, String value) {
        String member = "\"" + field + "\":" + value;
        String out = json.replace(member + ",", "");
        if (out.equals(json)) {
            out = json.replace("," + member, "");
        }
        if (out.equals(json)) {
            throw new IllegalArgumentException("fixture: no " + member + " in " + json);
        }
        return out;
    }

    static String product(String flow) {
        return CatalogLoaderTest.catalog(flow);
    }

    static Stream<Arguments> missingFields() {
        String url = "\"https://example.com/ports.html\"";
        String c = product(FLOW);
        String productMember = c.substring(c.indexOf("\"id\":\"p\""));
        return Stream.of(
                Arguments.of(without(c, "id", "\"p\""), "(products[0])", "id"),
                Arguments.of(without(c, "name", "\"P\""), "(products[0])", "name"),
                Arguments.of(c.replace(productMember, without(productMember, "source", url)), "(products[0])",
                        "source"),
                Arguments.of(without(c, "roles", "[\"a\",\"b\"]"), "(products[0])", "roles"),
                Arguments.of(c.replace(",\"flows\":[" + FLOW + "]", ""), "(products[0])", "flows"),
                Arguments.of(product(without(FLOW, "from", "\"a\"")), "(products[0].flows[0])", "from"),
                Arguments.of(product(without(FLOW, "to", "{\"role\":\"b\"}")), "(products[0].flows[0])", "to"),
                Arguments.of(product(without(FLOW, "protocol", "\"tcp\"")), "(products[0].flows[0])", "protocol"),
                Arguments.of(product(without(FLOW, "ports", "[\"443\"]")), "(products[0].flows[0])", "ports"),
                Arguments.of(product(without(FLOW, "optional", "false")), "(products[0].flows[0])", "optional"),
                Arguments.of(product(without(FLOW, "purpose", "\"x\"")), "(products[0].flows[0])", "purpose"),
                Arguments.of(product(without(FLOW, "source", url)), "(products[0].flows[0])", "source"),
                Arguments.of(DependencyTest.withDependencies(without(DependencyTest.DEP, "tag", "\"AzureBackup\"")),
                        "(dependencies[0])", "tag"),
                Arguments.of(DependencyTest.withDependencies(without(DependencyTest.DEP, "reason", "\"r\"")),
                        "(dependencies[0])", "reason"),
                Arguments.of(DependencyTest.withDependencies(without(DependencyTest.DEP, "source",
                        "\"https://example.com/backup\"")), "(dependencies[0])", "source"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("missingFields")
    void everyRequiredFieldIsNamedWhenMissing(String json, String path, String field) {
        InvalidServiceTagsException e = assertThrows(InvalidServiceTagsException.class,
                () -> CatalogLoaderTest.load(json));
        assertEquals("missing field '" + field + "'", e.problem(), e::getMessage);
        assertEquals(path, e.location().replaceAll("^line \\d+, column \\d+ ", ""), e::getMessage);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 200, 201})
    void aProductNameHoldsAtMost200Characters(int length) throws IOException {
        String name = "N".repeat(length);
        String json = product(FLOW).replace("\"name\":\"P\"", "\"name\":\"" + name + "\"");
        if (length <= 200) {
            assertEquals(name, CatalogLoaderTest.load(json).product("p").name());
        } else {
            InvalidServiceTagsException e = assertThrows(InvalidServiceTagsException.class,
                    () -> CatalogLoaderTest.load(json));
            assertEquals("string of 201 characters, over the limit of 200", e.problem());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 501})
    void aPurposeHoldsAtMost500Characters(int length) throws IOException {
        String purpose = "p".repeat(length);
        String json = product(FLOW.replace("\"purpose\":\"x\"", "\"purpose\":\"" + purpose + "\""));
        if (length <= 500) {
            assertEquals(purpose, CatalogLoaderTest.load(json).product("p").flows().get(0).purpose());
        } else {
            InvalidServiceTagsException e = assertThrows(InvalidServiceTagsException.class,
                    () -> CatalogLoaderTest.load(json));
            assertEquals("string of 501 characters, over the limit of 500", e.problem());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\u0001flush ruleset", "x\\u007f", "\\tx"})
    void aControlCharacterAnywhereInTextIsRefused(String escaped) {
        String json = product(FLOW.replace("\"purpose\":\"x\"", "\"purpose\":\"" + escaped + "\""));
        InvalidServiceTagsException e = assertThrows(InvalidServiceTagsException.class,
                () -> CatalogLoaderTest.load(json));
        assertEquals("(products[0].flows[0].purpose)", e.location().replaceAll("^line \\d+, column \\d+ ", ""));
        assertEquals(true, e.problem().startsWith("control character U+"), e::getMessage);
    }

    static Stream<Arguments> overlappingPorts() {
        return Stream.of(
                Arguments.of("\"80-443\",\"443\"", "port 443 overlaps 80-443 listed before"),
                Arguments.of("\"443\",\"443-500\"", "port 443-500 overlaps 443 listed before"),
                Arguments.of("\"443-500\",\"80-443\"", "port 80-443 overlaps 443-500 listed before"),
                Arguments.of("\"443\",\"443\"", "port 443 overlaps 443 listed before"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlappingPorts")
    void portsSharingOnePortOverlap(String ports, String problem) {
        String json = product(FLOW.replace("[\"443\"]", "[" + ports + "]"));
        InvalidServiceTagsException e = assertThrows(InvalidServiceTagsException.class,
                () -> CatalogLoaderTest.load(json));
        assertEquals(problem, e.problem());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"80-442\",\"443\",\"444-500\"", "\"444-500\",\"443\",\"80-442\"", "\"1\",\"65535\""})
    void neighbouringPortsDoNotOverlap(String ports) throws IOException {
        String json = product(FLOW.replace("[\"443\"]", "[" + ports + "]"));
        List<PortRange> got = CatalogLoaderTest.load(json).product("p").flows().get(0).ports();
        assertEquals(ports.replace("\"", ""), String.join(",", got.stream().map(PortRange::toString).toList()));
    }
}
