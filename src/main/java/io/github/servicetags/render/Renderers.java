package io.github.servicetags.render;

import io.github.servicetags.catalog.Expansion;
import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes an {@link Expansion} in a firewall or data format.
 *
 * <pre>{@code
 * List<String> warnings = new ArrayList<>();
 * Renderers.render("nft", expansion, writer, warnings);  // a ruleset for nft -f
 * Renderers.formats()  // [json, csv, nft, ipset, iptables, ip6tables, edl, nsg, ipgroups, powershell, azfw, squid]
 * }</pre>
 *
 * <p>Formats:
 * <ul>
 *   <li>{@code json}: the {@code expand --format json} document of the design contract;</li>
 *   <li>{@code csv}: one row per rule and prefix (or FQDN), RFC 4180, cells that a spreadsheet would run as a
 *       formula are prefixed with an apostrophe;</li>
 *   <li>{@code nft}: one {@code table inet} with named interval sets per destination and family and one chain per
 *       source role; loads with {@code nft -f} and replaces its own table only;</li>
 *   <li>{@code ipset}: an {@code ipset restore} file with {@code hash:net} sets per destination and family;</li>
 *   <li>{@code iptables} / {@code ip6tables}: {@code iptables-restore --noflush} / {@code ip6tables-restore
 *       --noflush} files with one chain per source role matching the IPv4 / IPv6 sets of {@code ipset};</li>
 *   <li>{@code edl}: an external dynamic list, one CIDR per line;</li>
 *   <li>{@code nsg}: an ARM {@code securityRules} array (outbound allow rules) naming the service tag itself where
 *       Azure accepts it;</li>
 *   <li>{@code ipgroups}: Azure Firewall IP Groups (ARM {@code Microsoft.Network/ipGroups} name and properties),
 *       one per destination, IPv4 only;</li>
 *   <li>{@code powershell}: a Windows Defender Firewall script (NetSecurity cmdlets) taking the host's roles,
 *       re-runnable, with outbound and inbound rules in the group {@code servicetags <product>};</li>
 *   <li>{@code azfw}: an ARM template with one Azure Firewall Policy rule collection group: network rules naming
 *       the service tags, application rules for the FQDN flows;</li>
 *   <li>{@code squid}: the FQDN flows as a Squid allow-list to include before {@code http_access deny all}.</li>
 * </ul>
 *
 * <p>The formats that configure hosts ({@code nft}, {@code iptables}/{@code ip6tables} with {@code ipset},
 * {@code powershell}, {@code nsg}) write both ends of a flow to a role of the product: the outbound rule on the
 * from-role's host and the inbound rule on the role's host, from the from-role's bound addresses
 * ({@link io.github.servicetags.catalog.Rule#fromPrefixes()}). An unbound from-role gives a warning naming the
 * {@code --bind} that writes the inbound rule, never a rule open to any source.
 *
 * <p>Every name and comment derived from data is reduced to a safe alphabet and length: nothing in a data or
 * catalog file can change the meaning of a generated script. Rules a format cannot express (host names for a
 * packet filter, unbound roles) are never dropped silently: each one adds a sentence to {@code warnings}. The
 * expansion's own warnings are not copied there.
 */
public final class Renderers {
    private static final Map<String, Renderer> RENDERERS = new LinkedHashMap<>();

    static {
        RENDERERS.put("json", new JsonRenderer());
        RENDERERS.put("csv", new CsvRenderer());
        RENDERERS.put("nft", new NftRenderer());
        RENDERERS.put("ipset", new IpsetRenderer());
        RENDERERS.put("iptables", new IptablesRenderer(false));
        RENDERERS.put("ip6tables", new IptablesRenderer(true));
        RENDERERS.put("edl", new EdlRenderer());
        RENDERERS.put("nsg", new NsgRenderer());
        RENDERERS.put("ipgroups", new IpGroupsRenderer());
        RENDERERS.put("powershell", new PowerShellRenderer());
        RENDERERS.put("azfw", new AzfwRenderer());
        RENDERERS.put("squid", new SquidRenderer());
    }

    private Renderers() {
    }

    /** The format names, in the order of the documentation. */
    public static List<String> formats() {
        return List.copyOf(RENDERERS.keySet());
    }

    /** Renders with {@link RenderOptions#defaults()}. */
    public static void render(String format, Expansion expansion, Writer out, List<String> warnings)
            throws IOException {
        render(format, expansion, RenderOptions.defaults(), out, warnings);
    }

    /**
     * Writes {@code expansion} in {@code format} to {@code out} (which stays open) and appends to {@code warnings}
     * one sentence per rule or limit the format could not express.
     *
     * @throws IllegalArgumentException for an unknown format, naming the known ones
     * @throws LimitExceededException when the output cannot fit {@link RenderOptions#fit()} even after merging
     *     adjacent prefixes; nothing was written
     * @throws IOException when writing fails
     */
    public static void render(String format, Expansion expansion, RenderOptions options, Writer out,
            List<String> warnings) throws IOException {
        Objects.requireNonNull(expansion, "expansion");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(warnings, "warnings");
        Renderer r = format == null ? null : RENDERERS.get(format);
        if (r == null) {
            throw new IllegalArgumentException("unknown format " + (format == null ? "null" : "'"
                    + SafeNames.display(format) + "'") + "; expected one of " + String.join(", ", RENDERERS.keySet()));
        }
        FitProfile fit = options.fit();
        if (!fit.isNone() && !fit.appliesTo(format)) {
            warnings.add("fit " + fit.name() + " applies to --format " + fit.format() + " only; " + format
                    + " output is not split");
        }
        r.render(expansion, options, out, warnings);
        out.flush();
    }

    /** One output format. */
    interface Renderer {
        void render(Expansion e, RenderOptions options, Writer out, List<String> warnings) throws IOException;
    }
}
