package io.github.servicetags.packaging;

import io.github.servicetags.cli.Main;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.asciidoctor.Asciidoctor;
import org.asciidoctor.Attributes;
import org.asciidoctor.Options;
import org.asciidoctor.SafeMode;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Build step of {@code mvn package} (exec-maven-plugin, {@code prepare-package}): writes the generated files of the
 * Debian package from the picocli model of the command line, so that every subcommand, present or added later, gets
 * its man page and its completion without a list kept by hand.
 *
 * <pre>
 * OUT/man/servicetags.1.gz, OUT/man/servicetags-&lt;command&gt;.1.gz   picocli ManPageGenerator, then Asciidoctor's
 *                                                               manpage converter, gzip -9 without a timestamp
 * OUT/completion/servicetags     picocli AutoComplete (bash; zsh reads it through bashcompinit)
 * OUT/completion/_servicetags    the zsh completion function that does so
 * OUT/changelog.gz               the Debian changelog of a native package: one entry for this version
 * </pre>
 *
 * <p>Arguments: {@code OUT VERSION}, VERSION the Maven version (see {@link #debianVersion}). The date of the changelog entry is
 * {@code $SOURCE_DATE_EPOCH} when set (reproducible builds), else now.
 */
public final class DebianFiles {
    private DebianFiles() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: DebianFiles OUT_DIR MAVEN_VERSION");
        }
        Path out = Path.of(args[0]);
        String version = debianVersion(args[1]);
        CommandLine cli = commandLine(version);
        manPages(cli, out.resolve("man"), out.resolve("man-adoc"));
        completion(cli, out.resolve("completion"));
        changelog(version, out.resolve("changelog.gz"));
    }

    /**
     * The Debian version of a Maven version, as jdeb writes it into the control file: {@code 0.2.0-SNAPSHOT} sorts
     * before {@code 0.2.0} as {@code 0.2.0~SNAPSHOT}; other characters Debian does not allow become {@code +}.
     */
    static String debianVersion(String mavenVersion) {
        String v = mavenVersion.replaceFirst("[-+]SNAPSHOT$", "~SNAPSHOT");
        return v.replaceAll("[^.+~A-Za-z0-9]", "+").replaceAll("\\++", "+");
    }

    /** The command line as shipped, with {@code version} as what {@code --version} and the man pages print. */
    static CommandLine commandLine(String version) {
        CommandLine cli = Main.commandLine(new Main());
        setVersion(cli, "servicetags " + version);
        return cli;
    }

    private static void setVersion(CommandLine cli, String version) {
        cli.getCommandSpec().version(version);
        cli.getSubcommands().values().forEach(sub -> setVersion(sub, version));
    }

    static void manPages(CommandLine cli, Path man, Path adoc) throws IOException {
        emptyDirectory(man); // a page of a removed subcommand must not stay behind
        emptyDirectory(adoc);
        int code = ManPageGenerator.generateManPage(adoc.toFile(), null, new boolean[0], true, cli.getCommandSpec());
        if (code != 0) {
            throw new IOException("ManPageGenerator failed with exit code " + code);
        }
        List<Path> pages;
        try (Stream<Path> s = Files.list(adoc)) {
            pages = s.filter(p -> p.toString().endsWith(".adoc")).sorted().toList();
        }
        if (pages.isEmpty()) {
            throw new IOException("ManPageGenerator wrote no page into " + adoc);
        }
        List<String> written = new ArrayList<>();
        try (Asciidoctor asciidoctor = Asciidoctor.Factory.create()) {
            for (Path page : pages) {
                String name = page.getFileName().toString().replaceFirst("\\.adoc$", "");
                Path roff = adoc.resolve(name + ".1");
                asciidoctor.convertFile(page.toFile(), Options.builder()
                        .backend("manpage")
                        .safe(SafeMode.UNSAFE)
                        .toFile(new File(roff.toString()))
                        .attributes(Attributes.builder()
                                .attribute("reproducible", "") // no generation date in the page
                                .build())
                        .build());
                gzip(Files.readAllBytes(roff), man.resolve(name + ".1.gz"));
                written.add(name);
            }
        }
        System.out.println("DebianFiles: man pages " + written);
    }

    private static void emptyDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
    }

    static void completion(CommandLine cli, Path dir) throws IOException {
        Files.createDirectories(dir);
        // Sourced, not run: without the generated script's #! line.
        String bash = AutoComplete.bash("servicetags", cli).replaceFirst("\\A#![^\n]*\n", "");
        Files.writeString(dir.resolve("servicetags"), bash, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("_servicetags"), """
                #compdef servicetags
                # zsh completion for servicetags: the bash completion generated by picocli, through bashcompinit.
                autoload -U +X bashcompinit && bashcompinit
                source /usr/share/bash-completion/completions/servicetags
                # The script aliases compopt to complete for zsh, but its functions then fail on compopt; without
                # the alias they skip it (it only sets display options).
                unalias compopt 2>/dev/null
                _bash_complete -o default -F _complete_servicetags "$@"
                """, StandardCharsets.UTF_8);
    }

    static void changelog(String version, Path file) throws IOException {
        String epoch = System.getenv("SOURCE_DATE_EPOCH");
        Instant when = epoch == null || epoch.isBlank() ? Instant.now() : Instant.ofEpochSecond(Long.parseLong(epoch));
        String date = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ROOT)
                .format(when.atOffset(ZoneOffset.UTC)); // as date -R writes it
        String text = "servicetags (" + version + ") unstable; urgency=medium\n\n"
                + "  * Release " + version + " of servicetags. CHANGELOG.md of the source\n"
                + "    repository lists the changes of each release.\n\n"
                + " -- servicetags developers <servicetags@users.noreply.github.com>  " + date + "\n";
        gzip(text.getBytes(StandardCharsets.UTF_8), file);
    }

    /**
     * gzip at the best compression, with no file name and a zero timestamp, as {@code gzip -9n} writes it (the header
     * says so in its XFL byte, which lintian reads; {@code GZIPOutputStream} leaves it 0).
     */
    static void gzip(byte[] data, Path file) throws IOException {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        CRC32 crc = new CRC32();
        crc.update(data);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 2, 3}); // deflate, mtime 0, XFL 2, Unix
            deflater.setInput(data);
            deflater.finish();
            byte[] buf = new byte[1 << 16];
            while (!deflater.finished()) {
                out.write(buf, 0, deflater.deflate(buf));
            }
            writeIntLe(out, (int) crc.getValue());
            writeIntLe(out, data.length);
        } finally {
            deflater.end();
        }
    }

    private static void writeIntLe(OutputStream out, int v) throws IOException {
        out.write(new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)});
    }
}
