package io.github.servicetags.testdata;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * A deterministic generator of full-size synthetic service-tag data in the schema of the weekly download files: about
 * 3,000 tags, 70,000 IPv4 and 25,000 IPv6 prefixes, shaped like the Public cloud but invented (no Microsoft data).
 *
 * <p>Shape: 70 regions, each owning a few hundred disjoint IPv4 blocks (/16 to /22) and IPv6 blocks (/36 to /48);
 * {@code AzureCloud.<region>} lists a region's blocks and {@code AzureCloud} all of them plus some global blocks.
 * About 48 services have a regional tag in most regions ({@code Svc.RegionName}) whose prefixes nest inside the
 * region's blocks (/23 to /32, /56 to /128), sometimes shared with or nested in another service's prefix, sometimes
 * straddling a block boundary; each service's global tag is the union of its regional tags plus a few prefixes of its
 * own; some services are global only. Region spellings differ like the real ones: {@code Svc.NorthOrlia} has region
 * {@code orlian} and the regional {@code AzureCloud} tag is {@code AzureCloud.orlian}.
 *
 * <p>Run (after {@code mvn test-compile}):
 * <pre>
 * java -cp target/test-classes io.github.servicetags.testdata.SyntheticServiceTags synthetic.json [seed]
 * </pre>
 */
public final class SyntheticServiceTags {
    /** The seed the tests use. */
    public static final long DEFAULT_SEED = 20261123L;

    private static final String[] PLACES = {"Orlia", "Vantor", "Quess", "Brimel", "Kator", "Lumen", "Sarva", "Tessin",
        "Ulmar", "Dravo", "Fenwick", "Galdor", "Hestia", "Ivory", "Jorvik", "Kestrel", "Lorin", "Mirado", "Norvel",
        "Ostra", "Pallas", "Quill", "Rhoda", "Selma", "Tarrow", "Umbra", "Velin", "Wexford", "Yarrow", "Zephyr",
        "Aster", "Bellow", "Cindra", "Delmar", "Esker"};
    private static final String[] DIRECTIONS = {"North", "South"};
    private static final String[] STEMS = {"Data", "Edge", "Logic", "Stream", "Vault", "Relay", "Pulse", "Forge", "Beacon",
        "Harbor", "Signal", "Ledger", "Canvas", "Orbit", "Quartz", "Prism"};
    private static final String[] KINDS = {"Hub", "Works", "Gate"};
    private static final List<String> FEATURES = List.of("API", "NSG", "UDR", "FW");

    /** One region: ARM-style CamelCase name, internal name, id. */
    public record RegionSpec(String camel, String internal, int id) {}

    /** One tag as written. */
    public record TagSpec(String name, String region, int regionId, String systemService, List<String> features,
            int changeNumber, List<String> prefixes) {}

    /** Everything written, for tests that compare the index with the model. */
    public record Model(long changeNumber, List<RegionSpec> regions, List<String> services, List<TagSpec> tags) {}

    private final Random rnd;
    private long next4 = 0x0b000000L; // 11.0.0.0: allocation pointer for IPv4 blocks
    private long next6 = 0x2a01_1000_0000_0000L; // high 64 bits: allocation pointer for IPv6 blocks

    private SyntheticServiceTags(long seed) {
        this.rnd = new Random(seed);
    }

    /** Builds the model for a seed (deterministic). */
    public static Model model(long seed) {
        return new SyntheticServiceTags(seed).build();
    }

    /** Writes the document for a seed to {@code file} and returns its model. */
    public static Model write(Path file, long seed) throws IOException {
        Model m = model(seed);
        try (Writer w = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16)) {
            write(m, w);
        }
        return m;
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: SyntheticServiceTags OUT.json [seed]");
            System.exit(2);
        }
        Model m = write(Path.of(args[0]), args.length > 1 ? Long.parseLong(args[1]) : DEFAULT_SEED);
        long v4 = m.tags().stream().flatMap(t -> t.prefixes().stream()).filter(p -> !p.contains(":")).count();
        long v6 = m.tags().stream().flatMap(t -> t.prefixes().stream()).filter(p -> p.contains(":")).count();
        System.err.println(args[0] + ": " + m.tags().size() + " tags, " + v4 + " IPv4 and " + v6 + " IPv6 prefixes");
    }

    private Model build() {
        List<RegionSpec> regions = new ArrayList<>();
        for (String place : PLACES) {
            for (String dir : DIRECTIONS) {
                String camel = dir + place;
                // internal names differ from the ARM name in several ways, as in the real files
                String internal = switch (regions.size() % 3) {
                    case 0 -> camel.toLowerCase();
                    case 1 -> place.toLowerCase() + dir.substring(0, 1).toLowerCase();
                    default -> dir.substring(0, 1).toLowerCase() + place.toLowerCase();
                };
                regions.add(new RegionSpec(camel, internal, regions.size() + 1));
            }
        }
        List<String> services = new ArrayList<>();
        for (String s : STEMS) {
            for (String k : KINDS) {
                services.add(s + k);
            }
        }
        // per region: disjoint IPv4 and IPv6 blocks of AzureCloud.<region>
        Map<RegionSpec, List<long[]>> blocks4 = new LinkedHashMap<>();
        Map<RegionSpec, List<long[]>> blocks6 = new LinkedHashMap<>();
        for (RegionSpec r : regions) {
            List<long[]> b4 = new ArrayList<>();
            int n4 = 200 + rnd.nextInt(80);
            for (int i = 0; i < n4; i++) {
                b4.add(alloc4(16 + weighted(new int[] {1, 3, 5, 8, 9, 6, 3})));
            }
            blocks4.put(r, b4);
            List<long[]> b6 = new ArrayList<>();
            int n6 = 50 + rnd.nextInt(30);
            for (int i = 0; i < n6; i++) {
                b6.add(alloc6(36 + 4 * rnd.nextInt(4)));
            }
            blocks6.put(r, b6);
        }
        List<TagSpec> tags = new ArrayList<>();
        TreeSet<String> cloudAll = new TreeSet<>(SyntheticServiceTags::compareCidr);
        for (int i = 0; i < 400; i++) {
            cloudAll.add(cidr4(alloc4(20 + rnd.nextInt(5))));
        }
        for (int i = 0; i < 200; i++) {
            cloudAll.add(cidr6(alloc6(44 + rnd.nextInt(5))));
        }
        List<TagSpec> regionalCloud = new ArrayList<>();
        for (RegionSpec r : regions) {
            TreeSet<String> ps = new TreeSet<>(SyntheticServiceTags::compareCidr);
            blocks4.get(r).forEach(b -> ps.add(cidr4(b)));
            blocks6.get(r).forEach(b -> ps.add(cidr6(b)));
            cloudAll.addAll(ps);
            regionalCloud.add(new TagSpec("AzureCloud." + r.internal(), r.internal(), r.id(), "", List.of(),
                    1 + rnd.nextInt(60), List.copyOf(ps)));
        }
        tags.add(new TagSpec("AzureCloud", "", 0, "", List.of(), 1 + rnd.nextInt(60), List.copyOf(cloudAll)));
        tags.addAll(regionalCloud);
        for (String svc : services) {
            List<String> features = features();
            TreeSet<String> global = new TreeSet<>(SyntheticServiceTags::compareCidr);
            List<TagSpec> regional = new ArrayList<>();
            double coverage = 0.7 + 0.3 * rnd.nextDouble();
            for (RegionSpec r : regions) {
                if (rnd.nextDouble() > coverage) {
                    continue;
                }
                TreeSet<String> ps = new TreeSet<>(SyntheticServiceTags::compareCidr);
                int n4 = 1 + rnd.nextInt(11);
                for (int i = 0; i < n4; i++) {
                    ps.add(serviceV4(blocks4.get(r)));
                }
                int n6 = rnd.nextInt(7);
                for (int i = 0; i < n6; i++) {
                    ps.add(serviceV6(blocks6.get(r)));
                }
                global.addAll(ps);
                regional.add(new TagSpec(svc + "." + r.camel(), r.internal(), r.id(), "Azure" + svc, features,
                        1 + rnd.nextInt(40), List.copyOf(ps)));
            }
            for (int i = 0; i < 3; i++) {
                global.add(cidr4(alloc4(28)));
            }
            tags.add(new TagSpec(svc, "", 0, "Azure" + svc, features, 1 + rnd.nextInt(80), List.copyOf(global)));
            tags.addAll(regional);
        }
        for (int g = 0; g < 60; g++) {
            String name = STEMS[g % STEMS.length] + "Global" + (g / STEMS.length == 0 ? "" : g / STEMS.length);
            TreeSet<String> ps = new TreeSet<>(SyntheticServiceTags::compareCidr);
            int n = 5 + rnd.nextInt(60);
            for (int i = 0; i < n; i++) {
                RegionSpec r = regions.get(rnd.nextInt(regions.size()));
                ps.add(rnd.nextInt(4) == 0 ? serviceV6(blocks6.get(r)) : serviceV4(blocks4.get(r)));
            }
            tags.add(new TagSpec(name, "", 0, "Azure" + name, features(), 1 + rnd.nextInt(30), List.copyOf(ps)));
        }
        Collections.sort(tags, (a, b) -> a.name().compareTo(b.name()));
        return new Model(300 + rnd.nextInt(100), List.copyOf(regions), List.copyOf(services), List.copyOf(tags));
    }

    private List<String> features() {
        return switch (rnd.nextInt(4)) {
            case 0 -> null;
            case 1 -> List.of("API", "NSG");
            case 2 -> FEATURES;
            default -> List.of("NSG");
        };
    }

    /** A service prefix inside one of the region's blocks; sometimes shared with, or nested in, another one. */
    private String serviceV4(List<long[]> blocks) {
        long[] b = blocks.get(rnd.nextInt(blocks.size()));
        int roll = rnd.nextInt(100);
        if (roll < 2) {
            // straddles: the block's parent prefix covers the block and a neighbour outside the region
            int len = (int) b[1] - 1;
            return cidr4(new long[] {b[0] & mask4(len), len});
        }
        int len = 23 + weighted(new int[] {3, 3, 3, 6, 8, 8, 8, 7, 4, 17});
        len = Math.max(len, (int) b[1]);
        long size = 1L << (32 - len);
        long blockSize = 1L << (32 - b[1]);
        long start = b[0] + size * (long) rnd.nextInt((int) (blockSize / size));
        if (roll < 10) {
            // at the block start: equal to, nested in or containing the prefixes other services put there
            start = b[0];
        }
        return cidr4(new long[] {start, len});
    }

    private String serviceV6(List<long[]> blocks) {
        long[] b = blocks.get(rnd.nextInt(blocks.size()));
        int len = switch (rnd.nextInt(6)) {
            case 0 -> 56;
            case 1 -> 64;
            case 2 -> 120 + rnd.nextInt(9);
            case 3 -> 122;
            case 4 -> 123;
            default -> 125;
        };
        // b[0] holds the high 64 bits, b[1] the length (<= 48): pick a subnet inside it
        long high = b[0];
        long low = 0;
        int free = 64 - (int) b[1];
        if (len <= 64) {
            int bits = Math.min(free, len - (int) b[1]);
            if (bits > 0) {
                high |= (rnd.nextLong() >>> (64 - bits)) << (64 - len);
            }
        } else {
            high |= free > 0 ? rnd.nextLong() >>> (64 - free) : 0;
            low = rnd.nextLong() & (-1L << (128 - len));
        }
        return cidr6(high, low, len);
    }

    private long[] alloc4(int len) {
        long size = 1L << (32 - len);
        long start = (next4 + size - 1) & -size;
        if ((start >>> 24) == 100 || (start >>> 24) == 127) {
            start = ((start >>> 24) + 1) << 24;
        }
        next4 = start + size + (rnd.nextInt(3) == 0 ? size : 0); // leave gaps sometimes
        if (next4 >= 0xdf000000L) {
            throw new IllegalStateException("IPv4 pool exhausted");
        }
        return new long[] {start, len};
    }

    private long[] alloc6(int len) {
        long size = 1L << (64 - len);
        long start = (next6 + size - 1) & -size;
        next6 = start + size * (1 + rnd.nextInt(2));
        return new long[] {start, len};
    }

    private int weighted(int[] weights) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int x = rnd.nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            x -= weights[i];
            if (x < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    private static long mask4(int len) {
        return len == 0 ? 0 : (0xffffffffL << (32 - len)) & 0xffffffffL;
    }

    static String cidr4(long[] b) {
        long a = b[0];
        return (a >>> 24) + "." + ((a >>> 16) & 255) + "." + ((a >>> 8) & 255) + "." + (a & 255) + "/" + b[1];
    }

    static String cidr6(long[] b) {
        return cidr6(b[0], 0, (int) b[1]);
    }

    /** Full uncompressed IPv6 text ({@code 2a01:1000:0:0:0:0:0:0/48}): also exercises the parser's normalisation. */
    static String cidr6(long high, long low, int len) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            long word = i < 4 ? high >>> (48 - 16 * i) : low >>> (48 - 16 * (i - 4));
            if (i > 0) {
                sb.append(':');
            }
            sb.append(Long.toHexString(word & 0xffff));
        }
        return compress(sb.toString()) + "/" + len;
    }

    /** RFC 5952 compression of the longest run of zero groups (as the real files write them). */
    private static String compress(String full) {
        String[] g = full.split(":");
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i].equals("0")) {
                int j = i;
                while (j < 8 && g[j].equals("0")) {
                    j++;
                }
                if (j - i > bestLen) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (bestStart < 0) {
            return full;
        }
        String left = String.join(":", java.util.Arrays.copyOfRange(g, 0, bestStart));
        String right = String.join(":", java.util.Arrays.copyOfRange(g, bestStart + bestLen, 8));
        return left + "::" + right;
    }

    /** IPv4 before IPv6, then by address, then by length: the order of the download files. */
    static int compareCidr(String a, String b) {
        boolean a6 = a.indexOf(':') >= 0;
        boolean b6 = b.indexOf(':') >= 0;
        if (a6 != b6) {
            return a6 ? 1 : -1;
        }
        long[] x = key(a, a6);
        long[] y = key(b, b6);
        for (int i = 0; i < 3; i++) {
            int c = Long.compareUnsigned(x[i], y[i]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static long[] key(String cidr, boolean v6) {
        int slash = cidr.indexOf('/');
        long len = Long.parseLong(cidr.substring(slash + 1));
        String addr = cidr.substring(0, slash);
        if (!v6) {
            long v = 0;
            for (String part : addr.split("\\.")) {
                v = (v << 8) | Long.parseLong(part);
            }
            return new long[] {v, 0, len};
        }
        String[] halves = addr.split("::", -1);
        List<String> groups = new ArrayList<>();
        List<String> head = halves[0].isEmpty() ? List.of() : List.of(halves[0].split(":"));
        List<String> tail = halves.length < 2 || halves[1].isEmpty() ? List.of() : List.of(halves[1].split(":"));
        groups.addAll(head);
        while (groups.size() + tail.size() < 8) {
            groups.add("0");
        }
        groups.addAll(tail);
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++) {
            long w = Long.parseLong(groups.get(i), 16);
            if (i < 4) {
                hi = (hi << 16) | w;
            } else {
                lo = (lo << 16) | w;
            }
        }
        return new long[] {hi, lo, len};
    }

    /** Writes the model as JSON, formatted like the download files. */
    public static void write(Model m, Writer w) throws IOException {
        w.write("{\n  \"changeNumber\": " + m.changeNumber() + ",\n  \"cloud\": \"Public\",\n  \"values\": [\n");
        for (int i = 0; i < m.tags().size(); i++) {
            TagSpec t = m.tags().get(i);
            w.write("    {\n      \"name\": \"" + t.name() + "\",\n      \"id\": \"" + t.name() + "\",\n"
                    + "      \"properties\": {\n        \"changeNumber\": " + t.changeNumber() + ",\n"
                    + "        \"region\": \"" + t.region() + "\",\n        \"regionId\": " + t.regionId() + ",\n"
                    + "        \"platform\": \"Azure\",\n        \"systemService\": \"" + t.systemService() + "\",\n"
                    + "        \"addressPrefixes\": [");
            for (int j = 0; j < t.prefixes().size(); j++) {
                w.write(j == 0 ? "\n" : ",\n");
                w.write("          \"" + t.prefixes().get(j) + "\"");
            }
            w.write(t.prefixes().isEmpty() ? "],\n" : "\n        ],\n");
            if (t.features() == null) {
                w.write("        \"networkFeatures\": null\n");
            } else {
                w.write("        \"networkFeatures\": [");
                for (int j = 0; j < t.features().size(); j++) {
                    w.write((j == 0 ? "\n" : ",\n") + "          \"" + t.features().get(j) + "\"");
                }
                w.write("\n        ]\n");
            }
            w.write(i + 1 < m.tags().size() ? "      }\n    },\n" : "      }\n    }\n");
        }
        w.write("  ]\n}\n");
    }
}
