package io.github.servicetags.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.servicetags.InvalidServiceTagsException;
import io.github.servicetags.IpFamily;
import io.github.servicetags.IpPrefix;
import io.github.servicetags.RealData;
import io.github.servicetags.ServiceTag;
import io.github.servicetags.ServiceTags;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tag dependencies: the bundled entries, {@code withDependencies} expansion of the four products on the real
 * file, hand-made data for the corner cases, and one test per broken dependency entry.
 */
class DependencyTest {
    private static final Catalog CATALOG = Catalog.bundled();
    private static final String BACKUP_DOC =
            "https://github.com/MicrosoftDocs/azure-docs/blob/main/includes/backup-network-connectivity.md";
    private static final String KEY_VAULT_DOC =
            "https://learn.microsoft.com/en-us/azure/key-vault/general/access-behind-firewall";
    private static final ExpandOptions WITH = ExpandOptions.builder().withDependencies().build();

    @Test
    void bundledDependenciesNameTheirDocuments() {
        assertEquals(List.of("AzureBackup -> Storage.<region>, AzureActiveDirectory",
                "AzureKeyVault -> AzureActiveDirectory"), CATALOG.dependencies().stream().map(Object::toString).toList());
        Dependency backup = CATALOG.dependency("AzureBackup").orElseThrow();
        assertEquals(BACKUP_DOC, backup.source());
        assertTrue(backup.keepsFlowPorts());
        assertTrue(backup.appliesTo("AzureBackup.WestEurope"));
        assertFalse(backup.appliesTo("AzureBackupX"));
        assertEquals(KEY_VAULT_DOC, CATALOG.dependency("AzureKeyVault").orElseThrow().source());
        assertTrue(CATALOG.dependency("Storage").isEmpty());
    }

    // ---- the four products on the real file ------------------------------------------------------------------

    private static final String[] REGIONS = {"", "westeurope", "germanywestcentral", "eastus2", "australiacentral",
        "brazilsouth"};

    static Stream<Arguments> productsAndRegions() {
        List<Arguments> all = new ArrayList<>();
        for (String product : CATALOG.productIds()) {
            for (String region : REGIONS) {
                all.add(Arguments.of(product, region, false));
                all.add(Arguments.of(product, region, true));
            }
        }
        return all.stream();
    }

    /**
     * The product without the flows to tags that a dependency of another flow supplies (MARS without Storage and
     * AzureActiveDirectory, the Veeam appliance without AzureActiveDirectory), so that the expansion must add them.
     */
    static Catalog stripped(String productId) {
        Product p = CATALOG.product(productId);
        Set<String> supplied = new java.util.HashSet<>();
        for (Flow f : p.flows()) {
            if (f.to().kind() == Destination.Kind.TAG) {
                CATALOG.dependencies().stream().filter(d -> d.tag().equals(f.to().service()))
                        .forEach(d -> d.requires().forEach(r -> supplied.add(service(r))));
            }
        }
        List<Flow> kept = p.flows().stream()
                .filter(f -> f.to().kind() != Destination.Kind.TAG || !supplied.contains(f.to().service())).toList();
        return new Catalog("t", "stripped", List.of(new Product(p.id(), p.name(), p.source(), p.roles(), kept)),
                CATALOG.dependencies());
    }

    @ParameterizedTest(name = "{0} {1} stripped={2}")
    @MethodSource("productsAndRegions")
    void dependencyExpansionOnTheFourProducts(String product, String region, boolean strip) {
        ServiceTags st = RealData.load("ServiceTags_Public_376.json");
        Catalog catalog = strip ? stripped(product) : CATALOG;
        Expansion without = Expander.expand(st, catalog, product, region, ExpandOptions.defaults());
        Expansion with = Expander.expand(st, catalog, product, region, WITH);
        int n = without.rules().size();
        if (!strip) {
            // the bundled products already allow every tag their dependencies need: the flag adds nothing
            assertEquals(without, with);
        } else if (product.equals("azure-backup-mars") || product.equals("veeam-backup-azure")) {
            assertTrue(with.rules().size() > n, with.rules().toString());
        }

        // without the flag nothing changes; with it the product's rules come first, unchanged
        assertTrue(without.rules().stream().noneMatch(Rule::isDependency), without.rules().toString());
        assertEquals(without.rules(), with.rules().subList(0, n));
        assertTrue(with.rules().subList(n, with.rules().size()).stream().allMatch(Rule::isDependency));
        assertTrue(with.warnings().containsAll(without.warnings()));

        for (int i = n; i < with.rules().size(); i++) {
            Rule dep = with.rules().get(i);
            // the prefixes are the required tag's, sorted, both families
            assertEquals(List.copyOf(new TreeSet<>(st.prefixes(dep.to()))), dep.prefixes(), dep.toString());
            assertFalse(dep.prefixes().isEmpty(), dep.toString());
            assertEquals(RuleKind.TAG, dep.kind());
            // marked with the rule that needs it: an earlier rule from the same role whose tag has the dependency
            Rule needing = with.rules().subList(0, i).stream()
                    .filter(r -> r.to().equals(dep.dependencyOf()) && r.from().equals(dep.from())).findFirst()
                    .orElseThrow(() -> new AssertionError("no rule " + dep.dependencyOf() + " before " + dep));
            Dependency d = CATALOG.dependencies().stream().filter(x -> x.appliesTo(needing.to())).findFirst()
                    .orElseThrow();
            assertTrue(d.requires().stream().anyMatch(req -> Dependency.targets(req, service(dep.to()))
                    || req.equals(dep.to())), dep + " is not required by " + d);
            assertEquals(needing.protocol(), dep.protocol());
            assertEquals(needing.ports(), dep.ports());
            assertEquals(needing.optional(), dep.optional());
            assertEquals(d.source(), dep.source());
            assertTrue(dep.purpose().startsWith("Needed by " + needing.to() + ": "), dep.purpose());
            // nothing duplicated: no other rule already allows it
            for (Rule other : with.rules()) {
                if (other != dep) {
                    assertFalse(other.from().equals(dep.from()) && other.to().equals(dep.to())
                            && other.protocol() == dep.protocol() && other.ports().equals(dep.ports()),
                            dep + " duplicates " + other);
                }
            }
        }
        // every need of a dependency is met: by a dependency rule or by a rule the product already has
        for (Rule r : with.rules()) {
            Dependency d = CATALOG.dependencies().stream().filter(x -> x.appliesTo(r.to())).findFirst().orElse(null);
            if (d == null || r.kind() != RuleKind.TAG) {
                continue;
            }
            for (String req : d.requires()) {
                assertTrue(with.rules().stream().anyMatch(o -> o.from().equals(r.from())
                        && service(o.to()).equals(service(req)) && o.protocol() == r.protocol()
                        && o.ports().containsAll(r.ports())), r + " needs " + req + " in " + with.rules());
            }
        }
    }

    private static String service(String tag) {
        String t = tag.endsWith(Destination.REGION_PLACEHOLDER)
                ? tag.substring(0, tag.length() - Destination.REGION_PLACEHOLDER.length()) : tag;
        int dot = t.indexOf('.');
        return dot < 0 ? t : t.substring(0, dot);
    }

    @Test
    void strippedMarsGetsStorageAndEntraIdBackFromTheAzureBackupRule() {
        ServiceTags st = RealData.load("ServiceTags_Public_376.json");
        Expansion e = Expander.expand(st, stripped("azure-backup-mars"), "azure-backup-mars", "West Europe", WITH);
        List<Rule> deps = e.rules().stream().filter(Rule::isDependency).toList();
        // Storage.WestEurope, needed by AzureBackup.WestEurope, is allowed by the global Storage rule added before it
        assertEquals(List.of("mars-agent -> Storage tcp 443 [" + st.prefixes("Storage").size()
                + " prefixes] (dependency of AzureBackup)", "mars-agent -> AzureActiveDirectory tcp 443 ["
                + st.prefixes("AzureActiveDirectory").size() + " prefixes] (dependency of AzureBackup)"),
                deps.stream().map(Object::toString).toList());
        assertEquals(BACKUP_DOC, deps.get(0).source());
        assertFalse(deps.get(0).optional());
    }

    /** A client of Azure Backup in one region only: the real file's regional Storage tag and the global Entra ID. */
    @ParameterizedTest(name = "region \"{0}\"")
    @MethodSource("regions")
    void regionalAzureBackupNeedsTheRegionsStorage(String region) {
        ServiceTags st = RealData.load("ServiceTags_Public_376.json");
        Catalog c = new Catalog("t", "t", List.of(new Product("vm", "VM", URL, List.of("vm"), List.of(new Flow("vm",
                Destination.tag("AzureBackup.<region>"), Protocol.TCP, List.of(PortRange.of(443)), false, "backup",
                URL)))), CATALOG.dependencies());
        Expansion e = Expander.expand(st, c, "vm", region, WITH);
        String backup = e.rules().get(0).to();
        String storage = region.isEmpty() ? "Storage" : st.regionalTag("Storage", st.region(region)).orElseThrow()
                .name();
        assertEquals(List.of(backup, storage, "AzureActiveDirectory"), e.rules().stream().map(Rule::to).toList());
        for (Rule dep : e.rules().subList(1, 3)) {
            assertEquals(backup, dep.dependencyOf());
            assertEquals(List.copyOf(new TreeSet<>(st.prefixes(dep.to()))), dep.prefixes());
            assertEquals("vm", dep.from());
            assertEquals(List.of(PortRange.of(443)), dep.ports());
        }
        Expansion v4 = Expander.expand(st, c, "vm", region, ExpandOptions.builder().withDependencies().ipv4Only()
                .build());
        assertEquals(List.copyOf(new TreeSet<>(st.prefixes(storage, IpFamily.IPV4))), v4.rules().get(1).prefixes());
    }

    static Stream<String> regions() {
        return Stream.of(REGIONS);
    }

    // ---- hand-made data ------------------------------------------------------------------------------------

    private static ServiceTag tag(String name, String region, int regionId, String... prefixes) {
        List<IpPrefix> list = new ArrayList<>();
        for (String p : prefixes) {
            list.add(IpPrefix.parse(p));
        }
        return ServiceTag.builder(name).region(region).regionId(regionId)
                .platform("Azure").systemService(name.split("\\.")[0]).changeNumber(1)
                .prefixes(list).build();
    }

    private static ServiceTags small() {
        return ServiceTags.of("Public", 7, "small", List.of(
                tag("AzureBackup", "", 0, "10.5.0.0/16"),
                tag("AzureBackup.WestEurope", "westeurope", 18, "10.5.1.0/24"),
                tag("AzureBackup.NorthEurope", "northeurope", 17, "10.5.2.0/24"),
                tag("Storage", "", 0, "10.9.0.0/16", "2001:db8:9::/48"),
                tag("Storage.NorthEurope", "northeurope", 17, "10.9.2.0/24"),
                tag("AzureActiveDirectory", "", 0, "10.7.0.0/16"),
                tag("AzureKeyVault", "", 0, "10.8.0.0/16"),
                tag("AzureSiteRecovery", "", 0, "10.6.0.0/16")));
    }

    private static final String URL = "https://example.com/doc";

    /** One product: role {@code a} to each tag, tcp 443 (optional where the tag ends with "?"). */
    private static Catalog catalog(List<Dependency> deps, String... tags) {
        List<Flow> flows = new ArrayList<>();
        for (String t : tags) {
            boolean optional = t.endsWith("?");
            flows.add(new Flow("a", Destination.tag(optional ? t.substring(0, t.length() - 1) : t), Protocol.TCP,
                    List.of(PortRange.of(443)), optional, "to " + t, URL));
        }
        return new Catalog("1", "test", List.of(new Product("p", "P", URL, List.of("a"), flows)), deps);
    }

    private static Dependency dep(String tag, String... requires) {
        return new Dependency(tag, List.of(requires), null, List.of(), "because", URL);
    }

    @Test
    void regionalRequirementFallsBackToTheGlobalTagWithTheUsualWarning() {
        Catalog c = catalog(List.of(dep("AzureBackup", "Storage.<region>", "AzureActiveDirectory")),
                "AzureBackup.<region>");
        Expansion we = Expander.expand(small(), c, "p", "westeurope", WITH);
        assertEquals(List.of("a -> AzureBackup.WestEurope tcp 443 [1 prefix]",
                "a -> Storage tcp 443 [2 prefixes] (dependency of AzureBackup.WestEurope)",
                "a -> AzureActiveDirectory tcp 443 [1 prefix] (dependency of AzureBackup.WestEurope)"),
                we.rules().stream().map(Object::toString).toList());
        assertEquals(List.of("Storage has no tag for region westeurope; its rules use the global tag Storage "
                + "(all regions)", "AzureActiveDirectory has no regional tags; its rules use the global tag "
                + "AzureActiveDirectory (all regions)"), we.warnings());
        Expansion ne = Expander.expand(small(), c, "p", "northeurope", WITH);
        assertEquals("a -> Storage.NorthEurope tcp 443 [1 prefix] (dependency of AzureBackup.NorthEurope)",
                ne.rules().get(1).toString());
        Expansion none = Expander.expand(small(), c, "p", null, WITH);
        assertEquals("a -> Storage tcp 443 [2 prefixes] (dependency of AzureBackup)", none.rules().get(1).toString());
        assertEquals(List.of("no region given: AzureBackup.<region> uses the global tag AzureBackup (all regions); "
                + "give a region to narrow it"), none.warnings());
    }

    @Test
    void dependenciesOfDependenciesAreFollowedAndSharedNeedsAddOneRule() {
        Catalog c = catalog(List.of(dep("AzureSiteRecovery", "AzureKeyVault", "Storage"),
                dep("AzureKeyVault", "AzureActiveDirectory"), dep("AzureBackup", "Storage")),
                "AzureSiteRecovery", "AzureBackup");
        Expansion e = Expander.expand(small(), c, "p", null, WITH);
        assertEquals(List.of("a -> AzureSiteRecovery tcp 443 [1 prefix]", "a -> AzureBackup tcp 443 [1 prefix]",
                "a -> AzureKeyVault tcp 443 [1 prefix] (dependency of AzureSiteRecovery)",
                "a -> Storage tcp 443 [2 prefixes] (dependency of AzureSiteRecovery)",
                "a -> AzureActiveDirectory tcp 443 [1 prefix] (dependency of AzureKeyVault)"),
                e.rules().stream().map(Object::toString).toList());
        assertEquals(List.of(), e.warnings());
    }

    @Test
    void dependencyWithItsOwnPortsAndCoverage() {
        Dependency udp = new Dependency("AzureBackup", List.of("Storage"), Protocol.UDP,
                List.of(PortRange.parse("3000-3999")), "own ports", URL);
        Expansion e = Expander.expand(small(), catalog(List.of(udp), "AzureBackup"), "p", null, WITH);
        assertEquals("a -> Storage udp 3000-3999 [2 prefixes] (dependency of AzureBackup)",
                e.rules().get(1).toString());
        // a product rule with a wider port range covers the need: nothing added
        Flow wide = new Flow("a", Destination.tag("Storage"), Protocol.TCP, List.of(new PortRange(400, 500)), false,
                "wide", URL);
        Catalog c = new Catalog("1", "t", List.of(new Product("p", "P", URL, List.of("a"), List.of(
                new Flow("a", Destination.tag("AzureBackup"), Protocol.TCP, List.of(PortRange.of(443)), false, "b",
                        URL), wide))), List.of(dep("AzureBackup", "Storage")));
        assertEquals(2, Expander.expand(small(), c, "p", null, WITH).rules().size());
    }

    /**
     * A flow to a concrete regional tag of another region than the expansion's: {@code Storage.<region>} takes the
     * region of the rule that needs it (the tag's own region, by its {@code regionId}), with or without a region.
     */
    @Test
    void aConcreteRegionalTagPassesItsOwnRegionToTheRequirement() {
        Catalog c = catalog(List.of(dep("AzureBackup", "Storage.<region>")), "AzureBackup.NorthEurope");
        for (String region : new String[] {"westeurope", "northeurope", null}) {
            Expansion e = Expander.expand(small(), c, "p", region, WITH);
            assertEquals(List.of("a -> AzureBackup.NorthEurope tcp 443 [1 prefix]",
                    "a -> Storage.NorthEurope tcp 443 [1 prefix] (dependency of AzureBackup.NorthEurope)"),
                    e.rules().stream().map(Object::toString).toList(), "region " + region);
            assertEquals(List.of(), e.warnings(), "region " + region);
        }
        // the region's own regional tag, named concretely, is in that region too
        Catalog we = catalog(List.of(dep("AzureBackup", "Storage.<region>")), "AzureBackup.WestEurope");
        Expansion e = Expander.expand(small(), we, "p", "northeurope", WITH);
        assertEquals("a -> Storage tcp 443 [2 prefixes] (dependency of AzureBackup.WestEurope)",
                e.rules().get(1).toString());
        assertEquals(List.of("Storage has no tag for region westeurope; its rules use the global tag Storage "
                + "(all regions)"), e.warnings());
    }

    /** An entry for a regional tag is more specific than its service's entry and replaces it for that tag. */
    @Test
    void theEntryOfTheRegionalTagWinsOverItsServicesEntry() {
        List<Dependency> deps = List.of(dep("AzureBackup", "Storage.<region>"),
                dep("AzureBackup.WestEurope", "AzureKeyVault"));
        for (List<Dependency> order : List.of(deps, List.of(deps.get(1), deps.get(0)))) {
            Catalog c = catalog(order, "AzureBackup.<region>");
            assertEquals(List.of("a -> AzureBackup.WestEurope tcp 443 [1 prefix]",
                    "a -> AzureKeyVault tcp 443 [1 prefix] (dependency of AzureBackup.WestEurope)"),
                    Expander.expand(small(), c, "p", "westeurope", WITH).rules().stream().map(Object::toString)
                            .toList(), order.toString());
            assertEquals(List.of("a -> AzureBackup.NorthEurope tcp 443 [1 prefix]",
                    "a -> Storage.NorthEurope tcp 443 [1 prefix] (dependency of AzureBackup.NorthEurope)"),
                    Expander.expand(small(), c, "p", "northeurope", WITH).rules().stream().map(Object::toString)
                            .toList(), order.toString());
        }
    }

    /**
     * An earlier rule to the required tag covers the need only with a protocol and ports that cover it: another
     * protocol or one port short adds the rule; protocol {@code any}, or ports split over several ranges, cover it.
     */
    @Test
    void aNeedIsCoveredOnlyByItsProtocolAndEveryPort() {
        Dependency tcp443to445 = new Dependency("AzureBackup", List.of("Storage"), Protocol.TCP,
                List.of(PortRange.parse("443-445")), "smb", URL);
        String added = "a -> Storage tcp 443-445 [2 prefixes] (dependency of AzureBackup)";
        record Case(Protocol protocol, List<PortRange> ports, boolean adds) {}
        for (Case k : List.of(
                new Case(Protocol.UDP, List.of(PortRange.parse("1-65535")), true),
                new Case(Protocol.TCP, List.of(PortRange.parse("443-444")), true),
                new Case(Protocol.TCP, List.of(PortRange.parse("444-445")), true),
                new Case(Protocol.TCP, List.of(PortRange.of(443), PortRange.of(445)), true),
                new Case(Protocol.TCP, List.of(PortRange.parse("443-445")), false),
                new Case(Protocol.TCP, List.of(PortRange.of(445), PortRange.of(443), PortRange.of(444)), false),
                new Case(Protocol.TCP, List.of(PortRange.parse("1-444"), PortRange.parse("445-446")), false),
                new Case(Protocol.ANY, List.of(), false))) {
            Flow storage = new Flow("a", Destination.tag("Storage"), k.protocol(), k.ports(), false, "s", URL);
            Catalog c = new Catalog("1", "t", List.of(new Product("p", "P", URL, List.of("a"), List.of(
                    new Flow("a", Destination.tag("AzureBackup"), Protocol.TCP, List.of(PortRange.of(443)), false,
                            "b", URL), storage))), List.of(tcp443to445));
            List<String> rules = Expander.expand(small(), c, "p", null, WITH).rules().stream()
                    .map(Object::toString).toList();
            assertEquals(k.adds() ? 3 : 2, rules.size(), k + ": " + rules);
            assertEquals(k.adds(), rules.contains(added), k + ": " + rules);
        }
    }

    @Test
    void aNeedMetOnlyByAnOptionalRuleSaysToKeepIt() {
        Catalog c = catalog(List.of(dep("AzureKeyVault", "AzureActiveDirectory")), "AzureKeyVault",
                "AzureActiveDirectory?");
        Expansion e = Expander.expand(small(), c, "p", null, WITH);
        assertEquals(2, e.rules().size());
        assertEquals(List.of("rule 'a -> AzureActiveDirectory tcp 443 [1 prefix] (optional)' is optional, but "
                + "AzureKeyVault needs AzureActiveDirectory: keep it while you keep 'a -> AzureKeyVault tcp 443 "
                + "[1 prefix]'"), e.warnings());
    }

    @Test
    void unknownRequiredTagIsAWarningNotSilence() {
        Expansion e = Expander.expand(small(), catalog(List.of(dep("AzureBackup", "EventHub")), "AzureBackup"),
                "p", null, WITH);
        assertEquals(List.of(), e.rules().get(1).prefixes());
        assertEquals(List.of("tag EventHub is not in the Public service-tag data (changeNumber 7); its rules have no "
                + "prefixes"), e.warnings());
    }

    // ---- the catalog file ------------------------------------------------------------------------------------

    @Test
    void dependenciesWriteAndReadBack() throws IOException {
        Catalog c = catalog(List.of(dep("AzureBackup", "Storage.<region>"), new Dependency("AzureKeyVault",
                List.of("AzureActiveDirectory"), Protocol.TCP, List.of(PortRange.of(443)), "r", URL)), "AzureBackup");
        for (Catalog catalog : List.of(c, CATALOG)) {
            StringWriter out = new StringWriter();
            catalog.writeJson(out);
            Catalog back = Catalog.load(new ByteArrayInputStream(out.toString().getBytes(StandardCharsets.UTF_8)), "w");
            assertEquals(catalog.dependencies(), back.dependencies());
            assertEquals(catalog.products(), back.products());
        }
    }

    @Test
    void catalogBuiltInCodeRefusesCyclesAndDuplicates() {
        List<Product> products = CATALOG.products();
        assertEquals("dependency cycle: A -> B -> C -> A", assertThrows(IllegalArgumentException.class,
                () -> new Catalog("1", "t", products, List.of(dep("A", "B.<region>"), dep("B", "C"), dep("C", "A"))))
                .getMessage());
        assertEquals("duplicate dependency for tag 'A'", assertThrows(IllegalArgumentException.class,
                () -> new Catalog("1", "t", products, List.of(dep("A", "B"), dep("A", "C")))).getMessage());
        assertEquals("'A' cannot require itself ('A.<region>')",
                assertThrows(IllegalArgumentException.class, () -> dep("A", "A.<region>")).getMessage());
        assertEquals("dependency ports need a protocol", assertThrows(IllegalArgumentException.class,
                () -> new Dependency("A", List.of("B"), null, List.of(PortRange.of(1)), "r", URL)).getMessage());
        assertNull(new Rule("a", "b", RuleKind.ROLE, Protocol.TCP, List.of(PortRange.of(1)), List.of(), List.of(),
                false, "p", URL).dependencyOf());
        assertNotNull(assertThrows(IllegalArgumentException.class, () -> new Rule("a", "b", RuleKind.ROLE,
                Protocol.TCP, List.of(PortRange.of(1)), List.of(), List.of(), false, "p", URL, "X")));
    }

    /** A valid catalog (the loader test's) with {@code deps} as its dependencies array. */
    static String withDependencies(String deps) {
        String c = CatalogLoaderTest.catalog(CatalogLoaderTest.FLOW);
        return c.substring(0, c.length() - 1) + ",\"dependencies\":[" + deps + "]}";
    }

    static final String DEP = "{\"tag\":\"AzureBackup\",\"requires\":[\"Storage.<region>\",\"AzureActiveDirectory\"],"
            + "\"reason\":\"r\",\"source\":\"https://example.com/backup\"}";

    @Test
    void validDependenciesLoad() throws IOException {
        Catalog c = CatalogLoaderTest.load(withDependencies(DEP + ",{\"tag\":\"AzureKeyVault\",\"requires\":"
                + "[\"AzureActiveDirectory\"],\"protocol\":\"tcp\",\"ports\":[\"443\"],\"reason\":\"r\",\"source\":"
                + "\"https://example.com/kv\"}"));
        assertEquals(List.of("AzureBackup -> Storage.<region>, AzureActiveDirectory",
                "AzureKeyVault -> AzureActiveDirectory tcp 443"),
                c.dependencies().stream().map(Object::toString).toList());
        assertEquals(List.of(), CatalogLoaderTest.load(CatalogLoaderTest.catalog(CatalogLoaderTest.FLOW))
                .dependencies());
    }

    static Stream<Arguments> brokenDependencies() {
        return Stream.of(
                Arguments.of("unknown key", DEP.replace("\"reason\"", "\"port\":\"443\",\"reason\""),
                        "line 1, column 375 (dependencies[0].port): unknown field 'port'; expected one of tag, "
                                + "requires, protocol, ports, reason, source"),
                Arguments.of("missing source", DEP.replace(",\"source\":\"https://example.com/backup\"", ""),
                        "line 1, column 387 (dependencies[0]): missing field 'source'"),
                Arguments.of("missing requires", DEP.replace("\"requires\":[\"Storage.<region>\",\"AzureActiveDirectory\"],", ""),
                        "line 1, column 370 (dependencies[0]): missing field 'requires'"),
                Arguments.of("empty requires", DEP.replace("[\"Storage.<region>\",\"AzureActiveDirectory\"]", "[]"),
                        "line 1, column 332 (dependencies[0].requires): a dependency needs at least one required tag"),
                Arguments.of("self-dependency", DEP.replace("\"AzureActiveDirectory\"", "\"AzureBackup.<region>\""),
                        "line 1, column 351 (dependencies[0].requires[1]): 'AzureBackup' cannot require itself"),
                Arguments.of("cycle", DEP.replace("\"AzureActiveDirectory\"", "\"AzureKeyVault\"")
                        + ",{\"tag\":\"AzureKeyVault\",\"requires\":[\"AzureBackup\"],\"reason\":\"r\",\"source\":\""
                        + URL + "\"}",
                        "line 1, column 351 (dependencies[0].requires[1]): dependency cycle: AzureBackup -> "
                                + "AzureKeyVault -> AzureBackup"),
                Arguments.of("duplicate tag", DEP + "," + DEP,
                        "line 1, column 434 (dependencies[1].tag): duplicate dependency for tag 'AzureBackup' (also "
                                + "in dependencies[0]); list all its required tags in one entry"),
                Arguments.of("duplicate requirement", DEP.replace("\"AzureActiveDirectory\"", "\"Storage.<region>\""),
                        "line 1, column 351 (dependencies[0].requires[1]): duplicate required tag 'Storage.<region>'"),
                Arguments.of("regional tag", DEP.replace("\"tag\":\"AzureBackup\"", "\"tag\":\"AzureBackup.<region>\""),
                        "line 1, column 306 (dependencies[0].tag): invalid tag 'AzureBackup.<region>'; name the "
                                + "service without a region, like \"AzureBackup\": the dependency applies to its "
                                + "regional tags too"),
                Arguments.of("hostile tag", DEP.replace("\"tag\":\"AzureBackup\"", "\"tag\":\"a;b\""),
                        "line 1, column 306 (dependencies[0].tag): invalid tag name 'a;b'; expected a service tag "
                                + "like \"AzureBackup\""),
                Arguments.of("VirtualNetwork required", DEP.replace("\"AzureActiveDirectory\"", "\"VirtualNetwork\""),
                        "line 1, column 351 (dependencies[0].requires[1]): VirtualNetwork is your own network and "
                                + "cannot be required"),
                Arguments.of("ports without protocol", DEP.replace("\"reason\"", "\"ports\":[\"443\"],\"reason\""),
                        "line 1, column 375 (dependencies[0].ports): 'ports' needs 'protocol' beside it; without "
                                + "both, the extra rules keep the protocol and ports of the rule that needs the tag"),
                Arguments.of("tcp without ports", DEP.replace("\"reason\"", "\"protocol\":\"tcp\",\"reason\""),
                        "line 1, column 386 (dependencies[0].protocol): a tcp dependency needs at least one port"),
                Arguments.of("icmp with ports", DEP.replace("\"reason\"", "\"protocol\":\"icmp\",\"ports\":[\"1\"],\"reason\""),
                        "line 1, column 393 (dependencies[0].ports): a icmp dependency takes no ports; use []"),
                Arguments.of("http source", DEP.replace("https://example.com/backup", "http://example.com/backup"),
                        "line 1, column 397 (dependencies[0].source): invalid source URL 'http://example.com/backup'; "
                                + "expected an https:// URL"),
                Arguments.of("not an array", "", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenDependencies")
    void brokenDependencyIsRefusedWithItsLocation(String name, String deps, String message) {
        String json = message == null
                ? withDependencies("").replace("\"dependencies\":[]", "\"dependencies\":{}")
                : withDependencies(deps);
        InvalidServiceTagsException e = assertThrows(InvalidServiceTagsException.class,
                () -> CatalogLoaderTest.load(json));
        assertEquals("test.json: " + (message == null
                ? "line 1, column 298 (dependencies): expected an array of dependencies, found an object" : message),
                e.getMessage());
    }
}
