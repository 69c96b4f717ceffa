package io.github.servicetags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One format detection: {@code load(Path)} and {@code load(InputStream, ...)} accept the same four forms (JSON or
 * binary, plain or gzip) and refuse the same things with the same words; {@code read} reads binaries only.
 */
class FormatDetectionTest {
    @TempDir
    Path dir;

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(b);
        }
        return out.toByteArray();
    }

    static byte[] form(String name) throws IOException {
        ServiceTags st = LoaderTest.load(LoaderTest.VALID);
        ByteArrayOutputStream bin = new ByteArrayOutputStream();
        st.write(bin);
        byte[] json = LoaderTest.VALID.getBytes(StandardCharsets.UTF_8);
        return switch (name) {
            case "json" -> json;
            case "json.gz" -> gzip(json);
            case "bin" -> bin.toByteArray();
            case "bin.gz" -> gzip(bin.toByteArray());
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "json.gz", "bin", "bin.gz"})
    void bothLoadOverloadsReadEveryForm(String name) throws IOException {
        byte[] bytes = form(name);
        Path file = Files.write(dir.resolve("tags." + name), bytes);
        ServiceTags fromPath = ServiceTags.load(file);
        ServiceTags fromStream = ServiceTags.load(new ByteArrayInputStream(bytes), "stream", LoadOptions.defaults());
        ServiceTags expected = LoaderTest.load(LoaderTest.VALID);
        BinaryIndexTest.assertSameData(expected, fromPath);
        BinaryIndexTest.assertSameData(expected, fromStream);
        BinaryIndexTest.assertSameLookups(expected, fromStream, new Random(3));
        if (name.startsWith("bin")) {
            BinaryIndexTest.assertSameData(expected, ServiceTags.read(new ByteArrayInputStream(bytes)));
        } else {
            InvalidServiceTagsException e = assertThrows(InvalidServiceTagsException.class,
                    () -> ServiceTags.read(new ByteArrayInputStream(bytes), "x.json"));
            assertTrue(e.problem().endsWith("this looks like JSON: load it with ServiceTags.load"), e.problem());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE"})
    void bothLoadOverloadsRefuseOtherEncodingsAlike(String charset) throws IOException {
        byte[] bytes = LoaderTest.VALID.getBytes(Charset.forName(charset));
        for (byte[] b : new byte[][] {bytes, gzip(bytes)}) {
            Path file = Files.write(dir.resolve("tags.json"), b);
            String problem = "the file is " + charset + " text; service-tag files are UTF-8 JSON (convert it, e.g. "
                    + "iconv -f " + charset + " -t UTF-8)";
            assertEquals(problem, assertThrows(InvalidServiceTagsException.class, () -> ServiceTags.load(file))
                    .problem());
            assertEquals(problem, assertThrows(InvalidServiceTagsException.class, () -> ServiceTags.load(
                    new ByteArrayInputStream(b), "s", LoadOptions.defaults())).problem());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 5, 12, 30})
    void truncatedGzipIsTheSameProblemForJsonAndBinary(int cut) throws IOException {
        for (String name : new String[] {"json.gz", "bin.gz"}) {
            byte[] b = java.util.Arrays.copyOf(form(name), cut);
            InvalidServiceTagsException e = assertThrows(InvalidServiceTagsException.class,
                    () -> ServiceTags.load(new ByteArrayInputStream(b), "s", LoadOptions.defaults()));
            assertTrue(e.problem().startsWith("corrupt or truncated gzip data"), name + ": " + e.problem());
        }
    }
}
