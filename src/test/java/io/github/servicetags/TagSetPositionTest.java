package io.github.servicetags;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.servicetags.internal.Internals;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The positions the streaming lookup numbers answers by ({@link Internals.ServiceTagsAccess#tagSetOfIPv4} and
 * {@code tagSetOfIPv6}) point at the very set {@link ServiceTags#lookupIPv4} and {@link ServiceTags#lookupIPv6}
 * return, in {@link ServiceTags#tagSets()}: on both sides of every prefix's first and last address, at random, and
 * for IPv4-mapped IPv6.
 */
class TagSetPositionTest {
    private static final Internals.ServiceTagsAccess ACCESS = Internals.serviceTags();

    private static void check4(ServiceTags st, int ip, Set<TagSet> seen) {
        TagSet expected = st.lookupIPv4(ip);
        assertSame(expected, st.tagSets().get(ACCESS.tagSetOfIPv4(st, ip)), () -> Integer.toUnsignedString(ip));
        assertSame(expected, st.tagSets().get(ACCESS.tagSetOfIPv6(st, 0, 0xffff00000000L | (ip & 0xffffffffL))));
        seen.add(expected);
    }

    private static void check6(ServiceTags st, long high, long low, Set<TagSet> seen) {
        TagSet expected = st.lookupIPv6(high, low);
        assertSame(expected, st.tagSets().get(ACCESS.tagSetOfIPv6(st, high, low)), () -> high + ":" + low);
        seen.add(expected);
    }

    @Test
    void positionsNameTheLookupsAnswers() {
        ServiceTags st = ServiceTags.bundled();
        Set<TagSet> seen = new HashSet<>();
        for (ServiceTag t : st.tags()) {
            for (IpPrefix p : t.prefixes(IpFamily.IPV4)) {
                int first = p.ipv4();
                int last = first + (int) ((1L << (32 - p.length())) - 1);
                for (int ip : new int[] {first - 1, first, last, last + 1}) {
                    check4(st, ip, seen);
                }
            }
            for (IpPrefix p : t.prefixes(IpFamily.IPV6)) {
                check6(st, p.high(), p.low(), seen);
                check6(st, p.lastHigh(), p.lastLow(), seen);
                long low = p.low() - 1;
                check6(st, p.low() == 0 ? p.high() - 1 : p.high(), low, seen);
                low = p.lastLow() + 1;
                check6(st, low == 0 ? p.lastHigh() + 1 : p.lastHigh(), low, seen);
            }
        }
        Random r = new Random(5);
        for (int i = 0; i < 200_000; i++) {
            check4(st, r.nextInt(), seen);
            check6(st, 0x2603_0000_0000_0000L | (r.nextLong() >>> 16), r.nextLong(), seen);
        }
        List<TagSet> all = st.tagSets();
        // nearly every answer was met: the positions cover the list, not a corner of it
        assertTrue(seen.size() > all.size() * 9 / 10, seen.size() + " of " + all.size());
    }
}
