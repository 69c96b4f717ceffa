package io.github.servicetags;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Writes the index as a MaxMind DB file (binary format 2.0, as the public MaxMind DB specification defines it), for
 * the log pipelines that read that format (libmaxminddb, MaxMind's readers, Vector, Fluent Bit).
 *
 * <p>Layout: an IPv6 search tree (node 0 is the root) in which {@code ::/96} holds the IPv4 tree and
 * {@code ::ffff:0:0/96} points at the same IPv4 root node (no 6to4 alias); the 16-byte separator; the data section;
 * the metadata. The tree is the minimal binary trie over the index's disjoint intervals (neighbouring intervals
 * never share a set, so a prefix lying in one interval is a leaf and every other prefix a node); nodes are numbered
 * in depth-first pre-order. The data section holds every string once (the keys, the tag names, regions and system
 * services), then one map per distinct non-empty tag set, shared by every interval that carries it: arrays of
 * pointers to those strings, and the tag names joined by commas ({@code service_tags_text}, the second column of
 * {@code lookup --format tsv}) for readers that cannot return arrays, such as Fluent Bit's geoip2 filter. An
 * address in no tag reads "no data". The record size (24, 28 or 32 bits) is the smallest that can address the tree
 * and the data. Nothing depends on the clock or on hash order: the same index gives the same bytes.
 */
final class MmdbWriter {
    static final byte[] METADATA_MARKER = {(byte) 0xab, (byte) 0xcd, (byte) 0xef, 'M', 'a', 'x', 'M', 'i', 'n', 'd',
        '.', 'c', 'o', 'm'};
    static final String KEY_TAGS = "service_tags";
    static final String KEY_TAGS_TEXT = "service_tags_text";
    static final String KEY_REGIONS = "regions";
    static final String KEY_SERVICES = "system_services";

    // data types of the specification
    private static final int POINTER = 1;
    private static final int STRING = 2;
    private static final int UINT16 = 5;
    private static final int UINT32 = 6;
    private static final int MAP = 7;
    private static final int UINT64 = 9;
    private static final int ARRAY = 11;

    /** A tree reference under construction: >= 0 a node number, < 0 the leaf {@code ~setId}. */
    private int[] left = new int[1 << 16];
    private int[] right = new int[1 << 16];
    private int nodes;

    private MmdbWriter() {}

    /** Writes the MaxMind DB form of the tags' index; the stream is not closed. */
    static void write(ServiceTags st, PrefixIndexBuilder.Intervals iv, OutputStream out) throws IOException {
        write(st, iv, out, 24);
    }

    /** Like {@link #write}, with records of at least {@code minRecordSize} bits (tests: all three layouts). */
    static void write(ServiceTags st, PrefixIndexBuilder.Intervals iv, OutputStream out, int minRecordSize)
            throws IOException {
        new MmdbWriter().writeFile(st, iv, out, minRecordSize);
    }

    private void writeFile(ServiceTags st, PrefixIndexBuilder.Intervals iv, OutputStream out, int minRecordSize)
            throws IOException {
        // ---- the tree
        long[] starts4 = iv.starts4();
        long[] zeros = new long[starts4.length];
        Intervals v4 = new Intervals(zeros, starts4, iv.ids4(), 32);
        Intervals v6 = new Intervals(iv.hi6(), iv.lo6(), iv.ids6(), 128);
        int root = buildV6(v6, v4, 0, 0, 0, new int[] {Integer.MIN_VALUE});
        if (root < 0) {
            throw new AssertionError("the IPv6 tree always has its root node");
        }
        // ---- the data section
        byte[] data;
        int[] recordOffset;
        {
            Encoder enc = new Encoder();
            List<ServiceTag> tags = st.tags();
            int[][] members = iv.members();
            TreeSet<String> strings = new TreeSet<>();
            for (ServiceTag t : tags) {
                strings.add(t.name());
                if (!t.region().isEmpty()) {
                    strings.add(t.region());
                }
                if (!t.systemService().isEmpty()) {
                    strings.add(t.systemService());
                }
            }
            Map<String, Integer> at = new LinkedHashMap<>();
            for (String key : List.of(KEY_TAGS, KEY_TAGS_TEXT, KEY_REGIONS, KEY_SERVICES)) {
                at.put(key, enc.size());
                enc.string(key);
            }
            for (String s : strings) {
                if (!at.containsKey(s)) {
                    at.put(s, enc.size());
                    enc.string(s);
                }
            }
            recordOffset = new int[members.length];
            for (int set = 1; set < members.length; set++) {
                recordOffset[set] = enc.size();
                TreeSet<String> names = new TreeSet<>();
                TreeSet<String> regions = new TreeSet<>();
                TreeSet<String> services = new TreeSet<>();
                for (int m : members[set]) {
                    ServiceTag t = tags.get(m);
                    names.add(t.name());
                    if (!t.region().isEmpty()) {
                        regions.add(t.region());
                    }
                    if (!t.systemService().isEmpty()) {
                        services.add(t.systemService());
                    }
                }
                enc.control(MAP, 4);
                array(enc, at, KEY_TAGS, names);
                enc.pointer(at.get(KEY_TAGS_TEXT)); // for readers that return no arrays (Fluent Bit's geoip2)
                enc.string(String.join(",", names));
                array(enc, at, KEY_REGIONS, regions);
                array(enc, at, KEY_SERVICES, services);
            }
            data = enc.toByteArray();
        }
        // ---- record size: the smallest that holds every record value (nodes, "no data", data pointers)
        long maxValue = (long) nodes + 16 + data.length;
        int recordSize = maxValue < (1L << 24) && minRecordSize <= 24 ? 24
                : maxValue < (1L << 28) && minRecordSize <= 28 ? 28 : 32;
        if (maxValue >= (1L << 32)) {
            throw new IllegalStateException("the index is too large for a MaxMind DB file: " + nodes + " nodes and "
                    + data.length + " bytes of data");
        }
        // ---- the tree section
        int nodeBytes = recordSize / 4;
        byte[] tree = new byte[nodes * nodeBytes];
        for (int n = 0; n < nodes; n++) {
            long l = value(left[n], recordOffset);
            long r = value(right[n], recordOffset);
            int p = n * nodeBytes;
            switch (recordSize) {
                case 24 -> {
                    put(tree, p, l, 3);
                    put(tree, p + 3, r, 3);
                }
                case 28 -> {
                    put(tree, p, l & 0xffffff, 3);
                    tree[p + 3] = (byte) (((l >>> 24) & 0xf) << 4 | ((r >>> 24) & 0xf));
                    put(tree, p + 4, r & 0xffffff, 3);
                }
                default -> {
                    put(tree, p, l, 4);
                    put(tree, p + 4, r, 4);
                }
            }
        }
        out.write(tree);
        out.write(new byte[16]);
        out.write(data);
        out.write(METADATA_MARKER);
        out.write(metadata(st, recordSize));
    }

    /** A map entry whose value is an array of strings, the key and every string as pointers. */
    private static void array(Encoder enc, Map<String, Integer> at, String key, TreeSet<String> values) {
        enc.pointer(at.get(key));
        enc.control(ARRAY, values.size());
        for (String s : values) {
            enc.pointer(at.get(s));
        }
    }

    private long value(int ref, int[] recordOffset) {
        if (ref >= 0) {
            return ref;
        }
        int set = ~ref;
        return set == 0 ? nodes : (long) nodes + 16 + recordOffset[set];
    }

    private static void put(byte[] b, int at, long v, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) {
            b[at + i] = (byte) v;
            v >>>= 8;
        }
    }

    private byte[] metadata(ServiceTags st, int recordSize) {
        Encoder m = new Encoder();
        m.control(MAP, 9); // keys in sorted order
        m.string("binary_format_major_version");
        m.unsigned(UINT16, 2);
        m.string("binary_format_minor_version");
        m.unsigned(UINT16, 0);
        m.string("build_epoch");
        m.unsigned(UINT64, buildEpoch(st));
        m.string("database_type");
        m.string(databaseType(st));
        m.string("description");
        m.control(MAP, 1);
        m.string("en");
        m.string(description(st));
        m.string("ip_version");
        m.unsigned(UINT16, 6);
        m.string("languages");
        m.control(ARRAY, 1);
        m.string("en");
        m.string("node_count");
        m.unsigned(UINT32, nodes);
        m.string("record_size");
        m.unsigned(UINT16, recordSize);
        return m.toByteArray();
    }

    /** The metadata {@code database_type}: {@code Azure-ServiceTags-<cloud>}. */
    static String databaseType(ServiceTags st) {
        return "Azure-ServiceTags-" + st.cloud();
    }

    /** The metadata description (language {@code en}). */
    static String description(ServiceTags st) {
        return "Azure service tags of the " + st.cloud() + " cloud, changeNumber " + st.changeNumber()
                + ": every tag containing an address (service_tags), their regions and system services";
    }

    /**
     * The metadata {@code build_epoch}. A service-tags file carries no date, so the epoch is derived from its
     * changeNumber (that many seconds after 1970-01-01): the same data always gives the same bytes, and a newer file
     * (a higher changeNumber) a later epoch, for readers that compare build dates.
     */
    static long buildEpoch(ServiceTags st) {
        return st.changeNumber();
    }

    // ------------------------------------------------------------------------------------------------ the tree

    /** Disjoint intervals covering an address space of {@code bits} bits; starts sorted, the first at 0. */
    private record Intervals(long[] hi, long[] lo, int[] ids, int bits) {
        /** Index of the interval holding the address (the last start <= it). */
        int find(long h, long l) {
            int a = 0;
            int b = hi.length - 1;
            while (a < b) {
                int mid = (a + b + 1) >>> 1;
                int c = Long.compareUnsigned(hi[mid], h);
                if (c == 0) {
                    c = Long.compareUnsigned(lo[mid], l);
                }
                if (c <= 0) {
                    a = mid;
                } else {
                    b = mid - 1;
                }
            }
            return a;
        }

        /** True if interval i + 1 starts at or before (h, l). */
        boolean nextStartsBy(int i, long h, long l) {
            if (i + 1 >= hi.length) {
                return false;
            }
            int c = Long.compareUnsigned(hi[i + 1], h);
            return c < 0 || c == 0 && Long.compareUnsigned(lo[i + 1], l) <= 0;
        }
    }

    private int newNode() {
        if (nodes == left.length) {
            left = Arrays.copyOf(left, nodes * 2);
            right = Arrays.copyOf(right, nodes * 2);
        }
        return nodes++;
    }

    /**
     * The reference for the prefix ({@code h}, {@code l}) of {@code len} bits in the space of {@code iv}: a leaf
     * when one interval holds the whole prefix, otherwise a new node (pre-order) and its two children.
     */
    private int build(Intervals iv, long h, long l, int len) {
        int i = iv.find(h, l);
        int free = iv.bits() - len; // host bits of the prefix
        long lastH = free >= 64 ? h | (free == 128 ? -1L : (1L << (free - 64)) - 1) : h;
        long lastL = free >= 64 ? -1L : l | ((1L << free) - 1);
        if (!iv.nextStartsBy(i, lastH, lastL)) {
            return ~iv.ids()[i];
        }
        int n = newNode();
        int bit = free - 1; // the bit that tells the children apart
        // children first, then the stores: a child may grow (replace) the arrays
        int lo = build(iv, h, l, len + 1);
        int hi = bit >= 64 ? build(iv, h | (1L << (bit - 64)), l, len + 1) : build(iv, h, l | (1L << bit), len + 1);
        left[n] = lo;
        right[n] = hi;
        return n;
    }

    /**
     * Like {@link #build} over the IPv6 intervals, except that {@code ::/96} is the IPv4 tree and
     * {@code ::ffff:0:0/96} refers to the same root; prefixes containing either are always nodes.
     */
    private int buildV6(Intervals v6, Intervals v4, long h, long l, int len, int[] v4Root) {
        if (h == 0 && len == 96 && (l >>> 32) == 0) {
            v4Root[0] = build(v4, 0, 0, 0);
            return v4Root[0];
        }
        if (h == 0 && len == 96 && (l >>> 32) == 0xffffL) {
            if (v4Root[0] == Integer.MIN_VALUE) {
                throw new AssertionError("::/96 comes before ::ffff:0:0/96 in pre-order");
            }
            return v4Root[0];
        }
        boolean holdsAlias = len < 96 && h == 0 && (len <= 64 || (l >>> (128 - len)) == 0
                || (l >>> (128 - len)) == (0xffffL >>> (96 - len)));
        if (!holdsAlias) {
            return build(v6, h, l, len);
        }
        int n = newNode();
        int bit = 127 - len;
        int lo = buildV6(v6, v4, h, l, len + 1, v4Root);
        int hi = bit >= 64 ? buildV6(v6, v4, h | (1L << (bit - 64)), l, len + 1, v4Root)
                : buildV6(v6, v4, h, l | (1L << bit), len + 1, v4Root);
        left[n] = lo;
        right[n] = hi;
        return n;
    }

    // ------------------------------------------------------------------------------------------- the encoding

    /** The data-section encoding of the specification, into a growing buffer. */
    private static final class Encoder {
        private final ByteArrayOutputStream b = new ByteArrayOutputStream(1 << 16);

        int size() {
            return b.size();
        }

        byte[] toByteArray() {
            return b.toByteArray();
        }

        /** A control byte (and extended type byte and size bytes) for a type and payload size. */
        void control(int type, int size) {
            int first = type <= 7 ? type << 5 : 0;
            if (size < 29) {
                b.write(first | size);
            } else if (size < 29 + 256) {
                b.write(first | 29);
            } else if (size < 285 + 65536) {
                b.write(first | 30);
            } else {
                b.write(first | 31);
            }
            if (type > 7) {
                b.write(type - 7);
            }
            if (size >= 65821) {
                int s = size - 65821;
                b.write(s >>> 16);
                b.write(s >>> 8);
                b.write(s);
            } else if (size >= 285) {
                int s = size - 285;
                b.write(s >>> 8);
                b.write(s);
            } else if (size >= 29) {
                b.write(size - 29);
            }
        }

        void string(String s) {
            byte[] u = s.getBytes(StandardCharsets.UTF_8);
            control(STRING, u.length);
            b.write(u, 0, u.length);
        }

        /** An unsigned integer in as few big-endian bytes as it needs (0 takes none). */
        void unsigned(int type, long v) {
            int bytes = (64 - Long.numberOfLeadingZeros(v) + 7) / 8;
            control(type, bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                b.write((int) (v >>> (8 * i)));
            }
        }

        /** A pointer to an offset in the data section, in the shortest of the four forms. */
        void pointer(int offset) {
            int first = POINTER << 5;
            if (offset < 2048) {
                b.write(first | (offset >>> 8));
                b.write(offset);
            } else if (offset < 2048 + 524288) {
                int v = offset - 2048;
                b.write(first | 1 << 3 | (v >>> 16));
                b.write(v >>> 8);
                b.write(v);
            } else if (offset < 526336 + 134217728) {
                int v = offset - 526336;
                b.write(first | 2 << 3 | (v >>> 24));
                b.write(v >>> 16);
                b.write(v >>> 8);
                b.write(v);
            } else {
                b.write(first | 3 << 3);
                b.write(offset >>> 24);
                b.write(offset >>> 16);
                b.write(offset >>> 8);
                b.write(offset);
            }
        }
    }
}
