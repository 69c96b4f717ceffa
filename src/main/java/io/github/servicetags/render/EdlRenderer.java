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
        for (IpFamily f : IpFamily.values()) {
            for (IpPrefix p : Plan.prefixes(all, f, options)) {
                out.write(p.toString());
                out.write('\n');
            }
        }
    }
}
