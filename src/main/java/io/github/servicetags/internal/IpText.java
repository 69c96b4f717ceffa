package io.github.servicetags.internal;

/**
 * Strict, allocation-free parsing and canonical formatting of IP address text.
 *
 * <p>Accepted: ASCII dotted quads without leading zeros, and RFC 4291 IPv6 text (with an embedded dotted quad in
 * the last 32 bits). Refused: octal, hex and shortened IPv4 ({@code 010.1.1.1}, {@code 0x7f.1}, {@code 1.2.3}),
 * non-ASCII digits, zone ids, whitespace, brackets. Nothing here ever resolves a name.
 *
 * <p>IPv4 results are returned as {@code long} holding the unsigned address, or {@code -1} for invalid text, so the
 * lookup path needs no exception and no object. IPv6 results are written into a caller-provided {@code long[2]}.
 */
public final class IpText {
    /** Returned by {@link #parseIPv4} for text that is not a strict dotted quad. */
    public static final long INVALID = -1L;

    private IpText() {}

    /** Parses a whole string as a dotted quad; returns the unsigned address or {@link #INVALID}. */
    public static long parseIPv4(CharSequence s) {
        return parseIPv4(s, 0, s.length());
    }

    /** Parses {@code s[from, to)} as a dotted quad; returns the unsigned address or {@link #INVALID}. */
    public static long parseIPv4(CharSequence s, int from, int to) {
        if (to - from < 7 || to - from > 15) {
            return INVALID;
        }
        long result = 0;
        int parts = 0;
        int i = from;
        while (true) {
            int start = i;
            int value = 0;
            while (i < to) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    break;
                }
                value = value * 10 + (c - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && s.charAt(start) == '0')) {
                return INVALID;
            }
            result = (result << 8) | value;
            parts++;
            if (i == to) {
                return parts == 4 ? result : INVALID;
            }
            if (parts == 4 || s.charAt(i) != '.') {
                return INVALID;
            }
            i++;
        }
    }

    /**
     * Parses the bytes {@code b[from, to)} as a dotted quad, exactly as {@link #parseIPv4(CharSequence, int, int)}
     * parses the same bytes read as ISO-8859-1 characters (any byte outside ASCII is refused): the streaming lookup
     * parses its input buffer in place with it. Returns the unsigned address or {@link #INVALID}.
     */
    public static long parseIPv4(byte[] b, int from, int to) {
        if (to - from < 7 || to - from > 15) {
            return INVALID;
        }
        long result = 0;
        int parts = 0;
        int i = from;
        while (true) {
            int start = i;
            int value = 0;
            while (i < to) {
                int d = b[i] - '0';
                if (d < 0 || d > 9) {
                    break;
                }
                value = value * 10 + d;
                i++;
            }
            int digits = i - start;
            if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && b[start] == '0')) {
                return INVALID;
            }
            result = (result << 8) | value;
            parts++;
            if (i == to) {
                return parts == 4 ? result : INVALID;
            }
            if (parts == 4 || b[i] != '.') {
                return INVALID;
            }
            i++;
        }
    }

    /**
     * Parses a whole string as IPv6 text into {@code out[0]} (high 64 bits) and {@code out[1]} (low 64 bits).
     *
     * @return true when the text is valid; {@code out} is unspecified otherwise
     */
    public static boolean parseIPv6(CharSequence s, long[] out) {
        return parseIPv6(s, 0, s.length(), out);
    }

    /** Parses {@code s[from, to)} as IPv6 text; see {@link #parseIPv6(CharSequence, long[])}. */
    public static boolean parseIPv6(CharSequence s, int from, int to, long[] out) {
        int len = to - from;
        if (len < 2 || len > 45) {
            return false;
        }
        long hi = 0;
        long lo = 0;
        int groups = 0;
        int gap = -1; // number of groups before "::"
        int i = from;
        if (s.charAt(i) == ':') {
            if (s.charAt(i + 1) != ':') {
                return false;
            }
            gap = 0;
            i += 2;
            if (i == to) {
                out[0] = 0;
                out[1] = 0;
                return true;
            }
        }
        while (true) {
            int start = i;
            int value = 0;
            while (i < to && i - start < 5) {
                int d = hexDigit(s.charAt(i));
                if (d < 0) {
                    break;
                }
                value = (value << 4) | d;
                i++;
            }
            int digits = i - start;
            if (i < to && s.charAt(i) == '.') {
                // embedded dotted quad: takes the last 32 bits
                if (groups > 6) {
                    return false;
                }
                long v4 = parseIPv4(s, start, to);
                if (v4 == INVALID) {
                    return false;
                }
                hi = (hi << 32) | (lo >>> 32);
                lo = (lo << 32) | v4;
                groups += 2;
                i = to;
                break;
            }
            if (digits == 0 || digits > 4 || groups == 8) {
                return false;
            }
            hi = (hi << 16) | (lo >>> 48);
            lo = (lo << 16) | value;
            groups++;
            if (i == to) {
                break;
            }
            if (s.charAt(i) != ':') {
                return false;
            }
            i++;
            if (i < to && s.charAt(i) == ':') {
                if (gap >= 0) {
                    return false;
                }
                gap = groups;
                i++;
                if (i == to) {
                    break;
                }
            } else if (i == to) {
                return false; // trailing single colon
            }
        }
        return place(hi, lo, groups, gap, out);
    }

    /**
     * Parses the bytes {@code b[from, to)} as IPv6 text, exactly as {@link #parseIPv6(CharSequence, int, int, long[])}
     * parses the same bytes read as ISO-8859-1 characters (any byte outside ASCII is refused).
     */
    public static boolean parseIPv6(byte[] b, int from, int to, long[] out) {
        int len = to - from;
        if (len < 2 || len > 45) {
            return false;
        }
        long hi = 0;
        long lo = 0;
        int groups = 0;
        int gap = -1; // number of groups before "::"
        int i = from;
        if (b[i] == ':') {
            if (b[i + 1] != ':') {
                return false;
            }
            gap = 0;
            i += 2;
            if (i == to) {
                out[0] = 0;
                out[1] = 0;
                return true;
            }
        }
        while (true) {
            int start = i;
            int value = 0;
            while (i < to && i - start < 5) {
                int d = hexDigit(b[i]);
                if (d < 0) {
                    break;
                }
                value = (value << 4) | d;
                i++;
            }
            int digits = i - start;
            if (i < to && b[i] == '.') {
                // embedded dotted quad: takes the last 32 bits
                if (groups > 6) {
                    return false;
                }
                long v4 = parseIPv4(b, start, to);
                if (v4 == INVALID) {
                    return false;
                }
                hi = (hi << 32) | (lo >>> 32);
                lo = (lo << 32) | v4;
                groups += 2;
                break;
            }
            if (digits == 0 || digits > 4 || groups == 8) {
                return false;
            }
            hi = (hi << 16) | (lo >>> 48);
            lo = (lo << 16) | value;
            groups++;
            if (i == to) {
                break;
            }
            if (b[i] != ':') {
                return false;
            }
            i++;
            if (i < to && b[i] == ':') {
                if (gap >= 0) {
                    return false;
                }
                gap = groups;
                i++;
                if (i == to) {
                    break;
                }
            } else if (i == to) {
                return false; // trailing single colon
            }
        }
        return place(hi, lo, groups, gap, out);
    }

    /**
     * The end of both IPv6 parses: {@code hi:lo} holds the {@code groups} groups read (the last in the low bits),
     * {@code gap} of them before {@code "::"} (or -1 without one); checks the count and writes the address.
     */
    private static boolean place(long hi, long lo, int groups, int gap, long[] out) {
        if (gap < 0) {
            if (groups != 8) {
                return false;
            }
        } else {
            if (groups > 7) {
                return false;
            }
            // acc holds `groups` groups; move the `gap` groups before "::" to the top.
            int tailBits = (groups - gap) * 16;
            long tailHi = tailBits >= 64 ? hi & mask(tailBits - 64) : 0;
            long tailLo = tailBits >= 64 ? lo : lo & mask(tailBits);
            // head = acc >>> tailBits
            long headHi;
            long headLo;
            if (tailBits == 0) {
                headHi = hi;
                headLo = lo;
            } else if (tailBits < 64) {
                headLo = (lo >>> tailBits) | (hi << (64 - tailBits));
                headHi = hi >>> tailBits;
            } else {
                headLo = tailBits == 64 ? hi : hi >>> (tailBits - 64);
                headHi = 0;
            }
            // head << (128 - gap*16)
            int shift = 128 - gap * 16;
            if (gap == 0) {
                headHi = 0;
                headLo = 0;
            } else if (shift >= 64) {
                headHi = headLo << (shift - 64);
                headLo = 0;
            } else {
                headHi = (headHi << shift) | (headLo >>> (64 - shift));
                headLo = headLo << shift;
            }
            hi = headHi | tailHi;
            lo = headLo | tailLo;
        }
        out[0] = hi;
        out[1] = lo;
        return true;
    }

    private static long mask(int bits) {
        return bits >= 64 ? -1L : (1L << bits) - 1;
    }

    /** The value of an ASCII hex digit (a char, or a byte: negative bytes are not digits), or -1. */
    private static int hexDigit(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** Formats an IPv4 address as a dotted quad. */
    public static String formatIPv4(int address) {
        return new StringBuilder(15)
                .append(address >>> 24).append('.')
                .append((address >>> 16) & 0xff).append('.')
                .append((address >>> 8) & 0xff).append('.')
                .append(address & 0xff)
                .toString();
    }

    /**
     * Formats an IPv6 address in the RFC 5952 canonical form: lower case, no leading zeros, the longest run of two
     * or more zero groups (the first on a tie) written as {@code ::}. IPv4-mapped addresses keep their dotted quad
     * ({@code ::ffff:1.2.3.4}).
     */
    public static String formatIPv6(long high, long low) {
        if (high == 0 && (low >>> 32) == 0xffffL) {
            return "::ffff:" + formatIPv4((int) low);
        }
        int[] g = new int[8];
        for (int k = 0; k < 4; k++) {
            g[k] = (int) (high >>> (48 - 16 * k)) & 0xffff;
            g[k + 4] = (int) (low >>> (48 - 16 * k)) & 0xffff;
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int k = 0; k < 8; ) {
            if (g[k] != 0) {
                k++;
                continue;
            }
            int start = k;
            while (k < 8 && g[k] == 0) {
                k++;
            }
            if (k - start > bestLen) {
                bestStart = start;
                bestLen = k - start;
            }
        }
        StringBuilder sb = new StringBuilder(39);
        for (int k = 0; k < 8; k++) {
            if (k == bestStart) {
                sb.append("::");
                k += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[k]));
        }
        return sb.toString();
    }

    /**
     * Explains why {@code text} is not a valid IP address, for error messages. Only called on the error path. The
     * text is quoted with control and non-ASCII characters escaped, and cut when very long.
     */
    public static String whyInvalid(String text) {
        if (text == null) {
            return "IP text is null";
        }
        if (text.isEmpty()) {
            return "empty text is not an IP address";
        }
        String q = Strings.quote(text);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                return q + " contains whitespace";
            }
            if (c > 127) {
                return q + " contains a non-ASCII character at index " + i;
            }
            if (c < 0x20 || c == 0x7f) {
                return q + " contains a control character at index " + i;
            }
        }
        if (text.indexOf('%') >= 0) {
            return q + " has a zone id; zone ids are not accepted";
        }
        if (text.indexOf('/') >= 0) {
            return q + " is a CIDR prefix, not an address";
        }
        if (text.indexOf('[') >= 0 || text.indexOf(']') >= 0) {
            return q + " has brackets; write the address without [ ]";
        }
        if (text.indexOf(':') < 0) {
            for (int i = 0; i < text.length(); i++) {
                char c = (char) (text.charAt(i) | 0x20);
                if (c >= 'g' && c <= 'z' && c != 'x') {
                    return q + " is a name, not an IP address; names are never resolved";
                }
            }
            String v4 = whyInvalidIPv4(text);
            return v4 != null ? q + v4 : q + " is not an IPv4 or IPv6 address";
        }
        return q + whyInvalidIPv6(text);
    }

    /** The reason (starting with a space) why colon-free text is not a dotted quad, or null when unknown. */
    private static String whyInvalidIPv4(String text) {
        if (text.startsWith("0x") || text.startsWith("0X") || text.contains(".0x") || text.contains(".0X")) {
            return " uses hexadecimal; only decimal dotted quads are accepted";
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return " is not an IP address: an IPv4 address has 4 dot-separated decimal parts, found " + parts.length;
        }
        for (String p : parts) {
            if (p.isEmpty()) {
                return " has an empty part";
            }
            boolean digits = !p.isEmpty() && p.chars().allMatch(ch -> ch >= '0' && ch <= '9');
            if (digits && p.length() > 1 && p.charAt(0) == '0') {
                return " has a leading zero in '" + Strings.printable(p) + "' (ambiguous: octal in some tools); write it without leading zeros";
            }
            if (digits && (p.length() > 3 || Integer.parseInt(p) > 255)) {
                return " has a part out of range: " + Strings.printable(p) + " > 255";
            }
        }
        return null;
    }

    /** The reason (starting with a space) why text with a colon is not IPv6 text. */
    private static String whyInvalidIPv6(String text) {
        if (text.contains(":::")) {
            return " contains ':::'";
        }
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            return " uses '::' more than once";
        }
        int dot = text.indexOf('.');
        if (dot >= 0) {
            if (text.indexOf(':', dot) >= 0) {
                return " has an embedded IPv4 address that is not at the end (it must be the last 32 bits)";
            }
            String tail = text.substring(text.lastIndexOf(':') + 1);
            if (parseIPv4(tail) == INVALID) {
                String why = whyInvalidIPv4(tail);
                return " has an invalid embedded IPv4 address '" + Strings.printable(tail) + "'"
                        + (why == null ? "" : ": it" + why);
            }
        }
        if ((text.startsWith(":") && !text.startsWith("::")) || (text.endsWith(":") && !text.endsWith("::"))) {
            return " starts or ends with a single ':'";
        }
        int groups = 0;
        String[] parts = text.split(":", -1);
        for (String p : parts) {
            if (p.isEmpty()) {
                continue;
            }
            if (p.indexOf('.') >= 0) {
                groups += 2;
                continue;
            }
            groups++;
            if (p.length() > 4 && p.chars().allMatch(ch -> hexDigit((char) ch) >= 0)) {
                return " has a group of more than 4 hex digits: '" + Strings.printable(p) + "'";
            }
            if (!p.chars().allMatch(ch -> hexDigit((char) ch) >= 0)) {
                return " has a group that is not hexadecimal: '" + Strings.printable(p) + "'";
            }
        }
        if (gap < 0 && groups != 8) {
            return " has " + groups + " groups; an IPv6 address has 8, or fewer with '::'";
        }
        if (gap >= 0 && groups > 7) {
            return " has " + groups + " groups and '::'; an IPv6 address has at most 8 groups";
        }
        return " is not an IPv4 or IPv6 address";
    }
}
