package io.github.servicetags.update;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.github.servicetags.IpPrefix;
import io.github.servicetags.catalog.Expansion;
import io.github.servicetags.catalog.PortRange;
import io.github.servicetags.catalog.Protocol;
import io.github.servicetags.catalog.Rule;
import io.github.servicetags.internal.Strings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What changes in a product's firewall rules between two versions of the service tags: the two expansions (same
 * product, region and options) compared rule by rule. A rule is identified by (from, to, protocol, ports); only rules
 * whose prefixes differ, or that exist on one side only, are listed.
 *
 * <pre>{@code
 * var d = RuleDiff.between(Expander.expand(old, catalog, "veeam-backup-azure", "westeurope", options),
 *                          Expander.expand(cur, catalog, "veeam-backup-azure", "westeurope", options));
 * d.isEmpty()          // returns false: reload the firewall
 * d.changes().get(0)   // returns RuleChange[from=worker, to=Sql.WestEurope, ..., change=CHANGED, added=[...], ...]
 * }</pre>
 */
public final class RuleDiff {
    /** How a rule changed. */
    public enum Change {
        /** The rule exists in the new expansion only; all its prefixes are additions. */
        ADDED,
        /** The rule exists in the old expansion only; all its prefixes are removals. */
        REMOVED,
        /** The rule exists in both with different prefixes. */
        CHANGED
    }

    /**
     * The change of one rule.
     *
     * @param from the role that opens the connection
     * @param to the concrete destination (tag, role, host, or FQDNs joined with commas)
     * @param protocol the protocol
     * @param ports the destination ports
     * @param change added, removed or changed
     * @param added prefixes in the new rule only, sorted (IPv4 first)
     * @param removed prefixes in the old rule only, sorted
     */
    public record RuleChange(String from, String to, Protocol protocol, List<PortRange> ports, Change change,
            List<IpPrefix> added, List<IpPrefix> removed) {
        /** Checks the components and copies the lists. */
        public RuleChange {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(change, "change");
            ports = List.copyOf(ports);
            added = List.copyOf(added);
            removed = List.copyOf(removed);
        }

        /** Returns {@code "worker -> Sql.WestEurope tcp 1433,11000-11999"}, the header of the text form. */
        public String rule() {
            return Strings.appendFlow(new StringBuilder(), from, to, protocol, ports).toString();
        }

        @Override
        public String toString() {
            return rule() + " " + change.name().toLowerCase(Locale.ROOT) + " +" + added.size() + " -" + removed.size();
        }
    }

    private record Key(String from, String to, Protocol protocol, List<PortRange> ports) {}

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final Expansion older;
    private final Expansion newer;
    private final List<RuleChange> changes;

    private RuleDiff(Expansion older, Expansion newer, List<RuleChange> changes) {
        this.older = older;
        this.newer = newer;
        this.changes = List.copyOf(changes);
    }

    /**
     * Compares two expansions of one product for one region: rules of the new expansion in its order, then rules
     * that only the old one has, in its order. Rules with the same identity in one expansion count as one rule with
     * the union of their prefixes.
     *
     * @throws IllegalArgumentException when the expansions are of different clouds, products or regions
     */
    public static RuleDiff between(Expansion older, Expansion newer) {
        if (!older.cloud().equals(newer.cloud())) {
            throw new IllegalArgumentException("OLD is a file of cloud " + older.cloud() + " and NEW of cloud "
                    + newer.cloud() + ": a product diff compares two versions of one cloud's file");
        }
        if (!older.product().equals(newer.product()) || !older.region().equals(newer.region())) {
            throw new IllegalArgumentException("the expansions are of different products or regions: "
                    + older.product() + " " + older.region() + " and " + newer.product() + " " + newer.region());
        }
        Map<Key, TreeSet<IpPrefix>> a = byRule(older);
        Map<Key, TreeSet<IpPrefix>> b = byRule(newer);
        List<RuleChange> out = new ArrayList<>();
        for (Map.Entry<Key, TreeSet<IpPrefix>> e : b.entrySet()) {
            TreeSet<IpPrefix> was = a.get(e.getKey());
            if (was == null) {
                out.add(change(e.getKey(), Change.ADDED, e.getValue(), List.of()));
            } else if (!was.equals(e.getValue())) {
                TreeSet<IpPrefix> added = new TreeSet<>(e.getValue());
                added.removeAll(was);
                TreeSet<IpPrefix> removed = new TreeSet<>(was);
                removed.removeAll(e.getValue());
                out.add(change(e.getKey(), Change.CHANGED, added, removed));
            }
        }
        for (Map.Entry<Key, TreeSet<IpPrefix>> e : a.entrySet()) {
            if (!b.containsKey(e.getKey())) {
                out.add(change(e.getKey(), Change.REMOVED, List.of(), e.getValue()));
            }
        }
        return new RuleDiff(older, newer, out);
    }

    private static RuleChange change(Key k, Change c, java.util.Collection<IpPrefix> added,
            java.util.Collection<IpPrefix> removed) {
        return new RuleChange(k.from(), k.to(), k.protocol(), k.ports(), c, List.copyOf(added), List.copyOf(removed));
    }

    private static Map<Key, TreeSet<IpPrefix>> byRule(Expansion e) {
        Map<Key, TreeSet<IpPrefix>> m = new LinkedHashMap<>();
        for (Rule r : e.rules()) {
            m.computeIfAbsent(new Key(r.from(), r.to(), r.protocol(), r.ports()), k -> new TreeSet<>())
                    .addAll(r.prefixes());
        }
        return m;
    }

    /** Returns the product id. */
    public String product() {
        return newer.product();
    }

    /** Returns the region's ARM name, or an empty string when the expansions have none. */
    public String region() {
        return newer.region();
    }

    /** Returns the cloud of both files. */
    public String cloud() {
        return newer.cloud();
    }

    /** Returns the changeNumber of the old file. */
    public long oldChangeNumber() {
        return older.changeNumber();
    }

    /** Returns the changeNumber of the new file. */
    public long newChangeNumber() {
        return newer.changeNumber();
    }

    /** Returns the rules that changed; empty when the firewall needs no reload. */
    public List<RuleChange> changes() {
        return changes;
    }

    /** Returns true if no rule changed. */
    public boolean isEmpty() {
        return changes.isEmpty();
    }

    /** Returns the number of prefixes added over all rules. */
    public int prefixesAdded() {
        return changes.stream().mapToInt(c -> c.added().size()).sum();
    }

    /** Returns the number of prefixes removed over all rules. */
    public int prefixesRemoved() {
        return changes.stream().mapToInt(c -> c.removed().size()).sum();
    }

    /** Returns {@code "veeam-backup-azure westeurope 353 -> 376: 3 rules changed, +12 -4 prefixes"}. */
    @Override
    public String toString() {
        return product() + (region().isEmpty() ? "" : " " + region()) + " " + oldChangeNumber() + " -> "
                + newChangeNumber() + ": " + changes.size() + (changes.size() == 1 ? " rule" : " rules")
                + " changed, +" + prefixesAdded() + " -" + prefixesRemoved() + " prefixes";
    }

    /**
     * The text form: {@code #} comment lines, then for each changed rule a {@code # from -> to protocol ports}
     * header and one {@code +PREFIX} or {@code -PREFIX} line per prefix added or removed.
     */
    public void writeText(Appendable out) throws IOException {
        out.append("# ").append(product()).append(region().isEmpty() ? "" : " " + region()).append(", ")
                .append(cloud()).append(" changeNumber ").append(Long.toString(oldChangeNumber())).append(" -> ")
                .append(Long.toString(newChangeNumber())).append('\n');
        out.append("# ").append(Integer.toString(changes.size())).append(changes.size() == 1 ? " rule" : " rules")
                .append(" changed, ").append(Integer.toString(prefixesAdded())).append(" prefixes added, ")
                .append(Integer.toString(prefixesRemoved())).append(" removed\n");
        for (RuleChange c : changes) {
            out.append("# ").append(c.rule()).append('\n');
            for (IpPrefix p : c.added()) {
                out.append('+').append(p.toString()).append('\n');
            }
            for (IpPrefix p : c.removed()) {
                out.append('-').append(p.toString()).append('\n');
            }
        }
    }

    /** The text form as a string; see {@link #writeText(Appendable)}. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        try {
            writeText(sb);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sb.toString();
    }

    /**
     * The JSON form:
     * <pre>{@code
     * {"product":"veeam-backup-azure","region":"westeurope","old":{"cloud":"Public","changeNumber":353},
     *  "new":{"cloud":"Public","changeNumber":376},"summary":{"rulesChanged":1,"prefixesAdded":2,"prefixesRemoved":0},
     *  "rules":[{"from":"worker","to":"Sql.WestEurope","protocol":"tcp","ports":["1433","11000-11999"],
     *            "change":"changed","added":["..."],"removed":[]}]}
     * }</pre>
     */
    public void writeJson(Writer out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            g.writeStringField("product", product());
            g.writeStringField("region", region());
            for (Expansion e : new Expansion[] {older, newer}) {
                g.writeObjectFieldStart(e == older ? "old" : "new");
                g.writeStringField("cloud", e.cloud());
                g.writeNumberField("changeNumber", e.changeNumber());
                g.writeEndObject();
            }
            g.writeObjectFieldStart("summary");
            g.writeNumberField("rulesChanged", changes.size());
            g.writeNumberField("prefixesAdded", prefixesAdded());
            g.writeNumberField("prefixesRemoved", prefixesRemoved());
            g.writeEndObject();
            g.writeArrayFieldStart("rules");
            for (RuleChange c : changes) {
                g.writeStartObject();
                g.writeStringField("from", c.from());
                g.writeStringField("to", c.to());
                g.writeStringField("protocol", c.protocol().spelling());
                g.writeArrayFieldStart("ports");
                for (PortRange p : c.ports()) {
                    g.writeString(p.toString());
                }
                g.writeEndArray();
                g.writeStringField("change", c.change().name().toLowerCase(Locale.ROOT));
                g.writeArrayFieldStart("added");
                for (IpPrefix p : c.added()) {
                    g.writeString(p.toString());
                }
                g.writeEndArray();
                g.writeArrayFieldStart("removed");
                for (IpPrefix p : c.removed()) {
                    g.writeString(p.toString());
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        out.write('\n');
    }
}
