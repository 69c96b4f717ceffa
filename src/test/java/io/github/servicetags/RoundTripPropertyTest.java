package io.github.servicetags;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.servicetags.testdata.SyntheticServiceTags;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The round-trip property: every index that loads, from any source, writes a binary that reads back equal (every
 * property of every tag, the prefixes in order, the lookup answers at every prefix boundary and at random
 * addresses), writes the same bytes again, and, with its stored tables, reads back with equal tables. Run on the
 * real files, the synthetic generator's output, the bundled snapshot and every loadable file of the fuzz corpora.
 */
class RoundTripPropertyTest {
    private static final Path FUZZ = Path.of("src", "test", "resources", "io", "github", "servicetags", "fuzz",
            "ServiceTagsLoaderFuzzTestInputs");

    @TempDir
    Path dir;

    static byte[] write(ServiceTags st) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        st.write(out);
        return out.toByteArray();
    }

    /** Asserts the property for one loaded index. */
    static void assertRoundTrips(ServiceTags st, long seed) throws IOException {
        byte[] bin = write(st);
        ServiceTags back = ServiceTags.read(new ByteArrayInputStream(bin), st.source());
        BinaryIndexTest.assertSameData(st, back);
        assertEquals(st.source(), back.source());
        assertEquals(st.tagSets().size(), back.tagSets().size(), "distinct answers");
        assertEquals(st.prefixCount(IpFamily.IPV4), back.prefixCount(IpFamily.IPV4));
        assertEquals(st.prefixCount(IpFamily.IPV6), back.prefixCount(IpFamily.IPV6));
        BinaryIndexTest.assertSameLookups(st, back, new Random(seed));
        assertArrayEquals(bin, write(back), "writing the read-back index gives the same bytes");
        // with the lookup tables (the bundled snapshot's and the cache's form): equal tables, equal answers
        ByteArrayOutputStream t = new ByteArrayOutputStream();
        IndexCodec.write(st, t, true, new byte[32]);
        ServiceTags trusted = IndexCodec.read(new ByteArrayInputStream(t.toByteArray()), st.source(),
                LoadOptions.defaults(), new IndexCodec.Trust(true, new byte[32]));
        assertTrue(st.index().sameTables(trusted.index()), "stored tables read back equal");
        BinaryIndexTest.assertSameData(st, trusted);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ServiceTags_Public_353.json", "ServiceTags_Public_376.json"})
    void realFiles(String name) throws IOException {
        assertRoundTrips(RealData.load(name), 353);
    }

    @Test
    void bundledSnapshot() throws IOException {
        assertRoundTrips(ServiceTags.bundled(), 376);
    }

    @ParameterizedTest
    @ValueSource(longs = {SyntheticServiceTags.DEFAULT_SEED, 1, 2})
    void syntheticData(long seed) throws IOException {
        Path file = dir.resolve("synthetic-" + seed + ".json");
        SyntheticServiceTags.write(file, seed);
        assertRoundTrips(ServiceTags.load(file), seed);
    }

    static Stream<Path> fuzzInputs() throws IOException {
        List<Path> all = new ArrayList<>();
        for (String kind : new String[] {"load", "readBinary", "readPayload"}) {
            try (Stream<Path> s = Files.list(FUZZ.resolve(kind))) {
                s.filter(Files::isRegularFile).sorted().forEach(all::add);
            }
        }
        assertTrue(all.size() > 10, "the fuzz corpus is where it was: " + FUZZ.toAbsolutePath());
        return all.stream();
    }

    /** Every loadable input of the loader's fuzz corpus (the refused ones are the fuzzer's business). */
    @ParameterizedTest
    @MethodSource("fuzzInputs")
    void fuzzCorpus(Path input) throws IOException {
        byte[] b = Files.readAllBytes(input);
        String kind = input.getParent().getFileName().toString();
        ServiceTags st;
        try {
            st = switch (kind) {
                case "load" -> ServiceTags.load(new ByteArrayInputStream(b), input.toString(),
                        LoadOptions.defaults());
                case "readBinary" -> ServiceTags.read(new ByteArrayInputStream(b), input.toString());
                default -> ServiceTags.read(new ByteArrayInputStream(withHeader(b)), input.toString());
            };
        } catch (InvalidServiceTagsException e) {
            return; // not loadable: nothing to round-trip
        }
        assertRoundTrips(st, b.length);
    }

    @Test
    void theCorpusHasLoadableInputsOfEveryKind() throws IOException {
        int loadable = 0;
        for (Path p : fuzzInputs().toList()) {
            byte[] b = Files.readAllBytes(p);
            try {
                String kind = p.getParent().getFileName().toString();
                if (kind.equals("load")) {
                    ServiceTags.load(new ByteArrayInputStream(b), "x", LoadOptions.defaults());
                } else {
                    ServiceTags.read(new ByteArrayInputStream(kind.equals("readBinary") ? b : withHeader(b)));
                }
                loadable++;
            } catch (InvalidServiceTagsException e) {
                // refused
            }
        }
        assertTrue(loadable >= 3, "only " + loadable + " loadable inputs: the property would prove little");
    }

    private static byte[] withHeader(byte[] payload) {
        CRC32 crc = new CRC32();
        crc.update(payload);
        return ByteBuffer.allocate(IndexCodec.HEADER + payload.length).put(IndexCodec.MAGIC).putShort((short) 1)
                .putShort((short) 0).putInt(payload.length).putInt((int) crc.getValue()).put(payload).array();
    }
}
