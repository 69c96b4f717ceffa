/**
 * The port catalog and its expansion into firewall rules.
 *
 * <p>A {@link io.github.servicetags.catalog.Catalog} holds {@link io.github.servicetags.catalog.Product products}:
 * the roles a product is made of and its {@link io.github.servicetags.catalog.Flow flows}, one per row of the vendor's
 * port table (from a role, to a service tag, host names, another role or a host you name, over a protocol and ports).
 * The catalog bundled in the jar is a versioned JSON file; {@link io.github.servicetags.catalog.Catalog#load} reads
 * one of your own and validates it as strictly as a service-tag file.
 *
 * <p>{@link io.github.servicetags.catalog.Expander} joins a product with {@link io.github.servicetags.ServiceTags}
 * data and a region into an {@link io.github.servicetags.catalog.Expansion}: one
 * {@link io.github.servicetags.catalog.Rule} per flow with the concrete prefixes of its tag, and warnings for what
 * could not be expanded exactly. The renderers in {@code io.github.servicetags.render} write it for a firewall.
 *
 * <p>The catalog also lists {@link io.github.servicetags.catalog.Dependency dependencies} between services, each
 * with its Microsoft source (Azure Backup needs Storage and Microsoft Entra ID); with
 * {@link io.github.servicetags.catalog.ExpandOptions.Builder#withDependencies()} the expansion adds rules for the
 * tags a product's tags need, marked with {@link io.github.servicetags.catalog.Rule#dependencyOf()}.
 *
 * <pre>{@code
 * Expansion e = Expander.expand(ServiceTags.bundled(), Catalog.bundled(), "veeam-backup-azure", "westeurope",
 *         ExpandOptions.builder().bind("worker=10.1.0.0/24").build());
 * e.rules().get(22)   // worker -> Sql.WestEurope tcp 1433,11000-11999 [61 prefixes]
 * }</pre>
 *
 * <p>All types are immutable and safe to share between threads, except {@link ExpandOptions.Builder}.
 */
package io.github.servicetags.catalog;
