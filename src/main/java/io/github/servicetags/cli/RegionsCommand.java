package io.github.servicetags.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.servicetags.Region;
import io.github.servicetags.ServiceTag;
import io.github.servicetags.ServiceTags;
import io.github.servicetags.UnknownNameException;
import io.github.servicetags.internal.Internals;
import io.github.servicetags.internal.Suggest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code regions}: region names, optionally those where a service has regional tags. */
@Command(name = "regions", mixinStandardHelpOptions = true, description = "Print region names (ARM style), one per line; with TAG, only the regions "
        + "where that service (Sql) has a regional tag, or the region of a regional tag (Sql.WestEurope).")
final class RegionsCommand implements Callable<Integer> {
    enum Format { text, json }

    @ParentCommand
    Main main;

    @Option(names = "--format", defaultValue = "text",
            description = "text or json (default: text). JSON gives every spelling of each region.")
    Format format;

    @Parameters(paramLabel = "TAG", arity = "0..1", description = "A service (Sql) or a regional tag.")
    String tag;

    @Override
    public Integer call() throws IOException {
        ServiceTags st = main.serviceTags();
        List<Region> regions = new ArrayList<>();
        if (tag == null) {
            regions.addAll(st.regions());
        } else {
            Optional<ServiceTag> exact = st.tag(tag);
            if (exact.isPresent() && exact.get().isRegional()) {
                st.regions().stream().filter(r -> r.id() == exact.get().regionId()).forEach(regions::add);
            } else if (exact.isPresent() || Internals.serviceTags().hasRegionalTags(st, tag)) {
                for (Region r : st.regions()) {
                    if (st.regionalTag(tag, r).isPresent()) {
                        regions.add(r);
                    }
                }
            } else {
                TreeSet<String> names = new TreeSet<>();
                st.tags().forEach(t -> names.add(t.service()));
                st.tags().forEach(t -> names.add(t.name()));
                throw new UnknownNameException("tag", tag, Suggest.closest(tag, names, 5));
            }
        }
        if (format == Format.text) {
            for (Region r : regions) {
                main.out.println(r.name());
            }
            return Main.OK;
        }
        try (JsonGenerator g = Json.generator(main.out)) {
            g.writeStartArray();
            for (Region r : regions) {
                g.writeStartObject();
                g.writeStringField("name", r.name());
                g.writeStringField("displayName", r.displayName());
                g.writeStringField("internalName", r.internalName());
                g.writeNumberField("regionId", r.id());
                g.writeArrayFieldStart("spellings");
                for (String s : new TreeSet<>(r.spellings())) {
                    g.writeString(s);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        main.out.println();
        return Main.OK;
    }
}
