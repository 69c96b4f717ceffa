package io.github.servicetags.testing;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Random;

/**
 * Random addresses and the many ways to write them, plus mutations into near-miss garbage. Written without the code
 * under test so that it can serve as an independent generator for differential and property tests.
 */
public final class IpForms {
    /** Characters that mutations insert: syntax, near-syntax, whitespace, and non-ASCII digits and letters. */
    static final String ALPHABET = "0123456789abcdefABCDEF.:/%[]xXgG-+_ \t\n"
            + "\u0000\u0660\u0661\u06f1\u0966\uff10\uff11\uff41\u00b9\u00a0\u2003\u3002\uff0e\uff1a";

    private IpForms() {}

    public static Ip randomV4(Random r) {
        if (r.nextInt(4) == 0) {
            return Ip.v4(r.nextInt());
        }
        long a = 0;
        for (int i = 0; i < 4; i++) {
            a = (a << 8) | octet(r);
        }
        return Ip.v4(a);
    }

    private static int octet(Random r) {
        switch (r.nextInt(8)) {
            case 0: return 0;
            case 1: return 255;
            case 2: return r.nextInt(10);
            case 3: return 10 + r.nextInt(90);
            default: return r.nextInt(256);
        }
    }

    public static Ip randomV6(Random r) {
        switch (r.nextInt(10)) {
            case 0:
                return Ip.v6(r.nextLong(), r.nextLong());
            case 1:
                return Ip.v6(0, 0xffff00000000L | (randomV4(r).lo())); // IPv4-mapped
            case 2:
                return Ip.v6(0, r.nextInt(3) == 0 ? r.nextInt(65536) : randomV4(r).lo()); // ::1, ::a.b.c.d
            default:
                long hi = 0;
                long lo = 0;
                for (int i = 0; i < 8; i++) {
                    int g;
                    switch (r.nextInt(8)) {
                        case 0: case 1: case 2: g = 0; break;
                        case 3: g = 0xffff; break;
                        case 4: g = r.nextInt(16); break;
                        default: g = r.nextInt(65536);
                    }
                    if (i < 4) {
                        hi = (hi << 16) | g;
                    } else {
                        lo = (lo << 16) | g;
                    }
                }
                return Ip.v6(hi, lo);
        }
    }

    public static Ip random(Random r) {
        return r.nextInt(3) == 0 ? randomV4(r) : randomV6(r);
    }

    /** The dotted quad of the low 32 bits. */
    public static String dotted(long a) {
        return ((a >>> 24) & 0xff) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
    }

    static int[] groups(long hi, long lo) {
        int[] g = new int[8];
        for (int k = 0; k < 4; k++) {
            g[k] = (int) (hi >>> (48 - 16 * k)) & 0xffff;
            g[k + 4] = (int) (lo >>> (48 - 16 * k)) & 0xffff;
        }
        return g;
    }

    /** A valid text form of {@code ip}, chosen at random: any zero run (or none) compressed, any case, padding. */
    public static String format(Ip ip, Random r) {
        if (!ip.v6()) {
            return dotted(ip.lo());
        }
        int[] g = groups(ip.hi(), ip.lo());
        boolean embedded = r.nextInt(4) == 0 || (ip.isMapped() && r.nextBoolean());
        int units = embedded ? 7 : 8;
        String[] parts = new String[units];
        int caseStyle = r.nextInt(4); // 0 lower, 1 upper, 2 mixed per group, 3 lower
        boolean pad = r.nextInt(4) == 0;
        for (int k = 0; k < (embedded ? 6 : 8); k++) {
            String h = Integer.toHexString(g[k]);
            if (pad || r.nextInt(10) == 0) {
                h = "0000".substring(h.length()) + h;
            }
            if (caseStyle == 1 || (caseStyle == 2 && r.nextBoolean())) {
                h = h.toUpperCase(java.util.Locale.ROOT);
            }
            parts[k] = h;
        }
        if (embedded) {
            parts[6] = dotted(ip.lo());
        }
        // pick a run of zero groups among the hex units to compress (not necessarily the longest), or none
        int hexUnits = embedded ? 6 : 8;
        int cs = -1;
        int ce = -1;
        if (r.nextInt(5) != 0) {
            int tries = 8;
            while (tries-- > 0 && cs < 0) {
                int s = r.nextInt(hexUnits);
                if (g[s] != 0) {
                    continue;
                }
                int e = s;
                while (e < hexUnits && g[e] == 0 && (e == s || r.nextInt(6) != 0)) {
                    e++;
                }
                cs = s;
                ce = e;
            }
        }
        if (cs < 0) {
            return String.join(":", parts);
        }
        return String.join(":", java.util.Arrays.copyOfRange(parts, 0, cs)) + "::"
                + String.join(":", java.util.Arrays.copyOfRange(parts, ce, units));
    }

    /** One to three random edits: insert, delete, replace, duplicate, swap, truncate. */
    public static String mutate(String s, Random r) {
        StringBuilder sb = new StringBuilder(s);
        int edits = 1 + r.nextInt(3);
        for (int n = 0; n < edits; n++) {
            int len = sb.length();
            int at = len == 0 ? 0 : r.nextInt(len);
            switch (r.nextInt(7)) {
                case 0:
                case 1:
                    sb.insert(r.nextInt(len + 1), ALPHABET.charAt(r.nextInt(ALPHABET.length())));
                    break;
                case 2:
                    if (len > 0) {
                        sb.deleteCharAt(at);
                    }
                    break;
                case 3:
                    if (len > 0) {
                        sb.setCharAt(at, ALPHABET.charAt(r.nextInt(ALPHABET.length())));
                    }
                    break;
                case 4:
                    if (len > 0) {
                        int to = at + 1 + r.nextInt(Math.min(6, len - at));
                        sb.insert(at, sb.substring(at, to));
                    }
                    break;
                case 5:
                    if (len > 1 && at + 1 < len) {
                        char c = sb.charAt(at);
                        sb.setCharAt(at, sb.charAt(at + 1));
                        sb.setCharAt(at + 1, c);
                    }
                    break;
                default:
                    if (len > 0) {
                        sb.setLength(r.nextBoolean() ? at : len - 1);
                    }
            }
        }
        return sb.toString();
    }

    /** Short random strings over the syntax alphabet. */
    public static String garbage(Random r) {
        int n = r.nextInt(r.nextInt(8) == 0 ? 48 : 16);
        StringBuilder sb = new StringBuilder(n);
        String alpha = r.nextBoolean() ? "0123456789.:" : ALPHABET;
        for (int i = 0; i < n; i++) {
            sb.append(alpha.charAt(r.nextInt(alpha.length())));
        }
        return sb.toString();
    }

    /** A mix of valid forms, mutations of valid forms, and garbage. */
    public static String anyText(Random r) {
        int k = r.nextInt(20);
        if (k < 9) {
            return format(random(r), r);
        }
        if (k < 17) {
            return mutate(format(random(r), r), r);
        }
        return garbage(r);
    }

    /**
     * The address as an {@code InetAddress}, without DNS. IPv6 is always an {@code Inet6Address}, even IPv4-mapped
     * (which {@code InetAddress.getByAddress} would turn into an {@code Inet4Address}).
     */
    public static InetAddress inet(Ip ip) {
        try {
            return ip.v6() ? Inet6Address.getByAddress(null, ip.bytes(), -1) : InetAddress.getByAddress(ip.bytes());
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Calls {@code check} with every string of length 0 to {@code maxLength} over {@code alphabet}. */
    public static void forEveryString(String alphabet, int maxLength, java.util.function.Consumer<String> check) {
        char[] buf = new char[maxLength];
        for (int len = 0; len <= maxLength; len++) {
            int[] digits = new int[len];
            while (true) {
                for (int i = 0; i < len; i++) {
                    buf[i] = alphabet.charAt(digits[i]);
                }
                check.accept(new String(buf, 0, len));
                int i = len - 1;
                while (i >= 0 && ++digits[i] == alphabet.length()) {
                    digits[i--] = 0;
                }
                if (i < 0) {
                    break;
                }
            }
        }
    }
}
