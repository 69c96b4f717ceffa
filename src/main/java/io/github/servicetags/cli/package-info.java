/**
 * The {@code servicetags} command line (picocli). Not part of the library API: the contract is the command line
 * itself (formats and exit codes in docs/command-line.md).
 */
package io.github.servicetags.cli;
