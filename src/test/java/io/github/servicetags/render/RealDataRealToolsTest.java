package io.github.servicetags.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.servicetags.IpFamily;
import io.github.servicetags.IpPrefix;
import io.github.servicetags.ServiceTags;
import io.github.servicetags.catalog.Catalog;
import io.github.servicetags.catalog.Destination;
import io.github.servicetags.catalog.ExpandOptions;
import io.github.servicetags.catalog.Expander;
import io.github.servicetags.catalog.Expansion;
import io.github.servicetags.catalog.Flow;
import io.github.servicetags.catalog.Product;
import io.github.servicetags.catalog.RuleKind;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every product of the bundled catalog, expanded for a region from the real Microsoft files in
 * {@code ../shared/servicetags} (system property {@code servicetags.shared}), rendered in every script format and
 * loaded by the real tools in a throw-away namespace. What the kernel holds afterwards is compared with the tag's
 * prefixes read straight from the data file: the same addresses, no more, no less.
 */
class RealDataRealToolsTest {
    static final List<String> FILES = List.of("ServiceTags_Public_376.json", "ServiceTags_Public_353.json");
    static final List<String> REGIONS = List.of("westeurope", "germanywestcentral");
    private static final Map<String, ServiceTags> LOADED = new HashMap<>();

    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String file : FILES) {
            for (Product p : Catalog.bundled().products()) {
                out.add(Arguments.of(file, p.id(), REGIONS.get(out.size() % REGIONS.size())));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void everyScriptLoadsAndHoldsExactlyTheTagsAddresses(String file, String product, String region)
            throws IOException {
        ServiceTags st = data(file);
        RealTools.assume();
        Catalog catalog = Catalog.bundled();
        ExpandOptions.Builder options = ExpandOptions.builder();
        Map<String, List<IpPrefix>> binds = binds(catalog.product(product));
        binds.forEach((name, prefixes) -> prefixes.forEach(p -> options.bind(name, p)));
        Expansion e = Expander.expand(st, catalog, product, region, options.build());
        assertFalse(e.rules().isEmpty());

        for (boolean aggregate : new boolean[] {false, true}) {
            RenderOptions ro = RenderOptions.builder().aggregate(aggregate).build();
            List<String> warnings = new ArrayList<>();
            String nft = Samples.render("nft", e, ro, warnings);
            String table = nft.lines().filter(l -> l.startsWith("delete table inet ")).findFirst().orElseThrow()
                    .substring("delete table inet ".length());
            String listed = RealTools.nftLoadAndList(dir, nft, "nft list table inet " + table);
            Map<String, List<String>> kernelSets = nftSets(listed);

            String ipset = Samples.render("ipset", e, ro, warnings);
            String saved = RealTools.ipsetIptables(dir, ipset, Samples.render("iptables", e, ro, warnings),
                    Samples.render("ip6tables", e, ro, warnings), "ipset save");
            Map<String, List<String>> ipsets = new HashMap<>();
            for (String line : saved.split("\n")) {
                if (line.startsWith("add ")) {
                    String[] f = line.split(" ");
                    ipsets.computeIfAbsent(f[1], k -> new ArrayList<>()).add(f[2]);
                }
            }

            // Expected: from the data file (tags) or the binds (roles, hosts, VirtualNetwork), never from the
            // expansion or the renderer.
            Plan nftPlan = NftRenderer.plan(e, ro, new SafeNames.Registry(SafeNames.NFT_MAX), new ArrayList<>());
            Plan ipsetPlan = IpsetRenderer.plan(e, ro, "ipset", null, new ArrayList<>());
            int checked = 0;
            for (int i = 0; i < nftPlan.sets.size(); i++) {
                Plan.AddressSet s = nftPlan.sets.get(i);
                List<IpPrefix> expected = expected(st, e, binds, s);
                String want = union(expected.stream().map(IpPrefix::toString).toList());
                assertEquals(want, union(kernelSets.getOrDefault(s.name(), List.of())),
                        file + " " + product + ": nft set " + s.name());
                Plan.AddressSet is = ipsetPlan.sets.get(i);
                assertEquals(s.label(), is.label());
                assertEquals(want, union(ipsets.getOrDefault(is.name(), List.of())),
                        file + " " + product + ": ipset " + is.name());
                checked++;
            }
            assertEquals(nftPlan.sets.size(), kernelSets.size(), "no other sets in the table");
            long fqdnRules = e.rules().stream().filter(r -> r.kind() == RuleKind.FQDN).count();
            assertTrue(checked > 0 || fqdnRules == e.rules().size(), product + ": nothing was checked");
            long fqdnWarnings = warnings.stream().filter(w -> w.startsWith("nft: ")
                    && w.contains("cannot match host names")).count();
            assertEquals(fqdnRules, fqdnWarnings, "one warning per FQDN rule");
        }
    }

    private static List<IpPrefix> expected(ServiceTags st, Expansion e, Map<String, List<IpPrefix>> binds,
            Plan.AddressSet s) {
        // A set is a destination (tag, role, host) or the source role of inbound rules (a bound role).
        RuleKind kind = e.rules().stream().filter(r -> r.to().equals(s.label())).findFirst()
                .map(r -> r.kind()).orElse(RuleKind.ROLE);
        List<IpPrefix> all = kind == RuleKind.TAG && st.tag(s.label()).isPresent()
                ? st.prefixes(s.label()) : binds.get(s.label());
        return all.stream().filter(p -> p.family() == s.family()).toList();
    }

    /** A distinct IPv4 and IPv6 block for every role, and every host and VirtualNetwork a flow sends to. */
    static Map<String, List<IpPrefix>> binds(Product p) {
        Set<String> names = new LinkedHashSet<>(p.roles());
        for (Flow f : p.flows()) {
            Destination d = f.to();
            if (d.kind() == Destination.Kind.ROLE || d.kind() == Destination.Kind.HOST
                    || d.kind() == Destination.Kind.TAG && d.value().equals(Destination.VIRTUAL_NETWORK)) {
                names.add(d.value());
            }
        }
        Map<String, List<IpPrefix>> out = new HashMap<>();
        int i = 1;
        for (String n : names) {
            out.put(n, List.of(IpPrefix.parse("10." + i + ".0.0/16"), IpPrefix.parse("fd00:" + i + "::/32")));
            i++;
        }
        return out;
    }

    private static synchronized ServiceTags data(String file) throws IOException {
        ServiceTags st = LOADED.get(file);
        if (st != null) {
            return st;
        }
        String shared = System.getProperty("servicetags.shared", "../shared");
        Path path = Path.of(shared, "servicetags", file);
        if (!Files.isRegularFile(path)) {
            if (Boolean.getBoolean("servicetags.requireRealData")) {
                fail("real data required (servicetags.requireRealData=true) but " + path + " is missing");
            }
            Assumptions.assumeTrue(false, path + " is missing (set -Dservicetags.shared)");
        }
        st = ServiceTags.load(path);
        LOADED.put(file, st);
        return st;
    }

    private static final Pattern NFT_SET = Pattern.compile("set (\\S+) \\{(.*?)\\n\\t}", Pattern.DOTALL);
    private static final Pattern ELEMENTS = Pattern.compile("elements = \\{(.*?)}", Pattern.DOTALL);

    /** Set name to element tokens from {@code nft list table}. */
    static Map<String, List<String>> nftSets(String listing) {
        Map<String, List<String>> out = new HashMap<>();
        Matcher m = NFT_SET.matcher(listing);
        while (m.find()) {
            List<String> tokens = new ArrayList<>();
            Matcher el = ELEMENTS.matcher(m.group(2));
            if (el.find()) {
                for (String t : el.group(1).split("[,\\s]+")) {
                    if (!t.isEmpty()) {
                        tokens.add(t);
                    }
                }
            }
            out.put(m.group(1), tokens);
        }
        return out;
    }

    /**
     * The merged address intervals of prefix, range ({@code a-b}) and address tokens, as text: an independent
     * check that does not use the renderer's own prefix arithmetic.
     */
    static String union(List<String> tokens) {
        List<BigInteger[]> ranges = new ArrayList<>();
        for (String t : tokens) {
            int slash = t.indexOf('/');
            int dash = t.indexOf('-');
            if (slash > 0) {
                BigInteger a = address(t.substring(0, slash));
                int bits = t.contains(":") ? 128 : 32;
                int len = Integer.parseInt(t.substring(slash + 1));
                ranges.add(new BigInteger[] {a, a.add(BigInteger.ONE.shiftLeft(bits - len)).subtract(BigInteger.ONE)});
            } else if (dash > 0) {
                ranges.add(new BigInteger[] {address(t.substring(0, dash)), address(t.substring(dash + 1))});
            } else {
                BigInteger a = address(t);
                ranges.add(new BigInteger[] {a, a});
            }
        }
        ranges.sort((x, y) -> x[0].compareTo(y[0]));
        StringBuilder sb = new StringBuilder();
        BigInteger s = null;
        BigInteger end = null;
        for (BigInteger[] r : ranges) {
            if (s != null && r[0].compareTo(end.add(BigInteger.ONE)) <= 0) {
                end = end.max(r[1]);
                continue;
            }
            if (s != null) {
                sb.append(s.toString(16)).append('-').append(end.toString(16)).append(' ');
            }
            s = r[0];
            end = r[1];
        }
        if (s != null) {
            sb.append(s.toString(16)).append('-').append(end.toString(16));
        }
        return sb.toString();
    }

    private static BigInteger address(String text) {
        try {
            // Literal addresses only (tokens come from nft and ipset output): no name lookup happens.
            return new BigInteger(1, InetAddress.getByName(text).getAddress());
        } catch (IOException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
