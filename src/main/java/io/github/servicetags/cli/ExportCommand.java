package io.github.servicetags.cli;

import io.github.servicetags.Exports;
import io.github.servicetags.ServiceTags;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code export}: the whole index as a binary index, a MaxMind DB file or a CSV lookup table, written atomically. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write the whole index in another form: the binary index (read back with --data), a MaxMind "
                + "DB file for log pipelines (Vector, Fluent Bit), or a CIDR lookup table in CSV for SIEMs "
                + "(Splunk, Sentinel). The file is written atomically: a failure leaves it as it was.")
final class ExportCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "binary, mmdb or csv.")
    String format;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "The file to write.")
    Path output;

    @Override
    public Integer call() throws IOException {
        Exports.Format f = Exports.Format.parse(format); // unknown: IllegalArgumentException listing them, exit 2
        ServiceTags st = main.serviceTags();
        Exports.write(st, f, output);
        return Main.OK;
    }
}
