package io.github.servicetags;

import io.github.servicetags.internal.DataRules;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One entry of a service-tags file: a name such as {@code Sql.WestEurope}, its properties and its prefixes.
 *
 * <pre>{@code
 * ServiceTag t = st.tag("Sql.GermanyWestCentral").orElseThrow();
 * t.region()         // "germanywc"
 * t.prefixes().size()
 * t                  // Sql.GermanyWestCentral [germanywc, 28 prefixes]
 * }</pre>
 */
public final class ServiceTag {
    private final String name;
    private final String id;
    private final String region;
    private final int regionId;
    private final String platform;
    private final String systemService;
    private final Set<String> networkFeatures;
    private final long changeNumber;
    private final List<IpPrefix> prefixes;
    private final List<IpPrefix> ipv4;
    private final List<IpPrefix> ipv6;

    private ServiceTag(Builder b) {
        this.name = DataRules.requireTagName(Objects.requireNonNull(b.name, "name"));
        this.id = DataRules.requireTagId(b.id == null ? b.name : b.id);
        this.region = DataRules.requireRegion(Objects.requireNonNull(b.region, "region"));
        this.regionId = DataRules.requireRegionId(b.regionId);
        this.platform = DataRules.requireText(Objects.requireNonNull(b.platform, "platform"));
        this.systemService = DataRules.requireText(Objects.requireNonNull(b.systemService, "systemService"));
        Set<String> features = new LinkedHashSet<>();
        for (String f : b.networkFeatures) {
            features.add(DataRules.requireFeature(Objects.requireNonNull(f, "networkFeatures element")));
        }
        this.networkFeatures = Collections.unmodifiableSet(features);
        this.changeNumber = DataRules.requireChangeNumber(b.changeNumber);
        this.prefixes = List.copyOf(b.prefixes);
        List<IpPrefix> v4 = new ArrayList<>();
        List<IpPrefix> v6 = new ArrayList<>();
        for (IpPrefix p : this.prefixes) {
            (p.family() == IpFamily.IPV4 ? v4 : v6).add(DataRules.requirePrefix(p));
        }
        this.ipv4 = List.copyOf(v4);
        this.ipv6 = List.copyOf(v6);
    }

    /**
     * Returns a builder of a tag (tests, tools that build data); the loaders use the same rules, so a tag built here
     * writes and reads back like one from a file.
     *
     * <pre>{@code
     * ServiceTag t = ServiceTag.builder("Demo.WestEurope").region("westeurope").regionId(18)
     *         .prefixes(List.of(IpPrefix.parse("192.0.2.0/24"))).build();
     * }</pre>
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Builder of {@link ServiceTag}. Unset properties are those of a global tag without properties: id = name,
     * region {@code ""}, regionId 0, platform and systemService {@code ""}, no features, changeNumber 0, no prefixes.
     */
    public static final class Builder {
        private final String name;
        private String id;
        private String region = "";
        private long regionId;
        private String platform = "";
        private String systemService = "";
        private Collection<String> networkFeatures = List.of();
        private long changeNumber;
        private List<IpPrefix> prefixes = List.of();

        private Builder(String name) {
            this.name = name;
        }

        /** Sets the {@code id} (default: the name). */
        public Builder id(String id) {
            this.id = Objects.requireNonNull(id, "id");
            return this;
        }

        /** Sets the {@code region} ({@code ""} for a global tag). */
        public Builder region(String region) {
            this.region = region;
            return this;
        }

        /** Sets the {@code regionId} (0 for a global tag). */
        public Builder regionId(int regionId) {
            this.regionId = regionId;
            return this;
        }

        /** Sets the {@code platform}. */
        public Builder platform(String platform) {
            this.platform = platform;
            return this;
        }

        /** Sets the {@code systemService}. */
        public Builder systemService(String systemService) {
            this.systemService = systemService;
            return this;
        }

        /** Sets the {@code networkFeatures}, kept in this order. */
        public Builder networkFeatures(Collection<String> features) {
            this.networkFeatures = List.copyOf(features);
            return this;
        }

        /** Sets the tag's own {@code changeNumber}. */
        public Builder changeNumber(long changeNumber) {
            this.changeNumber = changeNumber;
            return this;
        }

        /** Sets the prefixes, in file order. */
        public Builder prefixes(List<IpPrefix> prefixes) {
            this.prefixes = List.copyOf(prefixes);
            return this;
        }

        /**
         * Returns the tag.
         *
         * @throws IllegalArgumentException quoting the value that breaks a rule of the data (a name outside
         *     {@code [A-Za-z0-9][A-Za-z0-9._-]{0,127}}, a control character, an IPv4-mapped IPv6 prefix, ...)
         */
        public ServiceTag build() {
            return new ServiceTag(this);
        }
    }

    /** Returns the tag name, e.g. {@code "Sql.WestEurope"}. */
    public String name() {
        return name;
    }

    /** Returns the {@code id} field of the file (usually equal to the name). */
    public String id() {
        return id;
    }

    /** Returns the raw {@code region} property, e.g. {@code "germanywc"}, or {@code ""} for a global tag. */
    public String region() {
        return region;
    }

    /** Returns the {@code regionId}; 0 for global tags. */
    public int regionId() {
        return regionId;
    }

    /** Returns the {@code platform} property, e.g. {@code "Azure"}. */
    public String platform() {
        return platform;
    }

    /** Returns the {@code systemService} property, e.g. {@code "AzureSQL"}, or {@code ""}. */
    public String systemService() {
        return systemService;
    }

    /** Returns the {@code networkFeatures} (API, NSG, UDR, FW, ...); empty when the file has none. */
    public Set<String> networkFeatures() {
        return networkFeatures;
    }

    /** Returns the tag's own {@code changeNumber}. */
    public long changeNumber() {
        return changeNumber;
    }

    /** Returns the tag's prefixes in file order. */
    public List<IpPrefix> prefixes() {
        return prefixes;
    }

    /** Returns the tag's prefixes of one family, in file order. */
    public List<IpPrefix> prefixes(IpFamily family) {
        return family == IpFamily.IPV4 ? ipv4 : ipv6;
    }

    /** Returns the part of the name before the first dot: {@code "Sql"} for {@code "Sql.WestEurope"}. */
    public String service() {
        int dot = name.indexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    /** Returns true for a regional tag (one with a non-zero regionId). */
    public boolean isRegional() {
        return regionId != 0;
    }

    @Override
    public String toString() {
        return name + " [" + (region.isEmpty() ? "global" : region) + ", " + prefixes.size() + " prefixes]";
    }
}
