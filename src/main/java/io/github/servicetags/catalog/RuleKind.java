package io.github.servicetags.catalog;

import java.util.Locale;

/** What the destination of a {@link Rule} is; written {@code tag}, {@code fqdn}, {@code role}, {@code host}. */
public enum RuleKind {
    /** A service tag; the rule carries the tag's prefixes. */
    TAG,
    /** Host names; the rule carries FQDNs and no prefixes. */
    FQDN,
    /** A role of the product; prefixes only when bound with {@code --bind ROLE=CIDR}. */
    ROLE,
    /** A server the user supplies; prefixes only when bound with {@code --bind HOST=CIDR}. */
    HOST;

    /** Returns the lower-case spelling used in outputs. */
    public String spelling() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return spelling();
    }
}
