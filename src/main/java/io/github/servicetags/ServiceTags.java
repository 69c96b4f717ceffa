package io.github.servicetags;

import io.github.servicetags.internal.DataOpener;
import io.github.servicetags.internal.DataRules;
import io.github.servicetags.internal.Internals;
import io.github.servicetags.internal.IpText;
import io.github.servicetags.internal.Prefixes;
import io.github.servicetags.internal.Suggest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Azure service tags of one cloud and one weekly version, indexed for lookups: which tags contain an address, and
 * which prefixes a tag has. Immutable and safe to share between threads.
 *
 * <pre>{@code
 * var st = ServiceTags.load(Path.of("ServiceTags_Public_376.json"));   // or ServiceTags.bundled()
 * st.lookup("20.38.98.1").names()       // [AzureCloud, AzureCloud.westus3, ...] every tag containing it
 * st.prefixes("Sql.WestEurope")         // [13.69.112.0/28, ...]
 * st.region("West Europe").name()       // "westeurope"
 * }</pre>
 *
 * <p>Lookups never throw checked exceptions and {@link #lookupIPv4(int)} and {@link #lookupIPv6(long, long)}
 * allocate nothing: every answer is a shared, pre-built {@link TagSet}. Address text is parsed strictly: ASCII
 * dotted quads without leading zeros, RFC 4291 IPv6 text, IPv4-mapped IPv6 ({@code ::ffff:a.b.c.d}) answered as
 * the IPv4 address; never a name lookup.
 */
public final class ServiceTags {
    /** The file name of the snapshot inside the jar. */
    static final String BUNDLED_NAME = "ServiceTags_Public_376.json";
    private static final String BUNDLED_RESOURCE = "/io/github/servicetags/ServiceTags_Public_376.json.gz";
    private static final String BUNDLED_BINARY = "/io/github/servicetags/ServiceTags_Public_376.bin.gz";

    private final String cloud;
    private final long changeNumber;
    private final String source;
    private final List<ServiceTag> tags;
    private final Map<String, ServiceTag> byName;
    private final PrefixIndex index;
    private final List<TagSet> tagSets;
    private volatile Regions regions; // built on first use: a lookup never needs it (cold start)
    private final ThreadLocal<long[]> scratch = new Scratch();

    static {
        Internals.setServiceTagsAccess(new Internals.ServiceTagsAccess() {
            @Override
            public boolean hasRegionalTags(ServiceTags st, String service) {
                return st.hasRegionalTags(service);
            }

            @Override
            public void writeWithTables(ServiceTags st, OutputStream out, byte[] origin) throws IOException {
                IndexCodec.write(st, out, true, origin);
            }

            @Override
            public ServiceTags readWithTables(InputStream in, String source, byte[] origin) throws IOException {
                return IndexCodec.read(in, source, LoadOptions.defaults(), new IndexCodec.Trust(true, origin));
            }

            @Override
            public int tagSetOfIPv4(ServiceTags st, int ip) {
                return st.index.setIPv4(ip);
            }

            @Override
            public int tagSetOfIPv6(ServiceTags st, long high, long low) {
                return st.tagSetOfIPv6(high, low);
            }
        });
    }

    private ServiceTags(String cloud, long changeNumber, String source, List<ServiceTag> tags) {
        this(cloud, changeNumber, source, tags, PrefixIndex::build);
    }

    private ServiceTags(String cloud, long changeNumber, String source, List<ServiceTag> tags,
            java.util.function.Function<List<ServiceTag>, PrefixIndex> indexer) {
        this.cloud = DataRules.requireCloud(Objects.requireNonNull(cloud, "cloud"));
        this.changeNumber = DataRules.requireChangeNumber(changeNumber);
        this.source = Objects.requireNonNull(source, "source");
        this.tags = List.copyOf(tags);
        Map<String, ServiceTag> m = new HashMap<>();
        for (ServiceTag t : this.tags) {
            if (m.put(t.name(), t) != null) {
                throw new IllegalArgumentException("duplicate tag name " + t.name());
            }
        }
        this.byName = Collections.unmodifiableMap(m);
        this.index = indexer.apply(this.tags);
        this.tagSets = Collections.unmodifiableList(Arrays.asList(index.sets));
    }

    /** Like {@link #of} with the index made by {@code indexer} (the bundled snapshot's stored tables). */
    static ServiceTags of(String cloud, long changeNumber, String source, List<ServiceTag> tags,
            java.util.function.Function<List<ServiceTag>, PrefixIndex> indexer) {
        return new ServiceTags(cloud, changeNumber, source, tags, indexer);
    }

    /**
     * Builds an index from tags made in code (tests, tools that merge sources; see {@link ServiceTag#builder}). The
     * rules are those of the loaders, so what {@link #write} writes of it, {@link #read} reads.
     *
     * @throws IllegalArgumentException if two tags share a name, the cloud is not a plain word or the changeNumber
     *     is negative
     */
    public static ServiceTags of(String cloud, long changeNumber, String source, List<ServiceTag> tags) {
        return new ServiceTags(cloud, changeNumber, source, tags);
    }

    /**
     * Loads a service-tags file: a weekly download ({@code ServiceTags_Public_*.json}, AzureGovernment, AzureChina)
     * or a saved Discovery API response; plain JSON or gzip (detected by its magic bytes). A binary index written by
     * {@link #write(OutputStream)} (plain or gzip) is recognised by its magic bytes and read as such.
     *
     * @throws InvalidServiceTagsException when the file is malformed, truncated, hostile or over a limit
     * @throws IOException when it cannot be read
     */
    public static ServiceTags load(Path file) throws IOException {
        return load(file, LoadOptions.defaults());
    }

    /** Loads a file with the given processing limits; see {@link #load(Path)}. */
    public static ServiceTags load(Path file, LoadOptions options) throws IOException {
        // one stream only: the file may be a pipe (--data <(zcat ...)), so it is peeked, never opened twice
        try (InputStream in = DataOpener.openFile(file)) {
            return load(in, file.toString(), options);
        }
    }

    /**
     * Loads a document from a stream, which is read to the end: what {@link #load(Path)} reads (JSON or a binary
     * index, plain or gzip, told apart by their magic bytes).
     *
     * @param sourceName the name used in error messages and returned by {@link #source()}
     */
    public static ServiceTags load(InputStream in, String sourceName, LoadOptions options) throws IOException {
        DataOpener.Opened opened = DataOpener.open(in, Objects.requireNonNull(sourceName), options.maxDocumentBytes());
        if (opened.isBinary()) {
            return IndexCodec.read(opened, sourceName, options, IndexCodec.Trust.NONE);
        }
        ServiceTagsReader.Parsed parsed = ServiceTagsReader.read(opened, sourceName, options);
        return new ServiceTags(parsed.cloud(), parsed.changeNumber(), sourceName, parsed.tags());
    }

    /**
     * Writes the compact binary form: versioned and checksummed, a fraction of the JSON's size, read back by
     * {@link #read(InputStream)} much faster than the JSON is parsed. The stream is not closed.
     *
     * <pre>{@code
     * try (var out = Files.newOutputStream(Path.of("tags.bin"))) { st.write(out); }
     * }</pre>
     *
     * @throws IOException when the stream fails
     */
    public void write(OutputStream out) throws IOException {
        IndexCodec.write(this, out);
    }

    /**
     * Reads what {@link #write(OutputStream)} wrote (plain or gzip-compressed), to the end of the stream, which is
     * not closed. The result answers every query exactly like the instance that was written.
     *
     * @throws InvalidServiceTagsException when the bytes are not a binary index of this version, are truncated,
     *     corrupt (checksum) or over a {@link LoadOptions} limit
     * @throws IOException when the stream fails
     */
    public static ServiceTags read(InputStream in) throws IOException {
        return read(in, "binary stream");
    }

    /**
     * Reads a binary index; see {@link #read(InputStream)}.
     *
     * @param sourceName the name used in error messages and returned by {@link #source()}
     */
    public static ServiceTags read(InputStream in, String sourceName) throws IOException {
        return IndexCodec.read(in, Objects.requireNonNull(sourceName), LoadOptions.defaults());
    }

    /** The IPv6 parse buffer of a thread (a class, not a lambda: no bootstrap in a cold start). */
    private static final class Scratch extends ThreadLocal<long[]> {
        @Override
        protected long[] initialValue() {
            return new long[2];
        }
    }

    /**
     * Returns the snapshot bundled in the jar (Public cloud, changeNumber 376). Service tags change weekly: for
     * anything that matters, load a current file (see {@code servicetags update}).
     */
    public static ServiceTags bundled() {
        return Bundled.INSTANCE;
    }

    private static final class Bundled {
        static final ServiceTags INSTANCE = loadBundled();

        private static ServiceTags loadBundled() {
            // the binary form, generated at build time from the JSON (BundleWriter), reads without JSON parsing;
            // the JSON stays as the fallback for builds that skipped that step (an IDE's own compiler)
            try (InputStream bin = ServiceTags.class.getResourceAsStream(BUNDLED_BINARY)) {
                if (bin != null) {
                    // the same build step stored the index tables in it: reading them spares a cold process the
                    // index build (tables that do not fit the tags are rebuilt)
                    return IndexCodec.read(bin, "bundled:" + BUNDLED_NAME, LoadOptions.defaults(),
                            new IndexCodec.Trust(true, null));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("the bundled snapshot is unreadable", e);
            }
            try (InputStream in = ServiceTags.class.getResourceAsStream(BUNDLED_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("the bundled snapshot " + BUNDLED_RESOURCE
                            + " is missing from the jar");
                }
                return load(in, "bundled:" + BUNDLED_NAME, LoadOptions.defaults());
            } catch (IOException e) {
                throw new UncheckedIOException("the bundled snapshot is unreadable", e);
            }
        }
    }

    /**
     * Returns every tag containing the address.
     *
     * <pre>{@code
     * st.lookup("20.38.98.1").names()   // sorted tag names
     * st.lookup("::ffff:20.38.98.1")    // same answer: IPv4-mapped
     * }</pre>
     *
     * @throws IllegalArgumentException quoting the text when it is null or not a valid IPv4 or IPv6 address
     */
    public TagSet lookup(String ip) {
        if (ip == null) {
            throw new IllegalArgumentException("IP text is null");
        }
        long v4 = IpText.parseIPv4(ip);
        if (v4 != IpText.INVALID) {
            return index.lookupIPv4((int) v4);
        }
        long[] a = scratch.get();
        if (!IpText.parseIPv6(ip, a)) {
            throw new IllegalArgumentException(IpText.whyInvalid(ip));
        }
        return lookupIPv6(a[0], a[1]);
    }

    /** Returns every tag containing the address; an IPv4-mapped IPv6 address is answered as its IPv4 address. */
    public TagSet lookup(InetAddress ip) {
        byte[] b = ip.getAddress();
        if (b.length == 4) {
            return index.lookupIPv4((int) IpPrefix.bytesToLong(b, 0, 4));
        }
        return lookupIPv6(IpPrefix.bytesToLong(b, 0, 8), IpPrefix.bytesToLong(b, 8, 8));
    }

    /**
     * Returns the tags that contain every address of the prefix: containment by the union of each tag's prefixes (a
     * /24 split over two /25s of one tag is contained). For a /32 or /128 it is exactly the address's answer; an
     * IPv4-mapped prefix ({@code ::ffff:20.38.98.0/120}) is answered as its IPv4 prefix. Allocation-free when the
     * answer is one of the index's interned sets, which it always is for a /16 or /24 and almost always otherwise.
     *
     * <pre>{@code
     * st.lookup(IpPrefix.parse("20.38.98.0/24")).names()   // [AzureCloud, AzureCloud.eastus, ...]
     * }</pre>
     *
     * @throws IllegalArgumentException when the prefix is null, or an IPv6 prefix shorter than /96 that holds the
     *     IPv4-mapped range {@code ::ffff:0:0/96} (those addresses are answered as IPv4)
     */
    public TagSet lookup(IpPrefix prefix) {
        checkRange(prefix);
        if (prefix.family() == IpFamily.IPV4) {
            return index.ranges().containing4(prefix.low(), prefix.length());
        }
        if (isMapped(prefix)) {
            return index.ranges().containing4(prefix.low() & 0xffffffffL, prefix.length() - 96);
        }
        return index.ranges().containing6(prefix.high(), prefix.low(), prefix.lastHigh(), prefix.lastLow());
    }

    /**
     * Returns the tags that contain at least one address of the prefix; IPv4-mapped prefixes as in
     * {@link #lookup(IpPrefix)}. The tags that contain the prefix only in part are this set minus that one.
     *
     * <pre>{@code
     * st.overlapping(IpPrefix.parse("20.0.0.0/8")).size()   // hundreds of tags
     * }</pre>
     *
     * @throws IllegalArgumentException as {@link #lookup(IpPrefix)}
     */
    public TagSet overlapping(IpPrefix prefix) {
        checkRange(prefix);
        if (prefix.family() == IpFamily.IPV4) {
            return index.ranges().overlapping4(prefix.low(), prefix.length());
        }
        if (isMapped(prefix)) {
            return index.ranges().overlapping4(prefix.low() & 0xffffffffL, prefix.length() - 96);
        }
        return index.ranges().overlapping6(prefix.high(), prefix.low(), prefix.lastHigh(), prefix.lastLow());
    }

    private static boolean isMapped(IpPrefix p) {
        return p.length() >= 96 && p.high() == 0 && (p.low() >>> 32) == 0xffffL;
    }

    private static void checkRange(IpPrefix p) {
        if (p == null) {
            throw new IllegalArgumentException("prefix is null");
        }
        if (p.family() == IpFamily.IPV6 && p.length() < 96 && p.contains(MAPPED)) {
            throw new IllegalArgumentException("'" + p + "' holds the IPv4-mapped range " + MAPPED
                    + ", which is answered as IPv4: an IPv4-mapped prefix must be /96 or longer; ask for " + MAPPED
                    + " (all of IPv4) and the rest of the range separately");
        }
    }

    private static final IpPrefix MAPPED = IpPrefix.ofIPv6(0, 0xffff00000000L, 96);

    /** Returns every tag containing the IPv4 address given as an int ({@code 0x14266201} is 20.38.98.1). */
    public TagSet lookupIPv4(int ip) {
        return index.lookupIPv4(ip);
    }

    /** Returns every tag containing the IPv6 address given as two 64-bit halves; IPv4-mapped goes to IPv4. */
    public TagSet lookupIPv6(long high, long low) {
        return index.sets[tagSetOfIPv6(high, low)];
    }

    /** The number of the answer among the index's tag sets; an IPv4-mapped address is answered as IPv4. */
    private int tagSetOfIPv6(long high, long low) {
        if (high == 0 && (low >>> 32) == 0xffffL) {
            return index.setIPv4((int) low);
        }
        return index.setIPv6(high, low);
    }

    /**
     * Returns the tag's prefixes in file order.
     *
     * @throws UnknownNameException listing the closest names when there is no such tag
     */
    public List<IpPrefix> prefixes(String tag) {
        return require(tag).prefixes();
    }

    /** Returns the tag's prefixes of one family in file order; see {@link #prefixes(String)}. */
    public List<IpPrefix> prefixes(String tag, IpFamily family) {
        return require(tag).prefixes(family);
    }

    /**
     * Returns the tag's prefixes merged into the fewest prefixes covering exactly the same addresses, sorted with
     * IPv4 first.
     */
    public List<IpPrefix> aggregatedPrefixes(String tag) {
        return Prefixes.aggregate(require(tag).prefixes());
    }

    /**
     * The index's disjoint intervals per family and the members of each distinct tag set, for the exports (the
     * MaxMind DB writer). Recomputed from the tags: the lookup tables do not keep the IPv4 interval list.
     */
    PrefixIndexBuilder.Intervals intervals() {
        return PrefixIndexBuilder.sweep(tags);
    }

    /** The lookup tables (for {@link IndexCodec}). */
    PrefixIndex index() {
        return index;
    }


    /** Returns the tag of that exact name, if the file has it. */
    public Optional<ServiceTag> tag(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * Returns the tag of that exact name.
     *
     * @throws UnknownNameException listing the closest names when there is none
     */
    public ServiceTag require(String name) {
        ServiceTag t = byName.get(name);
        if (t == null) {
            throw new UnknownNameException("tag", name, Suggest.closest(String.valueOf(name), byName.keySet(), 5));
        }
        return t;
    }

    /** Returns every tag, in file order. */
    public List<ServiceTag> tags() {
        return tags;
    }

    /**
     * Returns the tags whose {@code networkFeatures} include the feature ({@code API}, {@code NSG}, {@code UDR},
     * {@code FW}, ...), case-insensitively, in file order. Tags without networkFeatures in the file have none.
     */
    public List<ServiceTag> tagsWithFeature(String feature) {
        return tags.stream().filter(t -> t.networkFeatures().stream().anyMatch(f -> f.equalsIgnoreCase(feature)))
                .toList();
    }

    /** Returns the tags whose {@code systemService} property equals the name case-insensitively, in file order. */
    public List<ServiceTag> tagsOfSystemService(String systemService) {
        return tags.stream().filter(t -> !t.systemService().isEmpty()
                && t.systemService().equalsIgnoreCase(systemService)).toList();
    }

    /** Returns the {@code changeNumber} of the file. */
    public long changeNumber() {
        return changeNumber;
    }

    /** Returns the cloud of the file: {@code Public}, {@code AzureGovernment}, {@code AzureChina}, ... */
    public String cloud() {
        return cloud;
    }

    /** Returns where the data came from: a file path, a URL, or {@code bundled:ServiceTags_Public_376.json}. */
    public String source() {
        return source;
    }

    private Regions regionIndex() {
        Regions r = regions;
        if (r == null) {
            synchronized (this) {
                r = regions;
                if (r == null) {
                    regions = r = new Regions(tags); // immutable once built; published through the volatile field
                }
            }
        }
        return r;
    }

    /** Returns the regions of the file, sorted by name. */
    public List<Region> regions() {
        return regionIndex().all();
    }

    /**
     * Resolves a region from any spelling: ARM name ({@code westeurope}), display name ({@code "West Europe"}), tag
     * suffix ({@code WestEurope}) or the file's internal name ({@code germanywc}), case-insensitively.
     *
     * @throws UnknownNameException listing the closest region names
     */
    public Region region(String spelling) {
        return regionIndex().resolve(spelling);
    }

    /**
     * Returns the regional tag of a service in a region, joined by {@code regionId}: {@code ("Sql", westeurope)}
     * gives {@code Sql.WestEurope}; empty when the service has no tag there.
     */
    public Optional<ServiceTag> regionalTag(String service, Region region) {
        return Optional.ofNullable(regionIndex().regional(service, region));
    }

    /** True if the service ({@code "Sql"}, {@code "AzureActiveDirectory"}) has any regional tag (through the seam). */
    boolean hasRegionalTags(String service) {
        return regionIndex().hasRegionalTags(service);
    }

    /** Returns the regional tags of a region, in file order. */
    public List<ServiceTag> tagsInRegion(Region region) {
        return regionIndex().tagsIn(region);
    }

    /**
     * Returns every answer a lookup can give: the distinct tag sets of the index, the empty set first, each the very
     * instance lookups return (so an {@code IdentityHashMap} keyed by them can hold a pre-built answer per set).
     *
     * <pre>{@code
     * st.tagSets().size()        // 5,618 distinct answers for Public 376
     * }</pre>
     */
    public List<TagSet> tagSets() {
        return tagSets;
    }

    /** Returns the number of prefixes of a family over all tags. */
    public int prefixCount(IpFamily family) {
        int n = 0;
        for (ServiceTag t : tags) {
            n += t.prefixCount(family); // counted without decoding a trusted read's prefixes
        }
        return n;
    }

    @Override
    public String toString() {
        return "ServiceTags[" + cloud + ", changeNumber " + changeNumber + ", " + tags.size() + " tags, "
                + prefixCount(IpFamily.IPV4) + " IPv4 + " + prefixCount(IpFamily.IPV6) + " IPv6 prefixes, from "
                + source + "]";
    }
}
