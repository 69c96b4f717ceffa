package io.github.servicetags.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.servicetags.IpFamily;
import io.github.servicetags.ServiceTags;
import io.github.servicetags.update.Provenance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code info}: what data is in use. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Show the cloud, changeNumber, tag and prefix counts and the source of the data.")
final class InfoCommand implements Callable<Integer> {
    enum Format { text, json }

    @ParentCommand
    Main main;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: text).")
    Format format;

    @Override
    public Integer call() throws IOException {
        ServiceTags st = main.serviceTags();
        int v4 = st.prefixCount(IpFamily.IPV4);
        int v6 = st.prefixCount(IpFamily.IPV6);
        Optional<Duration> age = Optional.empty();
        if (!st.source().startsWith("bundled:")) {
            Path p = Path.of(st.source());
            if (Files.isRegularFile(p)) {
                age = Provenance.of(p).map(x -> x.age(Instant.now()));
            }
        }
        if (format == Format.json) {
            try (JsonGenerator g = Json.generator(main.out)) {
                g.writeStartObject();
                g.writeStringField("cloud", st.cloud());
                g.writeNumberField("changeNumber", st.changeNumber());
                g.writeStringField("source", st.source());
                g.writeNumberField("tags", st.tags().size());
                g.writeNumberField("regions", st.regions().size());
                g.writeObjectFieldStart("prefixes");
                g.writeNumberField("ipv4", v4);
                g.writeNumberField("ipv6", v6);
                g.writeEndObject();
                g.writeNumberField("tagSets", st.tagSets().size());
                if (age.isPresent()) {
                    g.writeNumberField("ageDays", age.get().toDays());
                } else {
                    g.writeNullField("ageDays");
                }
                g.writeEndObject();
            }
            main.out.println();
            return Main.OK;
        }
        main.out.printf("cloud          %s%n", st.cloud());
        main.out.printf("changeNumber   %d%n", st.changeNumber());
        main.out.printf("source         %s%n", st.source());
        main.out.printf("tags           %d%n", st.tags().size());
        main.out.printf("regions        %d%n", st.regions().size());
        main.out.printf("prefixes IPv4  %d%n", v4);
        main.out.printf("prefixes IPv6  %d%n", v6);
        main.out.printf("tag sets       %d%n", st.tagSets().size());
        main.out.printf("age            %s%n", age.map(d -> d.toDays() + " days").orElse("unknown"));
        return Main.OK;
    }
}
