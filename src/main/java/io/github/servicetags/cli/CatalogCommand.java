package io.github.servicetags.cli;

import io.github.servicetags.catalog.Catalog;
import io.github.servicetags.catalog.Dependency;
import io.github.servicetags.catalog.Destination;
import io.github.servicetags.catalog.Flow;
import io.github.servicetags.catalog.PortRange;
import io.github.servicetags.catalog.Product;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code catalog}: the products of the port catalog, their roles and flows. */
@Command(name = "catalog", mixinStandardHelpOptions = true, description = "Print the port catalog: products, their roles and flows, and the "
        + "dependencies between service tags (text or the JSON of the catalog file).")
final class CatalogCommand implements Callable<Integer> {
    enum Format { text, json }

    @ParentCommand
    Main main;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: text).")
    Format format;

    @Option(names = "--catalog", paramLabel = "FILE", description = "A catalog file of your own instead of the "
            + "bundled one (same schema as 'catalog --format json').")
    Path catalogFile;

    @Override
    public Integer call() throws IOException {
        Catalog catalog = load(catalogFile);
        if (format == Format.json) {
            catalog.writeJson(main.out);
        } else {
            text(catalog);
        }
        main.out.flush();
        return Main.OK;
    }

    /** The bundled catalog, or the file given with {@code --catalog}. */
    static Catalog load(Path file) throws IOException {
        return file == null ? Catalog.bundled() : Catalog.load(file);
    }

    private void text(Catalog catalog) {
        boolean first = true;
        for (Product p : catalog.products()) {
            if (!first) {
                main.out.println();
            }
            first = false;
            main.out.println(p.id() + "  " + p.name());
            main.out.println("  source: " + p.source());
            main.out.println("  roles:  " + String.join(", ", p.roles()));
            for (Flow f : p.flows()) {
                main.out.println("  " + line(f));
                for (Map.Entry<String, Destination> v : f.clouds().entrySet()) {
                    main.out.println("      in " + v.getKey() + ": " + v.getValue());
                }
            }
        }
        if (!catalog.dependencies().isEmpty()) {
            main.out.println();
            main.out.println("dependencies (expand --with-dependencies)");
            for (Dependency d : catalog.dependencies()) {
                main.out.println("  " + line(d));
                main.out.println("      source: " + d.source());
            }
        }
    }

    /** {@code "AzureBackup -> Storage.<region>, AzureActiveDirectory  (protocol and ports of the flow)  reason"}. */
    static String line(Dependency d) {
        StringBuilder sb = new StringBuilder().append(d.tag()).append(" -> ").append(String.join(", ", d.requires()))
                .append("  ");
        if (d.keepsFlowPorts()) {
            sb.append("(protocol and ports of the flow)");
        } else {
            sb.append(d.protocol());
            for (int i = 0; i < d.ports().size(); i++) {
                sb.append(i == 0 ? " " : ",").append(d.ports().get(i));
            }
        }
        return sb.append("  ").append(d.reason()).toString();
    }

    /** {@code "worker -> tag Sql.<region>  tcp 1433,11000-11999  purpose"} with "(optional)". */
    static String line(Flow f) {
        StringBuilder sb = new StringBuilder().append(f.from()).append(" -> ").append(f.to()).append("  ")
                .append(f.protocol());
        for (int i = 0; i < f.ports().size(); i++) {
            PortRange r = f.ports().get(i);
            sb.append(i == 0 ? " " : ",").append(r);
        }
        if (f.optional()) {
            sb.append("  (optional)");
        }
        return sb.append("  ").append(f.purpose()).toString();
    }
}
