package io.github.servicetags.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.servicetags.RealData;
import io.github.servicetags.ServiceTags;
import io.github.servicetags.catalog.Catalog;
import io.github.servicetags.catalog.ExpandOptions;
import io.github.servicetags.catalog.Expander;
import io.github.servicetags.catalog.Expansion;
import io.github.servicetags.catalog.Product;
import io.github.servicetags.catalog.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@link RuleDiff} on 353 -> 376 for every product, without a region and in three regions, against the difference
 * of the two expansions computed here with strings: rule identity as one text key, prefixes as sorted text.
 */
class RuleDiffRealDataTest {
    static final String[] REGIONS = {null, "westeurope", "eastus", "germanywestcentral"};

    /** "from|to|protocol|ports" -> the rule's prefixes as text. */
    static Map<String, TreeSet<String>> keyed(Expansion e) {
        Map<String, TreeSet<String>> m = new TreeMap<>();
        for (Rule r : e.rules()) {
            TreeSet<String> s = m.computeIfAbsent(r.from() + "|" + r.to() + "|" + r.protocol() + "|" + r.ports(),
                    k -> new TreeSet<>());
            r.prefixes().forEach(p -> s.add(p.toString()));
        }
        return m;
    }

    @Test
    void theRuleDiffIsTheDifferenceOfTheTwoExpansions() {
        ServiceTags a = RealData.load(RealData.FILES.get(0));
        ServiceTags b = RealData.load(RealData.FILES.get(1));
        Catalog catalog = Catalog.bundled();
        int changedRules = 0;
        for (Product p : catalog.products()) {
            for (String region : REGIONS) {
                for (boolean deps : new boolean[] {false, true}) {
                    ExpandOptions o = ExpandOptions.builder().withDependencies(deps).build();
                    Expansion ea = Expander.expand(a, catalog, p.id(), region, o);
                    Expansion eb = Expander.expand(b, catalog, p.id(), region, o);
                    Map<String, TreeSet<String>> ka = keyed(ea);
                    Map<String, TreeSet<String>> kb = keyed(eb);
                    Map<String, List<String>> expected = new TreeMap<>();
                    TreeSet<String> keys = new TreeSet<>(ka.keySet());
                    keys.addAll(kb.keySet());
                    for (String k : keys) {
                        TreeSet<String> added = new TreeSet<>(kb.getOrDefault(k, new TreeSet<>()));
                        added.removeAll(ka.getOrDefault(k, new TreeSet<>()));
                        TreeSet<String> removed = new TreeSet<>(ka.getOrDefault(k, new TreeSet<>()));
                        removed.removeAll(kb.getOrDefault(k, new TreeSet<>()));
                        String change = !ka.containsKey(k) ? "added" : !kb.containsKey(k) ? "removed" : "changed";
                        if (!ka.containsKey(k) || !kb.containsKey(k) || !added.isEmpty() || !removed.isEmpty()) {
                            expected.put(k, List.of(change, "+" + added, "-" + removed));
                        }
                    }
                    RuleDiff d = RuleDiff.between(ea, eb);
                    Map<String, List<String>> actual = new TreeMap<>();
                    for (RuleDiff.RuleChange c : d.changes()) {
                        TreeSet<String> added = new TreeSet<>();
                        c.added().forEach(x -> added.add(x.toString()));
                        TreeSet<String> removed = new TreeSet<>();
                        c.removed().forEach(x -> removed.add(x.toString()));
                        actual.put(c.from() + "|" + c.to() + "|" + c.protocol() + "|" + c.ports(), List.of(
                                c.change().name().toLowerCase(java.util.Locale.ROOT), "+" + added, "-" + removed));
                    }
                    assertEquals(expected, actual, p.id() + " " + region + " deps=" + deps);
                    assertEquals(expected.size(), d.changes().size(), "one change per rule");
                    assertEquals(d.isEmpty(), expected.isEmpty());
                    changedRules += expected.size();
                    assertTrue(RuleDiff.between(eb, eb).isEmpty());
                }
            }
        }
        assertTrue(changedRules > 20, "353 -> 376 changes many rules, got " + changedRules);
    }

    @Test
    void theTextFormHasAHeaderPerRuleAndALinePerPrefix() {
        ServiceTags a = RealData.load(RealData.FILES.get(0));
        ServiceTags b = RealData.load(RealData.FILES.get(1));
        Catalog catalog = Catalog.bundled();
        RuleDiff d = RuleDiff.between(
                Expander.expand(a, catalog, "veeam-backup-azure", "westeurope", ExpandOptions.defaults()),
                Expander.expand(b, catalog, "veeam-backup-azure", "westeurope", ExpandOptions.defaults()));
        List<String> expected = new ArrayList<>();
        expected.add("# veeam-backup-azure westeurope, Public changeNumber 353 -> 376");
        expected.add("# " + d.changes().size() + " rules changed, " + d.prefixesAdded() + " prefixes added, "
                + d.prefixesRemoved() + " removed");
        for (RuleDiff.RuleChange c : d.changes()) {
            expected.add("# " + c.rule());
            c.added().forEach(p -> expected.add("+" + p));
            c.removed().forEach(p -> expected.add("-" + p));
        }
        assertEquals(String.join("\n", expected) + "\n", d.toText());
        assertTrue(d.toText().contains("# worker -> Sql.WestEurope tcp 1433,11000-11999\n"), d.toText());
    }

    @Test
    void expansionsOfTwoCloudsAreRefused() {
        Expansion pub = new Expansion("p", "", "Public", 1, List.of(), List.of());
        Expansion china = new Expansion("p", "", "AzureChina", 2, List.of(), List.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RuleDiff.between(pub, china));
        assertEquals("OLD is a file of cloud Public and NEW of cloud AzureChina: a product diff compares two "
                + "versions of one cloud's file", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RuleDiff.between(pub,
                new Expansion("q", "", "Public", 2, List.of(), List.of())));
        assertEquals(List.of(), RuleDiff.between(pub, pub).changes());
    }
}
