package io.github.servicetags.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.servicetags.IpFamily;
import io.github.servicetags.IpPrefix;
import io.github.servicetags.RealData;
import io.github.servicetags.Region;
import io.github.servicetags.ServiceTag;
import io.github.servicetags.ServiceTags;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * {@link Explainer} on the real files: every tag flow of every product is found for addresses of the tag that
 * {@link Expander} gives it, addresses outside every tag have no tag flow, and the regional tag of an address is
 * resolved from the address itself for {@code Sql.<region>} and {@code Storage.<region>} flows.
 */
class ExplainerRealDataTest {
    static final List<String> FILES = RealData.FILES;
    static final String URL = "https://example.com/doc";

    /** A few addresses of a tag: first and last of some prefixes and a random one inside. */
    static List<String> sample(ServiceTag tag, SplittableRandom r) {
        List<String> out = new ArrayList<>();
        List<IpPrefix> ps = tag.prefixes();
        for (int i = 0; i < Math.min(4, ps.size()); i++) {
            IpPrefix p = ps.get(r.nextInt(ps.size()));
            if (p.family() == IpFamily.IPV4) {
                out.add(v4(p.low()));
                out.add(v4(p.lastLow()));
                out.add(v4(p.low() | (r.nextLong() & (p.lastLow() - p.low()))));
            } else {
                out.add(IpPrefix.ofIPv6(p.high(), p.low(), 128).toString().replace("/128", ""));
                out.add(IpPrefix.ofIPv6(p.lastHigh(), p.lastLow(), 128).toString().replace("/128", ""));
            }
        }
        return out;
    }

    static String v4(long a) {
        return IpPrefix.ofIPv4((int) a, 32).toString().replace("/32", "");
    }

    static boolean found(Explanation e, String product, Flow f, String to) {
        for (FlowMatch m : e.flows()) {
            if (m.product().equals(product) && m.from().equals(f.from()) && m.to().equals(to)
                    && m.protocol() == f.protocol() && m.ports().equals(f.ports()) && m.kind() == RuleKind.TAG) {
                return true;
            }
        }
        return false;
    }

    @ParameterizedTest
    @FieldSource("FILES")
    void everyTagFlowOfEveryProductIsFoundForAddressesOfItsTag(String file) {
        ServiceTags st = RealData.load(file);
        Catalog catalog = Catalog.bundled();
        SplittableRandom r = new SplittableRandom(7);
        int checked = 0;
        for (Product p : catalog.products()) {
            for (String region : new String[] {null, "westeurope", "eastus", "germanywestcentral"}) {
                Expansion e = Expander.expand(st, catalog, p.id(), region, ExpandOptions.defaults());
                ExplainOptions o = ExplainOptions.builder().product(p.id()).region(region).build();
                for (int i = 0; i < p.flows().size(); i++) {
                    Flow f = p.flows().get(i);
                    Rule rule = e.rules().get(i);
                    if (rule.kind() != RuleKind.TAG || rule.to().equals(Destination.VIRTUAL_NETWORK)
                            || st.tag(rule.to()).isEmpty()) {
                        continue;
                    }
                    for (String ip : sample(st.require(rule.to()), r)) {
                        Explanation x = Explainer.explain(st, catalog, ip, o);
                        if (region == null && f.to().isRegional()) {
                            // without a region the address's own regional tag counts: some regional tag of the
                            // service, or the global one when none holds the address
                            assertTrue(x.flows().stream().anyMatch(m -> m.from().equals(f.from())
                                    && (m.to().equals(rule.to()) || m.to().startsWith(f.to().service() + "."))),
                                    () -> p.id() + " " + f + " " + ip + " " + x);
                        } else {
                            assertTrue(found(x, p.id(), f, rule.to()), () -> p.id() + " " + region + " " + f + " "
                                    + ip + " " + x);
                        }
                        checked++;
                    }
                }
            }
        }
        assertTrue(checked > 200, "only " + checked + " checks");
    }

    @ParameterizedTest
    @FieldSource("FILES")
    void addressesOutsideEveryTagHaveNoTagFlow(String file) {
        ServiceTags st = RealData.load(file);
        Catalog catalog = Catalog.bundled();
        SplittableRandom r = new SplittableRandom(3);
        List<String> outside = new ArrayList<>(List.of("8.8.8.8", "1.1.1.1", "192.168.1.1", "10.0.0.1",
                "2001:db8::1", "::ffff:8.8.8.8"));
        while (outside.size() < 200) {
            String ip = v4(r.nextLong() & 0xffffffffL);
            if (st.lookup(ip).isEmpty()) {
                outside.add(ip);
            }
        }
        for (String ip : outside) {
            Explanation x = Explainer.explain(st, catalog, ip, ExplainOptions.defaults());
            assertEquals(List.of(), x.tags(), ip);
            assertEquals(List.of(), x.flows(), ip);
        }
    }

    @ParameterizedTest
    @FieldSource("FILES")
    void theAddressTellsTheRegionOfSqlAndStorageFlows(String file) {
        ServiceTags st = RealData.load(file);
        Catalog c = new Catalog("t", "t", List.of(new Product("p", "P", URL, List.of("vm"), List.of(
                new Flow("vm", Destination.tag("Sql.<region>"), Protocol.TCP, List.of(PortRange.of(1433)), false,
                        "sql", URL),
                new Flow("vm", Destination.tag("Storage.<region>"), Protocol.TCP, List.of(PortRange.of(443)), false,
                        "storage", URL)))));
        SplittableRandom r = new SplittableRandom(5);
        int regions = 0;
        for (Region region : st.regions()) {
            for (String service : new String[] {"Sql", "Storage"}) {
                ServiceTag tag = st.regionalTag(service, region).orElse(null);
                if (tag == null) {
                    continue;
                }
                regions++;
                int port = service.equals("Sql") ? 1433 : 443;
                for (String ip : sample(tag, r)) {
                    Explanation own = Explainer.explain(st, c, ip, ExplainOptions.defaults());
                    assertTrue(own.flows().stream().anyMatch(m -> m.to().equals(tag.name())
                            && m.ports().equals(List.of(PortRange.of(port)))), () -> ip + " " + own);
                    // every match of that flow is a regional tag of the service that contains the address
                    own.flows().stream().filter(m -> m.ports().equals(List.of(PortRange.of(port)))).forEach(m ->
                            assertTrue(st.lookup(ip).contains(m.to()) && m.to().startsWith(service + "."),
                                    () -> ip + " " + m));
                    Explanation same = Explainer.explain(st, c, ip,
                            ExplainOptions.builder().region(region.name()).port(port).build());
                    assertEquals(List.of(tag.name()), same.flows().stream().map(FlowMatch::to).toList(), ip);
                }
                // with another region, this region's addresses match only where that region's tag holds them too
                Region other = st.region(region.name().equals("westeurope") ? "eastus" : "westeurope");
                String otherTag = st.regionalTag(service, other).map(ServiceTag::name).orElse(service);
                for (String ip : sample(tag, r)) {
                    Explanation x = Explainer.explain(st, c, ip,
                            ExplainOptions.builder().region(other.name()).port(port).build());
                    assertEquals(st.lookup(ip).contains(otherTag) ? List.of(otherTag) : List.of(),
                            x.flows().stream().map(FlowMatch::to).toList(), ip);
                }
            }
        }
        assertTrue(regions > 60, "only " + regions + " regional tags");
    }

    @ParameterizedTest
    @FieldSource("FILES")
    void filtersAndBinds(String file) {
        ServiceTags st = RealData.load(file);
        Catalog catalog = Catalog.bundled();
        String sql = v4(st.require("Sql.WestEurope").prefixes(IpFamily.IPV4).get(0).low());
        Explanation all = Explainer.explain(st, catalog, sql,
                ExplainOptions.builder().product("veeam-backup-azure").build());
        assertTrue(all.flows().stream().anyMatch(m -> m.to().equals("Sql.WestEurope") && m.from().equals("worker")),
                all::toString);
        Explanation udp = Explainer.explain(st, catalog, sql, ExplainOptions.builder().product("veeam-backup-azure")
                .protocol(Protocol.UDP).build());
        assertFalse(udp.flows().stream().anyMatch(m -> m.to().equals("Sql.WestEurope")), udp::toString);
        Explanation p11000 = Explainer.explain(st, catalog, sql, ExplainOptions.builder()
                .product("veeam-backup-azure").port(11500).build());
        assertTrue(p11000.flows().stream().anyMatch(m -> m.to().equals("Sql.WestEurope")), p11000::toString);
        Explanation p80 = Explainer.explain(st, catalog, sql, ExplainOptions.builder()
                .product("veeam-backup-azure").port(80).build());
        assertFalse(p80.flows().stream().anyMatch(m -> m.to().equals("Sql.WestEurope")), p80::toString);
        Explanation role = Explainer.explain(st, catalog, "10.1.0.5", ExplainOptions.builder()
                .product("veeam-backup-azure").bind("worker=10.1.0.0/24").bind("appliance=10.1.0.0/28").build());
        assertTrue(role.flows().stream().anyMatch(m -> m.kind() == RuleKind.ROLE && m.to().equals("worker")),
                role::toString);
        Explanation unbound = Explainer.explain(st, catalog, "10.1.0.5", ExplainOptions.builder()
                .product("veeam-backup-azure").build());
        assertEquals(List.of(), unbound.flows());
    }
}
