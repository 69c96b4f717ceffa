package io.github.servicetags.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.servicetags.testing.IpChecks;
import java.util.Random;

/**
 * Fuzzes the CIDR parser. In {@code mvn test} it replays the committed inputs under
 * {@code src/test/resources/io/github/servicetags/fuzz/IpPrefixFuzzTestInputs/parseCidr/}; with {@code JAZZER_FUZZ=1}
 * it fuzzes for {@code maxDuration} (see docs/refusal.md).
 *
 * <p>Properties ({@link IpChecks#checkCidrText}): {@code tryParse} never throws and {@code parse} throws
 * {@code IllegalArgumentException} exactly when {@code tryParse} is empty; an accepted prefix agrees with IPAddress
 * (and, for IPv4, commons-net SubnetUtils) on length, first and last address, canonical text and containment, and
 * round-trips through {@code toString()}; a refused one is refused by IPAddress too, or is one of the intended
 * disagreements (whitespace, {@code /08}, host bits with a "did you mean" message).
 */
class IpPrefixFuzzTest {
    private static final IpChecks.Tally TALLY = new IpChecks.Tally();

    @FuzzTest(maxDuration = "30s")
    @DictionaryEntries({"/", "/0", "/32", "/128", "/08", "/+8", "::", "::ffff:", "0.0.0.0", ".", ":", "%", " "})
    void parseCidr(FuzzedDataProvider data) {
        String s = data.consumeRemainingAsString();
        IpChecks.checkCidrText(s, new Random(s.hashCode()), TALLY);
    }
}
