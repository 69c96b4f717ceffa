package io.github.servicetags.catalog;

import io.github.servicetags.internal.Strings;

/**
 * An inclusive range of TCP or UDP ports, 1 to 65535; a single port is a range of one.
 *
 * <pre>{@code
 * PortRange.parse("443")            // returns 443
 * PortRange.parse("49152-65535")    // returns 49152-65535, count() 16384
 * }</pre>
 *
 * @param from first port, 1 to 65535
 * @param to last port, {@code from} to 65535
 */
public record PortRange(int from, int to) implements Comparable<PortRange> {

    /** Validates the range. */
    public PortRange {
        if (from < 1 || from > 65535) {
            throw new IllegalArgumentException("port " + from + " is out of range 1-65535");
        }
        if (to < 1 || to > 65535) {
            throw new IllegalArgumentException("port " + to + " is out of range 1-65535");
        }
        if (from > to) {
            throw new IllegalArgumentException("port range " + from + "-" + to + " is reversed; did you mean "
                    + to + "-" + from + "?");
        }
    }

    /** Returns the range holding the single port {@code port}. */
    public static PortRange of(int port) {
        return new PortRange(port, port);
    }

    /**
     * Parses {@code "443"} or {@code "49152-65535"}: ASCII decimal without sign, spaces or leading zeros.
     *
     * @throws IllegalArgumentException quoting the input
     */
    public static PortRange parse(String text) {
        int dash = text.indexOf('-');
        try {
            if (dash < 0) {
                int p = number(text);
                return new PortRange(p, p);
            }
            return new PortRange(number(text.substring(0, dash)), number(text.substring(dash + 1)));
        } catch (IllegalArgumentException e) {
            String why = e.getMessage();
            throw new IllegalArgumentException("invalid port " + Strings.quote(text)
                    + (why == null ? "" : ": " + why), e);
        }
    }

    private static int number(String s) {
        if (s.isEmpty() || s.length() > 5) {
            throw new IllegalArgumentException("expected a port 1-65535 or a range like 49152-65535");
        }
        if (s.length() > 1 && s.charAt(0) == '0') {
            throw new IllegalArgumentException("leading zero");
        }
        int v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("expected a port 1-65535 or a range like 49152-65535");
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Returns whether the range holds one port. */
    public boolean isSingle() {
        return from == to;
    }

    /** Returns the number of ports in the range. */
    public int count() {
        return to - from + 1;
    }

    /** Returns whether {@code port} lies in the range. */
    public boolean contains(int port) {
        return port >= from && port <= to;
    }

    @Override
    public int compareTo(PortRange o) {
        return from != o.from ? Integer.compare(from, o.from) : Integer.compare(to, o.to);
    }

    /** Returns {@code "443"} or {@code "49152-65535"}, the spelling {@link #parse} accepts. */
    @Override
    public String toString() {
        return isSingle() ? Integer.toString(from) : from + "-" + to;
    }
}
