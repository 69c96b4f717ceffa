package io.github.servicetags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.servicetags.testing.Ip;
import io.github.servicetags.testing.IpChecks;
import io.github.servicetags.testing.IpForms;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import inet.ipaddr.IPAddress;
import org.junit.jupiter.api.Test;

/**
 * Differential tests of CIDR parsing, canonical text, first/last address and containment against seancfoley
 * IPAddress and (IPv4) commons-net {@code SubnetUtils}. Intended disagreements: see {@link IpChecks}.
 */
class IpPrefixDifferentialTest {
    private static final long SEED = 0xc1d_12L;
    private static final int INPUTS = 40_000;

    /** A random prefix text: usually valid, sometimes host bits, odd lengths, or a mutation. */
    static String randomCidr(Random r) {
        Ip ip = IpForms.random(r);
        int max = ip.v6() ? 128 : 32;
        int len = r.nextInt(4) == 0 ? (r.nextBoolean() ? 0 : max) - (r.nextInt(3) == 0 ? 1 : 0) : r.nextInt(max + 1);
        len = Math.max(0, len);
        if (r.nextInt(5) != 0) {
            ip = network(ip, len);
        }
        String lenText;
        switch (r.nextInt(24)) {
            case 0: lenText = "0" + len; break;
            case 1: lenText = "+" + len; break;
            case 2: lenText = "-" + len; break;
            case 3: lenText = String.valueOf(max + 1 + r.nextInt(300)); break;
            case 4: lenText = ""; break;
            case 5: lenText = len + " "; break;
            default: lenText = String.valueOf(len);
        }
        String s = IpForms.format(ip, r) + "/" + lenText;
        switch (r.nextInt(12)) {
            case 0: return IpForms.mutate(s, r);
            case 1: return " " + s;
            default: return s;
        }
    }

    static Ip network(Ip ip, int len) {
        if (!ip.v6()) {
            long mask = len == 0 ? 0 : (0xffffffffL << (32 - len)) & 0xffffffffL;
            return Ip.v4(ip.lo() & mask);
        }
        long mh = len >= 64 ? -1L : (len == 0 ? 0 : -1L << (64 - len));
        long ml = len <= 64 ? 0 : (len == 128 ? -1L : -1L << (128 - len));
        return Ip.v6(ip.hi() & mh, ip.lo() & ml);
    }

    @Test
    void agreesWithIpAddressAndSubnetUtilsOnRandomCidrs() {
        Random r = new Random(SEED);
        IpChecks.Tally t = new IpChecks.Tally();
        List<IpPrefix> accepted = new ArrayList<>();
        for (int n = 0; n < INPUTS; n++) {
            String s = randomCidr(r);
            IpChecks.checkCidrText(s, r, t);
            if (accepted.size() < 2_000) {
                IpPrefix.tryParse(s).ifPresent(accepted::add);
            }
        }
        System.out.println("CIDR differential: " + t);
        assertTrue(t.acceptedV4 > 4_000, t::toString);
        assertTrue(t.acceptedV6 > 10_000, t::toString);
        assertTrue(t.rejected > 10_000, t::toString);
        assertTrue(t.hostBits > 1_000, t::toString);
        assertTrue(t.ipaddressLeadingZeroLength > 100, t::toString);
        assertTrue(t.ipaddressWhitespaceOnly > 100, t::toString);
        assertTrue(t.subnetUtils > 4_000, t::toString);

        // prefix-in-prefix containment against IPAddress over all pairs of a sample
        List<IpPrefix> sample = accepted.subList(0, 500);
        List<IPAddress> theirs = new ArrayList<>();
        for (IpPrefix a : sample) {
            theirs.add(IpChecks.ipaddress(a.toString(), IpChecks.PREFIX));
        }
        for (int x = 0; x < sample.size(); x++) {
            for (int y = 0; y < sample.size(); y++) {
                IpPrefix a = sample.get(x);
                IpPrefix b = sample.get(y);
                assertEquals(theirs.get(x).contains(theirs.get(y)), a.contains(b), () -> a + " contains " + b);
            }
        }
    }

    @Test
    void nestedPrefixesAgreeWithIpAddress() {
        Random r = new Random(SEED + 1);
        for (int n = 0; n < 5_000; n++) {
            Ip ip = IpForms.random(r);
            int max = ip.v6() ? 128 : 32;
            int la = r.nextInt(max + 1);
            int lb = r.nextInt(max + 1);
            IpPrefix a = IpPrefix.parse(text(network(ip, la), la));
            IpPrefix b = IpPrefix.parse(text(network(ip, lb), lb));
            assertEquals(la <= lb, a.contains(b), () -> a + " contains " + b);
            assertEquals(lb <= la, b.contains(a), () -> b + " contains " + a);
            IPAddress ia = IpChecks.ipaddress(a.toString(), IpChecks.PREFIX);
            IPAddress ib = IpChecks.ipaddress(b.toString(), IpChecks.PREFIX);
            assertEquals(ia.contains(ib), a.contains(b), () -> a + " contains " + b);
        }
    }

    /** Every string up to 6 characters over digits, separators and the slash. */
    @Test
    void agreesOnEveryShortCidr() {
        IpChecks.Tally t = new IpChecks.Tally();
        Random r = new Random(SEED + 2); // picks the probes
        IpForms.forEveryString("018:./", 6, s -> IpChecks.checkCidrText(s, r, t));
        assertEquals(55_987, t.inputs);
        assertTrue(t.acceptedV6 > 0 && t.hostBits > 0 && t.ipaddressLeadingZeroLength > 0, t::toString);
    }

    /** Found by fuzzing: the oracle itself breaks on a huge length; we refuse it with our usual message. */
    @Test
    void hugeLengthIsRefusedEvenWhereIpAddressBreaks() {
        String s = "2001:DB5:0::/355555555555555555555555555555552";
        assertThrows(ArrayIndexOutOfBoundsException.class,
                () -> new inet.ipaddr.IPAddressString(s, IpChecks.PREFIX).getAddress());
        assertEquals("'" + s + "' is not a CIDR prefix: the length '355555555555555555555555555555552' must be a "
                + "decimal number 0..128 without sign or leading zero",
                assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse(s)).getMessage());
        IpChecks.checkCidrText(s, new Random(1), new IpChecks.Tally());
    }

    /** Found by fuzzing: IPAddress reads an int-overflowing length modulo 2^32; we refuse it. */
    @Test
    void overflowingLengthIsRefusedWhereIpAddressWrapsIt() {
        String s = "212d:b8b8::/3" + "0".repeat(80) + "2";
        assertEquals(2, IpChecks.ipaddress(s, IpChecks.PREFIX).getNetworkPrefixLength());
        assertEquals("'" + s + "' is not a CIDR prefix: the length '3" + "0".repeat(80) + "2' must be a decimal number "
                + "0..128 without sign or leading zero",
                assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse(s)).getMessage());
        IpChecks.Tally t = new IpChecks.Tally();
        IpChecks.checkCidrText(s, new Random(1), t);
        assertEquals(1, t.ipaddressLengthOverflow);
    }

    private static String text(Ip ip, int len) {
        return IpChecks.format(ip) + "/" + len;
    }
}
