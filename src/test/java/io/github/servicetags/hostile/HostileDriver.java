package io.github.servicetags.hostile;

import io.github.servicetags.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/**
 * Runs {@code servicetags --data FILE info} in-process for each file given, in a JVM that {@link HostileDataFilesTest}
 * starts with a small heap, and prints one line per file: {@code file TAB exit code TAB stderr} (stderr with line
 * breaks escaped). Anything thrown out of {@link Main#run} is printed as exit code {@code THROWN}; an
 * {@link OutOfMemoryError} ends the JVM, which the test sees.
 */
public final class HostileDriver {
    private HostileDriver() {}

    /** Arguments: the files, or {@code @LIST} naming a file that lists them one a line. */
    public static void main(String[] args) throws java.io.IOException {
        PrintWriter stdout = new PrintWriter(System.out, true);
        java.util.List<String> files = args.length == 1 && args[0].startsWith("@")
                ? java.nio.file.Files.readAllLines(java.nio.file.Path.of(args[0].substring(1)))
                : java.util.List.of(args);
        for (String file : files) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            String code;
            try {
                code = Integer.toString(Main.run(new String[] {"--data", file, "info"}, new PrintWriter(out),
                        new PrintWriter(err), Map.of()));
            } catch (RuntimeException | StackOverflowError e) {
                code = "THROWN";
                err.write(e.toString());
            }
            stdout.println(file + "\t" + code + "\t" + err.toString().strip().replace("\\", "\\\\").replace("\n", "\\n")
                    .replace("\r", "\\r").replace("\t", "\\t"));
        }
    }
}
