package io.github.servicetags;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The CSV and binary exports, and the atomic file write every export goes through. */
class ExportsTest {
    @TempDir
    Path dir;

    static List<String> files() {
        return RealData.FILES;
    }

    static String csv(ServiceTags st) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Exports.write(st, Exports.Format.CSV, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @MethodSource("files")
    void csvHasEveryPrefixTagPairOfTheFileExactlyOnceSorted(String name) throws IOException {
        ServiceTags st = RealData.load(name);
        String text = csv(st);
        assertTrue(text.endsWith("\r\n"));
        List<String> lines = Arrays.asList(text.split("\r\n", -1)).subList(0, text.split("\r\n", -1).length - 1);
        assertEquals("prefix,tag,region,system_service,family", lines.get(0));
        Set<String> expected = new HashSet<>();
        for (ServiceTag t : st.tags()) {
            for (IpPrefix p : t.prefixes()) {
                expected.add(p + "," + t.name() + "," + t.region() + "," + t.systemService() + ","
                        + (p.family() == IpFamily.IPV4 ? "ipv4" : "ipv6"));
            }
        }
        List<String> rows = lines.subList(1, lines.size());
        assertEquals(expected.size(), rows.size(), "one row per distinct (prefix, tag) pair");
        assertEquals(expected, new HashSet<>(rows));
        // IPv4 first, then by address, length and tag name
        IpPrefix last = null;
        String lastTag = null;
        for (String row : rows) {
            assertFalse(row.contains("\""), row); // nothing in the real files needs quoting
            String[] c = row.split(",", -1);
            IpPrefix p = IpPrefix.parse(c[0]);
            if (last != null) {
                int cmp = last.compareTo(p);
                assertTrue(cmp < 0 || cmp == 0 && lastTag.compareTo(c[1]) < 0, last + " " + lastTag + " / " + row);
            }
            last = p;
            lastTag = c[1];
        }
    }

    @Test
    void csvCellsFromTheFileCannotBecomeSpreadsheetFormulas() throws IOException {
        String json = """
                {"changeNumber": 9, "cloud": "Public", "values": [
                  {"name": "A", "id": "A", "properties": {"region": "", "systemService": "=HYPERLINK(\\"http://x\\",\\"y\\")",
                    "addressPrefixes": ["10.0.0.0/8"]}},
                  {"name": "B", "id": "B", "properties": {"region": "", "systemService": "+cmd|' /C calc'!A0",
                    "addressPrefixes": ["10.0.0.0/8"]}},
                  {"name": "C", "id": "C", "properties": {"region": "", "systemService": "  @SUM(A1)",
                    "addressPrefixes": ["2603:1000::/24"]}},
                  {"name": "D", "id": "D", "properties": {"region": "", "systemService": "\\uff1dcmd, -1",
                    "addressPrefixes": ["2603:1000::/24"]}}
                ]}
                """;
        ServiceTags st = ServiceTags.load(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "hostile",
                LoadOptions.defaults());
        assertEquals("""
                prefix,tag,region,system_service,family\r
                10.0.0.0/8,A,,"'=HYPERLINK(""http://x"",""y"")",ipv4\r
                10.0.0.0/8,B,,'+cmd|' /C calc'!A0,ipv4\r
                2603:1000::/24,C,,'  @SUM(A1),ipv6\r
                2603:1000::/24,D,,"'\uff1dcmd, -1",ipv6\r
                """, csv(st));
    }

    @ParameterizedTest
    @EnumSource(Exports.Format.class)
    void everyFormatWritesTheSameBytesToAFileAsToAStream(Exports.Format format) throws IOException {
        ServiceTags st = ServiceTags.bundled();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Exports.write(st, format, out);
        Path f = dir.resolve("export." + format);
        Exports.write(st, format, f);
        assertArrayEquals(out.toByteArray(), Files.readAllBytes(f));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(f), s.toList(), "no temporary file left");
        }
    }

    @Test
    void binaryExportLoadsBackWithTheSameAnswers() throws IOException {
        ServiceTags st = ServiceTags.bundled();
        Path f = dir.resolve("index.bin");
        Exports.write(st, Exports.Format.BINARY, f);
        ServiceTags back = ServiceTags.load(f);
        assertEquals(st.changeNumber(), back.changeNumber());
        assertEquals(st.lookup("20.38.98.1").names(), back.lookup("20.38.98.1").names());
        assertEquals(st.tags().size(), back.tags().size());
    }

    @Test
    void aFailedWriteLeavesTheFileAsItWasAndNothingBehind() throws IOException {
        Path f = dir.resolve("out.mmdb");
        Files.writeString(f, "the old export");
        IOException e = assertThrows(IOException.class, () -> Exports.writeAtomically(f, out -> {
            out.write(new byte[100_000]); // more than the buffer: bytes reached the temporary file
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertEquals("the old export", Files.readString(f));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(f), s.toList());
        }
        RuntimeException r = assertThrows(IllegalStateException.class, () -> Exports.writeAtomically(f, out -> {
            out.write(1);
            throw new IllegalStateException("too large");
        }));
        assertEquals("too large", r.getMessage());
        assertEquals("the old export", Files.readString(f));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(f), s.toList());
        }
    }

    @Test
    void aMissingOrUnusableFolderIsNamed() throws IOException {
        ServiceTags st = ServiceTags.bundled();
        Path missing = dir.resolve("no/such/folder/out.mmdb");
        IOException e = assertThrows(IOException.class, () -> Exports.write(st, Exports.Format.MMDB, missing));
        assertEquals("cannot write " + missing + ": the folder " + missing.getParent() + " does not exist",
                e.getMessage());
        assertFalse(Files.exists(dir.resolve("no")));

        Path file = Files.writeString(dir.resolve("plain"), "x");
        Path under = file.resolve("out.csv");
        e = assertThrows(IOException.class, () -> Exports.write(st, Exports.Format.CSV, under));
        assertEquals("cannot write " + under + ": the folder " + file + " is not a folder", e.getMessage());

        Path folder = Files.createDirectories(dir.resolve("a-folder"));
        e = assertThrows(IOException.class, () -> Exports.write(st, Exports.Format.CSV, folder));
        assertEquals("cannot write " + folder + ": it is a folder; give a file name", e.getMessage());
        try (Stream<Path> s = Files.list(folder)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void anUnwritableFolderIsNamedAndKeepsItsFiles() throws IOException {
        Path ro = Files.createDirectories(dir.resolve("ro"));
        Path f = Files.writeString(ro.resolve("out.csv"), "old");
        assertTrue(ro.toFile().setWritable(false, false));
        try {
            org.junit.jupiter.api.Assumptions.assumeFalse(Files.isWritable(ro),
                    "this user (root?) can write a read-only folder");
            IOException e = assertThrows(IOException.class,
                    () -> Exports.write(ServiceTags.bundled(), Exports.Format.CSV, f));
            assertEquals("cannot write " + f + ": the folder " + ro + " is not writable", e.getMessage());
            assertEquals("old", Files.readString(f));
            try (Stream<Path> s = Files.list(ro)) {
                assertEquals(List.of(f), s.toList());
            }
        } finally {
            ro.toFile().setWritable(true, false);
        }
    }

    @Test
    void aFolderEvenRootCannotWriteIsNamed() {
        Path sys = Path.of("/sys"); // sysfs refuses new files with EACCES, also to root
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(sys), "no /sys here");
        Path f = sys.resolve("servicetags-export.mmdb");
        IOException e = assertThrows(IOException.class,
                () -> Exports.write(ServiceTags.bundled(), Exports.Format.MMDB, f));
        assertEquals("cannot write " + f + ": the folder /sys is not writable", e.getMessage());
        assertFalse(Files.exists(f));
    }

    @Test
    void formatNamesParseCaseInsensitivelyAndUnknownOnesListTheFormats() {
        List<String> names = new ArrayList<>();
        for (Exports.Format f : Exports.Format.values()) {
            names.add(f.toString());
            assertEquals(f, Exports.Format.parse(f.toString().toUpperCase(java.util.Locale.ROOT)));
        }
        assertEquals(List.of("binary", "mmdb", "csv"), names);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Exports.Format.parse("xml"));
        assertEquals("unknown export format 'xml'; expected one of binary, mmdb, csv", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Exports.Format.parse("x\u001b[2J"));
        assertEquals("unknown export format 'x\\u001b[2J'; expected one of binary, mmdb, csv", e.getMessage());
    }
}
