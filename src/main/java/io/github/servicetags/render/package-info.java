/**
 * Firewall and data renderers for a catalog {@link io.github.servicetags.catalog.Expansion}: {@code json},
 * {@code csv}, {@code nft}, {@code ipset}, {@code iptables}, {@code ip6tables}, {@code edl} and {@code nsg}.
 *
 * <pre>{@code
 * var warnings = new ArrayList<String>();
 * Renderers.render("nft", expansion, new PrintWriter(System.out), warnings);
 * }</pre>
 *
 * <p>Generated scripts are treated as security-sensitive: names derived from data are reduced to
 * {@code [A-Za-z0-9._-]} within each tool's length limit (a hash keeps shortened or changed names unique and
 * stable), comments keep a small printable alphabet, and rules a format cannot express become warnings.
 */
package io.github.servicetags.render;
