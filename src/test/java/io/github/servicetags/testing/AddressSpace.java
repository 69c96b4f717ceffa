package io.github.servicetags.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.servicetags.IpFamily;
import io.github.servicetags.IpPrefix;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The address space of a list of prefixes, computed by brute force on {@link BigInteger} intervals (one code path for
 * both families, independent of the library's prefix arithmetic): the oracle for aggregation.
 */
public final class AddressSpace {
    private AddressSpace() {}

    /** Address space of the prefixes of one family as merged, sorted [start, end] intervals. */
    public static List<BigInteger[]> space(List<IpPrefix> prefixes, IpFamily family) {
        List<BigInteger[]> iv = new ArrayList<>();
        for (IpPrefix p : prefixes) {
            if (p.family() != family) {
                continue;
            }
            BigInteger start = big(p.high(), p.low());
            BigInteger size = BigInteger.ONE.shiftLeft(family.bits() - p.length());
            iv.add(new BigInteger[] {start, start.add(size).subtract(BigInteger.ONE)});
        }
        iv.sort((a, b) -> a[0].compareTo(b[0]));
        List<BigInteger[]> merged = new ArrayList<>();
        for (BigInteger[] x : iv) {
            BigInteger[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && x[0].compareTo(last[1].add(BigInteger.ONE)) <= 0) {
                last[1] = last[1].max(x[1]);
            } else {
                merged.add(x.clone());
            }
        }
        return merged;
    }

    /** The unsigned 128-bit value of two 64-bit halves. */
    public static BigInteger big(long hi, long lo) {
        return new BigInteger(Long.toUnsignedString(hi)).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(lo)));
    }

    /** The number of prefixes in the minimal CIDR cover of the intervals, by the textbook greedy split. */
    public static int minimalCount(List<BigInteger[]> intervals, int bits) {
        int n = 0;
        for (BigInteger[] iv : intervals) {
            BigInteger s = iv[0];
            BigInteger end = iv[1].add(BigInteger.ONE);
            while (s.compareTo(end) < 0) {
                int tz = s.signum() == 0 ? bits : s.getLowestSetBit();
                int size = Math.min(tz, end.subtract(s).bitLength() - 1);
                s = s.add(BigInteger.ONE.shiftLeft(size));
                n++;
            }
        }
        return n;
    }

    /**
     * Asserts that {@code merged} is a full aggregation of {@code original}: per family the same addresses, in the
     * fewest prefixes that can cover them, sorted and without duplicates.
     */
    public static void assertAggregated(List<IpPrefix> original, List<IpPrefix> merged, String what) {
        for (IpFamily f : IpFamily.values()) {
            List<BigInteger[]> want = space(original, f);
            List<BigInteger[]> got = space(merged, f);
            assertEquals(want.size(), got.size(), () -> what + ": " + f + " address space differs");
            for (int i = 0; i < want.size(); i++) {
                assertEquals(want.get(i)[0], got.get(i)[0], what);
                assertEquals(want.get(i)[1], got.get(i)[1], what);
            }
            long count = merged.stream().filter(p -> p.family() == f).count();
            assertEquals(minimalCount(want, f.bits()), count, () -> "not fully merged: " + what + " " + f);
        }
        for (int i = 1; i < merged.size(); i++) {
            assertTrue(merged.get(i - 1).compareTo(merged.get(i)) < 0, () -> what + ": not sorted: " + merged);
        }
    }
}
