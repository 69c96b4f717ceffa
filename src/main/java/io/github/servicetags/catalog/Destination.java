package io.github.servicetags.catalog;

import java.util.List;
import java.util.Objects;

/**
 * Where a {@link Flow} goes: a service tag, a list of host names, another role of the product, or a host the
 * user supplies. Exactly one of these, as in the catalog file's {@code "to"} object.
 *
 * <pre>{@code
 * Destination.tag("Sql.<region>").isRegional()   // returns true
 * Destination.tag("Sql.<region>").service()      // returns "Sql"
 * Destination.fqdns(List.of("*.blob.core.windows.net"))
 * }</pre>
 *
 * @param kind which of the four destinations this is
 * @param value the tag name (possibly ending in {@code .<region>}), the role or the host; empty for
 *     {@link Kind#FQDN}
 * @param fqdns the host names, wildcards allowed, for {@link Kind#FQDN}; empty otherwise
 */
public record Destination(Kind kind, String value, List<String> fqdns) {

    /** The placeholder suffix of a regional tag: {@code "Sql.<region>"}. */
    public static final String REGION_PLACEHOLDER = ".<region>";

    /** The virtual tag for the customer's own virtual network; not in the service-tag file, needs a bind. */
    public static final String VIRTUAL_NETWORK = "VirtualNetwork";

    /** The kind of destination; the key of the {@code "to"} object in the catalog file. */
    public enum Kind {
        /** A service tag, {@code {"tag": "Storage"}}. */
        TAG,
        /** A list of host names, {@code {"fqdns": ["*.windows.net"]}}. */
        FQDN,
        /** Another role of the same product, {@code {"role": "worker"}}. */
        ROLE,
        /** A server the user runs and names, {@code {"host": "smtp-server"}}. */
        HOST;

        /** Returns the key used in the catalog file: {@code tag}, {@code fqdns}, {@code role} or {@code host}. */
        public String key() {
            return this == FQDN ? "fqdns" : name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Checks the components and copies the list. */
    public Destination {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
        fqdns = List.copyOf(fqdns);
        if (kind == Kind.FQDN ? fqdns.isEmpty() || !value.isEmpty() : !fqdns.isEmpty() || value.isEmpty()) {
            throw new IllegalArgumentException(kind == Kind.FQDN
                    ? "an FQDN destination needs at least one name and no value"
                    : "a " + kind.key() + " destination needs a value and no FQDNs");
        }
    }

    /** Returns a service-tag destination; {@code "Sql.<region>"} takes the region at expansion. */
    public static Destination tag(String tag) {
        return new Destination(Kind.TAG, tag, List.of());
    }

    /** Returns a destination of host names (wildcards such as {@code *.windows.net} allowed). */
    public static Destination fqdns(List<String> fqdns) {
        return new Destination(Kind.FQDN, "", fqdns);
    }

    /** Returns a destination that is another role of the product. */
    public static Destination role(String role) {
        return new Destination(Kind.ROLE, role, List.of());
    }

    /** Returns a destination that is a server the user names and binds. */
    public static Destination host(String host) {
        return new Destination(Kind.HOST, host, List.of());
    }

    /** Returns whether this is a tag written {@code Service.<region>}. */
    public boolean isRegional() {
        return kind == Kind.TAG && value.endsWith(REGION_PLACEHOLDER);
    }

    /** Returns the tag without the region placeholder ({@code "Sql"} for {@code "Sql.<region>"}); the value otherwise. */
    public String service() {
        return isRegional() ? value.substring(0, value.length() - REGION_PLACEHOLDER.length()) : value;
    }

    /** Returns {@code "tag Sql.<region>"}, {@code "fqdns a, b"}, {@code "role worker"} or {@code "host smtp-server"}. */
    @Override
    public String toString() {
        return kind.key() + " " + (kind == Kind.FQDN ? String.join(", ", fqdns) : value);
    }
}
