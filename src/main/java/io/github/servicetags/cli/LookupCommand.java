package io.github.servicetags.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.servicetags.IpPrefix;
import io.github.servicetags.ServiceTags;
import io.github.servicetags.TagSet;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code lookup}: every tag containing each address or CIDR prefix (for a prefix: containing all of it; with
 * {@code --partial} also the tags containing part of it). {@link #answer} answers one input in every format and is
 * the whole per-line contract; the input loop only feeds it.
 */
@Command(name = "lookup", mixinStandardHelpOptions = true, description = {"Print every tag that contains each IP "
        + "address or CIDR prefix (IPv4 or IPv6).", "For a prefix: the tags that contain every address of it "
        + "(a /32 or /128 answers as the address); --partial adds the tags that contain some but not all of it "
        + "(tsv: a third column; json: \"partial\"). A prefix with host bits set is refused with the network as a "
        + "suggestion."})
final class LookupCommand implements Callable<Integer> {
    /** Longest accepted line with --stdin; longer lines are reported as invalid. */
    static final int MAX_LINE = 1024;
    /** What the text format says for an input in no tag (also written by {@link StreamLookup}). */
    static final String NO_TAG = "(no service tag)";

    enum Format { text, tsv, json }

    @ParentCommand
    Main main;

    @Option(names = "--format", defaultValue = "text", description = "text, tsv or json (default: text).")
    Format format;

    @Option(names = "--stdin", description = "Read addresses and CIDR prefixes from standard input, one per line "
            + "(blank lines and surrounding spaces are ignored): audit a whole allow-list in one pass.")
    boolean stdin;

    @Option(names = "--partial", description = "Also print the tags that contain some but not all addresses of a "
            + "prefix (tsv: third column; text: after 'partly:'; json: \"partial\").")
    boolean partial;

    @Parameters(paramLabel = "IP|CIDR", arity = "0..*", description = "Addresses or CIDR prefixes to look up.")
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
            int refused = new StreamLookup(st, format, partial, (ip, where) -> answer(st, ip, where), out,
                    main.stdoutBytes, json, main.err, main.stderrBytes, main.lookupWorkers,
                    StreamLookup.daemonThreads())
                    .run(main.stdin);
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

    /**
     * Answers one input (an address or a CIDR prefix, already stripped) with one record in the chosen format, with
     * and without {@code --partial}; an invalid input counts as invalid and is reported on stderr, prefixed by
     * {@code where} ({@code "line 7: "} or empty). Everything {@code lookup} prints for an input is decided here.
     */
    void answer(ServiceTags st, String input, String where) throws IOException {
        TagSet tags;
        TagSet some = null;
        try {
            if (input.indexOf('/') >= 0) {
                IpPrefix prefix = IpPrefix.parse(input);
                tags = st.lookup(prefix);
                if (partial) {
                    some = st.overlapping(prefix);
                }
            } else {
                tags = st.lookup(input);
            }
        } catch (IllegalArgumentException e) {
            invalid++;
            main.err.println("servicetags: " + where + e.getMessage());
            return;
        }
        List<String> part = some == null || some == tags ? List.of() : partly(some, tags);
        PrintWriter out = main.out;
        switch (format) {
            case tsv -> {
                out.print(input);
                out.print('\t');
                out.print(joined(tags));
                if (partial) {
                    out.print('\t');
                    out.print(String.join(",", part));
                }
                out.print('\n');
            }
            case text -> {
                out.print(input);
                out.print(": ");
                out.print(tags.isEmpty() ? (part.isEmpty() ? NO_TAG : "(no service tag contains all of it)")
                        : joined(tags).replace(",", ", "));
                if (!part.isEmpty()) {
                    out.print("; partly: ");
                    out.print(String.join(", ", part));
                }
                out.print('\n');
            }
            case json -> {
                json.writeStartObject();
                json.writeStringField("ip", input);
                json.writeArrayFieldStart("tags");
                for (String name : tags.names()) {
                    json.writeString(name);
                }
                json.writeEndArray();
                if (partial) {
                    json.writeArrayFieldStart("partial");
                    for (String name : part) {
                        json.writeString(name);
                    }
                    json.writeEndArray();
                }
                json.writeEndObject();
            }
        }
    }

    private String joined(TagSet tags) {
        String s = joined.get(tags);
        if (s == null) { // not computeIfAbsent(lambda): one lambda fewer to link in a cold lookup
            joined.put(tags, s = String.join(",", tags.names()));
        }
        return s;
    }

    /** The names in {@code some} but not in {@code all}, sorted. */
    private static List<String> partly(TagSet some, TagSet all) {
        List<String> out = new ArrayList<>();
        for (String name : some.names()) {
            if (!all.contains(name)) {
                out.add(name);
            }
        }
        return out;
    }

}
