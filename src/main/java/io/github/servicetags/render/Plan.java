package io.github.servicetags.render;

import io.github.servicetags.IpFamily;
import io.github.servicetags.IpPrefix;
import io.github.servicetags.catalog.Expansion;
import io.github.servicetags.catalog.PortRange;
import io.github.servicetags.catalog.Protocol;
import io.github.servicetags.catalog.Rule;
import io.github.servicetags.catalog.RuleKind;
import io.github.servicetags.internal.Prefixes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the packet-filter formats (nft, ipset, iptables, ip6tables, edl) share: which rules can be expressed as
 * address sets, the sets themselves (one per destination and family, shared by rules with the same addresses),
 * and a warning for every rule that cannot. With inbound rules on, a rule to a role of the product also gives an
 * inbound target on that role's host, matching the set of the from-role's bound addresses (the same set as the
 * role's own destination set when the role is also a destination), or a warning naming the {@code --bind} that
 * would write it.
 */
final class Plan {
    /** A named set of prefixes of one family. */
    record AddressSet(String name, String label, IpFamily family, List<IpPrefix> prefixes) {
    }

    /**
     * One rule restricted to one family, matching one set: the destination set of an outbound target, the
     * from-role's set of an inbound one.
     */
    record Target(Rule rule, IpFamily family, AddressSet set, List<PortRange> ports) {
    }

    /** How a format names its sets: {@code label} is the tag, role or host, {@code kind} what it is. */
    interface SetNamer {
        String name(SafeNames.Registry registry, String key, String label, RuleKind kind, IpFamily family);
    }

    final List<AddressSet> sets;
    /** Outbound: on a host of {@code rule.from()}, to the addresses of {@code set}. */
    final List<Target> targets;
    /** Inbound: on a host of the role {@code rule.to()}, from the addresses of {@code set}. */
    final List<Target> inbound;
    /** Rules left out because their addresses are only in families this format does not cover. */
    final Map<IpFamily, Integer> otherFamily;

    private Plan(List<AddressSet> sets, List<Target> targets, List<Target> inbound,
            Map<IpFamily, Integer> otherFamily) {
        this.sets = sets;
        this.targets = targets;
        this.inbound = inbound;
        this.otherFamily = otherFamily;
    }

    /** Outbound targets only (edl, ipgroups). */
    static Plan build(Expansion e, RenderOptions options, String format, Collection<IpFamily> families,
            SafeNames.Registry registry, SetNamer namer, List<String> warnings) {
        return build(e, options, format, families, registry, namer, false, warnings);
    }

    /** Outbound targets, and inbound ones too when {@code withInbound} (nft, ipset, iptables). */
    static Plan build(Expansion e, RenderOptions options, String format, Collection<IpFamily> families,
            SafeNames.Registry registry, SetNamer namer, boolean withInbound, List<String> warnings) {
        Map<String, AddressSet> sets = new LinkedHashMap<>();
        List<Target> targets = new ArrayList<>();
        List<Target> inbound = new ArrayList<>();
        Map<IpFamily, Integer> other = new LinkedHashMap<>();
        for (Rule r : e.rules()) {
            List<PortRange> ports = ports(r);
            if (expressible(r, format, warnings)) {
                for (IpFamily f : IpFamily.values()) {
                    addTarget(r, r.kind(), r.to(), prefixes(r.prefixes(), f, options), f, ports, families, sets,
                            registry, namer, targets, other);
                }
            }
            if (withInbound && inboundExpressible(r, format, warnings)) {
                for (IpFamily f : IpFamily.values()) {
                    addTarget(r, RuleKind.ROLE, r.from(), prefixes(r.fromPrefixes(), f, options), f, ports, families,
                            sets, registry, namer, inbound, other);
                }
            }
        }
        List<AddressSet> used = new ArrayList<>();
        for (AddressSet s : sets.values()) {
            if (families.contains(s.family())) {
                used.add(s);
            }
        }
        return new Plan(List.copyOf(used), targets, inbound, other);
    }

    private static void addTarget(Rule r, RuleKind kind, String label, List<IpPrefix> prefixes, IpFamily f,
            List<PortRange> ports, Collection<IpFamily> families, Map<String, AddressSet> sets,
            SafeNames.Registry registry, SetNamer namer, List<Target> targets, Map<IpFamily, Integer> other) {
        if (prefixes.isEmpty()) {
            return;
        }
        // Every family is named, even one this format leaves out, so that ipset, iptables and ip6tables output
        // of the same expansion agree on every name. A role's set is the same whether it is the destination of
        // an outbound rule or the source of an inbound one.
        String key = kind + "\u0000" + label + "\u0000" + f + "\u0000" + prefixes;
        AddressSet set = sets.get(key);
        if (set == null) {
            set = new AddressSet(namer.name(registry, key, label, kind, f), label, f, prefixes);
            sets.put(key, set);
        }
        if (families.contains(f)) {
            targets.add(new Target(r, f, set, ports));
        } else {
            other.merge(f, 1, Integer::sum);
        }
    }

    /**
     * Whether a rule needs an inbound rule on its destination's host, and has the sources for it: true for a rule
     * to a role of the product whose from-role is bound; for one whose from-role is not, false with a warning
     * naming the {@code --bind} that writes it. Rules to tags, FQDNs and hosts the user supplies get no inbound
     * rule (those hosts are not configured by this output).
     */
    static boolean inboundExpressible(Rule r, String format, List<String> warnings) {
        if (r.kind() != RuleKind.ROLE) {
            return false;
        }
        if (r.fromPrefixes().isEmpty()) {
            warnings.add(format + ": inbound not rendered: " + describe(r) + ": " + SafeNames.display(r.from())
                    + " is not bound; --bind " + SafeNames.display(r.from()) + "=CIDR writes the inbound rule on "
                    + SafeNames.display(r.to()));
            return false;
        }
        return true;
    }

    /** False (with a warning) for a rule that has no addresses this kind of output can use. */
    static boolean expressible(Rule r, String format, List<String> warnings) {
        if (r.kind() == RuleKind.FQDN) {
            String hint = format.equals("nsg") || format.equals("ipgroups")
                    ? "allow these FQDNs with Azure Firewall application rules or a proxy"
                    : "allow these FQDNs with a proxy or an FQDN-aware firewall";
            warnings.add(format + ": not rendered: " + describe(r) + ": " + format + " cannot match host names; "
                    + hint);
            return false;
        }
        if (r.prefixes() == null || r.prefixes().isEmpty()) {
            String why;
            if (r.kind() == RuleKind.ROLE || r.kind() == RuleKind.HOST) {
                why = "no addresses; bind it with --bind " + SafeNames.display(r.to()) + "=CIDR";
            } else {
                why = "the tag has no prefixes in this data (or it is virtual and needs --bind)";
            }
            warnings.add(format + ": not rendered: " + describe(r) + ": " + why);
            return false;
        }
        return true;
    }

    /** The prefixes of one family, normalized or aggregated as the options say. */
    static List<IpPrefix> prefixes(List<IpPrefix> prefixes, IpFamily family, RenderOptions options) {
        if (prefixes == null) {
            return List.of();
        }
        return options.aggregate() ? Prefixes.aggregate(prefixes, family) : Prefixes.normalize(prefixes, family);
    }

    /** Consecutive chunks of at most {@code max} prefixes, in order. */
    static List<List<IpPrefix>> chunk(List<IpPrefix> prefixes, int max) {
        List<List<IpPrefix>> out = new ArrayList<>();
        for (int i = 0; i < prefixes.size(); i += max) {
            out.add(List.copyOf(prefixes.subList(i, Math.min(prefixes.size(), i + max))));
        }
        return out;
    }

    /** Ports of a TCP/UDP rule, sorted with overlapping and adjacent ranges merged; empty means every port. */
    static List<PortRange> ports(Rule r) {
        if (r.protocol() != Protocol.TCP && r.protocol() != Protocol.UDP || r.ports() == null) {
            return List.of();
        }
        List<PortRange> sorted = new ArrayList<>(r.ports());
        sorted.sort((a, b) -> a.from() != b.from() ? Integer.compare(a.from(), b.from())
                : Integer.compare(a.to(), b.to()));
        List<PortRange> out = new ArrayList<>();
        for (PortRange p : sorted) {
            if (p.from() <= 1 && p.to() >= 65535) {
                return List.of();
            }
            PortRange last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && p.from() <= last.to() + 1) {
                if (p.to() > last.to()) {
                    out.set(out.size() - 1, new PortRange(last.from(), p.to()));
                }
            } else {
                out.add(p);
            }
        }
        return out;
    }

    /** "worker -> Sql.WestEurope tcp 1433,11000-11999", safe to print. */
    static String describe(Rule r) {
        StringBuilder sb = new StringBuilder();
        sb.append(SafeNames.display(r.from())).append(" -> ");
        if (r.kind() == RuleKind.FQDN && r.fqdns() != null && !r.fqdns().isEmpty()) {
            int n = Math.min(3, r.fqdns().size());
            for (int i = 0; i < n; i++) {
                sb.append(i == 0 ? "" : ",").append(SafeNames.display(r.fqdns().get(i)));
            }
            if (r.fqdns().size() > n) {
                sb.append(",... (").append(r.fqdns().size()).append(" names)");
            }
        } else {
            sb.append(SafeNames.display(r.to()));
        }
        sb.append(' ').append(r.protocol().name().toLowerCase(java.util.Locale.ROOT));
        if (r.ports() != null && !r.ports().isEmpty()) {
            sb.append(' ');
            for (int i = 0; i < r.ports().size(); i++) {
                sb.append(i == 0 ? "" : ",").append(r.ports().get(i));
            }
        }
        return sb.toString();
    }

    /** A one-line comment for a rule: "worker to Sql.WestEurope: purpose", sanitised. */
    static String comment(Rule r) {
        String text = r.from() + " to " + r.to() + (r.optional() ? " (optional)" : "")
                + (r.purpose() == null || r.purpose().isBlank() ? "" : ": " + r.purpose());
        return SafeNames.comment(text, SafeNames.COMMENT_MAX);
    }

    /** The comment of an inbound rule: "backup-server from console: purpose", sanitised. */
    static String inboundComment(Rule r) {
        String text = r.to() + " from " + r.from() + (r.optional() ? " (optional)" : "")
                + (r.purpose() == null || r.purpose().isBlank() ? "" : ": " + r.purpose());
        return SafeNames.comment(text, SafeNames.COMMENT_MAX);
    }

    /** Appends a usage line per role: "host of ROLE: COMMAND CHAIN" (role to chain name). */
    static void hooks(StringBuilder use, Map<String, String> chains, String command) {
        for (Map.Entry<String, String> c : chains.entrySet()) {
            use.append("\n  host of ").append(SafeNames.comment(c.getKey(), 64)).append(": ").append(command)
                    .append(c.getValue());
        }
    }

    /** Header comment lines ("# ..."), sanitised. */
    static String header(Expansion e, String format, String load) {
        StringBuilder sb = new StringBuilder();
        sb.append("# servicetags ").append(format).append(": product ").append(SafeNames.comment(e.product(), 64))
                .append(", region ").append(SafeNames.comment(e.region(), 64))
                .append(", cloud ").append(SafeNames.comment(e.cloud(), 64))
                .append(", changeNumber ").append(e.changeNumber()).append('\n');
        for (String line : load.split("\n")) {
            sb.append("# ").append(line).append('\n');
        }
        return sb.toString();
    }
}
