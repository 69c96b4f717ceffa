package io.github.servicetags.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.servicetags.IpPrefix;
import io.github.servicetags.catalog.Expansion;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile expansion (quotes, line breaks, {@code ;}, {@code flush ruleset}, {@code $()}, backticks, 300-character
 * names, names that are keywords or options) rendered in every format: each line must have one of the shapes the
 * renderer writes, every identifier must be short and safe, and the real tools must load the scripts.
 */
class HostileInputTest {
    static final String ID = "[A-Za-z0-9._-]+";
    static final String COMMENT = "( comment \"[A-Za-z0-9 .,:/()_+=@%&!?<>*-]{0,128}\")?";

    @TempDir
    Path dir;

    @Test
    void nftLinesHaveOnlyTheExpectedShapes() throws IOException {
        String out = Samples.render("nft", Samples.hostile(), new ArrayList<>());
        checkNftShapes(out);
        RealTools.assume();
        RealTools.nftCheck(dir, out);
    }

    /** Every line of an nft ruleset has one of the shapes the renderer writes; one table; short names. */
    static void checkNftShapes(String out) {
        List<Pattern> shapes = List.of(
                Pattern.compile("#!/usr/sbin/nft -f"),
                Pattern.compile("# [^\\n]*"),
                Pattern.compile("(table|delete table) inet (" + ID + ")( \\{)?"),
                Pattern.compile("\tset (" + ID + ") \\{"),
                Pattern.compile("\t\ttype ipv[46]_addr|\t\tflags interval|\t\tauto-merge|\t\telements = \\{"),
                Pattern.compile("\t\t\t[0-9a-f.:]+/[0-9]+,?"),
                Pattern.compile("\t\t}|\t}|}"),
                Pattern.compile("\tchain (" + ID + ") \\{"),
                Pattern.compile("\t\tip6? [sd]addr @(" + ID + ")( (tcp|udp) dport [0-9{}, -]+| meta l4proto "
                        + "(tcp|udp|icmp|ipv6-icmp))? accept" + COMMENT));
        Set<String> tables = new HashSet<>();
        for (String line : out.split("\n")) {
            Matcher m = match(shapes, line);
            if (line.startsWith("table") || line.startsWith("delete")) {
                tables.add(m.group(2));
            }
            for (int g = 1; g <= m.groupCount(); g++) {
                String id = m.group(g);
                if (id != null && id.matches(ID) && !id.contains(" ")) {
                    assertTrue(id.length() <= SafeNames.NFT_MAX, id);
                }
            }
        }
        assertEquals(1, tables.size(), "one table, named once: " + tables);
        assertFalse(out.contains("\nflush"), "no statement can start with flush");
    }

    @Test
    void ipsetAndIptablesLinesHaveOnlyTheExpectedShapes() throws IOException {
        List<String> warnings = new ArrayList<>();
        String ipset = Samples.render("ipset", Samples.hostile(), warnings);
        String v4 = Samples.render("iptables", Samples.hostile(), warnings);
        String v6 = Samples.render("ip6tables", Samples.hostile(), warnings);
        checkIpsetIptablesShapes(ipset, v4, v6);
        RealTools.assume();
        RealTools.ipsetIptables(dir, ipset, v4, v6, null);
    }

    /** Every line has one of the shapes the renderers write; names are short; every matched set is created. */
    static void checkIpsetIptablesShapes(String ipset, String v4, String v6) {
        Pattern set = Pattern.compile("(create (" + ID + ") hash:net family inet6? maxelem [0-9]+ -exist"
                + "|flush (" + ID + ")|add (" + ID + ") [0-9a-f.:]+/[0-9]+|# [^\\n]*)");
        for (String line : ipset.split("\n")) {
            Matcher m = match(List.of(set), line);
            for (int g = 2; g <= 4; g++) {
                if (m.group(g) != null) {
                    assertTrue(m.group(g).length() <= SafeNames.IPSET_MAX, m.group(g));
                    assertTrue(m.group(g).startsWith("st4-") || m.group(g).startsWith("st6-"), m.group(g));
                }
            }
        }
        Pattern rule = Pattern.compile("-A (" + ID + ")( -p (tcp|udp|icmp|ipv6-icmp))? -m set --match-set (" + ID
                + ") (dst|src)( --dport [0-9:]+| -m multiport --dports [0-9:,]+)?"
                + "( -m comment --comment \"[A-Za-z0-9 .,:/()_+=@%&!?<>*-]{0,128}\")? -j ACCEPT");
        Pattern other = Pattern.compile("# [^\\n]*|\\*filter|:(" + ID + ") - \\[0:0]|COMMIT");
        for (String text : List.of(v4, v6)) {
            for (String line : text.split("\n")) {
                Matcher m = match(List.of(rule, other), line);
                if (m.pattern() == rule) {
                    assertTrue(m.group(1).length() <= SafeNames.IPTABLES_CHAIN_MAX, m.group(1));
                    assertTrue(m.group(1).startsWith("st-"), m.group(1));
                    assertTrue(ipset.contains("create " + m.group(4) + " "), "set " + m.group(4) + " is created");
                } else if (m.group(1) != null) {
                    assertTrue(m.group(1).length() <= SafeNames.IPTABLES_CHAIN_MAX, m.group(1));
                }
            }
        }
    }

    @Test
    void longNamesThatDifferOnlyAtTheEndStayApart() {
        String nft = Samples.render("nft", Samples.hostile(), new ArrayList<>());
        String ipt = Samples.render("iptables", Samples.hostile(), new ArrayList<>());
        Set<String> chains = new HashSet<>();
        for (String line : ipt.split("\n")) {
            if (line.startsWith(":")) {
                assertTrue(chains.add(line), "duplicate chain " + line);
            }
        }
        assertEquals(12, chains.size(), chains::toString); // 8 outbound, 4 inbound
        long sets = nft.lines().filter(l -> l.startsWith("\tset ")).distinct().count();
        assertEquals(nft.lines().filter(l -> l.startsWith("\tset ")).count(), sets);
    }

    @Test
    void jsonKeepsEveryStringIntact() throws IOException {
        String out = Samples.render("json", Samples.hostile(), new ArrayList<>());
        List<String> strings = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(out)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.VALUE_STRING) {
                    strings.add(p.getText());
                }
            }
        }
        assertTrue(strings.contains(Samples.EVIL), "JSON escapes instead of sanitising");
        assertTrue(strings.contains("evil.example\n-A OUTPUT -j DROP"));
    }

    @Test
    void nsgNamesAndDescriptionsAreSafe() throws IOException {
        List<String> warnings = new ArrayList<>();
        String out = Samples.render("nsg", Samples.hostile(), warnings);
        Set<String> names = new HashSet<>();
        Set<Integer> priorities = new HashSet<>();
        try (JsonParser p = new JsonFactory().createParser(out)) {
            String field = null;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.FIELD_NAME) {
                    field = p.currentName();
                } else if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT) {
                    String v = p.getText();
                    switch (field) {
                        case "name" -> {
                            assertTrue(v.matches("[A-Za-z0-9]([A-Za-z0-9._-]{0,78}[A-Za-z0-9_])?"), v);
                            assertTrue(names.add(v), "duplicate name " + v);
                        }
                        case "description" -> assertTrue(v.matches("[^\\[\"\\\\\\n\\r]{0,128}"), v);
                        case "priority" -> assertTrue(priorities.add(Integer.parseInt(v)), v);
                        case "destinationAddressPrefix" -> assertTrue(
                                IpPrefix.tryParse(v).isPresent() || v.matches(io.github.servicetags.internal.DataRules.TAG_NAME_PATTERN), v);
                        default -> {
                        }
                    }
                }
            }
        }
        assertEquals(names.size(), priorities.size());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("cannot match host names")), warnings::toString);
    }

    @Test
    void ipGroupNamesAndTagsAreSafe() throws IOException {
        String out = Samples.render("ipgroups", Samples.hostile(), new ArrayList<>());
        Set<String> names = new HashSet<>();
        try (JsonParser p = new JsonFactory().createParser(out)) {
            String field = null;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.FIELD_NAME) {
                    field = p.currentName();
                } else if (t == JsonToken.VALUE_STRING && field.equals("name")) {
                    assertTrue(p.getText().matches("st-([A-Za-z0-9._-]{0,76}[A-Za-z0-9_])?"), p.getText());
                    assertTrue(names.add(p.getText()), "duplicate " + p.getText());
                } else if (t == JsonToken.VALUE_STRING && field.startsWith("servicetags-")) {
                    assertTrue(p.getText().matches("[A-Za-z0-9 .,:/()_+=@%&!?<>*-]{0,256}"), p.getText());
                } else if (t == JsonToken.VALUE_STRING) {
                    assertTrue(IpPrefix.tryParse(p.getText()).isPresent(), p.getText());
                }
            }
        }
        assertEquals(9, names.size(), names::toString);
    }

    @Test
    void azfwIsSafeJsonWithOnlyOurOwnExpressions() {
        List<String> warnings = new ArrayList<>();
        String out = Samples.render("azfw", Samples.hostile(), warnings);
        Map<?, ?> doc = (Map<?, ?>) io.github.servicetags.testing.TestJson.parse(out);
        Map<?, ?> parameters = (Map<?, ?>) doc.get("parameters");
        Set<String> expressions = new HashSet<>(List.of("[parameters('priority')]"));
        for (Object name : parameters.keySet()) {
            assertTrue(name.toString().matches("[A-Za-z][A-Za-z0-9_]{0,63}"), name.toString());
            expressions.add("[parameters('" + name + "')]");
        }
        List<String> strings = new ArrayList<>();
        collect(doc, null, strings);
        for (String v : strings) {
            // ARM evaluates a string that starts with '[': only the ones we write may.
            assertTrue(!v.startsWith("[") || expressions.contains(v) || v.matches(
                    "\\[format\\('\\{0}/\\{1}', parameters\\('firewallPolicyName'\\), '" + ID + "'\\)]"), v);
        }
        Matcher names = Pattern.compile("\"name\" : \"([^\"]*)\"").matcher(out);
        Set<String> seen = new HashSet<>();
        while (names.find()) {
            String n = names.group(1);
            assertTrue(n.matches("[A-Za-z0-9]([A-Za-z0-9._-]{0,78}[A-Za-z0-9_])?") || n.startsWith("[format("), n);
            assertTrue(seen.add(n), "duplicate name " + n);
        }
        Matcher descriptions = Pattern.compile("\"description\" : \"([^\"]*)\"").matcher(out);
        while (descriptions.find()) {
            assertTrue(descriptions.group(1).matches("[A-Za-z0-9 .,:/()_+=@%&!?<>*-]{0,256}"), descriptions.group(1));
        }
        assertTrue(out.contains("\"targetFqdns\" : [ \"ok.example\", \"*.ok.example\" ]"), out);
        assertFalse(out.contains("evil.example"), "a name that is not a host name is left out");
        assertTrue(warnings.stream().anyMatch(w -> w.contains("'evil.example\\u000a-A OUTPUT -j DROP' is not a host"
                + " name")), warnings::toString);
    }

    private static void collect(Object node, String field, List<String> out) {
        if (node instanceof Map<?, ?> m) {
            m.forEach((k, v) -> collect(v, k.toString(), out));
        } else if (node instanceof List<?> l) {
            l.forEach(v -> collect(v, field, out));
        } else if (node instanceof String s) {
            out.add(s);
        }
    }

    @Test
    void squidLinesHaveOnlyTheExpectedShapes() throws IOException {
        List<String> warnings = new ArrayList<>();
        String out = Samples.render("squid", Samples.hostile(), warnings);
        String host = "\\.?[a-z0-9]([a-z0-9.-]*[a-z0-9])?";
        List<Pattern> shapes = List.of(Pattern.compile("|# [^\\n]*"),
                Pattern.compile("acl (" + ID + ") dstdomain( " + host + ")+"),
                Pattern.compile("acl (" + ID + ") port( [0-9]+(-[0-9]+)?)+"),
                Pattern.compile("acl (" + ID + ") src( [0-9a-f.:]+/[0-9]+)+"),
                Pattern.compile("http_access allow (" + ID + ")( " + ID + "){1,2}"));
        for (String line : out.split("\n")) {
            Matcher m = match(shapes, line);
            if (m.groupCount() > 0 && m.group(1) != null) {
                assertTrue(m.group(1).length() <= SquidRenderer.ACL_MAX, m.group(1));
            }
        }
        assertFalse(out.contains("http_access allow all"), out);
        assertTrue(warnings.stream().anyMatch(w -> w.contains("'x.example http_access allow all' is not a host name")),
                warnings::toString);
        assertTrue(warnings.stream().anyMatch(w -> w.contains("'\u0435vil.example' is not a host name")),
                warnings::toString);
        RealTools.assumeSquid();
        assertEquals(List.of(), RealTools.squidParse(dir, out, true));
    }

    @Test
    void csvRoundTripsAndNeutralisesFormulas() {
        String out = Samples.render("csv", Samples.hostile(), new ArrayList<>());
        List<List<String>> rows = parseCsv(out);
        for (List<String> row : rows) {
            assertEquals(CsvRenderer.HEADER.size(), row.size(), row::toString);
            for (String cell : row) {
                if (!cell.isEmpty()) {
                    assertFalse("=+-@\t\r".indexOf(cell.strip().isEmpty() ? cell.charAt(0) : cell.strip().charAt(0)) >= 0
                            && !cell.startsWith("'"), "formula cell " + cell);
                }
            }
        }
        assertTrue(rows.stream().anyMatch(r -> r.contains("'=cmd|' /C calc'!A0")), "neutralised, not altered");
    }

    @Test
    void warningsCannotSpoofTheTerminal() {
        List<String> warnings = new ArrayList<>();
        for (String f : Renderers.formats()) {
            Samples.render(f, Samples.hostile(), warnings);
        }
        for (String w : warnings) {
            for (char c : w.toCharArray()) {
                assertTrue(c >= 0x20 && c != 0x7f && c != '\u202e' && c != '\u2028', "control character in " + w);
            }
        }
    }

    @Test
    void edlHasOnlyCidrs() {
        String out = Samples.render("edl", Samples.hostile(), new ArrayList<>());
        for (String line : out.split("\n")) {
            assertTrue(IpPrefix.tryParse(line).isPresent(), line);
        }
    }

    private static Matcher match(List<Pattern> shapes, String line) {
        for (Pattern p : shapes) {
            Matcher m = p.matcher(line);
            if (m.matches()) {
                return m;
            }
        }
        fail("unexpected line: " + line);
        return null;
    }

    /** A strict RFC 4180 reader for the test. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"' && cell.length() == 0) {
                i++;
                while (true) {
                    char d = text.charAt(i++);
                    if (d == '"') {
                        if (i < text.length() && text.charAt(i) == '"') {
                            cell.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        cell.append(d);
                    }
                }
                continue;
            }
            if (c == ',') {
                row.add(cell.toString());
                cell.setLength(0);
                i++;
            } else if (c == '\r' && text.charAt(i + 1) == '\n') {
                row.add(cell.toString());
                cell.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i += 2;
            } else {
                assertFalse(c == '\r' || c == '\n', "bare line break outside quotes");
                cell.append(c);
                i++;
            }
        }
        assertTrue(row.isEmpty() && cell.length() == 0, "ends with CRLF");
        return rows;
    }

    static Expansion hostile() {
        return Samples.hostile();
    }
}
