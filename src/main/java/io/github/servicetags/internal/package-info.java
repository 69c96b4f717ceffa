/**
 * Internals: the strict IP text parser, the streaming JSON reader, prefix arithmetic and suggestions. Not exported
 * by the module and not part of the API; anything here may change in any release.
 */
package io.github.servicetags.internal;
