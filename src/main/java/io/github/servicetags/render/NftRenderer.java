package io.github.servicetags.render;

import io.github.servicetags.IpFamily;
import io.github.servicetags.IpPrefix;
import io.github.servicetags.catalog.Expansion;
import io.github.servicetags.catalog.PortRange;
import io.github.servicetags.catalog.Protocol;
import java.io.IOException;
import java.io.Writer;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code nft -f} ruleset: {@code table inet st_<product>} (re-created on every load, so a re-run changes nothing
 * and other tables stay untouched), an interval set per destination and family, one regular chain
 * {@code <role>_out} per source role with accept rules on the destination addresses, and one chain
 * {@code <role>_in} per destination role with accept rules on the from-roles' bound addresses ({@code saddr}).
 * A host jumps to the chains of its roles from base chains (the header says how).
 */
final class NftRenderer implements Renderers.Renderer {
    /** The plan of the nft format, with the set names it writes. */
    static Plan plan(Expansion e, RenderOptions options, SafeNames.Registry names, List<String> warnings) {
        return Plan.build(e, options, "nft", EnumSet.allOf(IpFamily.class), names,
                (reg, key, label, kind, family) -> reg.name("set\u0000" + key, "", label,
                        family == IpFamily.IPV4 ? "_v4" : "_v6"),
                true, warnings);
    }

    @Override
    public void render(Expansion e, RenderOptions options, Writer out, List<String> warnings) throws IOException {
        SafeNames.Registry names = new SafeNames.Registry(SafeNames.NFT_MAX);
        String table = SafeNames.identifier("st_", e.product(), "", SafeNames.NFT_MAX);
        Plan plan = plan(e, options, names, warnings);
        Map<String, String> chains = new LinkedHashMap<>();
        for (Plan.Target t : plan.targets) {
            chains.computeIfAbsent(t.rule().from(), from -> names.name("chain\u0000" + from, "", from, "_out"));
        }
        Map<String, String> inChains = new LinkedHashMap<>();
        for (Plan.Target t : plan.inbound) {
            inChains.computeIfAbsent(t.rule().to(), to -> names.name("chain-in\u0000" + to, "", to, "_in"));
        }
        StringBuilder use = new StringBuilder("Load: nft -f FILE (re-creates table inet " + table
                + " atomically, nothing else)\n"
                + "Use: the chains below filter nothing until a base chain of this table jumps to them; on a host,\n"
                + "after each load, add the base chains and the jumps of the host's roles, then a drop rule after the\n"
                + "jumps to allow only these flows:\n"
                + "  nft add chain inet " + table + " output '{ type filter hook output priority 0; policy accept; }'\n"
                + "  nft add chain inet " + table + " input '{ type filter hook input priority 0; policy accept; }'");
        Plan.hooks(use, chains, "nft add rule inet " + table + " output jump ");
        Plan.hooks(use, inChains, "nft add rule inet " + table + " input jump ");
        out.write("#!/usr/sbin/nft -f\n");
        out.write(Plan.header(e, "nft", use.toString()));
        out.write("table inet " + table + "\n");
        out.write("delete table inet " + table + "\n");
        out.write("table inet " + table + " {\n");
        for (Plan.AddressSet s : plan.sets) {
            out.write("\tset " + s.name() + " {\n");
            out.write("\t\ttype " + (s.family() == IpFamily.IPV4 ? "ipv4_addr" : "ipv6_addr") + "\n");
            out.write("\t\tflags interval\n");
            out.write("\t\tauto-merge\n");
            out.write("\t\telements = {\n");
            List<IpPrefix> prefixes = s.prefixes();
            for (int i = 0; i < prefixes.size(); i++) {
                out.write("\t\t\t" + prefixes.get(i) + (i + 1 < prefixes.size() ? ",\n" : "\n"));
            }
            out.write("\t\t}\n");
            out.write("\t}\n");
        }
        writeChains(out, chains, plan.targets, false);
        writeChains(out, inChains, plan.inbound, true);
        out.write("}\n");
    }

    private static void writeChains(Writer out, Map<String, String> chains, List<Plan.Target> targets,
            boolean inbound) throws IOException {
        for (Map.Entry<String, String> c : chains.entrySet()) {
            out.write("\tchain " + c.getValue() + " {\n");
            for (Plan.Target t : targets) {
                if ((inbound ? t.rule().to() : t.rule().from()).equals(c.getKey())) {
                    out.write("\t\t" + rule(t, inbound) + "\n");
                }
            }
            out.write("\t}\n");
        }
    }

    private static String rule(Plan.Target t, boolean inbound) {
        boolean v4 = t.family() == IpFamily.IPV4;
        StringBuilder sb = new StringBuilder();
        sb.append(v4 ? "ip " : "ip6 ").append(inbound ? "saddr @" : "daddr @").append(t.set().name());
        Protocol p = t.rule().protocol();
        if (p == Protocol.TCP || p == Protocol.UDP) {
            String proto = p == Protocol.TCP ? "tcp" : "udp";
            List<PortRange> ports = t.ports();
            if (ports.isEmpty()) {
                sb.append(" meta l4proto ").append(proto);
            } else if (ports.size() == 1) {
                sb.append(' ').append(proto).append(" dport ").append(port(ports.get(0)));
            } else {
                sb.append(' ').append(proto).append(" dport { ");
                for (int i = 0; i < ports.size(); i++) {
                    sb.append(i == 0 ? "" : ", ").append(port(ports.get(i)));
                }
                sb.append(" }");
            }
        } else if (p == Protocol.ICMP) {
            sb.append(v4 ? " meta l4proto icmp" : " meta l4proto ipv6-icmp");
        }
        sb.append(" accept");
        String comment = inbound ? Plan.inboundComment(t.rule()) : Plan.comment(t.rule());
        if (!comment.isEmpty()) {
            sb.append(" comment \"").append(comment).append('"');
        }
        return sb.toString();
    }

    private static String port(PortRange p) {
        return p.from() == p.to() ? Integer.toString(p.from()) : p.from() + "-" + p.to();
    }
}
