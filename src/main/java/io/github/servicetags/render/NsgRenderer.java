package io.github.servicetags.render;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.servicetags.IpFamily;
import io.github.servicetags.IpPrefix;
import io.github.servicetags.catalog.Expansion;
import io.github.servicetags.catalog.PortRange;
import io.github.servicetags.catalog.Rule;
import io.github.servicetags.catalog.RuleKind;
import io.github.servicetags.internal.DataRules;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An ARM {@code securityRules} array of allow rules, priorities 100, 101, ...: the outbound rules first, then the
 * inbound ones. A tag rule names the service tag itself ({@code destinationAddressPrefix}) when Azure accepts it in
 * an NSG; other rules list their CIDRs, one rule per family (Azure does not mix IPv4 and IPv6 in one rule). A rule
 * to a role of the product also gives an inbound rule ({@code "direction": "Inbound"}) from the from-role's bound
 * CIDRs to the role's CIDRs; without both, a warning names the {@code --bind} that writes it. Host-name rules become
 * warnings.
 */
final class NsgRenderer implements Renderers.Renderer {
    /** Tags that exist in every NSG without being in the service-tag file. */
    static final Set<String> VIRTUAL_TAGS = Set.of("VirtualNetwork", "Internet", "AzureLoadBalancer");
    static final int NAME_MAX = 80;
    static final int FIRST_PRIORITY = 100;
    static final int LAST_PRIORITY = 4096;
    static final int MAX_RULES = 1000;
    static final int MAX_PREFIXES_PER_RULE = 4000;

    /**
     * One security rule before it is written: outbound to {@code tag} or {@code prefixes} from any source, or
     * inbound from {@code sources} to {@code prefixes}.
     */
    record NsgRule(String name, Rule rule, String tag, List<IpPrefix> prefixes, List<PortRange> ports,
            List<IpPrefix> sources, boolean inbound) {
        NsgRule(String name, Rule rule, String tag, List<IpPrefix> prefixes, List<PortRange> ports) {
            this(name, rule, tag, prefixes, ports, List.of(), false);
        }
    }

    @Override
    public void render(Expansion e, RenderOptions options, Writer out, List<String> warnings) throws IOException {
        List<NsgRule> rules = plan(e, options, warnings);
        int last = FIRST_PRIORITY + rules.size() - 1;
        if (rules.size() > MAX_RULES || last > LAST_PRIORITY) {
            warnings.add("nsg: " + rules.size() + " rules need priorities " + FIRST_PRIORITY + ".." + last
                    + "; an NSG allows at most " + MAX_RULES + " rules and priorities up to " + LAST_PRIORITY
                    + " (--fit nsg splits and checks)");
        }
        try (JsonGenerator g = JsonRenderer.generator(out)) {
            g.writeStartArray();
            int priority = FIRST_PRIORITY;
            for (NsgRule r : rules) {
                write(g, r, priority++);
            }
            g.writeEndArray();
        }
        out.write('\n');
    }

    /**
     * The rules, split to the fit profile when it applies; merged (as with aggregate) when that is what it takes
     * to fit, and refused when even that is not enough.
     */
    static List<NsgRule> plan(Expansion e, RenderOptions options, List<String> warnings)
            throws LimitExceededException {
        FitProfile fit = options.fit().appliesTo("nsg") ? options.fit() : null;
        List<String> notes = new ArrayList<>();
        List<NsgRule> rules = build(e, options, fit, notes);
        if (fit != null && !fits(rules, fit) && !options.aggregate()) {
            List<String> again = new ArrayList<>();
            List<NsgRule> merged = build(e, options.aggregated(), fit, again);
            again.add("fit nsg: " + rules.size() + " rules do not fit; merged adjacent and overlapping prefixes"
                    + " (as --aggregate does): " + merged.size() + " rules");
            rules = merged;
            notes = again;
        }
        if (fit != null && !fits(rules, fit)) {
            int allowed = Math.min(fit.maxGroups(), LAST_PRIORITY - FIRST_PRIORITY + 1);
            throw new LimitExceededException("nsg", rules.size(), allowed, "nsg: " + rules.size()
                    + " security rules are needed even after merging adjacent prefixes, but "
                    + (allowed == fit.maxGroups() ? "the nsg profile allows " + allowed + " rules"
                    : "priorities " + FIRST_PRIORITY + ".." + LAST_PRIORITY + " allow " + allowed + " rules"));
        }
        warnings.addAll(notes);
        return rules;
    }

    private static boolean fits(List<NsgRule> rules, FitProfile fit) {
        return rules.size() <= fit.maxGroups() && FIRST_PRIORITY + rules.size() - 1 <= LAST_PRIORITY;
    }

    private static List<NsgRule> build(Expansion e, RenderOptions options, FitProfile fit, List<String> warnings) {
        SafeNames.Registry names = new SafeNames.Registry(NAME_MAX);
        List<NsgRule> out = new ArrayList<>();
        int index = 0;
        for (Rule r : e.rules()) {
            index++;
            List<PortRange> ports = Plan.ports(r);
            String base = r.from() + "-" + r.to() + "-" + r.protocol().name().toLowerCase(java.util.Locale.ROOT)
                    + (ports.isEmpty() ? "" : "-" + ports.get(0));
            if (r.kind() == RuleKind.TAG && DataRules.isTagName(r.to())
                    && (VIRTUAL_TAGS.contains(r.to())
                        || !r.prefixes().isEmpty() && options.nsgServiceTag(r.to()))) {
                out.add(new NsgRule(names.name(index + "", "", base, ""), r, r.to(), List.of(), ports));
                continue;
            }
            if (!Plan.expressible(r, "nsg", warnings)) {
                continue;
            }
            if (r.kind() == RuleKind.TAG) {
                warnings.add("nsg: " + Plan.describe(r) + ": the tag is not usable in an NSG rule; its prefixes are"
                        + " listed instead and need updating when the tag changes");
            }
            for (IpFamily f : IpFamily.values()) {
                List<IpPrefix> prefixes = Plan.prefixes(r.prefixes(), f, options);
                if (prefixes.isEmpty()) {
                    continue;
                }
                String suffix = f == IpFamily.IPV4 ? "-v4" : "-v6";
                if (fit == null) {
                    if (prefixes.size() > MAX_PREFIXES_PER_RULE) {
                        warnings.add("nsg: " + Plan.describe(r) + ": " + prefixes.size() + " " + family(f)
                                + " prefixes in one rule; Azure allows " + MAX_PREFIXES_PER_RULE
                                + " (--fit nsg splits the rule)");
                    }
                    out.add(new NsgRule(names.name(index + suffix, "", base + suffix, ""), r, null, prefixes,
                            ports));
                    continue;
                }
                List<List<IpPrefix>> chunks = Plan.chunk(prefixes, fit.maxEntries());
                if (chunks.size() > 1) {
                    warnings.add("fit nsg: " + Plan.describe(r) + ": " + prefixes.size() + " " + family(f)
                            + " prefixes split into " + chunks.size() + " rules of at most " + fit.maxEntries());
                }
                for (int i = 0; i < chunks.size(); i++) {
                    String part = chunks.size() == 1 ? "" : "-" + (i + 1);
                    out.add(new NsgRule(names.name(index + suffix + part, "", base + suffix + part, ""), r, null,
                            chunks.get(i), ports));
                }
            }
        }
        for (Rule r : e.rules()) {
            addInbound(r, options, fit, names, out, warnings);
        }
        return out;
    }

    /**
     * The inbound rules of a rule to a role: from the from-role's CIDRs to the role's CIDRs, one per family that
     * both have; a warning for what cannot be written.
     */
    private static void addInbound(Rule r, RenderOptions options, FitProfile fit, SafeNames.Registry names,
            List<NsgRule> out, List<String> warnings) {
        if (!Plan.inboundExpressible(r, "nsg", warnings)) {
            return;
        }
        if (r.prefixes().isEmpty()) {
            warnings.add("nsg: inbound not rendered: " + Plan.describe(r) + ": " + SafeNames.display(r.to())
                    + " is not bound; --bind " + SafeNames.display(r.to()) + "=CIDR gives the inbound rule its"
                    + " destination");
            return;
        }
        List<PortRange> ports = Plan.ports(r);
        String base = r.to() + "-from-" + r.from() + "-" + r.protocol().name().toLowerCase(java.util.Locale.ROOT)
                + (ports.isEmpty() ? "" : "-" + ports.get(0));
        String key = "in\u0000" + r.from() + "\u0000" + r.to() + "\u0000" + r.protocol() + "\u0000" + ports;
        for (IpFamily f : IpFamily.values()) {
            List<IpPrefix> sources = Plan.prefixes(r.fromPrefixes(), f, options);
            List<IpPrefix> destinations = Plan.prefixes(r.prefixes(), f, options);
            if (sources.isEmpty() != destinations.isEmpty()) {
                warnings.add("nsg: inbound not rendered for " + family(f) + ": " + Plan.describe(r) + ": "
                        + SafeNames.display(sources.isEmpty() ? r.from() : r.to()) + " has no " + family(f)
                        + " prefix bound, and an NSG rule does not mix families");
            }
            if (sources.isEmpty() || destinations.isEmpty()) {
                continue;
            }
            String suffix = f == IpFamily.IPV4 ? "-v4" : "-v6";
            List<List<IpPrefix>> chunks = fit == null ? List.of(sources) : Plan.chunk(sources, fit.maxEntries());
            if (chunks.size() > 1) {
                warnings.add("fit nsg: inbound " + Plan.describe(r) + ": " + sources.size() + " " + family(f)
                        + " source prefixes split into " + chunks.size() + " rules of at most " + fit.maxEntries());
            }
            for (int i = 0; i < chunks.size(); i++) {
                String part = chunks.size() == 1 ? "" : "-" + (i + 1);
                out.add(new NsgRule(names.name(key + suffix + part, "", base + suffix + part, ""), r, null,
                        destinations, ports, chunks.get(i), true));
            }
        }
    }

    private static String family(IpFamily f) {
        return f == IpFamily.IPV4 ? "IPv4" : "IPv6";
    }

    private static void write(JsonGenerator g, NsgRule r, int priority) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", r.name());
        g.writeObjectFieldStart("properties");
        g.writeStringField("description", r.inbound() ? Plan.inboundComment(r.rule()) : Plan.comment(r.rule()));
        g.writeStringField("protocol", switch (r.rule().protocol()) {
            case TCP -> "Tcp";
            case UDP -> "Udp";
            case ICMP -> "Icmp";
            default -> "*";
        });
        if (r.inbound()) {
            oneOrMany(g, "sourceAddressPrefix", r.sources());
        } else {
            g.writeStringField("sourceAddressPrefix", "*");
        }
        g.writeStringField("sourcePortRange", "*");
        if (r.tag() != null) {
            g.writeStringField("destinationAddressPrefix", r.tag());
        } else {
            oneOrMany(g, "destinationAddressPrefix", r.prefixes());
        }
        if (r.ports().isEmpty()) {
            g.writeStringField("destinationPortRange", "*");
        } else {
            oneOrMany(g, "destinationPortRange", r.ports());
        }
        g.writeStringField("access", "Allow");
        g.writeNumberField("priority", priority);
        g.writeStringField("direction", r.inbound() ? "Inbound" : "Outbound");
        g.writeEndObject();
        g.writeEndObject();
    }

    /** {@code "field": "x"} for one value, {@code "fields": ["x", "y"]} for more: the two ARM spellings. */
    private static void oneOrMany(JsonGenerator g, String field, List<?> values) throws IOException {
        if (values.size() == 1) {
            g.writeStringField(field, values.get(0).toString());
            return;
        }
        g.writeArrayFieldStart(field + "es".substring(field.endsWith("x") ? 0 : 1));
        for (Object v : values) {
            g.writeString(v.toString());
        }
        g.writeEndArray();
    }
}
