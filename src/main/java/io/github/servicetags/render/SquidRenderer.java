package io.github.servicetags.render;

import io.github.servicetags.IpFamily;
import io.github.servicetags.IpPrefix;
import io.github.servicetags.catalog.Expansion;
import io.github.servicetags.catalog.PortRange;
import io.github.servicetags.catalog.Protocol;
import io.github.servicetags.catalog.Rule;
import io.github.servicetags.catalog.RuleKind;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A Squid allow-list for the FQDN flows, to {@code include} before the proxy's final {@code http_access deny all}:
 * one {@code dstdomain} ACL per flow ({@code *.blob.core.windows.net} becomes {@code .blob.core.windows.net}, and
 * names that another name of the same ACL already covers are left out, so Squid loads it without warnings), one
 * {@code port} ACL per port set, one {@code src} ACL per bound source role, and an {@code http_access allow} line
 * per flow. A flow whose from-role is not bound gets a commented line and a warning naming the {@code --bind} that
 * writes it: never an allow from any client. Flows to addresses, and UDP flows, are warnings (a proxy carries TCP
 * connections to host names).
 */
final class SquidRenderer implements Renderers.Renderer {
    static final String FORMAT = "squid";
    /**
     * Squid refuses ACL names longer than 63 characters, and a name of exactly 63 is declared but then not found by
     * {@code http_access} (Squid 5.7): 62 at most.
     */
    static final int ACL_MAX = 62;
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    /** Whether {@code name} is a host name, or {@code *.} and a host name, that a proxy or firewall can match. */
    static boolean validName(String name) {
        if (name == null || name.isEmpty() || name.length() > 253) {
            return false;
        }
        String n = name.toLowerCase(Locale.ROOT);
        if (n.startsWith("*.")) {
            n = n.substring(2);
        }
        String[] labels = n.split("\\.", -1);
        if (labels.length < 2) {
            return false;
        }
        for (String l : labels) {
            if (!LABEL.matcher(l).matches()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The {@code dstdomain} entries of a list of names: lower case, {@code *.x} as {@code .x}, without the names that
     * another entry covers ({@code .x} covers {@code x}, {@code a.x} and {@code .a.x}), in the order given.
     */
    static List<String> domains(List<String> names) {
        List<String> all = new ArrayList<>();
        for (String n : names) {
            String d = n.toLowerCase(Locale.ROOT);
            all.add(d.startsWith("*.") ? d.substring(1) : d);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            String d = all.get(i);
            String bare = d.startsWith(".") ? d.substring(1) : d;
            boolean covered = false;
            for (int j = 0; j < all.size() && !covered; j++) {
                String w = all.get(j);
                if (w.equals(d)) {
                    covered = j < i; // a duplicate: the first one stays
                } else if (w.startsWith(".")) {
                    covered = bare.equals(w.substring(1)) || bare.endsWith(w);
                }
            }
            if (!covered) {
                out.add(d);
            }
        }
        return out;
    }

    @Override
    public void render(Expansion e, RenderOptions options, Writer out, List<String> warnings) throws IOException {
        SafeNames.Registry acls = new SafeNames.Registry(ACL_MAX);
        String product = e.product();
        Map<String, String> portAcls = new LinkedHashMap<>();
        Map<String, String> srcAcls = new LinkedHashMap<>();
        StringBuilder body = new StringBuilder();
        int index = 0;
        for (Rule r : e.rules()) {
            index++;
            if (r.kind() != RuleKind.FQDN) {
                warnings.add("squid: not rendered: " + Plan.describe(r) + ": a proxy allow-list holds host names;"
                        + " allow these addresses with a packet filter (--format nft, iptables, powershell, nsg or"
                        + " azfw)");
                continue;
            }
            if (r.protocol() != Protocol.TCP) {
                warnings.add("squid: not rendered: " + Plan.describe(r) + ": a proxy carries TCP only");
                continue;
            }
            List<String> names = new ArrayList<>();
            for (String f : r.fqdns()) {
                if (validName(f)) {
                    names.add(f);
                } else {
                    warnings.add("squid: not rendered: " + Plan.describe(r) + ": '" + SafeNames.display(f)
                            + "' is not a host name");
                }
            }
            if (names.isEmpty()) {
                continue;
            }
            List<PortRange> ports = Plan.ports(r);
            body.append('\n').append("# ").append(Plan.comment(r)).append('\n');
            String dst = acls.name("dst\u0000" + index, "st_", product + "_dst_" + index, "");
            body.append("acl ").append(dst).append(" dstdomain");
            for (String d : domains(names)) {
                body.append(' ').append(d);
            }
            body.append('\n');
            String port = null;
            if (!ports.isEmpty()) {
                StringBuilder list = new StringBuilder();
                for (PortRange p : ports) {
                    list.append(' ').append(p);
                }
                String key = list.toString();
                port = portAcls.get(key);
                if (port == null) {
                    port = acls.name("port\u0000" + key, "st_", product + "_port_" + (portAcls.size() + 1), "");
                    portAcls.put(key, port);
                    body.append("acl ").append(port).append(" port").append(key).append('\n');
                }
            }
            String allow = " " + (port == null ? "" : port + " ") + dst;
            if (r.fromPrefixes().isEmpty()) {
                warnings.add("squid: not rendered: " + Plan.describe(r) + ": " + SafeNames.display(r.from())
                        + " is not bound; --bind " + SafeNames.display(r.from()) + "=CIDR writes its http_access line");
                body.append("# not bound: --bind ").append(SafeNames.comment(r.from(), 64)).append("=CIDR writes:")
                        .append(" http_access allow SOURCE").append(allow).append('\n');
                continue;
            }
            String src = srcAcls.get(r.from());
            if (src == null) {
                src = acls.name("src\u0000" + r.from(), "st_", product + "_src_" + r.from(), "");
                srcAcls.put(r.from(), src);
                body.append("acl ").append(src).append(" src");
                for (IpFamily f : IpFamily.values()) {
                    for (IpPrefix p : Plan.prefixes(r.fromPrefixes(), f, options)) {
                        body.append(' ').append(p);
                    }
                }
                body.append('\n');
            }
            body.append("http_access allow ").append(src).append(allow).append('\n');
        }
        out.write(Plan.header(e, FORMAT, "Load: in squid.conf, before the final \"http_access deny all\":\n"
                + "  include /etc/squid/conf.d/FILE.conf\n"
                + "then: squid -k parse && squid -k reconfigure. Clients of each role use the proxy (port 3128)."));
        out.write(body.toString());
    }
}
