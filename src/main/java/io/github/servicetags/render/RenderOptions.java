package io.github.servicetags.render;

import io.github.servicetags.ServiceTag;
import io.github.servicetags.ServiceTags;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Options for {@link Renderers#render(String, io.github.servicetags.catalog.Expansion, RenderOptions,
 * java.io.Writer, java.util.List)}. Immutable; build with {@link #builder()}, or take {@link #defaults()}.
 *
 * <pre>{@code
 * RenderOptions o = RenderOptions.builder()
 *         .aggregate(true)                                   // merge adjacent and overlapping prefixes
 *         .nsgServiceTag(tag -> nsgTags.contains(tag))       // tags Azure accepts in an NSG rule
 *         .fit(FitProfile.nsg())                             // at most 4000 prefixes per rule, 1000 rules
 *         .build();
 * }</pre>
 */
public final class RenderOptions {
    private static final RenderOptions DEFAULTS = builder().build();

    private final boolean aggregate;
    private final Predicate<String> nsgServiceTag;
    private final Predicate<String> azfwServiceTag;
    private final FitProfile fit;

    private RenderOptions(Builder b) {
        this.aggregate = b.aggregate;
        this.nsgServiceTag = b.nsgServiceTag;
        this.azfwServiceTag = b.azfwServiceTag;
        this.fit = b.fit;
    }

    /** No aggregation; every service tag is assumed usable in an NSG rule. */
    public static RenderOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether prefix lists are merged into the fewest prefixes covering the same addresses. */
    public boolean aggregate() {
        return aggregate;
    }

    /** The platform limits the output is split to fit; {@link FitProfile#none()} by default. */
    public FitProfile fit() {
        return fit;
    }

    /** A copy with aggregation switched on (used when a limit is only met after merging). */
    RenderOptions aggregated() {
        Builder b = builder().aggregate(true).nsgServiceTag(nsgServiceTag).azfwServiceTag(azfwServiceTag).fit(fit);
        return b.build();
    }

    /** Whether the {@code nsg} format may name this service tag in a rule instead of listing its prefixes. */
    public boolean nsgServiceTag(String tag) {
        return nsgServiceTag.test(tag);
    }

    /** Whether the {@code azfw} format may name this service tag in a network rule instead of listing its prefixes. */
    public boolean azfwServiceTag(String tag) {
        return azfwServiceTag.test(tag);
    }

    @Override
    public String toString() {
        return "RenderOptions[aggregate=" + aggregate + ", fit=" + fit + "]";
    }

    /** Builder of {@link RenderOptions}. */
    public static final class Builder {
        private boolean aggregate;
        private Predicate<String> nsgServiceTag = tag -> true;
        private Predicate<String> azfwServiceTag = tag -> true;
        private FitProfile fit = FitProfile.none();

        private Builder() {
        }

        /** Merge adjacent and overlapping prefixes (the same addresses, fewer entries). Default false. */
        public Builder aggregate(boolean aggregate) {
            this.aggregate = aggregate;
            return this;
        }

        /**
         * Which service tags Azure accepts in an NSG rule, for example the tags whose {@code networkFeatures}
         * contain {@code NSG}, plus the virtual tags {@code VirtualNetwork}, {@code Internet} and
         * {@code AzureLoadBalancer}. Other tags are written as their prefixes. Default: every tag.
         */
        public Builder nsgServiceTag(Predicate<String> accepted) {
            this.nsgServiceTag = Objects.requireNonNull(accepted, "accepted");
            return this;
        }

        /**
         * Split the output to fit a platform's limits ({@link FitProfile#nsg()} for {@code --format nsg}, ...).
         * Default {@link FitProfile#none()}.
         */
        public Builder fit(FitProfile fit) {
            this.fit = Objects.requireNonNull(fit, "fit");
            return this;
        }

        /**
         * Name a service tag in NSG rules only when the data file says NSGs accept it: its
         * {@code networkFeatures} contain {@code NSG}, or (regional tags often list none) the features of its
         * service's global tag do ({@code AzureBackup.WestEurope} follows {@code AzureBackup}). Tags missing from
         * the data are written as prefixes; the virtual tags are always accepted.
         */
        public Builder nsgServiceTags(ServiceTags serviceTags) {
            return nsgServiceTag(feature(serviceTags, "NSG"));
        }

        /**
         * Which service tags Azure Firewall accepts as a network rule destination. Other tags are written as their
         * IPv4 prefixes. Default: every tag.
         */
        public Builder azfwServiceTag(Predicate<String> accepted) {
            this.azfwServiceTag = Objects.requireNonNull(accepted, "accepted");
            return this;
        }

        /**
         * Name a service tag in Azure Firewall rules only when the data file says the firewall accepts it: its
         * {@code networkFeatures} contain {@code FW}, or (regional tags often list none) the features of its
         * service's global tag do. Tags missing from the data are written as prefixes.
         */
        public Builder azfwServiceTags(ServiceTags serviceTags) {
            return azfwServiceTag(feature(serviceTags, "FW"));
        }

        /** A tag has the network feature, or its service's global tag has it when the tag lists none. */
        private static Predicate<String> feature(ServiceTags serviceTags, String feature) {
            Objects.requireNonNull(serviceTags, "serviceTags");
            return tag -> {
                Optional<ServiceTag> t = serviceTags.tag(tag);
                if (t.isEmpty()) {
                    return false;
                }
                if (!t.get().networkFeatures().isEmpty()) {
                    return t.get().networkFeatures().contains(feature);
                }
                int dot = tag.indexOf('.');
                return dot > 0 && serviceTags.tag(tag.substring(0, dot))
                        .map(g -> g.networkFeatures().contains(feature)).orElse(false);
            };
        }

        /** The options. */
        public RenderOptions build() {
            return new RenderOptions(this);
        }
    }
}
