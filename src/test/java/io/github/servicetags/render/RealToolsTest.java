package io.github.servicetags.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.servicetags.catalog.Expansion;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated scripts loaded by the real tools in a throw-away namespace ({@code unshare -rn}): nft checks and
 * loads the ruleset (twice: a re-load must not fail or duplicate), ipset restores the sets (twice), iptables and
 * ip6tables check their rules against them, and the loaded sets hold exactly the expected addresses.
 */
class RealToolsTest {
    @TempDir
    Path dir;

    @BeforeEach
    void tools() {
        RealTools.assume();
    }

    @Test
    void nftChecksTheSmallRuleset() throws IOException {
        RealTools.nftCheck(dir, Samples.render("nft", Samples.small(), new ArrayList<>()));
    }

    @Test
    void nftLoadsTwiceAndTheSetsHoldTheAddresses() throws IOException {
        String ruleset = Samples.render("nft", Samples.small(), new ArrayList<>());
        String listed = RealTools.nftLoadAndList(dir, ruleset,
                "nft list set inet st_veeam-backup-azure Sql.WestEurope_v4"
                        + " && nft list chain inet st_veeam-backup-azure worker_out | grep -c accept");
        assertTrue(listed.contains("13.69.112.0/27"), listed); // the two adjacent /28 are merged by auto-merge
        assertTrue(listed.strip().endsWith("7"), "7 rules after loading twice, not 14:\n" + listed);
    }

    @Test
    void ipsetAndIptablesAcceptTheSmallRules() throws IOException {
        List<String> w = new ArrayList<>();
        String ipset = Samples.render("ipset", Samples.small(), w);
        // "st4-everything.veeam-backup-azure" is 33 characters: shortened, with a hash of the full name.
        String everything = "st4-everything.veeam-b_" + SafeNames.hash("everything.veeam-backup-azure");
        assertTrue(ipset.contains("create " + everything + " "), ipset);
        String listed = RealTools.ipsetIptables(dir, ipset, Samples.render("iptables", Samples.small(), w),
                Samples.render("ip6tables", Samples.small(), w),
                "ipset restore < \"$1\" && ipset save st4-Sql.WestEurope && ipset save " + everything);
        TreeSet<String> adds = new TreeSet<>();
        for (String line : listed.split("\n")) {
            if (line.startsWith("add ")) {
                adds.add(line);
            }
        }
        assertEquals(new TreeSet<>(List.of("add st4-Sql.WestEurope 13.69.112.0/28",
                "add st4-Sql.WestEurope 13.69.112.16/28", "add " + everything + " 0.0.0.0/1",
                "add " + everything + " 128.0.0.0/1")), adds, listed);
    }

    @Test
    void ipsetAndIptablesReloadWithoutDuplicates() throws IOException {
        List<String> w = new ArrayList<>();
        String out = RealTools.ipsetIptables(dir, Samples.render("ipset", Samples.small(), w),
                Samples.render("iptables", Samples.small(), w), Samples.render("ip6tables", Samples.small(), w),
                "ipset restore < \"$1\" && ipset restore < \"$1\""
                        + " && iptables-restore --noflush < \"$2\" && iptables-restore --noflush < \"$2\""
                        + " && ip6tables-restore --noflush < \"$3\" && ip6tables-restore --noflush < \"$3\""
                        + " && iptables -S | grep -c '^-A' && ip6tables -S | grep -c '^-A'");
        // 6 outbound IPv4 rules and the 2 inbound ones on the proxy (17 ports: two multiport rules); 3 + 2 for IPv6.
        assertEquals("8\n5", out.strip(), "8 IPv4 and 5 IPv6 rules after loading twice");
    }

    @Test
    void hostileExpansionLoads() throws IOException {
        Expansion e = Samples.hostile();
        List<String> w = new ArrayList<>();
        RealTools.nftLoadAndList(dir, Samples.render("nft", e, w), "nft list tables");
        RealTools.ipsetIptables(dir, Samples.render("ipset", e, w), Samples.render("iptables", e, w),
                Samples.render("ip6tables", e, w), null);
    }

    @Test
    void emptyExpansionLoads() throws IOException {
        Expansion empty = new Expansion("empty", "", "Public", 1, List.of(), List.of());
        List<String> w = new ArrayList<>();
        RealTools.nftLoadAndList(dir, Samples.render("nft", empty, w), "nft list tables");
        RealTools.ipsetIptables(dir, Samples.render("ipset", empty, w), Samples.render("iptables", empty, w),
                Samples.render("ip6tables", empty, w), null);
        assertEquals(List.of(), w);
        assertEquals("[ ]\n", Samples.render("nsg", empty, w));
        assertEquals("", Samples.render("edl", empty, w));
    }

    @Test
    void aggregatedOutputLoads() throws IOException {
        RenderOptions o = RenderOptions.builder().aggregate(true).build();
        List<String> w = new ArrayList<>();
        RealTools.nftCheck(dir, Samples.render("nft", Samples.small(), o, w));
        RealTools.ipsetIptables(dir, Samples.render("ipset", Samples.small(), o, w),
                Samples.render("iptables", Samples.small(), o, w), Samples.render("ip6tables", Samples.small(), o, w),
                null);
    }
}
