package io.github.servicetags.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** The strict IP text parser, the RFC 5952 formatter, and the explanations for refused text. */
class IpTextTest {

    // ---- IPv4 ----

    @ParameterizedTest
    @CsvSource({
        "0.0.0.0, 0",
        "1.2.3.4, 16909060",
        "10.0.0.1, 167772161",
        "127.0.0.1, 2130706433",
        "128.0.0.0, 2147483648",
        "192.168.100.200, 3232261320",
        "255.255.255.255, 4294967295",
    })
    void parsesDottedQuads(String text, long expected) {
        assertEquals(expected, IpText.parseIPv4(text));
    }

    @Test
    void parsesARangeOfLargerText() {
        assertEquals(0x01020304L, IpText.parseIPv4("x=1.2.3.4;", 2, 9));
        assertEquals(IpText.INVALID, IpText.parseIPv4("x=1.2.3.4;", 2, 10));
        assertEquals(IpText.INVALID, IpText.parseIPv4("x=1.2.3.4;", 1, 9));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1", "1.2.3", "1.2.3.4.5", "1.2.3.4.", ".1.2.3.4", "1..2.3", "010.1.1.1", "1.2.3.04",
        "00.1.1.1", "0x7f.0.0.1", "0x7f000001", "256.1.1.1", "1.2.3.1000", "1.2.3.-4", "+1.2.3.4", " 1.2.3.4",
        "1.2.3.4 ", "1.2. 3.4", "1.2.3.4\n", "1.2.3.4%eth0", "1.2.3.4/32", "\u0661.\u0662.\u0663.\u0664",
        "\uff11.2.3.4", "1.2.3.\u0664", "1\u30022.3.4", "1.2.3.4a", "localhost", "999999999999999",
        "1.2.3.4444444", "::ffff:1.2.3.4"})
    void refusesAnythingButAStrictDottedQuad(String text) {
        assertEquals(IpText.INVALID, IpText.parseIPv4(text));
    }

    @Test
    void formatsIPv4AsUnsigned() {
        assertEquals("255.255.255.255", IpText.formatIPv4(-1));
        assertEquals("128.0.0.0", IpText.formatIPv4(0x80000000));
        assertEquals("0.0.0.0", IpText.formatIPv4(0));
        assertEquals("10.20.30.40", IpText.formatIPv4(0x0a141e28));
    }

    // ---- IPv6 ----

    static Stream<Arguments> validIPv6() {
        return Stream.of(
                Arguments.of("::", 0L, 0L),
                Arguments.of("::1", 0L, 1L),
                Arguments.of("1::", 0x0001_0000_0000_0000L, 0L),
                Arguments.of("1:2:3:4:5:6:7:8", 0x0001_0002_0003_0004L, 0x0005_0006_0007_0008L),
                Arguments.of("2001:DB8::1", 0x2001_0db8_0000_0000L, 1L),
                Arguments.of("2001:0db8:0000:0000:0000:0000:0000:0001", 0x2001_0db8_0000_0000L, 1L),
                Arguments.of("fFfF::", 0xffff_0000_0000_0000L, 0L),
                Arguments.of("1:2:3:4:5:6:7::", 0x0001_0002_0003_0004L, 0x0005_0006_0007_0000L),
                Arguments.of("::2:3:4:5:6:7:8", 0x0000_0002_0003_0004L, 0x0005_0006_0007_0008L),
                Arguments.of("1::8", 0x0001_0000_0000_0000L, 8L),
                Arguments.of("1:2:3:4::5:6:7", 0x0001_0002_0003_0004L, 0x0000_0005_0006_0007L),
                Arguments.of("1:2:3::4:5:6:7", 0x0001_0002_0003_0000L, 0x0004_0005_0006_0007L),
                Arguments.of("1:2:3:4:5::6:7", 0x0001_0002_0003_0004L, 0x0005_0000_0006_0007L),
                Arguments.of("::ffff:1.2.3.4", 0L, 0x0000_ffff_0102_0304L),
                Arguments.of("::FFFF:255.255.255.255", 0L, 0x0000_ffff_ffff_ffffL),
                Arguments.of("::1.2.3.4", 0L, 0x0102_0304L),
                Arguments.of("1::1.2.3.4", 0x0001_0000_0000_0000L, 0x0102_0304L),
                Arguments.of("1:2:3:4:5:6:1.2.3.4", 0x0001_0002_0003_0004L, 0x0005_0006_0102_0304L),
                Arguments.of("1:2:3:4:5::1.2.3.4", 0x0001_0002_0003_0004L, 0x0005_0000_0102_0304L),
                Arguments.of("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255", -1L, -1L),
                Arguments.of("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", -1L, -1L));
    }

    @ParameterizedTest
    @MethodSource("validIPv6")
    void parsesIPv6(String text, long hi, long lo) {
        long[] out = new long[2];
        assertTrue(IpText.parseIPv6(text, out), text);
        assertArrayEquals(new long[] {hi, lo}, out, text);
        long[] ranged = new long[2];
        assertTrue(IpText.parseIPv6("[" + text + "]", 1, text.length() + 1, ranged), text);
        assertArrayEquals(out, ranged, text);
    }

    /** Every hex digit, in both cases, against {@code Character.digit}; its neighbours in ASCII are refused. */
    @Test
    void readsEveryHexDigitInBothCases() {
        long[] out = new long[2];
        for (char c : "0123456789abcdefABCDEF".toCharArray()) {
            assertTrue(IpText.parseIPv6(c + "::" + c, out), () -> c + "::" + c);
            long d = Character.digit(c, 16);
            assertArrayEquals(new long[] {d << 48, d}, out, () -> c + "::" + c);
        }
        for (char c : "/:@G`g".toCharArray()) {
            assertFalse(IpText.parseIPv6(c + "::1", out), () -> c + "::1");
            assertFalse(IpText.parseIPv6("1::" + c, out), () -> "1::" + c);
        }
    }

    /**
     * Every placement of {@code ::} in an address with 8 distinct non-zero groups (each head and tail length), and
     * with an embedded dotted quad, against Guava's reading of the same text.
     */
    @Test
    void readsEveryPlacementOfTheDoubleColon() throws Exception {
        String[] groups = {"1111", "2222", "3333", "4444", "5555", "6666", "7777", "8888"};
        long[] out = new long[2];
        for (boolean embedded : new boolean[] {false, true}) {
            int units = embedded ? 7 : 8;
            for (int head = 0; head < units; head++) {
                for (int tail = 0; head + tail < units; tail++) {
                    StringBuilder sb = new StringBuilder();
                    for (int k = 0; k < head; k++) {
                        sb.append(k > 0 ? ":" : "").append(groups[k]);
                    }
                    sb.append("::");
                    for (int k = units - tail; k < units; k++) {
                        sb.append(k > units - tail ? ":" : "").append(embedded && k == 6 ? "119.119.136.136" : groups[k]);
                    }
                    String text = sb.toString();
                    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(
                            com.google.common.net.InetAddresses.forString(text).getAddress());
                    if (b.capacity() == 4) {
                        continue; // Guava turns ::ffff:a.b.c.d into IPv4; no such text here
                    }
                    assertTrue(IpText.parseIPv6(text, out), text);
                    assertArrayEquals(new long[] {b.getLong(), b.getLong()}, out, text);
                    String framed = "12345" + text + "/64";
                    assertTrue(IpText.parseIPv6(framed, 5, 5 + text.length(), out), framed);
                    b.rewind();
                    assertArrayEquals(new long[] {b.getLong(), b.getLong()}, out, framed);
                }
            }
        }
    }

    /** A quad anywhere in a longer text: the range is measured from its start, not from the text's. */
    @Test
    void parsesAQuadFarIntoALongerText() {
        String text = "prefix=0123456789;255.255.255.255;10.0.0.1";
        assertEquals(0xffffffffL, IpText.parseIPv4(text, 18, 33));
        assertEquals(0x0a000001L, IpText.parseIPv4(text, 34, 42));
        assertEquals(IpText.INVALID, IpText.parseIPv4(text, 17, 33));
        assertEquals(IpText.INVALID, IpText.parseIPv4(text, 18, 34));
        assertEquals(IpText.INVALID, IpText.parseIPv4(text, 36, 42));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ":", ":::", "::::", "1::2::3", "::1::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7",
        "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8", "1:2:3:4:5:6::7:8", ":1::", "1::2:", ":1:2:3:4:5:6:7:8",
        "1:2:3:4:5:6:7:8:", "00001::", "::12345", "::g", "1.2.3.4::", "::1.2.3.4:1", "1:2:3:4:5:6:7:1.2.3.4",
        "1:2:3:4:5:6::1.2.3.4", "::ffff:01.2.3.4", "::ffff:1.2.3", "::ffff:256.1.1.1", "::ffff:1.2.3.4.5",
        "1.2.3.4", "fe80::1%eth0", "fe80::1%", "[::1]", " ::1", "::1 ", ":: 1", "::\u0661", "\uff41::1",
        "::1/128", "::-1", "::+1", "0x1::", "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255x",
        "::ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"})
    void refusesBadIPv6(String text) {
        assertFalse(IpText.parseIPv6(text, new long[2]), text);
    }

    /** RFC 5952 section 4: lower case, no leading zeros, longest zero run compressed, first on a tie, not one group. */
    @ParameterizedTest
    @CsvSource({
        "0:0:0:0:0:0:0:0, ::",
        "0:0:0:0:0:0:0:1, ::1",
        "1:0:0:0:0:0:0:0, 1::",
        "1:0:0:0:0:0:0:1, 1::1",
        "2001:DB8::AB, 2001:db8::ab",
        "2001:0db8:0:0:0:0:2:1, 2001:db8::2:1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "0:1:0:1:0:1:0:1, 0:1:0:1:0:1:0:1",
        "1:0:1:0:0:1:0:1, 1:0:1::1:0:1",
        "1:2:3:4:5:6:7:0, 1:2:3:4:5:6:7:0",
        "0:2:3:4:5:6:7:8, 0:2:3:4:5:6:7:8",
        "0:0:3:4:5:6:7:8, ::3:4:5:6:7:8",
        "1:2:3:4:5:6:0:0, 1:2:3:4:5:6::",
        "00AB:0CDE:F000:0000:0000:0000:0000:0000, ab:cde:f000::",
        "::ffff:1.2.3.4, ::ffff:1.2.3.4",
        "0:0:0:0:0:FFFF:102:304, ::ffff:1.2.3.4",
        "::ffff:0:0, ::ffff:0.0.0.0",
        "::1.2.3.4, ::102:304",
        "1::ffff:1.2.3.4, 1::ffff:102:304",
        "::ffff:0:1.2.3.4, ::ffff:0:102:304",
    })
    void formatsIPv6Canonically(String text, String canonical) {
        long[] a = new long[2];
        assertTrue(IpText.parseIPv6(text, a), text);
        assertEquals(canonical, IpText.formatIPv6(a[0], a[1]));
    }

    // ---- explanations ----

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "\"\"                | empty text is not an IP address",
        "010.1.1.1           | '010.1.1.1' has a leading zero in '010' (ambiguous: octal in some tools); write it without leading zeros",
        "1.2.3.04            | '1.2.3.04' has a leading zero in '04' (ambiguous: octal in some tools); write it without leading zeros",
        "0x7f.0.0.1          | '0x7f.0.0.1' uses hexadecimal; only decimal dotted quads are accepted",
        "0X7F000001          | '0X7F000001' uses hexadecimal; only decimal dotted quads are accepted",
        "1.0x2.3.4           | '1.0x2.3.4' uses hexadecimal; only decimal dotted quads are accepted",
        "1.2.3               | '1.2.3' is not an IP address: an IPv4 address has 4 dot-separated decimal parts, found 3",
        "1.2.3.4.5           | '1.2.3.4.5' is not an IP address: an IPv4 address has 4 dot-separated decimal parts, found 5",
        "1.2.3.4.            | '1.2.3.4.' is not an IP address: an IPv4 address has 4 dot-separated decimal parts, found 5",
        "1..2.3              | '1..2.3' has an empty part",
        "256.1.1.1           | '256.1.1.1' has a part out of range: 256 > 255",
        "1.2.3.1000          | '1.2.3.1000' has a part out of range: 1000 > 255",
        "localhost           | 'localhost' is a name, not an IP address; names are never resolved",
        "example.com         | 'example.com' is a name, not an IP address; names are never resolved",
        "1.2.3.4a            | '1.2.3.4a' is not an IPv4 or IPv6 address",
        "-1.2.3.4            | '-1.2.3.4' is not an IPv4 or IPv6 address",
        "\u0661.\u0662.\u0663.\u0664 | '\\u0661.\\u0662.\\u0663.\\u0664' contains a non-ASCII character at index 0",
        "\uff11.2.3.4        | '\\uff11.2.3.4' contains a non-ASCII character at index 0",
        "1.2.3.\u0664        | '1.2.3.\\u0664' contains a non-ASCII character at index 6",
        "::\uff41            | '::\\uff41' contains a non-ASCII character at index 2",
        "fe80::1%eth0        | 'fe80::1%eth0' has a zone id; zone ids are not accepted",
        "1.2.3.4%1           | '1.2.3.4%1' has a zone id; zone ids are not accepted",
        "\" 1.2.3.4\"        | ' 1.2.3.4' contains whitespace",
        "\"1.2.3.4 \"        | '1.2.3.4 ' contains whitespace",
        "\"1.2. 3.4\"        | '1.2. 3.4' contains whitespace",
        "\"\t::1\"           | '\\u0009::1' contains whitespace",
        "\"\u2003::1\"       | '\\u2003::1' contains whitespace",
        "[::1]               | '[::1]' has brackets; write the address without [ ]",
        "[::1]:80            | '[::1]:80' has brackets; write the address without [ ]",
        "10.0.0.0/8          | '10.0.0.0/8' is a CIDR prefix, not an address",
        "10.0.0/8            | '10.0.0/8' is a CIDR prefix, not an address",
        "2001:db8::/32       | '2001:db8::/32' is a CIDR prefix, not an address",
        "1::2::3             | '1::2::3' uses '::' more than once",
        ":::                 | ':::' contains ':::'",
        "1:2:3:4:5:6:7:8:9   | '1:2:3:4:5:6:7:8:9' has 9 groups; an IPv6 address has 8, or fewer with '::'",
        "1:2:3:4:5:6:7       | '1:2:3:4:5:6:7' has 7 groups; an IPv6 address has 8, or fewer with '::'",
        "1:2:3:4:5:6:7:8::   | '1:2:3:4:5:6:7:8::' has 8 groups and '::'; an IPv6 address has at most 8 groups",
        "1:2:3:4:5:6::7:8    | '1:2:3:4:5:6::7:8' has 8 groups and '::'; an IPv6 address has at most 8 groups",
        "1:2:3:4:5:6:7:1.2.3.4 | '1:2:3:4:5:6:7:1.2.3.4' has 9 groups; an IPv6 address has 8, or fewer with '::'",
        "1.2.3.4::           | '1.2.3.4::' has an embedded IPv4 address that is not at the end (it must be the last 32 bits)",
        "::1.2.3.4:1         | '::1.2.3.4:1' has an embedded IPv4 address that is not at the end (it must be the last 32 bits)",
        "::ffff:01.2.3.4     | '::ffff:01.2.3.4' has an invalid embedded IPv4 address '01.2.3.4': it has a leading zero in '01' (ambiguous: octal in some tools); write it without leading zeros",
        "::ffff:1.2.3        | '::ffff:1.2.3' has an invalid embedded IPv4 address '1.2.3': it is not an IP address: an IPv4 address has 4 dot-separated decimal parts, found 3",
        "::12345             | '::12345' has a group of more than 4 hex digits: '12345'",
        "::g                 | '::g' has a group that is not hexadecimal: 'g'",
        ":1::                | ':1::' starts or ends with a single ':'",
        "1::2:               | '1::2:' starts or ends with a single ':'",
        "%1                  | '%1' has a zone id; zone ids are not accepted",
        "/24                 | '/24' is a CIDR prefix, not an address",
        "[::1                | '[::1' has brackets; write the address without [ ]",
        "]                   | ']' has brackets; write the address without [ ]",
        "0.1.2.256           | '0.1.2.256' has a part out of range: 256 > 255",
        "255.1.1.256         | '255.1.1.256' has a part out of range: 256 > 255",
        "100.1.1.1000        | '100.1.1.1000' has a part out of range: 1000 > 255",
        "::1::2              | '::1::2' uses '::' more than once",
        ".1.2.3::            | '.1.2.3::' has an embedded IPv4 address that is not at the end (it must be the last 32 bits)",
        "::10000             | '::10000' has a group of more than 4 hex digits: '10000'",
        "::ghijk             | '::ghijk' has a group that is not hexadecimal: 'ghijk'",
        "0:1                 | '0:1' has 2 groups; an IPv6 address has 8, or fewer with '::'",
        "1234:abcd           | '1234:abcd' has 2 groups; an IPv6 address has 8, or fewer with '::'",
        "::1:2:3:4:5:6:7:8   | '::1:2:3:4:5:6:7:8' has 8 groups and '::'; an IPv6 address has at most 8 groups",
        "::1:2:3:4:5:6:7:8:9 | '::1:2:3:4:5:6:7:8:9' has 9 groups and '::'; an IPv6 address has at most 8 groups",
    })
    void explainsEveryClassOfRefusal(String text, String message) {
        assertEquals(IpText.INVALID, IpText.parseIPv4(text));
        assertFalse(IpText.parseIPv6(text, new long[2]));
        assertEquals(message, IpText.whyInvalid(text));
    }

    /** A letter that is not a hex digit (nor the x of 0x) makes colon-free text a host name, never resolved. */
    @Test
    void explainsNamesByAnyNonHexLetter() {
        for (char c = 'a'; c <= 'z'; c++) {
            for (char l : new char[] {c, Character.toUpperCase(c)}) {
                String text = "10.0.0." + l;
                boolean name = Character.digit(l, 16) < 0 && c != 'x';
                assertEquals(name, IpText.whyInvalid(text).endsWith(" is a name, not an IP address; names are never resolved"),
                        text);
            }
        }
    }

    @Test
    void explainsControlCharacters() {
        for (String text : new String[] {"1.2.3.4\u0000", "::1\u0007", "1.2.3.4\u007f"}) {
            assertEquals(IpText.INVALID, IpText.parseIPv4(text));
            assertFalse(IpText.parseIPv6(text, new long[2]));
        }
        assertEquals("'1.2.3.4\\u0000' contains a control character at index 7", IpText.whyInvalid("1.2.3.4\u0000"));
        assertEquals("'::1\\u0007' contains a control character at index 3", IpText.whyInvalid("::1\u0007"));
        assertEquals("'1.2.3.4\\u007f' contains a control character at index 7", IpText.whyInvalid("1.2.3.4\u007f"));
    }

    @Test
    void explainsNullAndCutsLongText() {
        assertEquals("IP text is null", IpText.whyInvalid(null));
        String longText = "1".repeat(1000);
        assertEquals("'" + "1".repeat(200) + "...(1000 chars)' is not an IP address: an IPv4 address has 4 "
                + "dot-separated decimal parts, found 1", IpText.whyInvalid(longText));
        // parts are cut too: a message never carries a megabyte of input
        String zeros = "0".repeat(1_000_000);
        assertEquals("'1.2.3." + "0".repeat(194) + "...(1000006 chars)' has a leading zero in '" + "0".repeat(200)
                + "...(1000000 chars)' (ambiguous: octal in some tools); write it without leading zeros",
                IpText.whyInvalid("1.2.3." + zeros));
        assertEquals("'1.2.3." + "9".repeat(194) + "...(1000006 chars)' has a part out of range: " + "9".repeat(200)
                + "...(1000000 chars) > 255", IpText.whyInvalid("1.2.3." + "9".repeat(1_000_000)));
        for (String huge : new String[] {"::" + "f".repeat(1_000_000), ":".repeat(1_000_000), "1." + zeros,
            zeros + "/8", "1:" + "1.".repeat(500_000)}) {
            assertTrue(IpText.whyInvalid(huge).length() < 1_000, () -> IpText.whyInvalid(huge).substring(0, 300));
        }
    }
}
