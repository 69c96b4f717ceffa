package io.github.servicetags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** TagSet's compact names view behaves like an unmodifiable TreeSet of the same names. */
class TagSetTest {
    static ServiceTag tag(String name) {
        return ServiceTag.builder(name).prefixes(List.of(IpPrefix.parse("10.0.0.0/8"))).build();
    }

    @Test
    void namesAreASortedUnmodifiableSetEqualToATreeSet() {
        TagSet s = new TagSet(List.of(tag("Storage"), tag("AzureCloud.eastus"), tag("AzureCloud"), tag("Sql")));
        TreeSet<String> want = new TreeSet<>(List.of("Storage", "AzureCloud.eastus", "AzureCloud", "Sql"));
        SortedSet<String> names = s.names();
        assertEquals(want, names);
        assertEquals(want.hashCode(), names.hashCode());
        assertEquals("[AzureCloud, AzureCloud.eastus, Sql, Storage]", names.toString());
        assertEquals(List.copyOf(want), List.copyOf(names));
        assertEquals("AzureCloud", names.first());
        assertEquals("Storage", names.last());
        assertEquals(want.headSet("Sql"), names.headSet("Sql"));
        assertEquals(want.tailSet("B"), names.tailSet("B"));
        assertEquals(want.subSet("AzureCloud.", "Sz"), names.subSet("AzureCloud.", "Sz"));
        assertTrue(names.contains("Sql"));
        assertFalse(names.contains("sql"));
        assertThrows(UnsupportedOperationException.class, () -> names.add("X"));
        assertThrows(UnsupportedOperationException.class, () -> names.remove("Sql"));
        assertThrows(UnsupportedOperationException.class, names::clear);
        assertThrows(UnsupportedOperationException.class, () -> s.tags().remove(0));
        assertEquals(List.of("AzureCloud", "AzureCloud.eastus", "Sql", "Storage"),
                s.tags().stream().map(ServiceTag::name).toList());
        TagSet empty = new TagSet(List.of());
        assertTrue(empty.isEmpty());
        assertEquals("[]", empty.toString());
        assertThrows(java.util.NoSuchElementException.class, () -> empty.names().first());
    }
}
