package io.github.servicetags.cli;

import io.github.servicetags.ServiceTags;
import io.github.servicetags.catalog.Catalog;
import io.github.servicetags.catalog.ExpandOptions;
import io.github.servicetags.catalog.Expander;
import io.github.servicetags.catalog.Expansion;
import io.github.servicetags.render.FitProfile;
import io.github.servicetags.render.RenderOptions;
import io.github.servicetags.render.Renderers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code expand}: a product's flows as concrete rules for a region, in one output format. */
@Command(name = "expand", mixinStandardHelpOptions = true, description = "Expand a product of the port catalog into rules with the concrete "
        + "prefixes of its service tags, and render them (json, csv, nft, iptables, ipset, edl, nsg, ipgroups, "
        + "powershell, azfw, squid) for the hosts on both ends of each flow. Warnings (global fallback, unknown or "
        + "empty tag, unbound role, what a format cannot express) go to stderr.")
final class ExpandCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Option(names = "--product", required = true, paramLabel = "ID",
            description = "Product id, see 'servicetags catalog' (veeam-backup-entra-id, veeam-backup-azure, "
                    + "azure-backup-mars, entra-connect).")
    String product;

    @Option(names = "--region", paramLabel = "R", description = "Region for tags written Service.<region> "
            + "(any spelling: westeurope, \"West Europe\", WestEurope, germanywc). Without it the global tags "
            + "are used.")
    String region;

    @Option(names = "--bind", paramLabel = "ROLE=CIDR", description = "Addresses of a role, a host or "
            + "VirtualNetwork, e.g. worker=10.1.0.0/24 (repeatable; CIDRs may be comma-separated).")
    List<String> binds = new ArrayList<>();

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Family family;

    static final class Family {
        @Option(names = "--ipv4-only", description = "Keep IPv4 prefixes only.")
        boolean ipv4;

        @Option(names = "--ipv6-only", description = "Keep IPv6 prefixes only.")
        boolean ipv6;
    }

    @Option(names = "--format", defaultValue = "json", paramLabel = "FORMAT",
            description = "json, csv, nft, iptables, ip6tables, ipset, edl, nsg, ipgroups, powershell, azfw or squid"
                    + " (default: json).")
    String format;

    @Option(names = "--aggregate", description = "Merge adjacent and overlapping prefixes (the same addresses, "
            + "fewer entries) in every format.")
    boolean aggregate;

    @Option(names = "--fit", paramLabel = "PROFILE", defaultValue = "none", description = "Split the output to a "
            + "platform's limits: nsg (4000 prefixes per rule, 1000 rules), ipgroups (5000 addresses per IP Group, "
            + "200 groups), edl (50000 entries), windows (1000 addresses per Windows Firewall rule; powershell always"
            + " splits to it) or none (default). Exit 1 when it cannot fit even after merging.")
    String fit;

    @Option(names = "--fit-max-entries", paramLabel = "N", description = "Override the profile's entries per "
            + "chunk (prefixes per NSG rule, addresses per IP Group, entries per list).")
    Integer fitMaxEntries;

    @Option(names = "--fit-max-groups", paramLabel = "N", description = "Override the profile's number of chunks "
            + "(NSG rules, IP Groups).")
    Integer fitMaxGroups;

    @Option(names = "--with-dependencies", description = "Also allow the tags that the product's tags need "
            + "(Azure Backup needs Storage and Microsoft Entra ID; see 'servicetags catalog'): extra rules from the "
            + "same role, marked \"dependencyOf\" in json. Tags the product already allows add nothing.")
    boolean withDependencies;

    @Option(names = "--catalog", paramLabel = "FILE", description = "A catalog file of your own instead of the "
            + "bundled one.")
    Path catalogFile;

    @Override
    public Integer call() throws IOException {
        if (!Renderers.formats().contains(format)) {
            throw new IllegalArgumentException("unknown format '" + format + "'; expected one of "
                    + String.join(", ", Renderers.formats()));
        }
        FitProfile profile = FitProfile.named(fit);
        if (fitMaxEntries != null) {
            profile = profile.withMaxEntries(fitMaxEntries);
        }
        if (fitMaxGroups != null) {
            profile = profile.withMaxGroups(fitMaxGroups);
        }
        ExpandOptions options = ExpansionMixin.options(family, binds, withDependencies); // a bad --bind: exit 2 first
        Catalog catalog = CatalogCommand.load(catalogFile);
        catalog.product(product); // an unknown product is a usage error before any data is loaded
        ServiceTags st = main.serviceTags();
        Expansion e = Expander.expand(st, catalog, product, region, options);
        List<String> warnings = new ArrayList<>(e.warnings());
        RenderOptions render = RenderOptions.builder().aggregate(aggregate).fit(profile).nsgServiceTags(st)
                .azfwServiceTags(st).build();
        Renderers.render(format, e, render, main.out, warnings);
        main.out.flush();
        for (String w : warnings) {
            main.err.println("servicetags: warning: " + w);
        }
        return Main.OK;
    }
}
