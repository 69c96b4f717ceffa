package io.github.servicetags.spark;

import org.apache.spark.unsafe.types.UTF8String;

/**
 * A fast path for the common case: a plain dotted quad read straight from Spark's UTF-8 bytes, so that an IPv4 row
 * needs no {@code String}. It accepts only what the library's strict parser accepts with the same meaning (four
 * ASCII decimal octets 0..255 without leading zeros, nothing else); anything else, IPv6 included, goes to
 * {@code ServiceTags.lookup(String)}, which decides. So the fast path can be slower to say yes, never wrong.
 */
final class Utf8Ip {
    /** Returned by {@link #parseIPv4} when the text is not a plain dotted quad. */
    static final long NOT_IPV4 = -1;

    private Utf8Ip() {}

    /** Returns the address as an unsigned value in the low 32 bits, or {@link #NOT_IPV4}. */
    static long parseIPv4(UTF8String s) {
        int n = s.numBytes();
        if (n < 7 || n > 15) {
            return NOT_IPV4;
        }
        long address = 0;
        int i = 0;
        for (int octet = 0; octet < 4; octet++) {
            if (octet > 0) {
                if (i >= n || s.getByte(i) != '.') {
                    return NOT_IPV4;
                }
                i++;
            }
            int start = i;
            int value = 0;
            while (i < n) {
                int c = s.getByte(i);
                if (c < '0' || c > '9') {
                    break;
                }
                value = value * 10 + (c - '0');
                i++;
                if (i - start > 3) {
                    return NOT_IPV4;
                }
            }
            int digits = i - start;
            if (digits == 0 || value > 255 || (digits > 1 && s.getByte(start) == '0')) {
                return NOT_IPV4;
            }
            address = (address << 8) | value;
        }
        return i == n ? address : NOT_IPV4;
    }

    /**
     * Returns false when the text cannot be an address in any form the library accepts: empty, longer than the
     * longest IPv6 text (45 bytes), or with a byte other than a hex digit, {@code ':'} or {@code '.'} (whitespace,
     * zone ids, prefixes, names, non-ASCII digits). True means only "ask the library".
     */
    static boolean mayBeAddress(UTF8String s) {
        int n = s.numBytes();
        if (n == 0 || n > 45) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            int c = s.getByte(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':'
                    || c == '.';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
