package io.github.servicetags;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The index tables stored beside the bundled snapshot: equal to a fresh build of the same tags, and any damage or
 * mismatch falls back to a build instead of answering from wrong tables.
 */
class StoredTablesTest {
    static byte[] bundledTables() throws IOException {
        try (InputStream in = ServiceTags.class.getResourceAsStream(
                "/io/github/servicetags/ServiceTags_Public_376.tables")) {
            assertNotNull(in, "the build step (exec-maven-plugin, BundleWriter) writes the tables into the classes");
            return in.readAllBytes();
        }
    }

    @Test
    void bundledTablesEqualAFreshBuildOfTheBundledTags() throws IOException {
        ServiceTags bundled = ServiceTags.bundled();
        PrefixIndex fresh = PrefixIndex.build(bundled.tags());
        PrefixIndex stored = PrefixIndex.readTables(bundledTables(), bundled.tags());
        assertNotNull(stored, "the bundled tables were refused: bundled() would rebuild the index at every start");
        assertTrue(fresh.sameTables(stored), "stored tables differ from a build");
        Random rnd = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            int ip = rnd.nextInt();
            assertEquals(fresh.lookupIPv4(ip).names(), bundled.lookupIPv4(ip).names());
        }
    }

    @Test
    void writtenTablesReadBackAndDamageFallsBackToABuild() throws IOException {
        ServiceTags st = LoaderTest.load(LoaderTest.VALID);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        st.writeTables(out);
        byte[] good = out.toByteArray();
        PrefixIndex fresh = PrefixIndex.build(st.tags());
        assertTrue(fresh.sameTables(PrefixIndex.readTables(good, st.tags())));
        // flipped bytes, truncations (the header bytes and a seeded sample of the rest; the tables are mostly the
        // fixed-size directories) and tables of other tags still give the right index
        Random rnd = new Random(376);
        java.util.TreeSet<Integer> offsets = new java.util.TreeSet<>();
        for (int i = 0; i < 64; i++) {
            offsets.add(i);
            offsets.add(good.length - 1 - i);
        }
        while (offsets.size() < 300) {
            offsets.add(rnd.nextInt(good.length));
        }
        for (int i : offsets) {
            byte[] bad = good.clone();
            bad[i] ^= 0x5a;
            assertRefused(bad, st.tags(), "flip at " + i);
            assertTrue(fresh.sameTables(PrefixIndex.readTablesOrBuild(bad, st.tags())), "flip at " + i);
            byte[] cut = java.util.Arrays.copyOf(good, i);
            assertRefused(cut, st.tags(), "cut at " + i);
            assertTrue(fresh.sameTables(PrefixIndex.readTablesOrBuild(cut, st.tags())), "cut at " + i);
        }
        List<ServiceTag> other = ServiceTags.bundled().tags();
        assertRefused(good, other, "tables of other tags");
        PrefixIndex forOther = PrefixIndex.readTablesOrBuild(good, other);
        assertTrue(PrefixIndex.build(other).sameTables(forOther));
        // the build step is reproducible: the same file gives the same bytes, from another load and another build
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        LoaderTest.load(LoaderTest.VALID).writeTables(again);
        assertArrayEquals(good, again.toByteArray(), "two loads of one file wrote different tables");
    }

    /** Damaged or foreign tables are detected (refused), not merely replaced by a build that hides the damage. */
    private static void assertRefused(byte[] tables, List<ServiceTag> tags, String what) {
        PrefixIndex read;
        try {
            read = PrefixIndex.readTables(tables, tags);
        } catch (RuntimeException e) {
            return;
        }
        assertNull(read, what + ": damaged tables were accepted");
    }
}
