package io.github.servicetags.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.servicetags.IpFamily;
import io.github.servicetags.IpPrefix;
import io.github.servicetags.Region;
import io.github.servicetags.ServiceTag;
import io.github.servicetags.ServiceTags;
import io.github.servicetags.UnknownNameException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Expansion of the bundled catalog on both real service-tag files, and on small hand-made data. */
class ExpanderTest {
    private static final Catalog CATALOG = Catalog.bundled();
    private static final Map<String, ServiceTags> DATA = new ConcurrentHashMap<>();
    private static final String AAD_WARNING =
            "AzureActiveDirectory has no regional tags; its rules use the global tag AzureActiveDirectory (all regions)";

    static Stream<String> files() {
        return Stream.of("ServiceTags_Public_353.json", "ServiceTags_Public_376.json");
    }

    static ServiceTags data(String file) {
        return DATA.computeIfAbsent(file, f -> {
            try {
                return ServiceTags.load(Shared.require("servicetags/" + f));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private static Rule rule(Expansion e, String from, String to) {
        return e.rules().stream().filter(r -> r.from().equals(from) && r.to().equals(to)).findFirst()
                .orElseThrow(() -> new AssertionError("no rule " + from + " -> " + to + " in " + e.rules()));
    }

    private static List<IpPrefix> sorted(List<IpPrefix> prefixes) {
        return List.copyOf(new TreeSet<>(prefixes));
    }

    /**
     * For every region with a {@code Sql.*} tag, the oracle is read from the raw tags: the tag of that regionId
     * whose suffix is the region's name ({@code Sql.EastUS2}, not the staging tag {@code Sql.EastUS2Stage} that
     * shares its regionId).
     */
    @ParameterizedTest
    @MethodSource("files")
    void sqlRegionIsTheRegionsSqlTagInEverySpelling(String file) {
        ServiceTags st = data(file);
        int regions = 0;
        for (Region region : st.regions()) {
            List<ServiceTag> sqlTags = st.tags().stream()
                    .filter(t -> t.name().startsWith("Sql.") && t.regionId() == region.id()).toList();
            if (sqlTags.isEmpty()) {
                continue;
            }
            regions++;
            ServiceTag sql = sqlTags.stream()
                    .filter(t -> t.name().substring(4).toLowerCase(java.util.Locale.ROOT).equals(region.name()))
                    .findFirst().orElseThrow(() -> new AssertionError("no Sql tag named for " + region));
            Set<String> spellings = new LinkedHashSet<>(List.of(region.name(), region.displayName(),
                    sql.name().substring("Sql.".length()), region.name().toUpperCase(java.util.Locale.ROOT)));
            if (!sql.region().isEmpty()) {
                spellings.add(sql.region());
            }
            for (String spelling : spellings) {
                Expansion e = Expander.expand(st, CATALOG, "veeam-backup-azure", spelling, ExpandOptions.defaults());
                assertEquals(region.name(), e.region(), spelling);
                Rule rule = rule(e, "worker", sql.name());
                assertEquals(RuleKind.TAG, rule.kind());
                assertEquals(List.of(PortRange.of(1433), new PortRange(11000, 11999)), rule.ports());
                assertEquals(sorted(sql.prefixes()), rule.prefixes(), sql.name() + " via " + spelling);
                assertEquals(new TreeSet<>(st.prefixes(sql.name())), new TreeSet<>(rule.prefixes()));
                assertTrue(e.warnings().stream().noneMatch(w -> w.contains("Sql")), e.warnings().toString());
            }
        }
        assertTrue(regions >= 60, "regions with a Sql tag in " + file + ": " + regions);
    }

    @ParameterizedTest
    @MethodSource("files")
    void azureActiveDirectoryFallsBackToTheGlobalTagWithAWarning(String file) throws IOException {
        ServiceTags st = data(file);
        List<IpPrefix> aad = sorted(st.tag("AzureActiveDirectory").orElseThrow().prefixes());
        Expansion e = Expander.expand(st, CATALOG, "azure-backup-mars", "westeurope", ExpandOptions.defaults());
        assertEquals(List.of(AAD_WARNING), e.warnings());
        assertEquals(aad, rule(e, "mars-agent", "AzureActiveDirectory").prefixes());
        assertEquals(sorted(st.tag("AzureBackup.WestEurope").map(ServiceTag::prefixes).orElse(List.of())).isEmpty(),
                false, "the data has AzureBackup.WestEurope");
        // written regionally in a catalog of one's own: same fallback, same warning
        Catalog regional = CatalogLoaderTest.load(CatalogLoaderTest.catalog(CatalogLoaderTest.FLOW.replace(
                "{\"role\":\"b\"}", "{\"tag\":\"AzureActiveDirectory.<region>\"}")));
        Expansion r = Expander.expand(st, regional, "p", "West Europe", ExpandOptions.defaults());
        assertEquals(List.of(AAD_WARNING), r.warnings());
        assertEquals(aad, rule(r, "a", "AzureActiveDirectory").prefixes());
        // without a region there is nothing to fall back from; the vault's regional tag becomes the global one
        assertEquals(List.of("no region given: AzureBackup.<region> uses the global tag AzureBackup (all regions); "
                + "give a region to narrow it"), Expander.expand(st, CATALOG, "azure-backup-mars", null,
                ExpandOptions.defaults()).warnings());
        assertEquals(sorted(st.prefixes("AzureBackup.WestEurope")), rule(e, "mars-agent", "AzureBackup.WestEurope")
                .prefixes());
    }

    @ParameterizedTest
    @MethodSource("files")
    void everyProductExpandsAndEveryTagOfTheCatalogExists(String file) {
        ServiceTags st = data(file);
        for (Product p : CATALOG.products()) {
            Expansion e = Expander.expand(st, CATALOG, p.id(), "westeurope", ExpandOptions.defaults());
            assertEquals(p.flows().size(), e.rules().size());
            assertEquals("Public", e.cloud());
            assertEquals(st.changeNumber(), e.changeNumber());
            for (String w : e.warnings()) {
                assertFalse(w.contains("is not in the") || w.contains("has no prefixes"), p.id() + ": " + w);
            }
            for (Rule r : e.rules()) {
                if (r.kind() == RuleKind.TAG && !r.to().equals("VirtualNetwork")) {
                    assertEquals(sorted(st.prefixes(r.to())), r.prefixes(), r.toString());
                    assertFalse(r.prefixes().isEmpty(), r.toString());
                }
            }
        }
    }

    /** Inbound rules need the from-role's addresses: every rule carries them, of the expansion's family only. */
    @ParameterizedTest
    @MethodSource("files")
    void fromPrefixesAreTheFromRolesBindOfTheFamily(String file) {
        ServiceTags st = data(file);
        List<IpPrefix> both = List.of(IpPrefix.parse("10.1.0.0/24"), IpPrefix.parse("2001:db8::/32"));
        for (IpFamily family : new IpFamily[] {null, IpFamily.IPV4, IpFamily.IPV6}) {
            ExpandOptions.Builder b = ExpandOptions.builder().bind("worker=2001:db8::/32,10.1.0.0/24");
            if (family != null) {
                b.family(family);
            }
            Expansion e = Expander.expand(st, CATALOG, "veeam-backup-azure", "westeurope", b.build());
            List<IpPrefix> expected = both.stream().filter(p -> family == null || p.family() == family).toList();
            int fromWorker = 0;
            for (Rule r : e.rules()) {
                if (r.from().equals("worker")) {
                    fromWorker++;
                    assertEquals(expected, r.fromPrefixes(), r.toString());
                } else {
                    assertEquals(List.of(), r.fromPrefixes(), "unbound from-role: " + r);
                }
            }
            assertTrue(fromWorker > 0, "the product has worker rules");
        }
    }

    @ParameterizedTest
    @MethodSource("files")
    void familyFilterKeepsOnlyThatFamily(String file) {
        ServiceTags st = data(file);
        for (IpFamily family : IpFamily.values()) {
            ExpandOptions o = ExpandOptions.builder().family(family).bind("worker=10.1.0.0/24,2001:db8::/32").build();
            Expansion e = Expander.expand(st, CATALOG, "veeam-backup-azure", "westeurope", o);
            for (Rule r : e.rules()) {
                assertTrue(r.prefixes().stream().allMatch(p -> p.family() == family), r.toString());
                if (r.kind() == RuleKind.TAG && !r.to().equals("VirtualNetwork")) {
                    assertEquals(sorted(st.prefixes(r.to(), family)), r.prefixes(), r.toString());
                }
            }
            assertEquals(List.of(IpPrefix.parse(family == IpFamily.IPV4 ? "10.1.0.0/24" : "2001:db8::/32")),
                    rule(e, "browser", "worker").prefixes());
        }
    }

    @ParameterizedTest
    @MethodSource("files")
    void bindsGiveRolesHostsAndVirtualNetworkTheirPrefixes(String file) {
        ServiceTags st = data(file);
        ExpandOptions o = ExpandOptions.builder()
                .bind("worker=10.1.0.0/24")
                .bind("worker=2001:db8::/32")
                .bind("appliance=10.0.0.4")
                .bind("backup-server=192.0.2.10")
                .bind("smtp-server=192.0.2.25,192.0.2.26")
                .bind("veeam-update-repository=198.51.100.0/24")
                .bind("sql-managed-instance=10.2.0.0/27")
                .bind("VirtualNetwork=10.0.0.0/16")
                .build();
        Expansion e = Expander.expand(st, CATALOG, "veeam-backup-azure", "westeurope", o);
        assertEquals(List.of(AAD_WARNING), e.warnings());
        assertEquals(List.of(IpPrefix.parse("10.1.0.0/24"), IpPrefix.parse("2001:db8::/32")),
                rule(e, "browser", "worker").prefixes());
        assertEquals(RuleKind.ROLE, rule(e, "browser", "worker").kind());
        assertEquals(List.of(IpPrefix.parse("10.0.0.4/32")), rule(e, "browser", "appliance").prefixes());
        assertEquals(List.of(IpPrefix.parse("192.0.2.25/32"), IpPrefix.parse("192.0.2.26/32")),
                rule(e, "appliance", "smtp-server").prefixes());
        assertEquals(RuleKind.HOST, rule(e, "appliance", "smtp-server").kind());
        assertEquals(List.of(IpPrefix.parse("10.0.0.0/16")), rule(e, "appliance", "VirtualNetwork").prefixes());
        assertEquals(RuleKind.TAG, rule(e, "appliance", "VirtualNetwork").kind());

        Expansion unbound = Expander.expand(st, CATALOG, "veeam-backup-azure", "westeurope", ExpandOptions.defaults());
        assertEquals(List.of(
                "role appliance is not bound: give --bind appliance=CIDR; its rules have no prefixes",
                "role worker is not bound: give --bind worker=CIDR; its rules have no prefixes",
                "host veeam-update-repository is not bound: give --bind veeam-update-repository=CIDR; its rules have no prefixes",
                "host smtp-server is not bound: give --bind smtp-server=CIDR; its rules have no prefixes",
                AAD_WARNING,
                "VirtualNetwork is your own virtual network and not in the service-tag data: give --bind "
                        + "VirtualNetwork=CIDR; its rules have no prefixes",
                "host sql-managed-instance is not bound: give --bind sql-managed-instance=CIDR; its rules have no prefixes",
                "role backup-server is not bound: give --bind backup-server=CIDR; its rules have no prefixes"),
                unbound.warnings());
        assertEquals(List.of(), rule(unbound, "browser", "worker").prefixes());
    }

    @Test
    void unknownProductRegionOrBindListsTheClosestNames() {
        ServiceTags st = ServiceTags.bundled();
        UnknownNameException p = assertThrows(UnknownNameException.class,
                () -> Expander.expand(st, CATALOG, "entra-conect", "westeurope", ExpandOptions.defaults()));
        assertEquals("unknown product 'entra-conect'; did you mean entra-connect?", p.getMessage());
        UnknownNameException r = assertThrows(UnknownNameException.class,
                () -> Expander.expand(st, CATALOG, "entra-connect", "westeuropa", ExpandOptions.defaults()));
        assertEquals("region", r.kind());
        assertTrue(r.suggestions().contains("westeurope"), r.getMessage());
        UnknownNameException b = assertThrows(UnknownNameException.class, () -> Expander.expand(st, CATALOG,
                "veeam-backup-azure", null, ExpandOptions.builder().bind("wroker=10.0.0.0/8").build()));
        assertEquals("unknown role or host of product 'veeam-backup-azure' in bind 'wroker'; did you mean worker?",
                b.getMessage());
    }

    @Test
    void badBindTextIsRefusedQuotingIt() {
        assertEquals("invalid bind 'worker'; expected ROLE=CIDR, for example worker=10.1.0.0/24",
                assertThrows(IllegalArgumentException.class, () -> ExpandOptions.builder().bind("worker")).getMessage());
        IllegalArgumentException hostBits = assertThrows(IllegalArgumentException.class,
                () -> ExpandOptions.builder().bind("worker=10.1.0.1/24"));
        assertTrue(hostBits.getMessage().startsWith("invalid bind 'worker=10.1.0.1/24': "), hostBits.getMessage());
        assertEquals("IPv4 only and IPv6 only exclude each other", assertThrows(IllegalArgumentException.class,
                () -> ExpandOptions.builder().ipv4Only().ipv6Only()).getMessage());
    }

    // ---- small hand-made data ----------------------------------------------------------------------------

    private static ServiceTag tag(String name, String region, int regionId, String... prefixes) {
        List<IpPrefix> list = new ArrayList<>();
        for (String p : prefixes) {
            list.add(IpPrefix.parse(p));
        }
        String service = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
        return ServiceTag.builder(name).region(region).regionId(regionId)
                .platform("Azure").systemService(service).changeNumber(1)
                .prefixes(list).build();
    }

    private static ServiceTags small(String cloud) {
        return ServiceTags.of(cloud, 7, "small", List.of(
                tag("Sql", "", 0, "10.0.0.0/24", "10.0.1.0/24", "2001:db8::/48"),
                tag("Sql.WestEurope", "westeurope", 18, "10.0.0.0/24"),
                tag("Storage.NorthEurope", "northeurope", 17, "10.9.0.0/16"),
                tag("AzureBackup", "", 0, "10.5.0.0/16"),
                tag("Storage", "", 0, "10.9.0.0/16"),
                tag("AzureActiveDirectory", "", 0),
                tag("AzureCloud", "", 0, "10.0.0.0/8")));
    }

    /**
     * A cloud variant that is a host or {@code VirtualNetwork} can be bound though the flow's own destination is a
     * tag: the bind is accepted in every cloud, and used where the variant applies.
     */
    @Test
    void theHostsOfCloudVariantsCanBeBound() {
        String url = "https://example.com/doc";
        Flow f = new Flow("vm", Destination.tag("Storage"), Protocol.TCP, List.of(PortRange.of(443)), false, "p", url,
                Map.of("AzureChina", Destination.host("mirror"), "AzureGovernment",
                        Destination.tag("VirtualNetwork")));
        Catalog c = new Catalog("1", "t", List.of(new Product("p", "P", url, List.of("vm"), List.of(f))));
        ExpandOptions binds = ExpandOptions.builder().bind("mirror=192.0.2.0/24").bind("VirtualNetwork=10.3.0.0/16")
                .build();
        Expansion pub = Expander.expand(small("Public"), c, "p", null, binds);
        assertEquals(List.of("vm -> Storage tcp 443 [1 prefix]"), pub.rules().stream().map(Object::toString).toList());
        Expansion china = Expander.expand(small("AzureChinaCloud"), c, "p", null, binds);
        assertEquals(RuleKind.HOST, china.rules().get(0).kind());
        assertEquals(List.of(IpPrefix.parse("192.0.2.0/24")), china.rules().get(0).prefixes());
        Expansion gov = Expander.expand(small("AzureGovernment"), c, "p", null, binds);
        assertEquals(List.of(IpPrefix.parse("10.3.0.0/16")), gov.rules().get(0).prefixes());
        assertEquals("VirtualNetwork", gov.rules().get(0).to());
        assertEquals(Set.of("mirror", "VirtualNetwork", "vm"), Expander.bindable(c.product("p")));
        UnknownNameException other = assertThrows(UnknownNameException.class, () -> Expander.expand(small("Public"),
                c, "p", null, ExpandOptions.builder().bind("mirrors=192.0.2.0/24").build()));
        assertEquals("unknown role or host of product 'p' in bind 'mirrors'; did you mean mirror?",
                other.getMessage());
    }

    @Test
    void regionWithoutTheServicesTagFallsBackToTheGlobalTag() {
        ServiceTags st = small("Public");
        Expansion e = Expander.expand(st, CATALOG, "veeam-backup-azure", "northeurope",
                ExpandOptions.builder().bind("worker=10.1.0.0/24").build());
        assertTrue(e.warnings().contains("Sql has no tag for region northeurope; its rules use the global tag Sql "
                + "(all regions)"), e.warnings().toString());
        assertEquals(List.of(IpPrefix.parse("10.0.0.0/24"), IpPrefix.parse("10.0.1.0/24"),
                IpPrefix.parse("2001:db8::/48")), rule(e, "worker", "Sql").prefixes());
        Expansion none = Expander.expand(st, CATALOG, "veeam-backup-azure", "", ExpandOptions.defaults());
        assertTrue(none.warnings().contains("no region given: Sql.<region> uses the global tag Sql (all regions); "
                + "give a region to narrow it"), none.warnings().toString());
        assertEquals("", none.region());
    }

    @Test
    void unknownAndEmptyTagsGiveWarningsNotSilence() {
        ServiceTags st = small("Public");
        Expansion e = Expander.expand(st, CATALOG, "veeam-backup-azure", "westeurope", ExpandOptions.defaults());
        assertTrue(e.warnings().contains("tag AzureKeyVault is not in the Public service-tag data (changeNumber 7); "
                + "its rules have no prefixes"), e.warnings().toString());
        assertTrue(e.warnings().contains("tag AzureActiveDirectory has no prefixes in the Public service-tag data "
                + "(changeNumber 7); its rules have no prefixes"), e.warnings().toString());
        assertEquals(List.of(), rule(e, "appliance", "AzureKeyVault").prefixes());
        Expansion v6 = Expander.expand(st, CATALOG, "azure-backup-mars", null,
                ExpandOptions.builder().ipv6Only().build());
        assertTrue(v6.warnings().contains("tag AzureBackup has no IPv6 prefixes in the Public service-tag data "
                + "(changeNumber 7); its rules have no prefixes"), v6.warnings().toString());
    }

    @Test
    void usGovernmentDataUsesTheGovernmentFqdns() {
        List<String> gov = List.of("www.msftncsi.com", "*.microsoft.com", "*.windowsazure.us", "*.microsoftonline.us",
                "*.windows.net", "*.usgovcloudapi.net", "*.blob.core.windows.net", "*.queue.core.windows.net",
                "*.blob.storage.azure.net");
        Expansion e = Expander.expand(small("AzureGovernment"), CATALOG, "azure-backup-mars", null,
                ExpandOptions.defaults());
        assertEquals("AzureGovernment", e.cloud());
        Rule names = e.rules().stream().filter(r -> r.kind() == RuleKind.FQDN && r.fqdns().size() > 2).findFirst()
                .orElseThrow();
        assertEquals(gov, names.fqdns());
        assertEquals(String.join(",", gov), names.to());
        Expansion pub = Expander.expand(small("Public"), CATALOG, "azure-backup-mars", null, ExpandOptions.defaults());
        assertEquals("*.windowsazure.com", pub.rules().get(3).fqdns().get(1));
        Expansion forced = Expander.expand(small("Public"), CATALOG, "azure-backup-mars", null,
                ExpandOptions.builder().cloud("AzureGovernment").build());
        assertEquals(gov, forced.rules().get(3).fqdns());
        Expansion alias = Expander.expand(small("AzureUSGovernment"), CATALOG, "azure-backup-mars", null,
                ExpandOptions.defaults());
        assertEquals(gov, alias.rules().get(3).fqdns(), "cloud spelled as Azure names it");
        assertTrue(alias.warnings().stream().noneMatch(w -> w.contains("variants")), alias.warnings().toString());
        assertTrue(forced.warnings().contains("the flows use the variants for cloud AzureGovernment but the "
                + "service-tag data is for Public"), forced.warnings().toString());
    }

    @Test
    void expansionIsImmutableAndPrintsASummary() {
        Expansion e = Expander.expand(small("Public"), CATALOG, "azure-backup-mars", null, ExpandOptions.defaults());
        assertThrows(UnsupportedOperationException.class, () -> e.rules().clear());
        assertThrows(UnsupportedOperationException.class, () -> e.warnings().clear());
        assertEquals("azure-backup-mars (Public 7): 6 rules, 2 warnings", e.toString());
        assertEquals("mars-agent -> AzureBackup tcp 443 [1 prefix]", e.rules().get(0).toString());
    }
}
