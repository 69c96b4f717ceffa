package io.github.servicetags.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.servicetags.ServiceTags;
import io.github.servicetags.catalog.Catalog;
import io.github.servicetags.catalog.ExplainOptions;
import io.github.servicetags.catalog.Explainer;
import io.github.servicetags.catalog.Explanation;
import io.github.servicetags.catalog.FlowMatch;
import io.github.servicetags.catalog.PortRange;
import io.github.servicetags.catalog.Protocol;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code explain}: which flows of the catalog allow traffic to an address or prefix. */
@Command(name = "explain", mixinStandardHelpOptions = true, description = {"Show which flows of the port catalog "
        + "allow traffic to each address or CIDR prefix: product, from-role, the concrete tag that contains it, "
        + "protocol and ports.", "A flow to Service.<region> matches through the regional tag of the address's "
        + "own region, or with --region only through that region's tag. Role, host and FQDN flows match only "
        + "through --bind addresses. No matching flow is an empty list and exit 0."})
final class ExplainCommand implements Callable<Integer> {
    enum Format { text, json }

    @ParentCommand
    Main main;

    @Option(names = "--product", paramLabel = "ID", description = "Only this product (repeatable; default: every "
            + "product of the catalog).")
    List<String> products = new ArrayList<>();

    @Option(names = "--region", paramLabel = "R", description = "Only this region's tag counts for a flow written "
            + "Service.<region> (any spelling). Default: the region of the address itself.")
    String region;

    @Option(names = "--protocol", paramLabel = "P", description = "Only flows that allow this protocol: tcp, udp, "
            + "icmp or any.")
    String protocol;

    @Option(names = "--port", paramLabel = "N", description = "Only flows that allow this destination port (1-65535).")
    String port;

    @Option(names = "--bind", paramLabel = "NAME=CIDR", description = "Addresses of a role, a host, VirtualNetwork "
            + "or a host name of an FQDN flow, e.g. backup-server=10.1.0.5 (repeatable; CIDRs may be "
            + "comma-separated).")
    List<String> binds = new ArrayList<>();

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT", description = "text or json "
            + "(default: text).")
    Format format;

    @Option(names = "--catalog", paramLabel = "FILE", description = "A catalog file of your own instead of the "
            + "bundled one.")
    Path catalogFile;

    @Parameters(paramLabel = "IP|CIDR", arity = "1..*", description = "Addresses or CIDR prefixes.")
    List<String> inputs = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        ExplainOptions.Builder b = ExplainOptions.builder().region(region);
        products.forEach(b::product);
        if (protocol != null) {
            b.protocol(Protocol.parse(protocol.toLowerCase(Locale.ROOT)));
        }
        if (port != null) {
            b.port(port);
        }
        binds.forEach(b::bind);
        ExplainOptions options = b.build();
        Catalog catalog = CatalogCommand.load(catalogFile);
        for (String id : options.products()) {
            catalog.product(id); // an unknown product is a usage error before any data is loaded
        }
        ServiceTags st = main.serviceTags();
        List<Explanation> answers = new ArrayList<>();
        for (String input : inputs) {
            answers.add(Explainer.explain(st, catalog, input, options)); // all checked before anything is printed
        }
        PrintWriter out = main.out;
        if (format == Format.json) {
            try (JsonGenerator g = Json.generator(out)) {
                g.writeStartArray();
                for (Explanation e : answers) {
                    g.writeStartObject();
                    g.writeStringField("ip", e.ip());
                    g.writeArrayFieldStart("tags");
                    for (String t : e.tags()) {
                        g.writeString(t);
                    }
                    g.writeEndArray();
                    g.writeArrayFieldStart("flows");
                    for (FlowMatch m : e.flows()) {
                        g.writeStartObject();
                        g.writeStringField("product", m.product());
                        g.writeStringField("from", m.from());
                        g.writeStringField("to", m.to());
                        g.writeStringField("kind", m.kind().spelling());
                        g.writeStringField("protocol", m.protocol().spelling());
                        g.writeArrayFieldStart("ports");
                        for (PortRange r : m.ports()) {
                            g.writeString(r.toString());
                        }
                        g.writeEndArray();
                        g.writeBooleanField("optional", m.optional());
                        g.writeStringField("purpose", m.purpose());
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            out.println();
        } else {
            for (Explanation e : answers) {
                out.println(e.ip() + ": " + (e.tags().isEmpty() ? "(no service tag)" : String.join(", ", e.tags())));
                if (e.flows().isEmpty()) {
                    out.println("  no flow of the catalog allows it");
                }
                for (FlowMatch m : e.flows()) {
                    out.println("  " + m + "  " + m.purpose());
                }
            }
        }
        out.flush();
        return Main.OK;
    }
}
