package io.github.servicetags.catalog;

import io.github.servicetags.IpFamily;
import io.github.servicetags.IpPrefix;
import io.github.servicetags.internal.Strings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Options of {@link Expander#expand}: address family, addresses of roles and hosts, the cloud whose
 * variants to use, and whether to add the tags the product's tags depend on.
 *
 * <pre>{@code
 * ExpandOptions o = ExpandOptions.builder()
 *         .ipv4Only()
 *         .withDependencies()               // also Storage.<region> for AzureBackup.<region>, ...
 *         .bind("worker=10.1.0.0/24")       // ROLE=CIDR, as --bind on the command line
 *         .bind("VirtualNetwork", IpPrefix.parse("10.1.0.0/16"))
 *         .build();
 * ExpandOptions.defaults()                  // both families, nothing bound, the cloud of the data, no dependencies
 * }</pre>
 */
public final class ExpandOptions {
    private static final ExpandOptions DEFAULTS = builder().build();

    private final IpFamily family;
    private final Map<String, List<IpPrefix>> binds;
    private final String cloud;
    private final boolean withDependencies;

    private ExpandOptions(Builder b) {
        this.family = b.family;
        Map<String, List<IpPrefix>> m = new LinkedHashMap<>();
        b.binds.forEach((k, v) -> m.put(k, List.copyOf(v)));
        this.binds = Collections.unmodifiableMap(m);
        this.cloud = b.cloud;
        this.withDependencies = b.withDependencies;
    }

    /** Returns the options with both families, no binds and the cloud of the service-tag data. */
    public static ExpandOptions defaults() {
        return DEFAULTS;
    }

    /** Returns a new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the only family to keep, or empty for both. */
    public Optional<IpFamily> family() {
        return Optional.ofNullable(family);
    }

    /** Returns the bound prefixes by role or host name ({@code VirtualNetwork} included), in the order given. */
    public Map<String, List<IpPrefix>> binds() {
        return binds;
    }

    /** Returns the cloud whose flow variants to use, or empty for the cloud of the service-tag data. */
    public Optional<String> cloud() {
        return Optional.ofNullable(cloud);
    }

    /**
     * Returns whether the expansion adds rules for the tags that the product's tags depend on
     * ({@link Catalog#dependencies()}), marked with {@link Rule#dependencyOf()}.
     */
    public boolean withDependencies() {
        return withDependencies;
    }

    @Override
    public String toString() {
        return "ExpandOptions[family=" + (family == null ? "both" : family) + ", binds=" + binds + ", cloud="
                + (cloud == null ? "of the data" : cloud) + (withDependencies ? ", with dependencies" : "") + "]";
    }

    /** Adds a prefix to a name's binds once. */
    static void addBind(Map<String, List<IpPrefix>> binds, String name, IpPrefix prefix) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(prefix, "prefix");
        List<IpPrefix> l = binds.computeIfAbsent(name, k -> new ArrayList<>());
        if (!l.contains(prefix)) {
            l.add(prefix);
        }
    }

    /**
     * The prefixes of a bind {@code NAME=CIDR[,CIDR...]} after the {@code =} at {@code eq}; a bare address is its
     * /32 or /128.
     */
    static List<IpPrefix> bindPrefixes(String spec, int eq) {
        List<IpPrefix> out = new ArrayList<>();
        for (String cidr : spec.substring(eq + 1).split(",", -1)) {
            String c = cidr.indexOf('/') >= 0 ? cidr : cidr + (cidr.indexOf(':') >= 0 ? "/128" : "/32");
            try {
                out.add(IpPrefix.parse(c));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid bind " + Strings.quote(spec) + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** Builds {@link ExpandOptions}; not thread-safe. */
    public static final class Builder {
        private IpFamily family;
        private final Map<String, List<IpPrefix>> binds = new LinkedHashMap<>();
        private String cloud;
        private boolean withDependencies;

        private Builder() {}

        /** Keeps IPv4 prefixes only. */
        public Builder ipv4Only() {
            return family(IpFamily.IPV4);
        }

        /** Keeps IPv6 prefixes only. */
        public Builder ipv6Only() {
            return family(IpFamily.IPV6);
        }

        /**
         * Keeps one family only, or both with {@code null}.
         *
         * @throws IllegalArgumentException when the other family was already chosen
         */
        public Builder family(IpFamily family) {
            if (this.family != null && family != null && this.family != family) {
                throw new IllegalArgumentException("IPv4 only and IPv6 only exclude each other");
            }
            this.family = family;
            return this;
        }

        /** Binds a role, a host or {@code VirtualNetwork} to a prefix; repeat to add more prefixes. */
        public Builder bind(String name, IpPrefix prefix) {
            addBind(binds, name, prefix);
            return this;
        }

        /**
         * Binds from text {@code ROLE=CIDR} as on the command line; the CIDR may also be a bare address
         * ({@code 10.0.0.5} means {@code 10.0.0.5/32}) or a comma-separated list.
         *
         * @throws IllegalArgumentException quoting the input when it is not {@code NAME=CIDR[,CIDR...]}
         */
        public Builder bind(String spec) {
            int eq = spec.indexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) {
                throw new IllegalArgumentException("invalid bind " + Strings.quote(spec)
                        + "; expected ROLE=CIDR, for example worker=10.1.0.0/24");
            }
            String name = spec.substring(0, eq);
            if (!CatalogReader.ID.matcher(name).matches() && !Destination.VIRTUAL_NETWORK.equals(name)) {
                throw new IllegalArgumentException("invalid bind " + Strings.quote(spec) + ": "
                        + Strings.quote(name) + " is not a role name");
            }
            for (IpPrefix prefix : bindPrefixes(spec, eq)) {
                bind(name, prefix);
            }
            return this;
        }

        /** Uses the flow variants of this cloud ({@code Public}, {@code AzureGovernment}, {@code AzureChina}). */
        public Builder cloud(String cloud) {
            this.cloud = cloud;
            return this;
        }

        /**
         * Adds a rule for every tag that a rule's tag depends on (Azure Backup needs Storage and Microsoft Entra
         * ID), from the same role with the same protocol and ports unless the dependency sets them. A needed tag
         * that an earlier rule already allows (same role, the same tag or its global tag, and protocol and ports
         * that cover it) adds nothing.
         */
        public Builder withDependencies() {
            return withDependencies(true);
        }

        /** Sets whether to add the rules of dependencies, see {@link #withDependencies()}. */
        public Builder withDependencies(boolean on) {
            this.withDependencies = on;
            return this;
        }

        /** Returns the options. */
        public ExpandOptions build() {
            return new ExpandOptions(this);
        }
    }
}
