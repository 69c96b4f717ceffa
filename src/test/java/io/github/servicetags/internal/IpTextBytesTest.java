package io.github.servicetags.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.servicetags.testing.IpForms;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The byte-array parsers of {@link IpText} (what {@code lookup --stdin} parses its input buffer with) accept exactly
 * what the text parsers accept, with the same value, both ways: text made into bytes, and bytes of every value read
 * as ISO-8859-1 text. The text parsers are the oracle here; they are held to Guava and IPAddress by
 * {@code IpTextDifferentialTest} and the fuzz tests. Every input is parsed in the middle of a larger buffer whose
 * neighbouring bytes would change the answer if they were read.
 */
class IpTextBytesTest {
    /** Bytes around the range: digits, hex and separators, so that reading past either end changes the answer. */
    private static final byte[] AROUND = "0123456789abcdefABCDEF.:".getBytes(StandardCharsets.US_ASCII);

    /** What one input gave, counted by kind so that tests can assert every kind was seen. */
    static final class Tally {
        int inputs;
        int v4;
        int v6;
        int embedded;
        int refused;

        @Override
        public String toString() {
            return inputs + " inputs: " + v4 + " IPv4, " + v6 + " IPv6 (" + embedded + " with a dotted quad), "
                    + refused + " refused";
        }
    }

    /**
     * Parses {@code bytes} with the byte parsers, inside a buffer with random neighbours, and asserts the same
     * answer as the text parsers give for {@code text}.
     */
    private static void assertSame(String text, byte[] bytes, Random r, Tally t) {
        int before = r.nextInt(4);
        int after = r.nextInt(4);
        byte[] buf = new byte[before + bytes.length + after];
        for (int i = 0; i < buf.length; i++) {
            buf[i] = AROUND[r.nextInt(AROUND.length)];
        }
        System.arraycopy(bytes, 0, buf, before, bytes.length);
        int from = before;
        int to = before + bytes.length;
        String what = Strings.quote(text);
        assertEquals(IpText.parseIPv4(text), IpText.parseIPv4(buf, from, to), what);
        long[] expected = {7, 7};
        long[] actual = {7, 7};
        boolean ok = IpText.parseIPv6(text, expected);
        assertEquals(ok, IpText.parseIPv6(buf, from, to, actual), what);
        if (ok) {
            assertArrayEquals(expected, actual, what);
        }
        t.inputs++;
        if (IpText.parseIPv4(text) != IpText.INVALID) {
            t.v4++;
        } else if (ok) {
            t.v6++;
            if (text.indexOf('.') >= 0) {
                t.embedded++;
            }
        } else {
            t.refused++;
        }
    }

    /** Text to bytes: UTF-8, and also ISO-8859-1 when that differs and every character fits in a byte. */
    static void assertSameForText(String s, Random r, Tally t) {
        assertSame(s, s.getBytes(StandardCharsets.UTF_8), r, t);
        if (s.chars().anyMatch(c -> c > 0x7f) && s.chars().allMatch(c -> c <= 0xff)) {
            assertSame(s, s.getBytes(StandardCharsets.ISO_8859_1), r, t);
        }
    }

    /** Bytes to text: each byte is the character of the same value. */
    static void assertSameForBytes(byte[] b, Random r, Tally t) {
        assertSame(new String(b, StandardCharsets.ISO_8859_1), b, r, t);
    }

    @Test
    void agreeWithTheTextParsersOnRandomText() {
        Random r = new Random(0x1b7e5L);
        Tally t = new Tally();
        for (int n = 0; n < 200_000; n++) {
            assertSameForText(IpForms.anyText(r), r, t);
        }
        assertTrue(t.v4 > 10_000 && t.v6 > 50_000 && t.embedded > 5_000 && t.refused > 80_000, t::toString);
    }

    /** The syntax, and the bytes whose ISO-8859-1 characters are digits or spaces to some tools. */
    private static final byte[] ALPHABET = {'0', '1', '2', '5', '9', 'a', 'f', 'A', 'F', 'g', 'x', '.', ':', '/', '%',
        ' ', 0, (byte) 0x80, (byte) 0xa0, (byte) 0xb2, (byte) 0xb9, (byte) 0xff, (byte) 0xc0, (byte) 0xae, (byte) 0xba};

    /** Random bytes: any bytes at all, bytes of {@link #ALPHABET}, or a valid form with one byte edited. */
    static byte[] randomBytes(Random r) {
        byte[] b;
        int k = r.nextInt(4);
        if (k == 0) { // any byte at all
            b = new byte[r.nextInt(48)];
            r.nextBytes(b);
        } else if (k == 1) { // the alphabet
            b = new byte[r.nextInt(48)];
            for (int i = 0; i < b.length; i++) {
                b[i] = ALPHABET[r.nextInt(ALPHABET.length)];
            }
        } else { // a valid form with one byte replaced, inserted or removed
            byte[] v = IpForms.format(IpForms.random(r), r).getBytes(StandardCharsets.US_ASCII);
            int at = r.nextInt(v.length);
            int edit = r.nextInt(3);
            b = new byte[v.length + (edit == 1 ? 1 : edit == 2 ? -1 : 0)];
            byte with = r.nextBoolean() ? ALPHABET[r.nextInt(ALPHABET.length)] : (byte) r.nextInt();
            if (edit == 0) {
                System.arraycopy(v, 0, b, 0, v.length);
                b[at] = with;
            } else if (edit == 1) {
                System.arraycopy(v, 0, b, 0, at);
                b[at] = with;
                System.arraycopy(v, at, b, at + 1, v.length - at);
            } else {
                System.arraycopy(v, 0, b, 0, at);
                System.arraycopy(v, at + 1, b, at, v.length - at - 1);
            }
        }
        return b;
    }

    @Test
    void agreeWithTheTextParsersOnRandomBytes() {
        Random r = new Random(0x1b7e6L);
        Tally t = new Tally();
        for (int n = 0; n < 200_000; n++) {
            assertSameForBytes(randomBytes(r), r, t);
        }
        assertTrue(t.v4 > 1_000 && t.v6 > 10_000 && t.embedded > 500 && t.refused > 100_000, t::toString);
    }

    /**
     * Every string up to 7 characters over digits and separators, and up to 6 with bytes above ASCII (among them
     * {@code \u00b9}, superscript one, worth 1 to {@link Character#getNumericValue}).
     */
    @Test
    void agreeOnEveryShortString() {
        Random r = new Random(0x1b7e7L);
        Tally t = new Tally();
        IpForms.forEveryString("01f:.", 7, s -> assertSameForText(s, r, t));
        assertEquals(97_656, t.inputs);
        Tally high = new Tally();
        IpForms.forEveryString("09F:.\u00b9\u00ff", 6, s -> assertSameForBytes(
                s.getBytes(StandardCharsets.ISO_8859_1), r, high));
        assertEquals(137_257, high.inputs);
        assertTrue(t.v4 > 0 && t.v6 > 0 && high.v6 > 0, t + "; " + high); // 6 characters: too short for IPv4
    }

    /** The committed fuzz inputs of the text parser, as raw bytes and as the UTF-8 text the fuzzer gave. */
    @Test
    void agreeOnTheFuzzCorpus() throws IOException, URISyntaxException {
        Path inputs = Path.of(getClass().getResource("/io/github/servicetags/fuzz/IpTextFuzzTestInputs").toURI());
        List<Path> files;
        try (Stream<Path> s = Files.walk(inputs)) {
            files = s.filter(Files::isRegularFile).collect(Collectors.toList());
        }
        assertTrue(files.size() >= 20, "corpus of " + files.size());
        Random r = new Random(0x1b7e8L);
        Tally t = new Tally();
        for (Path f : files) {
            byte[] b = Files.readAllBytes(f);
            assertSameForBytes(b, r, t);
            assertSameForText(new String(b, StandardCharsets.UTF_8), r, t);
        }
        assertTrue(t.v4 > 0 && t.v6 > 0 && t.refused > 0, t::toString);
    }

    // Independent of the text parsers: values and refusals written out.

    @ParameterizedTest
    @CsvSource({
        "0.0.0.0, 0",
        "1.2.3.4, 16909060",
        "9.99.100.199, 157508807",
        "255.255.255.255, 4294967295",
        "200.250.201.249, 3371878905",
    })
    void parseDottedQuads(String text, long expected) {
        byte[] b = ("." + text + ".").getBytes(StandardCharsets.US_ASCII);
        assertEquals(expected, IpText.parseIPv4(b, 1, b.length - 1));
        assertEquals(IpText.INVALID, IpText.parseIPv4(b, 0, b.length - 1));
        assertEquals(IpText.INVALID, IpText.parseIPv4(b, 1, b.length));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.", "1.2.3.4.", ".1.2.3", "1..2.3", "1.2.3.4.5", "010.1.1.1",
        "1.2.3.04", "00.0.0.0", "256.1.1.1", "1.2.3.1000", "1.2.3.-4", "1.2.3.4 ", "1.2.3./4", "1.2.3.:4",
        "1.2.3.4a", "0x7.0.0.1", "1.2.3.4444", "1111.2.3.4", "127.000.0.1", "1.2.3.4\u0000",
        "1.2.3.\u00b9", "1.2.3.4\u00ff", "\u00b2.1.1.1", "1.2.3.4/32", "::1.2.3.4", "1.2.3.4567890123"})
    void refuseAnythingButAStrictDottedQuad(String text) {
        assertEquals(IpText.INVALID, IpText.parseIPv4(text.getBytes(StandardCharsets.ISO_8859_1), 0,
                text.length()));
    }

    @ParameterizedTest
    @CsvSource({
        "::, 0, 0",
        "::1, 0, 1",
        "1::, 0x0001000000000000, 0",
        "1:2:3:4:5:6:7:8, 0x0001000200030004, 0x0005000600070008",
        "FFFF:ffff:FfFf:fFfF:abcd:ABCD:0:0, 0xffffffffffffffff, 0xabcdabcd00000000",
        "2001:db8::ff00:42:8329, 0x20010db800000000, 0x0000ff0000428329",
        "::ffff:20.38.98.1, 0, 0x0000ffff14266201",
        "1:2:3:4:5:6:1.2.3.4, 0x0001000200030004, 0x0005000601020304",
        "::1:2:3:4:5:6:7, 0x0000000100020003, 0x0004000500060007",
        "1:2:3:4:5:6:7::, 0x0001000200030004, 0x0005000600070000",
        "0000:0000:0000:0000:0000:ffff:255.255.255.255, 0, 0x0000ffffffffffff",
    })
    void parseIPv6Text(String text, String hi, String lo) {
        long[] out = new long[2];
        byte[] b = (":" + text + "1").getBytes(StandardCharsets.US_ASCII);
        assertTrue(IpText.parseIPv6(b, 1, b.length - 1, out), text);
        assertArrayEquals(new long[] {hex(hi), hex(lo)}, out, text);
    }

    private static long hex(String s) {
        return Long.parseUnsignedLong(s.startsWith("0x") ? s.substring(2) : s, 16);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ":", ":::", "1:::2", ":1::", "::1:", "1::2::3", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8", "1::2:3:4:5:6:7:8", "12345::", "g::", "::1%eth0", "[::1]",
        "::1 ", "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3", "::1.2.3.4:5", "::256.1.1.1", "::01.1.1.1", "1.2.3.4::",
        "::\u00b9", "\u00aa::", "::ffff:1.2.3.4\u0000", "0000:0000:0000:0000:0000:ffff:255.255.255.2555",
        "00000:0000:0000:0000:0000:ffff:255.255.255.255", ":1"})
    void refuseAnythingButIPv6Text(String text) {
        long[] out = new long[2];
        assertFalse(IpText.parseIPv6(text.getBytes(StandardCharsets.ISO_8859_1), 0, text.length(), out),
                Strings.quote(text));
    }
}
