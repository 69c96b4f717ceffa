package io.github.servicetags.catalog;

import io.github.servicetags.IpPrefix;
import io.github.servicetags.internal.Strings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Options of {@link Explainer}: which products, region, protocol and port, and the addresses of roles and hosts.
 * Immutable.
 *
 * <pre>{@code
 * ExplainOptions o = ExplainOptions.builder().product("veeam-backup-azure").region("eastus")
 *         .protocol(Protocol.TCP).port(443).bind("worker=10.1.0.0/24").build();
 * }</pre>
 */
public final class ExplainOptions {
    private final List<String> products;
    private final String region;
    private final Protocol protocol;
    private final Integer port;
    private final Map<String, List<IpPrefix>> binds;
    private final String cloud;

    private ExplainOptions(Builder b) {
        this.products = List.copyOf(b.products);
        this.region = b.region;
        this.protocol = b.protocol;
        this.port = b.port;
        Map<String, List<IpPrefix>> m = new LinkedHashMap<>();
        b.binds.forEach((k, v) -> m.put(k, List.copyOf(v)));
        this.binds = Collections.unmodifiableMap(m);
        this.cloud = b.cloud;
    }

    /** Every product, every region's tags, every protocol and port, nothing bound. */
    public static ExplainOptions defaults() {
        return builder().build();
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The product ids to explain, in the order given; empty for every product of the catalog. */
    public List<String> products() {
        return products;
    }

    /** The region: only its tag counts for a flow written {@code Service.<region>}; empty for the address's own. */
    public Optional<String> region() {
        return Optional.ofNullable(region);
    }

    /** Keep the flows that allow this protocol (a flow of protocol {@code any} allows every one). */
    public Optional<Protocol> protocol() {
        return Optional.ofNullable(protocol);
    }

    /** Keep the flows that allow this destination port. */
    public OptionalInt port() {
        return port == null ? OptionalInt.empty() : OptionalInt.of(port);
    }

    /** The addresses bound to roles, hosts, {@code VirtualNetwork} or a host name of an FQDN flow. */
    public Map<String, List<IpPrefix>> binds() {
        return binds;
    }

    /** The cloud whose flow variants to use; empty for the cloud of the data. */
    public Optional<String> cloud() {
        return Optional.ofNullable(cloud);
    }

    @Override
    public String toString() {
        return "ExplainOptions[products=" + (products.isEmpty() ? "all" : products) + ", region="
                + (region == null ? "of the address" : region) + ", protocol=" + (protocol == null ? "any" : protocol)
                + ", port=" + (port == null ? "any" : port) + ", binds=" + binds + "]";
    }

    /** Builds {@link ExplainOptions}; not thread-safe. */
    public static final class Builder {
        private final List<String> products = new ArrayList<>();
        private String region;
        private Protocol protocol;
        private Integer port;
        private final Map<String, List<IpPrefix>> binds = new LinkedHashMap<>();
        private String cloud;

        private Builder() {}

        /** Adds a product to explain (repeatable); without any, every product of the catalog. */
        public Builder product(String id) {
            products.add(Objects.requireNonNull(id, "id"));
            return this;
        }

        /** Sets the region (any spelling); {@code null} or blank for the address's own region. */
        public Builder region(String region) {
            this.region = region == null || region.isBlank() ? null : region;
            return this;
        }

        /** Keeps the flows that allow this protocol; {@code null} for all. */
        public Builder protocol(Protocol protocol) {
            this.protocol = protocol;
            return this;
        }

        /**
         * Keeps the flows that allow this destination port.
         *
         * @throws IllegalArgumentException when the port is outside 1-65535
         */
        public Builder port(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is outside 1-65535");
            }
            this.port = port;
            return this;
        }

        /**
         * Parses the port as on the command line.
         *
         * @throws IllegalArgumentException quoting the text when it is not a port 1-65535
         */
        public Builder port(String text) {
            PortRange p = PortRange.parse(Objects.requireNonNull(text, "port"));
            if (!p.isSingle()) {
                throw new IllegalArgumentException("invalid port " + Strings.quote(text)
                        + ": expected one port 1-65535, not a range");
            }
            return port(p.from());
        }

        /** Binds a role, host, {@code VirtualNetwork} or a host name of an FQDN flow to a prefix (repeatable). */
        public Builder bind(String name, IpPrefix prefix) {
            ExpandOptions.addBind(binds, name, prefix);
            return this;
        }

        /**
         * Binds from text {@code NAME=CIDR[,CIDR...]} as on the command line (see
         * {@link ExpandOptions.Builder#bind(String)}); NAME may also be a host name of an FQDN flow
         * ({@code login.microsoftonline.com=20.190.128.0/18}, the addresses your resolver or proxy uses).
         *
         * @throws IllegalArgumentException quoting the input when it is not {@code NAME=CIDR[,CIDR...]}
         */
        public Builder bind(String spec) {
            int eq = spec.indexOf('=');
            String name = eq <= 0 ? "" : spec.substring(0, eq);
            if (name.isEmpty() || !(CatalogReader.ID.matcher(name).matches() || CatalogReader.FQDN.matcher(name)
                    .matches() || Destination.VIRTUAL_NETWORK.equals(name)) || eq == spec.length() - 1) {
                throw new IllegalArgumentException("invalid bind " + Strings.quote(spec)
                        + "; expected ROLE=CIDR, for example worker=10.1.0.0/24");
            }
            for (IpPrefix p : ExpandOptions.bindPrefixes(spec, eq)) {
                bind(name, p);
            }
            return this;
        }

        /** Uses the flow variants of this cloud. */
        public Builder cloud(String cloud) {
            this.cloud = cloud;
            return this;
        }

        /** Returns the options. */
        public ExplainOptions build() {
            return new ExplainOptions(this);
        }
    }
}
