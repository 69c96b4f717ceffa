package io.github.servicetags.render;

import io.github.servicetags.IpFamily;
import io.github.servicetags.IpPrefix;
import io.github.servicetags.catalog.Expansion;
import io.github.servicetags.catalog.Rule;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * External dynamic list (Palo Alto EDL, FortiGate threat feed, ...): every destination CIDR of every rule, one per
 * line, IPv4 first, sorted, without duplicates or prefixes covered by another one. No comments, so that any
 * consumer reads it. Ports are not part of the list; host-name rules become warnings.
 */
final class EdlRenderer implements Renderers.Renderer {
    @Override
    public void render(Expansion e, RenderOptions options, Writer out, List<String> warnings) throws IOException {
        List<IpPrefix> all = new ArrayList<>();
        for (Rule r : e.rules()) {
            if (Plan.expressible(r, "edl", warnings)) {
                all.addAll(r.prefixes());
            }
        }
        List<IpPrefix> list = list(all, options);
        FitProfile fit = options.fit();
        if (fit.appliesTo("edl") && list.size() > fit.maxEntries()) {
            List<IpPrefix> merged = options.aggregate() ? list : list(all, options.aggregated());
            if (merged.size() > fit.maxEntries()) {
                throw new LimitExceededException("edl", merged.size(), fit.maxEntries(), "edl: " + merged.size()
                        + " entries are needed even after merging adjacent prefixes, but the edl profile allows "
                        + fit.maxEntries() + " in one list");
            }
            warnings.add("fit edl: " + list.size() + " entries do not fit in " + fit.maxEntries()
                    + "; merged adjacent and overlapping prefixes (as --aggregate does): " + merged.size()
                    + " entries");
            list = merged;
        }
        for (IpPrefix p : list) {
            out.write(p.toString());
            out.write('\n');
        }
    }

    private static List<IpPrefix> list(List<IpPrefix> all, RenderOptions options) {
        List<IpPrefix> out = new ArrayList<>();
        for (IpFamily f : IpFamily.values()) {
            out.addAll(Plan.prefixes(all, f, options));
        }
        return out;
    }
}
