package io.github.servicetags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * {@link PrefixIndex#ofStoredTables}, which takes the tables of the binary form only when every number in them points
 * inside them, and {@link PrefixIndex#sameTables}, on which the stored-tables tests rely to notice a difference.
 */
class PrefixIndexTablesTest {
    /** Tables with /16 and /24 nodes, several sets, addresses of no tag inside a /32 node, and IPv6 intervals. */
    static final List<ServiceTag> TAGS = List.of(
            PrefixIndexBuilderOracleTest.tag("A", "10.0.0.0/8", "2001:db8::/32"),
            PrefixIndexBuilderOracleTest.tag("B", "10.1.0.0/17", "10.1.200.7/32", "2001:db8:1::/48"),
            PrefixIndexBuilderOracleTest.tag("C", "10.1.200.0/30", "192.0.2.0/25", "192.0.2.200/32", "2603::/128"));

    /** The arrays of an index, to edit one and build tables from them again. */
    record Tables(TagSet[] sets, int[] dir4, long[] nodes4, int[] vals4, int[] dir6, long[] hi6, long[] lo6,
            int[] ids6, int intervals4) {
        static Tables of(PrefixIndex ix) {
            return new Tables(ix.sets.clone(), ix.dir4.clone(), ix.nodes4.clone(), ix.vals4.clone(), ix.dir6.clone(),
                    ix.hi6.clone(), ix.lo6.clone(), ix.ids6.clone(), ix.intervals4);
        }

        PrefixIndex stored() {
            return PrefixIndex.ofStoredTables(sets, dir4, nodes4, vals4, dir6, hi6, lo6, ids6, intervals4);
        }

        PrefixIndex unchecked() {
            return new PrefixIndex(sets, dir4, nodes4, vals4, dir6, hi6, lo6, ids6, intervals4);
        }

        Tables with(Consumer<Tables> edit) {
            Tables t = of(unchecked());
            edit.accept(t);
            return t;
        }

        Tables dir4(int[] a) {
            return new Tables(sets, a, nodes4, vals4, dir6, hi6, lo6, ids6, intervals4);
        }

        Tables nodes4(long[] a) {
            return new Tables(sets, dir4, a, vals4, dir6, hi6, lo6, ids6, intervals4);
        }

        Tables dir6(int[] a) {
            return new Tables(sets, dir4, nodes4, vals4, a, hi6, lo6, ids6, intervals4);
        }

        Tables v6(long[] hi, long[] lo, int[] ids) {
            return new Tables(sets, dir4, nodes4, vals4, dir6, hi, lo, ids, intervals4);
        }
    }

    static final PrefixIndex BUILT = PrefixIndex.build(TAGS);
    static final Tables GOOD = Tables.of(BUILT);

    @Test
    void theTablesOfABuildAreTakenAndAnswerLikeIt() {
        PrefixIndex stored = GOOD.stored();
        assertNotNull(stored);
        assertTrue(stored.sameTables(BUILT));
        for (String ip : new String[] {"10.0.0.1", "10.1.0.1", "10.1.200.1", "10.1.200.7", "10.1.200.8", "192.0.2.9",
            "192.0.2.128", "192.0.2.200", "192.0.2.201", "11.0.0.0"}) {
            int v = IpPrefix.parse(ip + "/32").ipv4();
            assertEquals(BUILT.lookupIPv4(v).names(), stored.lookupIPv4(v).names(), ip);
        }
        assertEquals(List.of("A", "B"), List.copyOf(stored.lookupIPv6(0x20010db800010000L, 5).names()));
        assertEquals(List.of("C"), List.copyOf(stored.lookupIPv6(0x2603000000000000L, 0).names()));
    }

    @Test
    void tablesOfTheWrongShapeAreRefused() {
        assertNull(GOOD.dir4(Arrays.copyOf(GOOD.dir4, (1 << 16) - 1)).stored());
        assertNull(GOOD.dir4(Arrays.copyOf(GOOD.dir4, (1 << 16) + 1)).stored());
        assertNull(GOOD.dir6(Arrays.copyOf(GOOD.dir6, 1 << 16)).stored());
        assertNull(GOOD.dir6(Arrays.copyOf(GOOD.dir6, (1 << 16) + 2)).stored());
        int n6 = GOOD.hi6.length;
        assertNull(GOOD.v6(GOOD.hi6, Arrays.copyOf(GOOD.lo6, n6 - 1), GOOD.ids6).stored(), "hi6 and lo6 differ");
        assertNull(GOOD.v6(GOOD.hi6, GOOD.lo6, Arrays.copyOf(GOOD.ids6, n6 + 1)).stored(), "ids6 and hi6 differ");
        int[] noInterval = new int[(1 << 16) + 1];
        assertNull(GOOD.v6(new long[0], new long[0], new int[0]).dir6(noInterval).stored(), "no IPv6 interval");
        assertNull(GOOD.nodes4(Arrays.copyOf(GOOD.nodes4, GOOD.nodes4.length - 1)).stored(), "a partial node");
        assertNull(GOOD.nodes4(Arrays.copyOf(GOOD.nodes4, GOOD.nodes4.length + 4)).stored(), "a partial node");
        assertNotNull(GOOD.nodes4(Arrays.copyOf(GOOD.nodes4, GOOD.nodes4.length + 5)).stored(), "an unused node");
    }

    /** The IPv4 address as an int. */
    static int ip(String text) {
        return IpPrefix.parse(text + "/32").ipv4();
    }

    @Test
    void numbersPointingOutsideTheTablesOrAtTheWrongLevelAreRefused() {
        int nsets = GOOD.sets.length;
        int nodes = GOOD.nodes4.length / 5;
        // the lookup path of 10.1.200.7: the /16 node d, its slot 200 (the /32 node m), m's slot 7 (a set id)
        int d = GOOD.dir4[0x0a01];
        int at24 = BUILT.rank(d, 200);
        int m = GOOD.vals4[at24];
        int at32 = BUILT.rank(m, 7);
        assertTrue(d >= 0 && m >= 0 && nsets > 3, "fixture: 10.1.200.0/24 is a /32 node");
        TagSet lastSet = GOOD.sets[nsets - 1];
        // set ids: the last one is taken and answered, one more is refused, at each level
        assertNull(GOOD.with(t -> t.dir4[0] = ~nsets).stored(), "set id past the end in dir4");
        assertSame(lastSet, GOOD.with(t -> t.dir4[0] = ~(nsets - 1)).stored().lookupIPv4(ip("0.0.0.1")));
        assertNull(GOOD.with(t -> t.vals4[at24] = ~nsets).stored(), "set id past the end in a /24 node");
        assertSame(lastSet, GOOD.with(t -> t.vals4[at24] = ~(nsets - 1)).stored().lookupIPv4(ip("10.1.200.7")));
        assertNull(GOOD.with(t -> t.vals4[at32] = nsets).stored(), "set id past the end in a /32 node");
        assertNull(GOOD.with(t -> t.vals4[at32] = ~0).stored(), "a ~set id in a /32 node");
        assertSame(lastSet, GOOD.with(t -> t.vals4[at32] = nsets - 1).stored().lookupIPv4(ip("10.1.200.7")));
        // node numbers: past the end, or a node of the other level
        assertNull(GOOD.with(t -> t.dir4[0x0a01] = nodes).stored(), "node past the end in dir4");
        assertNull(GOOD.with(t -> t.vals4[at24] = nodes).stored(), "node past the end in a /24 node");
        assertNull(GOOD.with(t -> t.vals4[at24] = d).stored(), "the /16's own node as a /32 node");
        assertNull(GOOD.with(t -> t.dir4[0x0a01] = m).stored(), "a /32 node as a /24 node");
        PrefixIndex shared = GOOD.with(t -> t.dir4[0x0a02] = d).stored(); // two /16s on one node: no lookup fails
        assertNotNull(shared, "a node reached twice at its level");
        assertSame(BUILT.lookupIPv4(ip("10.1.200.7")), shared.lookupIPv4(ip("10.2.200.7")));
        // ranks: forged counts or maps that read before or past the run values
        assertNull(GOOD.with(t -> t.nodes4[5 * d + 4] = t.nodes4[5 * d + 4] & ~0xffffffffL | (t.vals4.length - 1))
                .stored(), "the /16 node's runs (more than one) start at the last value");
        assertNull(GOOD.with(t -> t.nodes4[5 * d + 4] |= 0xffffffffL).stored(), "a first run index that wraps");
        int lastNode = nodes - 1; // its runs end at the end of vals4
        assertTrue(GOOD.nodes4[5 * lastNode + 3] >= 0, "fixture: no run starts at slot 255 of the last node");
        assertNull(GOOD.with(t -> t.nodes4[5 * lastNode + 3] |= 1L << 63).stored(), "one more run than values");
        assertNull(GOOD.with(t -> t.nodes4[5 * m] &= ~1L).stored(), "slot 0 of the first node reads vals4[-1]");
        assertNull(GOOD.with(t -> t.nodes4[5 * lastNode + 4] += 3L << 56).stored(), "a forged count of word 3");
        // IPv6: interval numbers and set ids, including the sentinel and the last interval
        int n6 = GOOD.hi6.length;
        assertNull(GOOD.with(t -> t.dir6[5] = -1).stored(), "interval -1 in dir6");
        assertNull(GOOD.with(t -> t.dir6[5] = n6).stored(), "interval past the end in dir6");
        assertNull(GOOD.with(t -> t.dir6[1 << 16] = n6).stored(), "the sentinel is checked too");
        assertNotNull(GOOD.with(t -> t.dir6[5] = n6 - 1).stored());
        assertNull(GOOD.with(t -> t.ids6[0] = -1).stored(), "set id -1 in ids6");
        assertNull(GOOD.with(t -> t.ids6[n6 - 1] = nsets).stored(), "set id past the end in ids6");
        assertSame(lastSet, GOOD.with(t -> t.ids6[0] = nsets - 1).stored().lookupIPv6(0, 1));
    }

    @Test
    void sameTablesNoticesADifferenceInAnyTable() {
        assertTrue(BUILT.sameTables(PrefixIndex.build(TAGS)), "two builds of the same tags");
        assertTrue(BUILT.sameTables(GOOD.unchecked()));
        List<Tables> others = List.of(
                GOOD.with(t -> t.dir4[7] ^= 1),
                GOOD.with(t -> t.nodes4[3] ^= 1),
                GOOD.with(t -> t.vals4[t.vals4.length - 1] ^= 1),
                GOOD.with(t -> t.dir6[1 << 16] ^= 1),
                GOOD.with(t -> t.hi6[t.hi6.length - 1] ^= 1),
                GOOD.with(t -> t.lo6[1] ^= 1),
                GOOD.with(t -> t.ids6[1] ^= 1),
                new Tables(GOOD.sets, GOOD.dir4, GOOD.nodes4, GOOD.vals4, GOOD.dir6, GOOD.hi6, GOOD.lo6, GOOD.ids6,
                        GOOD.intervals4 + 1),
                GOOD.with(t -> t.sets[t.sets.length - 1] = new TagSet(List.of(PrefixIndexBuilderOracleTest.tag("Z")))),
                GOOD.with(t -> t.sets[1] = t.sets[0]),
                new Tables(Arrays.copyOf(GOOD.sets, GOOD.sets.length - 1), GOOD.dir4, GOOD.nodes4, GOOD.vals4,
                        GOOD.dir6, GOOD.hi6, GOOD.lo6, GOOD.ids6, GOOD.intervals4));
        for (int i = 0; i < others.size(); i++) {
            PrefixIndex other = others.get(i).unchecked();
            assertFalse(BUILT.sameTables(other), "difference " + i);
            assertFalse(other.sameTables(BUILT), "difference " + i + ", the other way");
        }
        // sets of equally named tags are the same tables
        Tables renamedObjects = GOOD.with(t -> t.sets[1] = new TagSet(t.sets[1].tags()));
        assertTrue(BUILT.sameTables(renamedObjects.unchecked()));
    }
}
