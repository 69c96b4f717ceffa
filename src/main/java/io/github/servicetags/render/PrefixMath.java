package io.github.servicetags.render;

import io.github.servicetags.IpFamily;
import io.github.servicetags.IpPrefix;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Prefix list operations that keep the address space exactly as it was. */
final class PrefixMath {
    private static final BigInteger MASK64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private PrefixMath() {
    }

    /** The prefixes of one family, sorted, without duplicates and without prefixes inside another one. */
    static List<IpPrefix> normalize(Collection<IpPrefix> prefixes, IpFamily family) {
        List<IpPrefix> sorted = new ArrayList<>();
        for (IpPrefix p : prefixes) {
            if (p.family() == family) {
                sorted.add(p);
            }
        }
        sorted.sort(null);
        List<IpPrefix> out = new ArrayList<>(sorted.size());
        for (IpPrefix p : sorted) {
            // Sorted by address then length: a covering prefix always comes before what it covers.
            if (out.isEmpty() || !out.get(out.size() - 1).contains(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /** The fewest prefixes covering exactly the same addresses: adjacent and overlapping ones merged. */
    static List<IpPrefix> aggregate(Collection<IpPrefix> prefixes, IpFamily family) {
        List<IpPrefix> sorted = normalize(prefixes, family);
        List<IpPrefix> out = new ArrayList<>();
        BigInteger start = null;
        BigInteger end = null;
        for (IpPrefix p : sorted) {
            BigInteger s = first(p);
            BigInteger e = last(p);
            if (start != null && s.compareTo(end.add(BigInteger.ONE)) <= 0) {
                end = end.max(e);
            } else {
                if (start != null) {
                    emitRange(start, end, family, out);
                }
                start = s;
                end = e;
            }
        }
        if (start != null) {
            emitRange(start, end, family, out);
        }
        return out;
    }

    /** Splits {@code 0.0.0.0/0} and {@code ::/0} into two halves (ipset hash:net refuses length 0). */
    static List<IpPrefix> withoutZeroLength(List<IpPrefix> prefixes) {
        List<IpPrefix> out = new ArrayList<>(prefixes.size() + 1);
        for (IpPrefix p : prefixes) {
            if (p.length() != 0) {
                out.add(p);
            } else if (p.family() == IpFamily.IPV4) {
                out.add(IpPrefix.ofIPv4(0, 1));
                out.add(IpPrefix.ofIPv4(0x80000000, 1));
            } else {
                out.add(IpPrefix.ofIPv6(0, 0, 1));
                out.add(IpPrefix.ofIPv6(Long.MIN_VALUE, 0, 1));
            }
        }
        return out;
    }

    static BigInteger first(IpPrefix p) {
        return value(p.high(), p.low(), p.family());
    }

    static BigInteger last(IpPrefix p) {
        return value(p.lastHigh(), p.lastLow(), p.family());
    }

    private static BigInteger value(long high, long low, IpFamily family) {
        BigInteger lo = BigInteger.valueOf(low).and(MASK64);
        if (family == IpFamily.IPV4) {
            return lo;
        }
        return BigInteger.valueOf(high).and(MASK64).shiftLeft(64).or(lo);
    }

    private static void emitRange(BigInteger start, BigInteger end, IpFamily family, List<IpPrefix> out) {
        int bits = family == IpFamily.IPV4 ? 32 : 128;
        BigInteger s = start;
        while (s.compareTo(end) <= 0) {
            int align = s.signum() == 0 ? bits : s.getLowestSetBit();
            int size = end.subtract(s).add(BigInteger.ONE).bitLength() - 1; // floor(log2(count))
            int hostBits = Math.min(align, size);
            out.add(prefix(s, bits - hostBits, family));
            s = s.add(BigInteger.ONE.shiftLeft(hostBits));
        }
    }

    private static IpPrefix prefix(BigInteger address, int length, IpFamily family) {
        if (family == IpFamily.IPV4) {
            return IpPrefix.ofIPv4((int) address.longValue(), length);
        }
        return IpPrefix.ofIPv6(address.shiftRight(64).longValue(), address.longValue(), length);
    }
}
