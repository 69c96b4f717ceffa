package io.github.servicetags.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.servicetags.IpPrefix;
import io.github.servicetags.internal.IpText;
import io.github.servicetags.testing.Ip;
import io.github.servicetags.testing.IpChecks;
import io.github.servicetags.testing.IpForms;
import java.util.Random;

/**
 * Fuzzes the strict IP text parser. In {@code mvn test} each method replays its committed inputs under
 * {@code src/test/resources/io/github/servicetags/fuzz/IpTextFuzzTestInputs/<method>/}; with {@code JAZZER_FUZZ=1}
 * it fuzzes for {@code maxDuration} (see docs/refusal.md).
 *
 * <p>Properties: parsing never throws; text we accept agrees with Guava and IPAddress and its canonical text parses
 * back to the same value; text we refuse is refused by them too, except for the intended disagreements listed in
 * {@link IpChecks}, and gets an explanation; {@code IpPrefix.contains} answers or throws
 * {@code IllegalArgumentException}, nothing else.
 */
class IpTextFuzzTest {
    private static final IpChecks.Tally TALLY = new IpChecks.Tally();
    private static final IpPrefix V4 = IpPrefix.parse("10.0.0.0/8");
    private static final IpPrefix V6 = IpPrefix.parse("2001:db8::/32");

    @FuzzTest(maxDuration = "30s")
    @DictionaryEntries({"::", "::ffff:", "0.0.0.0", "255.", ".", ":", "%", "/", "0x", "[", "]", "ffff", "\u0661"})
    void parseText(FuzzedDataProvider data) {
        String s = data.consumeRemainingAsString();
        IpChecks.checkAddressText(s, TALLY);
        boolean valid = IpChecks.ours(s) != null;
        for (IpPrefix p : new IpPrefix[] {V4, V6}) {
            try {
                p.contains(s);
                assertTrue(valid, () -> "contains accepted " + IpChecks.show(s));
            } catch (IllegalArgumentException e) {
                assertTrue(!valid && !e.getMessage().isEmpty(), () -> "contains refused " + IpChecks.show(s));
            }
        }
    }

    /** Any 128-bit or 32-bit value, written in a form picked by the input, parses back to itself. */
    @FuzzTest(maxDuration = "30s")
    void formatAndParse(FuzzedDataProvider data) {
        long hi = data.consumeLong();
        long lo = data.consumeLong();
        Random r = new Random(data.consumeLong());
        long[] out = new long[2];
        Ip ip = data.consumeBoolean() ? Ip.v4(lo) : Ip.v6(hi, lo);
        String text = IpForms.format(ip, r);
        Ip back = IpChecks.ours(text);
        assertEquals(ip.v6() ? ip : Ip.v4(lo), back, text);
        String canonical = IpChecks.format(ip);
        assertEquals(ip, IpChecks.ours(canonical), canonical);
        if (ip.v6()) {
            assertTrue(IpText.parseIPv6(canonical, out));
            assertEquals(canonical, IpText.formatIPv6(out[0], out[1]));
        }
        IpChecks.checkAddressText(text, TALLY);
    }
}
