package io.github.servicetags.cli;

import io.github.servicetags.ServiceTags;
import io.github.servicetags.catalog.Catalog;
import io.github.servicetags.catalog.ExpandOptions;
import io.github.servicetags.catalog.Expander;
import io.github.servicetags.catalog.Expansion;
import io.github.servicetags.update.RuleDiff;
import io.github.servicetags.update.ServiceTagsDiff;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code diff OLD NEW}: what changed between two service-tag files, per tag or in a product's rules. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"Show tags and prefixes added and removed between two service-tag files.",
            "Additions are safe to allow now: Microsoft uses new ranges no earlier than a week after publishing them. "
                    + "Removals are to be applied later. Text lines: '+TAG CIDR' added, '-TAG CIDR' removed, "
                    + "'+tag TAG' / '-tag TAG' a whole tag, '#' comments. After an update, the cache folder of "
                    + "the cloud holds previous.json beside current.json.",
            "With --product: what changes in that product's firewall rules (expanded on both files with the same "
                    + "options, as 'expand' takes them), rule by rule: a '# from -> to protocol ports' header and "
                    + "'+CIDR' / '-CIDR' lines.",
            "With --exit-code: exit 3 when something changed and 0 when nothing did, so that a cron job reloads its "
                    + "firewall only when needed."})
final class DiffCommand implements Callable<Integer> {
    enum Format { text, json }

    @ParentCommand
    Main main;

    @Parameters(index = "0", paramLabel = "OLD", description = "The older file (JSON or gzip).")
    Path older;

    @Parameters(index = "1", paramLabel = "NEW", description = "The newer file (JSON or gzip).")
    Path newer;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: text).")
    Format format;

    @Option(names = "--exit-code", description = "Exit 3 when something changed, 0 when nothing did (1 and 2 keep "
            + "their meaning).")
    boolean exitCode;

    @Mixin
    ExpansionMixin expansion;

    @Override
    public Integer call() throws IOException {
        String orphan = expansion.withoutProduct();
        if (orphan != null) {
            main.err.println("servicetags: " + orphan + " needs --product: it chooses the expansion to compare");
            return Main.USAGE;
        }
        boolean changed = expansion.product == null ? tags() : rules();
        main.out.flush();
        return exitCode && changed ? Main.CHANGED : Main.OK;
    }

    /** The per-tag diff; returns whether anything changed. */
    private boolean tags() throws IOException {
        ServiceTagsDiff d = ServiceTagsDiff.between(ServiceTags.load(older), ServiceTags.load(newer));
        noteSwapped(d.oldChangeNumber(), d.newChangeNumber());
        if (format == Format.json) {
            d.writeJson(main.out);
        } else {
            d.writeText(main.out);
        }
        return !d.isEmpty();
    }

    /** The per-rule diff of a product; returns whether any rule changed. */
    private boolean rules() throws IOException {
        ExpandOptions options = expansion.options();
        Catalog catalog = CatalogCommand.load(expansion.catalogFile);
        catalog.product(expansion.product); // an unknown product is a usage error before any data is loaded
        ServiceTags a = ServiceTags.load(older);
        ServiceTags b = ServiceTags.load(newer);
        if (!a.cloud().equals(b.cloud())) {
            throw new IllegalArgumentException("OLD " + older + " is a file of cloud " + a.cloud() + " and NEW "
                    + newer + " of cloud " + b.cloud() + ": a product diff compares two versions of one cloud's file");
        }
        Expansion ea = Expander.expand(a, catalog, expansion.product, expansion.region, options);
        Expansion eb = Expander.expand(b, catalog, expansion.product, expansion.region, options);
        RuleDiff d = RuleDiff.between(ea, eb);
        noteSwapped(d.oldChangeNumber(), d.newChangeNumber());
        if (format == Format.json) {
            d.writeJson(main.out);
        } else {
            d.writeText(main.out);
        }
        main.out.flush();
        Set<String> warnings = new LinkedHashSet<>(ea.warnings());
        warnings.addAll(eb.warnings());
        for (String w : warnings) {
            main.err.println("servicetags: warning: " + w);
        }
        return !d.isEmpty();
    }

    private void noteSwapped(long oldChange, long newChange) {
        if (oldChange > newChange) {
            main.err.println("servicetags: note: OLD has the higher changeNumber (" + oldChange + " > " + newChange
                    + "); did you swap the files?");
        }
    }
}
