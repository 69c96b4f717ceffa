package io.github.servicetags.render;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.servicetags.IpFamily;
import io.github.servicetags.IpPrefix;
import io.github.servicetags.catalog.Expansion;
import io.github.servicetags.catalog.PortRange;
import io.github.servicetags.catalog.Rule;
import io.github.servicetags.catalog.RuleKind;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An ARM {@code securityRules} array of outbound allow rules, priorities 100, 101, ... A tag rule names the service
 * tag itself ({@code destinationAddressPrefix}) when Azure accepts it in an NSG; other rules list their CIDRs, one
 * rule per family (Azure does not mix IPv4 and IPv6 in one rule). Host-name rules become warnings.
 */
final class NsgRenderer implements Renderers.Renderer {
    /** Tags that exist in every NSG without being in the service-tag file. */
    static final Set<String> VIRTUAL_TAGS = Set.of("VirtualNetwork", "Internet", "AzureLoadBalancer");
    static final Pattern TAG_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    static final int NAME_MAX = 80;
    static final int FIRST_PRIORITY = 100;
    static final int LAST_PRIORITY = 4096;
    static final int MAX_RULES = 1000;
    static final int MAX_PREFIXES_PER_RULE = 4000;

    /** One security rule before it is written. */
    record NsgRule(String name, Rule rule, String tag, List<IpPrefix> prefixes, List<PortRange> ports) {
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
            if (r.kind() == RuleKind.TAG && TAG_NAME.matcher(r.to()).matches()
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
        return out;
    }

    private static String family(IpFamily f) {
        return f == IpFamily.IPV4 ? "IPv4" : "IPv6";
    }

    private static void write(JsonGenerator g, NsgRule r, int priority) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", r.name());
        g.writeObjectFieldStart("properties");
        g.writeStringField("description", Plan.comment(r.rule()));
        g.writeStringField("protocol", switch (r.rule().protocol()) {
            case TCP -> "Tcp";
            case UDP -> "Udp";
            case ICMP -> "Icmp";
            default -> "*";
        });
        g.writeStringField("sourceAddressPrefix", "*");
        g.writeStringField("sourcePortRange", "*");
        if (r.tag() != null) {
            g.writeStringField("destinationAddressPrefix", r.tag());
        } else if (r.prefixes().size() == 1) {
            g.writeStringField("destinationAddressPrefix", r.prefixes().get(0).toString());
        } else {
            g.writeArrayFieldStart("destinationAddressPrefixes");
            for (IpPrefix p : r.prefixes()) {
                g.writeString(p.toString());
            }
            g.writeEndArray();
        }
        if (r.ports().isEmpty()) {
            g.writeStringField("destinationPortRange", "*");
        } else if (r.ports().size() == 1) {
            g.writeStringField("destinationPortRange", r.ports().get(0).toString());
        } else {
            g.writeArrayFieldStart("destinationPortRanges");
            for (PortRange p : r.ports()) {
                g.writeString(p.toString());
            }
            g.writeEndArray();
        }
        g.writeStringField("access", "Allow");
        g.writeNumberField("priority", priority);
        g.writeStringField("direction", "Outbound");
        g.writeEndObject();
        g.writeEndObject();
    }
}
