package io.github.servicetags.update;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.github.servicetags.IpPrefix;
import io.github.servicetags.ServiceTag;
import io.github.servicetags.ServiceTags;
import io.github.servicetags.internal.Prefixes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What changed between two versions of the service tags, split into what to do now and what to do later.
 *
 * <p>Microsoft publishes new ranges at least a week before it starts using them. So <b>additions</b> (new tags, new
 * prefixes of a tag) are safe to allow right away, and <b>removals</b> should be applied later, once the new file has
 * been in effect for a week; closing early can cut traffic that still uses the old range.
 *
 * <pre>{@code
 * var d = ServiceTagsDiff.between(ServiceTags.load(Path.of("ServiceTags_Public_353.json")),
 *                                 ServiceTags.load(Path.of("ServiceTags_Public_376.json")));
 * d.addedPrefixCount()          // returns the number of prefixes to open now
 * d.changes().get(0)            // returns TagChange[name=AzureCloud, kind=CHANGED, added=[...], removed=[...]]
 * }</pre>
 *
 * Prefixes are compared as written (canonical CIDR); a range that Microsoft split or merged shows as removed and added.
 */
public final class ServiceTagsDiff {

    /** How a tag changed. */
    public enum Kind {
        /** The tag is new; all its prefixes are additions. */
        ADDED,
        /** The tag is gone; all its prefixes are removals. */
        REMOVED,
        /** The tag exists in both with different prefixes. */
        CHANGED
    }

    /**
     * The change of one tag.
     *
     * @param name    the tag name
     * @param kind    added, removed or changed
     * @param added   prefixes in the new version only, sorted (IPv4 first)
     * @param removed prefixes in the old version only, sorted
     */
    public record TagChange(String name, Kind kind, List<IpPrefix> added, List<IpPrefix> removed) {
        /** Copies the lists. */
        public TagChange {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
            added = List.copyOf(added);
            removed = List.copyOf(removed);
        }
    }

    private static final JsonFactory JSON = JsonFactory.builder().build();
    static final String ADDITIONS_NOTE = "additions: safe to allow now (Microsoft uses new ranges no earlier than"
            + " one week after publishing them)";
    static final String REMOVALS_NOTE = "removals: apply later, once the new file has been in effect for a week";

    private final long oldChangeNumber;
    private final long newChangeNumber;
    private final String oldCloud;
    private final String newCloud;
    private final List<TagChange> changes;

    private ServiceTagsDiff(ServiceTags older, ServiceTags newer, List<TagChange> changes) {
        this.oldChangeNumber = older.changeNumber();
        this.newChangeNumber = newer.changeNumber();
        this.oldCloud = older.cloud();
        this.newCloud = newer.cloud();
        this.changes = Collections.unmodifiableList(changes);
    }

    /** The differences from {@code older} to {@code newer}. */
    public static ServiceTagsDiff between(ServiceTags older, ServiceTags newer) {
        Objects.requireNonNull(older, "older");
        Objects.requireNonNull(newer, "newer");
        Map<String, ServiceTag> before = byName(older);
        Map<String, ServiceTag> after = byName(newer);
        TreeSet<String> names = new TreeSet<>(before.keySet());
        names.addAll(after.keySet());
        List<TagChange> changes = new ArrayList<>();
        for (String name : names) {
            ServiceTag o = before.get(name);
            ServiceTag n = after.get(name);
            if (o == null) {
                changes.add(new TagChange(name, Kind.ADDED, Prefixes.sortedUnique(n.prefixes()), List.of()));
            } else if (n == null) {
                changes.add(new TagChange(name, Kind.REMOVED, List.of(), Prefixes.sortedUnique(o.prefixes())));
            } else {
                TreeSet<IpPrefix> op = new TreeSet<>(o.prefixes());
                TreeSet<IpPrefix> np = new TreeSet<>(n.prefixes());
                List<IpPrefix> added = new ArrayList<>();
                for (IpPrefix p : np) {
                    if (!op.contains(p)) {
                        added.add(p);
                    }
                }
                List<IpPrefix> removed = new ArrayList<>();
                for (IpPrefix p : op) {
                    if (!np.contains(p)) {
                        removed.add(p);
                    }
                }
                if (!added.isEmpty() || !removed.isEmpty()) {
                    changes.add(new TagChange(name, Kind.CHANGED, added, removed));
                }
            }
        }
        return new ServiceTagsDiff(older, newer, changes);
    }

    private static Map<String, ServiceTag> byName(ServiceTags st) {
        Map<String, ServiceTag> m = new TreeMap<>();
        for (ServiceTag t : st.tags()) {
            m.put(t.name(), t);
        }
        return m;
    }


    /** The changeNumber of the old version. */
    public long oldChangeNumber() {
        return oldChangeNumber;
    }

    /** The changeNumber of the new version. */
    public long newChangeNumber() {
        return newChangeNumber;
    }

    /** The cloud of the old version. */
    public String oldCloud() {
        return oldCloud;
    }

    /** The cloud of the new version. */
    public String newCloud() {
        return newCloud;
    }

    /** Every changed tag, sorted by name. */
    public List<TagChange> changes() {
        return changes;
    }

    /** True when both versions hold the same tags with the same prefixes. */
    public boolean isEmpty() {
        return changes.isEmpty();
    }

    /** Names of the new tags. */
    public List<String> addedTags() {
        return names(Kind.ADDED);
    }

    /** Names of the tags that are gone. */
    public List<String> removedTags() {
        return names(Kind.REMOVED);
    }

    /** Names of the tags whose prefixes changed. */
    public List<String> changedTags() {
        return names(Kind.CHANGED);
    }

    /** Prefixes added per tag (new tags included): safe to allow now. Tags without additions are left out. */
    public Map<String, List<IpPrefix>> additions() {
        Map<String, List<IpPrefix>> m = new TreeMap<>();
        for (TagChange c : changes) {
            if (!c.added().isEmpty()) {
                m.put(c.name(), c.added());
            }
        }
        return Collections.unmodifiableMap(m);
    }

    /** Prefixes removed per tag (removed tags included): apply a week later. Tags without removals are left out. */
    public Map<String, List<IpPrefix>> removals() {
        Map<String, List<IpPrefix>> m = new TreeMap<>();
        for (TagChange c : changes) {
            if (!c.removed().isEmpty()) {
                m.put(c.name(), c.removed());
            }
        }
        return Collections.unmodifiableMap(m);
    }

    /** How many prefixes were added over all tags. */
    public int addedPrefixCount() {
        return changes.stream().mapToInt(c -> c.added().size()).sum();
    }

    /** How many prefixes were removed over all tags. */
    public int removedPrefixCount() {
        return changes.stream().mapToInt(c -> c.removed().size()).sum();
    }

    private List<String> names(Kind kind) {
        List<String> out = new ArrayList<>();
        for (TagChange c : changes) {
            if (c.kind() == kind) {
                out.add(c.name());
            }
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * One line, for example
     * {@code "changeNumber 353 -> 376: 188 tags added, 3 removed, 589 changed; 9227 prefixes added, 1921 removed"}.
     */
    public String summary() {
        return "changeNumber " + oldChangeNumber + " -> " + newChangeNumber
                + (oldCloud.equals(newCloud) ? "" : " (cloud " + oldCloud + " -> " + newCloud + ")") + ": " + counts();
    }

    private String counts() {
        return addedTags().size() + " tags added, " + removedTags().size() + " removed, " + changedTags().size()
                + " changed; " + addedPrefixCount() + " prefixes added, " + removedPrefixCount() + " removed";
    }

    @Override
    public String toString() {
        return "ServiceTagsDiff[" + summary() + "]";
    }

    /**
     * The text form, grep-friendly: comment lines start with {@code #}; {@code +TAG PREFIX} is an addition,
     * {@code -TAG PREFIX} a removal; {@code +tag TAG} / {@code -tag TAG} a whole tag. Additions come first, then
     * removals, each sorted by tag then prefix.
     */
    public void writeText(Appendable out) throws IOException {
        out.append("# ").append(oldCloud).append(" changeNumber ").append(Long.toString(oldChangeNumber))
                .append(" -> ").append(newCloud.equals(oldCloud) ? "" : newCloud + " ")
                .append(Long.toString(newChangeNumber)).append('\n');
        out.append("# ").append(counts()).append('\n');
        if (changes.isEmpty()) {
            out.append("# no differences\n");
            return;
        }
        out.append("# ").append(ADDITIONS_NOTE).append('\n');
        for (TagChange c : changes) {
            if (c.kind() == Kind.ADDED) {
                out.append("+tag ").append(c.name()).append('\n');
            }
            for (IpPrefix p : c.added()) {
                out.append('+').append(c.name()).append(' ').append(p.toString()).append('\n');
            }
        }
        out.append("# ").append(REMOVALS_NOTE).append('\n');
        for (TagChange c : changes) {
            if (c.kind() == Kind.REMOVED) {
                out.append("-tag ").append(c.name()).append('\n');
            }
            for (IpPrefix p : c.removed()) {
                out.append('-').append(c.name()).append(' ').append(p.toString()).append('\n');
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
     * {"old":{"cloud":"Public","changeNumber":353},"new":{"cloud":"Public","changeNumber":376},
     *  "summary":{"tagsAdded":3,"tagsRemoved":1,"tagsChanged":120,"prefixesAdded":900,"prefixesRemoved":300},
     *  "additionsNote":"...","removalsNote":"...",
     *  "tags":[{"name":"AzureCloud","change":"changed","added":["4.144.0.0/16"],"removed":["13.64.0.0/16"]}]}
     * }</pre>
     * {@code change} is {@code added}, {@code removed} or {@code changed}; {@code added} prefixes are safe to allow
     * now, {@code removed} ones are to be closed later.
     */
    public void writeJson(Writer out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            g.writeObjectFieldStart("old");
            g.writeStringField("cloud", oldCloud);
            g.writeNumberField("changeNumber", oldChangeNumber);
            g.writeEndObject();
            g.writeObjectFieldStart("new");
            g.writeStringField("cloud", newCloud);
            g.writeNumberField("changeNumber", newChangeNumber);
            g.writeEndObject();
            g.writeObjectFieldStart("summary");
            g.writeNumberField("tagsAdded", addedTags().size());
            g.writeNumberField("tagsRemoved", removedTags().size());
            g.writeNumberField("tagsChanged", changedTags().size());
            g.writeNumberField("prefixesAdded", addedPrefixCount());
            g.writeNumberField("prefixesRemoved", removedPrefixCount());
            g.writeEndObject();
            g.writeStringField("additionsNote", ADDITIONS_NOTE);
            g.writeStringField("removalsNote", REMOVALS_NOTE);
            g.writeArrayFieldStart("tags");
            for (TagChange c : changes) {
                g.writeStartObject();
                g.writeStringField("name", c.name());
                g.writeStringField("change", c.kind().name().toLowerCase(java.util.Locale.ROOT));
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
