package io.github.servicetags.catalog;

import io.github.servicetags.IpFamily;
import io.github.servicetags.IpPrefix;
import io.github.servicetags.Region;
import io.github.servicetags.ServiceTag;
import io.github.servicetags.ServiceTags;
import io.github.servicetags.UnknownNameException;
import io.github.servicetags.internal.Internals;
import io.github.servicetags.internal.Suggest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns the flows of a product into concrete rules for one region and one service-tag file.
 *
 * <ul>
 *   <li>a tag written {@code Sql.<region>} becomes the region's tag ({@code Sql.WestEurope}, joined by
 *       {@code regionId}); without a regional tag, or without a region, the global tag is used and a warning
 *       says so. A global tag of a service that has no regional tags at all (AzureActiveDirectory) also gets
 *       that warning when a region was asked for;</li>
 *   <li>a tag missing from the data, or empty, gives a rule without prefixes and a warning;</li>
 *   <li>FQDN destinations stay names; roles, hosts and {@code VirtualNetwork} get the prefixes bound in
 *       {@link ExpandOptions#binds()}, or a warning when unbound;</li>
 *   <li>a flow with a variant for the cloud ({@link Flow#clouds()}) uses the variant;</li>
 *   <li>with {@link ExpandOptions#withDependencies()}, every tag rule whose tag has a
 *       {@link Catalog#dependency(String) dependency} adds rules for the required tags after the product's rules:
 *       same role, same protocol and ports unless the dependency sets them, same optional flag, the regional tag
 *       of the same region for a requirement written {@code Storage.<region>} (global fallback with a warning as
 *       above), and {@link Rule#dependencyOf()} naming the tag that needs it. Dependencies of dependencies are
 *       followed. A required tag that an earlier rule already allows (same role, the same tag or the global tag of
 *       its service, protocol and ports that cover it) adds no rule; if that rule is optional while the need is
 *       not, a warning says to keep it. The product's own rules are the same with and without the option.</li>
 * </ul>
 *
 * <pre>{@code
 * Expansion e = Expander.expand(ServiceTags.bundled(), Catalog.bundled(), "veeam-backup-azure", "westeurope",
 *         ExpandOptions.builder().bind("worker=10.1.0.0/24").build());
 * e.rules()      // returns one rule per flow
 * e.warnings()   // returns ["AzureActiveDirectory has no regional tags; ...", ...]
 * }</pre>
 */
public final class Expander {
    private Expander() {}

    /**
     * Expands a product.
     *
     * @param serviceTags the service-tag data
     * @param catalog the port catalog
     * @param productId the product id
     * @param region the region in any spelling ({@code westeurope}, {@code "West Europe"}, {@code WestEurope},
     *     {@code germanywc}), or {@code null} / empty for none
     * @param options family, binds and cloud
     * @throws UnknownNameException for an unknown product, region, or a bind naming no role or host of the
     *     product; the message lists the closest names
     */
    public static Expansion expand(ServiceTags serviceTags, Catalog catalog, String productId, String region,
            ExpandOptions options) {
        Product product = catalog.product(productId);
        Region r = region == null || region.isBlank() ? null : serviceTags.region(region);
        String cloud = options.cloud().orElse(serviceTags.cloud());
        checkBinds(product, options);
        return new Run(serviceTags, catalog, product, r, cloud, options).expand();
    }

    private static void checkBinds(Product product, ExpandOptions options) {
        Set<String> names = bindable(product);
        for (String name : options.binds().keySet()) {
            if (!names.contains(name)) {
                throw new UnknownNameException("role or host of product '" + product.id() + "' in bind", name,
                        Suggest.closest(name, names, 3));
            }
        }
    }

    private static void addBindable(Destination d, Collection<String> names) {
        if (d.kind() == Destination.Kind.ROLE || d.kind() == Destination.Kind.HOST
                || (d.kind() == Destination.Kind.TAG && d.value().equals(Destination.VIRTUAL_NETWORK))) {
            names.add(d.value());
        }
    }

    /** The state of one expansion. */
    private static final class Run {
        private final ServiceTags st;
        private final Catalog catalog;
        private final Product product;
        private final Region region;
        private final String cloud;
        private final ExpandOptions options;
        private final IpFamily family;
        private final Set<String> warnings = new LinkedHashSet<>();

        Run(ServiceTags st, Catalog catalog, Product product, Region region, String cloud, ExpandOptions options) {
            this.st = st;
            this.catalog = catalog;
            this.product = product;
            this.region = region;
            this.cloud = cloud;
            this.options = options;
            this.family = options.family().orElse(null);
        }

        Expansion expand() {
            if (!Flow.canonicalCloud(cloud).equals(Flow.canonicalCloud(st.cloud()))) {
                warnings.add("the flows use the variants for cloud " + cloud + " but the service-tag data is for "
                        + st.cloud());
            }
            List<Rule> rules = new ArrayList<>();
            for (Flow f : product.flows()) {
                rules.add(rule(f, f.destination(cloud)));
            }
            if (options.withDependencies()) {
                addDependencies(rules);
            }
            for (int i = 0; i < rules.size(); i++) {
                rules.set(i, rules.get(i).withFromPrefixes(fromPrefixes(rules.get(i).from())));
            }
            return new Expansion(product.id(), region == null ? "" : region.name(), st.cloud(), st.changeNumber(),
                    rules, new ArrayList<>(warnings));
        }

        private Rule rule(Flow f, Destination d) {
            return switch (d.kind()) {
                case TAG -> tagRule(f, d);
                case FQDN -> new Rule(f.from(), String.join(",", d.fqdns()), RuleKind.FQDN, f.protocol(), f.ports(),
                        List.of(), d.fqdns(), f.optional(), f.purpose(), f.source());
                case ROLE, HOST -> {
                    String what = d.kind() == Destination.Kind.ROLE ? "role " : "host ";
                    List<IpPrefix> bound = bound(d.value(), what + d.value() + " is not bound: give --bind "
                            + d.value() + "=CIDR; its rules have no prefixes");
                    yield new Rule(f.from(), d.value(), d.kind() == Destination.Kind.ROLE ? RuleKind.ROLE
                            : RuleKind.HOST, f.protocol(), f.ports(), bound, List.of(), f.optional(), f.purpose(),
                            f.source());
                }
            };
        }

        private Rule tagRule(Flow f, Destination d) {
            String tagName;
            List<IpPrefix> prefixes;
            if (d.value().equals(Destination.VIRTUAL_NETWORK)) {
                tagName = d.value();
                prefixes = bound(tagName, "VirtualNetwork is your own virtual network and not in the service-tag "
                        + "data: give --bind VirtualNetwork=CIDR; its rules have no prefixes");
            } else {
                tagName = resolveTag(d);
                prefixes = tagPrefixes(tagName);
            }
            return new Rule(f.from(), tagName, RuleKind.TAG, f.protocol(), f.ports(), prefixes, List.of(),
                    f.optional(), f.purpose(), f.source());
        }

        /**
         * Adds the rules of the dependencies of every tag rule, then of the rules added, after the product's rules.
         * Terminates: a rule is only added when no rule already covers it, and there are finitely many.
         */
        private void addDependencies(List<Rule> rules) {
            java.util.ArrayDeque<Rule> work = new java.util.ArrayDeque<>(rules);
            while (!work.isEmpty()) {
                Rule needing = work.poll();
                if (needing.kind() != RuleKind.TAG) {
                    continue;
                }
                Dependency dep = dependencyOf(needing.to());
                if (dep == null) {
                    continue;
                }
                Region context = regionOf(needing.to(), dep.tag());
                Protocol protocol = dep.keepsFlowPorts() ? needing.protocol() : dep.protocol();
                List<PortRange> ports = dep.keepsFlowPorts() ? needing.ports() : dep.ports();
                for (String required : dep.requires()) {
                    String tagName = resolveTag(Destination.tag(required), context, true);
                    Rule cover = covering(rules, needing.from(), tagName, protocol, ports);
                    if (cover != null) {
                        if (cover.optional() && !needing.optional()) {
                            warnings.add("rule '" + cover + "' is optional, but " + needing.to() + " needs "
                                    + tagName + ": keep it while you keep '" + needing + "'");
                        }
                        continue;
                    }
                    Rule added = new Rule(needing.from(), tagName, RuleKind.TAG, protocol, ports, tagPrefixes(tagName),
                            List.of(), needing.optional(), "Needed by " + needing.to() + ": " + dep.reason(),
                            dep.source(), needing.to());
                    rules.add(added);
                    work.add(added);
                }
            }
        }

        /** The dependency entry for a concrete tag: the tag itself or one of its regional tags; null if none. */
        private Dependency dependencyOf(String tagName) {
            Dependency best = null;
            for (Dependency d : catalog.dependencies()) {
                if (d.appliesTo(tagName) && (best == null || d.tag().length() > best.tag().length())
                        && (tagName.equals(d.tag()) || regionOf(tagName, d.tag()) != null)) {
                    best = d;
                }
            }
            return best;
        }

        /**
         * The region of {@code tagName} when it is a regional tag of {@code service} ({@code AzureBackup.WestEurope}
         * of {@code AzureBackup}); null otherwise.
         */
        private Region regionOf(String tagName, String service) {
            if (!tagName.startsWith(service + ".")) {
                return null;
            }
            if (region != null && st.regionalTag(service, region).map(t -> t.name().equals(tagName)).orElse(false)) {
                return region;
            }
            Optional<ServiceTag> tag = st.tag(tagName);
            if (tag.isEmpty() || tag.get().regionId() == 0) {
                return null;
            }
            for (Region r : st.regions()) {
                if (r.id() == tag.get().regionId()) {
                    return r;
                }
            }
            return null;
        }

        /**
         * An earlier rule that already allows this traffic, or null: same role, the same tag or the global tag of
         * its service ({@code Storage} allows {@code Storage.WestEurope}: a global tag holds all its regions), and
         * a protocol and ports that cover the need.
         */
        private Rule covering(List<Rule> rules, String from, String to, Protocol protocol, List<PortRange> ports) {
            for (Rule r : rules) {
                if (r.kind() == RuleKind.TAG && r.from().equals(from)
                        && (r.to().equals(to) || regionOf(to, r.to()) != null)
                        && (r.protocol() == Protocol.ANY || (r.protocol() == protocol && covers(r.ports(), ports)))) {
                    return r;
                }
            }
            return null;
        }

        /** Whether the union of {@code have} contains every port of {@code need}. */
        private static boolean covers(List<PortRange> have, List<PortRange> need) {
            for (PortRange n : need) {
                int next = n.from();
                boolean progress = true;
                while (next <= n.to() && progress) {
                    progress = false;
                    for (PortRange h : have) {
                        if (h.from() <= next && next <= h.to()) {
                            next = h.to() + 1;
                            progress = true;
                        }
                    }
                }
                if (next <= n.to()) {
                    return false;
                }
            }
            return true;
        }

        /** Returns the name of the tag to use for the destination, noting fallbacks in the warnings. */
        private String resolveTag(Destination d) {
            return resolveTag(d, region, false);
        }

        /**
         * Returns the tag for a destination in a region. For a dependency, the region is that of the rule that
         * needs it, and a regional requirement of a global rule is global without a warning.
         */
        private String resolveTag(Destination d, Region region, boolean dependency) {
            String service = d.service();
            if (!d.isRegional()) {
                // a global tag of a service without regional tags; a concrete regional tag is its region's already
                if (region != null && st.tag(service).filter(t -> t.regionId() == 0).isPresent()
                        && !hasRegionalTags(service)) {
                    warnings.add(service + " has no regional tags; its rules use the global tag " + service
                            + " (all regions)");
                }
                return service;
            }
            if (region == null && dependency) {
                return service;
            }
            if (region == null) {
                warnings.add("no region given: " + d.value() + " uses the global tag " + service
                        + " (all regions); give a region to narrow it");
                return service;
            }
            Optional<ServiceTag> regional = st.regionalTag(service, region);
            if (regional.isPresent()) {
                return regional.get().name();
            }
            if (hasRegionalTags(service)) {
                warnings.add(service + " has no tag for region " + region.name() + "; its rules use the global tag "
                        + service + " (all regions)");
            } else {
                warnings.add(service + " has no regional tags; its rules use the global tag " + service
                        + " (all regions)");
            }
            return service;
        }

        private boolean hasRegionalTags(String service) {
            return Internals.serviceTags().hasRegionalTags(st, service);
        }

        private List<IpPrefix> tagPrefixes(String tagName) {
            Optional<ServiceTag> tag = st.tag(tagName);
            if (tag.isEmpty()) {
                warnings.add("tag " + tagName + " is not in the " + st.cloud() + " service-tag data (changeNumber "
                        + st.changeNumber() + "); its rules have no prefixes");
                return List.of();
            }
            List<IpPrefix> prefixes = sorted(family == null ? tag.get().prefixes() : tag.get().prefixes(family));
            if (prefixes.isEmpty()) {
                warnings.add("tag " + tagName + " has no " + (family == null ? "" : familyName() + " ")
                        + "prefixes in the " + st.cloud() + " service-tag data (changeNumber " + st.changeNumber()
                        + "); its rules have no prefixes");
            }
            return prefixes;
        }

        /** The from-role's bound prefixes of the expansion's family, sorted; empty (no warning) when unbound. */
        private List<IpPrefix> fromPrefixes(String role) {
            List<IpPrefix> bound = options.binds().get(role);
            return bound == null ? List.of() : ofFamily(bound);
        }

        /** The prefixes of the expansion's family, sorted. */
        private List<IpPrefix> ofFamily(List<IpPrefix> prefixes) {
            List<IpPrefix> kept = new ArrayList<>();
            for (IpPrefix p : prefixes) {
                if (family == null || p.family() == family) {
                    kept.add(p);
                }
            }
            return sorted(kept);
        }

        private List<IpPrefix> bound(String name, String warning) {
            List<IpPrefix> bound = options.binds().get(name);
            if (bound == null) {
                warnings.add(warning);
                return List.of();
            }
            List<IpPrefix> kept = ofFamily(bound);
            if (kept.isEmpty()) {
                warnings.add(name + " is bound to no " + familyName() + " prefix; its rules have no prefixes");
            }
            return kept;
        }

        private String familyName() {
            return family == IpFamily.IPV4 ? "IPv4" : "IPv6";
        }

        private static List<IpPrefix> sorted(Collection<IpPrefix> prefixes) {
            return List.copyOf(new TreeSet<>(prefixes));
        }
    }

    /** Returns the bind names a product accepts: its roles, hosts, and VirtualNetwork when a flow uses it. */
    static Set<String> bindable(Product product) {
        Set<String> names = new TreeSet<>(product.roles());
        for (Flow f : product.flows()) {
            addBindable(f.to(), names);
            f.clouds().values().forEach(d -> addBindable(d, names));
        }
        return names;
    }
}
