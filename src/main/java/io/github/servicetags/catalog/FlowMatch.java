package io.github.servicetags.catalog;

import io.github.servicetags.internal.Strings;
import java.util.List;
import java.util.Objects;

/**
 * A flow of the catalog that allows traffic to an address, as {@link Explainer} finds it.
 *
 * <pre>{@code
 * m.product()   // returns "veeam-backup-azure"
 * m.to()        // returns "Storage.EastUS": the concrete tag that contains the address
 * m.toString()  // returns "veeam-backup-azure: worker -> Storage.EastUS tcp 443"
 * }</pre>
 *
 * @param product the product id
 * @param from the role that opens the connection
 * @param to the concrete destination that contains the address: a tag name, a role, a host, {@code VirtualNetwork}
 *     or the bound host name of an FQDN flow
 * @param kind the kind of destination
 * @param protocol the protocol
 * @param ports the destination ports; empty for ICMP and ANY
 * @param optional whether the flow is needed only with some feature or configuration
 * @param purpose why the flow exists
 */
public record FlowMatch(String product, String from, String to, RuleKind kind, Protocol protocol,
        List<PortRange> ports, boolean optional, String purpose) {

    /** Checks the components and copies the list. */
    public FlowMatch {
        Objects.requireNonNull(product, "product");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(purpose, "purpose");
        ports = List.copyOf(ports);
    }

    /** Returns {@code "veeam-backup-azure: worker -> Storage.EastUS tcp 443"} (and {@code " (optional)"}). */
    @Override
    public String toString() {
        StringBuilder sb = Strings.appendFlow(new StringBuilder().append(product).append(": "), from, to, protocol,
                ports);
        return optional ? sb.append(" (optional)").toString() : sb.toString();
    }
}
