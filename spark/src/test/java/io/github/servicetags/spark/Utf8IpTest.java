package io.github.servicetags.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.servicetags.ServiceTags;
import java.util.SplittableRandom;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The IPv4 fast path never says yes where the library says no, and agrees on the address where both say yes. */
class Utf8IpTest {
    private static final ServiceTags ST = ServiceTags.bundled();

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "255.255.255.255", "20.38.98.1", "1.2.3.4", "10.0.0.0", "100.200.30.4"})
    void acceptsPlainDottedQuads(String ip) {
        long v = Utf8Ip.parseIPv4(UTF8String.fromString(ip));
        assertEquals(FlowRecords.ipv4Text((int) v), ip);
        assertSame(ST.lookup(ip), ST.lookupIPv4((int) v));
    }

    @ParameterizedTest
    @ValueSource(strings = {"010.1.1.1", "1.2.3", "256.0.0.1", " 10.0.0.1", "10.0.0.1 ", "1.2.3.4.5", "0x7f.0.0.1",
        "1..2.3", "1.2.3.", ".1.2.3", "1.2.3.4/32", "\u0661.\u0662.\u0663.\u0664", "1.2.3.00", "1000.1.1.1",
        "::ffff:1.2.3.4", "", "1.2.3.-4", "+1.2.3.4", "1.2.3.4\n", "01.2.3.4", "1.2.3.4:80"})
    void leavesEverythingElseToTheLibrary(String text) {
        assertEquals(Utf8Ip.NOT_IPV4, Utf8Ip.parseIPv4(UTF8String.fromString(text)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " 10.0.0.1", "fe80::1%eth0", "1.2.3.4/32", "host.example.com", "-", "unknown",
        "\u0661.\u0662.\u0663.\u0664", "1111:2222:3333:4444:5555:6666:7777:8888:9999:aaaa:bbbb:c"})
    void earlyRejectRefusesOnlyWhatTheLibraryRefuses(String text) {
        assertEquals(false, Utf8Ip.mayBeAddress(UTF8String.fromString(text)));
        assertThrows(IllegalArgumentException.class, () -> ST.lookup(text));
    }

    @Test
    void randomTextNeverDisagreesWithTheLibrary() {
        SplittableRandom r = new SplittableRandom(7);
        String alphabet = "0123456789.:aAfFgx %/-\u0661";
        for (int i = 0; i < 200_000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = 1 + r.nextInt(16);
            for (int j = 0; j < n; j++) {
                sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            String s = sb.toString();
            long v = Utf8Ip.parseIPv4(UTF8String.fromString(s));
            if (v != Utf8Ip.NOT_IPV4) {
                assertSame(ST.lookup(s), ST.lookupIPv4((int) v), s);
            }
            if (!Utf8Ip.mayBeAddress(UTF8String.fromString(s))) {
                // Text the early reject refuses: the library must refuse it too.
                assertThrows(IllegalArgumentException.class, () -> ST.lookup(s), s);
            } else if (v == Utf8Ip.NOT_IPV4 && s.indexOf(':') < 0) {
                // Colon-free text the fast path refuses: the library must refuse it too.
                assertThrows(IllegalArgumentException.class, () -> ST.lookup(s), s);
            }
        }
    }
}
