/**
 * Azure service tags as an immutable prefix index.
 *
 * <pre>{@code
 * var st = ServiceTags.load(Path.of("ServiceTags_Public_376.json"));   // or ServiceTags.bundled()
 * st.lookup("20.38.98.1").names()        // every tag containing the address, sorted
 * st.prefixes("Sql.WestEurope")          // the tag's CIDRs
 * st.region("West Europe")               // any spelling of a region
 * }</pre>
 *
 * <p>{@link io.github.servicetags.ServiceTags} is the entry point; {@link io.github.servicetags.TagSet} is the
 * answer of a lookup; {@link io.github.servicetags.ServiceTag}, {@link io.github.servicetags.IpPrefix} and
 * {@link io.github.servicetags.Region} are immutable values. Malformed files are refused with
 * {@link io.github.servicetags.InvalidServiceTagsException}; unknown names with
 * {@link io.github.servicetags.UnknownNameException}, which lists the closest names.
 */
package io.github.servicetags;
