package io.github.servicetags;

import java.util.ArrayList;
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

    /**
     * Creates a tag. The loader creates these; the constructor is public for tests and tools that build data.
     *
     * @param prefixes in file order
     */
    public ServiceTag(String name, String id, String region, int regionId, String platform, String systemService,
            Set<String> networkFeatures, long changeNumber, List<IpPrefix> prefixes) {
        this.name = Objects.requireNonNull(name, "name");
        this.id = Objects.requireNonNull(id, "id");
        this.region = Objects.requireNonNull(region, "region");
        this.regionId = regionId;
        this.platform = Objects.requireNonNull(platform, "platform");
        this.systemService = Objects.requireNonNull(systemService, "systemService");
        this.networkFeatures = Set.copyOf(networkFeatures);
        this.changeNumber = changeNumber;
        this.prefixes = List.copyOf(prefixes);
        List<IpPrefix> v4 = new ArrayList<>();
        List<IpPrefix> v6 = new ArrayList<>();
        for (IpPrefix p : this.prefixes) {
            (p.family() == IpFamily.IPV4 ? v4 : v6).add(p);
        }
        this.ipv4 = List.copyOf(v4);
        this.ipv6 = List.copyOf(v6);
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
