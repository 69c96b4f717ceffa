package io.github.servicetags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each rule of the data is one rule: the JSON reader, the binary reader, {@link ServiceTag#builder} and
 * {@link ServiceTags#of} accept the same values and refuse the others with the same words, so whatever loads or is
 * built writes and reads back.
 */
class DataRulesTest {
    private static final String TAG = "{\"name\":\"A\",\"properties\":{\"platform\":\"Azure\",\"addressPrefixes\":"
            + "[\"192.0.2.0/24\"]}}";

    static String doc(String changeNumber) {
        return "{\"changeNumber\":" + changeNumber + ",\"cloud\":\"Public\",\"values\":[" + TAG + "]}";
    }

    static ServiceTags roundTrip(ServiceTags st) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        st.write(out);
        return ServiceTags.read(new ByteArrayInputStream(out.toByteArray()), "test.bin");
    }

    /** Was a disagreement: the JSON reader took any long, the binary reader at most 18 digits. */
    @ParameterizedTest
    @ValueSource(strings = {"0", "999999999999999999", "1000000000000000000", "9223372036854775807",
        "\"1000000000000000000\"", "\"9223372036854775807\""})
    void everyChangeNumberThatLoadsReadsBack(String changeNumber) throws IOException {
        ServiceTags st = LoaderTest.load(doc(changeNumber));
        assertEquals(Long.parseLong(changeNumber.replace("\"", "")), st.changeNumber());
        assertEquals(st.changeNumber(), roundTrip(st).changeNumber());
        ServiceTag big = ServiceTag.builder("B").changeNumber(st.changeNumber()).build();
        ServiceTags built = ServiceTags.of("Public", st.changeNumber(), "code", List.of(big));
        assertEquals(st.changeNumber(), roundTrip(built).tags().get(0).changeNumber());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "9223372036854775808 | changeNumber is too large",
        "\"9223372036854775808\" | changeNumber is too large",
        "\"09\" | changeNumber '09' is not a decimal number",
        "-1 | changeNumber must not be negative, got -1"})
    void changeNumbersOutsideALongAreRefused(String changeNumber, String problem) {
        assertEquals(problem, LoaderTest.refused(doc(changeNumber)).problem());
    }

    @org.junit.jupiter.api.Test
    void negativeChangeNumbersAreRefusedInCodeToo() {
        assertEquals("changeNumber must not be negative, got -1", assertThrows(IllegalArgumentException.class,
                () -> ServiceTags.of("Public", -1, "code", List.of())).getMessage());
        assertEquals("changeNumber must not be negative, got -2", assertThrows(IllegalArgumentException.class,
                () -> ServiceTag.builder("A").changeNumber(-2).build()).getMessage());
        assertEquals("cloud name 'Public cloud' is not a plain word", assertThrows(IllegalArgumentException.class,
                () -> ServiceTags.of("Public cloud", 1, "code", List.of())).getMessage());
    }

    /**
     * Was a disagreement: the JSON reader refused IPv4-mapped IPv6 prefixes, the binary reader and the 9-argument
     * constructor took them, so {@code ServiceTags.of} could build an index whose {@code write} {@code read} refused.
     */
    @org.junit.jupiter.api.Test
    void ipv4MappedPrefixesAreRefusedByEveryPath() throws IOException {
        String problem = "IPv4-mapped IPv6 prefix '::ffff:192.0.2.0/120'; lookups answer ::ffff:a.b.c.d as the IPv4 "
                + "address, so write it as the IPv4 prefix 192.0.2.0/24";
        assertEquals(problem, LoaderTest.refused(doc("1").replace("192.0.2.0/24", "::ffff:192.0.2.0/120"))
                .problem());
        IpPrefix mapped = IpPrefix.parse("::ffff:192.0.2.0/120");
        assertEquals(problem, assertThrows(IllegalArgumentException.class,
                () -> ServiceTag.builder("A").prefixes(List.of(mapped)).build()).getMessage());
        // a binary with ::fffe:192.0.2.0/120, one bit changed to ::ffff: and the checksum made good (a forger)
        ServiceTags near = ServiceTags.of("Public", 1, "code", List.of(ServiceTag.builder("A")
                .prefixes(List.of(IpPrefix.parse("::fffe:192.0.2.0/120"))).build()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        near.write(out);
        byte[] payload = Arrays.copyOfRange(out.toByteArray(), IndexCodec.HEADER, out.size());
        int at = BinaryIndexTest.indexOf(payload, new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 192, 0, 2});
        payload[at + 1] = (byte) 0xff;
        InvalidServiceTagsException e = assertThrows(InvalidServiceTagsException.class, () -> ServiceTags.read(
                new ByteArrayInputStream(BinaryIndexTest.withHeader(payload)), "forged.bin"));
        assertEquals(problem, e.problem());
    }

    /** One bad value per rule: the JSON reader and the builder refuse it with the same problem text. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"name\":\"A\" | \"name\":\"A B\" | invalid tag name 'A B': names match [A-Za-z0-9][A-Za-z0-9._-]{0,127}",
        "\"name\":\"A\" | \"name\":\"A\",\"id\":\"-x\" | invalid tag id '-x': ids match [A-Za-z0-9][A-Za-z0-9._-]{0,127}",
        "\"platform\":\"Azure\" | \"platform\":\"Az\\u0085\" | control character in 'Az\\u0085'",
        "\"platform\":\"Azure\" | \"platform\":\"Azure\",\"region\":\"west europe\" | region 'west europe' must be letters and digits",
        "\"platform\":\"Azure\" | \"platform\":\"Azure\",\"networkFeatures\":[\"API;\"] | network feature 'API;' is not a plain word",
        "\"platform\":\"Azure\" | \"platform\":\"Azure\",\"systemService\":\"a\\u2028b\" | control character in 'a\\u2028b'"})
    void jsonReaderAndBuilderShareEachRule(String from, String to, String problem) {
        String json = doc("1").replace(from, to);
        assertEquals(problem, LoaderTest.refused(json).problem());
        UnaryOperator<ServiceTag.Builder> bad = builderFor(to);
        assertEquals(problem, assertThrows(IllegalArgumentException.class,
                () -> bad.apply(ServiceTag.builder(to.startsWith("\"name\":\"A B\"") ? "A B" : "A")).build())
                .getMessage());
    }

    private static UnaryOperator<ServiceTag.Builder> builderFor(String to) {
        if (to.contains("\"id\"")) {
            return b -> b.id("-x");
        } else if (to.contains("\\u0085")) {
            return b -> b.platform("Az\u0085");
        } else if (to.contains("region")) {
            return b -> b.region("west europe");
        } else if (to.contains("networkFeatures")) {
            return b -> b.networkFeatures(Set.of("API;"));
        } else if (to.contains("systemService")) {
            return b -> b.systemService("a\u2028b");
        }
        return b -> b;
    }
}
