package io.github.servicetags.catalog;

import io.github.servicetags.IpFamily;
import io.github.servicetags.IpPrefix;
import io.github.servicetags.internal.Strings;
import java.util.List;
import java.util.Objects;

/**
 * A flow made concrete for one region and one service-tag file: the addresses a firewall should allow.
 *
 * <pre>{@code
 * Rule r = expansion.rules().get(0);
 * r.to()          // returns "Sql.WestEurope"
 * r.kind()        // returns TAG
 * r.prefixes()    // returns [13.69.112.0/28, ...]
 * }</pre>
 *
 * @param from the role that opens the connection
 * @param to the concrete destination: tag name ({@code Sql.WestEurope}), role, host, or the FQDNs joined with
 *     commas
 * @param kind the kind of destination
 * @param protocol the protocol
 * @param ports the destination ports; empty for ICMP and ANY
 * @param prefixes the destination prefixes, sorted (IPv4 first); empty for FQDN rules and unbound roles
 * @param fqdns the host names of an FQDN rule; empty otherwise
 * @param optional whether the flow is needed only with some feature or configuration
 * @param purpose why the flow exists
 * @param source the URL of the vendor document (of the Microsoft document, for a dependency rule)
 * @param dependencyOf for a rule added by {@link ExpandOptions.Builder#withDependencies}: the tag of the rule
 *     that needs it ({@code "AzureBackup.WestEurope"}); {@code null} for the rules of the product's flows
 * @param fromPrefixes the CIDRs bound to the from-role with {@link ExpandOptions.Builder#bind(String)}, sorted
 *     (IPv4 first) and limited to the expansion's family; empty when the role is not bound. Inbound rules on the
 *     destination's host use them as sources.
 */
public record Rule(String from, String to, RuleKind kind, Protocol protocol, List<PortRange> ports,
        List<IpPrefix> prefixes, List<String> fqdns, boolean optional, String purpose, String source,
        String dependencyOf, List<IpPrefix> fromPrefixes) {

    /** Checks the components and copies the lists. */
    public Rule {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(source, "source");
        ports = List.copyOf(ports);
        prefixes = List.copyOf(prefixes);
        fqdns = List.copyOf(fqdns);
        fromPrefixes = List.copyOf(fromPrefixes);
        if (dependencyOf != null && kind != RuleKind.TAG) {
            throw new IllegalArgumentException("only a tag rule can be a dependency, not a " + kind + " rule");
        }
    }

    /** A rule whose from-role is not bound ({@link #fromPrefixes()} empty). */
    public Rule(String from, String to, RuleKind kind, Protocol protocol, List<PortRange> ports,
            List<IpPrefix> prefixes, List<String> fqdns, boolean optional, String purpose, String source,
            String dependencyOf) {
        this(from, to, kind, protocol, ports, prefixes, fqdns, optional, purpose, source, dependencyOf, List.of());
    }

    /** A rule of a product's flow (not a dependency) whose from-role is not bound. */
    public Rule(String from, String to, RuleKind kind, Protocol protocol, List<PortRange> ports,
            List<IpPrefix> prefixes, List<String> fqdns, boolean optional, String purpose, String source) {
        this(from, to, kind, protocol, ports, prefixes, fqdns, optional, purpose, source, null, List.of());
    }

    /** Returns this rule with other from-role CIDRs (the sources of its inbound rule). */
    public Rule withFromPrefixes(List<IpPrefix> fromPrefixes) {
        return new Rule(from, to, kind, protocol, ports, prefixes, fqdns, optional, purpose, source, dependencyOf,
                fromPrefixes);
    }

    /** Returns the from-role's prefixes of one family. */
    public List<IpPrefix> fromPrefixes(IpFamily family) {
        return fromPrefixes.stream().filter(p -> p.family() == family).toList();
    }

    /** Returns whether {@link ExpandOptions.Builder#withDependencies} added this rule for another tag. */
    public boolean isDependency() {
        return dependencyOf != null;
    }

    /** Returns the prefixes of one family. */
    public List<IpPrefix> prefixes(IpFamily family) {
        return prefixes.stream().filter(p -> p.family() == family).toList();
    }

    /**
     * Returns {@code "worker -> Sql.WestEurope tcp 1433,11000-11999 [29 prefixes]"}, with
     * {@code " (dependency of AzureBackup.WestEurope)"} for a dependency rule.
     */
    @Override
    public String toString() {
        StringBuilder sb = Strings.appendFlow(new StringBuilder(), from, to, protocol, ports);
        if (kind == RuleKind.FQDN) {
            sb.append(" [").append(fqdns.size()).append(fqdns.size() == 1 ? " name]" : " names]");
        } else {
            sb.append(" [").append(prefixes.size()).append(prefixes.size() == 1 ? " prefix]" : " prefixes]");
        }
        if (optional) {
            sb.append(" (optional)");
        }
        return dependencyOf == null ? sb.toString() : sb.append(" (dependency of ").append(dependencyOf).append(')')
                .toString();
    }
}
