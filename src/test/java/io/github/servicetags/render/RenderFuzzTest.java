package io.github.servicetags.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.servicetags.IpPrefix;
import io.github.servicetags.catalog.Expansion;
import io.github.servicetags.catalog.Protocol;
import io.github.servicetags.catalog.Rule;
import io.github.servicetags.catalog.RuleKind;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes every name and text of an expansion through every format. In {@code mvn test} it replays the committed
 * inputs under {@code src/test/resources/io/github/servicetags/render/RenderFuzzTestInputs/everyFormat/}; with
 * {@code JAZZER_FUZZ=1} it fuzzes for {@code maxDuration}.
 *
 * <p>Properties: no format throws; nft, ipset, iptables and ip6tables lines keep the shapes of
 * {@link HostileInputTest} (one table, short safe names, sanitised comments); the same input renders the same bytes.
 */
class RenderFuzzTest {
    @FuzzTest(maxDuration = "30s")
    @DictionaryEntries({"'", "`", "$(", "${", ";", "#", "flush ruleset", "-j DROP", "=", "@", "+", "-", "ACCEPT",
        "table", "-exist", "*/"})
    void everyFormat(FuzzedDataProvider data) {
        String product = data.consumeString(80);
        List<Rule> rules = new ArrayList<>();
        int n = data.consumeInt(0, 6);
        for (int i = 0; i < n; i++) {
            RuleKind kind = data.pickValue(RuleKind.values());
            Protocol protocol = data.pickValue(Protocol.values());
            List<IpPrefix> prefixes = kind == RuleKind.FQDN ? List.of()
                    : data.consumeBoolean() ? Samples.cidrs("192.0.2.0/24", "2001:db8::/32")
                    : data.consumeBoolean() ? Samples.cidrs("0.0.0.0/0") : List.of();
            List<String> fqdns = kind == RuleKind.FQDN ? List.of(data.consumeString(40)) : List.of();
            boolean ports = protocol == Protocol.TCP || protocol == Protocol.UDP;
            rules.add(new Rule(data.consumeString(100), data.consumeString(300), kind, protocol,
                    ports ? Samples.ports(Integer.toString(data.consumeInt(1, 65535))) : List.of(), prefixes, fqdns,
                    data.consumeBoolean(), data.consumeString(200), "https://example.com/"));
        }
        Expansion e = new Expansion(product, data.consumeString(30), data.consumeString(30), data.consumeLong(),
                rules, List.of(data.consumeRemainingAsString()));
        for (String format : Renderers.formats()) {
            String out = Samples.render(format, e, new ArrayList<>());
            assertEquals(out, Samples.render(format, e, new ArrayList<>()), format + " is deterministic");
            assertTrue(out.endsWith("\n") || out.isEmpty(), format);
        }
        HostileInputTest.checkNftShapes(Samples.render("nft", e, new ArrayList<>()));
        HostileInputTest.checkIpsetIptablesShapes(Samples.render("ipset", e, new ArrayList<>()),
                Samples.render("iptables", e, new ArrayList<>()), Samples.render("ip6tables", e, new ArrayList<>()));
    }
}
