package io.github.servicetags.render;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.servicetags.IpFamily;
import io.github.servicetags.IpPrefix;
import io.github.servicetags.catalog.Expansion;
import io.github.servicetags.catalog.PortRange;
import io.github.servicetags.catalog.Protocol;
import io.github.servicetags.catalog.Rule;
import io.github.servicetags.catalog.RuleKind;
import io.github.servicetags.internal.DataRules;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An ARM deployment template holding one Azure Firewall Policy rule collection group
 * ({@code Microsoft.Network/firewallPolicies/ruleCollectionGroups}): a network rule collection (priority 100) whose
 * destinations are the service tags themselves (the regional tag where the flow is regional), or the CIDRs of
 * roles and hosts from {@code --bind}, and an application rule collection (priority 200) for the FQDN flows
 * ({@code targetFqdns} with wildcards, {@code Https:443} / {@code Http:80}). FQDN flows on other ports become
 * network rules with {@code destinationFqdns} (which need the firewall's DNS proxy and take no wildcards), with a
 * warning. Sources are the from-role's bound CIDRs; an unbound from-role takes them from a template parameter
 * {@code sources_<role>} that the deployment must supply (never {@code *}), with a warning. Azure Firewall filters
 * IPv4 only: IPv6 prefixes are left out with a warning. A source list longer than {@link #IP_GROUP_THRESHOLD} is
 * written once as a {@code Microsoft.Network/ipGroups} resource of the same template, which the rules name with
 * {@code sourceIpGroups}. Names and priorities depend on the input only.
 */
final class AzfwRenderer implements Renderers.Renderer {
    static final String FORMAT = "azfw";
    static final String API_VERSION = "2023-09-01";
    static final int NAME_MAX = 80;
    static final int DESCRIPTION_MAX = 128;
    /** Total size of the rules of one rule collection group (policies created after July 2022). */
    static final int GROUP_SIZE_MAX = 2 * 1024 * 1024;
    /** Unique source/destination combinations of the network rules of a policy, beyond which Azure degrades. */
    static final int NETWORK_UNIQUE_MAX = 20_000;
    /**
     * Source lists longer than this become an IP Group. Sources inline in a rule count against the 2 MB group size
     * for every rule that repeats them, and the Azure portal shows a rule's addresses one by one; an IP Group holds
     * them once for all the rules of the role. 100 keeps the rules of small deployments as readable as before.
     */
    static final int IP_GROUP_THRESHOLD = 100;
    /** The IP Group limits of Azure Firewall (5,000 addresses per group, 200 groups per firewall). */
    static final FitProfile IP_GROUP_LIMITS = FitProfile.ipGroups();

    /** One rule of either collection; {@code sourceParameter} is set when the from-role is unbound. */
    record FwRule(String name, Rule rule, boolean application, List<String> protocols, List<IpPrefix> sources,
            String sourceParameter, List<String> destinations, List<String> fqdns, List<String> ports) {
    }

    @Override
    public void render(Expansion e, RenderOptions options, Writer out, List<String> warnings) throws IOException {
        Map<String, String> parameters = new LinkedHashMap<>();
        List<FwRule> rules = plan(e, options, parameters, warnings);
        String group = SafeNames.identifier("servicetags-", e.product(), "", NAME_MAX);
        Map<List<IpPrefix>, String> ipGroups = ipGroups(e, rules);
        StringWriter properties = new StringWriter();
        try (JsonGenerator g = JsonRenderer.FACTORY.createGenerator(properties)) {
            writeProperties(g, rules, ipGroups);
        }
        int size = properties.toString().getBytes(StandardCharsets.UTF_8).length;
        if (size > GROUP_SIZE_MAX) {
            throw new LimitExceededException(FORMAT, size, GROUP_SIZE_MAX, "azfw: the rule collection group holds "
                    + size + " bytes of rules; Azure Firewall allows " + GROUP_SIZE_MAX + " (2 MB) per group: give"
                    + " --aggregate, or split the product's roles over several policies");
        }
        long unique = 0;
        for (FwRule r : rules) {
            if (!r.application()) {
                unique += (long) Math.max(1, r.sources().size()) * Math.max(1, r.destinations().size()
                        + r.fqdns().size()) * Math.max(1, r.ports().size());
            }
        }
        if (unique > NETWORK_UNIQUE_MAX) {
            warnings.add("azfw: the network rules hold " + unique + " source/destination/port combinations; Azure"
                    + " Firewall supports " + NETWORK_UNIQUE_MAX + " in a policy's network rules (give --aggregate,"
                    + " or use IP Groups: --format ipgroups)");
        }
        try (JsonGenerator g = JsonRenderer.generator(out)) {
            g.writeStartObject();
            g.writeStringField("$schema",
                    "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#");
            g.writeStringField("contentVersion", "1.0.0.0");
            g.writeObjectFieldStart("metadata");
            g.writeStringField("description", SafeNames.comment("servicetags azfw: product " + e.product() + ", region "
                    + e.region() + ", cloud " + e.cloud() + ", changeNumber " + e.changeNumber(), 256));
            g.writeStringField("load", "az deployment group create -g RESOURCE_GROUP --template-file FILE"
                    + " --parameters firewallPolicyName=POLICY"
                    + (parameters.isEmpty() ? "" : " (and every sources_ parameter, a JSON array of CIDRs)"));
            g.writeEndObject();
            g.writeObjectFieldStart("parameters");
            g.writeObjectFieldStart("firewallPolicyName");
            g.writeStringField("type", "string");
            g.writeObjectFieldStart("metadata");
            g.writeStringField("description", "The existing Azure Firewall Policy that gets the rule collection group");
            g.writeEndObject();
            g.writeEndObject();
            g.writeObjectFieldStart("priority");
            g.writeStringField("type", "int");
            g.writeNumberField("defaultValue", 1000);
            g.writeNumberField("minValue", 100);
            g.writeNumberField("maxValue", 65000);
            g.writeObjectFieldStart("metadata");
            g.writeStringField("description", "Priority of the rule collection group in the policy");
            g.writeEndObject();
            g.writeEndObject();
            for (Map.Entry<String, String> p : parameters.entrySet()) {
                g.writeObjectFieldStart(p.getValue());
                g.writeStringField("type", "array");
                g.writeNumberField("minLength", 1);
                g.writeObjectFieldStart("metadata");
                g.writeStringField("description", SafeNames.comment("IPv4 CIDRs of role " + p.getKey()
                        + " (it was not bound: give --bind " + p.getKey() + "=CIDR to write them into the template)",
                        256));
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeArrayFieldStart("resources");
            for (Map.Entry<List<IpPrefix>, String> ip : ipGroups.entrySet()) {
                g.writeStartObject();
                g.writeStringField("type", "Microsoft.Network/ipGroups");
                g.writeStringField("apiVersion", API_VERSION);
                g.writeStringField("name", ip.getValue());
                g.writeStringField("location", "[resourceGroup().location]");
                g.writeObjectFieldStart("properties");
                stringArray(g, "ipAddresses", ip.getKey().stream().map(IpPrefix::toString).toList());
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeStartObject();
            g.writeStringField("type", "Microsoft.Network/firewallPolicies/ruleCollectionGroups");
            g.writeStringField("apiVersion", API_VERSION);
            g.writeStringField("name", "[format('{0}/{1}', parameters('firewallPolicyName'), '" + group + "')]");
            if (!ipGroups.isEmpty()) {
                stringArray(g, "dependsOn", ipGroups.values().stream().map(AzfwRenderer::ipGroupId).toList());
            }
            g.writeFieldName("properties");
            writeProperties(g, rules, ipGroups);
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
        }
        out.write('\n');
    }

    /**
     * The IP Group of every distinct source list longer than {@link #IP_GROUP_THRESHOLD}, in the order of the rules
     * (source list to group name); a list or a count beyond Azure's IP Group limits is refused.
     */
    static Map<List<IpPrefix>, String> ipGroups(Expansion e, List<FwRule> rules) throws LimitExceededException {
        SafeNames.Registry names = new SafeNames.Registry(NAME_MAX);
        Map<List<IpPrefix>, String> out = new LinkedHashMap<>();
        for (FwRule r : rules) {
            List<IpPrefix> sources = r.sources();
            if (sources.size() <= IP_GROUP_THRESHOLD || out.containsKey(sources)) {
                continue;
            }
            String role = r.rule().from();
            if (sources.size() > IP_GROUP_LIMITS.maxEntries()) {
                throw new LimitExceededException(FORMAT, sources.size(), IP_GROUP_LIMITS.maxEntries(), "azfw: role "
                        + SafeNames.display(role) + " has " + sources.size() + " IPv4 source prefixes; an Azure"
                        + " Firewall IP Group holds at most " + IP_GROUP_LIMITS.maxEntries() + ": give --aggregate,"
                        + " or bind the role to fewer, wider CIDRs");
            }
            // The key holds the from-role and the list, so that equal lists share one group and names never clash.
            out.put(sources, names.name(role + "\u0000" + out.size(), "servicetags-", e.product() + "-"
                    + role + "-sources", ""));
        }
        if (out.size() > IP_GROUP_LIMITS.maxGroups()) {
            throw new LimitExceededException(FORMAT, out.size(), IP_GROUP_LIMITS.maxGroups(), "azfw: " + out.size()
                    + " IP Groups are needed for source lists longer than " + IP_GROUP_THRESHOLD + " prefixes; Azure"
                    + " Firewall allows " + IP_GROUP_LIMITS.maxGroups() + " IP Groups per firewall: give --aggregate,"
                    + " or bind the from-roles to fewer, wider CIDRs");
        }
        return out;
    }

    private static String ipGroupId(String name) {
        return "[resourceId('Microsoft.Network/ipGroups', '" + name + "')]";
    }

    /** The rules, and the parameters of the unbound from-roles (role to parameter name). */
    static List<FwRule> plan(Expansion e, RenderOptions options, Map<String, String> parameters,
            List<String> warnings) {
        SafeNames.Registry names = new SafeNames.Registry(NAME_MAX);
        SafeNames.Registry parameterNames = new SafeNames.Registry(64);
        List<FwRule> out = new ArrayList<>();
        int index = 0;
        for (Rule r : e.rules()) {
            index++;
            List<PortRange> merged = Plan.ports(r);
            String base = r.from() + "-" + r.to() + "-" + r.protocol().name().toLowerCase(Locale.ROOT)
                    + (merged.isEmpty() ? "" : "-" + merged.get(0));
            if (r.kind() == RuleKind.FQDN) {
                fqdnRules(r, index, base, merged, options, names, parameterNames, parameters, out, warnings);
                continue;
            }
            List<String> destinations = new ArrayList<>();
            if (r.kind() == RuleKind.TAG && DataRules.isTagName(r.to()) && !r.prefixes().isEmpty()
                    && options.azfwServiceTag(r.to())) {
                destinations.add(r.to());
            } else {
                if (!Plan.expressible(r, FORMAT, warnings)) {
                    continue;
                }
                if (r.kind() == RuleKind.TAG) {
                    warnings.add("azfw: " + Plan.describe(r) + ": the tag is not usable in an Azure Firewall rule;"
                            + " its IPv4 prefixes are listed instead and need updating when the tag changes");
                }
                List<IpPrefix> v4 = Plan.prefixes(r.prefixes(), IpFamily.IPV4, options);
                if (v4.size() < r.prefixes().size() && !r.prefixes(IpFamily.IPV6).isEmpty()) {
                    warnings.add("azfw: " + Plan.describe(r) + ": " + r.prefixes(IpFamily.IPV6).size()
                            + " IPv6 destination prefixes left out: Azure Firewall filters IPv4 only");
                }
                if (v4.isEmpty()) {
                    warnings.add("azfw: not rendered: " + Plan.describe(r) + ": no IPv4 destination prefixes");
                    continue;
                }
                v4.forEach(p -> destinations.add(p.toString()));
            }
            Sources s = sources(r, options, parameterNames, parameters, warnings);
            out.add(new FwRule(names.name(index + "", "", base, ""), r, false, List.of(ipProtocol(r.protocol())),
                    s.prefixes(), s.parameter(), destinations, List.of(), ports(merged)));
        }
        return out;
    }

    private static void fqdnRules(Rule r, int index, String base, List<PortRange> ports, RenderOptions options,
            SafeNames.Registry names, SafeNames.Registry parameterNames, Map<String, String> parameters, List<FwRule> out,
            List<String> warnings) {
        List<String> web = new ArrayList<>();
        List<PortRange> other = new ArrayList<>();
        if (r.protocol() == Protocol.TCP && !ports.isEmpty()) {
            for (PortRange p : ports) {
                if (p.from() == p.to() && (p.from() == 443 || p.from() == 80)) {
                    web.add(p.from() == 443 ? "Https" : "Http");
                } else {
                    other.add(p);
                }
            }
        } else {
            other.addAll(ports);
        }
        List<String> fqdns = new ArrayList<>();
        for (String f : r.fqdns()) {
            if (SquidRenderer.validName(f)) {
                fqdns.add(f.toLowerCase(Locale.ROOT));
            } else {
                warnings.add("azfw: not rendered: " + Plan.describe(r) + ": '" + SafeNames.display(f)
                        + "' is not a host name");
            }
        }
        if (fqdns.isEmpty()) {
            return;
        }
        Sources s = sources(r, options, parameterNames, parameters, warnings);
        if (!web.isEmpty()) {
            out.add(new FwRule(names.name(index + "-app", "", base, ""), r, true, web, s.prefixes(), s.parameter(),
                    List.of(), fqdns, List.of()));
        }
        if (!other.isEmpty() || r.protocol() != Protocol.TCP || ports.isEmpty()) {
            List<String> exact = fqdns.stream().filter(f -> !f.startsWith("*.")).toList();
            List<String> wild = fqdns.stream().filter(f -> f.startsWith("*.")).toList();
            String what = r.protocol().name().toLowerCase(Locale.ROOT) + (other.isEmpty() ? "" : " " + ports(other));
            if (!wild.isEmpty()) {
                warnings.add("azfw: not rendered: " + Plan.describe(r) + ": " + wild.size() + " wildcard names on "
                        + what + ": application rules take only Http and Https, and network rules no wildcards");
            }
            if (!exact.isEmpty()) {
                warnings.add("azfw: " + Plan.describe(r) + ": " + what + " is not Http:80 or Https:443, so it is a"
                        + " network rule with destinationFqdns: turn on the firewall policy's DNS proxy");
                out.add(new FwRule(names.name(index + "-net", "", base, ""), r, false,
                        List.of(ipProtocol(r.protocol())), s.prefixes(), s.parameter(), List.of(), exact,
                        ports(other)));
            }
        }
    }

    /** The IPv4 sources of a rule, or the parameter that supplies them. */
    record Sources(List<IpPrefix> prefixes, String parameter) {
    }

    private static Sources sources(Rule r, RenderOptions options, SafeNames.Registry parameterNames,
            Map<String, String> parameters, List<String> warnings) {
        List<IpPrefix> v4 = Plan.prefixes(r.fromPrefixes(), IpFamily.IPV4, options);
        int v6 = r.fromPrefixes(IpFamily.IPV6).size();
        if (v6 > 0) {
            warnings.add("azfw: " + Plan.describe(r) + ": " + v6 + " IPv6 source prefixes of "
                    + SafeNames.display(r.from()) + " left out: Azure Firewall filters IPv4 only");
        }
        if (!v4.isEmpty()) {
            return new Sources(v4, null);
        }
        String parameter = parameters.computeIfAbsent(r.from(), role -> parameterNames.name(role, "sources_",
                role.replaceAll("[^A-Za-z0-9]", "_"), ""));
        warnings.add("azfw: " + Plan.describe(r) + ": " + SafeNames.display(r.from()) + " has no IPv4 prefix bound;"
                + " the rule takes its sources from the template parameter " + parameter + " (--bind "
                + SafeNames.display(r.from()) + "=CIDR writes them)");
        return new Sources(List.of(), parameter);
    }

    private static String ipProtocol(Protocol p) {
        return switch (p) {
            case TCP -> "TCP";
            case UDP -> "UDP";
            case ICMP -> "ICMP";
            default -> "Any";
        };
    }

    private static List<String> ports(List<PortRange> ports) {
        if (ports.isEmpty()) {
            return List.of("*");
        }
        return ports.stream().map(PortRange::toString).toList();
    }

    private static void writeProperties(JsonGenerator g, List<FwRule> rules, Map<List<IpPrefix>, String> ipGroups)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("priority", "[parameters('priority')]");
        g.writeArrayFieldStart("ruleCollections");
        writeCollection(g, "servicetags-network", 100, rules, false, ipGroups);
        writeCollection(g, "servicetags-application", 200, rules, true, ipGroups);
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeCollection(JsonGenerator g, String name, int priority, List<FwRule> rules,
            boolean application, Map<List<IpPrefix>, String> ipGroups) throws IOException {
        if (rules.stream().noneMatch(r -> r.application() == application)) {
            return;
        }
        g.writeStartObject();
        g.writeStringField("ruleCollectionType", "FirewallPolicyFilterRuleCollection");
        g.writeStringField("name", name);
        g.writeNumberField("priority", priority);
        g.writeObjectFieldStart("action");
        g.writeStringField("type", "Allow");
        g.writeEndObject();
        g.writeArrayFieldStart("rules");
        for (FwRule r : rules) {
            if (r.application() != application) {
                continue;
            }
            g.writeStartObject();
            g.writeStringField("ruleType", application ? "ApplicationRule" : "NetworkRule");
            g.writeStringField("name", r.name());
            g.writeStringField("description", Plan.comment(r.rule()));
            if (application) {
                g.writeArrayFieldStart("protocols");
                for (String p : r.protocols()) {
                    g.writeStartObject();
                    g.writeStringField("protocolType", p);
                    g.writeNumberField("port", p.equals("Https") ? 443 : 80);
                    g.writeEndObject();
                }
                g.writeEndArray();
            } else {
                stringArray(g, "ipProtocols", r.protocols());
            }
            String ipGroup = ipGroups.get(r.sources());
            if (r.sourceParameter() != null) {
                g.writeStringField("sourceAddresses", "[parameters('" + r.sourceParameter() + "')]");
            } else if (ipGroup != null) {
                stringArray(g, "sourceIpGroups", List.of(ipGroupId(ipGroup)));
            } else {
                stringArray(g, "sourceAddresses", r.sources().stream().map(IpPrefix::toString).toList());
            }
            if (application) {
                stringArray(g, "targetFqdns", r.fqdns());
            } else {
                if (!r.destinations().isEmpty()) {
                    stringArray(g, "destinationAddresses", r.destinations());
                }
                if (!r.fqdns().isEmpty()) {
                    stringArray(g, "destinationFqdns", r.fqdns());
                }
                stringArray(g, "destinationPorts", r.ports());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void stringArray(JsonGenerator g, String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }
}
