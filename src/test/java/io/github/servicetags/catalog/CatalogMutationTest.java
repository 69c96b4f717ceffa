package io.github.servicetags.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.servicetags.InvalidServiceTagsException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random damage to the bundled catalog (fixed seed): every result is either a catalog or an
 * {@link InvalidServiceTagsException} with a location, never another exception, a hang or a partial catalog.
 */
class CatalogMutationTest {
    private static final byte[] ALPHABET = "{}[]\":,-0123456789 \\<>*.\u00e9\n\ttrue false null 65535 0 443-80"
            .getBytes(StandardCharsets.UTF_8);

    static byte[] bundledBytes() throws IOException {
        try (InputStream in = Catalog.class.getResourceAsStream("catalog.json")) {
            return in.readAllBytes();
        }
    }

    @Test
    void writtenCatalogReadsBackEqual() throws IOException {
        StringWriter out = new StringWriter();
        Catalog.bundled().writeJson(out);
        Catalog back = Catalog.load(new ByteArrayInputStream(out.toString().getBytes(StandardCharsets.UTF_8)), "w");
        assertEquals(Catalog.bundled().products(), back.products());
        assertEquals(Catalog.bundled().catalogVersion(), back.catalogVersion());
    }

    @Test
    void damagedCatalogsAreRefusedCleanly() throws IOException {
        byte[] original = bundledBytes();
        SplittableRandom random = new SplittableRandom(20261123);
        int refused = 0;
        for (int i = 0; i < 1500; i++) {
            byte[] b = mutate(original, random);
            try {
                Catalog c = Catalog.load(new ByteArrayInputStream(b), "m.json");
                assertTrue(c.products().size() <= 4 + 1, "products");
            } catch (InvalidServiceTagsException e) {
                refused++;
                assertTrue(e.getMessage().startsWith("m.json: "), e.getMessage());
                assertTrue(e.problem() != null && !e.problem().isEmpty());
            } catch (RuntimeException e) {
                throw new AssertionError("mutation " + i + " threw " + e + " for input starting "
                        + new String(Arrays.copyOf(b, Math.min(b.length, 200)), StandardCharsets.UTF_8), e);
            }
        }
        assertTrue(refused > 1000, "refused " + refused);
    }

    private static byte[] mutate(byte[] in, SplittableRandom r) {
        byte[] b = in.clone();
        int edits = 1 + r.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int pos = r.nextInt(b.length);
            switch (r.nextInt(4)) {
                case 0 -> b[pos] = ALPHABET[r.nextInt(ALPHABET.length)];
                case 1 -> b = Arrays.copyOf(b, pos);                       // truncate
                case 2 -> {                                                 // delete a span
                    int len = Math.min(b.length - pos, 1 + r.nextInt(40));
                    byte[] c = new byte[b.length - len];
                    System.arraycopy(b, 0, c, 0, pos);
                    System.arraycopy(b, pos + len, c, pos, b.length - pos - len);
                    b = c;
                }
                default -> {                                                // duplicate a span
                    int len = Math.min(b.length - pos, 1 + r.nextInt(200));
                    byte[] c = new byte[b.length + len];
                    System.arraycopy(b, 0, c, 0, pos + len);
                    System.arraycopy(b, pos, c, pos + len, b.length - pos);
                    b = c;
                }
            }
            if (b.length == 0) {
                return b;
            }
        }
        return b;
    }
}
