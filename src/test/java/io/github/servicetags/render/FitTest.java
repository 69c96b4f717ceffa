package io.github.servicetags.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.servicetags.IpPrefix;
import io.github.servicetags.catalog.Expansion;
import io.github.servicetags.catalog.Protocol;
import io.github.servicetags.catalog.Rule;
import io.github.servicetags.catalog.RuleKind;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Limit profiles: splitting, stable chunk names, merging to fit, and refusing what cannot fit. */
class FitTest {
    /** 10.0.0.0/24 .. 10.0.9.0/24 (ten adjacent /24 that merge into 10.0.0.0/21 + 10.0.8.0/23) and two IPv6. */
    static Expansion tenPrefixes() {
        List<IpPrefix> p = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            p.add(IpPrefix.parse("10.0." + i + ".0/24"));
        }
        p.add(IpPrefix.parse("2001:db8::/48"));
        p.add(IpPrefix.parse("2001:db8:1::/48"));
        List<Rule> rules = List.of(
                Samples.rule("worker", "backend", RuleKind.ROLE, Protocol.TCP, Samples.ports("443"), p, List.of(),
                        "ten prefixes"),
                Samples.rule("worker", "Sql.WestEurope", RuleKind.TAG, Protocol.TCP, Samples.ports("1433"),
                        Samples.cidrs("13.69.112.0/28"), List.of(), "sql"));
        return new Expansion("p", "westeurope", "Public", 376, rules, List.of());
    }

    @Test
    void profilesByName() {
        assertEquals(List.of("none", "nsg", "ipgroups", "edl", "windows"), FitProfile.names());
        assertEquals("nsg (at most 4000 entries per chunk, 1000 chunks)", FitProfile.named("NSG").toString());
        assertEquals(5000, FitProfile.named("ipgroups").maxEntries());
        assertEquals(200, FitProfile.named("ipgroups").maxGroups());
        assertEquals(50_000, FitProfile.named("edl").maxEntries());
        assertEquals("none", FitProfile.named("none").toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FitProfile.named("nsq"));
        assertEquals("unknown fit profile 'nsq'; expected one of none, nsg, ipgroups, edl, windows", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FitProfile.nsg().withMaxEntries(0));
        assertEquals("maximum entries per chunk must be at least 1, got 0", e.getMessage());
        assertEquals(FitProfile.nsg().withMaxGroups(5), FitProfile.named("nsg").withMaxGroups(5));
    }

    /** The warning for the inbound rule of the sample's unbound worker. */
    static final String INBOUND = "FORMAT: inbound not rendered: worker -> backend tcp 443: worker is not bound;"
            + " --bind worker=CIDR writes the inbound rule on backend";

    @Test
    void nsgRulesAreSplitPerFamilyWithStableNames() throws IOException {
        RenderOptions o = RenderOptions.builder().fit(FitProfile.nsg().withMaxEntries(4)).build();
        List<String> warnings = new ArrayList<>();
        String out = Samples.render("nsg", tenPrefixes(), o, warnings);
        Map<String, List<String>> rules = nsgDestinations(out);
        assertEquals(List.of("worker-backend-tcp-443-v4-1", "worker-backend-tcp-443-v4-2",
                "worker-backend-tcp-443-v4-3", "worker-backend-tcp-443-v6", "worker-Sql.WestEurope-tcp-1433"),
                List.copyOf(rules.keySet()));
        List<String> union = new ArrayList<>();
        for (Map.Entry<String, List<String>> r : rules.entrySet()) {
            assertTrue(r.getValue().size() <= 4, r::toString);
            boolean v6 = r.getValue().get(0).contains(":");
            assertTrue(r.getValue().stream().allMatch(p -> p.contains(":") == v6), "families mixed in " + r);
            if (r.getKey().contains("-v4-")) {
                union.addAll(r.getValue());
            }
        }
        assertEquals(RealDataRealToolsTest.union(tenPrefixes().rules().get(0).prefixes().stream()
                .filter(p -> !p.toString().contains(":")).map(IpPrefix::toString).toList()),
                RealDataRealToolsTest.union(union));
        assertEquals(List.of("fit nsg: worker -> backend tcp 443: 10 IPv4 prefixes split into 3 rules of at most 4",
                INBOUND.replace("FORMAT", "nsg")), warnings);
        assertEquals(out, Samples.render("nsg", tenPrefixes(), o, new ArrayList<>()), "a re-run changes nothing");
    }

    @Test
    void nsgMergesWhenThatIsWhatItTakes() {
        RenderOptions o = RenderOptions.builder().fit(FitProfile.nsg().withMaxEntries(2).withMaxGroups(3)).build();
        List<String> warnings = new ArrayList<>();
        String out = Samples.render("nsg", tenPrefixes(), o, warnings);
        assertTrue(out.contains("\"destinationAddressPrefixes\" : [ \"10.0.0.0/21\", \"10.0.8.0/23\" ]"), out);
        assertTrue(out.contains("\"destinationAddressPrefix\" : \"2001:db8::/47\""), out);
        assertEquals(List.of(INBOUND.replace("FORMAT", "nsg"), "fit nsg: 7 rules do not fit; merged adjacent and"
                + " overlapping prefixes (as --aggregate does): 3 rules"), warnings);
    }

    @Test
    void nsgRefusesWhatCannotFitAndWritesNothing() {
        RenderOptions o = RenderOptions.builder().fit(FitProfile.nsg().withMaxEntries(1).withMaxGroups(3)).build();
        StringWriter w = new StringWriter();
        LimitExceededException e = assertThrows(LimitExceededException.class,
                () -> Renderers.render("nsg", tenPrefixes(), o, w, new ArrayList<>()));
        assertEquals("nsg: 4 security rules are needed even after merging adjacent prefixes, but the nsg profile"
                + " allows 3 rules", e.getMessage());
        assertEquals(4, e.needed());
        assertEquals(3, e.allowed());
        assertEquals("nsg", e.profile());
        assertEquals("", w.toString());
    }

    @Test
    void edlMergesOrRefuses() throws IOException {
        List<String> warnings = new ArrayList<>();
        String out = Samples.render("edl", tenPrefixes(), RenderOptions.builder()
                .fit(FitProfile.edl().withMaxEntries(5)).build(), warnings);
        assertEquals("10.0.0.0/21\n10.0.8.0/23\n13.69.112.0/28\n2001:db8::/47\n", out);
        assertEquals(List.of("fit edl: 13 entries do not fit in 5; merged adjacent and overlapping prefixes"
                + " (as --aggregate does): 4 entries"), warnings);
        LimitExceededException e = assertThrows(LimitExceededException.class, () -> Renderers.render("edl",
                tenPrefixes(), RenderOptions.builder().fit(FitProfile.edl().withMaxEntries(3)).build(),
                new StringWriter(), new ArrayList<>()));
        assertEquals("edl: 4 entries are needed even after merging adjacent prefixes, but the edl profile allows 3"
                + " in one list", e.getMessage());
    }

    @Test
    void ipGroupsAreSplitAndNamedStably() throws IOException {
        List<String> warnings = new ArrayList<>();
        RenderOptions o = RenderOptions.builder().fit(FitProfile.ipGroups().withMaxEntries(4)).build();
        String out = Samples.render("ipgroups", tenPrefixes(), o, warnings);
        List<String> names = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(out)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.FIELD_NAME && p.currentName().equals("name")) {
                    p.nextToken();
                    names.add(p.getText());
                }
            }
        }
        assertEquals(List.of("st-backend.p-1", "st-backend.p-2", "st-backend.p-3", "st-Sql.WestEurope"), names);
        assertTrue(out.contains("\"servicetags-part\" : \"3/3\""), out);
        assertEquals(List.of("ipgroups: 1 rule has IPv6 prefixes, which IP Groups do not hold; they are left out"
                + " (use --format nsg or json for them)",
                "fit ipgroups: backend: 10 addresses split into 3 IP Groups of at most 4"), warnings);
    }

    @Test
    void fitForAnotherFormatIsReported() {
        List<String> warnings = new ArrayList<>();
        Samples.render("nft", tenPrefixes(), RenderOptions.builder().fit(FitProfile.nsg()).build(), warnings);
        assertEquals(List.of("fit nsg applies to --format nsg only; nft output is not split",
                INBOUND.replace("FORMAT", "nft")), warnings);
        warnings.clear();
        Samples.render("nsg", tenPrefixes(), RenderOptions.builder().fit(FitProfile.windows()).build(), warnings);
        assertEquals("fit windows applies to --format powershell only; nsg output is not split", warnings.get(0));
    }

    /** Rule name to its destination prefixes (or tag), in output order. */
    static Map<String, List<String>> nsgDestinations(String json) throws IOException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        try (JsonParser p = new JsonFactory().createParser(json)) {
            String name = null;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t != JsonToken.FIELD_NAME) {
                    continue;
                }
                String field = p.currentName();
                if (field.equals("name")) {
                    p.nextToken();
                    name = p.getText();
                    out.put(name, new ArrayList<>());
                } else if (field.equals("destinationAddressPrefix")) {
                    p.nextToken();
                    out.get(name).add(p.getText());
                } else if (field.equals("destinationAddressPrefixes")) {
                    p.nextToken();
                    while (p.nextToken() == JsonToken.VALUE_STRING) {
                        out.get(name).add(p.getText());
                    }
                }
            }
        }
        return out;
    }
}
