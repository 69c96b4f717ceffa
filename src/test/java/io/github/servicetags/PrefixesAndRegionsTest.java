package io.github.servicetags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.math.BigInteger;
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

    /** Address space of prefixes as merged [start, end] intervals (BigInteger: one code path for both families). */
    static List<BigInteger[]> space(List<IpPrefix> prefixes, IpFamily family) {
        List<BigInteger[]> iv = new ArrayList<>();
        for (IpPrefix p : prefixes) {
            if (p.family() != family) {
                continue;
            }
            BigInteger start = big(p.high(), p.low());
            BigInteger size = BigInteger.ONE.shiftLeft(family.bits() - p.length());
            iv.add(new BigInteger[] {start, start.add(size).subtract(BigInteger.ONE)});
        }
        iv.sort((a, b) -> a[0].compareTo(b[0]));
        List<BigInteger[]> merged = new ArrayList<>();
        for (BigInteger[] x : iv) {
            BigInteger[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && x[0].compareTo(last[1].add(BigInteger.ONE)) <= 0) {
                last[1] = last[1].max(x[1]);
            } else {
                merged.add(x.clone());
            }
        }
        return merged;
    }

    static BigInteger big(long hi, long lo) {
        return new BigInteger(Long.toUnsignedString(hi)).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(lo)));
    }

    /** The minimal CIDR cover of an interval, by the textbook greedy split. */
    static int minimalCount(List<BigInteger[]> intervals, int bits) {
        int n = 0;
        for (BigInteger[] iv : intervals) {
            BigInteger s = iv[0];
            BigInteger end = iv[1].add(BigInteger.ONE);
            while (s.compareTo(end) < 0) {
                int tz = s.signum() == 0 ? bits : s.getLowestSetBit();
                int size = Math.min(tz, end.subtract(s).bitLength() - 1);
                s = s.add(BigInteger.ONE.shiftLeft(size));
                n++;
            }
        }
        return n;
    }

    @ParameterizedTest
    @FieldSource("FILES")
    void aggregatedPrefixesCoverTheSameSpaceAndAreFullyMerged(String file) {
        ServiceTags st = RealData.load(file);
        for (ServiceTag t : st.tags()) {
            List<IpPrefix> agg = st.aggregatedPrefixes(t.name());
            for (IpFamily f : IpFamily.values()) {
                List<BigInteger[]> want = space(t.prefixes(), f);
                List<BigInteger[]> got = space(agg, f);
                assertEquals(want.size(), got.size(), t.name());
                for (int i = 0; i < want.size(); i++) {
                    assertEquals(want.get(i)[0], got.get(i)[0], t.name());
                    assertEquals(want.get(i)[1], got.get(i)[1], t.name());
                }
                long count = agg.stream().filter(p -> p.family() == f).count();
                assertEquals(minimalCount(want, f.bits()), count, "not fully merged: " + t.name());
            }
            for (int i = 1; i < agg.size(); i++) {
                assertTrue(agg.get(i - 1).compareTo(agg.get(i)) < 0, "sorted");
            }
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
