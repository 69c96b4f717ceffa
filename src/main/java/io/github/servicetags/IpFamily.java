package io.github.servicetags;

/**
 * The address family of an {@link IpPrefix} or address.
 *
 * <pre>{@code
 * IpPrefix.parse("2603:1000::/40").family()   // IPV6
 * }</pre>
 */
public enum IpFamily {
    /** IPv4, 32-bit addresses. */
    IPV4(32),
    /** IPv6, 128-bit addresses. */
    IPV6(128);

    private final int bits;

    IpFamily(int bits) {
        this.bits = bits;
    }

    /** Returns the number of bits in an address of this family: 32 or 128. */
    public int bits() {
        return bits;
    }
}
