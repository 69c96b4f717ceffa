package io.github.servicetags.render;

import io.github.servicetags.IpFamily;
import io.github.servicetags.IpPrefix;
import io.github.servicetags.catalog.Expansion;
import io.github.servicetags.catalog.PortRange;
import io.github.servicetags.catalog.Rule;
import io.github.servicetags.internal.Csv;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;

/**
 * RFC 4180 CSV, one row per rule and prefix, or per rule and FQDN, or one row for a rule with neither; cells are
 * neutralised against formula evaluation by {@link Csv}.
 */
final class CsvRenderer implements Renderers.Renderer {
    static final List<String> HEADER = List.of("product", "region", "from", "to", "kind", "protocol", "ports", "family",
            "prefix", "fqdn", "optional", "purpose", "source");

    @Override
    public void render(Expansion e, RenderOptions options, Writer out, List<String> warnings) throws IOException {
        Csv.row(out, HEADER.toArray(new String[0]));
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
                    Csv.row(out, base);
                    any = true;
                }
            }
            base[7] = "";
            base[8] = "";
            if (r.fqdns() != null) {
                for (String fqdn : r.fqdns()) {
                    base[9] = fqdn;
                    Csv.row(out, base);
                    any = true;
                }
            }
            base[9] = "";
            if (!any) {
                Csv.row(out, base);
            }
        }
    }

    private static String lower(Enum<?> v) {
        return v == null ? "" : v.name().toLowerCase(Locale.ROOT);
    }
}
