package io.github.servicetags.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.common.net.InetAddresses;
import inet.ipaddr.AddressStringParameters.RangeParameters;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv6.IPv6Address;
import inet.ipaddr.ipv6.IPv6AddressStringParameters;
import io.github.servicetags.IpFamily;
import io.github.servicetags.IpPrefix;
import io.github.servicetags.internal.IpText;
import java.util.Optional;
import java.util.Random;
import org.apache.commons.net.util.SubnetUtils;

/**
 * The differential checks shared by the JUnit differential tests and the Jazzer fuzz tests: our parser against Guava
 * {@code InetAddresses}, seancfoley IPAddress (strict options) and, for IPv4 CIDRs, commons-net {@code SubnetUtils}.
 *
 * <p>Intended disagreements (each is counted in a {@link Tally} so that tests can assert it was seen):
 * <ul>
 *   <li>Guava accepts IPv6 zone ids ({@code fe80::1%eth0}, even an empty one: {@code 1::%}); we refuse them.
 *   <li>Guava accepts non-ASCII digits (it uses {@code Character.digit}): Arabic-Indic {@code ١.٢.٣.٤}, fullwidth
 *       {@code １.2.3.4}, fullwidth hex letters in IPv6 groups; we refuse them.
 *   <li>IPAddress trims leading and trailing spaces and control characters like {@code String.trim()}
 *       ({@code " 1.2.3.4"}, {@code "1.2.3.4\u0000"}); we refuse whitespace and control characters.
 *   <li>IPAddress accepts a leading zero in a prefix length ({@code /08}) once such lengths are allowed at all (its
 *       option that forbids them also forbids {@code /0}); we refuse {@code /08} and accept {@code /0}.
 *   <li>IPAddress 5.5.1 reads a prefix length that overflows an int modulo 2^32 ({@code /3000...0002} is a /2 to
 *       it) or throws {@code ArrayIndexOutOfBoundsException}; we refuse any length above 128 with our usual message.
 *   <li>Guava 33.5 says {@code isInetAddress("::.%fff:1.2.3.4")} but {@code forString} refuses it; we take the refusal.
 *   <li>IPAddress accepts host bits after the length ({@code 10.0.0.1/8} is an address with a prefix); we refuse
 *       them with a message naming the network ({@code did you mean 10.0.0.0/8?}).
 *   <li>An IPv4-mapped address ({@code ::ffff:a.b.c.d}) counts as the IPv4 address in {@code contains}: an IPv4
 *       prefix contains it, an IPv6 prefix (even {@code ::ffff:0:0/96}) does not. IPAddress keeps the families apart.
 *   <li>Canonical text of IPv4-mapped IPv6 keeps the dotted quad (RFC 5952 section 5): {@code ::ffff:1.2.3.4}; we
 *       compare it with IPAddress {@code toMixedString()} instead of {@code toCanonicalString()}.
 * </ul>
 */
public final class IpChecks {
    /** IPAddress options matching our rules for addresses (whitespace excepted, see above). */
    public static final IPAddressStringParameters ADDRESS = strict(false);
    /** IPAddress options for CIDR text; prefix-length leading zeros allowed (else it refuses "/0"), checked by us. */
    public static final IPAddressStringParameters PREFIX = strict(true);

    private IpChecks() {}

    private static IPAddressStringParameters strict(boolean prefix) {
        IPAddressStringParameters.Builder b = new IPAddressStringParameters.Builder()
                .allowEmpty(false).allowSingleSegment(false).allowAll(false).allowMask(false)
                .allowPrefixOnly(false).allowPrefix(prefix).allowWildcardedSeparator(false)
                .setRangeOptions(RangeParameters.NO_RANGE).allow_inet_aton(false);
        b.getIPv4AddressParametersBuilder().allowLeadingZeros(false).allowUnlimitedLeadingZeros(false)
                .allowPrefixLengthLeadingZeros(prefix).allowPrefixesBeyondAddressSize(false).allowBinary(false)
                .allowWildcardedSeparator(false).setRangeOptions(RangeParameters.NO_RANGE);
        IPv6AddressStringParameters.Builder v6 = b.getIPv6AddressParametersBuilder();
        v6.allowZone(false).allowEmptyZone(false).allowBase85(false).allowBinary(false).allowMixed(true)
                .allow_mixed_inet_aton(false).allowLeadingZeros(true).allowUnlimitedLeadingZeros(false)
                .allowPrefixLengthLeadingZeros(prefix).allowPrefixesBeyondAddressSize(false)
                .allowWildcardedSeparator(false).setRangeOptions(RangeParameters.NO_RANGE);
        v6.getEmbeddedIPv4AddressParametersBuilder().allowLeadingZeros(false).allowUnlimitedLeadingZeros(false)
                .allowBinary(false).allow_inet_aton(false).allowWildcardedSeparator(false)
                .setRangeOptions(RangeParameters.NO_RANGE);
        return b.toParams();
    }

    /** Counts of what the checks saw, so that tests can prove each class of input was exercised. */
    public static final class Tally {
        public long inputs;
        public long accepted;
        public long acceptedV4;
        public long acceptedV6;
        public long acceptedMapped;
        public long acceptedEmbedded;
        public long rejected;
        public long guavaZoneOnly;
        public long guavaUnicodeOnly;
        public long ipaddressWhitespaceOnly;
        public long ipaddressLeadingZeroLength;
        public long ipaddressLengthOverflow;
        public long hostBits;
        public long subnetUtils;

        @Override
        public String toString() {
            return "inputs=" + inputs + " accepted=" + accepted + " (v4=" + acceptedV4 + " v6=" + acceptedV6
                    + " mapped=" + acceptedMapped + " embedded=" + acceptedEmbedded + ") rejected=" + rejected
                    + " guavaZoneOnly=" + guavaZoneOnly + " guavaUnicodeOnly=" + guavaUnicodeOnly
                    + " ipaddressWhitespaceOnly=" + ipaddressWhitespaceOnly
                    + " ipaddressLeadingZeroLength=" + ipaddressLeadingZeroLength
                    + " ipaddressLengthOverflow=" + ipaddressLengthOverflow + " hostBits=" + hostBits
                    + " subnetUtils=" + subnetUtils;
        }
    }

    /** Our parser: the value, or null when refused. */
    public static Ip ours(String s) {
        long v4 = IpText.parseIPv4(s);
        if (v4 != IpText.INVALID) {
            return Ip.v4(v4);
        }
        long[] a = new long[2];
        return IpText.parseIPv6(s, a) ? Ip.v6(a[0], a[1]) : null;
    }

    /** Guava's value (IPv4-mapped already turned into IPv4 by InetAddress), or null. */
    public static Ip guava(String s) {
        if (!InetAddresses.isInetAddress(s)) {
            return null;
        }
        try {
            return Ip.of(InetAddresses.forString(s).getAddress());
        } catch (IllegalArgumentException e) {
            // forString resolves a non-numeric zone id as a network interface name ("No such interface")
            try {
                return Ip.of(InetAddresses.forString(s.substring(0, s.indexOf('%'))).getAddress());
            } catch (IllegalArgumentException | IndexOutOfBoundsException again) {
                // Guava 33.5 contradicts itself (found by Jazzer): isInetAddress("::.%fff:1.2.3.4") is true, but
                // forString refuses it and its address part. Its final word is "no".
                return null;
            }
        }
    }

    /**
     * IPAddress's reading of {@code s}, or null when it refuses it. IPAddress 5.5.1 throws
     * {@code ArrayIndexOutOfBoundsException} for a prefix length that overflows an int (found by Jazzer:
     * {@code 2001:DB5:0::/355555555555555555555555555555552}); that counts as a refusal, and the callers then
     * insist that we refuse the text too.
     */
    public static IPAddress ipaddress(String s, IPAddressStringParameters params) {
        try {
            return new IPAddressString(s, params).getAddress();
        } catch (IndexOutOfBoundsException e) {
            return null;
        }
    }

    public static String format(Ip ip) {
        return ip.v6() ? IpText.formatIPv6(ip.hi(), ip.lo()) : IpText.formatIPv4((int) ip.lo());
    }

    /** The text in single quotes with control, space-like and non-ASCII characters escaped. */
    public static String show(String s) {
        StringBuilder sb = new StringBuilder("'");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('\'').toString();
    }

    /** Zone id removed, non-ASCII digits replaced by ASCII ones the way Guava reads them. */
    static String guavaNormalized(String s) {
        int pct = s.indexOf('%');
        String t = pct >= 0 ? s.substring(0, pct) : s;
        StringBuilder sb = new StringBuilder(t.length());
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            int d = c > 127 ? Character.digit(c, 16) : -1;
            sb.append(d >= 0 ? Character.forDigit(d, 16) : c);
        }
        return sb.toString();
    }

    /** What IPAddress ignores around its input: {@code String.trim()}, so spaces and control characters. */
    static String strip(String s) {
        return s.trim();
    }

    /** Checks one piece of address text against every oracle. */
    public static void checkAddressText(String s, Tally t) {
        t.inputs++;
        Ip o = ours(s);
        Ip g = guava(s);
        IPAddress ia = ipaddress(s, ADDRESS);
        Ip i = ia == null ? null : Ip.of(ia.getBytes());
        if (o != null) {
            t.accepted++;
            if (o.v6()) {
                t.acceptedV6++;
            } else {
                t.acceptedV4++;
            }
            if (o.isMapped()) {
                t.acceptedMapped++;
            }
            if (o.v6() && s.indexOf('.') >= 0) {
                t.acceptedEmbedded++;
            }
            assertEquals(o.unmapped(), g == null ? null : g.unmapped(), () -> "Guava disagrees on " + show(s));
            assertEquals(o, i, () -> "IPAddress disagrees on " + show(s));
            String f = format(o);
            String expected = o.isMapped() ? mixed(ia) : ia.toCanonicalString();
            assertEquals(expected, f, () -> "canonical text of " + show(s));
            if (o.v6() && !o.isMapped()) {
                assertEquals(InetAddresses.toAddrString(InetAddresses.forString(s)), f,
                        () -> "Guava's RFC 5952 text of " + show(s));
            }
            assertEquals(o, ours(f), () -> "round trip of " + show(s) + " via " + show(f));
            return;
        }
        t.rejected++;
        String why = IpText.whyInvalid(s);
        assertNotNull(why);
        assertFalse(why.isEmpty());
        if (g != null) {
            // Guava accepts more: a zone id or non-ASCII digits, and nothing else.
            String norm0 = guavaNormalized(s);
            assertFalse(norm0.equals(s), () -> "Guava accepts " + show(s) + " = " + g + " but we refuse it");
            Ip n0 = ours(norm0);
            // Guava's leading-zero rule looks for an ASCII '0' only: it reads "1.2.3.٠8" as 1.2.3.8
            String norm = n0 != null ? norm0 : norm0.replaceAll("(^|[.:])0+(\\d)", "$1$2");
            Ip n = n0 != null ? n0 : ours(norm);
            assertEquals(g.unmapped(), n == null ? null : n.unmapped(),
                    () -> "Guava accepts " + show(s) + " = " + g + "; we refuse it, and its normal form " + show(norm));
            if (s.indexOf('%') >= 0) {
                t.guavaZoneOnly++;
                assertTrue(why.contains("zone id") || why.contains("whitespace") || why.contains("non-ASCII")
                        || why.contains("control character"), why);
            } else {
                t.guavaUnicodeOnly++;
                assertTrue(why.contains("non-ASCII") || why.contains("whitespace"), why);
            }
        }
        if (i != null) {
            // IPAddress trims surrounding whitespace, and accepts nothing else that we refuse.
            String stripped = strip(s);
            assertFalse(stripped.equals(s), () -> "IPAddress accepts " + show(s) + " = " + i + " but we refuse it");
            assertEquals(i, ours(stripped), () -> "IPAddress accepts " + show(s) + "; we refuse it, and " + show(stripped));
            assertTrue(why.contains("whitespace") || why.contains("control character"), why);
            t.ipaddressWhitespaceOnly++;
        }
    }

    /** Checks one piece of CIDR text against every oracle; {@code r} picks addresses to probe containment. */
    public static void checkCidrText(String s, Random r, Tally t) {
        t.inputs++;
        Optional<IpPrefix> parsed = IpPrefix.tryParse(s);
        IPAddress ia = ipaddress(s, PREFIX);
        boolean iaPrefix = ia != null && ia.getNetworkPrefixLength() != null;
        if (parsed.isEmpty()) {
            t.rejected++;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse(s));
            String msg = e.getMessage();
            assertNotNull(msg);
            if (iaPrefix) {
                String norm = strip(s);
                int slash = norm.indexOf('/');
                String len = norm.substring(slash + 1);
                boolean leadingZero = len.length() > 1 && len.charAt(0) == '0';
                String lenDigits = len.replaceFirst("^0+(?=.)", "");
                if (lenDigits.length() > 3 && lenDigits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    // IPAddress 5.5.1 reads an int-overflowing length modulo 2^32 (found by Jazzer:
                    // "212d:b8b8::/3000...0002" with 80 zeros is a /2 to it); we refuse the length
                    t.ipaddressLengthOverflow++;
                    assertTrue(msg.contains("without sign or leading zero") || msg.contains("whitespace")
                            || msg.contains("control character"), msg);
                    return;
                }
                if (!norm.equals(s)) {
                    t.ipaddressWhitespaceOnly++;
                    assertTrue(msg.contains("whitespace") || msg.contains("control character"), msg);
                } else if (leadingZero) {
                    t.ipaddressLeadingZeroLength++;
                    assertTrue(msg.contains("without sign or leading zero"), msg);
                } else if (!ia.isPrefixBlock()) {
                    t.hostBits++;
                    IPAddress network = ia.toPrefixBlock().getLower().withoutPrefixLength();
                    Ip n = Ip.of(network.getBytes());
                    assertEquals("host bits set in '" + s + "'; did you mean " + format(n) + "/"
                            + ia.getNetworkPrefixLength() + "?", msg);
                    return;
                } else {
                    fail("IPAddress accepts " + show(s) + " as " + ia + " but we refuse it: " + msg);
                }
                if (leadingZero) {
                    norm = norm.substring(0, slash + 1) + len.replaceFirst("^0+(?=.)", "");
                }
                String n = norm;
                Optional<IpPrefix> again = IpPrefix.tryParse(n);
                IPAddress ib = ipaddress(n, PREFIX);
                if (again.isPresent()) {
                    assertEquals(Ip.of(ib.getLower().getBytes()), first(again.get()), () -> show(n));
                } else {
                    assertFalse(ib != null && ib.isPrefixBlock(), () -> "IPAddress accepts " + show(n) + ", we do not");
                }
            }
            return;
        }
        IpPrefix p = parsed.get();
        t.accepted++;
        if (p.family() == IpFamily.IPV4) {
            t.acceptedV4++;
        } else {
            t.acceptedV6++;
        }
        assertEquals(p, IpPrefix.parse(s));
        assertTrue(iaPrefix && ia.isPrefixBlock(), () -> "IPAddress refuses " + show(s) + " which we read as " + p);
        assertEquals(p.family() == IpFamily.IPV6, ia.isIPv6());
        assertEquals(p.length(), ia.getNetworkPrefixLength().intValue(), () -> "length of " + show(s));
        Ip first = first(p);
        Ip last = last(p);
        assertEquals(Ip.of(ia.getLower().getBytes()), first, () -> "first address of " + show(s));
        assertEquals(Ip.of(ia.getUpper().getBytes()), last, () -> "last address of " + show(s));
        String canonical = first.isMapped()
                ? mixed(ia.getLower().withoutPrefixLength()) + "/" + p.length()
                : ia.toCanonicalString();
        assertEquals(canonical, p.toString(), () -> "canonical text of " + show(s));
        assertEquals(p, IpPrefix.parse(p.toString()), () -> "round trip of " + show(s));

        SubnetUtils.SubnetInfo su = null;
        if (p.family() == IpFamily.IPV4) {
            SubnetUtils utils = new SubnetUtils(s);
            utils.setInclusiveHostCount(true);
            su = utils.getInfo();
            assertEquals(IpForms.dotted(first.lo()), su.getNetworkAddress(), () -> "SubnetUtils network of " + s);
            assertEquals(IpForms.dotted(last.lo()), su.getBroadcastAddress(), () -> "SubnetUtils last of " + s);
            assertEquals(IpForms.dotted(first.lo()), su.getLowAddress(), () -> "SubnetUtils low of " + s);
            assertEquals(IpForms.dotted(last.lo()), su.getHighAddress(), () -> "SubnetUtils high of " + s);
            t.subnetUtils++;
        }

        // containment of addresses at and around the edges, and at random
        Ip[] probes = {first, last, first.plus(-1), last.plus(1), first.plus(1), last.plus(-1),
            IpForms.random(r), p.family() == IpFamily.IPV4 ? IpForms.randomV4(r) : IpForms.randomV6(r),
            p.family() == IpFamily.IPV4 ? Ip.v6(0, 0xffff00000000L | first.lo()) : Ip.v6(0, 0xffff00000000L | r.nextInt())};
        IPAddress block = ia.toPrefixBlock();
        for (Ip q : probes) {
            String text = IpForms.format(q, r);
            Ip u = q.unmapped();
            boolean expected = u.v6() == (p.family() == IpFamily.IPV6)
                    && block.contains(u.v6() ? new IPv6Address(u.bytes()) : new IPv4Address(u.bytes()));
            assertEquals(expected, p.contains(text), () -> p + " contains " + show(text));
            assertEquals(expected, p.contains(IpForms.inet(q)), () -> p + " contains InetAddress of " + show(text));
            if (su != null && !u.v6() && u.lo() != 0) { // SubnetUtils 3.12: isInRange("0.0.0.0") is always false
                assertEquals(expected, su.isInRange(IpForms.dotted(u.lo())), () -> "SubnetUtils " + s + " " + text);
            }
            boolean single = u.v6() == (p.family() == IpFamily.IPV6);
            if (single) {
                IpPrefix host = u.v6() ? IpPrefix.ofIPv6(u.hi(), u.lo(), 128) : IpPrefix.ofIPv4((int) u.lo(), 32);
                assertEquals(expected, p.contains(host), () -> p + " contains " + host);
            }
        }
    }

    /** RFC 5952 section 5 text of an IPv4-mapped address, from IPAddress's reading of it. */
    private static String mixed(IPAddress a) {
        assertTrue(a.isIPv6() && a.toIPv6().isIPv4Mapped(), a::toString);
        return "::ffff:" + a.toIPv6().getEmbeddedIPv4Address().toCanonicalString();
    }

    public static Ip first(IpPrefix p) {
        return p.family() == IpFamily.IPV6 ? Ip.v6(p.high(), p.low()) : Ip.v4(p.low());
    }

    public static Ip last(IpPrefix p) {
        return p.family() == IpFamily.IPV6 ? Ip.v6(p.lastHigh(), p.lastLow()) : Ip.v4(p.lastLow());
    }
}
