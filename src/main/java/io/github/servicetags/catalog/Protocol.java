package io.github.servicetags.catalog;

import io.github.servicetags.internal.Strings;
import java.util.Locale;

/**
 * The transport protocol of a {@link Flow} or {@link Rule}; written in lower case in JSON and text.
 *
 * <pre>{@code
 * Protocol.parse("tcp")        // returns TCP
 * Protocol.TCP.spelling()      // returns "tcp"
 * }</pre>
 */
public enum Protocol {
    /** TCP; a flow carries ports. */
    TCP,
    /** UDP; a flow carries ports. */
    UDP,
    /** ICMP; a flow carries no ports. */
    ICMP,
    /** Any protocol; a flow carries no ports. */
    ANY;

    /** Returns the lower-case spelling used in the catalog file and in outputs, e.g. {@code "tcp"}. */
    public String spelling() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Returns whether flows of this protocol have ports (TCP and UDP). */
    public boolean hasPorts() {
        return this == TCP || this == UDP;
    }

    /**
     * Parses the lower-case spelling.
     *
     * @throws IllegalArgumentException quoting the input when it is not one of {@code tcp}, {@code udp},
     *     {@code icmp}, {@code any}
     */
    public static Protocol parse(String text) {
        for (Protocol p : values()) {
            if (p.spelling().equals(text)) {
                return p;
            }
        }
        throw new IllegalArgumentException(
                "unknown protocol " + Strings.quote(text) + "; expected one of tcp, udp, icmp, any");
    }

    @Override
    public String toString() {
        return spelling();
    }
}
