package io.github.servicetags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parsing, canonical text, ordering, equality and containment of {@link IpPrefix}. */
class IpPrefixTest {

    @ParameterizedTest
    @CsvSource({
        "10.0.0.0/8, 10.0.0.0/8, IPV4, 8",
        "0.0.0.0/0, 0.0.0.0/0, IPV4, 0",
        "255.255.255.255/32, 255.255.255.255/32, IPV4, 32",
        "1.2.3.4/31, 1.2.3.4/31, IPV4, 31",
        "13.69.112.0/28, 13.69.112.0/28, IPV4, 28",
        "2001:DB8:0::/32, 2001:db8::/32, IPV6, 32",
        "2603:1000::/40, 2603:1000::/40, IPV6, 40",
        "::/0, ::/0, IPV6, 0",
        "::/128, ::/128, IPV6, 128",
        "::1/128, ::1/128, IPV6, 128",
        "FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF/128, ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128, IPV6, 128",
        "2001:0db8:0000:0000:0000:0000:0000:0000/64, 2001:db8::/64, IPV6, 64",
        "2001:db8:0:0:1::/80, 2001:db8:0:0:1::/80, IPV6, 80",
        "2001:db8:0:0:1:0:0:0/112, 2001:db8:0:0:1::/112, IPV6, 112",
        "2001:0:0:1:0:0:1:0/127, 2001::1:0:0:1:0/127, IPV6, 127",
        "::ffff:10.0.0.0/104, ::ffff:10.0.0.0/104, IPV6, 104",
        "::ffff:0:0/96, ::ffff:0.0.0.0/96, IPV6, 96",
        "8000::/1, 8000::/1, IPV6, 1",
        "1:2:3:4:5:6:7:8/128, 1:2:3:4:5:6:7:8/128, IPV6, 128",
    })
    void parsesAndPrintsCanonically(String text, String canonical, IpFamily family, int length) {
        IpPrefix p = IpPrefix.parse(text);
        assertEquals(canonical, p.toString());
        assertEquals(family, p.family());
        assertEquals(length, p.length());
        assertEquals(Optional.of(p), IpPrefix.tryParse(text));
        assertEquals(p, IpPrefix.parse(canonical));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "\"\"              | '' is not a CIDR prefix: missing '/length' (e.g. 10.0.0.0/8)",
        "10.0.0.0          | '10.0.0.0' is not a CIDR prefix: missing '/length' (e.g. 10.0.0.0/8)",
        "10.0.0.0/         | '10.0.0.0/' is not a CIDR prefix: the length '' must be a decimal number 0..32 without sign or leading zero",
        "10.0.0.0/33       | '10.0.0.0/33' is not a CIDR prefix: the length '33' must be a decimal number 0..32 without sign or leading zero",
        "::/129            | '::/129' is not a CIDR prefix: the length '129' must be a decimal number 0..128 without sign or leading zero",
        "10.0.0.0/08       | '10.0.0.0/08' is not a CIDR prefix: the length '08' must be a decimal number 0..32 without sign or leading zero",
        "10.0.0.0/00       | '10.0.0.0/00' is not a CIDR prefix: the length '00' must be a decimal number 0..32 without sign or leading zero",
        "10.0.0.0/+8       | '10.0.0.0/+8' is not a CIDR prefix: the length '+8' must be a decimal number 0..32 without sign or leading zero",
        "10.0.0.0/-1       | '10.0.0.0/-1' is not a CIDR prefix: the length '-1' must be a decimal number 0..32 without sign or leading zero",
        "10.0.0.0/1000     | '10.0.0.0/1000' is not a CIDR prefix: the length '1000' must be a decimal number 0..32 without sign or leading zero",
        "10.0.0.0/0x8      | '10.0.0.0/0x8' is not a CIDR prefix: the length '0x8' must be a decimal number 0..32 without sign or leading zero",
        "10.0.0.0/8/8      | '10.0.0.0/8/8' is not a CIDR prefix: the length '8/8' must be a decimal number 0..32 without sign or leading zero",
        "10.0.0.0/\u0668   | '10.0.0.0/\\u0668' is not a CIDR prefix: the length '\\u0668' must be a decimal number 0..32 without sign or leading zero",
        "2001:db8::/\uff16\uff14 | '2001:db8::/\\uff16\\uff14' is not a CIDR prefix: the length '\\uff16\\uff14' must be a decimal number 0..128 without sign or leading zero",
        "10.0.0.1/8        | host bits set in '10.0.0.1/8'; did you mean 10.0.0.0/8?",
        "255.255.255.255/0 | host bits set in '255.255.255.255/0'; did you mean 0.0.0.0/0?",
        "192.168.1.1/31    | host bits set in '192.168.1.1/31'; did you mean 192.168.1.0/31?",
        "2001:db8::1/32    | host bits set in '2001:db8::1/32'; did you mean 2001:db8::/32?",
        "2001:DB8:0:0:0:0:0:1/127 | host bits set in '2001:DB8:0:0:0:0:0:1/127'; did you mean 2001:db8::/127?",
        "::ffff:1.2.3.4/96 | host bits set in '::ffff:1.2.3.4/96'; did you mean ::ffff:0.0.0.0/96?",
        "\" 10.0.0.0/8\"   | ' 10.0.0.0/8' is not a CIDR prefix: it contains whitespace",
        "\"10.0.0.0/ 8\"   | '10.0.0.0/ 8' is not a CIDR prefix: it contains whitespace",
        "\"10.0.0.0/8\n\"  | '10.0.0.0/8\\u000a' is not a CIDR prefix: it contains whitespace",
        "010.0.0.0/8       | '010.0.0.0/8' is not a CIDR prefix: '010.0.0.0' has a leading zero in '010' (ambiguous: octal in some tools); write it without leading zeros",
        "0x0a.0.0.0/8      | '0x0a.0.0.0/8' is not a CIDR prefix: '0x0a.0.0.0' uses hexadecimal; only decimal dotted quads are accepted",
        "1.2.3/24          | '1.2.3/24' is not a CIDR prefix: '1.2.3' is not an IP address: an IPv4 address has 4 dot-separated decimal parts, found 3",
        "\u0661.0.0.0/8    | '\\u0661.0.0.0/8' is not a CIDR prefix: '\\u0661.0.0.0' contains a non-ASCII character at index 0",
        "/8                | '/8' is not a CIDR prefix: empty text is not an IP address",
        "fe80::%eth0/64    | 'fe80::%eth0/64' is not a CIDR prefix: 'fe80::%eth0' has a zone id; zone ids are not accepted",
        "[2001:db8::]/32   | '[2001:db8::]/32' is not a CIDR prefix: '[2001:db8::]' has brackets; write the address without [ ]",
        "1::2::/32         | '1::2::/32' is not a CIDR prefix: '1::2::' uses '::' more than once",
        ":::/0             | ':::/0' is not a CIDR prefix: ':::' contains ':::'",
        "1:2:3:4:5:6:7:8:9/128 | '1:2:3:4:5:6:7:8:9/128' is not a CIDR prefix: '1:2:3:4:5:6:7:8:9' has 9 groups; an IPv6 address has 8, or fewer with '::'",
        "1.2.3.4::/64      | '1.2.3.4::/64' is not a CIDR prefix: '1.2.3.4::' has an embedded IPv4 address that is not at the end (it must be the last 32 bits)",
        "azure.com/24      | 'azure.com/24' is not a CIDR prefix: 'azure.com' is a name, not an IP address; names are never resolved",
    })
    void refusesBadCidrsWithAClearMessage(String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse(text));
        assertEquals(message, e.getMessage());
        assertEquals(Optional.empty(), IpPrefix.tryParse(text));
    }

    @Test
    void refusesNullAndControlCharacters() {
        assertEquals("CIDR text is null",
                assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse(null)).getMessage());
        assertEquals(Optional.empty(), IpPrefix.tryParse(null));
        assertEquals("'10.0.0.0/8\\u0000' is not a CIDR prefix: it contains a control character at index 10",
                assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("10.0.0.0/8\u0000")).getMessage());
    }

    @Test
    void messagesStayShortForHugeInput() {
        String big = "9".repeat(1_000_000);
        for (String huge : new String[] {big + "/8", "10.0.0.0/" + big, "::/" + big, "1.2.3." + big + "/32",
            "::" + "f".repeat(1_000_000) + "/64", "/".repeat(1_000_000), "10.0.0.0/8" + " ".repeat(1_000_000)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse(huge));
            assertTrue(e.getMessage().length() < 1_000, () -> e.getMessage().substring(0, 300));
            assertEquals(Optional.empty(), IpPrefix.tryParse(huge));
        }
    }

    /** Regression: the length was held in a byte, so every /128 read back as -128. */
    @Test
    void hostRoutesKeepTheirLength() {
        IpPrefix p = IpPrefix.parse("2001:db8::1/128");
        assertEquals(128, p.length());
        assertEquals("2001:db8::1/128", p.toString());
        assertTrue(p.contains("2001:db8::1"));
        assertFalse(p.contains("2001:db8::"));
        assertFalse(p.contains("2001:db8::2"));
        assertEquals(p.low(), p.lastLow());
        assertEquals(p.high(), p.lastHigh());
        assertEquals(p, IpPrefix.ofIPv6(0x2001_0db8_0000_0000L, 1, 128));
        assertTrue(IpPrefix.parse("2001:db8::/127").contains(p));
        assertFalse(p.contains(IpPrefix.parse("2001:db8::/127")));
        assertTrue(IpPrefix.parse("2001:db8::/127").compareTo(p) < 0);
    }

    @Test
    void factoriesCheckLengthAndHostBits() {
        assertEquals(IpPrefix.parse("10.0.0.0/8"), IpPrefix.ofIPv4(0x0a000000, 8));
        assertEquals(IpPrefix.parse("255.0.0.0/8"), IpPrefix.ofIPv4(0xff000000, 8));
        assertEquals(IpPrefix.parse("0.0.0.0/0"), IpPrefix.ofIPv4(0, 0));
        assertEquals(IpPrefix.parse("2001:db8::/32"), IpPrefix.ofIPv6(0x2001_0db8_0000_0000L, 0, 32));
        assertEquals("IPv4 prefix length must be 0..32, got 33",
                assertThrows(IllegalArgumentException.class, () -> IpPrefix.ofIPv4(0, 33)).getMessage());
        assertEquals("IPv4 prefix length must be 0..32, got -1",
                assertThrows(IllegalArgumentException.class, () -> IpPrefix.ofIPv4(0, -1)).getMessage());
        assertEquals("IPv6 prefix length must be 0..128, got 129",
                assertThrows(IllegalArgumentException.class, () -> IpPrefix.ofIPv6(0, 0, 129)).getMessage());
        assertEquals("host bits set in 10.0.0.1/8; did you mean 10.0.0.0/8?",
                assertThrows(IllegalArgumentException.class, () -> IpPrefix.ofIPv4(0x0a000001, 8)).getMessage());
        assertEquals("host bits set in 2001:db8::1/64; did you mean 2001:db8::/64?",
                assertThrows(IllegalArgumentException.class,
                        () -> IpPrefix.ofIPv6(0x2001_0db8_0000_0000L, 1, 64)).getMessage());
        assertEquals("host bits set in 8000::/0; did you mean ::/0?",
                assertThrows(IllegalArgumentException.class, () -> IpPrefix.ofIPv6(Long.MIN_VALUE, 0, 0)).getMessage());
    }

    @Test
    void accessorsUseUnsignedEncodings() {
        IpPrefix v4 = IpPrefix.parse("255.0.0.0/8");
        assertEquals(0, v4.high());
        assertEquals(0xff000000L, v4.low());
        assertEquals(0xff000000, v4.ipv4());
        assertEquals(0, v4.lastHigh());
        assertEquals(0xffffffffL, v4.lastLow());
        IpPrefix all4 = IpPrefix.parse("0.0.0.0/0");
        assertEquals(0xffffffffL, all4.lastLow());
        IpPrefix v6 = IpPrefix.parse("2001:db8::/32");
        assertEquals(0x2001_0db8_0000_0000L, v6.high());
        assertEquals(0, v6.low());
        assertEquals(0x2001_0db8_ffff_ffffL, v6.lastHigh());
        assertEquals(-1L, v6.lastLow());
        IpPrefix v6b = IpPrefix.parse("2001:db8::/96");
        assertEquals(0x2001_0db8_0000_0000L, v6b.lastHigh());
        assertEquals(0x0000_0000_ffff_ffffL, v6b.lastLow());
        assertEquals("2001:db8::/32 is an IPv6 prefix",
                assertThrows(IllegalStateException.class, v6::ipv4).getMessage());
        assertEquals(32, IpFamily.IPV4.bits());
        assertEquals(128, IpFamily.IPV6.bits());
    }

    @Test
    void addressIsTheNetworkAddressWithoutDns() throws Exception {
        assertEquals(InetAddress.getByAddress(new byte[] {10, 0, 0, 0}), IpPrefix.parse("10.0.0.0/8").address());
        InetAddress a6 = IpPrefix.parse("2001:db8::/32").address();
        assertTrue(a6 instanceof Inet6Address);
        assertEquals("2001:db8:0:0:0:0:0:0", a6.getHostAddress());
        assertEquals(InetAddress.getByName("::"), IpPrefix.parse("::/0").address());
    }

    @Test
    void ordersIPv4FirstThenUnsignedAddressThenLength() {
        List<String> expected = List.of("0.0.0.0/0", "0.0.0.0/8", "10.0.0.0/8", "10.0.0.0/16", "10.0.0.0/32",
                "10.0.0.1/32", "127.255.255.255/32", "128.0.0.0/1", "255.255.255.255/32", "::/0", "::/128",
                "::1/128", "::ffff:0.0.0.0/96", "2001:db8::/32", "2001:db8::/33", "7fff::/16", "8000::/1",
                "ffff::/16", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128");
        List<IpPrefix> sorted = new ArrayList<>();
        for (String s : expected) {
            sorted.add(IpPrefix.parse(s));
        }
        for (int round = 0; round < 20; round++) {
            List<IpPrefix> shuffled = new ArrayList<>(sorted);
            Collections.shuffle(shuffled, new Random(round));
            Collections.sort(shuffled);
            assertEquals(sorted, shuffled);
        }
        for (int i = 0; i < sorted.size(); i++) {
            for (int j = 0; j < sorted.size(); j++) {
                assertEquals(Integer.signum(Integer.compare(i, j)), Integer.signum(sorted.get(i).compareTo(sorted.get(j))),
                        sorted.get(i) + " vs " + sorted.get(j));
            }
        }
    }

    @Test
    void equalsAndHashCode() {
        IpPrefix a = IpPrefix.parse("2001:DB8:0::/32");
        IpPrefix b = IpPrefix.parse("2001:0db8:0000:0000:0000:0000:0000:0000/32");
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(0, a.compareTo(b));
        assertNotEquals(a, IpPrefix.parse("2001:db8::/33"));
        assertNotEquals(IpPrefix.parse("0.0.0.0/0"), IpPrefix.parse("::/0"));
        assertNotEquals(IpPrefix.parse("1.2.3.4/32"), IpPrefix.parse("::1.2.3.4/128"));
        assertNotEquals(IpPrefix.parse("1.2.3.4/32"), IpPrefix.parse("::ffff:1.2.3.4/128"));
        assertFalse(a.equals(null));
        assertFalse(a.equals("2001:db8::/32"));
        assertEquals(a, a);
    }

    @Test
    void containsAddressText() {
        IpPrefix p = IpPrefix.parse("10.0.0.0/8");
        assertTrue(p.contains("10.0.0.0"));
        assertTrue(p.contains("10.255.255.255"));
        assertFalse(p.contains("9.255.255.255"));
        assertFalse(p.contains("11.0.0.0"));
        assertFalse(p.contains("::a00:1"));
        // IPv4-mapped IPv6 counts as the IPv4 address, in any spelling
        assertTrue(p.contains("::ffff:10.1.2.3"));
        assertTrue(p.contains("::FFFF:a01:203"));
        assertTrue(p.contains("0:0:0:0:0:ffff:10.1.2.3"));
        assertFalse(p.contains("::ffff:11.1.2.3"));
        // ... so an IPv6 prefix never contains it, not even ::ffff:0:0/96
        assertFalse(IpPrefix.parse("::ffff:0:0/96").contains("::ffff:10.1.2.3"));
        assertFalse(IpPrefix.parse("::/0").contains("::ffff:10.1.2.3"));
        assertTrue(IpPrefix.parse("::/0").contains("::10.1.2.3")); // IPv4-compatible is plain IPv6
        assertTrue(IpPrefix.parse("0.0.0.0/0").contains("255.255.255.255"));
        assertFalse(IpPrefix.parse("0.0.0.0/0").contains("::"));
        IpPrefix v6 = IpPrefix.parse("2001:db8::/32");
        assertTrue(v6.contains("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"));
        assertFalse(v6.contains("2001:db9::"));
        assertFalse(v6.contains("2001:db7:ffff:ffff:ffff:ffff:ffff:ffff"));
        assertFalse(v6.contains("32.1.13.184"));
    }

    @Test
    void containsRefusesBadAddressText() {
        IpPrefix p = IpPrefix.parse("10.0.0.0/8");
        assertEquals("'10.0.0.0/8' is a CIDR prefix, not an address",
                assertThrows(IllegalArgumentException.class, () -> p.contains("10.0.0.0/8")).getMessage());
        assertEquals("'010.0.0.1' has a leading zero in '010' (ambiguous: octal in some tools); write it without "
                + "leading zeros", assertThrows(IllegalArgumentException.class, () -> p.contains("010.0.0.1")).getMessage());
        assertEquals("IP text is null",
                assertThrows(IllegalArgumentException.class, () -> p.contains((String) null)).getMessage());
        assertEquals("'fe80::1%eth0' has a zone id; zone ids are not accepted",
                assertThrows(IllegalArgumentException.class, () -> p.contains("fe80::1%eth0")).getMessage());
    }

    @Test
    void containsInetAddress() throws Exception {
        IpPrefix p = IpPrefix.parse("10.0.0.0/8");
        assertTrue(p.contains(InetAddress.getByAddress(new byte[] {10, 1, 2, 3})));
        assertFalse(p.contains(InetAddress.getByAddress(new byte[] {11, 1, 2, 3})));
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 1, 2, 3};
        // InetAddress.getByAddress turns IPv4-mapped bytes into an Inet4Address ...
        assertTrue(InetAddress.getByAddress(mapped) instanceof Inet4Address);
        assertTrue(p.contains(InetAddress.getByAddress(mapped)));
        // ... but an Inet6Address can still hold them; it counts as IPv4 too
        Inet6Address mapped6 = Inet6Address.getByAddress(null, mapped, -1);
        assertTrue(p.contains(mapped6));
        assertFalse(IpPrefix.parse("::ffff:0:0/96").contains(mapped6));
        assertFalse(IpPrefix.parse("::/0").contains(mapped6));
        IpPrefix v6 = IpPrefix.parse("2001:db8::/32");
        assertTrue(v6.contains(InetAddress.getByName("2001:db8::1")));
        assertFalse(v6.contains(InetAddress.getByName("2001:db9::1")));
        assertFalse(v6.contains(InetAddress.getByAddress(new byte[] {32, 1, 13, (byte) 184})));
        assertFalse(p.contains(InetAddress.getByName("::a01:203")));
    }

    @Test
    void containsPrefix() {
        IpPrefix p = IpPrefix.parse("10.0.0.0/8");
        assertTrue(p.contains(p));
        assertTrue(p.contains(IpPrefix.parse("10.128.0.0/9")));
        assertTrue(p.contains(IpPrefix.parse("10.255.255.255/32")));
        assertFalse(p.contains(IpPrefix.parse("10.0.0.0/7")));
        assertFalse(p.contains(IpPrefix.parse("11.0.0.0/8")));
        assertFalse(p.contains(IpPrefix.parse("::ffff:10.0.0.0/104")));
        assertTrue(IpPrefix.parse("0.0.0.0/0").contains(IpPrefix.parse("255.255.255.255/32")));
        assertFalse(IpPrefix.parse("0.0.0.0/0").contains(IpPrefix.parse("::/0")));
        assertFalse(IpPrefix.parse("::/0").contains(IpPrefix.parse("0.0.0.0/0")));
        assertTrue(IpPrefix.parse("::/0").contains(IpPrefix.parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128")));
        assertTrue(IpPrefix.parse("2001:db8::/32").contains(IpPrefix.parse("2001:db8:8000::/33")));
        assertFalse(IpPrefix.parse("2001:db8:8000::/33").contains(IpPrefix.parse("2001:db8::/32")));
        assertTrue(IpPrefix.parse("2001:db8::/64").contains(IpPrefix.parse("2001:db8::ffff:0:0:0/80")));
        assertFalse(IpPrefix.parse("2001:db8::/64").contains(IpPrefix.parse("2001:db8:0:1::/80")));
    }
}
