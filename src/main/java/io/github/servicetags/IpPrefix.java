package io.github.servicetags;

import io.github.servicetags.internal.IpText;
import io.github.servicetags.internal.Strings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * An IPv4 or IPv6 network prefix (CIDR block): an immutable value.
 *
 * <pre>{@code
 * IpPrefix p = IpPrefix.parse("13.69.112.0/28");
 * p.contains("13.69.112.9")        // true
 * p.toString()                      // "13.69.112.0/28"
 * IpPrefix.parse("2001:DB8:0::/32") // 2001:db8::/32 (canonical, RFC 5952)
 * IpPrefix.tryParse("10.0.0.1/8")   // Optional.empty(): host bits are set
 * }</pre>
 *
 * <p>Parsing is strict (see the class documentation of {@link ServiceTags}) and never resolves names. Prefixes order
 * IPv4 before IPv6, then by address, then by length. IPv4 addresses are held as unsigned values in {@link #low()};
 * IPv6 addresses as two 64-bit halves {@link #high()} and {@link #low()}.
 */
public final class IpPrefix implements Comparable<IpPrefix> {
    private final long high;
    private final long low;
    private final int length; // not a byte: 128 would wrap to -128
    private final boolean v6;

    private IpPrefix(boolean v6, long high, long low, int length) {
        this.v6 = v6;
        this.high = high;
        this.low = low;
        this.length = length;
    }

    /**
     * Parses canonical or non-canonical CIDR text such as {@code "10.0.0.0/8"} or {@code "2603:1000::/40"}.
     *
     * @throws IllegalArgumentException quoting the input when it is null or not a valid prefix, including when host
     *     bits are set after the length (the message suggests the network address)
     */
    public static IpPrefix parse(String cidr) {
        IpPrefix p = cidr == null ? null : parseOrNull(cidr);
        if (p == null) {
            throw new IllegalArgumentException(whyInvalid(cidr));
        }
        return p;
    }

    /** Like {@link #parse(String)} but returns {@link Optional#empty()} instead of throwing. */
    public static Optional<IpPrefix> tryParse(String cidr) {
        return Optional.ofNullable(cidr == null ? null : parseOrNull(cidr));
    }

    /**
     * Creates an IPv4 prefix from its network address and length.
     *
     * @throws IllegalArgumentException if the length is outside 0..32 or host bits are set
     */
    public static IpPrefix ofIPv4(int address, int length) {
        if (length < 0 || length > 32) {
            throw new IllegalArgumentException("IPv4 prefix length must be 0..32, got " + length);
        }
        long a = Integer.toUnsignedLong(address);
        if ((a & hostMask32(length)) != 0) {
            throw new IllegalArgumentException("host bits set in " + IpText.formatIPv4(address) + "/" + length
                    + "; did you mean " + IpText.formatIPv4((int) (a & ~hostMask32(length))) + "/" + length + "?");
        }
        return new IpPrefix(false, 0, a, length);
    }

    /**
     * Creates an IPv6 prefix from the two halves of its network address and its length.
     *
     * @throws IllegalArgumentException if the length is outside 0..128 or host bits are set
     */
    public static IpPrefix ofIPv6(long high, long low, int length) {
        if (length < 0 || length > 128) {
            throw new IllegalArgumentException("IPv6 prefix length must be 0..128, got " + length);
        }
        if ((high & hostMaskHigh(length)) != 0 || (low & hostMaskLow(length)) != 0) {
            throw new IllegalArgumentException("host bits set in " + IpText.formatIPv6(high, low) + "/" + length
                    + "; did you mean " + IpText.formatIPv6(high & ~hostMaskHigh(length), low & ~hostMaskLow(length))
                    + "/" + length + "?");
        }
        return new IpPrefix(true, high, low, length);
    }

    private static IpPrefix parseOrNull(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            return null;
        }
        int length = parseLength(cidr, slash + 1);
        if (length < 0) {
            return null;
        }
        long v4 = IpText.parseIPv4(cidr, 0, slash);
        if (v4 != IpText.INVALID) {
            if (length > 32 || (v4 & hostMask32(length)) != 0) {
                return null;
            }
            return new IpPrefix(false, 0, v4, length);
        }
        long[] a = new long[2];
        if (!IpText.parseIPv6(cidr, 0, slash, a) || length > 128
                || (a[0] & hostMaskHigh(length)) != 0 || (a[1] & hostMaskLow(length)) != 0) {
            return null;
        }
        return new IpPrefix(true, a[0], a[1], length);
    }

    /** Decimal 0..128 without sign or leading zero; -1 when malformed. */
    private static int parseLength(String s, int from) {
        int n = s.length() - from;
        if (n < 1 || n > 3 || (n > 1 && s.charAt(from) == '0')) {
            return -1;
        }
        int v = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v <= 128 ? v : -1;
    }

    private static String whyInvalid(String cidr) {
        if (cidr == null) {
            return "CIDR text is null";
        }
        String q = Strings.quote(cidr);
        for (int i = 0; i < cidr.length(); i++) {
            char c = cidr.charAt(i);
            if (Character.isWhitespace(c)) {
                return q + " is not a CIDR prefix: it contains whitespace";
            }
            if (c < 0x20 || c == 0x7f) {
                return q + " is not a CIDR prefix: it contains a control character at index " + i;
            }
        }
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            return q + " is not a CIDR prefix: missing '/length' (e.g. 10.0.0.0/8)";
        }
        String addr = cidr.substring(0, slash);
        String len = cidr.substring(slash + 1);
        long v4 = IpText.parseIPv4(addr);
        long[] a = new long[2];
        boolean isV6 = v4 == IpText.INVALID && IpText.parseIPv6(addr, a);
        if (v4 == IpText.INVALID && !isV6) {
            return q + " is not a CIDR prefix: " + IpText.whyInvalid(addr);
        }
        int length = parseLength(cidr, slash + 1);
        int max = isV6 ? 128 : 32;
        if (length < 0 || length > max) {
            return q + " is not a CIDR prefix: the length '" + Strings.printable(len)
                    + "' must be a decimal number 0.." + max + " without sign or leading zero";
        }
        return "host bits set in " + q + "; did you mean " + (isV6
                ? IpText.formatIPv6(a[0] & ~hostMaskHigh(length), a[1] & ~hostMaskLow(length))
                : IpText.formatIPv4((int) (v4 & ~hostMask32(length)))) + "/" + length + "?";
    }

    static long hostMask32(int length) {
        return length == 0 ? 0xffffffffL : (1L << (32 - length)) - 1;
    }

    static long hostMaskHigh(int length) {
        return length >= 64 ? 0 : (length == 0 ? -1L : (-1L >>> length));
    }

    static long hostMaskLow(int length) {
        return length <= 64 ? -1L : (length == 128 ? 0 : (-1L >>> (length - 64)));
    }

    /** Returns the address family. */
    public IpFamily family() {
        return v6 ? IpFamily.IPV6 : IpFamily.IPV4;
    }

    /** Returns the prefix length: 0..32 for IPv4, 0..128 for IPv6. */
    public int length() {
        return length;
    }

    /** Returns the high 64 bits of an IPv6 network address; 0 for IPv4. */
    public long high() {
        return high;
    }

    /** Returns the low 64 bits of an IPv6 network address, or the IPv4 network address as an unsigned value. */
    public long low() {
        return low;
    }

    /**
     * Returns the IPv4 network address as an {@code int}.
     *
     * @throws IllegalStateException for an IPv6 prefix
     */
    public int ipv4() {
        if (v6) {
            throw new IllegalStateException(this + " is an IPv6 prefix");
        }
        return (int) low;
    }

    /** Returns the high 64 bits of the last address in this prefix (0 for IPv4). */
    public long lastHigh() {
        return v6 ? high | hostMaskHigh(length) : 0;
    }

    /** Returns the low 64 bits of the last address (for IPv4: the last address as an unsigned value). */
    public long lastLow() {
        return v6 ? low | hostMaskLow(length) : low | hostMask32(length);
    }

    /** Returns true if every address of {@code other} is in this prefix (families must match). */
    public boolean contains(IpPrefix other) {
        if (other.v6 != v6 || other.length < length) {
            return false;
        }
        if (!v6) {
            return (other.low & ~hostMask32(length)) == low;
        }
        return (other.high & ~hostMaskHigh(length)) == high && (other.low & ~hostMaskLow(length)) == low;
    }

    /** Returns true if the address is in this prefix. An IPv4-mapped IPv6 address counts as its IPv4 address. */
    public boolean contains(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return !v6 && containsIPv4(bytesToLong(b, 0, 4));
        }
        long hi = bytesToLong(b, 0, 8);
        long lo = bytesToLong(b, 8, 8);
        if (hi == 0 && (lo >>> 32) == 0xffffL) {
            return !v6 && containsIPv4(lo & 0xffffffffL);
        }
        return v6 && containsIPv6(hi, lo);
    }

    /**
     * Returns true if the address text is in this prefix.
     *
     * @throws IllegalArgumentException if {@code ip} is null or not a valid address
     */
    public boolean contains(String ip) {
        if (ip == null) {
            throw new IllegalArgumentException(IpText.whyInvalid(null));
        }
        long v4 = IpText.parseIPv4(ip);
        if (v4 != IpText.INVALID) {
            return !v6 && containsIPv4(v4);
        }
        long[] a = new long[2];
        if (!IpText.parseIPv6(ip, a)) {
            throw new IllegalArgumentException(IpText.whyInvalid(ip));
        }
        if (a[0] == 0 && (a[1] >>> 32) == 0xffffL) {
            return !v6 && containsIPv4(a[1] & 0xffffffffL);
        }
        return v6 && containsIPv6(a[0], a[1]);
    }

    private boolean containsIPv4(long unsigned) {
        return (unsigned & ~hostMask32(length)) == low;
    }

    private boolean containsIPv6(long hi, long lo) {
        return (hi & ~hostMaskHigh(length)) == high && (lo & ~hostMaskLow(length)) == low;
    }

    static long bytesToLong(byte[] b, int off, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }

    /** Returns the network address (no name lookup is made). */
    public InetAddress address() {
        byte[] b = new byte[v6 ? 16 : 4];
        if (v6) {
            for (int i = 0; i < 8; i++) {
                b[i] = (byte) (high >>> (56 - 8 * i));
                b[i + 8] = (byte) (low >>> (56 - 8 * i));
            }
        } else {
            for (int i = 0; i < 4; i++) {
                b[i] = (byte) (low >>> (24 - 8 * i));
            }
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // cannot happen for 4 or 16 bytes
        }
    }

    @Override
    public int compareTo(IpPrefix o) {
        if (v6 != o.v6) {
            return v6 ? 1 : -1;
        }
        int c = Long.compareUnsigned(high, o.high);
        if (c == 0) {
            c = Long.compareUnsigned(low, o.low);
        }
        return c != 0 ? c : Integer.compare(length, o.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpPrefix p && p.v6 == v6 && p.high == high && p.low == low && p.length == length;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(high * 31 + low) * 31 + length + (v6 ? 1 : 0);
    }

    /** Returns the canonical CIDR text: {@code "10.0.0.0/8"}, {@code "2603:1000::/40"}. */
    @Override
    public String toString() {
        return (v6 ? IpText.formatIPv6(high, low) : IpText.formatIPv4((int) low)) + "/" + length;
    }
}
