package io.github.servicetags.benchmarks;

import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv4.IPv4AddressAssociativeTrie;
import inet.ipaddr.ipv6.IPv6Address;
import inet.ipaddr.ipv6.IPv6AddressAssociativeTrie;
import io.github.servicetags.IpFamily;
import io.github.servicetags.IpPrefix;
import io.github.servicetags.ServiceTag;
import io.github.servicetags.ServiceTags;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jol.info.GraphLayout;

/**
 * Retained memory (JOL {@code GraphLayout}, everything reachable) of the index against the alternatives:
 *
 * <ul>
 *   <li><b>index</b>: the lookup structure with its interned {@code TagSet}s, not counting the {@code ServiceTag}
 *       records the sets point to (those are the data, which every alternative keeps too);
 *   <li><b>ServiceTags</b>: the whole loaded object: tags, prefixes, names, regions and the index;
 *   <li><b>raw prefix list</b>: a {@code List<IpPrefix>} of every prefix of the file;
 *   <li><b>IPAddress tries</b>: IPv4 + IPv6 associative tries mapping each prefix to its tag names.
 * </ul>
 *
 * <p>Run: {@code java -Djdk.attach.allowAttachSelf=true -cp benchmarks/target/benchmarks.jar
 * io.github.servicetags.benchmarks.MemoryFootprint ../shared/servicetags/ServiceTags_Public_376.json}
 */
public final class MemoryFootprint {
    private MemoryFootprint() {}

    public static void main(String[] args) throws Exception {
        String data = args.length > 0 ? args[0] : "../shared/servicetags/ServiceTags_Public_376.json";
        ServiceTags st = ServiceTags.load(Path.of(data));
        // the index is private: read it reflectively (the library is on the class path here, not a module)
        Field f = ServiceTags.class.getDeclaredField("index");
        f.setAccessible(true);
        Object index = f.get(st);
        GraphLayout records = GraphLayout.parseInstance(st.tags().toArray());
        GraphLayout indexOnly = GraphLayout.parseInstance(index).subtract(records);

        List<IpPrefix> raw = new ArrayList<>();
        IPv4AddressAssociativeTrie<List<String>> trie4 = new IPv4AddressAssociativeTrie<>();
        IPv6AddressAssociativeTrie<List<String>> trie6 = new IPv6AddressAssociativeTrie<>();
        for (ServiceTag t : st.tags()) {
            for (IpPrefix q : t.prefixes()) {
                raw.add(q);
                if (q.family() == IpFamily.IPV4) {
                    trie4.remap(new IPv4Address(q.ipv4(), q.length()).toPrefixBlock(), old -> add(old, t.name()));
                } else {
                    byte[] b = ByteBuffer.allocate(16).putLong(q.high()).putLong(q.low()).array();
                    trie6.remap(new IPv6Address(b, q.length()).toPrefixBlock(), old -> add(old, t.name()));
                }
            }
        }
        GraphLayout tries = GraphLayout.parseInstance(trie4, trie6).subtract(records);
        System.out.printf("data: %s (%d tags, %d IPv4 + %d IPv6 prefixes, %d distinct tag sets)%n", data,
                st.tags().size(), st.prefixCount(IpFamily.IPV4), st.prefixCount(IpFamily.IPV6),
                st.tagSets().size());
        row("index (tables + interned TagSets)", indexOnly.totalSize());
        row("whole ServiceTags (data + index)", GraphLayout.parseInstance(st).totalSize());
        row("raw List<IpPrefix>", GraphLayout.parseInstance(raw).totalSize());
        row("IPAddress tries (IPv4 + IPv6)", tries.totalSize());
        System.out.println();
        System.out.println("index by class:");
        System.out.print(indexOnly.toFootprint());
    }

    private static void row(String what, long bytes) {
        System.out.printf("%-40s %,12d B  %8.2f MB%n", what, bytes, bytes / 1e6);
    }

    private static List<String> add(List<String> old, String name) {
        List<String> l = old == null ? new ArrayList<>(2) : old;
        l.add(name);
        return l;
    }
}
