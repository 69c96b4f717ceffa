package io.github.servicetags.catalog;

import java.util.List;
import java.util.Objects;

/**
 * The result of {@link Expander#expand}: the rules of one product for one region and one service-tag file,
 * and the warnings a person must read before using them.
 *
 * @param product the product id
 * @param region the region's ARM name ({@code westeurope}), or empty when none was given
 * @param cloud the cloud of the service-tag file ({@code Public})
 * @param changeNumber the change number of the service-tag file
 * @param rules one rule per flow, in catalog order, then the rules added for dependencies
 *     ({@link Rule#dependencyOf()}) when {@link ExpandOptions#withDependencies()} is on
 * @param warnings what could not be expanded exactly (global fallback, unknown or empty tag, unbound role)
 */
public record Expansion(String product, String region, String cloud, long changeNumber, List<Rule> rules,
        List<String> warnings) {

    /** Checks the components and copies the lists. */
    public Expansion {
        Objects.requireNonNull(product, "product");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(cloud, "cloud");
        rules = List.copyOf(rules);
        warnings = List.copyOf(warnings);
    }

    /** Returns {@code "veeam-backup-azure in westeurope (Public 376): 37 rules, 2 warnings"}. */
    @Override
    public String toString() {
        return product + (region.isEmpty() ? "" : " in " + region) + " (" + cloud + " " + changeNumber + "): "
                + rules.size() + " rules, " + warnings.size() + (warnings.size() == 1 ? " warning" : " warnings");
    }
}
