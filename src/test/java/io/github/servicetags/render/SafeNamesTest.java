package io.github.servicetags.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SafeNamesTest {
    @Test
    void cleanShortNamesStayReadable() {
        assertEquals("st4-Sql.WestEurope", SafeNames.identifier("st4-", "Sql.WestEurope", "", SafeNames.IPSET_MAX));
        assertEquals("Sql.WestEurope_v4", SafeNames.identifier("", "Sql.WestEurope", "_v4", SafeNames.NFT_MAX));
    }

    @Test
    void changedOrLongNamesGetAHash() {
        String n = SafeNames.identifier("st4-", "a b", "", SafeNames.IPSET_MAX);
        assertEquals("st4-a_b_" + SafeNames.hash("a b"), n);
        assertNotEquals(n, SafeNames.identifier("st4-", "a_b", "", SafeNames.IPSET_MAX));
        String longName = SafeNames.identifier("st4-", "AzureActiveDirectory.ServiceEndpoint", "", SafeNames.IPSET_MAX);
        assertEquals(31, longName.length());
        assertTrue(longName.startsWith("st4-AzureActiveDirecto_"), longName);
        assertEquals("x_" + SafeNames.hash(""), SafeNames.identifier("", "", "", 31));
        assertEquals("x1tag_" + SafeNames.hash("1tag") + "_v4", SafeNames.identifier("", "1tag", "_v4", 31));
    }

    @Test
    void limitsHoldForAnyInput() {
        String[] inputs = {"", "\n", "x".repeat(300), "flush ruleset; \"'`$(x)", "é", "-exist", "ACCEPT",
            "Sql.WestEurope", "a".repeat(31), "a".repeat(32)};
        for (String in : inputs) {
            for (int max : new int[] {SafeNames.IPSET_MAX, SafeNames.IPTABLES_CHAIN_MAX, SafeNames.NFT_MAX}) {
                String n = SafeNames.identifier("st-", in, "", max);
                assertTrue(n.length() <= max, n);
                assertTrue(n.matches("[A-Za-z][A-Za-z0-9._-]*"), n);
            }
        }
    }

    @Test
    void registryNeverHandsOutOneNameTwice() {
        SafeNames.Registry r = new SafeNames.Registry(SafeNames.IPTABLES_CHAIN_MAX);
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
                SafeNames.comment(Samples.EVIL, SafeNames.COMMENT_MAX));
        assertEquals(128, SafeNames.comment("a".repeat(500), SafeNames.COMMENT_MAX).length());
        assertEquals("", SafeNames.comment("\"\"\n", 128));
        String c = SafeNames.comment("[concat('a')] \\ \" ' ` $ ; # \u0000", 128);
        assertEquals("concat( a )", c);
    }

    @Test
    void randomTextNeverEscapesTheAlphabet() {
        java.util.Random random = new java.util.Random(20261123);
        String specials = "\"'`$;#\\\n\r\t\u0000\u2028\u202e{}[]()<>|&*?!=@%+-. _/:,";
        SafeNames.Registry registry = new SafeNames.Registry(SafeNames.IPSET_MAX);
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
            String id = SafeNames.identifier("st4-", raw, "", SafeNames.IPSET_MAX);
            assertTrue(id.length() <= SafeNames.IPSET_MAX && id.matches("st4-[A-Za-z0-9._-]*"), id);
            assertEquals(id, SafeNames.identifier("st4-", raw, "", SafeNames.IPSET_MAX), "stable");
            String c = SafeNames.comment(raw, SafeNames.COMMENT_MAX);
            assertTrue(c.length() <= SafeNames.COMMENT_MAX && c.matches("[A-Za-z0-9 .,:/()_+=@%&!?<>*-]*"), c);
            assertTrue(names.add(registry.name(raw, "st4-", raw, "")) || names.contains(registry.name(raw, "st4-",
                    raw, "")), "same key, same name");
            String d = SafeNames.display(raw);
            assertTrue(d.chars().noneMatch(ch -> ch < 0x20 || ch == 0x7f || ch == 0x2028 || ch == 0x202e), d);
        }
    }

    @Test
    void displayEscapesControlCharacters() {
        assertEquals("a\\u000ab\\u001b[31m\\u202e", SafeNames.display("a\nb\u001b[31m\u202e"));
    }

    /** Every character of the first 0x3000 code units, against the documented alphabet (a regex, not the code). */
    @Test
    void identifiersKeepExactlyTheDocumentedAlphabet() {
        for (int i = 0; i < 0x3000; i++) {
            char c = (char) i;
            String in = "a" + c + "b";
            String got = SafeNames.identifier("st-", in, "", SafeNames.IPSET_MAX);
            if (String.valueOf(c).matches("[A-Za-z0-9._-]")) {
                assertEquals("st-" + in, got, () -> "kept: " + (int) c);
            } else {
                assertEquals("st-a_b_" + SafeNames.hash(in), got, () -> "replaced: " + (int) c);
            }
        }
    }

    @Test
    void commentsKeepExactlyTheDocumentedAlphabet() {
        for (int i = 0; i < 0x3000; i++) {
            char c = (char) i;
            String in = "a" + c + "b";
            boolean keep = String.valueOf(c).matches("[A-Za-z0-9 .,:/()_+=@%&!?<>*-]");
            assertEquals(keep ? in : "a b", SafeNames.comment(in, SafeNames.COMMENT_MAX), () -> "char " + (int) c);
        }
    }

    @Test
    void commentsAreCutAtTheLimitWithoutATrailingSpace() {
        assertEquals("a".repeat(128), SafeNames.comment("a".repeat(128), 128));
        assertEquals("a".repeat(128), SafeNames.comment("a".repeat(129), 128));
        assertEquals("a".repeat(127), SafeNames.comment("a".repeat(127) + " b", 128));
        assertEquals("a".repeat(127), SafeNames.comment("a".repeat(127) + "\n\n\n", 128));
        assertEquals("a b c", SafeNames.comment("  a \t\n b;;c  ", 128));
        assertEquals("", SafeNames.comment(null, 128));
        assertEquals("ab", SafeNames.comment("abc", 2));
    }

    /** Escaped: ISO control characters, line and paragraph separators and format characters (bidi overrides). */
    @Test
    void displayEscapesExactlyTheInvisibleCharacters() {
        for (int i = 0; i < 0x3000; i++) {
            char c = (char) i;
            int type = Character.getType(c);
            boolean escape = Character.isISOControl(c) || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || type == Character.FORMAT;
            String want = escape ? String.format("x\\u%04xy", (int) c) : "x" + c + "y";
            assertEquals(want, SafeNames.display("x" + c + "y"), () -> "char " + (int) c);
        }
        assertEquals("null", SafeNames.display(null));
    }

    @Test
    void displayShortensAfterEightyCharacters() {
        assertEquals("a".repeat(80), SafeNames.display("a".repeat(80)));
        assertEquals("a".repeat(80) + "...", SafeNames.display("a".repeat(81)));
        assertEquals("a".repeat(80) + "...", SafeNames.display("a".repeat(500)));
    }

    /** The hash is the first 8 hex digits of SHA-256 (the documented, reproducible one), checked against the JDK. */
    @Test
    void hashIsTheSha256Prefix() throws Exception {
        assertEquals("e3b0c442", SafeNames.hash(""));
        for (String s : new String[] {"a b", "Sql.WestEurope", "\u00e9\u202e", "x".repeat(300)}) {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(java.util.HexFormat.of().formatHex(d).substring(0, 8), SafeNames.hash(s), s);
        }
    }
}
