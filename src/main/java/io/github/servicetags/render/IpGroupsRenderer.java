package io.github.servicetags.render;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.servicetags.IpFamily;
import io.github.servicetags.IpPrefix;
import io.github.servicetags.catalog.Expansion;
import io.github.servicetags.catalog.RuleKind;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * Azure Firewall IP Groups: a JSON array of {@code {"name", "properties": {"ipAddresses": [...]}, "tags"}}, the
 * shape of an ARM {@code Microsoft.Network/ipGroups} resource, one group per destination (IP Groups hold IPv4
 * only). With {@link FitProfile#ipGroups()} a group larger than 5000 addresses is split into {@code <name>-1},
 * {@code <name>-2}, ...; more groups than allowed, even after merging, is a {@link LimitExceededException}.
 * Ports and protocols belong to the firewall rules that use the groups; host-name rules become warnings (use
 * application rules for them).
 */
final class IpGroupsRenderer implements Renderers.Renderer {
    static final int NAME_MAX = 80;
    static final int TAG_VALUE_MAX = 256;

    /** One IP Group. */
    record Group(String name, String destination, int part, int parts, List<IpPrefix> prefixes) {
    }

    @Override
    public void render(Expansion e, RenderOptions options, Writer out, List<String> warnings) throws IOException {
        FitProfile fit = options.fit().appliesTo("ipgroups") ? options.fit() : null;
        List<String> notes = new ArrayList<>();
        List<Group> groups = groups(e, options, fit, notes);
        if (fit != null && groups.size() > fit.maxGroups() && !options.aggregate()) {
            List<String> again = new ArrayList<>();
            List<Group> merged = groups(e, options.aggregated(), fit, again);
            again.add("fit ipgroups: " + groups.size() + " IP Groups do not fit in " + fit.maxGroups()
                    + "; merged adjacent and overlapping prefixes (as --aggregate does): " + merged.size()
                    + " IP Groups");
            groups = merged;
            notes = again;
        }
        if (fit != null && groups.size() > fit.maxGroups()) {
            throw new LimitExceededException("ipgroups", groups.size(), fit.maxGroups(), "ipgroups: "
                    + groups.size() + " IP Groups are needed even after merging adjacent prefixes, but the ipgroups"
                    + " profile allows " + fit.maxGroups());
        }
        if (fit == null) {
            for (Group g : groups) {
                if (g.prefixes().size() > FitProfile.ipGroups().maxEntries()) {
                    notes.add("ipgroups: " + g.name() + " holds " + g.prefixes().size() + " addresses; an IP Group"
                            + " holds at most " + FitProfile.ipGroups().maxEntries() + " (--fit ipgroups splits it)");
                }
            }
        }
        warnings.addAll(notes);
        try (JsonGenerator g = JsonRenderer.generator(out)) {
            g.writeStartArray();
            for (Group group : groups) {
                g.writeStartObject();
                g.writeStringField("name", group.name());
                g.writeObjectFieldStart("properties");
                g.writeArrayFieldStart("ipAddresses");
                for (IpPrefix p : group.prefixes()) {
                    g.writeString(p.toString());
                }
                g.writeEndArray();
                g.writeEndObject();
                g.writeObjectFieldStart("tags");
                g.writeStringField("servicetags-destination", SafeNames.comment(group.destination(), TAG_VALUE_MAX));
                g.writeStringField("servicetags-product", SafeNames.comment(e.product(), TAG_VALUE_MAX));
                g.writeStringField("servicetags-part", group.part() + "/" + group.parts());
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        out.write('\n');
    }

    static List<Group> groups(Expansion e, RenderOptions options, FitProfile fit, List<String> warnings) {
        SafeNames.Registry names = new SafeNames.Registry(NAME_MAX);
        Plan plan = Plan.build(e, options, "ipgroups", EnumSet.of(IpFamily.IPV4), new SafeNames.Registry(NAME_MAX),
                (reg, key, label, kind, f) -> key, warnings);
        Integer v6 = plan.otherFamily.get(IpFamily.IPV6);
        if (v6 != null) {
            warnings.add("ipgroups: " + v6 + (v6 == 1 ? " rule has" : " rules have") + " IPv6 prefixes, which IP"
                    + " Groups do not hold; they are left out (use --format nsg or json for them)");
        }
        List<Group> out = new ArrayList<>();
        for (Plan.AddressSet s : plan.sets) {
            boolean tag = plan.targets.stream().anyMatch(t -> t.set() == s && t.rule().kind() == RuleKind.TAG);
            String raw = tag ? s.label() : s.label() + "." + e.product();
            List<List<IpPrefix>> chunks = fit == null ? List.of(s.prefixes()) : Plan.chunk(s.prefixes(),
                    fit.maxEntries());
            if (chunks.size() > 1) {
                warnings.add("fit ipgroups: " + SafeNames.display(s.label()) + ": " + s.prefixes().size()
                        + " addresses split into " + chunks.size() + " IP Groups of at most " + fit.maxEntries());
            }
            for (int i = 0; i < chunks.size(); i++) {
                String suffix = chunks.size() == 1 ? "" : "-" + (i + 1);
                // Azure names end with a letter, digit or underscore: a name ending otherwise gets its hash.
                char last = raw.isEmpty() ? '-' : raw.charAt(raw.length() - 1);
                String r = suffix.isEmpty() && !(Character.isLetterOrDigit(last) && last < 128 || last == '_')
                        ? raw + "\u0000" : raw;
                String name = names.name(s.name() + "\u0000" + i, "st-", r, suffix);
                out.add(new Group(name, s.label(), i + 1, chunks.size(), chunks.get(i)));
            }
        }
        return out;
    }
}
