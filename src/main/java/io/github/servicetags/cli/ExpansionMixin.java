package io.github.servicetags.cli;

import io.github.servicetags.catalog.ExpandOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** The options that choose an expansion, as {@code expand} takes them ({@code diff --product} uses them). */
final class ExpansionMixin {
    @Option(names = "--product", paramLabel = "ID", description = "Compare this product's firewall rules "
            + "(veeam-backup-entra-id, veeam-backup-azure, azure-backup-mars, entra-connect) instead of the tags.")
    String product;

    @Option(names = "--region", paramLabel = "R", description = "With --product: region for tags written "
            + "Service.<region> (any spelling).")
    String region;

    @Option(names = "--bind", paramLabel = "ROLE=CIDR", description = "With --product: addresses of a role, a host "
            + "or VirtualNetwork (repeatable).")
    List<String> binds = new ArrayList<>();

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    ExpandCommand.Family family;

    @Option(names = "--with-dependencies", description = "With --product: also the rules of the tags the "
            + "product's tags need.")
    boolean withDependencies;

    @Option(names = "--catalog", paramLabel = "FILE", description = "With --product: a catalog file of your own.")
    Path catalogFile;

    /** Returns the name of an expansion option given without --product, or null. */
    String withoutProduct() {
        if (product != null) {
            return null;
        }
        return region != null ? "--region" : !binds.isEmpty() ? "--bind" : family != null
                ? (family.ipv4 ? "--ipv4-only" : "--ipv6-only") : withDependencies ? "--with-dependencies"
                : catalogFile != null ? "--catalog" : null;
    }

    ExpandOptions options() {
        return options(family, binds, withDependencies);
    }

    /** The expansion options of an address family choice, {@code --bind}s and {@code --with-dependencies}. */
    static ExpandOptions options(ExpandCommand.Family family, List<String> binds, boolean withDependencies) {
        ExpandOptions.Builder b = ExpandOptions.builder();
        if (family != null && family.ipv4) {
            b.ipv4Only();
        }
        if (family != null && family.ipv6) {
            b.ipv6Only();
        }
        binds.forEach(b::bind);
        return b.withDependencies(withDependencies).build();
    }
}
