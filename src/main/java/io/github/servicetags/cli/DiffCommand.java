package io.github.servicetags.cli;

import io.github.servicetags.ServiceTags;
import io.github.servicetags.update.ServiceTagsDiff;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code diff OLD NEW}: what changed between two service-tag files. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"Show tags and prefixes added and removed between two service-tag files.",
            "Additions are safe to allow now: Microsoft uses new ranges no earlier than a week after publishing them. "
                    + "Removals are to be applied later. Text lines: '+TAG CIDR' added, '-TAG CIDR' removed, "
                    + "'+tag TAG' / '-tag TAG' a whole tag, '#' comments. After an update, the cache folder of "
                    + "the cloud holds previous.json beside current.json."})
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

    @Override
    public Integer call() throws IOException {
        ServiceTagsDiff d = ServiceTagsDiff.between(ServiceTags.load(older), ServiceTags.load(newer));
        if (d.oldChangeNumber() > d.newChangeNumber()) {
            main.err.println("servicetags: note: OLD has the higher changeNumber (" + d.oldChangeNumber() + " > "
                    + d.newChangeNumber() + "); did you swap the files?");
        }
        if (format == Format.json) {
            d.writeJson(main.out);
        } else {
            d.writeText(main.out);
        }
        main.out.flush();
        return Main.OK;
    }
}
