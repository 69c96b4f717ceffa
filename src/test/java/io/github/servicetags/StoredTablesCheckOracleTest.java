package io.github.servicetags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link PrefixIndex#ofStoredTables} checks the ranks of a node's slots by ranges, four a node: the oracle here walks
 * every lookup path instead (each /16, each slot of each node reached, its rank by {@link PrefixIndex#rankOf} and
 * its value), and both must accept and refuse the same forged tables.
 */
class StoredTablesCheckOracleTest {
    /** True if every IPv4 lookup path of the tables stays inside them: the brute-force walk. */
    static boolean everyPathInside(PrefixIndexTablesTest.Tables t) {
        PrefixIndex x = t.unchecked();
        int nodes = t.nodes4().length / 5;
        byte[] level = new byte[nodes];
        for (int d : t.dir4()) {
            if (d < 0 ? ~d >= t.sets().length : !walk(x, d, 1, level)) {
                return false;
            }
        }
        return true;
    }

    private static boolean walk(PrefixIndex x, int n, int lvl, byte[] level) {
        if (n >= level.length) {
            return false;
        }
        if (level[n] != 0) {
            return level[n] == lvl;
        }
        level[n] = (byte) lvl;
        for (int s = 0; s < 256; s++) {
            long r = x.rankOf(n, s);
            if (r < 0 || r >= x.vals4.length) {
                return false;
            }
            int v = x.vals4[(int) r];
            boolean ok = lvl == 2 ? v >= 0 && v < x.sets.length : v < 0 ? ~v < x.sets.length : walk(x, v, 2, level);
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    @Test
    void rangeChecksAcceptExactlyTheTablesWhosePathsStayInside() {
        PrefixIndex good = PrefixIndex.build(PrefixIndexTablesTest.TAGS);
        PrefixIndexTablesTest.Tables base = PrefixIndexTablesTest.Tables.of(good);
        assertTrue(everyPathInside(base));
        Random rnd = new Random(14);
        int refused = 0;
        for (int i = 0; i < 20_000; i++) {
            PrefixIndexTablesTest.Tables t = PrefixIndexTablesTest.Tables.of(good);
            for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
                switch (rnd.nextInt(4)) {
                    case 0 -> { // a count word: base, or one per-word count byte
                        int at = 5 * rnd.nextInt(t.nodes4().length / 5) + 4;
                        t.nodes4()[at] ^= rnd.nextBoolean() ? 1L << rnd.nextInt(6) : 1L << (32 + rnd.nextInt(32));
                    }
                    case 1 -> { // a bitmap word
                        int at = 5 * rnd.nextInt(t.nodes4().length / 5) + rnd.nextInt(4);
                        t.nodes4()[at] ^= 1L << rnd.nextInt(64);
                    }
                    case 2 -> { // a run value: another set, another node, out of range
                        int at = rnd.nextInt(t.vals4().length);
                        t.vals4()[at] = rnd.nextInt(3) == 0 ? ~rnd.nextInt(t.sets().length + 2)
                                : rnd.nextInt(t.nodes4().length / 5 + 2);
                    }
                    default -> { // a /16 that points at a node
                        int at = 10 << 8 | rnd.nextInt(4);
                        t.dir4()[at] = rnd.nextBoolean() ? rnd.nextInt(t.nodes4().length / 5 + 2) : ~rnd.nextInt(5);
                    }
                }
            }
            boolean want = everyPathInside(t);
            assertEquals(want, t.stored() != null, "forgery " + i);
            refused += want ? 0 : 1;
        }
        assertTrue(refused > 5_000 && refused < 19_000, refused + " of 20,000 forgeries refused");
    }
}
