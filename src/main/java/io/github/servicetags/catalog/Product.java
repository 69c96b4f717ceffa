package io.github.servicetags.catalog;

import java.util.List;
import java.util.Objects;

/**
 * A product of the port catalog: its roles (the machines it is made of) and the flows between them and the
 * outside world.
 *
 * <pre>{@code
 * Product p = Catalog.bundled().product("azure-backup-mars");
 * p.roles()         // returns [mars-agent]
 * p.flows().size()  // returns the number of flows
 * }</pre>
 *
 * @param id the stable identifier used on the command line, e.g. {@code veeam-backup-azure}
 * @param name the vendor's product name
 * @param source the URL of the main vendor document
 * @param roles the roles flows start from, in catalog order
 * @param flows the flows, in catalog order
 */
public record Product(String id, String name, String source, List<String> roles, List<Flow> flows) {

    /** Checks the components and copies the lists. */
    public Product {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        roles = List.copyOf(roles);
        flows = List.copyOf(flows);
        for (Flow f : flows) {
            if (!roles.contains(f.from())) {
                throw new IllegalArgumentException("flow " + f + " starts from role '" + f.from()
                        + "', which product '" + id + "' does not declare");
            }
        }
    }

    /** Returns {@code "veeam-backup-azure (Veeam Backup for Microsoft Azure, 7 roles, 37 flows)"}. */
    @Override
    public String toString() {
        return id + " (" + name + ", " + roles.size() + " roles, " + flows.size() + " flows)";
    }
}
