package io.github.servicetags.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import io.github.servicetags.IpFamily;
import io.github.servicetags.IpPrefix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Aggregation against the IPAddress library's {@code mergeToPrefixBlocks} as the reference. */
class PrefixesTest {
    @ParameterizedTest
    @EnumSource(IpFamily.class)
    void aggregateEqualsReference(IpFamily family) {
        Random random = new Random(42);
        for (int round = 0; round < 300; round++) {
            List<IpPrefix> input = new ArrayList<>();
            int n = 1 + random.nextInt(40);
            for (int i = 0; i < n; i++) {
                input.add(randomPrefix(random, family));
            }
            List<IpPrefix> ours = Prefixes.aggregate(input, family);
            assertEquals(reference(input), ours.stream().map(IpPrefix::toString).toList(), input::toString);
            assertEquals(ours, Prefixes.aggregate(ours, family), "aggregation is idempotent");
        }
    }

    @ParameterizedTest
    @EnumSource(IpFamily.class)
    void normalizeDropsOnlyDuplicatesAndCoveredPrefixes(IpFamily family) {
        Random random = new Random(7);
        for (int round = 0; round < 300; round++) {
            List<IpPrefix> input = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                input.add(randomPrefix(random, family));
            }
            List<IpPrefix> norm = Prefixes.normalize(input, family);
            assertEquals(reference(input), reference(norm), "same address space");
            for (IpPrefix p : norm) {
                for (IpPrefix q : norm) {
                    if (p != q) {
                        assertEquals(false, p.contains(q), p + " covers " + q);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(IpFamily.class)
    void zeroLengthIsSplitForIpset(IpFamily family) {
        IpPrefix all = family == IpFamily.IPV4 ? IpPrefix.parse("0.0.0.0/0") : IpPrefix.parse("::/0");
        List<IpPrefix> split = Prefixes.withoutZeroLength(List.of(all));
        assertEquals(family == IpFamily.IPV4 ? "[0.0.0.0/1, 128.0.0.0/1]" : "[::/1, 8000::/1]", split.toString());
        assertEquals(List.of(all), Prefixes.aggregate(split, family));
    }

    private static IpPrefix randomPrefix(Random random, IpFamily family) {
        if (family == IpFamily.IPV4) {
            // A narrow space so that overlaps and neighbours are common.
            int len = 20 + random.nextInt(13);
            int addr = 0x0A000000 | (random.nextInt(1 << 14) << 4);
            int mask = len == 0 ? 0 : -1 << (32 - len);
            return IpPrefix.ofIPv4(addr & mask, len);
        }
        int len = 100 + random.nextInt(29);
        long low = ((long) random.nextInt(1 << 20)) << 8;
        long mask = len <= 64 ? 0 : -1L << (128 - len);
        return IpPrefix.ofIPv6(0x20010db800000000L, low & mask, len);
    }

    private static List<String> reference(List<IpPrefix> input) {
        IPAddress[] addrs = input.stream().map(p -> new IPAddressString(p.toString()).getAddress())
                .toArray(IPAddress[]::new);
        IPAddress[] merged = addrs[0].mergeToPrefixBlocks(Arrays.copyOfRange(addrs, 1, addrs.length));
        return Arrays.stream(merged).map(a -> a.toCanonicalString()).sorted((x, y) ->
                IpPrefix.parse(x).compareTo(IpPrefix.parse(y))).toList();
    }
}
