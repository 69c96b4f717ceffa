package io.github.servicetags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The index against two independent references on the real files: a naive scan over every prefix (for a random
 * sample) and a per-length hash table of networks (for every boundary probe). Both references only use masks and
 * equality, nothing of the interval design.
 */
class IndexOracleTest {
    static final List<String> FILES = RealData.FILES;

    /**
     * The real file's tags with an index built by this test: {@link RealData#load} keeps one loaded file per JVM,
     * and PIT runs many mutants of the builder in one JVM, so a kept index would hide them (and PIT would count only
     * the first test of the class as covering the builder, and run only that one).
     */
    static ServiceTags freshIndex(String file) {
        ServiceTags st = RealData.load(file);
        return ServiceTags.of(st.cloud(), st.changeNumber(), st.source(), st.tags());
    }

    /** Naive reference: arrays of (network, mask) per family, scanned in full for every probe. */
    static final class Naive {
        final List<ServiceTag> tags;
        final long[] net4;
        final long[] mask4;
        final int[] tag4;
        final long[] hi6;
        final long[] lo6;
        final long[] mhi6;
        final long[] mlo6;
        final int[] tag6;
        final List<Map<Long, List<Integer>>> byLen4 = new ArrayList<>();
        final List<Map<List<Long>, List<Integer>>> byLen6 = new ArrayList<>();

        Naive(ServiceTags st) {
            tags = st.tags();
            int n4 = st.prefixCount(IpFamily.IPV4);
            int n6 = st.prefixCount(IpFamily.IPV6);
            net4 = new long[n4];
            mask4 = new long[n4];
            tag4 = new int[n4];
            hi6 = new long[n6];
            lo6 = new long[n6];
            mhi6 = new long[n6];
            mlo6 = new long[n6];
            tag6 = new int[n6];
            for (int l = 0; l <= 32; l++) {
                byLen4.add(new HashMap<>());
            }
            for (int l = 0; l <= 128; l++) {
                byLen6.add(new HashMap<>());
            }
            int a = 0;
            int b = 0;
            for (int t = 0; t < tags.size(); t++) {
                for (IpPrefix p : tags.get(t).prefixes()) {
                    int len = p.length();
                    if (p.family() == IpFamily.IPV4) {
                        net4[a] = p.low();
                        mask4[a] = len == 0 ? 0 : (0xffffffffL << (32 - len)) & 0xffffffffL;
                        tag4[a++] = t;
                        byLen4.get(len).computeIfAbsent(p.low(), k -> new ArrayList<>()).add(t);
                    } else {
                        hi6[b] = p.high();
                        lo6[b] = p.low();
                        mhi6[b] = len == 0 ? 0 : len >= 64 ? -1L : -1L << (64 - len);
                        mlo6[b] = len <= 64 ? 0 : len == 128 ? -1L : -1L << (128 - len);
                        tag6[b++] = t;
                        byLen6.get(len).computeIfAbsent(List.of(p.high(), p.low()), k -> new ArrayList<>()).add(t);
                    }
                }
            }
        }

        TreeSet<String> scan4(long ip) {
            TreeSet<String> out = new TreeSet<>();
            for (int i = 0; i < net4.length; i++) {
                if ((ip & mask4[i]) == net4[i]) {
                    out.add(tags.get(tag4[i]).name());
                }
            }
            return out;
        }

        TreeSet<String> scan6(long hi, long lo) {
            TreeSet<String> out = new TreeSet<>();
            for (int i = 0; i < hi6.length; i++) {
                if ((hi & mhi6[i]) == hi6[i] && (lo & mlo6[i]) == lo6[i]) {
                    out.add(tags.get(tag6[i]).name());
                }
            }
            return out;
        }

        TreeSet<String> hashed4(long ip) {
            TreeSet<String> out = new TreeSet<>();
            for (int len = 0; len <= 32; len++) {
                long m = len == 0 ? 0 : (0xffffffffL << (32 - len)) & 0xffffffffL;
                List<Integer> hit = byLen4.get(len).get(ip & m);
                if (hit != null) {
                    hit.forEach(t -> out.add(tags.get(t).name()));
                }
            }
            return out;
        }

        TreeSet<String> hashed6(long hi, long lo) {
            TreeSet<String> out = new TreeSet<>();
            for (int len = 0; len <= 128; len++) {
                if (byLen6.get(len).isEmpty()) {
                    continue;
                }
                long mh = len == 0 ? 0 : len >= 64 ? -1L : -1L << (64 - len);
                long ml = len <= 64 ? 0 : len == 128 ? -1L : -1L << (128 - len);
                List<Integer> hit = byLen6.get(len).get(List.of(hi & mh, lo & ml));
                if (hit != null) {
                    hit.forEach(t -> out.add(tags.get(t).name()));
                }
            }
            return out;
        }
    }

    @ParameterizedTest
    @FieldSource("FILES")
    void everyBoundaryProbeMatchesThePerLengthReference(String file) {
        ServiceTags st = freshIndex(file);
        Naive ref = new Naive(st);
        int probes = 0;
        for (ServiceTag t : st.tags()) {
            for (IpPrefix p : t.prefixes()) {
                if (p.family() == IpFamily.IPV4) {
                    for (long ip : new long[] {p.low(), p.lastLow(), p.low() - 1, p.lastLow() + 1}) {
                        if (ip < 0 || ip > 0xffffffffL) {
                            continue;
                        }
                        assertEquals(ref.hashed4(ip), st.lookupIPv4((int) ip).names(), () -> "IPv4 " + ip);
                        probes++;
                    }
                } else {
                    long[][] around = {
                        {p.high(), p.low()},
                        {p.lastHigh(), p.lastLow()},
                        {p.low() == 0 ? p.high() - 1 : p.high(), p.low() - 1},
                        {p.lastLow() == -1L ? p.lastHigh() + 1 : p.lastHigh(), p.lastLow() + 1},
                    };
                    for (long[] a : around) {
                        if (a[0] == 0 && (a[1] >>> 32) == 0xffffL) {
                            continue; // mapped space answers as IPv4: checked separately
                        }
                        assertEquals(ref.hashed6(a[0], a[1]), st.lookupIPv6(a[0], a[1]).names(),
                                () -> "IPv6 " + Long.toHexString(a[0]) + ":" + Long.toHexString(a[1]));
                        probes++;
                    }
                }
            }
        }
        // random probes: IPv4, IPv6 near Azure space and anywhere, and IPv4-mapped IPv6
        Random rnd = new Random(376);
        List<IpPrefix> v6 = new ArrayList<>();
        st.tags().forEach(t -> v6.addAll(t.prefixes(IpFamily.IPV6)));
        for (int i = 0; i < 60_000; i++) {
            long ip = rnd.nextInt() & 0xffffffffL;
            assertEquals(ref.hashed4(ip), st.lookupIPv4((int) ip).names());
            assertSame(st.lookupIPv4((int) ip), st.lookupIPv6(0, 0xffff00000000L | ip), "mapped");
            IpPrefix base = v6.get(rnd.nextInt(v6.size()));
            long hi = base.high() ^ (rnd.nextBoolean() ? 0 : rnd.nextLong() >>> (16 + rnd.nextInt(48)));
            long lo = rnd.nextLong();
            assertEquals(ref.hashed6(hi, lo), st.lookupIPv6(hi, lo).names());
            long rh = rnd.nextLong();
            long rl = rnd.nextLong();
            assertEquals(ref.hashed6(rh, rl), st.lookupIPv6(rh, rl).names());
            probes += 4;
        }
        assertTrue(probes >= 100_000, "probes: " + probes);
    }

    @ParameterizedTest
    @FieldSource("FILES")
    void randomSampleMatchesANaiveScanOverEveryPrefix(String file) throws Exception {
        ServiceTags st = freshIndex(file);
        Naive ref = new Naive(st);
        Random rnd = new Random(353);
        List<IpPrefix> all = new ArrayList<>();
        st.tags().forEach(t -> all.addAll(t.prefixes()));
        for (int i = 0; i < 3_000; i++) {
            IpPrefix p = all.get(rnd.nextInt(all.size()));
            if (p.family() == IpFamily.IPV4) {
                long ip = rnd.nextBoolean() ? p.low() + (rnd.nextLong() & (p.lastLow() - p.low()))
                        : rnd.nextInt() & 0xffffffffL;
                TreeSet<String> want = ref.scan4(ip);
                assertEquals(want, st.lookupIPv4((int) ip).names());
                // the string and InetAddress paths agree with the int path
                String text = io.github.servicetags.internal.IpText.formatIPv4((int) ip);
                assertSame(st.lookupIPv4((int) ip), st.lookup(text));
                assertSame(st.lookupIPv4((int) ip), st.lookup(InetAddress.getByName(text)));
            } else {
                long hi = p.high() | (rnd.nextLong() & (p.lastHigh() ^ p.high()));
                long lo = p.low() | (rnd.nextLong() & (p.lastLow() ^ p.low()));
                assertEquals(ref.scan6(hi, lo), st.lookupIPv6(hi, lo).names());
                String text = io.github.servicetags.internal.IpText.formatIPv6(hi, lo);
                assertSame(st.lookupIPv6(hi, lo), st.lookup(text), text);
            }
        }
    }

    @ParameterizedTest
    @FieldSource("FILES")
    void equalAnswersAreTheSameSharedObject(String file) {
        ServiceTags st = freshIndex(file);
        Map<TagSet, Boolean> seen = new IdentityHashMap<>();
        Map<java.util.Set<String>, TagSet> byNames = new HashMap<>();
        Random rnd = new Random(1);
        for (int i = 0; i < 50_000; i++) {
            TagSet s = st.lookupIPv4(rnd.nextInt());
            if (seen.put(s, Boolean.TRUE) == null) {
                TagSet before = byNames.put(s.names(), s);
                assertTrue(before == null, "two TagSet objects for " + s);
            }
        }
        assertTrue(st.lookup("127.0.0.1").isEmpty());
        assertSame(st.lookup("127.0.0.1"), st.lookup("::1"));
    }
}
