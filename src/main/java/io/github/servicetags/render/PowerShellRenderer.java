package io.github.servicetags.render;

import io.github.servicetags.IpFamily;
import io.github.servicetags.IpPrefix;
import io.github.servicetags.catalog.Expansion;
import io.github.servicetags.catalog.PortRange;
import io.github.servicetags.catalog.Protocol;
import io.github.servicetags.catalog.Rule;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A PowerShell script for Windows Defender Firewall (NetSecurity module, Windows Server 2016 and later). It takes
 * the roles of the host it runs on ({@code -Role backup-server}), removes every rule of the group
 * {@code servicetags <product>}, then adds the rules of those roles: outbound allows to the destinations of the
 * role's flows ({@code -RemoteAddress}, {@code -RemotePort}) and inbound allows from the bound addresses of the roles
 * that connect to it ({@code -RemoteAddress}, {@code -LocalPort}). Address lists are split into rules of at most
 * {@link FitProfile#windows()} entries. Every string from data is reduced to the comment alphabet and written as a
 * single-quoted literal with quotes doubled, so nothing in a data or catalog file can run code; host-name rules
 * become warnings (Windows Firewall matches addresses).
 */
final class PowerShellRenderer implements Renderers.Renderer {
    static final String FORMAT = "powershell";
    /** Display names: long enough for "servicetags product: from to to tcp ports (part)". */
    static final int DISPLAY_MAX = 200;

    /** One {@code New-NetFirewallRule} call. */
    record PsRule(String role, Rule rule, boolean inbound, String protocol, List<PortRange> ports,
            List<IpPrefix> addresses, int part, int parts) {
    }

    @Override
    public void render(Expansion e, RenderOptions options, Writer out, List<String> warnings) throws IOException {
        FitProfile fit = options.fit().appliesTo(FORMAT) ? options.fit() : FitProfile.windows();
        List<String> notes = new ArrayList<>();
        List<PsRule> rules = plan(e, options, fit, notes);
        if (rules.size() > fit.maxGroups() && !options.aggregate()) {
            List<String> again = new ArrayList<>();
            List<PsRule> merged = plan(e, options.aggregated(), fit, again);
            again.add("fit windows: " + rules.size() + " firewall rules do not fit in " + fit.maxGroups()
                    + "; merged adjacent and overlapping prefixes (as --aggregate does): " + merged.size()
                    + " rules");
            rules = merged;
            notes = again;
        }
        if (rules.size() > fit.maxGroups()) {
            throw new LimitExceededException(FORMAT, rules.size(), fit.maxGroups(), "powershell: " + rules.size()
                    + " firewall rules are needed even after merging adjacent prefixes, but the windows profile"
                    + " allows " + fit.maxGroups());
        }
        warnings.addAll(notes);

        SafeNames.Registry roleNames = new SafeNames.Registry(64);
        Map<String, String> roles = new LinkedHashMap<>();
        for (PsRule r : rules) {
            roles.computeIfAbsent(r.role(), role -> roleNames.name(role, "", role, ""));
        }
        String group = "servicetags " + SafeNames.comment(e.product(), 64);
        StringBuilder use = new StringBuilder("Load: on each Windows host, as an administrator, with the roles of"
                + " that host (safe to re-run:\nthe rules of group '" + group + "' are removed first, then those of"
                + " the roles given are added):");
        for (Map.Entry<String, String> r : roles.entrySet()) {
            use.append("\n  host of ").append(SafeNames.comment(r.getKey(), 64)).append(": powershell -ExecutionPolicy")
                    .append(" Bypass -File FILE.ps1 -Role ").append(r.getValue());
        }
        if (roles.isEmpty()) {
            use.append("\n  (no rules: nothing in this expansion can be written as Windows Firewall rules; the"
                    + " script only removes the group's old rules)");
        }
        use.append("\nThe rules only allow: block what else you want blocked with the profile's default action"
                + "\n(Set-NetFirewallProfile -DefaultOutboundAction Block) or rules of your own.");
        out.write("#Requires -RunAsAdministrator\r\n");
        out.write("#Requires -Modules NetSecurity\r\n");
        out.write(Plan.header(e, FORMAT, use.toString()).replace("\n", "\r\n"));
        out.write("param(\r\n");
        if (roles.isEmpty()) {
            out.write("    [string[]] $Role = @()\r\n");
        } else {
            out.write("    [Parameter(Mandatory = $true)]\r\n");
            out.write("    [ValidateSet(");
            int i = 0;
            for (String name : roles.values()) {
                out.write((i++ == 0 ? "" : ", ") + quote(name));
            }
            out.write(")]\r\n");
            out.write("    [string[]] $Role\r\n");
        }
        out.write(")\r\n");
        out.write("$ErrorActionPreference = 'Stop'\r\n");
        out.write("$Group = " + quote(group) + "\r\n");
        out.write("Get-NetFirewallRule -Group $Group -ErrorAction Ignore | Remove-NetFirewallRule\r\n");
        for (Map.Entry<String, String> role : roles.entrySet()) {
            out.write("\r\nif ($Role -contains " + quote(role.getValue()) + ") {\r\n");
            for (PsRule r : rules) {
                if (r.role().equals(role.getKey())) {
                    out.write("    " + call(e, r) + "\r\n");
                }
            }
            out.write("}\r\n");
        }
    }

    /** The rules, grouped by the role whose host gets them, outbound before inbound. */
    static List<PsRule> plan(Expansion e, RenderOptions options, FitProfile fit, List<String> warnings) {
        Map<String, List<PsRule>> byRole = new LinkedHashMap<>();
        for (Rule r : e.rules()) {
            if (Plan.expressible(r, FORMAT, warnings)) {
                add(r, r.from(), false, r.prefixes(), options, fit, byRole, warnings);
            }
            if (Plan.inboundExpressible(r, FORMAT, warnings)) {
                add(r, r.to(), true, r.fromPrefixes(), options, fit, byRole, warnings);
            }
        }
        List<PsRule> out = new ArrayList<>();
        for (List<PsRule> rules : byRole.values()) {
            rules.stream().filter(r -> !r.inbound()).forEach(out::add);
            rules.stream().filter(PsRule::inbound).forEach(out::add);
        }
        return out;
    }

    private static void add(Rule r, String role, boolean inbound, List<IpPrefix> remote, RenderOptions options,
            FitProfile fit, Map<String, List<PsRule>> byRole, List<String> warnings) {
        List<PortRange> ports = Plan.ports(r);
        List<IpPrefix> v4 = Plan.prefixes(remote, IpFamily.IPV4, options);
        List<IpPrefix> v6 = Plan.prefixes(remote, IpFamily.IPV6, options);
        List<List<IpPrefix>> lists = new ArrayList<>();
        List<String> protocols = new ArrayList<>();
        if (r.protocol() == Protocol.ICMP) {
            // ICMPv4 and ICMPv6 are different protocols to Windows Firewall: one rule each.
            if (!v4.isEmpty()) {
                lists.add(v4);
                protocols.add("ICMPv4");
            }
            if (!v6.isEmpty()) {
                lists.add(v6);
                protocols.add("ICMPv6");
            }
        } else {
            List<IpPrefix> both = new ArrayList<>(v4);
            both.addAll(v6);
            lists.add(both);
            protocols.add(switch (r.protocol()) {
                case TCP -> "TCP";
                case UDP -> "UDP";
                default -> "Any";
            });
        }
        for (int l = 0; l < lists.size(); l++) {
            List<List<IpPrefix>> chunks = Plan.chunk(lists.get(l), fit.maxEntries());
            if (chunks.size() > 1) {
                warnings.add("fit windows: " + (inbound ? "inbound " : "") + Plan.describe(r) + ": "
                        + lists.get(l).size() + " addresses split into " + chunks.size() + " rules of at most "
                        + fit.maxEntries());
            }
            for (int i = 0; i < chunks.size(); i++) {
                byRole.computeIfAbsent(role, k -> new ArrayList<>()).add(new PsRule(role, r, inbound,
                        protocols.get(l), ports, chunks.get(i), i + 1, chunks.size()));
            }
        }
    }

    private static String call(Expansion e, PsRule r) {
        Rule rule = r.rule();
        StringBuilder name = new StringBuilder("servicetags ").append(e.product()).append(": ");
        if (r.inbound()) {
            name.append(rule.to()).append(" from ").append(rule.from());
        } else {
            name.append(rule.from()).append(" to ").append(rule.to());
        }
        name.append(' ').append(r.protocol().toLowerCase(java.util.Locale.ROOT));
        for (int i = 0; i < r.ports().size(); i++) {
            name.append(i == 0 ? " " : ",").append(r.ports().get(i));
        }
        String part = r.parts() == 1 ? "" : " (" + r.part() + "/" + r.parts() + ")";
        StringBuilder sb = new StringBuilder("New-NetFirewallRule -Group $Group");
        sb.append(" -DisplayName ").append(quote(SafeNames.comment(name.toString(), DISPLAY_MAX - part.length()) + part));
        sb.append(" -Description ").append(quote(r.inbound() ? Plan.inboundComment(rule) : Plan.comment(rule)));
        sb.append(" -Direction ").append(r.inbound() ? "Inbound" : "Outbound");
        sb.append(" -Action Allow -Profile Any");
        sb.append(" -Protocol ").append(r.protocol());
        if (!r.ports().isEmpty()) {
            sb.append(r.inbound() ? " -LocalPort " : " -RemotePort ");
            for (int i = 0; i < r.ports().size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(quote(r.ports().get(i).toString()));
            }
        }
        sb.append(" -RemoteAddress @(");
        for (int i = 0; i < r.addresses().size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(quote(r.addresses().get(i).toString()));
        }
        sb.append(") | Out-Null");
        return sb.toString();
    }

    /**
     * A single-quoted PowerShell literal: {@code '} and the quotes PowerShell treats like it (U+2018..U+201B) are
     * doubled, so the literal ends only where it is meant to.
     */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('\'');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(c);
            if (c == '\'' || c >= '\u2018' && c <= '\u201b') {
                sb.append(c);
            }
        }
        return sb.append('\'').toString();
    }
}
