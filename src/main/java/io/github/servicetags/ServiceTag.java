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
    private final int prefixCount;
    private final int ipv4Count;
    /** The prefixes still encoded (a trusted binary read), or null when they were given as objects. */
    private final IndexCodec.EncodedPrefixes encoded;
    private volatile PrefixLists lists; // null until the encoded prefixes are first asked for

    /** The prefixes in file order and per family, immutable. */
    private record PrefixLists(List<IpPrefix> all, List<IpPrefix> ipv4, List<IpPrefix> ipv6) {
        /** Checks every prefix ({@link DataRules#requirePrefix}) and splits them by family. */
        static PrefixLists of(List<IpPrefix> prefixes) {
            List<IpPrefix> all = List.copyOf(prefixes);
            List<IpPrefix> v4 = new ArrayList<>();
            List<IpPrefix> v6 = new ArrayList<>();
            for (IpPrefix p : all) {
                (p.family() == IpFamily.IPV4 ? v4 : v6).add(DataRules.requirePrefix(p));
            }
            return new PrefixLists(all, List.copyOf(v4), List.copyOf(v6));
        }
    }

    /** Checks every value with the rules of the data (in this order: the readers' errors depend on it). */
    private ServiceTag(Builder b) {
        this(DataRules.requireTagName(Objects.requireNonNull(b.name, "name")),
                DataRules.requireTagId(b.id == null ? b.name : b.id),
                DataRules.requireRegion(Objects.requireNonNull(b.region, "region")),
                DataRules.requireRegionId(b.regionId),
                DataRules.requireText(Objects.requireNonNull(b.platform, "platform")),
                DataRules.requireText(Objects.requireNonNull(b.systemService, "systemService")),
                features(b.networkFeatures),
                DataRules.requireChangeNumber(b.changeNumber),
                PrefixLists.of(b.prefixes), null);
    }

    private ServiceTag(String name, String id, String region, int regionId, String platform, String systemService,
            Set<String> networkFeatures, long changeNumber, PrefixLists lists, IndexCodec.EncodedPrefixes encoded) {
        this.name = name;
        this.id = id;
        this.region = region;
        this.regionId = regionId;
        this.platform = platform;
        this.systemService = systemService;
        this.networkFeatures = networkFeatures;
        this.changeNumber = changeNumber;
        this.encoded = encoded;
        if (encoded == null) {
            this.lists = lists;
            this.prefixCount = lists.all().size();
            this.ipv4Count = lists.ipv4().size();
        } else {
            // decoded on first use: a cold lookup needs the names of the answer, not 95,000 prefix objects
            this.prefixCount = encoded.count();
            this.ipv4Count = encoded.ipv4Count();
        }
    }

    /**
     * A tag of the binary reader, whose values it checked with the same rules in the same order as
     * {@link Builder#build} (once per distinct string), with prefixes that certainly decode to valid ones
     * ({@link IndexCodec}); {@code networkFeatures} is unmodifiable and may be shared between tags.
     */
    static ServiceTag ofChecked(String name, String id, String region, int regionId, String platform,
            String systemService, Set<String> networkFeatures, long changeNumber,
            IndexCodec.EncodedPrefixes encoded) {
        return new ServiceTag(name, id, region, regionId, platform, systemService, networkFeatures, changeNumber,
                null, Objects.requireNonNull(encoded));
    }

    /** The features checked ({@link DataRules#requireFeature}), without repeats, in order; unmodifiable. */
    static Set<String> features(Collection<String> features) {
        Set<String> s = new LinkedHashSet<>();
        for (String f : features) {
            s.add(DataRules.requireFeature(Objects.requireNonNull(f, "networkFeatures element")));
        }
        return Collections.unmodifiableSet(s);
    }

    private PrefixLists lists() {
        PrefixLists l = lists;
        if (l == null) {
            synchronized (encoded) { // an internal object: no caller can hold its lock
                l = lists;
                if (l == null) {
                    lists = l = PrefixLists.of(encoded.decode()); // immutable; published by the volatile write
                }
            }
        }
        return l;
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
        return lists().all();
    }

    /** Returns the tag's prefixes of one family, in file order. */
    public List<IpPrefix> prefixes(IpFamily family) {
        return family == IpFamily.IPV4 ? lists().ipv4() : lists().ipv6();
    }

    /** True once the prefix objects exist (always for a tag built from objects; for tests of the lazy decode). */
    boolean prefixesDecoded() {
        return lists != null;
    }

    /** The number of prefixes, without decoding them ({@code prefixes().size()}). */
    int prefixCount() {
        return prefixCount;
    }

    /** The number of prefixes of one family, without decoding them ({@code prefixes(family).size()}). */
    int prefixCount(IpFamily family) {
        return family == IpFamily.IPV4 ? ipv4Count : prefixCount - ipv4Count;
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
        return name + " [" + (region.isEmpty() ? "global" : region) + ", " + prefixCount + " prefixes]";
    }
}
