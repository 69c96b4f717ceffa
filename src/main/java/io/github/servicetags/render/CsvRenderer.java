package io.github.servicetags.render;

import io.github.servicetags.IpFamily;
import io.github.servicetags.IpPrefix;
import io.github.servicetags.catalog.Expansion;
import io.github.servicetags.catalog.PortRange;
import io.github.servicetags.catalog.Rule;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;

/**
 * RFC 4180 CSV (CRLF line ends, quoted when needed), one row per rule and prefix, or per rule and FQDN, or one row
 * for a rule with neither. A cell a spreadsheet would evaluate ({@code = + - @}, tab or CR first, also after leading
 * spaces) gets a leading apostrophe.
 */
final class CsvRenderer implements Renderers.Renderer {
    static final List<String> HEADER = List.of("product", "region", "from", "to", "kind", "protocol", "ports", "family",
            "prefix", "fqdn", "optional", "purpose", "source");

    @Override
    public void render(Expansion e, RenderOptions options, Writer out, List<String> warnings) throws IOException {
        row(out, HEADER.toArray(new String[0]));
        for (Rule r : e.rules()) {
            StringBuilder ports = new StringBuilder();
            if (r.ports() != null) {
                for (PortRange p : r.ports()) {
                    ports.append(ports.length() == 0 ? "" : " ").append(p);
                }
            }
            String[] base = {e.product(), e.region(), r.from(), r.to(), lower(r.kind()), lower(r.protocol()),
                ports.toString(), "", "", "", Boolean.toString(r.optional()), r.purpose(), r.source()};
            boolean any = false;
            for (IpFamily f : IpFamily.values()) {
                for (IpPrefix p : Plan.prefixes(r.prefixes(), f, options)) {
                    base[7] = f == IpFamily.IPV4 ? "ipv4" : "ipv6";
                    base[8] = p.toString();
                    row(out, base);
                    any = true;
                }
            }
            base[7] = "";
            base[8] = "";
            if (r.fqdns() != null) {
                for (String fqdn : r.fqdns()) {
                    base[9] = fqdn;
                    row(out, base);
                    any = true;
                }
            }
            base[9] = "";
            if (!any) {
                row(out, base);
            }
        }
    }

    private static String lower(Enum<?> v) {
        return v == null ? "" : v.name().toLowerCase(Locale.ROOT);
    }

    static void row(Writer out, String... cells) throws IOException {
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(cell(cells[i]));
        }
        out.write("\r\n");
    }

    /** One cell: neutralised against formula evaluation, then quoted when it holds a comma, quote or line break. */
    static String cell(String raw) {
        String v = raw == null ? "" : raw;
        int i = 0;
        while (i < v.length() && v.charAt(i) == ' ') {
            i++;
        }
        if (i < v.length() && "=+-@\t\r\n".indexOf(v.charAt(i)) >= 0
                || i < v.length() && "\uff1d\uff0b\uff0d\uff20".indexOf(v.charAt(i)) >= 0) {
            v = "'" + v;
        }
        boolean quote = false;
        for (int k = 0; k < v.length() && !quote; k++) {
            char c = v.charAt(k);
            quote = c == ',' || c == ';' || c == '"' || c == '\r' || c == '\n';
        }
        return quote ? '"' + v.replace("\"", "\"\"") + '"' : v;
    }
}
