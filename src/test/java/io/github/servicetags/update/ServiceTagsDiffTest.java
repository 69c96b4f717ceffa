package io.github.servicetags.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.servicetags.IpPrefix;
import io.github.servicetags.LoadOptions;
import io.github.servicetags.ServiceTag;
import io.github.servicetags.ServiceTags;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ServiceTagsDiffTest {

    static ServiceTags load(long changeNumber, Map<String, List<String>> tags) throws IOException {
        return ServiceTags.load(new ByteArrayInputStream(TestFiles.file(changeNumber, "Public", tags)
                .getBytes(StandardCharsets.UTF_8)), "test", LoadOptions.defaults());
    }

    static ServiceTags older() throws IOException {
        Map<String, List<String>> t = new LinkedHashMap<>();
        t.put("Same", List.of("10.0.0.0/8"));
        t.put("Gone", List.of("192.0.2.0/24"));
        t.put("Sql", List.of("20.1.0.0/16", "20.2.0.0/16", "2603:1000::/40"));
        return load(10, t);
    }

    static ServiceTags newer() throws IOException {
        Map<String, List<String>> t = new LinkedHashMap<>();
        t.put("Same", List.of("10.0.0.0/8"));
        t.put("Sql", List.of("2603:1000::/40", "20.3.0.0/16", "20.1.0.0/16"));
        t.put("Fresh", List.of("198.51.100.0/24", "2001:db8::/32"));
        return load(11, t);
    }

    @Test
    void separatesAdditionsFromRemovals() throws IOException {
        ServiceTagsDiff d = ServiceTagsDiff.between(older(), newer());
        assertEquals(10, d.oldChangeNumber());
        assertEquals(11, d.newChangeNumber());
        assertEquals(List.of("Fresh"), d.addedTags());
        assertEquals(List.of("Gone"), d.removedTags());
        assertEquals(List.of("Sql"), d.changedTags());
        assertEquals(Map.of("Fresh", List.of(IpPrefix.parse("198.51.100.0/24"), IpPrefix.parse("2001:db8::/32")),
                "Sql", List.of(IpPrefix.parse("20.3.0.0/16"))), d.additions());
        assertEquals(Map.of("Gone", List.of(IpPrefix.parse("192.0.2.0/24")),
                "Sql", List.of(IpPrefix.parse("20.2.0.0/16"))), d.removals());
        assertEquals(3, d.addedPrefixCount());
        assertEquals(2, d.removedPrefixCount());
        assertEquals("changeNumber 10 -> 11: 1 tags added, 1 removed, 1 changed; 3 prefixes added, 2 removed",
                d.summary());
    }

    @Test
    void text() throws IOException {
        assertEquals("# Public changeNumber 10 -> 11\n"
                + "# 1 tags added, 1 removed, 1 changed; 3 prefixes added, 2 removed\n"
                + "# additions: safe to allow now (Microsoft uses new ranges no earlier than one week after publishing"
                + " them)\n"
                + "+tag Fresh\n"
                + "+Fresh 198.51.100.0/24\n"
                + "+Fresh 2001:db8::/32\n"
                + "+Sql 20.3.0.0/16\n"
                + "# removals: apply later, once the new file has been in effect for a week\n"
                + "-tag Gone\n"
                + "-Gone 192.0.2.0/24\n"
                + "-Sql 20.2.0.0/16\n", ServiceTagsDiff.between(older(), newer()).toText());
    }

    @Test
    void json() throws IOException {
        StringWriter w = new StringWriter();
        ServiceTagsDiff.between(older(), newer()).writeJson(w);
        assertEquals("{\"old\":{\"cloud\":\"Public\",\"changeNumber\":10},\"new\":{\"cloud\":\"Public\","
                + "\"changeNumber\":11},\"summary\":{\"tagsAdded\":1,\"tagsRemoved\":1,\"tagsChanged\":1,"
                + "\"prefixesAdded\":3,\"prefixesRemoved\":2},"
                + "\"additionsNote\":\"" + ServiceTagsDiff.ADDITIONS_NOTE + "\","
                + "\"removalsNote\":\"" + ServiceTagsDiff.REMOVALS_NOTE + "\","
                + "\"tags\":[{\"name\":\"Fresh\",\"change\":\"added\",\"added\":[\"198.51.100.0/24\",\"2001:db8::/32\"],"
                + "\"removed\":[]},{\"name\":\"Gone\",\"change\":\"removed\",\"added\":[],\"removed\":[\"192.0.2.0/24\"]},"
                + "{\"name\":\"Sql\",\"change\":\"changed\",\"added\":[\"20.3.0.0/16\"],\"removed\":[\"20.2.0.0/16\"]}]}\n",
                w.toString());
    }

    @Test
    void identicalVersionsHaveNoDifferences() throws IOException {
        ServiceTagsDiff d = ServiceTagsDiff.between(older(), older());
        assertTrue(d.isEmpty());
        assertTrue(d.toText().endsWith("# no differences\n"), d.toText());
    }

    /** The two real downloads in ../shared/servicetags, checked against a brute-force set comparison. */
    @Test
    void realFiles353To376() throws IOException {
        Path shared = Path.of(System.getProperty("servicetags.shared", "../shared"), "servicetags");
        Path a = shared.resolve("ServiceTags_Public_353.json");
        Path b = shared.resolve("ServiceTags_Public_376.json");
        boolean present = Files.isRegularFile(a) && Files.isRegularFile(b);
        if (Boolean.getBoolean("servicetags.requireRealData")) {
            assertTrue(present, "servicetags.requireRealData=true but " + a + " or " + b + " is missing");
        }
        Assumptions.assumeTrue(present, "real data not found in " + shared + " (set -Dservicetags.shared)");

        ServiceTags old = ServiceTags.load(a);
        ServiceTags neu = ServiceTags.load(b);
        ServiceTagsDiff d = ServiceTagsDiff.between(old, neu);
        assertEquals(353, d.oldChangeNumber());
        assertEquals(376, d.newChangeNumber());
        assertFalse(d.isEmpty());

        Set<String> before = pairs(old);
        Set<String> after = pairs(neu);
        Set<String> added = new HashSet<>(after);
        added.removeAll(before);
        Set<String> removed = new HashSet<>(before);
        removed.removeAll(after);
        assertEquals(added, pairs(d.additions()));
        assertEquals(removed, pairs(d.removals()));
        assertEquals(added.size(), d.addedPrefixCount());
        assertEquals(removed.size(), d.removedPrefixCount());

        Set<String> oldNames = names(old);
        Set<String> newNames = names(neu);
        for (String t : d.addedTags()) {
            assertTrue(newNames.contains(t) && !oldNames.contains(t), t);
        }
        for (String t : d.removedTags()) {
            assertTrue(oldNames.contains(t) && !newNames.contains(t), t);
        }
        // The text form carries every change on its own line.
        String text = d.toText();
        long plus = text.lines().filter(l -> l.startsWith("+") && !l.startsWith("+tag ")).count();
        long minus = text.lines().filter(l -> l.startsWith("-") && !l.startsWith("-tag ")).count();
        assertEquals(added.size(), plus);
        assertEquals(removed.size(), minus);
    }

    private static Set<String> pairs(ServiceTags st) {
        Set<String> s = new HashSet<>();
        for (ServiceTag t : st.tags()) {
            for (IpPrefix p : t.prefixes()) {
                s.add(t.name() + " " + p);
            }
        }
        return s;
    }

    private static Set<String> pairs(Map<String, List<IpPrefix>> m) {
        Set<String> s = new HashSet<>();
        m.forEach((t, ps) -> ps.forEach(p -> s.add(t + " " + p)));
        return s;
    }

    private static Set<String> names(ServiceTags st) {
        Set<String> s = new HashSet<>();
        st.tags().forEach(t -> s.add(t.name()));
        return s;
    }
}
