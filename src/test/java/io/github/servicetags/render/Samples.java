package io.github.servicetags.render;

import io.github.servicetags.IpPrefix;
import io.github.servicetags.catalog.Expansion;
import io.github.servicetags.catalog.PortRange;
import io.github.servicetags.catalog.Protocol;
import io.github.servicetags.catalog.Rule;
import io.github.servicetags.catalog.RuleKind;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Hand-built expansions: a small realistic one and a hostile one. */
final class Samples {
    static final String SRC = "https://learn.microsoft.com/example";

    private Samples() {
    }

    static List<IpPrefix> cidrs(String... cidrs) {
        List<IpPrefix> out = new ArrayList<>();
        for (String c : cidrs) {
            out.add(IpPrefix.parse(c));
        }
        return out;
    }

    static List<PortRange> ports(String... ports) {
        List<PortRange> out = new ArrayList<>();
        for (String p : ports) {
            int d = p.indexOf('-');
            out.add(d < 0 ? new PortRange(Integer.parseInt(p), Integer.parseInt(p))
                    : new PortRange(Integer.parseInt(p.substring(0, d)), Integer.parseInt(p.substring(d + 1))));
        }
        return out;
    }

    static Rule rule(String from, String to, RuleKind kind, Protocol protocol, List<PortRange> ports,
            List<IpPrefix> prefixes, List<String> fqdns, String purpose) {
        return new Rule(from, to, kind, protocol, ports, prefixes, fqdns, false, purpose, SRC);
    }

    /** The addresses bound to the appliance role in {@link #small()}. */
    static final List<IpPrefix> APPLIANCE = cidrs("10.9.0.0/24", "fd00:9::/64");

    /**
     * Covers every kind, protocol, both families, overlaps, a 17-port list, an unbound host, a rule to a role from a
     * bound role (inbound rule written) and one from an unbound role (inbound rule named in a warning).
     */
    static Expansion small() {
        List<Rule> rules = List.of(
                rule("worker", "Sql.WestEurope", RuleKind.TAG, Protocol.TCP, ports("1433", "11000-11999"),
                        cidrs("13.69.112.0/28", "13.69.112.16/28", "2603:1020:203::/48"), List.of(),
                        "Azure SQL gateway and redirect ports"),
                rule("worker", "AzureActiveDirectory", RuleKind.TAG, Protocol.TCP, ports("443"),
                        cidrs("20.190.128.0/18", "40.126.0.0/18"), List.of(), "Entra ID sign-in"),
                rule("appliance", "login.microsoftonline.com", RuleKind.FQDN, Protocol.TCP, ports("443"), List.of(),
                        List.of("login.microsoftonline.com", "*.blob.core.windows.net"), "sign-in and blobs")
                        .withFromPrefixes(APPLIANCE),
                rule("appliance", "proxy", RuleKind.ROLE, Protocol.TCP,
                        ports("1", "3", "5", "7", "9", "11", "13", "15", "17", "19", "21", "23", "25", "27", "29",
                                "31", "33-34"),
                        cidrs("10.1.2.0/24"), List.of(), "many ports").withFromPrefixes(APPLIANCE),
                rule("console", "gateway", RuleKind.HOST, Protocol.UDP, List.of(), List.of(), List.of(),
                        "unbound host"),
                rule("worker", "Storage.WestEurope", RuleKind.TAG, Protocol.ICMP, List.of(),
                        cidrs("10.0.0.0/8", "10.1.0.0/16", "10.0.0.0/8", "fd00::/8"), List.of(), "ping"),
                rule("worker", "everything", RuleKind.ROLE, Protocol.ANY, List.of(),
                        cidrs("0.0.0.0/0", "::/0"), List.of(), "any"));
        return new Expansion("veeam-backup-azure", "westeurope", "Public", 376, rules,
                List.of("AzureActiveDirectory has no regional tags; the global tag is used"));
    }

    static final String EVIL = "x\"; flush ruleset; `reboot` $(reboot) ${HOME} \\\n\r# -j DROP\u2028'q' */ ";
    static final String LONG = "L".repeat(299);

    /** Strings that try to break out of every format. */
    static Expansion hostile() {
        List<IpPrefix> v4 = cidrs("192.0.2.0/24");
        List<IpPrefix> both = cidrs("198.51.100.0/24", "2001:db8::/32");
        List<Rule> rules = List.of(
                rule(EVIL, "Sql." + EVIL, RuleKind.TAG, Protocol.TCP, ports("443"), both, List.of(), EVIL),
                rule("ACCEPT", "flush", RuleKind.ROLE, Protocol.UDP, ports("53"), v4, List.of(), "=cmd|' /C calc'!A0")
                        .withFromPrefixes(cidrs("203.0.113.0/24")),
                rule(LONG + "a", LONG + "a", RuleKind.ROLE, Protocol.TCP, ports("1-2"), v4, List.of(), "+1")
                        .withFromPrefixes(both),
                rule(LONG + "b", LONG + "b", RuleKind.ROLE, Protocol.TCP, ports("3-4"), both, List.of(), "-1")
                        .withFromPrefixes(both),
                rule(EVIL, "'; Remove-Item -Recurse C:\\ #", RuleKind.ROLE, Protocol.TCP, ports("445"), v4, List.of(),
                        "$(Stop-Computer) `whoami` '@ \"@ ${env:PATH} \u2019; iex x")
                        .withFromPrefixes(both),
                rule("", "", RuleKind.HOST, Protocol.TCP, ports("22"), v4, List.of(), "@SUM(1)"),
                rule("-exist", "-exist", RuleKind.TAG, Protocol.ANY, List.of(), v4, List.of(), "\tx"),
                rule("w", "fq", RuleKind.FQDN, Protocol.TCP, ports("443"), List.of(),
                        List.of("evil.example\n-A OUTPUT -j DROP", "=1+1", "ok.example", "*.ok.example",
                                "x.example http_access allow all", "\u0435vil.example"), "\r\n")
                        .withFromPrefixes(cidrs("192.0.2.0/25")),
                rule(EVIL, "fq2", RuleKind.FQDN, Protocol.TCP, ports("80", "8080"), List.of(),
                        List.of("a.example", "*.b.example"), EVIL).withFromPrefixes(both),
                rule("table", "chain", RuleKind.ROLE, Protocol.ICMP, List.of(), both, List.of(), ""),
                rule("w", "Tag\u00e9\u0000", RuleKind.TAG, Protocol.TCP, ports("80"), v4, List.of(), "\u202e"));
        return new Expansion(EVIL + LONG, EVIL, EVIL, 376, rules, List.of(EVIL));
    }

    static String render(String format, Expansion e, List<String> warnings) {
        return render(format, e, RenderOptions.defaults(), warnings);
    }

    static String render(String format, Expansion e, RenderOptions o, List<String> warnings) {
        StringWriter w = new StringWriter();
        try {
            Renderers.render(format, e, o, w, warnings);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return w.toString();
    }
}
