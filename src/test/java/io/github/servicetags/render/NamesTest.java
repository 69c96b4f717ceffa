package io.github.servicetags.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NamesTest {
    @Test
    void cleanShortNamesStayReadable() {
        assertEquals("st4-Sql.WestEurope", Names.identifier("st4-", "Sql.WestEurope", "", Names.IPSET_MAX));
        assertEquals("Sql.WestEurope_v4", Names.identifier("", "Sql.WestEurope", "_v4", Names.NFT_MAX));
    }

    @Test
    void changedOrLongNamesGetAHash() {
        String n = Names.identifier("st4-", "a b", "", Names.IPSET_MAX);
        assertEquals("st4-a_b_" + Names.hash("a b"), n);
        assertNotEquals(n, Names.identifier("st4-", "a_b", "", Names.IPSET_MAX));
        String longName = Names.identifier("st4-", "AzureActiveDirectory.ServiceEndpoint", "", Names.IPSET_MAX);
        assertEquals(31, longName.length());
        assertTrue(longName.startsWith("st4-AzureActiveDirecto_"), longName);
        assertEquals("x_" + Names.hash(""), Names.identifier("", "", "", 31));
        assertEquals("x1tag_" + Names.hash("1tag") + "_v4", Names.identifier("", "1tag", "_v4", 31));
    }

    @Test
    void limitsHoldForAnyInput() {
        String[] inputs = {"", "\n", "x".repeat(300), "flush ruleset; \"'`$(x)", "é", "-exist", "ACCEPT",
            "Sql.WestEurope", "a".repeat(31), "a".repeat(32)};
        for (String in : inputs) {
            for (int max : new int[] {Names.IPSET_MAX, Names.IPTABLES_CHAIN_MAX, Names.NFT_MAX}) {
                String n = Names.identifier("st-", in, "", max);
                assertTrue(n.length() <= max, n);
                assertTrue(n.matches("[A-Za-z][A-Za-z0-9._-]*"), n);
            }
        }
    }

    @Test
    void registryNeverHandsOutOneNameTwice() {
        Names.Registry r = new Names.Registry(Names.IPTABLES_CHAIN_MAX);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            // All share the first 300 characters, so they differ only after truncation.
            assertTrue(names.add(r.name("k" + i, "st-", "y".repeat(300) + i, "")));
        }
        // Same raw text for two keys (two rules to the same role with different addresses).
        String a = r.name("a", "st-", "worker", "");
        String b = r.name("b", "st-", "worker", "");
        assertEquals("st-worker", a);
        assertNotEquals(a, b);
        assertEquals(b, r.name("b", "st-", "worker", ""), "same key, same name");
    }

    @Test
    void commentsKeepASafeAlphabet() {
        assertEquals("x flush ruleset reboot (reboot) HOME -j DROP q */",
                Names.comment(Samples.EVIL, Names.COMMENT_MAX));
        assertEquals(128, Names.comment("a".repeat(500), Names.COMMENT_MAX).length());
        assertEquals("", Names.comment("\"\"\n", 128));
        String c = Names.comment("[concat('a')] \\ \" ' ` $ ; # \u0000", 128);
        assertEquals("concat( a )", c);
    }

    @Test
    void randomTextNeverEscapesTheAlphabet() {
        java.util.Random random = new java.util.Random(20261123);
        String specials = "\"'`$;#\\\n\r\t\u0000\u2028\u202e{}[]()<>|&*?!=@%+-. _/:,";
        Names.Registry registry = new Names.Registry(Names.IPSET_MAX);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 8_000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(i % 100 == 0 ? 400 : 40);
            for (int k = 0; k < n; k++) {
                int pick = random.nextInt(4);
                sb.append(pick == 0 ? specials.charAt(random.nextInt(specials.length()))
                        : pick == 1 ? (char) random.nextInt(0x3000) : (char) ('a' + random.nextInt(26)));
            }
            String raw = sb.toString();
            String id = Names.identifier("st4-", raw, "", Names.IPSET_MAX);
            assertTrue(id.length() <= Names.IPSET_MAX && id.matches("st4-[A-Za-z0-9._-]*"), id);
            assertEquals(id, Names.identifier("st4-", raw, "", Names.IPSET_MAX), "stable");
            String c = Names.comment(raw, Names.COMMENT_MAX);
            assertTrue(c.length() <= Names.COMMENT_MAX && c.matches("[A-Za-z0-9 .,:/()_+=@%&!?<>*-]*"), c);
            assertTrue(names.add(registry.name(raw, "st4-", raw, "")) || names.contains(registry.name(raw, "st4-",
                    raw, "")), "same key, same name");
            String d = Names.display(raw);
            assertTrue(d.chars().noneMatch(ch -> ch < 0x20 || ch == 0x7f || ch == 0x2028 || ch == 0x202e), d);
        }
    }

    @Test
    void displayEscapesControlCharacters() {
        assertEquals("a\\u000ab\\u001b[31m\\u202e", Names.display("a\nb\u001b[31m\u202e"));
    }
}
