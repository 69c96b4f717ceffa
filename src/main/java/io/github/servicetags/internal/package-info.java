/**
 * Internals shared by several packages of the library: the data rules ({@link
 * io.github.servicetags.internal.DataRules}), the format detection ({@link io.github.servicetags.internal.DataOpener}),
 * prefix arithmetic, the strict IP text parser, suggestions, and the seam ({@link
 * io.github.servicetags.internal.Internals}) through which the command line, the catalog and the cache reach what
 * {@code ServiceTags} keeps package-private. Not exported by the module and not part of the API; anything here may
 * change in any release. Internals used by one package only are package-private there.
 */
package io.github.servicetags.internal;
