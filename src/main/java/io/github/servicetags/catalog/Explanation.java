package io.github.servicetags.catalog;

import java.util.List;
import java.util.Objects;

/**
 * Which flows of the catalog allow traffic to one address or CIDR prefix: the answer of {@link Explainer}.
 *
 * <pre>{@code
 * e.ip()      // returns "20.38.98.1", the input as given
 * e.tags()    // returns [AzureCloud, AzureCloud.eastus, Storage, Storage.EastUS]
 * e.flows()   // returns [veeam-backup-azure: worker -> Storage.EastUS tcp 443, ...]
 * }</pre>
 *
 * @param ip the address or prefix as given
 * @param tags the tags containing it (every address of it, for a prefix), sorted
 * @param flows the flows that allow traffic to it, in catalog order; empty when none
 */
public record Explanation(String ip, List<String> tags, List<FlowMatch> flows) {
    /** Checks the components and copies the lists. */
    public Explanation {
        Objects.requireNonNull(ip, "ip");
        tags = List.copyOf(tags);
        flows = List.copyOf(flows);
    }
}
