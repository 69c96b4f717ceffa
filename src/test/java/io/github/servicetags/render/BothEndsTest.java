package io.github.servicetags.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.servicetags.IpPrefix;
import io.github.servicetags.ServiceTags;
import io.github.servicetags.catalog.Catalog;
import io.github.servicetags.catalog.ExpandOptions;
import io.github.servicetags.catalog.Expander;
import io.github.servicetags.catalog.Expansion;
import io.github.servicetags.catalog.Product;
import io.github.servicetags.catalog.Rule;
import io.github.servicetags.catalog.RuleKind;
import io.github.servicetags.testing.TestJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both ends of every flow, and the new formats judged by the real tools, on the four bundled products (bundled
 * snapshot, so these run everywhere): with every role bound and with none bound.
 *
 * <ul>
 *   <li>nothing dropped silently: every rule of the expansion is in each format's output or named in a warning,
 *       and so is the inbound rule of every rule to a role in the formats that configure hosts;</li>
 *   <li>{@code squid -k parse} loads every squid output without a warning;</li>
 *   <li>the tree-sitter PowerShell grammar parses every powershell output without ERROR or MISSING nodes, and each
 *       {@code New-NetFirewallRule} has a direction, protocol and ports that match the rule, at most 1,000
 *       addresses, and every prefix of the rule exactly once in its group;</li>
 *   <li>entra-connect: the domain controllers get inbound rules for exactly the flows of table 1 of the seed
 *       document, and no inbound rule is written for a source that is not bound.</li>
 * </ul>
 */
class BothEndsTest {
    static final String REGION = "westeurope";

    @TempDir
    Path dir;

    /** Every bundled product, with every role, host and VirtualNetwork bound, and with nothing bound. */
    static Map<String, Expansion> expansions() {
        Map<String, Expansion> out = new LinkedHashMap<>();
        ServiceTags st = ServiceTags.bundled();
        for (Product p : Catalog.bundled().products()) {
            ExpandOptions.Builder bound = ExpandOptions.builder();
            RealDataRealToolsTest.binds(p).forEach((name, prefixes) -> prefixes.forEach(x -> bound.bind(name, x)));
            out.put(p.id() + " bound", Expander.expand(st, Catalog.bundled(), p.id(), REGION, bound.build()));
            out.put(p.id() + " unbound", Expander.expand(st, Catalog.bundled(), p.id(), REGION,
                    ExpandOptions.defaults()));
        }
        return out;
    }

    static RenderOptions options() {
        ServiceTags st = ServiceTags.bundled();
        return RenderOptions.builder().nsgServiceTags(st).azfwServiceTags(st).build();
    }

    // ---- nothing dropped silently --------------------------------------------------------------------------

    @Test
    void everyFlowOfEveryProductIsInTheOutputOrNamedInAWarning() {
        int checked = 0;
        for (Map.Entry<String, Expansion> c : expansions().entrySet()) {
            Expansion e = c.getValue();
            for (String format : Renderers.formats()) {
                if (format.equals("ipset")) {
                    continue; // sets only: the rules that use them are checked in the iptables and ip6tables pair
                }
                List<String> warnings = new ArrayList<>();
                String out = Samples.render(format, e, options(), warnings);
                if (format.equals("iptables") || format.equals("ip6tables")) {
                    // The pair: an IPv6-only rule is in ip6tables and the other way round.
                    out = Samples.render("iptables", e, options(), warnings) + Samples.render("ip6tables", e,
                            options(), warnings);
                }
                for (Rule r : e.rules()) {
                    String what = c.getKey() + " " + format + ": " + r;
                    assertTrue(inOutput(format, r, out, e) || named(warnings, format, r, false),
                            what + " is neither in the output nor named in a warning");
                    checked++;
                    if (Set.of("nft", "iptables", "ip6tables", "nsg", "powershell").contains(format)
                            && r.kind() == RuleKind.ROLE) {
                        assertTrue(out.contains(Plan.inboundComment(r)) || named(warnings, format, r, true),
                                what + ": its inbound rule is neither in the output nor named in a warning");
                        boolean bound = !r.fromPrefixes().isEmpty();
                        assertEquals(!bound, warnings.contains(format + ": inbound not rendered: " + Plan.describe(r)
                                + ": " + r.from() + " is not bound; --bind " + r.from() + "=CIDR writes the inbound"
                                + " rule on " + r.to()), what + ": the unbound source is named with its --bind");
                    }
                }
            }
        }
        assertTrue(checked > 1000, "rules checked: " + checked);
    }

    /** Evidence of a rule in a format's output. */
    private static boolean inOutput(String format, Rule r, String out, Expansion e) {
        switch (format) {
            case "json", "csv":
                return out.contains("\"" + r.to() + "\"") || out.contains("," + r.to() + ",");
            case "edl":
                return !r.prefixes().isEmpty() && r.prefixes().stream().allMatch(p -> covered(p, out));
            case "ipgroups":
                return out.contains("\"servicetags-destination\" : \"" + SafeNames.comment(r.to(), 256) + "\"");
            default:
                return out.contains(Plan.comment(r));
        }
    }

    private static boolean covered(IpPrefix p, String edl) {
        List<String> lines = edl.lines().toList();
        return lines.contains(p.toString())
                || lines.stream().map(IpPrefix::tryParse).anyMatch(q -> q.isPresent() && q.get().contains(p));
    }

    private static boolean named(List<String> warnings, String format, Rule r, boolean inbound) {
        String head = inbound ? format + ": inbound not rendered" : format;
        return warnings.stream().anyMatch(w -> w.startsWith(head) && w.contains(Plan.describe(r)));
    }

    // ---- squid -----------------------------------------------------------------------------------------------

    @Test
    void squidLoadsEveryProductWithoutWarnings() throws IOException {
        RealTools.assumeSquid();
        Map<String, Expansion> cases = expansions();
        cases.put("small", Samples.small());
        cases.put("hostile", Samples.hostile());
        int allows = 0;
        for (Map.Entry<String, Expansion> c : cases.entrySet()) {
            String out = Samples.render("squid", c.getValue(), new ArrayList<>());
            assertEquals(List.of(), RealTools.squidParse(dir, out, true), c.getKey() + ":\n" + out);
            allows += (int) out.lines().filter(l -> l.startsWith("http_access allow ")).count();
            assertFalse(out.lines().anyMatch(l -> l.startsWith("http_access") && !l.startsWith("http_access allow st_")),
                    c.getKey() + ": only allow lines of our own ACLs");
        }
        assertTrue(allows > 10, "allow lines: " + allows);
    }

    @Test
    void squidParseCheckSeesOverlappingDomains() throws IOException {
        RealTools.assumeSquid();
        // What the renderer avoids: MARS lists both *.windows.net and *.blob.core.windows.net.
        List<String> problems = RealTools.squidParse(dir,
                "acl d dstdomain .windows.net .blob.core.windows.net\nhttp_access allow d\n", false);
        assertFalse(problems.isEmpty(), "squid warns about a subdomain in the same ACL");
        assertFalse(RealTools.squidParse(dir, "acl d dstdomain x.example\nhttp_access allow nosuchacl d\n", false)
                .isEmpty(), "an unknown ACL is an error");
    }

    @Test
    void squidDomainsDropOnlyWhatAnotherEntryCovers() {
        assertEquals(List.of(".windows.net", ".microsoft.com"), SquidRenderer.domains(List.of("*.windows.net",
                "*.blob.core.windows.net", "windows.net", "a.windows.net", "*.Microsoft.com", "*.windows.net")));
        assertEquals(List.of("a.example", "b.a.example"), SquidRenderer.domains(List.of("a.example", "b.a.example")));
        assertEquals(List.of(".ab.example", "b.example"), SquidRenderer.domains(List.of("*.ab.example", "b.example")));
        assertTrue(SquidRenderer.validName("*.blob.core.windows.net"));
        for (String bad : List.of("", "x", "a..b", "-a.example", "a.example.", "*", "*.", "a b.example",
                "a.example\nacl", "\u0435vil.example", "a_b.example", "**.example")) {
            assertFalse(SquidRenderer.validName(bad), bad);
        }
    }

    // ---- powershell ------------------------------------------------------------------------------------------

    @Test
    void powershellParsesAndEveryRuleIsWhatTheExpansionSays() throws IOException {
        PowerShellGrammar.assume();
        Map<String, Expansion> cases = expansions();
        cases.put("small", Samples.small());
        cases.put("hostile", Samples.hostile());
        cases.put("empty", new Expansion("empty", "", "Public", 1, List.of(), List.of()));
        Map<String, String> scripts = new LinkedHashMap<>();
        Map<String, RenderOptions> used = new LinkedHashMap<>();
        for (Map.Entry<String, Expansion> c : cases.entrySet()) {
            scripts.put(c.getKey(), Samples.render("powershell", c.getValue(), options(), new ArrayList<>()));
            used.put(c.getKey(), options());
        }
        // Split at 1,000 (the windows profile) on a real tag, and at 2 with the profile overridden.
        RenderOptions three = RenderOptions.builder().fit(FitProfile.windows().withMaxEntries(2)).build();
        scripts.put("small fit 2", Samples.render("powershell", Samples.small(), three, new ArrayList<>()));
        used.put("small fit 2", three);
        cases.put("small fit 2", Samples.small());
        Map<String, PowerShellGrammar.Parsed> parsed = PowerShellGrammar.parse(dir, scripts);
        int calls = 0;
        for (Map.Entry<String, PowerShellGrammar.Parsed> p : parsed.entrySet()) {
            assertEquals(List.of(), p.getValue().errors(), p.getKey() + ": the grammar found errors");
            calls += checkPowerShell(p.getKey(), scripts.get(p.getKey()), p.getValue(), cases.get(p.getKey()),
                    used.get(p.getKey()));
        }
        assertTrue(calls > 100, "New-NetFirewallRule calls checked: " + calls);
        assertTrue(scripts.get("small fit 2").contains(" (2/2)'"), "split into numbered parts");
        String azureCloud = scripts.get("entra-connect bound");
        assertTrue(azureCloud.contains("AzureCloud tcp 80,443 (1/"), "AzureCloud has more than 1,000 prefixes: split");
    }

    static final Set<String> COMMANDS = Set.of("New-NetFirewallRule", "Get-NetFirewallRule", "Remove-NetFirewallRule",
            "Out-Null");
    static final Set<String> PARAMS = Set.of("-Group", "-DisplayName", "-Description", "-Direction", "-Action",
            "-Profile", "-Protocol", "-RemotePort", "-LocalPort", "-RemoteAddress");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}(-[0-9]{1,5})?");
    private static final Pattern IF_ROLE = Pattern.compile("if \\(\\$Role -contains '([A-Za-z0-9._-]+)'\\) \\{");

    /** The checks of one script; returns the number of New-NetFirewallRule calls. */
    static int checkPowerShell(String name, String script, PowerShellGrammar.Parsed parsed, Expansion e,
            RenderOptions options) {
        String[] lines = script.split("\r\n", -1);
        assertEquals("#Requires -RunAsAdministrator", lines[0], name);
        int stop = script.indexOf("\r\n$ErrorActionPreference = 'Stop'\r\n");
        int remove = script.indexOf("\r\nGet-NetFirewallRule -Group $Group -ErrorAction Ignore | Remove-NetFirewallRule\r\n");
        int first = script.indexOf("New-NetFirewallRule");
        assertTrue(stop > 0 && remove > stop && (first < 0 || first > remove), name + ": stop on error, then remove");
        // Which role's block each line is in.
        String[] blockOf = new String[lines.length + 1];
        String current = null;
        for (int i = 0; i < lines.length; i++) {
            Matcher m = IF_ROLE.matcher(lines[i]);
            if (m.matches()) {
                current = m.group(1);
            } else if (lines[i].equals("}")) {
                current = null;
            }
            blockOf[i + 1] = current;
        }
        Map<String, List<IpPrefix>> actual = new TreeMap<>();
        Map<String, String> roleOf = new TreeMap<>();
        int calls = 0;
        for (PowerShellGrammar.Command c : parsed.commands()) {
            assertTrue(COMMANDS.contains(c.name()), name + ": unexpected command " + c.name());
            if (!c.name().equals("New-NetFirewallRule")) {
                continue;
            }
            calls++;
            Set<String> seen = new HashSet<>();
            for (PowerShellGrammar.Param p : c.params()) {
                assertNotNull(p.name(), name + ": a bare argument " + p.value());
                assertTrue(PARAMS.contains(p.name()), name + ": unexpected parameter " + p.name());
                assertTrue(seen.add(p.name()), name + ": " + p.name() + " twice");
                if (!p.name().equals("-Group") && !p.name().equals("-Direction") && !p.name().equals("-Action")
                        && !p.name().equals("-Profile") && !p.name().equals("-Protocol")) {
                    // Every data-derived value is made of single-quoted literals only.
                    StringBuilder rebuilt = new StringBuilder(p.name().equals("-RemoteAddress") ? "@(" : "");
                    for (int i = 0; i < p.strings().size(); i++) {
                        assertNotNull(p.strings().get(i), name + ": an expandable string in " + p.name());
                        rebuilt.append(i == 0 ? "" : ", ").append(PowerShellRenderer.quote(p.strings().get(i)));
                    }
                    assertEquals(rebuilt + (p.name().equals("-RemoteAddress") ? ")" : ""), p.value(),
                            name + ": " + p.name() + " is nothing but literals");
                }
            }
            assertEquals("$Group", c.param("-Group").value(), name);
            assertEquals("Allow", c.param("-Action").value(), name);
            assertEquals("Any", c.param("-Profile").value(), name);
            String direction = c.param("-Direction").value();
            assertTrue(direction.equals("Inbound") || direction.equals("Outbound"), name + ": " + direction);
            String protocol = c.param("-Protocol").value();
            assertTrue(Set.of("TCP", "UDP", "ICMPv4", "ICMPv6", "Any").contains(protocol), name + ": " + protocol);
            PowerShellGrammar.Param ports = c.param(direction.equals("Inbound") ? "-LocalPort" : "-RemotePort");
            assertEquals(null, c.param(direction.equals("Inbound") ? "-RemotePort" : "-LocalPort"),
                    name + ": ports on the wrong end for " + direction);
            if (ports != null) {
                assertTrue(protocol.equals("TCP") || protocol.equals("UDP"), name + ": ports on " + protocol);
                ports.strings().forEach(x -> assertTrue(PORT.matcher(x).matches(), x));
            }
            List<String> addresses = c.param("-RemoteAddress").strings();
            assertTrue(addresses.size() >= 1 && addresses.size() <= options.fit().maxEntries()
                    && addresses.size() <= FitProfile.windows().maxEntries(), name + ": " + addresses.size()
                    + " addresses in one rule");
            String key = direction + " " + c.param("-Description").strings().get(0) + " "
                    + (ports == null ? "" : String.join(",", ports.strings()));
            List<IpPrefix> list = actual.computeIfAbsent(key, k -> new ArrayList<>());
            for (String a : addresses) {
                list.add(IpPrefix.parse(a));
            }
            String block = blockOf[c.row()];
            assertNotNull(block, name + ": a rule outside a role block");
            roleOf.merge(key, block == null ? "?" : block, (x, y) -> x.equals(y) ? x : x + "|" + y);
        }
        // What the expansion says, computed from the rules, not from the script.
        Map<String, List<IpPrefix>> expected = new TreeMap<>();
        Map<String, String> expectedRole = new TreeMap<>();
        Map<String, Integer> rulesPerKey = new TreeMap<>();
        for (Rule r : e.rules()) {
            String ports = String.join(",", Plan.ports(r).stream().map(Object::toString).toList());
            if (r.kind() != RuleKind.FQDN && !r.prefixes().isEmpty()) {
                String key = "Outbound " + Plan.comment(r) + " " + ports;
                expected.computeIfAbsent(key, k -> new ArrayList<>()).addAll(r.prefixes());
                expectedRole.put(key, r.from());
                rulesPerKey.merge(key, 1, Integer::sum);
            }
            if (r.kind() == RuleKind.ROLE && !r.fromPrefixes().isEmpty()) {
                String key = "Inbound " + Plan.inboundComment(r) + " " + ports;
                expected.computeIfAbsent(key, k -> new ArrayList<>()).addAll(r.fromPrefixes());
                expectedRole.put(key, r.to());
                rulesPerKey.merge(key, 1, Integer::sum);
            }
        }
        assertEquals(expected.keySet(), actual.keySet(), name + ": the rule groups of the script");
        for (Map.Entry<String, List<IpPrefix>> x : expected.entrySet()) {
            List<IpPrefix> got = actual.get(x.getKey());
            assertEquals(RealDataRealToolsTest.union(x.getValue().stream().map(IpPrefix::toString).toList()),
                    RealDataRealToolsTest.union(got.stream().map(IpPrefix::toString).toList()),
                    name + ": the addresses of " + x.getKey());
            if (rulesPerKey.get(x.getKey()) == 1) {
                assertEquals(got.size(), new HashSet<>(got).size(), name + ": a prefix twice in " + x.getKey());
                for (IpPrefix p : got) {
                    assertTrue(x.getValue().contains(p) || options.aggregate(), name + ": " + p + " is not a prefix of "
                            + x.getKey());
                }
            }
            String role = expectedRole.get(x.getKey());
            if (role.matches("[A-Za-z][A-Za-z0-9._-]{0,63}")) { // a name the script keeps as it is
                assertEquals(role, roleOf.get(x.getKey()), name + ": " + x.getKey() + " in the block of its role");
            }
        }
        return calls;
    }

    // ---- entra-connect: the domain controllers ---------------------------------------------------------------

    /**
     * Table 1 of the seed document ("Microsoft Entra Connect and On-premises AD"): protocol and port of every row,
     * TCP/UDP rows as two flows.
     */
    static final Set<String> TABLE_1 = new TreeSet<>(List.of("tcp 53", "udp 53", "tcp 88", "udp 88", "tcp 135",
            "tcp 389", "udp 389", "tcp 445", "tcp 636", "udp 636", "tcp 49152-65535", "tcp 5985", "tcp 9389",
            "tcp 3268"));
    /** Table 3 ("Microsoft Entra Connect and AD FS Federation Servers/WAP"): to the AD FS and WAP servers. */
    static final Set<String> TABLE_3 = new TreeSet<>(List.of("tcp 80", "tcp 443", "tcp 5985"));

    @Test
    void entraConnectDomainControllersAcceptTable1FromTheConnectServerOnly() throws IOException {
        Expansion e = Expander.expand(ServiceTags.bundled(), Catalog.bundled(), "entra-connect", REGION,
                ExpandOptions.builder().bind("connect-server=10.10.0.10/32").bind("domain-controller=10.20.0.0/28")
                        .build());
        List<String> warnings = new ArrayList<>();
        String nft = Samples.render("nft", e, warnings);
        Map<String, Set<String>> inbound = nftInbound(nft);
        assertEquals(TABLE_1, inbound.get("domain-controller_in"), nft);
        assertEquals(TABLE_3, inbound.get("adfs-server_in"));
        assertEquals(TABLE_3, inbound.get("wap-server_in"));
        assertEquals(Set.of("domain-controller_in", "adfs-server_in", "wap-server_in"), inbound.keySet(),
                "no inbound chain for a role whose sources are all unbound");
        // Every inbound rule matches the connect server's set; nothing else is a source.
        for (String line : nft.split("\n")) {
            if (line.contains(" saddr @")) {
                assertTrue(line.contains("ip saddr @connect-server_v4 "), line);
            }
        }
        for (String unbound : List.of("wap-server -> adfs-server tcp 443", "client -> wap-server tcp 443",
                "client -> wap-server tcp 49443")) {
            String from = unbound.substring(0, unbound.indexOf(' '));
            assertTrue(warnings.contains("nft: inbound not rendered: " + unbound + ": " + from + " is not bound;"
                    + " --bind " + from + "=CIDR writes the inbound rule on " + unbound.split(" ")[2]), warnings::toString);
        }
        RealTools.assume();
        RealTools.nftCheck(dir, nft);
        RealTools.ipsetIptables(dir, Samples.render("ipset", e, warnings), Samples.render("iptables", e, warnings),
                Samples.render("ip6tables", e, warnings), null);

        // The same in the NSG: Inbound rules from the connect server to the domain controllers.
        List<?> nsg = (List<?>) TestJson.parse(Samples.render("nsg", e, options(), new ArrayList<>()));
        Set<String> dc = new TreeSet<>();
        for (Object o : nsg) {
            Map<?, ?> props = (Map<?, ?>) ((Map<?, ?>) o).get("properties");
            if ("Inbound".equals(props.get("direction"))) {
                assertEquals("10.10.0.10/32", props.get("sourceAddressPrefix"), props.toString());
                if ("10.20.0.0/28".equals(props.get("destinationAddressPrefix"))) {
                    dc.add(props.get("protocol").toString().toLowerCase() + " " + props.get("destinationPortRange"));
                }
            }
        }
        assertEquals(TABLE_1, dc);
    }

    private static final Pattern NFT_CHAIN = Pattern.compile("\tchain (\\S+) \\{\n(.*?)\n\t}", Pattern.DOTALL);
    private static final Pattern NFT_PORT = Pattern.compile(" (tcp|udp) dport ([0-9-]+) accept");

    /** Inbound chain name to the "protocol port" of its rules. */
    static Map<String, Set<String>> nftInbound(String nft) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        Matcher m = NFT_CHAIN.matcher(nft);
        while (m.find()) {
            if (!m.group(1).endsWith("_in")) {
                continue;
            }
            Set<String> rules = new TreeSet<>();
            for (String line : m.group(2).split("\n")) {
                Matcher p = NFT_PORT.matcher(line);
                assertTrue(p.find(), line);
                rules.add(p.group(1) + " " + p.group(2));
            }
            out.put(m.group(1), rules);
        }
        return out;
    }

    // ---- azfw -----------------------------------------------------------------------------------------------

    static final Set<String> NETWORK_RULE_KEYS = Set.of("ruleType", "name", "description", "ipProtocols",
            "sourceAddresses", "destinationAddresses", "destinationFqdns", "destinationPorts");
    static final Set<String> APPLICATION_RULE_KEYS = Set.of("ruleType", "name", "description", "protocols",
            "sourceAddresses", "targetFqdns");

    @Test
    void azfwIsARuleCollectionGroupNamingEveryTagAndFqdnFlow() {
        ServiceTags st = ServiceTags.bundled();
        for (Map.Entry<String, Expansion> c : expansions().entrySet()) {
            String what = c.getKey();
            List<String> warnings = new ArrayList<>();
            Map<?, ?> doc = (Map<?, ?>) TestJson.parse(Samples.render("azfw", c.getValue(), options(), warnings));
            assertEquals(List.of("$schema", "contentVersion", "metadata", "parameters", "resources"),
                    List.copyOf(doc.keySet()), what);
            assertEquals("https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                    doc.get("$schema"));
            assertEquals("1.0.0.0", doc.get("contentVersion"));
            Map<?, ?> parameters = (Map<?, ?>) doc.get("parameters");
            assertEquals("string", ((Map<?, ?>) parameters.get("firewallPolicyName")).get("type"));
            assertEquals("int", ((Map<?, ?>) parameters.get("priority")).get("type"));
            List<?> resources = (List<?>) doc.get("resources");
            assertEquals(1, resources.size());
            Map<?, ?> group = (Map<?, ?>) resources.get(0);
            assertEquals(List.of("type", "apiVersion", "name", "properties"), List.copyOf(group.keySet()));
            assertEquals("Microsoft.Network/firewallPolicies/ruleCollectionGroups", group.get("type"));
            assertEquals(AzfwRenderer.API_VERSION, group.get("apiVersion"));
            assertEquals("[format('{0}/{1}', parameters('firewallPolicyName'), 'servicetags-"
                    + c.getValue().product() + "')]", group.get("name"));
            Map<?, ?> props = (Map<?, ?>) group.get("properties");
            assertEquals(List.of("priority", "ruleCollections"), List.copyOf(props.keySet()));
            Map<String, List<Map<?, ?>>> byType = new LinkedHashMap<>();
            Set<Object> priorities = new HashSet<>();
            for (Object o : (List<?>) props.get("ruleCollections")) {
                Map<?, ?> rc = (Map<?, ?>) o;
                assertEquals(List.of("ruleCollectionType", "name", "priority", "action", "rules"),
                        List.copyOf(rc.keySet()), what);
                assertEquals("FirewallPolicyFilterRuleCollection", rc.get("ruleCollectionType"));
                assertEquals(Map.of("type", "Allow"), rc.get("action"));
                int priority = ((Number) rc.get("priority")).intValue();
                assertTrue(priority >= 100 && priority <= 65000 && priorities.add(priority), what + " " + priority);
                Set<String> names = new HashSet<>();
                for (Object r : (List<?>) rc.get("rules")) {
                    Map<?, ?> rule = (Map<?, ?>) r;
                    String type = (String) rule.get("ruleType");
                    assertTrue(type.equals("NetworkRule") ? NETWORK_RULE_KEYS.containsAll(rule.keySet())
                            : type.equals("ApplicationRule") && APPLICATION_RULE_KEYS.containsAll(rule.keySet()),
                            what + ": " + rule.keySet());
                    assertTrue(names.add((String) rule.get("name")), what + ": duplicate " + rule.get("name"));
                    Object sources = rule.get("sourceAddresses");
                    assertTrue(sources instanceof List<?> l && !l.isEmpty() && !l.contains("*")
                            || sources instanceof String p && p.startsWith("[parameters('sources_"),
                            what + ": sources " + sources);
                    byType.computeIfAbsent(type, k -> new ArrayList<>()).add(rule);
                }
            }
            for (Rule r : c.getValue().rules()) {
                String description = Plan.comment(r);
                if (r.kind() == RuleKind.TAG && !r.prefixes().isEmpty()) {
                    boolean fw = options().azfwServiceTag(r.to());
                    assertTrue(byType.get("NetworkRule").stream().anyMatch(x -> description.equals(x.get("description"))
                            && (fw ? List.of(r.to()) : r.prefixes(io.github.servicetags.IpFamily.IPV4).stream()
                                    .map(IpPrefix::toString).toList()).equals(x.get("destinationAddresses"))),
                            what + ": a network rule to " + r.to());
                } else if (r.kind() == RuleKind.FQDN) {
                    assertTrue(byType.get("ApplicationRule").stream().anyMatch(x -> description.equals(
                            x.get("description")) && ((List<?>) x.get("targetFqdns")).containsAll(r.fqdns())),
                            what + ": an application rule for " + r.fqdns());
                }
                if (r.fromPrefixes().isEmpty()) {
                    assertTrue(warnings.stream().anyMatch(w -> w.startsWith("azfw: " + Plan.describe(r) + ": "
                            + r.from() + " has no IPv4 prefix bound; the rule takes its sources from the template"
                            + " parameter sources_")) || warnings.stream().anyMatch(w -> w.startsWith(
                            "azfw: not rendered: " + Plan.describe(r))), what + ": " + r);
                }
            }
        }
    }

    /** Every bundled product with each role bound to {@code n} separate IPv4 /32s (and the rest as usual). */
    static Map<String, Expansion> manySources(int n) {
        Map<String, Expansion> out = new LinkedHashMap<>();
        int block = 0;
        for (Product p : Catalog.bundled().products()) {
            ExpandOptions.Builder b = ExpandOptions.builder();
            for (Map.Entry<String, List<IpPrefix>> bind : RealDataRealToolsTest.binds(p).entrySet()) {
                block++;
                if (p.roles().contains(bind.getKey())) {
                    for (int k = 0; k < n; k++) { // every other address: nothing adjacent to merge
                        b.bind(bind.getKey(), IpPrefix.parse("10." + block + "." + (k / 128) + "." + (2 * (k % 128))
                                + "/32"));
                    }
                } else {
                    bind.getValue().forEach(x -> b.bind(bind.getKey(), x));
                }
            }
            out.put(p.id(), Expander.expand(ServiceTags.bundled(), Catalog.bundled(), p.id(), REGION, b.build()));
        }
        return out;
    }

    @Test
    void azfwWritesLongSourceListsOnceAsAnIpGroup() {
        int referenced = 0;
        for (Map.Entry<String, Expansion> c : manySources(150).entrySet()) {
            String what = c.getKey();
            Expansion e = c.getValue();
            String text = Samples.render("azfw", e, options(), new ArrayList<>());
            Map<?, ?> doc = (Map<?, ?>) TestJson.parse(text);
            List<?> resources = (List<?>) doc.get("resources");
            Map<?, ?> group = (Map<?, ?>) resources.get(resources.size() - 1);
            assertEquals("Microsoft.Network/firewallPolicies/ruleCollectionGroups", group.get("type"), what);
            Map<String, List<?>> ipGroups = new LinkedHashMap<>();
            for (Object o : resources.subList(0, resources.size() - 1)) {
                Map<?, ?> ip = (Map<?, ?>) o;
                assertEquals(List.of("type", "apiVersion", "name", "location", "properties"),
                        List.copyOf(ip.keySet()), what);
                assertEquals("Microsoft.Network/ipGroups", ip.get("type"));
                assertEquals("[resourceGroup().location]", ip.get("location"));
                String name = (String) ip.get("name");
                assertTrue(name.matches("servicetags-[A-Za-z0-9._-]{0,66}[A-Za-z0-9_]"), what + ": " + name);
                assertEquals(null, ipGroups.put("[resourceId('Microsoft.Network/ipGroups', '" + name + "')]",
                        (List<?>) ((Map<?, ?>) ip.get("properties")).get("ipAddresses")), what + ": twice " + name);
            }
            assertEquals(List.copyOf(ipGroups.keySet()), group.get("dependsOn"), what);
            Set<String> used = new HashSet<>();
            for (Object o : (List<?>) ((Map<?, ?>) group.get("properties")).get("ruleCollections")) {
                for (Object x : (List<?>) ((Map<?, ?>) o).get("rules")) {
                    Map<?, ?> rule = (Map<?, ?>) x;
                    Rule r = e.rules().stream().filter(y -> Plan.comment(y).equals(rule.get("description")))
                            .findFirst().orElseThrow();
                    List<String> v4 = r.fromPrefixes(io.github.servicetags.IpFamily.IPV4).stream()
                            .map(IpPrefix::toString).toList();
                    if (v4.size() > AzfwRenderer.IP_GROUP_THRESHOLD) {
                        assertEquals(150, v4.size(), what);
                        assertFalse(rule.containsKey("sourceAddresses"), what + ": " + rule.get("name"));
                        List<?> refs = (List<?>) rule.get("sourceIpGroups");
                        assertEquals(1, refs.size(), what);
                        assertEquals(v4, ipGroups.get((String) refs.get(0)), what + ": " + rule.get("name"));
                        used.add((String) refs.get(0));
                        referenced++;
                    } else {
                        assertFalse(rule.containsKey("sourceIpGroups"), what + ": " + rule.get("name"));
                    }
                }
            }
            assertEquals(ipGroups.keySet(), used, what + ": every IP Group is used");
            // Every source CIDR of a bound role is written exactly once, in its IP Group, and no rule repeats it.
            List<Object> written = new ArrayList<>();
            ipGroups.values().forEach(written::addAll);
            for (Object o : (List<?>) ((Map<?, ?>) group.get("properties")).get("ruleCollections")) {
                for (Object x : (List<?>) ((Map<?, ?>) o).get("rules")) {
                    Object inline = ((Map<?, ?>) x).get("sourceAddresses");
                    if (inline instanceof List<?> l) {
                        written.addAll(l);
                    }
                }
            }
            for (Rule r : e.rules()) {
                if (r.fromPrefixes().size() > AzfwRenderer.IP_GROUP_THRESHOLD) {
                    for (IpPrefix x : r.fromPrefixes(io.github.servicetags.IpFamily.IPV4)) {
                        assertEquals(1, written.stream().filter(x.toString()::equals).count(), what + ": " + x);
                    }
                }
            }
        }
        assertTrue(referenced > 0, "rules with an IP Group: " + referenced);
    }

    @Test
    void azfwRefusesASourceListLargerThanAnIpGroup() {
        Map.Entry<String, Expansion> c = manySources(AzfwRenderer.IP_GROUP_LIMITS.maxEntries() + 1).entrySet()
                .stream().filter(x -> x.getValue().rules().stream().anyMatch(r -> !r.fromPrefixes().isEmpty()))
                .findFirst().orElseThrow();
        Rule first = c.getValue().rules().stream().filter(r -> !r.fromPrefixes().isEmpty()).findFirst()
                .orElseThrow();
        LimitExceededException ex = org.junit.jupiter.api.Assertions.assertThrows(LimitExceededException.class,
                () -> Renderers.render("azfw", c.getValue(), options(), new java.io.StringWriter(),
                        new ArrayList<>()));
        assertEquals(5001, ex.needed());
        assertEquals(5000, ex.allowed());
        assertTrue(ex.getMessage().contains("5001 IPv4 source prefixes; an Azure Firewall IP Group holds at most"
                + " 5000: give --aggregate, or bind the role to fewer, wider CIDRs"), ex.getMessage());
        assertTrue(ex.getMessage().contains(first.from()) || ex.getMessage().startsWith("azfw: role "),
                ex.getMessage());
    }

    // ---- packet filters with inbound chains on every product ------------------------------------------------

    @Test
    void everyProductsInboundChainsLoad() throws IOException {
        RealTools.assume();
        for (Map.Entry<String, Expansion> c : expansions().entrySet()) {
            List<String> w = new ArrayList<>();
            String nft = Samples.render("nft", c.getValue(), w);
            boolean roleFlows = c.getValue().rules().stream().anyMatch(r -> r.kind() == RuleKind.ROLE);
            assertEquals(roleFlows && c.getKey().endsWith(" bound"), nft.contains("_in {"), c.getKey());
            RealTools.nftCheck(dir, nft);
            String v4 = Samples.render("iptables", c.getValue(), w);
            assertEquals(roleFlows && c.getKey().endsWith(" bound"), v4.contains(":st-in-"), c.getKey());
            RealTools.ipsetIptables(dir, Samples.render("ipset", c.getValue(), w), v4,
                    Samples.render("ip6tables", c.getValue(), w), null);
        }
    }
}
