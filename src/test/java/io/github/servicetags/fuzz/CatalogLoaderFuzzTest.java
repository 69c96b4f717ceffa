package io.github.servicetags.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.servicetags.InvalidServiceTagsException;
import io.github.servicetags.LoadOptions;
import io.github.servicetags.ServiceTags;
import io.github.servicetags.catalog.Catalog;
import io.github.servicetags.catalog.ExpandOptions;
import io.github.servicetags.catalog.Expander;
import io.github.servicetags.catalog.Flow;
import io.github.servicetags.catalog.PortRange;
import io.github.servicetags.catalog.Product;
import io.github.servicetags.hostile.HostileCorpus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the catalog loader: bytes in, {@link Catalog#load(java.io.InputStream, String)}. Regression inputs live
 * under {@code src/test/resources/io/github/servicetags/fuzz/CatalogLoaderFuzzTestInputs/load/}.
 *
 * <p>Properties: every input either loads or is refused with an {@link InvalidServiceTagsException} (or another
 * {@link IOException}) naming the source; never another exception, a hang or an {@code OutOfMemoryError}. A loaded
 * catalog is consistent ({@code product(id)} finds every product, port ranges round-trip through their text) and
 * every product expands against a small service-tags index without any exception other than the documented
 * {@link IllegalArgumentException} for names the data does not have.
 */
class CatalogLoaderFuzzTest {
    static final String SOURCE = "fuzz-catalog";
    private static final ServiceTags SAMPLE = sample();

    private static ServiceTags sample() {
        try {
            return ServiceTags.load(new ByteArrayInputStream(HostileCorpus.SAMPLE.getBytes(StandardCharsets.UTF_8)),
                    "sample", LoadOptions.defaults());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "60s")
    @DictionaryEntries({"{\"schemaVersion\":1", "\"catalogVersion\":\"1\"", "\"products\":[", "\"id\":\"p\"",
        "\"roles\":[\"a\"]", "\"flows\":[", "{\"from\":\"a\"", "\"to\":{\"tag\":\"Demo\"}", "\"to\":{\"role\":\"a\"}",
        "\"to\":{\"fqdns\":[\"*.example.com\"]}", "\"to\":{\"host\":\"h\"}", "\"protocol\":\"tcp\"",
        "\"ports\":[\"443\",\"1-65535\"]", "\"optional\":false", "\"purpose\":\"x\"", "\"source\":\"https://x\""})
    void load(byte[] data) {
        Catalog c;
        try {
            c = Catalog.load(new ByteArrayInputStream(data), SOURCE);
        } catch (InvalidServiceTagsException e) {
            assertTrue(e.getMessage().startsWith(SOURCE), e.getMessage());
            assertFalse(e.problem() == null || e.problem().isBlank(), e.getMessage());
            return;
        } catch (IOException e) {
            assertNotNull(e.getMessage(), e.toString());
            return;
        }
        assertNotNull(c.toString());
        for (Product p : c.products()) {
            assertSame(p, c.product(p.id()));
            for (Flow f : p.flows()) {
                for (PortRange r : f.ports()) {
                    assertEquals(r, PortRange.parse(r.toString()));
                    assertTrue(0 <= r.from() && r.from() <= r.to() && r.to() <= 65535, r.toString());
                }
            }
            for (String region : new String[] {null, "westeurope"}) {
                try {
                    assertNotNull(Expander.expand(SAMPLE, c, p.id(), region, ExpandOptions.defaults()));
                } catch (IllegalArgumentException e) {
                    assertNotNull(e.getMessage());
                }
            }
        }
    }
}
