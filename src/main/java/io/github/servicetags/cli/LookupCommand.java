package io.github.servicetags.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.servicetags.ServiceTags;
import io.github.servicetags.TagSet;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code lookup}: every tag containing each address. */
@Command(name = "lookup", mixinStandardHelpOptions = true, description = "Print every tag that contains each IP address (IPv4 or IPv6).")
final class LookupCommand implements Callable<Integer> {
    /** Longest accepted line with --stdin; longer lines are reported as invalid. */
    static final int MAX_LINE = 1024;

    enum Format { text, tsv, json }

    @ParentCommand
    Main main;

    @Option(names = "--format", defaultValue = "text", description = "text, tsv or json (default: text).")
    Format format;

    @Option(names = "--stdin", description = "Read addresses from standard input, one per line (blank lines and "
            + "surrounding spaces are ignored).")
    boolean stdin;

    @Parameters(paramLabel = "IP", arity = "0..*", description = "Addresses to look up.")
    List<String> ips = List.of();

    private final Map<TagSet, String> joined = new IdentityHashMap<>();
    private JsonGenerator json;
    private int invalid;

    @Override
    public Integer call() throws IOException {
        if (!stdin && ips.isEmpty()) {
            main.err.println("servicetags: lookup needs at least one IP address, or --stdin");
            return Main.USAGE;
        }
        if (stdin && !ips.isEmpty()) {
            main.err.println("servicetags: give addresses as arguments or with --stdin, not both");
            return Main.USAGE;
        }
        ServiceTags st = main.serviceTags();
        PrintWriter out = main.out;
        if (format == Format.json) {
            json = Json.generator(out);
            json.writeStartArray();
        }
        if (stdin) {
            int refused = new StreamLookup(st, format, false, (ip, where) -> answer(st, ip, where), out,
                    main.stdoutBytes, json, main.err).run(main.stdin);
            invalid += refused;
        } else {
            for (String ip : ips) {
                answer(st, ip, "");
            }
        }
        if (json != null) {
            json.writeEndArray();
            json.close();
            out.println();
        }
        out.flush();
        if (invalid > 0) {
            main.err.println("servicetags: " + invalid + " invalid address" + (invalid == 1 ? "" : "es"));
            return Main.USAGE;
        }
        return Main.OK;
    }

    private void answer(ServiceTags st, String ip, String where) throws IOException {
        TagSet tags;
        try {
            tags = st.lookup(ip);
        } catch (IllegalArgumentException e) {
            invalid++;
            main.err.println("servicetags: " + where + e.getMessage());
            return;
        }
        PrintWriter out = main.out;
        switch (format) {
            case tsv -> {
                out.print(ip);
                out.print('\t');
                out.print(joined.computeIfAbsent(tags, t -> String.join(",", t.names())));
                out.print('\n');
            }
            case text -> {
                out.print(ip);
                out.print(": ");
                out.print(tags.isEmpty() ? "(no service tag)"
                        : joined.computeIfAbsent(tags, t -> String.join(",", t.names())).replace(",", ", "));
                out.print('\n');
            }
            case json -> {
                json.writeStartObject();
                json.writeStringField("ip", ip);
                json.writeArrayFieldStart("tags");
                for (String name : tags.names()) {
                    json.writeString(name);
                }
                json.writeEndArray();
                json.writeEndObject();
            }
        }
    }

}
