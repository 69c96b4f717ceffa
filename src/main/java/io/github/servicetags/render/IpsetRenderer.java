package io.github.servicetags.render;

import io.github.servicetags.IpFamily;
import io.github.servicetags.IpPrefix;
import io.github.servicetags.catalog.Expansion;
import io.github.servicetags.catalog.RuleKind;
import io.github.servicetags.internal.Prefixes;
import java.io.IOException;
import java.io.Writer;
import java.util.EnumSet;
import java.util.List;

/**
 * {@code ipset restore} file: a {@code hash:net} set per destination and family, named {@code st4-<tag>} /
 * {@code st6-<tag>} (roles and hosts: {@code st4-<role>.<product>}), including the sets of the from-roles that
 * the inbound chains of {@code iptables} match. Re-loading is idempotent: each set is
 * created with {@code -exist} and flushed before its entries are added.
 */
final class IpsetRenderer implements Renderers.Renderer {
    /** The plan shared with {@link IptablesRenderer}: same expansion, same names. */
    static Plan plan(Expansion e, RenderOptions options, String format, IpFamily family, List<String> warnings) {
        SafeNames.Registry registry = new SafeNames.Registry(SafeNames.IPSET_MAX);
        EnumSet<IpFamily> families = family == null ? EnumSet.allOf(IpFamily.class) : EnumSet.of(family);
        Plan.SetNamer namer = (reg, key, label, kind, f) -> reg.name("set\u0000" + key,
                f == IpFamily.IPV4 ? "st4-" : "st6-", kind == RuleKind.TAG ? label : label + "." + e.product(), "");
        return Plan.build(e, options, format, families, registry, namer, true, warnings);
    }

    @Override
    public void render(Expansion e, RenderOptions options, Writer out, List<String> warnings) throws IOException {
        Plan plan = plan(e, options, "ipset", null, warnings);
        out.write(Plan.header(e, "ipset", "Load: ipset restore < FILE (creates or refills the sets below, nothing else)\n"
                + "Then: iptables-restore --noflush < the --format iptables file (ip6tables-restore for ip6tables)"));
        for (Plan.AddressSet s : plan.sets) {
            List<IpPrefix> prefixes = Prefixes.withoutZeroLength(s.prefixes());
            int maxelem = 65536;
            while (maxelem < prefixes.size()) {
                maxelem *= 2;
            }
            out.write("create " + s.name() + " hash:net family " + (s.family() == IpFamily.IPV4 ? "inet" : "inet6")
                    + " maxelem " + maxelem + " -exist\n");
            out.write("flush " + s.name() + "\n");
            for (IpPrefix p : prefixes) {
                out.write("add " + s.name() + " " + p + "\n");
            }
        }
    }
}
