package io.github.servicetags.catalog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamReadException;
import io.github.servicetags.InvalidServiceTagsException;
import io.github.servicetags.internal.DataOpener;
import io.github.servicetags.internal.DataRules;
import io.github.servicetags.internal.Strings;
import io.github.servicetags.internal.Suggest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Streaming reader and validator of catalog files (jackson-core only, no object mapping). Every problem is an
 * {@link InvalidServiceTagsException} with the location {@code "line L, column C (products[1].flows[3].ports[0])"}.
 * Checks that need the whole product (a {@code from} naming a declared role) run when the product ends.
 */
final class CatalogReader {
    static final long MAX_BYTES = 4L << 20;
    static final int MAX_PRODUCTS = 256;
    static final int MAX_ROLES = 64;
    static final int MAX_FLOWS = 4096;
    static final int MAX_PORTS = 64;
    static final int MAX_FQDNS = 256;
    static final int MAX_NAME = 200;
    static final int MAX_PURPOSE = 500;
    static final int MAX_URL = 2048;
    static final int MAX_DEPENDENCIES = 1024;
    static final int MAX_REQUIRES = 32;

    static final Pattern ID = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?");
    static final Pattern VERSION = Pattern.compile("[0-9A-Za-z][0-9A-Za-z._+-]{0,63}");
    static final Pattern FQDN = Pattern.compile(
            "(?:\\*\\.)?(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    static final List<String> CLOUDS = List.of("Public", "AzureGovernment", "AzureChina");

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxDocumentLength(MAX_BYTES)
                    .maxNestingDepth(16)
                    .maxStringLength(64 * 1024)
                    .maxNumberLength(20)
                    .build())
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .build();

    private final String source;
    private JsonParser p;

    CatalogReader(String source) {
        this.source = source;
    }

    Catalog read(InputStream in) throws IOException {
        // the same opening as service-tag files: gzip by magic bytes, size limit, UTF-8 only, one BOM skipped
        InputStream body = DataOpener.open(in, source, MAX_BYTES).json();
        try (JsonParser parser = FACTORY.createParser(body)) {
            parser.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
            this.p = parser;
            return readCatalog();
        } catch (StreamReadException e) {
            JsonLocation l = e.getLocation();
            String where = l == null ? "" : "line " + l.getLineNr() + ", column " + l.getColumnNr();
            String msg = e.getOriginalMessage();
            if (msg != null && msg.startsWith("Unexpected character ('<'")) {
                msg = "this looks like HTML or XML, not a catalog JSON file";
            }
            throw new InvalidServiceTagsException(source, where, "malformed JSON: " + firstLine(msg), e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable input";
        }
        int nl = s.indexOf('\n');
        return Strings.printable(nl < 0 ? s : s.substring(0, nl));
    }

    // ---- the document ---------------------------------------------------------------------------------------

    private Catalog readCatalog() throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) {
            throw new InvalidServiceTagsException(source, "", "the file is empty; expected a catalog JSON object");
        }
        if (t != JsonToken.START_OBJECT) {
            throw fail("", "expected a JSON object at the top; is this a servicetags catalog file?");
        }
        Integer schema = null;
        String version = null;
        List<Product> products = null;
        List<Dependency> dependencies = List.of();
        Set<String> seen = new HashSet<>();
        while (nextField("", seen)) {
            String name = p.currentName();
            switch (name) {
                case "schemaVersion" -> {
                    if (p.nextToken() != JsonToken.VALUE_NUMBER_INT) {
                        throw fail("schemaVersion", "expected the integer " + Catalog.SCHEMA_VERSION);
                    }
                    if (p.getNumberType() != JsonParser.NumberType.INT || p.getIntValue() != Catalog.SCHEMA_VERSION) {
                        throw fail("schemaVersion", "unsupported schemaVersion " + p.getText()
                                + "; this version of servicetags reads schemaVersion " + Catalog.SCHEMA_VERSION);
                    }
                    schema = Catalog.SCHEMA_VERSION;
                }
                case "catalogVersion" -> version = string("catalogVersion", VERSION, 64,
                        "a version such as \"2026.11.23\"");
                case "products" -> products = readProducts();
                case "dependencies" -> dependencies = readDependencies();
                default -> throw unknownField("", name, "schemaVersion, catalogVersion, products, dependencies");
            }
        }
        if (schema == null) {
            throw fail("", "missing field 'schemaVersion'; is this a servicetags catalog file?");
        }
        if (version == null) {
            throw fail("", "missing field 'catalogVersion'");
        }
        if (products == null) {
            throw fail("", "missing field 'products'");
        }
        if (p.nextToken() != null) {
            throw fail("", "unexpected content after the catalog object");
        }
        return new Catalog(version, source, products, dependencies);
    }

    private List<Product> readProducts() throws IOException {
        expect(JsonToken.START_ARRAY, "products", "an array of products");
        List<Product> products = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            String path = "products[" + products.size() + "]";
            if (products.size() == MAX_PRODUCTS) {
                throw fail(path, "more than " + MAX_PRODUCTS + " products");
            }
            Product product = readProduct(path);
            if (!ids.add(product.id())) {
                throw fail(path, "duplicate product id " + Strings.quote(product.id()));
            }
            products.add(product);
        }
        return products;
    }

    /** A role name used in a flow, checked against the product's roles when the product ends. */
    private record RoleUse(String path, String where, String role, String field) {}

    private Product readProduct(String path) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw fail(path, "expected a product object");
        }
        String id = null;
        String name = null;
        String src = null;
        List<String> roles = null;
        List<Flow> flows = null;
        List<RoleUse> uses = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        while (nextField(path, seen)) {
            String field = p.currentName();
            String fp = path + "." + field;
            switch (field) {
                case "id" -> id = string(fp, ID, 64, "lower-case letters, digits and '-', like \"veeam-backup-azure\"");
                case "name" -> name = text(fp, MAX_NAME);
                case "source" -> src = url(fp);
                case "roles" -> roles = readRoles(fp);
                case "flows" -> flows = readFlows(fp, uses);
                default -> throw unknownField(path, field, "id, name, source, roles, flows");
            }
        }
        missing(path, "id", id);
        missing(path, "name", name);
        missing(path, "source", src);
        missing(path, "roles", roles);
        missing(path, "flows", flows);
        for (RoleUse u : uses) {
            if (!roles.contains(u.role())) {
                List<String> close = Suggest.closest(u.role(), roles, 3);
                throw new InvalidServiceTagsException(source, u.where() + " (" + u.path() + ")", "unknown role "
                        + Strings.quote(u.role()) + " in '" + u.field() + "'"
                        + (close.isEmpty() ? "" : "; did you mean " + String.join(", ", close) + "?")
                        + " (product " + Strings.quote(id) + " declares roles " + String.join(", ", roles) + ")");
            }
        }
        return new Product(id, name, src, roles, flows);
    }

    private List<String> readRoles(String path) throws IOException {
        expect(JsonToken.START_ARRAY, path, "an array of role names");
        List<String> roles = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            String rp = path + "[" + roles.size() + "]";
            if (roles.size() == MAX_ROLES) {
                throw fail(rp, "more than " + MAX_ROLES + " roles");
            }
            String role = currentString(rp, ID, 64, "lower-case letters, digits and '-', like \"worker\"");
            if (roles.contains(role)) {
                throw fail(rp, "duplicate role " + Strings.quote(role));
            }
            roles.add(role);
        }
        if (roles.isEmpty()) {
            throw fail(path, "a product needs at least one role");
        }
        return roles;
    }

    private List<Flow> readFlows(String path, List<RoleUse> uses) throws IOException {
        expect(JsonToken.START_ARRAY, path, "an array of flows");
        List<Flow> flows = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            String fp = path + "[" + flows.size() + "]";
            if (flows.size() == MAX_FLOWS) {
                throw fail(fp, "more than " + MAX_FLOWS + " flows");
            }
            flows.add(readFlow(fp, uses));
        }
        if (flows.isEmpty()) {
            throw fail(path, "a product needs at least one flow");
        }
        return flows;
    }

    private Flow readFlow(String path, List<RoleUse> uses) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw fail(path, "expected a flow object");
        }
        String from = null;
        Destination to = null;
        Protocol protocol = null;
        List<PortRange> ports = null;
        String portsWhere = null;
        Boolean optional = null;
        String purpose = null;
        String src = null;
        Map<String, Destination> clouds = Map.of();
        Set<String> seen = new HashSet<>();
        while (nextField(path, seen)) {
            String field = p.currentName();
            String fp = path + "." + field;
            switch (field) {
                case "from" -> {
                    from = string(fp, ID, 64, "a role name");
                    uses.add(new RoleUse(fp, where(), from, "from"));
                }
                case "to" -> to = readDestination(fp, uses);
                case "protocol" -> {
                    String s = string(fp, null, 8, null);
                    try {
                        protocol = Protocol.parse(s);
                    } catch (IllegalArgumentException e) {
                        throw fail(fp, e.getMessage());
                    }
                }
                case "ports" -> {
                    portsWhere = where();
                    ports = readPorts(fp);
                }
                case "optional" -> {
                    JsonToken t = p.nextToken();
                    if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
                        throw fail(fp, "expected true or false");
                    }
                    optional = t == JsonToken.VALUE_TRUE;
                }
                case "purpose" -> purpose = text(fp, MAX_PURPOSE);
                case "source" -> src = url(fp);
                case "clouds" -> clouds = readClouds(fp, uses);
                default -> throw unknownField(path, field, "from, to, protocol, ports, optional, purpose, source, clouds");
            }
        }
        missing(path, "from", from);
        missing(path, "to", to);
        missing(path, "protocol", protocol);
        missing(path, "ports", ports);
        missing(path, "optional", optional);
        missing(path, "purpose", purpose);
        missing(path, "source", src);
        if (protocol.hasPorts() && ports.isEmpty()) {
            throw new InvalidServiceTagsException(source, portsWhere + " (" + path + ".ports)",
                    "a " + protocol + " flow needs at least one port");
        }
        if (!protocol.hasPorts() && !ports.isEmpty()) {
            throw new InvalidServiceTagsException(source, portsWhere + " (" + path + ".ports)",
                    "a " + protocol + " flow takes no ports; use []");
        }
        return new Flow(from, to, protocol, ports, optional, purpose, src, clouds);
    }

    private List<PortRange> readPorts(String path) throws IOException {
        expect(JsonToken.START_ARRAY, path, "an array of port strings like [\"443\", \"49152-65535\"]");
        List<PortRange> ports = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            String pp = path + "[" + ports.size() + "]";
            if (ports.size() == MAX_PORTS) {
                throw fail(pp, "more than " + MAX_PORTS + " port entries");
            }
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                throw fail(pp, "expected a port as a string like \"443\" or \"49152-65535\", found "
                        + describe(p.currentToken()));
            }
            PortRange r;
            try {
                r = PortRange.parse(p.getText());
            } catch (IllegalArgumentException e) {
                throw fail(pp, e.getMessage());
            }
            for (PortRange o : ports) {
                if (o.from() <= r.to() && r.from() <= o.to()) {
                    throw fail(pp, "port " + r + " overlaps " + o + " listed before");
                }
            }
            ports.add(r);
        }
        return ports;
    }

    private Map<String, Destination> readClouds(String path, List<RoleUse> uses) throws IOException {
        expect(JsonToken.START_OBJECT, path, "an object like {\"AzureGovernment\": {\"fqdns\": [...]}}");
        Map<String, Destination> clouds = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        while (nextField(path, seen)) {
            String cloud = p.currentName();
            if (!CLOUDS.contains(cloud)) {
                throw fail(path, "unknown cloud " + Strings.quote(cloud) + "; expected one of "
                        + String.join(", ", CLOUDS));
            }
            clouds.put(cloud, readDestination(path + "." + cloud, uses));
        }
        return clouds;
    }

    private Destination readDestination(String path, List<RoleUse> uses) throws IOException {
        expect(JsonToken.START_OBJECT, path, "an object with exactly one of tag, fqdns, role, host");
        Destination d = null;
        Set<String> seen = new HashSet<>();
        while (nextField(path, seen)) {
            String field = p.currentName();
            String fp = path + "." + field;
            if (d != null) {
                throw fail(fp, "'" + field + "' beside '" + d.kind().key()
                        + "': a destination holds exactly one of tag, fqdns, role, host");
            }
            switch (field) {
                case "tag" -> {
                    String tag = string(fp, null, 128, null);
                    String base = tag.endsWith(Destination.REGION_PLACEHOLDER)
                            ? tag.substring(0, tag.length() - Destination.REGION_PLACEHOLDER.length()) : tag;
                    if (!DataRules.isTagName(base)) {
                        throw fail(fp, "invalid tag name " + Strings.quote(tag)
                                + "; expected a service tag like \"Storage\" or \"Sql.<region>\"");
                    }
                    d = Destination.tag(tag);
                }
                case "fqdns" -> d = Destination.fqdns(readFqdns(fp));
                case "role" -> {
                    String role = string(fp, ID, 64, "a role name");
                    uses.add(new RoleUse(fp, where(), role, "to.role"));
                    d = Destination.role(role);
                }
                case "host" -> d = Destination.host(string(fp, ID, 64,
                        "lower-case letters, digits and '-', like \"smtp-server\""));
                default -> throw unknownField(path, field, "tag, fqdns, role, host");
            }
        }
        if (d == null) {
            throw fail(path, "empty destination; expected exactly one of tag, fqdns, role, host");
        }
        return d;
    }

    private List<String> readFqdns(String path) throws IOException {
        expect(JsonToken.START_ARRAY, path, "an array of host names");
        List<String> names = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            String np = path + "[" + names.size() + "]";
            if (names.size() == MAX_FQDNS) {
                throw fail(np, "more than " + MAX_FQDNS + " host names");
            }
            String n = currentString(np, FQDN, 253, "a host name like \"login.microsoftonline.com\" or \"*.windows.net\"");
            if (names.contains(n)) {
                throw fail(np, "duplicate host name " + Strings.quote(n));
            }
            names.add(n);
        }
        if (names.isEmpty()) {
            throw fail(path, "expected at least one host name");
        }
        return names;
    }

    // ---- dependencies ---------------------------------------------------------------------------------------

    /** A value read at a location, for checks that run when its object or array ends. */
    private record Located(String path, String where, String value) {}

    private List<Dependency> readDependencies() throws IOException {
        expect(JsonToken.START_ARRAY, "dependencies", "an array of dependencies");
        List<Dependency> deps = new ArrayList<>();
        List<List<Located>> requirements = new ArrayList<>();
        Map<String, Integer> index = new LinkedHashMap<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            String path = "dependencies[" + deps.size() + "]";
            if (deps.size() == MAX_DEPENDENCIES) {
                throw fail(path, "more than " + MAX_DEPENDENCIES + " dependencies");
            }
            List<Located> reqs = new ArrayList<>();
            Located[] tag = new Located[1];
            Dependency d = readDependency(path, reqs, tag);
            if (index.putIfAbsent(d.tag(), deps.size()) != null) {
                throw failAt(tag[0], "duplicate dependency for tag " + Strings.quote(d.tag()) + " (also in dependencies["
                        + index.get(d.tag()) + "]); list all its required tags in one entry");
            }
            deps.add(d);
            requirements.add(reqs);
        }
        List<String> cycle = Catalog.findCycle(deps);
        if (!cycle.isEmpty()) {
            int i = index.get(cycle.get(0));
            Located at = requirements.get(i).stream()
                    .filter(r -> cycle.get(1).equals(Catalog.target(r.value(), index.keySet())))
                    .findFirst().orElseThrow();
            throw failAt(at, "dependency cycle: " + String.join(" -> ", cycle));
        }
        return deps;
    }

    private Dependency readDependency(String path, List<Located> reqs, Located[] tagAt) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw fail(path, "expected a dependency object like {\"tag\": \"AzureBackup\", \"requires\": [\"Storage\"], "
                    + "\"reason\": \"...\", \"source\": \"https://...\"}");
        }
        String tag = null;
        Protocol protocol = null;
        Located protocolAt = null;
        List<PortRange> ports = null;
        Located portsAt = null;
        String reason = null;
        String src = null;
        boolean sawRequires = false;
        Set<String> seen = new HashSet<>();
        while (nextField(path, seen)) {
            String field = p.currentName();
            String fp = path + "." + field;
            switch (field) {
                case "tag" -> {
                    tag = string(fp, null, 128, null);
                    tagAt[0] = new Located(fp, where(), tag);
                    if (tag.endsWith(Destination.REGION_PLACEHOLDER)) {
                        throw fail(fp, "invalid tag " + Strings.quote(tag) + "; name the service without a region, "
                                + "like \"AzureBackup\": the dependency applies to its regional tags too");
                    }
                    if (!DataRules.isTagName(tag)) {
                        throw fail(fp, "invalid tag name " + Strings.quote(tag)
                                + "; expected a service tag like \"AzureBackup\"");
                    }
                    if (tag.equals(Destination.VIRTUAL_NETWORK)) {
                        throw fail(fp, "VirtualNetwork is your own network and cannot have dependencies");
                    }
                }
                case "requires" -> {
                    readRequires(fp, reqs);
                    sawRequires = true;
                }
                case "protocol" -> {
                    String s = string(fp, null, 8, null);
                    protocolAt = new Located(fp, where(), s);
                    try {
                        protocol = Protocol.parse(s);
                    } catch (IllegalArgumentException e) {
                        throw fail(fp, e.getMessage());
                    }
                }
                case "ports" -> {
                    portsAt = new Located(fp, where(), "");
                    ports = readPorts(fp);
                }
                case "reason" -> reason = text(fp, MAX_PURPOSE);
                case "source" -> src = url(fp);
                default -> throw unknownField(path, field, "tag, requires, protocol, ports, reason, source");
            }
        }
        missing(path, "tag", tag);
        missing(path, "requires", sawRequires ? reqs : null);
        missing(path, "reason", reason);
        missing(path, "source", src);
        for (Located r : reqs) {
            if (Dependency.targets(r.value(), tag)) {
                throw failAt(r, Strings.quote(tag) + " cannot require itself");
            }
        }
        if (protocol == null && ports != null) {
            throw failAt(portsAt, "'ports' needs 'protocol' beside it; without both, the extra rules keep the "
                    + "protocol and ports of the rule that needs the tag");
        }
        if (protocol != null && protocol.hasPorts() && (ports == null || ports.isEmpty())) {
            throw failAt(ports == null ? protocolAt : portsAt, "a " + protocol + " dependency needs at least one port");
        }
        if (protocol != null && !protocol.hasPorts() && ports != null && !ports.isEmpty()) {
            throw failAt(portsAt, "a " + protocol + " dependency takes no ports; use []");
        }
        List<String> requires = reqs.stream().map(Located::value).toList();
        try {
            return new Dependency(tag, requires, protocol, ports == null ? List.of() : ports, reason, src);
        } catch (IllegalArgumentException e) {
            throw fail(path, e.getMessage()); // every case is checked above; this keeps the loader's contract
        }
    }

    private void readRequires(String path, List<Located> reqs) throws IOException {
        expect(JsonToken.START_ARRAY, path, "an array of service tags like [\"Storage.<region>\", \"AzureActiveDirectory\"]");
        while (p.nextToken() != JsonToken.END_ARRAY) {
            String rp = path + "[" + reqs.size() + "]";
            if (reqs.size() == MAX_REQUIRES) {
                throw fail(rp, "more than " + MAX_REQUIRES + " required tags");
            }
            String tag = currentString(rp, null, 128, null);
            String base = tag.endsWith(Destination.REGION_PLACEHOLDER)
                    ? tag.substring(0, tag.length() - Destination.REGION_PLACEHOLDER.length()) : tag;
            if (!DataRules.isTagName(base)) {
                throw fail(rp, "invalid tag name " + Strings.quote(tag)
                        + "; expected a service tag like \"Storage\" or \"Storage.<region>\"");
            }
            if (base.equals(Destination.VIRTUAL_NETWORK)) {
                throw fail(rp, "VirtualNetwork is your own network and cannot be required");
            }
            for (Located r : reqs) {
                if (r.value().equals(tag)) {
                    throw fail(rp, "duplicate required tag " + Strings.quote(tag));
                }
            }
            reqs.add(new Located(rp, where(), tag));
        }
        if (reqs.isEmpty()) {
            throw fail(path, "a dependency needs at least one required tag");
        }
    }

    private InvalidServiceTagsException failAt(Located at, String problem) {
        return new InvalidServiceTagsException(source, at.where() + " (" + at.path() + ")", problem);
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    /** Advances to the next field of the current object; false at its end. Rejects duplicate keys. */
    private boolean nextField(String path, Set<String> seen) throws IOException {
        JsonToken t = p.nextToken();
        if (t == JsonToken.END_OBJECT) {
            return false;
        }
        if (t != JsonToken.FIELD_NAME) {
            throw fail(path, "expected a field name, found " + describe(t));
        }
        String name = p.currentName();
        if (!seen.add(name)) {
            throw fail(path.isEmpty() ? name : path + "." + name, "duplicate key " + Strings.quote(name));
        }
        return true;
    }

    private void expect(JsonToken token, String path, String what) throws IOException {
        JsonToken t = p.currentToken() == JsonToken.FIELD_NAME ? p.nextToken() : p.currentToken();
        if (t != token) {
            throw fail(path, "expected " + what + ", found " + describe(t));
        }
    }

    /** Reads the value of the current field as a string matching {@code pattern}. */
    private String string(String path, Pattern pattern, int max, String expected) throws IOException {
        p.nextToken();
        return currentString(path, pattern, max, expected);
    }

    private String currentString(String path, Pattern pattern, int max, String expected) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw fail(path, "expected a string, found " + describe(p.currentToken()));
        }
        String s = p.getText();
        if (s.isEmpty()) {
            throw fail(path, "empty string");
        }
        if (s.length() > max) {
            throw fail(path, "string of " + s.length() + " characters, over the limit of " + max);
        }
        if (pattern != null && !pattern.matcher(s).matches()) {
            throw fail(path, "invalid value " + Strings.quote(s) + "; expected " + expected);
        }
        return s;
    }

    /** Reads free text: no control characters. */
    private String text(String path, int max) throws IOException {
        String s = string(path, null, max, null);
        int i = DataRules.firstControl(s);
        if (i >= 0) {
            throw fail(path, "control character U+" + String.format("%04X", (int) s.charAt(i)) + " in text "
                    + Strings.quote(s));
        }
        return s;
    }

    private String url(String path) throws IOException {
        String s = string(path, null, MAX_URL, null);
        URI uri = null;
        try {
            uri = new URI(s);
        } catch (URISyntaxException e) {
            // reported below
        }
        if (uri == null || !"https".equals(uri.getScheme()) || uri.getHost() == null || !s.equals(uri.toASCIIString())) {
            throw fail(path, "invalid source URL " + Strings.quote(s) + "; expected an https:// URL");
        }
        return s;
    }

    private void missing(String path, String field, Object value) throws InvalidServiceTagsException {
        if (value == null) {
            throw fail(path, "missing field '" + field + "'");
        }
    }

    private InvalidServiceTagsException unknownField(String path, String field, String expected) {
        return fail(path.isEmpty() ? field : path + "." + field,
                "unknown field " + Strings.quote(field) + "; expected one of " + expected);
    }

    private String where() {
        JsonLocation l = p.currentTokenLocation();
        return "line " + l.getLineNr() + ", column " + l.getColumnNr();
    }

    private InvalidServiceTagsException fail(String path, String problem) {
        return new InvalidServiceTagsException(source, where() + (path.isEmpty() ? "" : " (" + path + ")"), problem);
    }

    private static String describe(JsonToken t) {
        return Strings.describe(t);
    }
}
