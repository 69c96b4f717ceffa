/**
 * Azure service tags on Apache Spark: {@link io.github.servicetags.spark.ServiceTagsSpark} registers the SQL
 * functions {@code service_tags(ip)} and {@code service_tag_match(ip, tag)} over one broadcast copy of the index per
 * executor; {@link io.github.servicetags.spark.EnrichFlowsJob} is a runnable example that adds a {@code dst_tags}
 * column to flow records.
 */
package io.github.servicetags.spark;
