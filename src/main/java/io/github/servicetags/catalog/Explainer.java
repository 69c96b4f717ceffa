package io.github.servicetags.catalog;

import io.github.servicetags.IpFamily;
import io.github.servicetags.IpPrefix;
import io.github.servicetags.Region;
import io.github.servicetags.ServiceTag;
import io.github.servicetags.ServiceTags;
import io.github.servicetags.TagSet;
import io.github.servicetags.UnknownNameException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which flows of the catalog allow traffic to an address: the question after a dropped packet. The inverse of
 * {@link Expander}: for each flow of the chosen products (all by default), in catalog order, whether its destination
 * contains the address (every address of it, for a CIDR prefix), and through which concrete tag.
 *
 * <ul>
 *   <li>a flow to a global tag ({@code Storage}, {@code AzureActiveDirectory}) matches when that tag contains the
 *       address;</li>
 *   <li>a flow to {@code Service.<region>} without a region matches through the regional tag of the address's own
 *       region ({@code Storage.EastUS}: the address tells the region), or the global tag when no regional tag of the
 *       service contains it; with a region, only the tag {@link Expander} would use for that region counts (the
 *       region's tag, or the global tag for a service without one);</li>
 *   <li>role, host, {@code VirtualNetwork} and FQDN flows match only through addresses bound in
 *       {@link ExplainOptions#binds()} (for an FQDN flow, bound to one of its host names);</li>
 *   <li>{@link ExplainOptions#protocol()} and {@link ExplainOptions#port()} keep the flows that allow them.</li>
 * </ul>
 *
 * <pre>{@code
 * Explanation e = Explainer.explain(ServiceTags.bundled(), Catalog.bundled(), "20.38.98.1",
 *         ExplainOptions.builder().protocol(Protocol.TCP).port(443).build());
 * e.flows()   // returns [veeam-backup-azure: worker -> Storage.EastUS tcp 443, ...]
 * }</pre>
 */
public final class Explainer {
    private Explainer() {}

    /**
     * Explains an address or a CIDR prefix given as text.
     *
     * @throws IllegalArgumentException quoting the input when it is not a valid address or prefix (a prefix with
     *     host bits set names the network)
     * @throws UnknownNameException for an unknown product or region, or a bind naming nothing of the products
     */
    public static Explanation explain(ServiceTags serviceTags, Catalog catalog, String ipOrCidr,
            ExplainOptions options) {
        if (ipOrCidr == null) {
            throw new IllegalArgumentException("IP text is null");
        }
        IpPrefix target;
        if (ipOrCidr.indexOf('/') >= 0) {
            target = IpPrefix.parse(ipOrCidr);
        } else {
            serviceTags.lookup(ipOrCidr); // the address's own error message when it is invalid
            target = IpPrefix.parse(ipOrCidr + (ipOrCidr.indexOf(':') >= 0 ? "/128" : "/32"));
        }
        return explain(serviceTags, catalog, ipOrCidr, target, options);
    }

    /**
     * Explains a prefix (a /32 or /128 for an address); {@link Explanation#ip()} is its canonical text.
     *
     * @throws UnknownNameException for an unknown product or region, or a bind naming nothing of the products
     */
    public static Explanation explain(ServiceTags serviceTags, Catalog catalog, IpPrefix target,
            ExplainOptions options) {
        return explain(serviceTags, catalog, target.toString(), target, options);
    }

    private static Explanation explain(ServiceTags st, Catalog catalog, String input, IpPrefix target,
            ExplainOptions options) {
        List<Product> products = new ArrayList<>();
        if (options.products().isEmpty()) {
            products.addAll(catalog.products());
        } else {
            for (String id : options.products()) {
                products.add(catalog.product(id));
            }
        }
        Region region = options.region().map(st::region).orElse(null);
        String cloud = options.cloud().orElse(st.cloud());
        checkBinds(products, cloud, options);
        TagSet containing = st.lookup(target);
        IpPrefix v4 = mappedAsIPv4(target);
        Map<Integer, Region> regions = new HashMap<>();
        for (Region r : st.regions()) {
            regions.put(r.id(), r);
        }
        List<FlowMatch> matches = new ArrayList<>();
        for (Product p : products) {
            for (Flow f : p.flows()) {
                if (!allows(f, options)) {
                    continue;
                }
                Destination d = f.destination(cloud);
                for (String to : destinations(st, d, containing, region, regions, v4, options)) {
                    RuleKind kind = switch (d.kind()) {
                        case TAG -> RuleKind.TAG;
                        case FQDN -> RuleKind.FQDN;
                        case ROLE -> RuleKind.ROLE;
                        case HOST -> RuleKind.HOST;
                    };
                    matches.add(new FlowMatch(p.id(), f.from(), to, kind, f.protocol(), f.ports(), f.optional(),
                            f.purpose()));
                }
            }
        }
        return new Explanation(input, List.copyOf(containing.names()), matches);
    }

    /** The concrete destinations of the flow that contain the target (usually none or one). */
    private static List<String> destinations(ServiceTags st, Destination d, TagSet containing, Region region,
            Map<Integer, Region> regions, IpPrefix target, ExplainOptions options) {
        List<String> out = new ArrayList<>();
        switch (d.kind()) {
            case TAG -> {
                if (d.value().equals(Destination.VIRTUAL_NETWORK)) {
                    addIfBound(d.value(), target, options, out);
                } else if (!d.isRegional()) {
                    if (containing.contains(d.service())) {
                        out.add(d.service());
                    }
                } else if (region != null) {
                    String tag = st.regionalTag(d.service(), region).map(ServiceTag::name).orElse(d.service());
                    if (containing.contains(tag)) {
                        out.add(tag);
                    }
                } else {
                    String prefix = d.service() + ".";
                    for (ServiceTag t : containing.tags()) {
                        Region own = regions.get(t.regionId());
                        if (t.name().startsWith(prefix) && own != null
                                && st.regionalTag(d.service(), own).map(t::equals).orElse(false)) {
                            out.add(t.name());
                        }
                    }
                    if (out.isEmpty() && containing.contains(d.service())) {
                        out.add(d.service()); // what the expansion without a region uses
                    }
                }
            }
            case ROLE, HOST -> addIfBound(d.value(), target, options, out);
            case FQDN -> {
                for (String name : d.fqdns()) {
                    addIfBound(name, target, options, out);
                }
            }
        }
        return out;
    }

    private static void addIfBound(String name, IpPrefix target, ExplainOptions options, List<String> out) {
        for (IpPrefix p : options.binds().getOrDefault(name, List.of())) {
            IpPrefix bound = mappedAsIPv4(p);
            if (bound.contains(target)) {
                out.add(name);
                return;
            }
        }
    }

    /** An IPv4-mapped IPv6 prefix of /96 or longer as its IPv4 prefix; any other prefix as it is. */
    private static IpPrefix mappedAsIPv4(IpPrefix p) {
        if (p.family() == IpFamily.IPV6 && p.length() >= 96 && p.high() == 0 && (p.low() >>> 32) == 0xffffL) {
            return IpPrefix.ofIPv4((int) p.low(), p.length() - 96);
        }
        return p;
    }

    /** Whether the flow allows the protocol and port of the options. */
    private static boolean allows(Flow f, ExplainOptions options) {
        if (options.protocol().isPresent()) {
            Protocol want = options.protocol().get();
            if (f.protocol() != Protocol.ANY && want != Protocol.ANY && f.protocol() != want) {
                return false;
            }
        }
        if (options.port().isPresent() && f.protocol() != Protocol.ANY) {
            int port = options.port().getAsInt();
            for (PortRange r : f.ports()) {
                if (r.contains(port)) {
                    return true;
                }
            }
            return false;
        }
        return true;
    }

    private static void checkBinds(List<Product> products, String cloud, ExplainOptions options) {
        Set<String> names = new TreeSet<>();
        for (Product p : products) {
            names.addAll(Expander.bindable(p));
            for (Flow f : p.flows()) {
                Destination d = f.destination(cloud);
                if (d.kind() == Destination.Kind.FQDN) {
                    names.addAll(d.fqdns());
                }
            }
        }
        for (String name : options.binds().keySet()) {
            if (!names.contains(name)) {
                throw new UnknownNameException("role, host or host name of the products in bind", name,
                        io.github.servicetags.internal.Suggest.closest(name, names, 3));
            }
        }
    }
}
