package io.github.servicetags.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import io.github.servicetags.IpFamily;
import io.github.servicetags.IpPrefix;
import io.github.servicetags.ServiceTags;
import io.github.servicetags.catalog.Expansion;
import io.github.servicetags.catalog.Protocol;
import io.github.servicetags.catalog.Rule;
import io.github.servicetags.catalog.RuleKind;
import io.github.servicetags.internal.Prefixes;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Chunking on the real files with the largest tags (AzureCloud has thousands of prefixes): every chunk within its
 * limit, the union of the chunks equal to the tag's address space, IPv4 and IPv6 never in one NSG rule, the same
 * names on every run; aggregation equal to the IPAddress library's merge.
 */
class RealDataFitTest {
    private static final Map<String, ServiceTags> LOADED = new HashMap<>();

    static Expansion big(ServiceTags st) {
        List<Rule> rules = new ArrayList<>();
        for (String tag : List.of("AzureCloud", "Storage", "AzureActiveDirectory", "Sql.WestEurope")) {
            rules.add(new Rule("worker", tag, RuleKind.TAG, Protocol.TCP, Samples.ports("443"), st.prefixes(tag),
                    List.of(), false, "big", Samples.SRC));
        }
        return new Expansion("fit", "", st.cloud(), st.changeNumber(), rules, List.of());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ServiceTags_Public_376.json", "ServiceTags_Public_353.json"})
    void nsgChunksCoverEachTagExactly(String file) throws IOException {
        ServiceTags st = data(file);
        Expansion e = big(st);
        RenderOptions o = RenderOptions.builder().fit(FitProfile.nsg()).nsgServiceTag(t -> false).build();
        List<String> warnings = new ArrayList<>();
        String out = Samples.render("nsg", e, o, warnings);
        assertEquals(out, Samples.render("nsg", e, o, new ArrayList<>()), "stable across runs");
        Map<String, List<String>> rules = FitTest.nsgDestinations(out);
        assertTrue(rules.size() <= 1000);
        for (Rule r : e.rules()) {
            for (IpFamily f : IpFamily.values()) {
                String family = f == IpFamily.IPV4 ? "-v4" : "-v6";
                List<String> union = new ArrayList<>();
                for (Map.Entry<String, List<String>> rule : rules.entrySet()) {
                    String name = rule.getKey();
                    List<String> prefixes = rule.getValue();
                    assertTrue(prefixes.size() <= 4000, name + ": " + prefixes.size());
                    assertTrue(prefixes.stream().allMatch(p -> p.contains(":"))
                            || prefixes.stream().noneMatch(p -> p.contains(":")), name + " mixes families");
                    if (name.startsWith("worker-" + r.to() + "-tcp-443" + family)) {
                        union.addAll(prefixes);
                    }
                }
                assertEquals(RealDataRealToolsTest.union(r.prefixes(f).stream().map(IpPrefix::toString).toList()),
                        RealDataRealToolsTest.union(union), file + " " + r.to() + family);
            }
        }
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith("fit nsg: worker -> AzureCloud tcp 443: ")),
                warnings::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ServiceTags_Public_376.json", "ServiceTags_Public_353.json"})
    void ipGroupsAndEdlFitOrSaySo(String file) throws IOException {
        ServiceTags st = data(file);
        Expansion e = big(st);
        List<String> warnings = new ArrayList<>();
        String groups = Samples.render("ipgroups", e, RenderOptions.builder().fit(FitProfile.ipGroups()).build(),
                warnings);
        assertEquals(groups, Samples.render("ipgroups", e, RenderOptions.builder().fit(FitProfile.ipGroups())
                .build(), new ArrayList<>()));
        for (String chunk : groups.split("\"ipAddresses\" : \\[")) {
            int n = chunk.indexOf(']') < 0 ? 0 : chunk.substring(0, chunk.indexOf(']')).split(",").length;
            assertTrue(n <= 5000, "IP Group of " + n);
        }
        int azureCloudV4 = st.prefixes("AzureCloud", IpFamily.IPV4).size();
        LimitExceededException ex = assertThrows(LimitExceededException.class, () -> Renderers.render("edl", e,
                RenderOptions.builder().fit(FitProfile.edl().withMaxEntries(100)).build(), new StringWriter(),
                new ArrayList<>()));
        assertTrue(ex.getMessage().startsWith("edl: ") && ex.getMessage().endsWith(
                " entries are needed even after merging adjacent prefixes, but the edl profile allows 100 in one"
                        + " list"), ex.getMessage());
        assertTrue(ex.needed() > 100 && ex.needed() <= azureCloudV4 + st.prefixes("AzureCloud").size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ServiceTags_Public_376.json", "ServiceTags_Public_353.json"})
    void aggregationEqualsTheReferenceOnEveryBigTag(String file) throws IOException {
        ServiceTags st = data(file);
        for (String tag : List.of("AzureCloud", "Storage", "AzureActiveDirectory", "AzureCloud.WestEurope")) {
            if (st.tag(tag).isEmpty()) {
                continue;
            }
            for (IpFamily f : IpFamily.values()) {
                List<IpPrefix> in = st.prefixes(tag, f);
                if (in.isEmpty()) {
                    continue;
                }
                IPAddress[] addrs = in.stream().map(p -> new IPAddressString(p.toString()).getAddress())
                        .toArray(IPAddress[]::new);
                List<String> reference = Arrays.stream(addrs[0].mergeToPrefixBlocks(
                        Arrays.copyOfRange(addrs, 1, addrs.length))).map(IPAddress::toCanonicalString)
                        .map(IpPrefix::parse).sorted().map(IpPrefix::toString).toList();
                assertEquals(reference, Prefixes.aggregate(in, f).stream().map(IpPrefix::toString).toList(),
                        file + " " + tag + " " + f);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ServiceTags_Public_376.json", "ServiceTags_Public_353.json"})
    void nsgTagsFollowTheNetworkFeaturesOfTheFile(String file) throws IOException {
        ServiceTags st = data(file);
        RenderOptions o = RenderOptions.builder().nsgServiceTags(st).build();
        assertTrue(o.nsgServiceTag("Sql.WestEurope"));
        assertTrue(o.nsgServiceTag("AzureActiveDirectory"));
        assertTrue(o.nsgServiceTag("AzureBackup.WestEurope"), "regional tag without features follows its service");
        assertTrue(!o.nsgServiceTag("NoSuchTag.WestEurope"));
        for (var t : st.tags()) {
            if (!t.networkFeatures().isEmpty()) {
                assertEquals(t.networkFeatures().contains("NSG"), o.nsgServiceTag(t.name()), t.name());
            }
        }
    }

    private static synchronized ServiceTags data(String file) throws IOException {
        ServiceTags st = LOADED.get(file);
        if (st != null) {
            return st;
        }
        Path path = Path.of(System.getProperty("servicetags.shared", "../shared"), "servicetags", file);
        if (!Files.isRegularFile(path)) {
            if (Boolean.getBoolean("servicetags.requireRealData")) {
                fail("real data required (servicetags.requireRealData=true) but " + path + " is missing");
            }
            Assumptions.assumeTrue(false, path + " is missing (set -Dservicetags.shared)");
        }
        st = ServiceTags.load(path);
        LOADED.put(file, st);
        return st;
    }
}
