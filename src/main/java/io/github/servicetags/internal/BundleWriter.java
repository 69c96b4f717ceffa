package io.github.servicetags.internal;

import io.github.servicetags.ServiceTags;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Build step: converts the bundled JSON snapshot into the gzip-compressed binary form that
 * {@code ServiceTags.bundled()} reads (smaller in the jar, and no JSON parsing at start-up). Run by the
 * {@code exec-maven-plugin} in the {@code process-classes} phase:
 * {@code BundleWriter src/main/resources/.../ServiceTags_Public_376.json.gz target/classes/.../ServiceTags_Public_376.bin.gz}.
 */
public final class BundleWriter {
    private BundleWriter() {}

    /** Arguments: the JSON file (plain or gzip) and the binary file to write (with the index tables). */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: BundleWriter SNAPSHOT.json[.gz] OUT.bin.gz");
        }
        ServiceTags st = ServiceTags.load(Path.of(args[0]));
        Path out = Path.of(args[1]);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
            // with the index tables, so that bundled() needs no index build
            Internals.serviceTags().writeWithTables(st, o, null);
        }
        Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
