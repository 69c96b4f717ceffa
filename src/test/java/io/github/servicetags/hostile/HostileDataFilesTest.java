package io.github.servicetags.hostile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.servicetags.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file of {@code testdata/hostile/} (and the large and truncated inputs generated here) is refused by the
 * command line with exit code 1 and a message naming the problem, in a JVM with a 64 MiB heap and within a time
 * limit: a hang, a stack overflow, an {@code OutOfMemoryError} or a stack trace fails the test.
 */
class HostileDataFilesTest {
    static final Path CORPUS = Path.of("testdata", "hostile");
    /** The heap of the JVM that reads the hostile files: far below what a naive reader of the bomb would need. */
    static final String HEAP = "-Xmx64m";
    static final long TIMEOUT_SECONDS = 300;

    @TempDir
    static Path tmp;

    private static final Map<String, String> expected = new LinkedHashMap<>();
    private static final Map<String, String[]> results = new LinkedHashMap<>();
    private static String driverOutput;

    @BeforeAll
    static void refuseEverythingInOneSmallJvm() throws Exception {
        for (HostileCorpus.Case c : HostileCorpus.committed()) {
            expected.put(CORPUS.resolve(c.file()).toString(), c.expected());
        }
        for (HostileCorpus.Case c : HostileCorpus.large(tmp)) {
            expected.put(tmp.resolve(c.file()).toString(), c.expected());
        }
        // not files: a directory, and endless or empty devices
        expected.put(Files.createDirectories(tmp.resolve("a-directory.json")).toString(), "Is a directory");
        for (String device : new String[] {"/dev/zero", "/dev/null"}) {
            if (Files.isReadable(Path.of(device))) {
                expected.put(device, device.equals("/dev/zero") ? "code 0" : "empty document");
            }
        }
        // truncation at every offset of the plain sample (up to its closing brace) and of its gzip form
        byte[] sample = HostileCorpus.SAMPLE.getBytes(StandardCharsets.UTF_8);
        int end = HostileCorpus.SAMPLE.lastIndexOf('}');
        Path cut = Files.createDirectories(tmp.resolve("truncated"));
        for (int n = 0; n <= end; n++) {
            Path f = cut.resolve("sample-" + n + ".json");
            Files.write(f, Arrays.copyOf(sample, n));
            // a cut inside a literal ("nu" of null) is an unknown token to Jackson, not an end of input
            expected.put(f.toString(), n == 0 ? "empty document" : "ends early|Unrecognized token 'n");
        }
        byte[] gz = gzip(sample);
        for (int n = 2; n < gz.length; n++) {
            Path f = cut.resolve("sample-" + n + ".json.gz");
            Files.write(f, Arrays.copyOf(gz, n));
            expected.put(f.toString(), "corrupt or truncated gzip data");
        }
        List<String> cmd = new ArrayList<>(List.of(java(), HEAP, "-XX:+ExitOnOutOfMemoryError", "-Xss512k", "-cp",
                System.getProperty("java.class.path"), HostileDriver.class.getName()));
        Path args = tmp.resolve("args.txt");
        Files.write(args, expected.keySet());
        cmd.add("@" + args); // the list as a file: no command-line length limit
        Run r = run(cmd);
        driverOutput = r.stdout + r.stderr;
        assertEquals(0, r.exit, () -> "the driver JVM died (" + HEAP + "): " + driverOutput);
        for (String line : r.stdout.split("\n")) {
            if (!line.isEmpty()) {
                String[] f = line.split("\t", 3);
                f[2] = unescape(f[2]);
                results.put(f[0], f);
            }
        }
    }

    @Test
    void everyHostileFileGivesExitOneAndNamesTheProblem() {
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String[] r = results.get(e.getKey());
            if (r == null) {
                failures.add(e.getKey() + ": no result");
                continue;
            }
            String err = r[2];
            boolean named = Arrays.stream(e.getValue().split("\\|")).anyMatch(err::contains);
            if (!r[1].equals("1") || !err.startsWith("servicetags: " + e.getKey() + ": ") || !named
                    || err.contains("\n\tat ") || err.contains("internal error") || err.contains("\n")) {
                failures.add(e.getKey() + ": exit " + r[1] + ", expected a message containing '" + e.getValue()
                        + "', got: " + err);
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + expected.size() + " hostile files not refused as expected:\n"
                    + String.join("\n", failures));
        }
    }

    @Test
    void theGzipBombIsRefusedByTheRealCommandLine() throws Exception {
        Path bomb = tmp.resolve("gzip-bomb-2gib.json.gz");
        Run r = run(List.of(java(), HEAP, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--data", bomb.toString(), "info"));
        assertEquals(1, r.exit, r.stderr);
        assertEquals("", r.stdout);
        assertEquals("servicetags: " + bomb + ": byte 268435456: document larger than 268435456 bytes "
                + "(LoadOptions.maxDocumentBytes)", r.stderr.strip());
    }

    @Test
    void theBombGeneratorWritesValidGzip() throws IOException {
        Path small = tmp.resolve("small-bomb.json.gz");
        HostileCorpus.writeWhitespaceBomb(small, 8L << 20);
        long n = 0;
        long spaces = 0;
        try (java.io.InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(small))) {
            byte[] buf = new byte[1 << 16];
            int k;
            while ((k = in.read(buf)) > 0) { // reads the trailer too: a wrong CRC or size would throw
                for (int i = 0; i < k; i++) {
                    spaces += buf[i] == ' ' ? 1 : 0;
                }
                n += k;
            }
        }
        assertEquals((8L << 20) + 45, n);
        assertEquals(8L << 20, spaces);
        assertTrue(Files.size(small) < 64 << 10, "compressed size " + Files.size(small));
    }

    @Test
    void theSampleAndTheSampleAfterAUtf8BomLoad() throws IOException {
        Path plain = tmp.resolve("sample.json");
        Files.writeString(plain, HostileCorpus.SAMPLE);
        Path bom = tmp.resolve("sample-bom.json");
        Files.write(bom, concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf},
                HostileCorpus.SAMPLE.getBytes(StandardCharsets.UTF_8)));
        Path gz = tmp.resolve("sample.json.gz");
        Files.write(gz, gzip(HostileCorpus.SAMPLE.getBytes(StandardCharsets.UTF_8)));
        for (Path p : List.of(plain, bom, gz)) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.run(new String[] {"--data", p.toString(), "info"}, new PrintWriter(out),
                    new PrintWriter(err), Map.of());
            assertEquals(0, code, p + ": " + err);
            assertTrue(out.toString().contains("prefixes IPv4  4"), out.toString());
            assertTrue(out.toString().contains("prefixes IPv6  3"), out.toString());
        }
    }

    @Test
    void theCommittedCorpusIsWhatTheGeneratorWrites() throws IOException {
        Set<String> want = new TreeSet<>();
        for (HostileCorpus.Case c : HostileCorpus.committed()) {
            want.add(c.file());
            Path f = CORPUS.resolve(c.file());
            assertTrue(Files.isRegularFile(f), f + " is missing: run HostileCorpus.main (see its Javadoc)");
            assertArrayEquals(c.bytes(), Files.readAllBytes(f), f + " differs from HostileCorpus: regenerate it");
        }
        want.add("README.md");
        assertEquals(HostileCorpus.index(), Files.readString(CORPUS.resolve("README.md")));
        try (Stream<Path> s = Files.list(CORPUS)) {
            assertEquals(want, s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new)),
                    "files in testdata/hostile that HostileCorpus does not write");
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    record Run(int exit, String stdout, String stderr) {}

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static Run run(List<String> cmd) throws IOException, InterruptedException {
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            fail("no answer within " + TIMEOUT_SECONDS + " s (a hang?): " + String.join(" ", cmd.subList(0, 4))
                    + "\n" + Files.readString(err));
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Undoes {@link HostileDriver}'s escaping of backslash, line breaks and tabs. */
    static String unescape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                sb.append(n == 'n' ? '\n' : n == 'r' ? '\r' : n == 't' ? '\t' : n);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    static byte[] gzip(byte[] data) throws IOException {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
            gz.write(data);
        }
        return b.toByteArray();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
