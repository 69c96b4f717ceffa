package io.github.servicetags.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.servicetags.testing.Ip;
import io.github.servicetags.testing.IpChecks;
import io.github.servicetags.testing.IpForms;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Differential tests of the IP text parser and formatter against Guava {@code InetAddresses} and seancfoley IPAddress
 * (strict options) on seeded random valid text in many forms, mutations of it, and garbage. The intended
 * disagreements are listed in {@link IpChecks}; each is asserted below to really occur.
 */
class IpTextDifferentialTest {
    private static final long SEED = 0x5e7_1ce_7a95L;
    private static final int INPUTS = 200_000;

    /** Checks {@code inputs} random texts ({@link IpForms#anyText}) from {@code seed}; returns what they were. */
    static IpChecks.Tally checkRandomText(long seed, int inputs) {
        Random r = new Random(seed);
        IpChecks.Tally t = new IpChecks.Tally();
        for (int n = 0; n < inputs; n++) {
            IpChecks.checkAddressText(IpForms.anyText(r), t);
        }
        return t;
    }

    /**
     * Checks edge values of each half (zeros, ones, one bit, the mapped prefix, extremes) in {@code forms} random
     * valid forms each, and edge IPv4 addresses; every one must be accepted.
     */
    static void checkEdgeValues(long seed, int forms) {
        Random r = new Random(seed);
        IpChecks.Tally t = new IpChecks.Tally();
        long[] halves = {0, 1, -1L, 0xffffL, 0xffff00000000L, 0xffff0000ffffffffL, Long.MIN_VALUE, Long.MAX_VALUE,
            0x0001000000000000L, 0x2001_0db8_0000_0000L, 0x0000_0000_0000_ffffL << 16};
        for (long hi : halves) {
            for (long lo : halves) {
                for (int k = 0; k < forms; k++) {
                    IpChecks.checkAddressText(IpForms.format(Ip.v6(hi, lo), r), t);
                }
            }
        }
        for (long a : new long[] {0, 1, 0xffffffffL, 0x7fffffffL, 0x80000000L, 0x0a000001L, 0xc0a80001L}) {
            IpChecks.checkAddressText(IpForms.dotted(a), t);
        }
        assertEquals(t.inputs, t.accepted, t::toString);
    }

    @Test
    void agreesWithGuavaAndIpAddressOnRandomText() {
        IpChecks.Tally t = checkRandomText(SEED, INPUTS);
        System.out.println("IP text differential: " + t);
        assertEquals(INPUTS, t.inputs);
        // every class of input was really exercised, and every intended disagreement really happened
        assertTrue(t.acceptedV4 > 10_000, t::toString);
        assertTrue(t.acceptedV6 > 50_000, t::toString);
        assertTrue(t.acceptedMapped > 1_000, t::toString);
        assertTrue(t.acceptedEmbedded > 5_000, t::toString);
        assertTrue(t.rejected > 80_000, t::toString);
        assertTrue(t.guavaZoneOnly > 10, t::toString);
        assertTrue(t.guavaUnicodeOnly > 10, t::toString);
        assertTrue(t.ipaddressWhitespaceOnly > 10, t::toString);
    }

    @Test
    void agreesOnEdgeValuesInEveryForm() {
        checkEdgeValues(SEED + 1, 40);
    }

    /** Every string up to 7 characters over a small alphabet of digits and separators: all the short edge cases. */
    @Test
    void agreesOnEveryShortString() {
        IpChecks.Tally t = new IpChecks.Tally();
        IpForms.forEveryString("01f:.", 7, s -> IpChecks.checkAddressText(s, t));
        assertEquals(97_656, t.inputs);
        assertTrue(t.acceptedV4 > 0 && t.acceptedV6 > 0, t::toString);
    }

    /** Each intended disagreement, one example each, asserted on both sides. */
    @ParameterizedTest
    @ValueSource(strings = {"fe80::1%eth0", "1::%", "::1%25", "\u0661.\u0662.\u0663.\u0664", "\uff11.2.3.4",
        "::\u0661", "\uff41::1"})
    void guavaAcceptsWhatWeRefuseOnPurpose(String s) {
        assertTrue(com.google.common.net.InetAddresses.isInetAddress(s), s);
        assertNull(IpChecks.ours(s));
        IpChecks.checkAddressText(s, new IpChecks.Tally());
    }

    /** Found by fuzzing: Guava's isInetAddress says yes where its forString says no; we refuse the text. */
    @Test
    void guavaContradictsItselfWeRefuse() {
        String s = "::.%fff:1.2.3.4";
        assertTrue(com.google.common.net.InetAddresses.isInetAddress(s));
        assertThrows(IllegalArgumentException.class, () -> com.google.common.net.InetAddresses.forString(s));
        assertNull(IpChecks.ours(s));
        assertEquals("'::.%fff:1.2.3.4' has a zone id; zone ids are not accepted", IpText.whyInvalid(s));
        IpChecks.checkAddressText(s, new IpChecks.Tally());
    }

    @ParameterizedTest
    @ValueSource(strings = {" 1.2.3.4", "1.2.3.4 ", "\t::1", "::1\n"})
    void ipAddressTrimsWhitespaceWeRefuse(String s) {
        assertTrue(IpChecks.ipaddress(s, IpChecks.ADDRESS) != null, s);
        assertNull(IpChecks.ours(s));
        IpChecks.checkAddressText(s, new IpChecks.Tally());
    }
}
