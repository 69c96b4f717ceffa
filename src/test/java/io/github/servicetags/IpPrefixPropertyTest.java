package io.github.servicetags;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.servicetags.internal.IpText;
import io.github.servicetags.testing.Ip;
import io.github.servicetags.testing.IpChecks;
import io.github.servicetags.testing.IpForms;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Properties over seeded random values: round trips, edges of prefixes, ordering and equality. */
class IpPrefixPropertyTest {
    private static final long SEED = 0x9e37_79b9L;

    @Test
    void everyIPv6ValueRoundTripsThroughEveryTextForm() {
        Random r = new Random(SEED);
        long[] out = new long[2];
        for (int n = 0; n < 100_000; n++) {
            Ip ip = n % 2 == 0 ? Ip.v6(r.nextLong(), r.nextLong()) : IpForms.randomV6(r);
            String canonical = IpText.formatIPv6(ip.hi(), ip.lo());
            assertTrue(IpText.parseIPv6(canonical, out), canonical);
            assertEquals(ip, Ip.v6(out[0], out[1]), canonical);
            String other = IpForms.format(ip, r);
            assertTrue(IpText.parseIPv6(other, out), other);
            assertEquals(ip, Ip.v6(out[0], out[1]), other);
            assertEquals(canonical, IpText.formatIPv6(out[0], out[1]), other);
        }
    }

    @Test
    void everyIPv4ValueRoundTrips() {
        Random r = new Random(SEED + 1);
        for (int n = 0; n < 100_000; n++) {
            int a = n < 256 ? n << 24 | n : r.nextInt();
            String text = IpText.formatIPv4(a);
            assertEquals(Integer.toUnsignedLong(a), IpText.parseIPv4(text), text);
            assertEquals(IpForms.dotted(a), text);
        }
    }

    /** A random prefix of either family, any length, host bits cleared by the factories. */
    static IpPrefix randomPrefix(Random r) {
        Ip ip = IpForms.random(r);
        if (!ip.v6()) {
            int len = r.nextInt(33);
            long mask = len == 0 ? 0 : (0xffffffffL << (32 - len));
            return IpPrefix.ofIPv4((int) (ip.lo() & mask), len);
        }
        int len = r.nextInt(129);
        long mh = len >= 64 ? -1L : (len == 0 ? 0 : -1L << (64 - len));
        long ml = len <= 64 ? 0 : (len == 128 ? -1L : -1L << (128 - len));
        return IpPrefix.ofIPv6(ip.hi() & mh, ip.lo() & ml, len);
    }

    @Test
    void aPrefixContainsItsEdgesAndNothingJustOutside() {
        Random r = new Random(SEED + 2);
        for (int n = 0; n < 50_000; n++) {
            IpPrefix p = randomPrefix(r);
            Ip first = IpChecks.first(p);
            Ip last = IpChecks.last(p);
            assertEquals(p, IpPrefix.parse(p.toString()));
            assertContains(p, first, true, r);
            assertContains(p, last, true, r);
            boolean v6 = p.family() == IpFamily.IPV6;
            boolean atBottom = v6 ? first.hi() == 0 && first.lo() == 0 : first.lo() == 0;
            boolean atTop = v6 ? last.hi() == -1L && last.lo() == -1L : last.lo() == 0xffffffffL;
            if (!atBottom) {
                assertContains(p, first.plus(-1), false, r);
            }
            if (!atTop) {
                assertContains(p, last.plus(1), false, r);
            }
            // the number of addresses is 2^(bits - length)
            int hostBits = (v6 ? 128 : 32) - p.length();
            if (hostBits < 63) {
                assertEquals(first.plus((1L << hostBits) - 1), last, p::toString);
            }
        }
    }

    private static void assertContains(IpPrefix p, Ip ip, boolean expected, Random r) {
        if (ip.isMapped()) {
            // written as text or held in an Inet6Address, an IPv4-mapped address is the IPv4 address
            assertFalse(p.contains(IpChecks.format(ip)), () -> p + " contains mapped " + ip);
            return;
        }
        String text = IpForms.format(ip, r);
        assertEquals(expected, p.contains(text), () -> p + " contains " + text);
        assertEquals(expected, p.contains(IpForms.inet(ip)), () -> p + " contains InetAddress " + text);
        IpPrefix host = ip.v6() ? IpPrefix.ofIPv6(ip.hi(), ip.lo(), 128) : IpPrefix.ofIPv4((int) ip.lo(), 32);
        assertEquals(expected, p.contains(host), () -> p + " contains " + host);
        if (!ip.v6()) {
            Ip mapped = Ip.v6(0, 0xffff00000000L | ip.lo());
            assertEquals(expected, p.contains(IpForms.format(mapped, r)), () -> p + " contains mapped " + text);
            assertEquals(expected, p.contains(IpForms.inet(mapped)), () -> p + " contains mapped " + text);
        }
    }

    /** compareTo equals an independent comparator; equals and hashCode agree with it. */
    @Test
    void orderingEqualityAndHashingAgree() {
        Random r = new Random(SEED + 3);
        List<IpPrefix> list = new ArrayList<>();
        for (int n = 0; n < 3_000; n++) {
            IpPrefix p = randomPrefix(r);
            list.add(p);
            if (n % 10 == 0) {
                list.add(IpPrefix.parse(IpForms.format(IpChecks.first(p), r) + "/" + p.length())); // equal twin
            }
        }
        Comparator<IpPrefix> reference = Comparator
                .comparing((IpPrefix p) -> p.family() == IpFamily.IPV6)
                .thenComparing(IpPrefix::high, Long::compareUnsigned)
                .thenComparing(IpPrefix::low, Long::compareUnsigned)
                .thenComparingInt(IpPrefix::length);
        for (int i = 0; i < 200_000; i++) {
            IpPrefix a = list.get(r.nextInt(list.size()));
            IpPrefix b = r.nextInt(10) == 0 ? a : list.get(r.nextInt(list.size()));
            int c = Integer.signum(a.compareTo(b));
            assertEquals(Integer.signum(reference.compare(a, b)), c, () -> a + " vs " + b);
            assertEquals(-c, Integer.signum(b.compareTo(a)));
            assertEquals(c == 0, a.equals(b), () -> a + " equals " + b);
            assertEquals(c == 0, a.toString().equals(b.toString()), () -> a + " text " + b);
            if (c == 0) {
                assertEquals(a.hashCode(), b.hashCode());
            }
        }
    }

    /** {@link IpPrefix#address()} is the address the JDK parses from the prefix's text (a literal: no DNS). */
    @Test
    void addressIsWhatTheJdkParsesFromTheText() throws Exception {
        Random r = new Random(SEED + 4);
        for (int n = 0; n < 20_000; n++) {
            IpPrefix p = randomPrefix(r);
            String text = p.toString();
            InetAddress expected = InetAddress.getByName(text.substring(0, text.indexOf('/')));
            assertArrayEquals(expected.getAddress(), p.address().getAddress(), text);
        }
    }

    /**
     * Distinct prefixes have distinct hash codes, also in the dense families a service-tag file is made of (runs of
     * adjacent /32s, /64s and /128s, one address at every length), so hash sets and maps of them stay fast.
     */
    @Test
    void hashCodesSpreadOverDenseFamilies() {
        Set<IpPrefix> prefixes = new HashSet<>();
        for (int i = 0; i < 1024; i++) {
            prefixes.add(IpPrefix.ofIPv4(0x1426_6000 + i, 32)); // 20.38.96.0/22 as /32s
            prefixes.add(IpPrefix.ofIPv6(0x2603_1000_0000_0000L + i, 0, 64)); // adjacent /64s
            prefixes.add(IpPrefix.ofIPv6(0x2603_1000_0000_0000L, i, 128)); // adjacent /128s
        }
        for (int len = 0; len <= 32; len++) {
            prefixes.add(IpPrefix.ofIPv4(0, len));
        }
        for (int len = 0; len <= 128; len++) {
            prefixes.add(IpPrefix.ofIPv6(0, 0, len));
        }
        Random r = new Random(SEED + 5);
        while (prefixes.size() < 6_000) {
            prefixes.add(randomPrefix(r));
        }
        Set<Integer> hashes = new HashSet<>();
        for (IpPrefix p : prefixes) {
            hashes.add(p.hashCode());
        }
        assertTrue(hashes.size() >= prefixes.size() * 99 / 100,
                hashes.size() + " distinct hash codes for " + prefixes.size() + " distinct prefixes");
    }
}
