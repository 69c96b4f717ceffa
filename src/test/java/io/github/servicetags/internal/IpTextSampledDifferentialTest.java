package io.github.servicetags.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.servicetags.testing.IpChecks;
import io.github.servicetags.testing.IpForms;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A small, seeded sample of {@link IpTextDifferentialTest}: the same checks against Guava and IPAddress
 * ({@link IpChecks#checkAddressText}) on a few thousand inputs, so that it runs in about a second. It is the test
 * the mutation-testing group of {@code IpText} runs (see docs/mutation-testing.md), where the full differential test
 * takes half a minute per run under PIT's coverage agent; {@code mvn verify} runs both.
 */
class IpTextSampledDifferentialTest {
    private static final long SEED = 0x5a_3b1eL;

    @Test
    void agreesWithGuavaAndIpAddressOnASampleOfRandomText() {
        int inputs = 4_000;
        IpChecks.Tally t = IpTextDifferentialTest.checkRandomText(SEED, inputs);
        assertEquals(inputs, t.inputs);
        assertTrue(t.acceptedV4 > 100, t::toString);
        assertTrue(t.acceptedV6 > 500, t::toString);
        assertTrue(t.acceptedMapped > 10, t::toString);
        assertTrue(t.acceptedEmbedded > 50, t::toString);
        assertTrue(t.rejected > 1_000, t::toString);
    }

    /** The edge values of the full test, in 6 random valid forms each instead of 40. */
    @Test
    void agreesOnEdgeValuesInRandomForms() {
        IpTextDifferentialTest.checkEdgeValues(SEED + 1, 6);
    }

    /**
     * The byte parsers against the text parsers ({@link IpTextBytesTest}'s checks) on a sample: random text, random
     * bytes, and every string up to 4 characters over digits, separators and bytes above ASCII.
     */
    @Test
    void byteParsersAgreeWithTheTextParsersOnASample() {
        Random r = new Random(SEED + 2);
        IpTextBytesTest.Tally t = new IpTextBytesTest.Tally();
        for (int n = 0; n < 3_000; n++) {
            IpTextBytesTest.assertSameForText(IpForms.anyText(r), r, t);
            IpTextBytesTest.assertSameForBytes(IpTextBytesTest.randomBytes(r), r, t);
        }
        IpForms.forEveryString("09F:.\u00b9\u00ff", 4, s -> IpTextBytesTest.assertSameForBytes(
                s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), r, t));
        assertTrue(t.v4 > 100 && t.v6 > 500 && t.embedded > 50 && t.refused > 2_000, t::toString);
    }

    /** Every string up to 5 characters over digits, a hex letter and the separators. */
    @Test
    void agreesOnEveryVeryShortString() {
        IpChecks.Tally t = new IpChecks.Tally();
        IpForms.forEveryString("01f:.", 5, s -> IpChecks.checkAddressText(s, t));
        assertEquals(3_906, t.inputs);
        assertTrue(t.acceptedV6 > 0, t::toString);
    }
}
