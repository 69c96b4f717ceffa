package io.github.servicetags.testing;

/**
 * An address value as the tests compare it: IPv4 in the low 32 bits of {@code lo}, IPv6 as two 64-bit halves.
 * Independent of the code under test.
 */
public record Ip(boolean v6, long hi, long lo) {
    public static Ip v4(long unsigned) {
        return new Ip(false, 0, unsigned & 0xffffffffL);
    }

    public static Ip v6(long hi, long lo) {
        return new Ip(true, hi, lo);
    }

    public static Ip of(byte[] b) {
        long hi = 0;
        long lo = 0;
        if (b.length == 4) {
            for (byte x : b) {
                lo = (lo << 8) | (x & 0xff);
            }
            return v4(lo);
        }
        if (b.length != 16) {
            throw new IllegalArgumentException("address of " + b.length + " bytes");
        }
        for (int i = 0; i < 8; i++) {
            hi = (hi << 8) | (b[i] & 0xff);
            lo = (lo << 8) | (b[i + 8] & 0xff);
        }
        return v6(hi, lo);
    }

    public boolean isMapped() {
        return v6 && hi == 0 && (lo >>> 32) == 0xffffL;
    }

    /** IPv4-mapped IPv6 becomes its IPv4 address (what {@code InetAddress} and Guava do); others unchanged. */
    public Ip unmapped() {
        return isMapped() ? v4(lo) : this;
    }

    public byte[] bytes() {
        byte[] b = new byte[v6 ? 16 : 4];
        if (v6) {
            for (int i = 0; i < 8; i++) {
                b[i] = (byte) (hi >>> (56 - 8 * i));
                b[i + 8] = (byte) (lo >>> (56 - 8 * i));
            }
        } else {
            for (int i = 0; i < 4; i++) {
                b[i] = (byte) (lo >>> (24 - 8 * i));
            }
        }
        return b;
    }

    /** Adds a signed delta (wrapping within the family). */
    public Ip plus(long delta) {
        if (!v6) {
            return v4(lo + delta);
        }
        long nlo = lo + delta;
        long carry;
        if (delta >= 0) {
            carry = Long.compareUnsigned(nlo, lo) < 0 ? 1 : 0;
        } else {
            carry = Long.compareUnsigned(nlo, lo) > 0 ? -1 : 0;
        }
        return v6(hi + carry, nlo);
    }

    @Override
    public String toString() {
        return v6 ? String.format("v6(%016x:%016x)", hi, lo) : String.format("v4(%08x)", lo);
    }
}
