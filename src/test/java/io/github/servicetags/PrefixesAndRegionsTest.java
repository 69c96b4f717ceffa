package io.github.servicetags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.servicetags.testing.AddressSpace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Tag to prefixes (as in the file, and aggregated) and the region join, on both real files. */
class PrefixesAndRegionsTest {
    static final List<String> FILES = RealData.FILES;

    /** The file's own prefix text per tag, read by a separate minimal token walk. */
    static Map<String, List<String>> prefixesInFile(String file) throws Exception {
        Map<String, List<String>> out = new LinkedHashMap<>();
        try (JsonParser p = new JsonFactory().createParser(RealData.file(file).toFile())) {
            String name = null;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.FIELD_NAME && "name".equals(p.currentName()) && p.getParsingContext().getParent()
                        .inArray()) {
                    p.nextToken();
                    name = p.getText();
                } else if (t == JsonToken.FIELD_NAME && "addressPrefixes".equals(p.currentName())) {
                    p.nextToken();
                    List<String> list = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        list.add(p.getText());
                    }
                    out.put(name, list);
                }
            }
        }
        return out;
    }

    @ParameterizedTest
    @FieldSource("FILES")
    void prefixesOfEveryTagEqualTheFile(String file) throws Exception {
        ServiceTags st = RealData.load(file);
        Map<String, List<String>> want = prefixesInFile(file);
        assertEquals(List.copyOf(want.keySet()), st.tags().stream().map(ServiceTag::name).toList(), "tag names");
        for (Map.Entry<String, List<String>> e : want.entrySet()) {
            assertEquals(e.getValue(), st.prefixes(e.getKey()).stream().map(IpPrefix::toString).toList(), e.getKey());
            for (IpFamily f : IpFamily.values()) {
                assertEquals(e.getValue().stream().filter(s -> s.contains(":") == (f == IpFamily.IPV6)).toList(),
                        st.prefixes(e.getKey(), f).stream().map(IpPrefix::toString).toList());
            }
        }
    }

    @ParameterizedTest
    @FieldSource("FILES")
    void aggregatedPrefixesCoverTheSameSpaceAndAreFullyMerged(String file) {
        ServiceTags st = RealData.load(file);
        for (ServiceTag t : st.tags()) {
            AddressSpace.assertAggregated(t.prefixes(), st.aggregatedPrefixes(t.name()), t.name());
        }
    }

    @ParameterizedTest
    @FieldSource("FILES")
    void everyRegionalTagResolvesByEverySpelling(String file) {
        ServiceTags st = RealData.load(file);
        int checked = 0;
        for (ServiceTag t : st.tags()) {
            if (!t.isRegional()) {
                continue;
            }
            String suffix = t.name().substring(t.name().indexOf('.') + 1);
            for (String spelling : List.of(t.region(), suffix, suffix.toUpperCase(), suffix.toLowerCase())) {
                Region r = st.region(spelling);
                assertEquals(t.regionId(), r.id(), t.name() + " via " + spelling);
                assertEquals(t, st.regionalTag(t.service(), r).filter(x -> x == t).orElse(t));
                assertTrue(st.tagsInRegion(r).contains(t));
            }
            assertEquals(t.regionId(), st.region(st.region(suffix).displayName()).id());
            assertEquals(t.regionId(), st.region(st.region(suffix).name()).id());
            checked++;
        }
        assertTrue(checked > 1000, "regional tags: " + checked);
    }

    @Test
    void regionSpellingsOfTheDesign() {
        ServiceTags st = RealData.load("ServiceTags_Public_376.json");
        Region gwc = st.region("germanywc");
        assertEquals("germanywestcentral", gwc.name());
        assertEquals("Germany West Central", gwc.displayName());
        for (String s : List.of("germanywestcentral", "Germany West Central", "GermanyWestCentral", "GERMANYWC",
                "germany-west-central")) {
            assertEquals(gwc, st.region(s), s);
        }
        assertEquals("Sql.GermanyWestCentral", st.regionalTag("Sql", gwc).orElseThrow().name());
        assertEquals("ActionGroup.FranceCentral",
                st.regionalTag("ActionGroup", st.region("France Central")).orElseThrow().name());
        assertEquals("centralfrance", st.region("francecentral").internalName());
        // a staging tag shares the regionId: the plain regional tag wins
        assertEquals("Sql.EastUS2", st.regionalTag("Sql", st.region("eastus2")).orElseThrow().name());
        assertEquals("Sql.NorthCentralUS", st.regionalTag("sql", st.region("North Central US")).orElseThrow().name());
        assertEquals("westeurope", st.region("West Europe").name());
        assertFalse(st.hasRegionalTags("AzureActiveDirectory"));
        assertTrue(st.hasRegionalTags("Sql"));
        UnknownNameException e = assertThrows(UnknownNameException.class, () -> st.region("westeuropa"));
        assertEquals("unknown region 'westeuropa'; did you mean westeurope?", e.getMessage());
        assertEquals(List.of("westeurope"), e.suggestions());
        UnknownNameException none = assertThrows(UnknownNameException.class, () -> st.region("atlantis-deep-sea"));
        assertEquals("unknown region 'atlantis-deep-sea'", none.getMessage());
    }
}
