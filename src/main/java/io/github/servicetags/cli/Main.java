package io.github.servicetags.cli;

import io.github.servicetags.InvalidServiceTagsException;
import io.github.servicetags.ServiceTags;
import io.github.servicetags.UnknownNameException;
import io.github.servicetags.update.ServiceTagsCache;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * The {@code servicetags} command line. Exit codes: 0 success, 1 data or I/O failure, 2 bad usage or bad input.
 * Data goes to stdout, diagnostics to stderr, never a stack trace for a user error.
 *
 * <p>The {@code @Command} annotation names no subcommands, so {@code new CommandLine(new Main())} is the top level
 * alone: {@link #commandLine(Main)} builds the whole command line (every subcommand of {@link #SUBCOMMANDS}), as
 * the usage help, the man pages and the shell completion need it. A run that names a subcommand builds only that
 * one ({@link #commandLine(Main, String[])}): picocli's model of the other ten is most of the start-up cost.
 */
@Command(name = "servicetags", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Azure service tags: which tags contain an IP, which CIDRs and ports a product needs.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:data or I/O failure (missing, corrupt or hostile file)",
            "2:bad usage or bad input (invalid IP, unknown tag, product or region)",
            "3:diff --exit-code: something changed"})
public final class Main implements Callable<Integer> {
    /** Exit code: success. */
    public static final int OK = 0;
    /** Exit code: data or I/O failure. */
    public static final int DATA_ERROR = 1;
    /** Exit code: bad usage or input. */
    public static final int USAGE = 2;
    /** Exit code of {@code diff --exit-code} when something changed. */
    public static final int CHANGED = 3;

    @Option(names = "--data", paramLabel = "FILE",
            description = "Service-tags file (JSON or gzip). Default: $SERVICETAGS_DATA, the update cache, the "
                    + "bundled snapshot.")
    Path data;

    @Option(names = "--cache", paramLabel = "DIR",
            description = "Cache directory written by 'update'. Default: $SERVICETAGS_CACHE or ~/.cache/servicetags, "
                    + "then the system cache /var/cache/servicetags.")
    Path cache;

    @Option(names = "--cloud", paramLabel = "CLOUD", defaultValue = "Public",
            description = "Cloud whose cached file to use: Public, AzureGovernment, AzureChina (default: Public).")
    String cloud;

    /** The subcommands, in the order of the usage help: the one list of both the whole and the lazy build. */
    static final List<Class<?>> SUBCOMMANDS = List.of(
            InfoCommand.class,
            LookupCommand.class,
            PrefixesCommand.class,
            TagsCommand.class,
            RegionsCommand.class,
            CatalogCommand.class,
            ExpandCommand.class,
            ExplainCommand.class,
            DiffCommand.class,
            ExportCommand.class,
            UpdateCommand.class);

    Map<String, String> env = System.getenv();
    /**
     * The system cache, read after the user's; the {@code servicetags.systemCache} system property moves it (the
     * tests point it at an empty folder so that an installed package cannot change their answers).
     */
    Path systemCache = Path.of(System.getProperty("servicetags.systemCache",
            ServiceTagsCache.SYSTEM_DIRECTORY.toString()));
    InputStream stdin = System.in;
    PrintWriter out;
    /** The bytes under {@link #out} when it writes to a stream (as in {@link #main}); null otherwise. */
    OutputStream stdoutBytes;
    PrintWriter err;
    /** The bytes under {@link #err} when it writes to a stream (as in {@link #main}); null otherwise. */
    OutputStream stderrBytes;
    /** Threads answering {@code lookup --stdin} (tests vary it). */
    int lookupWorkers = StreamLookup.defaultWorkers();
    private ServiceTags loaded;

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, System.getenv(), System.in));
    }

    /**
     * Runs the command line in-process with standard output and error as byte streams, as {@link #main} does: text
     * goes through UTF-8 writers over them, which {@code lookup --stdin} also writes to directly.
     */
    static int run(String[] args, OutputStream stdout, OutputStream stderr, Map<String, String> env, InputStream in) {
        PrintWriter out = new PrintWriter(new BufferedWriter(
                new OutputStreamWriter(stdout, StandardCharsets.UTF_8), 1 << 16), false);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(stderr, StandardCharsets.UTF_8), true);
        return execute(streams(env, in, out, stdout, err, stderr), args);
    }

    /** Runs the command line in-process (used by tests); returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
        return run(args, out, err, env, InputStream.nullInputStream());
    }

    /** Runs the command line in-process with the given standard input; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env, InputStream in) {
        return execute(streams(env, in, out, null, err, null), args);
    }

    /** A command line with these streams ({@code stdout} and {@code stderr}: the bytes under the writers, or null). */
    private static Main streams(Map<String, String> env, InputStream in, PrintWriter out, OutputStream stdout,
            PrintWriter err, OutputStream stderr) {
        Main main = new Main();
        main.env = env;
        main.stdin = in;
        main.out = out;
        main.stdoutBytes = stdout;
        main.err = err;
        main.stderrBytes = stderr;
        return main;
    }

    /** Runs {@code main} (its streams and environment already set) on {@code args}; returns the exit code. */
    static int execute(Main main, String[] args) {
        return execute(main, args, commandLine(main, args));
    }

    /** Runs {@code main} on {@code args} with {@code cl}, a command line of {@code main} (tests give the whole one). */
    static int execute(Main main, String[] args, CommandLine cl) {
        PrintWriter out = main.out;
        PrintWriter err = main.err;
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("servicetags: " + message(ex));
            return exitCode(ex);
        });
        cl.setParameterExceptionHandler((ex, args2) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("servicetags: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, c.getErr());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
            return USAGE;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * The whole command line of {@code main}: the top level and every subcommand (with theirs). What the usage help,
     * the man pages and the shell completion are made from.
     */
    public static CommandLine commandLine(Main main) {
        return withSubcommands(new CommandLine(main), SUBCOMMANDS);
    }

    /**
     * The command line {@code args} need: when they surely name a subcommand, the top level with that subcommand
     * alone, which parses, answers and fails exactly as the whole one; else (no subcommand, help or version at the
     * top level, an unknown or repeated option, an option value that is a subcommand name or looks like an option,
     * {@code --}, an {@code @file}, a name that is no subcommand) the whole one ({@link #commandLine(Main)}). Which
     * top-level options take a value is read from picocli's model of the top level.
     */
    static CommandLine commandLine(Main main, String[] args) {
        CommandLine top = new CommandLine(main);
        Class<?> named = System.getProperty("picocli.trace") == null ? namedSubcommand(top, args) : null;
        return withSubcommands(top, named == null ? SUBCOMMANDS : List.of(named));
    }

    private static CommandLine withSubcommands(CommandLine top, List<Class<?>> subcommands) {
        for (Class<?> sub : subcommands) {
            top.addSubcommand(sub);
        }
        return top;
    }

    /** The subcommand class {@code args} surely name at the top level of {@code top}, or null when in doubt. */
    private static Class<?> namedSubcommand(CommandLine top, String[] args) {
        Set<OptionSpec> seen = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg == null || arg.startsWith("@")) {
                return null; // an argument file, which picocli expands
            }
            if (!arg.startsWith("-")) {
                return subcommandNamed(arg); // the first positional: a subcommand, or a usage error
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            OptionSpec option = top.getCommandSpec().findOption(name);
            if (option == null || !List.of(option.names()).contains(name) || !seen.add(option)
                    || option.usageHelp() || option.versionHelp()) {
                return null; // "--", an unknown, clustered or repeated option, help or version
            }
            CommandLine.Range arity = option.arity();
            if (arity.min() != arity.max() || arity.max() > 1 || (eq >= 0 && arity.max() == 0)) {
                return null; // a variable or multi-value arity, a value given to a flag
            }
            if (arity.max() == 1) {
                String value = eq >= 0 ? arg.substring(eq + 1) : ++i < args.length ? args[i] : null;
                if (value == null || value.startsWith("-") || value.startsWith("@")
                        || subcommandNamed(value) != null) {
                    return null; // missing, or what picocli may take for an option, a file or a subcommand
                }
            }
        }
        return null; // no subcommand: the usage help
    }

    /** The subcommand class whose {@code @Command} name or alias is {@code name}, or null. */
    private static Class<?> subcommandNamed(String name) {
        for (Class<?> sub : SUBCOMMANDS) {
            Command command = sub.getAnnotation(Command.class);
            if (command.name().equals(name) || List.of(command.aliases()).contains(name)) {
                return sub;
            }
        }
        return null;
    }

    static int exitCode(Throwable ex) {
        if (ex instanceof UncheckedIOException u) {
            ex = u.getCause();
        }
        if (ex instanceof IllegalArgumentException) {
            return USAGE; // includes UnknownNameException
        }
        if (ex instanceof IOException) {
            return DATA_ERROR;
        }
        return DATA_ERROR;
    }

    static String message(Throwable ex) {
        if (ex instanceof UncheckedIOException u && u.getCause() != null) {
            ex = u.getCause();
        }
        if (ex instanceof NoSuchFileException n) {
            return n.getFile() + ": no such file";
        }
        if (ex instanceof AccessDeniedException a) {
            return a.getFile() + ": permission denied";
        }
        if (ex instanceof InvalidServiceTagsException || ex instanceof UnknownNameException
                || ex instanceof IllegalArgumentException) {
            return ex.getMessage();
        }
        if (ex instanceof IOException) {
            return ex.getMessage() == null ? ex.toString() : ex.getMessage();
        }
        return "internal error: " + ex; // not a user error: still no stack trace, but say what it was
    }

    @Override
    public Integer call() {
        commandLine(this).usage(out);
        return USAGE;
    }

    /**
     * Returns the data: {@code --data}, then {@code $SERVICETAGS_DATA}, then the newest valid file of the cloud in
     * the cache directories ({@link #cacheDirectories()}, first one holding a file wins), then the bundled snapshot
     * (with a notice on stderr).
     */
    ServiceTags serviceTags() throws IOException {
        if (loaded != null) {
            return loaded;
        }
        if (data != null) {
            return loaded = ServiceTags.load(data);
        }
        String fromEnv = env.get("SERVICETAGS_DATA");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return loaded = ServiceTags.load(Path.of(fromEnv));
        }
        List<Path> dirs = cacheDirectories();
        for (Path dir : dirs) {
            Optional<Path> cached = ServiceTagsCache.current(dir, cloud);
            if (cached.isPresent()) {
                return loaded = ServiceTagsCache.load(cached.get()); // from its binary index when it matches
            }
        }
        // plain loops, not streams and lambdas: this runs in every cold lookup from the bundled snapshot
        StringBuilder searched = new StringBuilder();
        String unreadable = "";
        for (Path d : dirs) {
            searched.append(searched.length() == 0 ? "" : ", ").append(d);
            // With DynamicUser=, systemd makes /var/cache/servicetags a link into /var/cache/private (root only).
            if (unreadable.isEmpty() && Files.exists(d, LinkOption.NOFOLLOW_LINKS) && !Files.isReadable(d)) {
                unreadable = " (" + d + " is not readable by this user)";
            }
        }
        if (!"Public".equalsIgnoreCase(cloud)) {
            throw new IllegalArgumentException("no cached data for cloud '" + cloud + "' in " + searched + unreadable
                    + "; run 'servicetags update --cloud " + cloud + "' or give --data FILE");
        }
        ServiceTags st = ServiceTags.bundled();
        err.println("servicetags: using the bundled snapshot (" + st.cloud() + ", changeNumber " + st.changeNumber()
                + "); service tags change weekly: run 'servicetags update' for current data" + unreadable);
        return loaded = st;
    }

    /**
     * The cache directories read, in order: {@code --cache DIR} alone when given; else the user's cache
     * ({@code $SERVICETAGS_CACHE}, or {@code ~/.cache/servicetags} when that is not set), then the system cache
     * ({@code /var/cache/servicetags}, written by the Debian package's timer).
     */
    List<Path> cacheDirectories() {
        if (cache != null) {
            return List.of(cache);
        }
        Path user = ServiceTagsCache.defaultDirectory(env);
        return systemCache.toString().isEmpty() || systemCache.equals(user) ? List.of(user)
                : List.of(user, systemCache);
    }

    /** Prints the version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"servicetags " + (v == null ? "(development build)" : v)};
        }
    }
}
