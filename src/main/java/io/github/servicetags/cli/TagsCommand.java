package io.github.servicetags.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.servicetags.Region;
import io.github.servicetags.ServiceTag;
import io.github.servicetags.ServiceTags;
import io.github.servicetags.UnknownNameException;
import io.github.servicetags.internal.Suggest;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code tags}: tag names, optionally of one region or one service. */
@Command(name = "tags", mixinStandardHelpOptions = true, description = "Print tag names, one per line, sorted; optionally only those of a region, "
        + "a service, a systemService or with given networkFeatures.")
final class TagsCommand implements Callable<Integer> {
    enum Format { text, json }

    @ParentCommand
    Main main;

    @Option(names = "--region", paramLabel = "R", description = "Only the regional tags of this region (any "
            + "spelling: westeurope, \"West Europe\", WestEurope, germanywc).")
    String region;

    @Option(names = "--service", paramLabel = "S", description = "Only the tags of this service: the name before "
            + "the dot (Sql) or the systemService property (AzureSQL).")
    String service;

    @Option(names = "--feature", paramLabel = "F", description = "Only tags whose networkFeatures include F (API, "
            + "NSG, UDR, FW); repeat to require several.")
    List<String> features = List.of();

    @Option(names = "--system-service", paramLabel = "S", description = "Only tags whose systemService property is "
            + "S (AzureSQL, AzureStorage, ...).")
    String systemService;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: text).")
    Format format;

    @Override
    public Integer call() throws IOException {
        ServiceTags st = main.serviceTags();
        Region r = region == null ? null : st.region(region);
        List<ServiceTag> pool = r == null ? st.tags() : st.tagsInRegion(r);
        Set<String> known = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        st.tags().forEach(t -> known.addAll(t.networkFeatures()));
        for (String f : features) {
            if (!known.contains(f)) {
                throw new UnknownNameException("network feature", f, Suggest.closest(f, known, 5));
            }
        }
        if (systemService != null && st.tagsOfSystemService(systemService).isEmpty()) {
            Set<String> all = new TreeSet<>();
            st.tags().forEach(t -> all.add(t.systemService()));
            all.remove("");
            throw new UnknownNameException("system service", systemService, Suggest.closest(systemService, all, 5));
        }
        Set<String> names = new TreeSet<>();
        for (ServiceTag t : pool) {
            boolean ok = service == null || t.service().equalsIgnoreCase(service)
                    || t.systemService().equalsIgnoreCase(service);
            ok &= systemService == null || t.systemService().equalsIgnoreCase(systemService);
            for (String f : features) {
                ok &= t.networkFeatures().stream().anyMatch(x -> x.equalsIgnoreCase(f));
            }
            if (ok) {
                names.add(t.name());
            }
        }
        if (service != null && names.isEmpty() && !serviceExists(st, service)) {
            Set<String> services = new TreeSet<>();
            for (ServiceTag t : st.tags()) {
                services.add(t.service());
                if (!t.systemService().isEmpty()) {
                    services.add(t.systemService());
                }
            }
            throw new UnknownNameException("service", service, Suggest.closest(service, services, 5));
        }
        NameOutput.print(main, names, format == Format.json);
        return Main.OK;
    }

    private static boolean serviceExists(ServiceTags st, String service) {
        for (ServiceTag t : st.tags()) {
            if (t.service().equalsIgnoreCase(service) || t.systemService().equalsIgnoreCase(service)) {
                return true;
            }
        }
        return false;
    }

    /** Shared by tags and regions: names one per line, or a JSON array of strings. */
    static final class NameOutput {
        private NameOutput() {}

        static void print(Main main, Iterable<String> names, boolean json) throws IOException {
            if (!json) {
                for (String n : names) {
                    main.out.println(n);
                }
                return;
            }
            try (JsonGenerator g = Json.generator(main.out)) {
                g.writeStartArray();
                for (String n : names) {
                    g.writeString(n);
                }
                g.writeEndArray();
            }
            main.out.println();
        }
    }
}
