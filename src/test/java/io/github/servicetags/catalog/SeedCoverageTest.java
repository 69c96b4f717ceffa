package io.github.servicetags.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Reads the table rows of the vendor documents in {@code ../shared/seeds} and checks that each row is a flow of the
 * bundled catalog (so a missed row fails), and that every flow of the catalog comes from a row or from a note the
 * test names. The label-to-role maps below are the only hand-made part; an unmapped label fails the test.
 */
class SeedCoverageTest {
    private static final Catalog CATALOG = Catalog.bundled();

    /** One expected connection read from a document. */
    record Row(String doc, String line, List<String> from, Destination to, Protocol protocol, List<PortRange> ports,
            boolean optional) {}

    // ---------------------------------------------------------------------------------------------------------
    // Veeam documents (000, 001): markdown tables From | To | Protocol | Port | Notes with row spans flattened.
    // ---------------------------------------------------------------------------------------------------------

    private static final Map<String, List<String>> VEEAM_FROM = Map.of(
            "Veeam Backup & Replication console", List.of("console"),
            "Backup server", List.of("backup-server"),
            "Proxy server", List.of("proxy-server"),
            "Web browser (local machine)", List.of("browser"),
            "Backup appliance", List.of("appliance"),
            "Azure VMs", List.of("azure-vm"),
            "Worker instances", List.of("worker"),
            "Veeam Plug-in for Microsoft Azure", List.of("backup-server"),
            "Veeam Backup & Replication console and Veeam ONE server", List.of("console", "veeam-one"));

    /** Destinations named without a tag or DNS name in the document. */
    private static final Map<String, Destination> VEEAM_TO = Map.ofEntries(
            Map.entry("Backup server", Destination.role("backup-server")),
            Map.entry("Proxy server", Destination.role("proxy-server")),
            Map.entry("PostgreSQL server hosting the database for the Microsoft Entra ID backup repository",
                    Destination.host("postgresql-server")),
            Map.entry("Microsoft Entra ID Services", Destination.tag("AzureActiveDirectory")),
            Map.entry("Azure Resource Manager", Destination.tag("AzureResourceManager")),
            Map.entry("Backup appliance", Destination.role("appliance")),
            Map.entry("Worker instances", Destination.role("worker")),
            Map.entry("Veeam Update Repository", Destination.host("veeam-update-repository")),
            Map.entry("SMTP server (DNS name or IP address of the SMTP server)", Destination.host("smtp-server")),
            Map.entry("Azure SQL Managed Instances (DNS name or IP address of the Managed Instance)",
                    Destination.host("sql-managed-instance")));

    private static final Pattern PROTOCOL_CELL = Pattern.compile("(TCP|UDP)(/[A-Z]+)?");
    private static final Pattern SERVICE_TAG = Pattern.compile("\\([Ss]ervice tag: ([A-Za-z0-9.]+(?:<region>)?)");
    private static final Pattern DNS_NAME = Pattern.compile("DNS name: ([A-Za-z0-9.*<>\\\\_-]+)");

    @Test
    void veeamEntraIdRowsAreInTheCatalog() throws IOException {
        checkVeeam("000", "veeam-backup-entra-id", 8, Set.of());
    }

    @Test
    void veeamAzureRowsAreInTheCatalog() throws IOException {
        // Flows taken from the notes of a row rather than a row: SMTP over TLS on 587.
        checkVeeam("001", "veeam-backup-azure", 35, Set.of("appliance -> host smtp-server tcp 587 (optional)"));
    }

    private void checkVeeam(String doc, String productId, int expectedRows, Set<String> fromNotes) throws IOException {
        String text = seed(doc);
        Product product = CATALOG.product(productId);
        assertEquals(frontMatter(text, "source_url"), product.source(), "product source");
        List<Row> rows = veeamRows(doc, text);
        assertEquals(expectedRows, rows.stream().mapToInt(r -> r.from().size()).sum(),
                "rows read from " + doc + " (a changed document needs a look)");
        Set<Flow> matched = new HashSet<>();
        for (Row row : rows) {
            matched.addAll(check(product, row));
        }
        for (Flow f : product.flows()) {
            assertEquals(product.source(), f.source(), "source of " + f);
            if (!matched.contains(f) && !fromNotes.contains(f.toString())) {
                fail("flow " + f + " of " + productId + " matches no row of seed " + doc);
            }
        }
    }

    static List<Row> veeamRows(String doc, String text) {
        List<Row> rows = new ArrayList<>();
        String from = null;
        String to = null;
        String protocol = null;
        String ports = null;
        boolean inTable = false;
        for (String line : text.split("\n")) {
            if (line.startsWith("| From | To |")) {
                inTable = true;
                continue;
            }
            if (!inTable || line.startsWith("| ---")) {
                continue;
            }
            if (!line.startsWith("|")) {
                inTable = false;
                continue;
            }
            List<String> cells = cells(line);
            boolean optional = false;
            switch (cells.size()) {
                case 5 -> {
                    from = cells.get(0);
                    to = cells.get(1);
                    protocol = cells.get(2);
                    ports = cells.get(3);
                }
                case 4 -> {
                    to = cells.get(0);
                    protocol = cells.get(1);
                    ports = cells.get(2);
                }
                case 3 -> {
                    if (PROTOCOL_CELL.matcher(cells.get(0)).matches()) {
                        protocol = cells.get(0);
                        ports = cells.get(1);
                    } else {
                        to = cells.get(0);
                        protocol = cells.get(1);
                        ports = cells.get(2);
                    }
                }
                case 1 -> optional = cells.get(0).startsWith("[Optional]");  // a second description of the row above
                default -> fail("seed " + doc + ": cannot read table row " + line);
            }
            String fromLabel = from;
            if (fromLabel.startsWith("[Optional] ")) {
                optional = true;
                fromLabel = fromLabel.substring("[Optional] ".length());
            }
            List<String> roles = VEEAM_FROM.get(fromLabel);
            if (roles == null) {
                fail("seed " + doc + ": no role for From '" + fromLabel + "'; add it to VEEAM_FROM");
            }
            Matcher pm = PROTOCOL_CELL.matcher(protocol);
            assertTrue(pm.matches(), "protocol cell '" + protocol + "' in " + line);
            rows.add(new Row(doc, line, roles, veeamDestination(doc, to), Protocol.parse(pm.group(1).toLowerCase()),
                    ports(ports), optional));
        }
        return rows;
    }

    private static Destination veeamDestination(String doc, String label) {
        Matcher tag = SERVICE_TAG.matcher(label);
        if (tag.find()) {
            return Destination.tag(tag.group(1));
        }
        Matcher dns = DNS_NAME.matcher(label);
        List<String> names = new ArrayList<>();
        while (dns.find()) {
            names.add(dns.group(1).replace("<blob\\_name>", "*"));
        }
        String plain = label.replaceAll("\\s+", " ").trim();
        Destination d = VEEAM_TO.get(plain);
        if (d != null) {
            return d;
        }
        if (!names.isEmpty()) {
            return Destination.fqdns(names);
        }
        throw new AssertionError("seed " + doc + ": no destination for To '" + label + "'; add it to VEEAM_TO");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Microsoft Entra Connect (003): tables Protocol | Ports | Description under "Table N" headings.
    // ---------------------------------------------------------------------------------------------------------

    private static final String CONNECT = "connect-server";
    private static final Destination ENTRA = Destination.tag("AzureActiveDirectory");
    private static final Destination CRL = Destination.host("crl-server");

    /** From-role and destinations of each table; port 80 rows (CRL downloads) of the Entra ID tables go to crl-server. */
    private static List<Row> connectTableRows(String table, String protocolName, Protocol protocol, List<PortRange> ports,
            String line) {
        boolean crl = ports.equals(List.of(PortRange.of(80)));
        return switch (table) {
            case "1" -> List.of(new Row("003", line, List.of(CONNECT), Destination.role("domain-controller"), protocol,
                    ports, false));
            case "2", "6a", "6b" -> List.of(new Row("003", line, List.of(CONNECT), crl ? CRL : ENTRA, protocol, ports,
                    !table.equals("2")));
            case "3" -> List.of(
                    new Row("003", line, List.of(CONNECT), Destination.role("adfs-server"), protocol, ports, false),
                    new Row("003", line, List.of(CONNECT), Destination.role("wap-server"), protocol, ports, false));
            case "4" -> List.of(new Row("003", line, List.of("wap-server"), Destination.role("adfs-server"), protocol,
                    ports, false));
            case "5" -> List.of(new Row("003", line, List.of("client"), Destination.role("wap-server"), protocol, ports,
                    false));
            case "7a" -> List.of(new Row("003", line, List.of("health-agent"),
                    protocolName.equals("Azure Service Bus") ? Destination.tag("ServiceBus") : ENTRA, protocol, ports,
                    protocolName.equals("Azure Service Bus")));
            default -> throw new AssertionError("seed 003: no mapping for table " + table);
        };
    }

    private static final Pattern CONNECT_HEADING = Pattern.compile("#+ (?:Table )?(\\d+[ab]?)(?: &| -)");
    private static final Pattern CONNECT_PORTS = Pattern.compile(
            "(\\d+)(?:- ?(\\d+))?(?: \\([^)]*\\))*?(?: ?\\((TCP/UDP|TCP|UDP)\\))?");

    @Test
    void entraConnectRowsAreInTheCatalog() throws IOException {
        String text = seed("003");
        Product product = CATALOG.product("entra-connect");
        List<Row> rows = new ArrayList<>();
        String table = null;
        boolean header = false;
        Set<String> directIp = new LinkedHashSet<>();
        Map<String, List<PortRange>> tablePorts = new java.util.HashMap<>();
        for (String line : text.split("\n")) {
            Matcher h = CONNECT_HEADING.matcher(line);
            if (h.lookingAt()) {
                table = h.group(1);
                continue;
            }
            if (line.startsWith("| Protocol | Ports |")) {
                header = true;
                continue;
            }
            if (line.contains("direct IP connections to the [Azure data center IP ranges]")) {
                directIp.add(table);
            }
            if (!header || line.startsWith("| ---")) {
                continue;
            }
            if (!line.startsWith("|")) {
                header = false;
                continue;
            }
            List<String> cells = cells(line);
            assertEquals(3, cells.size(), "cells of " + line);
            Matcher m = CONNECT_PORTS.matcher(cells.get(1));
            assertTrue(m.lookingAt(), "ports cell " + cells.get(1));
            PortRange range = m.group(2) == null ? PortRange.of(Integer.parseInt(m.group(1)))
                    : new PortRange(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
            String protos = cells.get(1).contains("(TCP/UDP)") ? "TCP/UDP"
                    : cells.get(1).contains("(UDP)") ? "UDP" : "TCP";  // WinRM 5985 names no protocol: TCP
            for (String proto : protos.split("/")) {
                rows.addAll(connectTableRows(table, cells.get(0), Protocol.parse(proto.toLowerCase()), List.of(range),
                        line));
            }
            tablePorts.computeIfAbsent(table, k -> new ArrayList<>()).add(range);
        }
        assertEquals(Set.of("6a", "6b"), directIp, "tables with direct IP connections");
        for (String t : directIp) {
            rows.add(new Row("003", "direct IP connections, table " + t, List.of(CONNECT), Destination.tag("AzureCloud"),
                    Protocol.TCP, tablePorts.get(t), true));
        }
        assertEquals(32, rows.size(), "rows read from 003 (a changed document needs a look)");
        Set<Flow> matched = new HashSet<>();
        for (Row row : rows) {
            matched.addAll(check(product, row));
        }
        for (Flow f : product.flows()) {
            assertTrue(matched.contains(f), "flow " + f + " of entra-connect matches no row of seed 003");
            assertEquals("https://learn.microsoft.com/en-us/entra/identity/hybrid/connect/reference-connect-ports",
                    f.source());
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Azure Backup MARS agent (004, 002): tags in the text, bullet lists of FQDNs, a US Government variant.
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void marsAgentEndpointsAreInTheCatalog() throws IOException {
        String text = seed("004");
        Product product = CATALOG.product("azure-backup-mars");
        assertTrue(text.contains("uses the HTTPS protocol on port 443"));
        List<String> publicList = new ArrayList<>();
        List<String> govList = new ArrayList<>();
        List<String> peeringList = new ArrayList<>();
        List<String> current = null;
        for (String line : text.split("\n")) {
            String l = line.trim();
            if (l.equals("FQDNs")) {
                current = publicList;
            } else if (l.startsWith("If you are a US Government customer")) {
                current = govList;
            } else if (l.startsWith("To use public peering")) {
                current = peeringList;
            } else if (l.startsWith("•") && current != null) {
                current.add(l.substring(1).trim());
            } else if (!l.isEmpty()) {
                current = null;
            }
        }
        assertEquals(7, publicList.size());
        assertEquals(9, govList.size());
        assertEquals(publicList, peeringList, "ExpressRoute public peering uses the same names");

        List<Row> rows = new ArrayList<>();
        Matcher tags = Pattern.compile("\\((AzureBackup|Storage|AzureActiveDirectory)\\)").matcher(text);
        Set<String> tagNames = new LinkedHashSet<>();
        while (tags.find()) {
            tagNames.add(tags.group(1));
        }
        assertEquals(Set.of("AzureBackup", "Storage", "AzureActiveDirectory"), tagNames);
        for (String t : tagNames) {
            rows.add(row("004", "tag " + t, "mars-agent", Destination.tag(t), false));
        }
        rows.add(row("004", "FQDN list", "mars-agent", Destination.fqdns(publicList), false));
        Matcher ncsi = Pattern.compile("need access to (www\\.[a-z.]+), or (www\\.[a-z.]+)\\.").matcher(text);
        assertTrue(ncsi.find(), "connectivity check names");
        rows.add(row("004", "connectivity check", "mars-agent", Destination.fqdns(List.of(ncsi.group(1), ncsi.group(2))),
                true));
        Set<Flow> matched = new HashSet<>();
        for (Row row : rows) {
            matched.addAll(check(product, row));
        }
        Flow names = product.flows().stream().filter(f -> f.to().equals(Destination.fqdns(publicList))).findFirst()
                .orElseThrow();
        assertEquals(Destination.fqdns(govList), names.destination("AzureGovernment"), "US Government variant");
        assertEquals(Destination.fqdns(publicList), names.destination("Public"));

        // 002: the outbound HTTPS pattern; every MARS flow is outbound TCP 443 from the agent.
        String pattern = seed("002");
        assertTrue(pattern.contains("Allow outbound connections over TCP 443 to Azure datacenter"));
        Flow datacenter = product.flows().stream()
                .filter(f -> f.source().equals("https://hoop.dev/blog/what-azure-backup-port-actually-does-and-when-to-use-it"))
                .findFirst().orElseThrow(() -> new AssertionError("no flow from seed 002"));
        assertEquals(Destination.tag("AzureBackup.<region>"), datacenter.to(), "the vault, in its region");
        matched.add(datacenter);
        for (Flow f : product.flows()) {
            assertEquals("mars-agent", f.from());
            assertEquals(Protocol.TCP, f.protocol());
            assertEquals(List.of(PortRange.of(443)), f.ports());
            assertTrue(matched.contains(f), "flow " + f + " of azure-backup-mars matches nothing in seeds 004, 002");
        }
    }

    private static Row row(String doc, String what, String from, Destination to, boolean optional) {
        return new Row(doc, what, List.of(from), to, Protocol.TCP, List.of(PortRange.of(443)), optional);
    }

    @Test
    void everySeedDocumentIsUsed() throws IOException {
        Path dir = Shared.require("seeds");
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString().substring(0, 3)).sorted().toList();
            assertEquals(List.of("000", "001", "002", "003", "004"), names,
                    "seed documents (a new one needs a product or a test here)");
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Checks that the row is covered by flows of the product; returns those flows. */
    private static Set<Flow> check(Product product, Row row) {
        Set<Flow> used = new HashSet<>();
        for (String from : row.from()) {
            assertTrue(product.roles().contains(from), "role " + from + " in " + product.id());
            List<Flow> candidates = product.flows().stream()
                    .filter(f -> f.from().equals(from) && f.to().equals(row.to()) && f.protocol() == row.protocol())
                    .toList();
            for (PortRange port : row.ports()) {
                List<Flow> withPort = candidates.stream().filter(f -> f.ports().contains(port)).toList();
                assertFalse(withPort.isEmpty(), () -> "seed " + row.doc() + ": no flow " + from + " -> " + row.to()
                        + " " + row.protocol() + " " + port + " in " + product.id() + " for row: " + row.line());
                if (row.optional()) {
                    assertTrue(withPort.stream().anyMatch(Flow::optional), "seed " + row.doc()
                            + ": the row is optional but no matching flow is: " + row.line());
                    withPort.stream().filter(Flow::optional).forEach(used::add);
                } else {
                    used.addAll(withPort);
                }
            }
        }
        return used;
    }

    private static List<String> cells(String line) {
        String inner = line.trim();
        inner = inner.substring(1, inner.endsWith("|") ? inner.length() - 1 : inner.length());
        List<String> cells = new ArrayList<>();
        for (String c : inner.split("\\|", -1)) {
            cells.add(c.trim());
        }
        return cells;
    }

    private static List<PortRange> ports(String cell) {
        List<PortRange> ports = new ArrayList<>();
        for (String p : cell.split(",")) {
            ports.add(PortRange.parse(p.trim()));
        }
        return ports;
    }

    private static String seed(String number) throws IOException {
        Path dir = Shared.require("seeds");
        try (Stream<Path> files = Files.list(dir)) {
            Path file = files.filter(p -> p.getFileName().toString().startsWith(number + "_")).findFirst()
                    .orElseThrow(() -> new AssertionError("seed " + number + " missing in " + dir));
            return Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\n").replace('\u00a0', ' ');
        }
    }

    private static String frontMatter(String text, String key) {
        Matcher m = Pattern.compile("(?m)^" + key + ": \"([^\"]*)\"$").matcher(text);
        assertTrue(m.find(), "front matter " + key);
        return m.group(1);
    }
}
