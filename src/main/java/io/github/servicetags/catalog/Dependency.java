package io.github.servicetags.catalog;

import java.util.List;
import java.util.Objects;

/**
 * A service that needs other services to work: a client that reaches {@code tag} must also reach each tag of
 * {@code requires}. One entry of the catalog file's top-level {@code "dependencies"} list, with the Microsoft
 * document that says so. {@code expand --with-dependencies} ({@link ExpandOptions.Builder#withDependencies})
 * turns every rule to {@code tag} into extra rules to the required tags, marked with {@link Rule#dependencyOf()}.
 *
 * <pre>{@code
 * Dependency d = Catalog.bundled().dependency("AzureBackup").orElseThrow();
 * d.requires()        // returns [Storage.<region>, AzureActiveDirectory]
 * d.appliesTo("AzureBackup.WestEurope")  // returns true (its regional tags too)
 * }</pre>
 *
 * <p>A requirement written {@code Storage.<region>} takes the region of the rule that needs it
 * ({@code AzureBackup.WestEurope} needs {@code Storage.WestEurope}) and is global for a global rule; a requirement
 * without the placeholder ({@code AzureActiveDirectory}) is always that tag.
 *
 * @param tag the service tag that has the dependencies, without a region ({@code AzureBackup}); it applies to the
 *     global tag and to its regional tags
 * @param requires the tags it needs, {@code Service.<region>} allowed; not empty, no duplicates, never itself
 * @param protocol the protocol of the extra rules, or {@code null} to use the protocol and ports of the rule
 *     that needs them
 * @param ports the ports of the extra rules when {@code protocol} is given (empty for ICMP and ANY); empty
 *     otherwise
 * @param reason why, in our own words
 * @param source the URL of the Microsoft document that states the dependency
 */
public record Dependency(String tag, List<String> requires, Protocol protocol, List<PortRange> ports, String reason,
        String source) {

    /** Checks the components and copies the lists. */
    public Dependency {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(source, "source");
        requires = List.copyOf(requires);
        ports = List.copyOf(ports);
        if (tag.endsWith(Destination.REGION_PLACEHOLDER) || tag.isEmpty()) {
            throw new IllegalArgumentException("invalid dependency tag '" + tag
                    + "'; name the service without a region, like \"AzureBackup\"");
        }
        if (tag.equals(Destination.VIRTUAL_NETWORK) || requires.contains(Destination.VIRTUAL_NETWORK)) {
            throw new IllegalArgumentException("VirtualNetwork is your own network and cannot be part of a dependency");
        }
        if (requires.isEmpty()) {
            throw new IllegalArgumentException("dependency of '" + tag + "' requires no tag");
        }
        if (requires.stream().distinct().count() != requires.size()) {
            throw new IllegalArgumentException("dependency of '" + tag + "' lists a required tag twice");
        }
        for (String r : requires) {
            if (targets(r, tag)) {
                throw new IllegalArgumentException("'" + tag + "' cannot require itself ('" + r + "')");
            }
        }
        if (protocol == null ? !ports.isEmpty() : protocol.hasPorts() == ports.isEmpty()) {
            throw new IllegalArgumentException(protocol == null ? "dependency ports need a protocol"
                    : protocol.hasPorts() ? "a " + protocol + " dependency needs at least one port"
                    : "a " + protocol + " dependency takes no ports");
        }
    }

    /** Returns whether the extra rules keep the protocol and ports of the rule that needs them. */
    public boolean keepsFlowPorts() {
        return protocol == null;
    }

    /**
     * Returns whether this dependency applies to a concrete tag name: the tag itself or a name that starts with
     * {@code tag + "."} (its regional tags; the expander also checks that the tag has a region).
     */
    public boolean appliesTo(String tagName) {
        return tagName.equals(tag) || tagName.startsWith(tag + ".");
    }

    /** Whether requirement {@code required} names {@code tag} or one of its regional tags. */
    static boolean targets(String required, String tag) {
        String base = required.endsWith(Destination.REGION_PLACEHOLDER)
                ? required.substring(0, required.length() - Destination.REGION_PLACEHOLDER.length()) : required;
        return base.equals(tag) || base.startsWith(tag + ".");
    }

    /** Returns {@code "AzureBackup -> Storage.<region>, AzureActiveDirectory"} with the ports when it sets them. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(tag).append(" -> ").append(String.join(", ", requires));
        if (protocol != null) {
            sb.append(' ').append(protocol);
            for (int i = 0; i < ports.size(); i++) {
                sb.append(i == 0 ? " " : ",").append(ports.get(i));
            }
        }
        return sb.toString();
    }
}
