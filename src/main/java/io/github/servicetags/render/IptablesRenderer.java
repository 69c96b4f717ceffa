package io.github.servicetags.render;

import io.github.servicetags.IpFamily;
import io.github.servicetags.catalog.Expansion;
import io.github.servicetags.catalog.PortRange;
import io.github.servicetags.catalog.Protocol;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code iptables-restore --noflush} (or, for IPv6, {@code ip6tables-restore --noflush}) file for the filter
 * table: one chain per source role, {@code st-<role>.<product>}, with accept rules that match the destination sets of
 * the {@code ipset} format, and one chain per destination role, {@code st-in-<role>.<product>}, with accept rules
 * that match the sets of the from-roles' bound addresses ({@code src}). Multiport lists hold at most 15 ports (a range counts twice), so longer lists become several
 * rules. Declaring the chain flushes it, so a re-load replaces the rules instead of adding them twice.
 */
final class IptablesRenderer implements Renderers.Renderer {
    /** multiport accepts at most 15 port values; a range takes two. */
    static final int MULTIPORT_MAX = 15;

    private final boolean ipv6;

    IptablesRenderer(boolean ipv6) {
        this.ipv6 = ipv6;
    }

    @Override
    public void render(Expansion e, RenderOptions options, Writer out, List<String> warnings) throws IOException {
        String format = ipv6 ? "ip6tables" : "iptables";
        IpFamily family = ipv6 ? IpFamily.IPV6 : IpFamily.IPV4;
        Plan plan = IpsetRenderer.plan(e, options, format, family, warnings);
        Integer other = plan.otherFamily.get(ipv6 ? IpFamily.IPV4 : IpFamily.IPV6);
        if (other != null) {
            warnings.add(format + ": " + other + (other == 1 ? " rule has " : " rules have ") + (ipv6 ? "IPv4" : "IPv6")
                    + " prefixes that are in --format " + (ipv6 ? "iptables" : "ip6tables") + " instead");
        }
        SafeNames.Registry chainNames = new SafeNames.Registry(SafeNames.IPTABLES_CHAIN_MAX);
        Map<String, String> chains = new LinkedHashMap<>();
        for (Plan.Target t : plan.targets) {
            chains.computeIfAbsent(t.rule().from(),
                    from -> chainNames.name("out\u0000" + from, "st-", from + "." + e.product(), ""));
        }
        Map<String, String> inChains = new LinkedHashMap<>();
        for (Plan.Target t : plan.inbound) {
            inChains.computeIfAbsent(t.rule().to(),
                    to -> chainNames.name("in\u0000" + to, "st-in-", to + "." + e.product(), ""));
        }
        StringBuilder use = new StringBuilder("Load: ipset restore < SETS && " + format
                + "-restore --noflush < FILE\n"
                + "(without --noflush, " + format + "-restore would flush the whole filter table)\n"
                + "Use: on a host, jump to the chains of its roles once (they survive reloads), then add a drop rule"
                + " after\nthe jumps to allow only these flows:");
        Plan.hooks(use, chains, format + " -A OUTPUT -j ");
        Plan.hooks(use, inChains, format + " -A INPUT -j ");
        if (chains.isEmpty() && inChains.isEmpty()) {
            use.append("\n  (no chains: nothing in this expansion can be written as ").append(format)
                    .append(" rules)");
        }
        out.write(Plan.header(e, format, use.toString()));
        out.write("*filter\n");
        for (String chain : chains.values()) {
            out.write(":" + chain + " - [0:0]\n");
        }
        for (String chain : inChains.values()) {
            out.write(":" + chain + " - [0:0]\n");
        }
        writeChains(out, chains, plan.targets, false);
        writeChains(out, inChains, plan.inbound, true);
        out.write("COMMIT\n");
    }

    private void writeChains(Writer out, Map<String, String> chains, List<Plan.Target> targets, boolean inbound)
            throws IOException {
        for (Map.Entry<String, String> c : chains.entrySet()) {
            for (Plan.Target t : targets) {
                if ((inbound ? t.rule().to() : t.rule().from()).equals(c.getKey())) {
                    for (String line : rules(c.getValue(), t, inbound)) {
                        out.write(line);
                        out.write('\n');
                    }
                }
            }
        }
    }

    private List<String> rules(String chain, Plan.Target t, boolean inbound) {
        StringBuilder head = new StringBuilder();
        head.append("-A ").append(chain);
        Protocol p = t.rule().protocol();
        switch (p) {
            case TCP -> head.append(" -p tcp");
            case UDP -> head.append(" -p udp");
            case ICMP -> head.append(ipv6 ? " -p ipv6-icmp" : " -p icmp");
            default -> { }
        }
        head.append(" -m set --match-set ").append(t.set().name()).append(inbound ? " src" : " dst");
        String comment = inbound ? Plan.inboundComment(t.rule()) : Plan.comment(t.rule());
        String tail = (comment.isEmpty() ? "" : " -m comment --comment \"" + comment + "\"") + " -j ACCEPT";
        List<String> lines = new ArrayList<>();
        List<PortRange> ports = t.ports();
        if (ports.isEmpty()) {
            lines.add(head + tail);
        } else if (ports.size() == 1) {
            lines.add(head + " --dport " + port(ports.get(0)) + tail);
        } else {
            for (List<PortRange> chunk : chunks(ports)) {
                StringBuilder sb = new StringBuilder(head);
                if (chunk.size() == 1) {
                    sb.append(" --dport ").append(port(chunk.get(0)));
                } else {
                    sb.append(" -m multiport --dports ");
                    for (int i = 0; i < chunk.size(); i++) {
                        sb.append(i == 0 ? "" : ",").append(port(chunk.get(i)));
                    }
                }
                lines.add(sb + tail);
            }
        }
        return lines;
    }

    /** Splits a port list so that each part uses at most 15 multiport slots (a range uses two). */
    static List<List<PortRange>> chunks(List<PortRange> ports) {
        List<List<PortRange>> out = new ArrayList<>();
        List<PortRange> cur = new ArrayList<>();
        int used = 0;
        for (PortRange p : ports) {
            int cost = p.from() == p.to() ? 1 : 2;
            if (used + cost > MULTIPORT_MAX) {
                out.add(cur);
                cur = new ArrayList<>();
                used = 0;
            }
            cur.add(p);
            used += cost;
        }
        if (!cur.isEmpty()) {
            out.add(cur);
        }
        return out;
    }

    private static String port(PortRange p) {
        return p.from() == p.to() ? Integer.toString(p.from()) : p.from() + ":" + p.to();
    }
}
