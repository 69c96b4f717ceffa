package io.github.servicetags.catalog;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One connection a product needs, as one row of a vendor's port table: from a role of the product to a
 * destination, over a protocol and ports. A row that allows TCP and UDP is two flows.
 *
 * <pre>{@code
 * Flow f = Catalog.bundled().product("veeam-backup-azure").flows().get(0);
 * f.from()       // returns "browser"
 * f.to()         // returns role appliance
 * f.ports()      // returns [443]
 * }</pre>
 *
 * @param from the role that opens the connection; one of the product's roles
 * @param to where the connection goes
 * @param protocol the protocol
 * @param ports the destination ports; empty only for ICMP and ANY
 * @param optional whether the flow is needed only with some feature or configuration (see the purpose)
 * @param purpose a short explanation in our own words
 * @param source the URL of the vendor document the flow comes from
 * @param clouds a destination that replaces {@code to} in a given cloud (key: {@code AzureGovernment},
 *     {@code AzureChina}, {@code Public}), where the document has a cloud-specific variant; often empty
 */
public record Flow(String from, Destination to, Protocol protocol, List<PortRange> ports, boolean optional,
        String purpose, String source, Map<String, Destination> clouds) {

    /** Checks the components and copies the collections. */
    public Flow {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(source, "source");
        ports = List.copyOf(ports);
        if (protocol.hasPorts() == ports.isEmpty()) {
            throw new IllegalArgumentException(protocol.hasPorts()
                    ? "a " + protocol + " flow needs at least one port"
                    : "a " + protocol + " flow takes no ports");
        }
        clouds = Collections.unmodifiableMap(new TreeMap<>(clouds));
    }

    /** A flow without cloud-specific variants. */
    public Flow(String from, Destination to, Protocol protocol, List<PortRange> ports, boolean optional,
            String purpose, String source) {
        this(from, to, protocol, ports, optional, purpose, source, Map.of());
    }

    /**
     * Returns the destination in {@code cloud}: the cloud's variant when the flow has one, else {@link #to()}.
     * The cloud is matched case-insensitively and in the spellings the service-tag files and Azure use
     * ({@code AzureGovernment}, {@code AzureUSGovernment}, {@code AzureCloud} for Public, {@code AzureChinaCloud}).
     */
    public Destination destination(String cloud) {
        String wanted = canonicalCloud(cloud);
        for (Map.Entry<String, Destination> e : clouds.entrySet()) {
            if (canonicalCloud(e.getKey()).equals(wanted)) {
                return e.getValue();
            }
        }
        return to;
    }

    static String canonicalCloud(String cloud) {
        String c = cloud == null ? "" : cloud.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "");
        return switch (c) {
            case "public", "azurecloud", "azurepublic", "azurepubliccloud" -> "public";
            case "azuregovernment", "azureusgovernment", "usgovernment", "government", "azureusgovernmentcloud",
                    "azuregovernmentcloud" -> "azuregovernment";
            case "azurechina", "azurechinacloud", "china", "chinacloud" -> "azurechina";
            default -> c;
        };
    }

    /** Returns {@code "worker -> tag Sql.<region> tcp 1433,11000-11999"}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(from).append(" -> ").append(to).append(' ').append(protocol);
        for (int i = 0; i < ports.size(); i++) {
            sb.append(i == 0 ? " " : ",").append(ports.get(i));
        }
        return optional ? sb.append(" (optional)").toString() : sb.toString();
    }
}
