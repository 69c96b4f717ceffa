package io.github.servicetags.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import io.github.servicetags.cli.Main;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The Debian package that {@code mvn package} writes, judged by the Debian tools: its metadata and file list
 * ({@code dpkg-deb}), {@code lintian}, an installation with {@code dpkg} into a scratch root, the installed launcher
 * answering a lookup (from the bundled snapshot, then from a system cache written by the timer's update script),
 * the launcher's message when no Java 17 is found, {@code systemd-analyze verify} and {@code security} on the units,
 * {@code man -l} on every page, the bash completion, and the example firewall hook. The commands and their pages
 * are derived from the picocli model, so a new subcommand is checked without editing this test.
 *
 * <p>Slow (lintian alone takes many seconds): an integration test, run once by {@code mvn verify} after
 * {@code package}. Needs {@code unshare -rm} (user and mount namespaces) to give the installed launcher an empty
 * {@code /var/cache} and {@code /usr/lib/jvm} without touching the host.
 */
class DebianPackageIT {
    static final String LOOKUP = "20.38.98.1\tAzureCloud,AzureCloud.eastus,Storage,Storage.EastUS\n";

    @TempDir
    static Path tmp;
    static Path deb;
    static Path root;
    static String version;
    static HttpServer server;
    static final AtomicReference<byte[]> served = new AtomicReference<>();
    static String url;

    @BeforeAll
    static void install() throws IOException {
        Sh.requireTools("dpkg-deb", "dpkg", "unshare");
        String mavenVersion = System.getProperty("servicetags.version");
        Path buildDir = Path.of(System.getProperty("servicetags.buildDir", "target"));
        version = DebianFiles.debianVersion(mavenVersion == null ? "0.1.0-SNAPSHOT" : mavenVersion);
        deb = buildDir.resolve("servicetags_" + version + "_all.deb");
        assertTrue(Files.isRegularFile(deb), deb + " is missing: mvn package writes it");

        root = tmp.resolve("root");
        Files.createDirectories(root.resolve("var/lib/dpkg/info"));
        Files.createDirectories(root.resolve("var/lib/dpkg/updates"));
        Files.createFile(root.resolve("var/lib/dpkg/status"));
        // Maintainer scripts run without chroot and see DPKG_ROOT; Java is not installed in the scratch root.
        Sh.Result r = Sh.run(List.of("dpkg", "--root=" + root, "--force-script-chrootless", "--force-depends",
                "--force-not-root", "--log=/dev/null", "-i", deb.toString()));
        assertEquals(0, r.code(), r::toString);
        Sh.Result status = Sh.run(List.of("dpkg-query", "--root=" + root, "-W", "-f=${Status} ${Version}",
                "servicetags"));
        assertEquals("install ok installed " + version, status.out(), status::toString);

        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            try (ex) {
                byte[] body = served.get();
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort() + "/f/ServiceTags_Public_20261130.json";
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    // ---- what the package holds ----

    /** Man page names ManPageGenerator writes: servicetags, servicetags-lookup, servicetags-a-b for nested ones. */
    static Map<String, CommandLine> pages() {
        Map<String, CommandLine> pages = new TreeMap<>();
        addPages(Main.commandLine(new Main()), "servicetags", pages);
        return pages;
    }

    private static void addPages(CommandLine cli, String name, Map<String, CommandLine> pages) {
        pages.put(name, cli);
        cli.getSubcommands().forEach((sub, c) -> {
            if (sub.equals(c.getCommandName())) { // aliases share the page
                addPages(c, name + "-" + sub, pages);
            }
        });
    }

    @Test
    void controlFields() throws IOException {
        Sh.Result r = Sh.run(List.of("dpkg-deb", "--field", deb.toString(), "Package", "Version", "Architecture",
                "Depends", "Section", "Priority"));
        assertEquals(0, r.code(), r::toString);
        assertEquals("""
                Package: servicetags
                Version: %s
                Architecture: all
                Depends: default-jre-headless (>= 2:1.17) | java17-runtime-headless
                Section: net
                Priority: optional
                """.formatted(version), r.out());
        Sh.Result info = Sh.run(List.of("dpkg-deb", "--info", deb.toString()));
        assertTrue(info.out().contains(" Maintainer: ") && info.out().contains(" Description: ")
                && info.out().contains(" Installed-Size: "), info::toString);
        Sh.Result conffiles = Sh.run(List.of("dpkg-deb", "--info", deb.toString(), "conffiles"));
        assertEquals("/etc/default/servicetags\n", conffiles.out(), conffiles::toString);
        Sh.Result postinst = Sh.run(List.of("dpkg-deb", "--info", deb.toString(), "postinst"));
        assertTrue(postinst.out().lines().filter(l -> !l.startsWith("#")).noneMatch(l -> l.contains("enable")),
                "the timer is installed disabled:\n" + postinst.out());
    }

    @Test
    void contentsPathsAndModes() throws IOException {
        Sh.Result r = Sh.run(List.of("dpkg-deb", "--contents", deb.toString()));
        assertEquals(0, r.code(), r::toString);
        Map<String, String> files = new TreeMap<>();
        Set<String> dirs = new TreeSet<>();
        Pattern line = Pattern.compile("^(\\S+) (\\S+)\\s+\\d+ \\S+ \\S+ \\./(.*)$");
        for (String l : r.out().lines().toList()) {
            Matcher m = line.matcher(l);
            assertTrue(m.matches(), "unexpected dpkg-deb --contents line: " + l);
            assertEquals("root/root", m.group(2), l);
            if (m.group(1).startsWith("d")) {
                assertEquals("drwxr-xr-x", m.group(1), l);
                dirs.add(m.group(3));
            } else {
                files.put("/" + m.group(3), m.group(1));
            }
        }
        Map<String, String> expected = new TreeMap<>();
        expected.put("/usr/bin/servicetags", "-rwxr-xr-x");
        expected.put("/usr/libexec/servicetags/servicetags-update", "-rwxr-xr-x");
        expected.put("/usr/share/servicetags/servicetags.jar", "-rw-r--r--");
        for (String page : pages().keySet()) {
            expected.put("/usr/share/man/man1/" + page + ".1.gz", "-rw-r--r--");
        }
        for (String f : List.of("/usr/share/bash-completion/completions/servicetags",
                "/usr/share/zsh/vendor-completions/_servicetags",
                "/usr/lib/systemd/system/servicetags-update.service", "/usr/lib/systemd/system/servicetags-update.timer",
                "/etc/default/servicetags", "/usr/share/doc/servicetags/copyright",
                "/usr/share/doc/servicetags/changelog.gz", "/usr/share/doc/servicetags/examples/reload-firewall")) {
            expected.put(f, "-rw-r--r--");
        }
        assertEquals(expected, files);
        assertTrue(dirs.contains("usr/share/man/man1/") && dirs.contains("etc/default/"), dirs::toString);
    }

    @Test
    void lintianReportsNoErrorAndOnlyTheListedWarnings() throws IOException {
        Sh.requireTools("lintian");
        Sh.Result r = Sh.run(List.of("lintian", "--pedantic", "--display-info", "--no-tag-display-limit",
                deb.toString()));
        Map<String, String> allowed = new TreeMap<>();
        try (InputStream in = DebianPackageIT.class.getResourceAsStream("lintian-warnings.txt")) {
            for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
                if (l.isBlank() || l.startsWith("#")) {
                    continue;
                }
                String[] parts = l.split("\\s+--\\s+", 2);
                assertEquals(2, parts.length, "fixture line without ' -- reason': " + l);
                allowed.put(parts[0].strip(), parts[1].strip());
            }
        }
        Pattern tag = Pattern.compile("^([EWIPX]): servicetags(?: [a-z]+)?: (\\S+)(.*)$");
        List<String> errors = new ArrayList<>();
        List<String> unlisted = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (String l : r.out().lines().toList()) {
            Matcher m = tag.matcher(l);
            if (!m.matches()) {
                continue;
            }
            String key = m.group(1) + ": " + m.group(2);
            seen.add(key);
            if (m.group(1).equals("E")) {
                errors.add(l);
            } else if (!allowed.containsKey(key)) {
                unlisted.add(l);
            }
        }
        assertEquals(List.of(), errors, "lintian errors:\n" + r);
        assertEquals(List.of(), unlisted, "lintian tags not in lintian-warnings.txt (fix them, or list them there"
                + " with a reason):\n" + r);
        Set<String> stale = new TreeSet<>(allowed.keySet());
        stale.removeAll(seen);
        assertEquals(Set.of(), stale, "lintian-warnings.txt lists tags lintian no longer reports");
        assertTrue(r.code() == 0 || r.code() == 1 && errors.isEmpty(), r::toString);
    }

    @Test
    void copyrightCoversEverythingTheJarBundles() throws IOException {
        String copyright = Files.readString(root.resolve("usr/share/doc/servicetags/copyright"));
        assertTrue(copyright.startsWith("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"));
        List<Pattern> specific = new ArrayList<>();
        Matcher files = Pattern.compile("(?m)^Files: ((?:.*\\n)(?: [^ ].*\\n)*)").matcher(copyright);
        while (files.find()) {
            for (String glob : files.group(1).strip().split("\\s+")) {
                if (!glob.equals("*")) {
                    specific.add(Pattern.compile(Pattern.quote(glob).replace("*", "\\E.*\\Q")));
                }
            }
        }
        List<String> uncovered = new ArrayList<>();
        try (ZipFile jar = new ZipFile(root.resolve("usr/share/servicetags/servicetags.jar").toFile())) {
            jar.stream().filter(e -> !e.isDirectory()).map(e -> e.getName())
                    .filter(n -> !n.startsWith("META-INF/") || n.startsWith("META-INF/versions/")
                            || n.startsWith("META-INF/services/"))
                    .filter(n -> !n.startsWith("io/github/servicetags/") || n.contains("ServiceTags_Public_"))
                    .filter(n -> !n.endsWith("/MANIFEST.MF"))
                    .filter(n -> specific.stream().noneMatch(p -> p.matcher(n).matches()))
                    .forEach(uncovered::add);
        }
        assertEquals(List.of(), uncovered, "jar entries of other authors with no Files: paragraph in copyright");
    }

    @Test
    void changelogIsForThisVersion() throws IOException {
        try (InputStream in = new GZIPInputStream(
                Files.newInputStream(root.resolve("usr/share/doc/servicetags/changelog.gz")))) {
            String first = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
            assertEquals("servicetags (" + version + ") unstable; urgency=medium", first);
        }
    }

    // ---- the installed command ----

    /**
     * Runs {@code setup}, then {@code exec command}, in new user and mount namespaces where /var/cache starts empty.
     * A PATH in {@code env} is the one the command gets (the setup runs with the usual one).
     */
    static Sh.Result isolated(String setup, String command, Map<String, String> env, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of("unshare", "-rm", "sh", "-c",
                "mount -t tmpfs none /var/cache && " + setup + " && { [ -z \"${ST_PATH+x}\" ] || PATH=$ST_PATH; }"
                        + " && exec " + command, "sh"));
        cmd.addAll(List.of(args));
        Map<String, String> e = new HashMap<>();
        e.put("HOME", tmp.resolve("home").toString());
        e.put("SERVICETAGS_CACHE", null);
        e.put("SERVICETAGS_DATA", null);
        e.put("JAVA_HOME", null);
        e.put("JAVA_OPTS", null);
        env.forEach((k, v) -> e.put(k.equals("PATH") ? "ST_PATH" : k, v));
        return Sh.run(cmd, e, null);
    }

    static String launcher() {
        return root.resolve("usr/bin/servicetags").toString();
    }

    @Test
    void installedLauncherAnswersALookupFromTheBundledSnapshot() throws IOException {
        Sh.Result r = isolated("true", "\"$1\" lookup --format tsv 20.38.98.1", Map.of(), launcher());
        assertEquals(0, r.code(), r::toString);
        assertEquals(LOOKUP, r.out());
        assertTrue(r.err().contains("using the bundled snapshot (Public, changeNumber 376)"), r::toString);
        Sh.Result v = isolated("true", "\"$1\" --version", Map.of(), launcher());
        assertEquals(0, v.code(), v::toString);
        assertTrue(v.out().startsWith("servicetags "), v::toString);
    }

    @Test
    void launcherSaysSoWhenNoJava17IsFound() throws IOException {
        Path old = Files.createDirectories(tmp.resolve("jdk11/bin"));
        Files.writeString(old.getParent().resolve("release"), "JAVA_VERSION=\"11.0.22\"\n");
        Path java = old.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho 'openjdk version \"11.0.22\"' >&2\nexit 0\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        String noJvms = "{ [ ! -d /usr/lib/jvm ] || mount -t tmpfs none /usr/lib/jvm; }";
        String lookup = "\"$1\" lookup 1.2.3.4";
        Sh.Result r = isolated(noJvms, lookup, Map.of("JAVA_HOME", old.getParent().toString(), "PATH",
                old.toString()), launcher());
        assertEquals(127, r.code(), r::toString);
        assertEquals("", r.out());
        assertEquals("servicetags: no Java 17 or newer found; tried:\n"
                + "  JAVA_HOME: " + java + " is Java 11\n"
                + "  PATH: " + java + " is Java 11\n"
                + "  /usr/lib/jvm: no java\n"
                + "Install one (Debian, Ubuntu: apt install default-jre-headless) or set JAVA_HOME to a Java 17 or"
                + " newer.\n", r.err());

        Sh.Result none = isolated(noJvms, lookup, Map.of("JAVA_HOME", tmp.resolve("nojdk").toString(),
                "PATH", tmp.resolve("nobin").toString()), launcher());
        assertEquals(127, none.code(), none::toString);
        assertTrue(none.err().contains("  JAVA_HOME: " + tmp.resolve("nojdk/bin/java")
                + " is not an executable file\n  PATH: no java\n"), none::toString);
    }

    @Test
    void launcherTakesJavaHomeAndJavaOpts() throws IOException {
        String javaHome = System.getProperty("java.home");
        Sh.Result r = isolated("true", "\"$1\" lookup --format tsv 20.38.98.1",
                Map.of("JAVA_HOME", javaHome, "PATH", "/nonexistent", "JAVA_OPTS", "-Xmx300m -Dx=*"), launcher());
        assertEquals(0, r.code(), r::toString);
        assertEquals(LOOKUP, r.out());
        Sh.Result bad = isolated("true", "\"$1\" info", Map.of("JAVA_HOME", javaHome, "JAVA_OPTS", "-Xmx1k"),
                launcher());
        assertTrue(bad.code() != 0 && (bad.out() + bad.err()).contains("Too small maximum heap"),
                "JAVA_OPTS reaches the JVM:\n" + bad);
    }

    static String bundledJson(String edit) throws IOException {
        try (InputStream in = new GZIPInputStream(
                DebianPackageIT.class.getResourceAsStream("/io/github/servicetags/ServiceTags_Public_376.json.gz"))) {
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return edit == null ? json : json.replaceFirst("\"changeNumber\": 376", "\"changeNumber\": 377")
                    .replaceFirst("\"addressPrefixes\": \\[", "\"addressPrefixes\": [\"" + edit + "\", ");
        }
    }

    /** The timer's ExecStart script, run as systemd would (CACHE_DIRECTORY, settings of /etc/default). */
    static Sh.Result updateScript(Path cacheDir) throws IOException {
        return Sh.run(List.of(root.resolve("usr/libexec/servicetags/servicetags-update").toString()),
                Map.of("CACHE_DIRECTORY", cacheDir.toString(), "SERVICETAGS_CLOUDS", "Public",
                        "SERVICETAGS_UPDATE_OPTS", "--url " + url + " --insecure --timeout 20",
                        "HOME", tmp.resolve("home").toString()), null);
    }

    @Test
    void updateScriptFillsTheSystemCacheThatTheLauncherReads() throws IOException {
        Path cacheDir = Files.createDirectories(tmp.resolve("system-cache"));
        served.set(bundledJson("198.51.100.0/24").getBytes(StandardCharsets.UTF_8));
        Sh.Result u = updateScript(cacheDir);
        assertEquals(0, u.code(), u::toString);
        assertTrue(Files.isRegularFile(cacheDir.resolve("Public/current.json")), u::toString);

        Sh.Result r = isolated("mkdir /var/cache/servicetags && mount --bind \"$2\" /var/cache/servicetags",
                "\"$1\" lookup --format tsv 20.38.98.1 198.51.100.7", Map.of(), launcher(), cacheDir.toString());
        assertEquals(0, r.code(), r::toString);
        assertEquals(LOOKUP + "198.51.100.7\tActionGroup\n", r.out(), "answered from /var/cache/servicetags");
        assertEquals("", r.err(), "no bundled-snapshot notice");

        Sh.Result failing = Sh.run(List.of(root.resolve("usr/libexec/servicetags/servicetags-update").toString()),
                Map.of("CACHE_DIRECTORY", cacheDir.toString(), "SERVICETAGS_CLOUDS", "Public Mars",
                        "SERVICETAGS_UPDATE_OPTS", "--url " + url + " --insecure", "HOME", tmp.toString()), null);
        assertEquals(2, failing.code(), "a failing cloud fails the service:\n" + failing);
    }

    @Test
    void unitsPassSystemdAnalyze() throws IOException {
        Sh.requireTools("systemd-analyze");
        Path units = root.resolve("usr/lib/systemd/system");
        String service = Files.readString(units.resolve("servicetags-update.service"));
        for (String directive : List.of("Type=oneshot", "DynamicUser=yes", "CacheDirectory=servicetags",
                "EnvironmentFile=-/etc/default/servicetags", "ExecStart=/usr/libexec/servicetags/servicetags-update",
                "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes", "NoNewPrivileges=yes",
                "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX")) {
            assertTrue(service.lines().anyMatch(directive::equals), "servicetags-update.service lacks " + directive);
        }
        String timer = Files.readString(units.resolve("servicetags-update.timer"));
        for (String directive : List.of("OnCalendar=weekly", "Persistent=true", "WantedBy=timers.target")) {
            assertTrue(timer.lines().anyMatch(directive::equals), "servicetags-update.timer lacks " + directive);
        }
        assertTrue(timer.lines().anyMatch(l -> l.startsWith("RandomizedDelaySec=")), timer);

        // verify checks that ExecStart exists and that man: links resolve: both point into the scratch root.
        String mounts = "mount -t tmpfs none /usr/libexec && mkdir /usr/libexec/servicetags"
                + " && mount --bind \"$1/usr/libexec/servicetags\" /usr/libexec/servicetags && ";
        Map<String, String> env = Map.of("MANPATH", root.resolve("usr/share/man").toString());
        Sh.Result verify = Sh.run(List.of("unshare", "-rm", "sh", "-c", mounts + "systemd-analyze verify \"$2\" \"$3\"",
                "sh", root.toString(), units.resolve("servicetags-update.service").toString(),
                units.resolve("servicetags-update.timer").toString()), env, null);
        assertEquals(0, verify.code(), verify::toString);
        assertEquals("", verify.out() + verify.err(), "systemd-analyze verify warns");
        Sh.Result security = Sh.run(List.of("unshare", "-rm", "sh", "-c",
                mounts + "systemd-analyze security --offline=true --threshold=20 \"$2\"", "sh", root.toString(),
                units.resolve("servicetags-update.service").toString()), env, null);
        assertEquals(0, security.code(), "exposure above 2.0:\n" + security);
    }

    @Test
    void everyManPageRenders() throws IOException {
        Sh.requireTools("man");
        for (Map.Entry<String, CommandLine> page : pages().entrySet()) {
            Path file = root.resolve("usr/share/man/man1/" + page.getKey() + ".1.gz");
            Sh.Result r = Sh.run(List.of("man", "--warnings", "-l", file.toString()),
                    Map.of("MANWIDTH", "100", "MAN_DISABLE_SECCOMP", "1"), null);
            assertEquals(0, r.code(), r::toString);
            assertEquals("", r.err(), () -> page.getKey() + ": groff warnings\n" + r);
            String text = r.out();
            String qualified = page.getValue().getCommandSpec().qualifiedName(" ");
            assertTrue(text.startsWith(page.getKey().toUpperCase(java.util.Locale.ROOT) + "(1)"), text);
            assertTrue(text.contains("\nNAME\n") && text.contains("\nSYNOPSIS\n") && text.contains(qualified),
                    () -> page.getKey() + ":\n" + text);
            for (OptionSpec o : page.getValue().getCommandSpec().options()) {
                assertTrue(text.contains(o.longestName()), () -> page.getKey() + " lacks " + o.longestName());
            }
            for (String sub : page.getValue().getSubcommands().keySet()) {
                assertTrue(text.contains(sub), () -> page.getKey() + " does not name " + sub);
            }
        }
    }

    /** COMPREPLY of the function that the completion script registers, for the words of a command line. */
    static List<String> complete(String... words) throws IOException {
        Path script = root.resolve("usr/share/bash-completion/completions/servicetags");
        StringBuilder w = new StringBuilder();
        for (String word : words) {
            w.append(" '").append(word).append('\'');
        }
        String bash = "source \"$1\" 2>/dev/null\n"
                + "fn=$(complete -p servicetags | sed -n 's/.*-F \\([^ ]*\\).*/\\1/p')\n"
                + "COMP_WORDS=(" + w.toString().strip() + ")\n"
                + "COMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n"
                + "COMP_LINE=\"${COMP_WORDS[*]}\"\nCOMP_POINT=${#COMP_LINE}\n"
                + "\"$fn\" servicetags \"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD-1]}\" 2>/dev/null\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        Sh.Result r = Sh.run(List.of("bash", "--norc", "--noprofile", "-c", bash, "bash", script.toString()));
        assertEquals(0, r.code(), r::toString);
        return r.out().lines().filter(l -> !l.isEmpty()).sorted().toList();
    }

    @Test
    void bashCompletion() throws IOException {
        Sh.requireTools("bash");
        Path script = root.resolve("usr/share/bash-completion/completions/servicetags");
        Sh.Result syntax = Sh.run(List.of("bash", "-n", script.toString()));
        assertEquals(0, syntax.code(), syntax::toString);
        assertFalse(Files.readString(script).startsWith("#!"), "a sourced file has no #! line");

        Set<String> commands = new TreeSet<>(Main.commandLine(new Main()).getSubcommands().keySet());
        List<String> exp = commands.stream().filter(c -> c.startsWith("exp")).toList();
        assertTrue(exp.contains("expand"), commands::toString);
        assertEquals(exp, complete("servicetags", "exp"), "servicetags exp<TAB>");
        assertEquals(List.of("expand"), complete("servicetags", "expa"), "servicetags expa<TAB>");
        assertEquals(List.copyOf(commands), complete("servicetags", "").stream().filter(c -> !c.startsWith("-"))
                .toList(), "servicetags <TAB> lists every subcommand of the model");
        assertEquals(List.of("--format"), complete("servicetags", "lookup", "--for"));
    }

    @Test
    void zshCompletion() throws IOException, InterruptedException {
        Sh.requireTools("zsh", "tmux");
        // The installed function sources the installed bash script; here both are in the scratch root.
        Path fpath = Files.createDirectories(tmp.resolve("zsh-functions"));
        String function = Files.readString(root.resolve("usr/share/zsh/vendor-completions/_servicetags"));
        assertTrue(function.startsWith("#compdef servicetags\n"), function);
        Files.writeString(fpath.resolve("_servicetags"), function.replace(
                "/usr/share/bash-completion/completions/servicetags",
                root.resolve("usr/share/bash-completion/completions/servicetags").toString()));
        String socket = "servicetags-it-" + ProcessHandle.current().pid();
        List<String> tmux = List.of("tmux", "-L", socket);
        try {
            run(tmux, "new-session", "-d", "-x", "150", "-y", "20",
                    "env -i TERM=xterm HOME=" + tmp + " PATH=/usr/bin:/bin zsh -f");
            run(tmux, "send-keys", "fpath=(" + fpath + " $fpath); autoload -U compinit; compinit -u -D;"
                    + " PS1='ready> '", "Enter");
            waitForPane(tmux, "ready> ");
            run(tmux, "send-keys", "servicetags expa", "Tab");
            waitForPane(tmux, "ready> servicetags expand");
            run(tmux, "send-keys", "C-u", "servicetags lookup --for", "Tab");
            waitForPane(tmux, "ready> servicetags lookup --format");
        } finally {
            Sh.run(List.of("tmux", "-L", socket, "kill-server"));
        }
    }

    static void run(List<String> tmux, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(tmux);
        cmd.addAll(List.of(args));
        Sh.Result r = Sh.run(cmd);
        assertEquals(0, r.code(), r::toString);
    }

    static void waitForPane(List<String> tmux, String text) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(tmux);
        cmd.addAll(List.of("capture-pane", "-p"));
        String pane = "";
        for (int i = 0; i < 300; i++) {
            pane = Sh.run(cmd).out();
            if (pane.lines().anyMatch(l -> l.stripTrailing().equals(text.stripTrailing()))) {
                return;
            }
            Thread.sleep(100);
        }
        fail("the zsh screen never showed '" + text + "':\n" + pane);
    }

    // ---- the example hook ----

    @Test
    void exampleHookReloadsTheFirewallOnlyWhenTheDataChanged() throws IOException {
        Sh.requireTools("nft");
        Path bin = Files.createDirectories(tmp.resolve("hook-bin"));
        Path nft = bin.resolve("nft-in-namespace");
        Files.writeString(nft, "#!/bin/sh\necho \"nft $*\" >> \"$STATE/nft.log\"\nexec unshare -rn nft \"$@\"\n");
        Files.setPosixFilePermissions(nft, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path cache = Files.createDirectories(tmp.resolve("hook-cache"));
        Path state = tmp.resolve("hook-state");
        served.set(bundledJson(null).getBytes(StandardCharsets.UTF_8));
        assertEquals(0, updateScript(cache).code());
        Map<String, String> env = Map.of("CACHE", cache.toString(), "STATE", state.toString(), "NFT", nft.toString(),
                "PATH", root.resolve("usr/bin") + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                "HOME", tmp.resolve("home").toString());
        List<String> hook = List.of("sh", root.resolve("usr/share/doc/servicetags/examples/reload-firewall").toString());

        Sh.Result first = Sh.run(hook, env, null);
        assertEquals(0, first.code(), first::toString);
        Path rules = state.resolve("veeam-backup-azure.nft");
        assertTrue(Files.readString(rules).contains("table inet st_veeam-backup-azure"), first::toString);
        assertEquals(2, Files.readAllLines(state.resolve("nft.log")).size(), "checked, then loaded");

        Sh.Result help = Sh.run(List.of(launcher(), "diff", "--help"));
        Assumptions.assumeTrue(help.out().contains("--exit-code"),
                "the rest needs 'diff --exit-code', which this build does not have yet");
        Sh.Result unchanged = Sh.run(hook, env, null);
        assertEquals(0, unchanged.code(), unchanged::toString);
        assertEquals(2, Files.readAllLines(state.resolve("nft.log")).size(), "nothing changed: nothing loaded");

        served.set(bundledJson("198.51.100.0/24").getBytes(StandardCharsets.UTF_8));
        assertEquals(0, updateScript(cache).code());
        Sh.Result changed = Sh.run(hook, env, null);
        assertEquals(0, changed.code(), changed::toString);
        assertEquals(4, Files.readAllLines(state.resolve("nft.log")).size(), "changed: checked and loaded again");
        assertTrue(Files.readString(state.resolve("applied.json")).contains("198.51.100.0/24"));
    }

    static Stream<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList().stream();
        }
    }

    @Test
    void everyGeneratedPageIsInstalled() throws IOException {
        Set<String> installed = list(root.resolve("usr/share/man/man1")).map(p -> p.getFileName().toString())
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> expected = pages().keySet().stream().map(p -> p + ".1.gz")
                .collect(Collectors.toCollection(TreeSet::new));
        if (!installed.equals(expected)) {
            fail("man pages " + installed + " but the picocli model has " + expected);
        }
    }
}
