package io.github.servicetags.catalog;

import io.github.servicetags.InvalidServiceTagsException;
import io.github.servicetags.UnknownNameException;
import io.github.servicetags.internal.Suggest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The port catalog: products, their roles and the flows they need, encoded from the vendors' port tables.
 * A versioned JSON file is bundled in the jar; {@link #load(Path)} reads your own file of the same schema
 * and validates it as strictly as a service-tag file.
 *
 * <pre>{@code
 * Catalog c = Catalog.bundled();
 * c.products()                         // returns [veeam-backup-entra-id (...), veeam-backup-azure (...), ...]
 * c.product("veeam-backup-azure")      // returns the product; UnknownNameException with the closest ids otherwise
 * Catalog mine = Catalog.load(Path.of("my-catalog.json"));
 * c.dependency("AzureBackup")          // returns AzureBackup -> Storage.<region>, AzureActiveDirectory
 * }</pre>
 *
 * <p>Besides products, a catalog holds {@link Dependency dependencies} between services (Azure Backup needs
 * Storage and Microsoft Entra ID), which {@link ExpandOptions.Builder#withDependencies} adds to an expansion.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class Catalog {
    /** The {@code schemaVersion} this version of the library reads and writes. */
    public static final int SCHEMA_VERSION = 1;

    /** Name of the bundled catalog in error messages and {@link #source()}. */
    static final String BUNDLED_SOURCE = "bundled:catalog.json";
    private static final String BUNDLED_RESOURCE = "catalog.json";

    private final String catalogVersion;
    private final String source;
    private final Map<String, Product> products;
    private final Map<String, Dependency> dependencies;

    /**
     * Creates a catalog from products already built (for tests and tools; files go through {@link #load}).
     *
     * @param catalogVersion the version of the catalog's content, e.g. {@code "2026.11.23"}
     * @param source where it came from, shown in messages
     * @param products the products; ids must be unique
     */
    public Catalog(String catalogVersion, String source, List<Product> products) {
        this(catalogVersion, source, products, List.of());
    }

    /**
     * Creates a catalog from products and dependencies already built.
     *
     * @param dependencies the dependencies between services; one entry per tag, no cycles
     * @throws IllegalArgumentException for a duplicate product id, a tag with two entries or a cycle
     */
    public Catalog(String catalogVersion, String source, List<Product> products, List<Dependency> dependencies) {
        this.catalogVersion = Objects.requireNonNull(catalogVersion, "catalogVersion");
        this.source = Objects.requireNonNull(source, "source");
        Map<String, Product> m = new LinkedHashMap<>();
        for (Product p : products) {
            if (m.putIfAbsent(p.id(), p) != null) {
                throw new IllegalArgumentException("duplicate product id '" + p.id() + "'");
            }
        }
        this.products = java.util.Collections.unmodifiableMap(m);
        Map<String, Dependency> d = new LinkedHashMap<>();
        for (Dependency dep : dependencies) {
            if (d.putIfAbsent(dep.tag(), dep) != null) {
                throw new IllegalArgumentException("duplicate dependency for tag '" + dep.tag() + "'");
            }
        }
        List<String> cycle = findCycle(List.copyOf(d.values()));
        if (!cycle.isEmpty()) {
            throw new IllegalArgumentException("dependency cycle: " + String.join(" -> ", cycle));
        }
        this.dependencies = java.util.Collections.unmodifiableMap(d);
    }

    /** Returns the catalog bundled in the jar (loaded once). */
    public static Catalog bundled() {
        return Bundled.CATALOG;
    }

    private static final class Bundled {
        static final Catalog CATALOG = loadBundled();

        private static Catalog loadBundled() {
            try (InputStream in = Catalog.class.getResourceAsStream(BUNDLED_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("the bundled catalog " + BUNDLED_RESOURCE
                            + " is missing from the jar");
                }
                return load(in, BUNDLED_SOURCE);
            } catch (IOException e) {
                throw new UncheckedIOException("the bundled catalog is invalid: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Loads and validates a catalog file.
     *
     * @throws InvalidServiceTagsException (an {@code IOException}) naming the file, the location in it and the
     *     problem, for malformed JSON, unknown or duplicate fields, bad ports, unknown roles, missing fields or
     *     a file over the limits
     * @throws IOException when the file cannot be read
     */
    public static Catalog load(Path file) throws IOException {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new IOException(file + ": cannot read the catalog: " + e.getMessage(), e);
        }
        if (size > CatalogReader.MAX_BYTES) {
            throw new InvalidServiceTagsException(file.toString(), "", "the catalog is " + size
                    + " bytes, over the limit of " + CatalogReader.MAX_BYTES + " bytes");
        }
        if (Files.isDirectory(file)) {
            throw new IOException(file + ": is a directory, not a catalog file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return load(in, file.toString());
        }
    }

    /**
     * Loads and validates a catalog from a stream (not closed here).
     *
     * @param sourceName the name used in error messages and {@link #source()}
     * @throws InvalidServiceTagsException for an invalid catalog, see {@link #load(Path)}
     */
    public static Catalog load(InputStream in, String sourceName) throws IOException {
        return new CatalogReader(sourceName).read(in);
    }

    /** Returns the {@code catalogVersion} of the file, e.g. {@code "2026.11.23"}. */
    public String catalogVersion() {
        return catalogVersion;
    }

    /** Returns where the catalog came from: a file path or {@code "bundled:catalog.json"}. */
    public String source() {
        return source;
    }

    /** Returns the products in file order. */
    public List<Product> products() {
        return List.copyOf(products.values());
    }

    /** Returns the product ids in file order. */
    public List<String> productIds() {
        return List.copyOf(products.keySet());
    }

    /** Returns the dependencies between services, in file order. */
    public List<Dependency> dependencies() {
        return List.copyOf(dependencies.values());
    }

    /** Returns the dependency entry of a service tag written without region ({@code "AzureBackup"}), if any. */
    public Optional<Dependency> dependency(String tag) {
        return Optional.ofNullable(dependencies.get(tag));
    }

    /**
     * Returns the first cycle among the dependencies as the tags along it ({@code [A, B, A]}), or an empty list.
     * A requirement leads to the entry whose tag it names, with or without region.
     */
    static List<String> findCycle(List<Dependency> dependencies) {
        Map<String, Dependency> byTag = new LinkedHashMap<>();
        dependencies.forEach(d -> byTag.putIfAbsent(d.tag(), d));
        Map<String, Integer> state = new java.util.HashMap<>(); // 1 on the path, 2 done
        for (String start : byTag.keySet()) {
            List<String> path = new ArrayList<>();
            List<String> cycle = visit(start, byTag, state, path);
            if (!cycle.isEmpty()) {
                return cycle;
            }
        }
        return List.of();
    }

    private static List<String> visit(String tag, Map<String, Dependency> byTag, Map<String, Integer> state,
            List<String> path) {
        Integer s = state.get(tag);
        if (s != null && s == 2) {
            return List.of();
        }
        if (s != null) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(tag), path.size()));
            cycle.add(tag);
            return cycle;
        }
        state.put(tag, 1);
        path.add(tag);
        for (String r : byTag.get(tag).requires()) {
            String next = target(r, byTag.keySet());
            if (next != null) {
                List<String> cycle = visit(next, byTag, state, path);
                if (!cycle.isEmpty()) {
                    return cycle;
                }
            }
        }
        path.remove(path.size() - 1);
        state.put(tag, 2);
        return List.of();
    }

    /** Returns the longest dependency tag a requirement names (with or without region), or null. */
    static String target(String required, java.util.Collection<String> tags) {
        String best = null;
        for (String t : tags) {
            if (Dependency.targets(required, t) && (best == null || t.length() > best.length())) {
                best = t;
            }
        }
        return best;
    }

    /**
     * Returns the product with this id (exact, lower case).
     *
     * @throws UnknownNameException listing the closest product ids
     */
    public Product product(String id) {
        Product p = products.get(id);
        if (p == null) {
            throw new UnknownNameException("product", id, Suggest.closest(id, products.keySet(), 3));
        }
        return p;
    }

    /**
     * Writes the catalog as JSON in the file schema ({@code schemaVersion}, {@code catalogVersion},
     * {@code products}, and {@code dependencies} when there are any); {@link #load(InputStream, String)} reads it
     * back to an equal catalog. The writer stays open.
     */
    public void writeJson(Writer out) throws IOException {
        CatalogWriter.write(this, out);
    }

    /** Returns {@code "catalog 2026.11.23 (bundled:catalog.json, 4 products)"}. */
    @Override
    public String toString() {
        return "catalog " + catalogVersion + " (" + source + ", " + products.size() + " products)";
    }
}
