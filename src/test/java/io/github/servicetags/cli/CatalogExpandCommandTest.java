package io.github.servicetags.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.servicetags.ServiceTags;
import io.github.servicetags.catalog.Catalog;
import io.github.servicetags.testing.TestJson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code catalog} and {@code expand} run in-process: output, exit codes and stderr messages. */
class CatalogExpandCommandTest {
    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {}

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // an empty cache directory and no SERVICETAGS_DATA: the data is --data or the bundled snapshot
        String[] all = new String[args.length + 2];
        all[0] = "--cache";
        all[1] = tmp.resolve("cache").toString();
        System.arraycopy(args, 0, all, 2, args.length);
        int code = Main.run(all, new PrintWriter(out), new PrintWriter(err), Map.of());
        return new Result(code, out.toString(), err.toString());
    }

    static Path realData(String name) {
        return io.github.servicetags.RealData.file(name);
    }

    @Test
    void catalogJsonIsTheCatalogFileSchemaAndLoadsBack() throws IOException {
        Result r = run("catalog", "--format", "json");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        Catalog back = Catalog.load(new ByteArrayInputStream(r.out().getBytes(StandardCharsets.UTF_8)), "stdout");
        assertEquals(Catalog.bundled().products(), back.products());
        Map<?, ?> doc = (Map<?, ?>) parse(r.out());
        assertEquals(List.of("schemaVersion", "catalogVersion", "products", "dependencies"), List.copyOf(doc.keySet()));
        assertEquals(Catalog.bundled().dependencies(), back.dependencies());
        Map<?, ?> azure = (Map<?, ?>) ((List<?>) doc.get("products")).get(1);
        assertEquals("veeam-backup-azure", azure.get("id"));
        assertEquals(List.of("id", "name", "source", "roles", "flows"), List.copyOf(azure.keySet()));
        Map<?, ?> sql = ((List<?>) azure.get("flows")).stream().map(f -> (Map<?, ?>) f)
                .filter(f -> Map.of("tag", "Sql.<region>").equals(f.get("to"))).findFirst().orElseThrow();
        assertEquals("worker", sql.get("from"));
        assertEquals("tcp", sql.get("protocol"));
        assertEquals(List.of("1433", "11000-11999"), sql.get("ports"));
        assertEquals(false, sql.get("optional"));
        assertEquals(List.of("from", "to", "protocol", "ports", "optional", "purpose", "source"),
                List.copyOf(sql.keySet()));
    }

    @Test
    void catalogTextListsProductsRolesAndFlows() {
        Result r = run("catalog");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("veeam-backup-entra-id  Veeam Backup for Microsoft Entra ID\n"), r.out());
        assertTrue(r.out().contains("\n  roles:  browser, appliance, azure-vm, worker, backup-server, console, veeam-one\n"));
        assertTrue(r.out().contains("\n  worker -> tag Sql.<region>  tcp 1433,11000-11999  Worker connects"), r.out());
        assertTrue(r.out().contains("\n      in AzureGovernment: fqdns www.msftncsi.com, *.microsoft.com,"), r.out());
        assertTrue(r.out().contains("connect-server -> role domain-controller  udp 53  DNS lookups"), r.out());
    }

    @Test
    void catalogFromAFileOfOnesOwn() throws IOException {
        Path mine = tmp.resolve("mine.json");
        Files.writeString(mine, "{\"schemaVersion\":1,\"catalogVersion\":\"9\",\"products\":[{\"id\":\"app\",\"name\":\"App\","
                + "\"source\":\"https://example.com/\",\"roles\":[\"web\"],\"flows\":[{\"from\":\"web\",\"to\":{\"tag\":"
                + "\"Sql.<region>\"},\"protocol\":\"tcp\",\"ports\":[\"1433\"],\"optional\":false,\"purpose\":\"db\","
                + "\"source\":\"https://example.com/\"}]}]}");
        Result r = run("catalog", "--catalog", mine.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("app  App\n  source: https://example.com/\n  roles:  web\n  web -> tag Sql.<region>  tcp 1433  db\n",
                r.out());
        Result e = run("--data", realData("ServiceTags_Public_376.json").toString(), "expand", "--catalog",
                mine.toString(), "--product", "app", "--region", "westeurope");
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("\"to\" : \"Sql.WestEurope\""), e.out());
    }

    @Test
    void brokenCatalogFileIsADataError() throws IOException {
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, "{\"schemaVersion\":1,\"catalogVersion\":\"9\",\"products\":[],\"extra\":1}");
        Result r = run("catalog", "--catalog", bad.toString());
        assertEquals(1, r.code());
        assertEquals("", r.out());
        assertEquals("servicetags: " + bad + ": line 1, column 55 (extra): unknown field 'extra'; expected one of "
                + "schemaVersion, catalogVersion, products, dependencies\n", r.err());
        Result missing = run("catalog", "--catalog", tmp.resolve("nope.json").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().startsWith("servicetags: "), missing.err());
        assertFalse(missing.err().contains("\tat "), missing.err());
    }

    @Test
    void expandJsonOnRealData() throws IOException {
        for (String file : List.of("ServiceTags_Public_353.json", "ServiceTags_Public_376.json")) {
            Path data = realData(file);
            ServiceTags st = ServiceTags.load(data);
            Result r = run("--data", data.toString(), "expand", "--product", "veeam-backup-azure", "--region",
                    "West Europe", "--bind", "worker=10.1.0.0/24", "--format", "json");
            assertEquals(0, r.code(), r.err());
            Map<?, ?> doc = (Map<?, ?>) parse(r.out());
            assertEquals(List.of("product", "region", "cloud", "changeNumber", "rules", "warnings"),
                    List.copyOf(doc.keySet()));
            assertEquals("veeam-backup-azure", doc.get("product"));
            assertEquals("westeurope", doc.get("region"));
            assertEquals("Public", doc.get("cloud"));
            assertEquals(st.changeNumber(), ((Number) doc.get("changeNumber")).longValue());
            Map<?, ?> sql = ((List<?>) doc.get("rules")).stream().map(x -> (Map<?, ?>) x)
                    .filter(x -> "Sql.WestEurope".equals(x.get("to"))).findFirst().orElseThrow();
            assertEquals(List.of("from", "to", "kind", "protocol", "ports", "prefixes", "fqdns", "optional", "purpose",
                    "fromPrefixes"), List.copyOf(sql.keySet()));
            assertEquals(List.of("10.1.0.0/24"), sql.get("fromPrefixes"), "the bound worker's CIDRs");
            assertEquals("worker", sql.get("from"));
            assertEquals("tag", sql.get("kind"));
            assertEquals(List.of("1433", "11000-11999"), sql.get("ports"));
            List<String> expected = new TreeSet<>(st.prefixes("Sql.WestEurope")).stream().map(Object::toString).toList();
            assertEquals(expected, sql.get("prefixes"));
            assertEquals(List.of(), sql.get("fqdns"));
            assertTrue(((List<?>) doc.get("warnings")).contains("AzureActiveDirectory has no regional tags; its rules "
                    + "use the global tag AzureActiveDirectory (all regions)"));
            assertTrue(r.err().contains("servicetags: warning: AzureActiveDirectory has no regional tags; its rules use "
                    + "the global tag AzureActiveDirectory (all regions)\n"), r.err());
            assertFalse(r.err().contains("worker is not bound"), r.err());
        }
    }

    @Test
    void expandWithDependenciesMarksTheAddedRules() throws IOException {
        Path data = realData("ServiceTags_Public_376.json");
        ServiceTags st = ServiceTags.load(data);
        // the bundled MARS product already has every tag AzureBackup needs: the flag changes nothing
        Result plain = run("--data", data.toString(), "expand", "--product", "azure-backup-mars", "--region",
                "westeurope", "--format", "json");
        Result same = run("--data", data.toString(), "expand", "--product", "azure-backup-mars", "--region",
                "westeurope", "--with-dependencies", "--format", "json");
        assertEquals(0, same.code(), same.err());
        assertEquals(plain, same);

        // a catalog of one's own: a VM that lists only AzureBackup.<region>, with the bundled dependencies
        Path mine = tmp.resolve("vm.json");
        StringWriter bundled = new StringWriter();
        Catalog.bundled().writeJson(bundled);
        String deps = bundled.toString().substring(bundled.toString().indexOf("\"dependencies\""));
        Files.writeString(mine, "{\"schemaVersion\":1,\"catalogVersion\":\"9\",\"products\":[{\"id\":\"vm\","
                + "\"name\":\"VM\",\"source\":\"https://example.com/\",\"roles\":[\"vm\"],\"flows\":[{\"from\":"
                + "\"vm\",\"to\":{\"tag\":\"AzureBackup.<region>\"},\"protocol\":\"tcp\",\"ports\":[\"443\"],"
                + "\"optional\":false,\"purpose\":\"backup\",\"source\":\"https://example.com/\"}]}],"
                + deps.substring(0, deps.lastIndexOf('}')) + "}");
        Result without = run("--data", data.toString(), "expand", "--catalog", mine.toString(), "--product", "vm",
                "--region", "westeurope");
        Result with = run("--data", data.toString(), "expand", "--catalog", mine.toString(), "--product", "vm",
                "--region", "westeurope", "--with-dependencies", "--format", "json");
        assertEquals(0, with.code(), with.err());
        List<?> plainRules = (List<?>) ((Map<?, ?>) parse(without.out())).get("rules");
        List<?> rules = (List<?>) ((Map<?, ?>) parse(with.out())).get("rules");
        assertEquals(1, plainRules.size());
        assertEquals(plainRules, rules.subList(0, 1), "the product's rules are unchanged");
        assertFalse(((Map<?, ?>) rules.get(0)).containsKey("dependencyOf"));
        assertEquals(3, rules.size());
        Map<?, ?> storage = (Map<?, ?>) rules.get(1);
        assertEquals(List.of("from", "to", "kind", "protocol", "ports", "prefixes", "fqdns", "optional", "purpose",
                "dependencyOf", "fromPrefixes"), List.copyOf(storage.keySet()));
        assertEquals("vm", storage.get("from"));
        assertEquals("Storage.WestEurope", storage.get("to"));
        assertEquals("tag", storage.get("kind"));
        assertEquals(List.of("443"), storage.get("ports"));
        assertEquals("AzureBackup.WestEurope", storage.get("dependencyOf"));
        assertEquals(new TreeSet<>(st.prefixes("Storage.WestEurope")).stream().map(Object::toString).toList(),
                storage.get("prefixes"));
        Map<?, ?> aad = (Map<?, ?>) rules.get(2);
        assertEquals("AzureActiveDirectory", aad.get("to"));
        assertEquals("AzureBackup.WestEurope", aad.get("dependencyOf"));
        assertTrue(with.out().contains("\"dependencyOf\" : \"AzureBackup.WestEurope\""), with.out());
        assertTrue(with.err().contains("servicetags: warning: AzureActiveDirectory has no regional tags"), with.err());
    }

    @Test
    void catalogShowsTheDependencies() {
        Result text = run("catalog");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().endsWith("\n\ndependencies (expand --with-dependencies)\n"
                + "  AzureBackup -> Storage.<region>, AzureActiveDirectory  (protocol and ports of the flow)  "
                + Catalog.bundled().dependency("AzureBackup").orElseThrow().reason() + "\n"
                + "      source: https://github.com/MicrosoftDocs/azure-docs/blob/main/includes/backup-network-connectivity.md\n"
                + "  AzureKeyVault -> AzureActiveDirectory  (protocol and ports of the flow)  "
                + Catalog.bundled().dependency("AzureKeyVault").orElseThrow().reason() + "\n"
                + "      source: https://learn.microsoft.com/en-us/azure/key-vault/general/access-behind-firewall\n"),
                text.out());
        Result json = run("catalog", "--format", "json");
        List<?> deps = (List<?>) ((Map<?, ?>) parse(json.out())).get("dependencies");
        Map<?, ?> backup = (Map<?, ?>) deps.get(0);
        assertEquals(List.of("tag", "requires", "reason", "source"), List.copyOf(backup.keySet()));
        assertEquals("AzureBackup", backup.get("tag"));
        assertEquals(List.of("Storage.<region>", "AzureActiveDirectory"), backup.get("requires"));
    }

    @Test
    void expandIpv4OnlyHasNoIpv6Prefixes() {
        Result r = run("--data", realData("ServiceTags_Public_376.json").toString(), "expand", "--product",
                "azure-backup-mars", "--region", "westeurope", "--ipv4-only");
        assertEquals(0, r.code(), r.err());
        Map<?, ?> doc = (Map<?, ?>) parse(r.out());
        for (Object rule : (List<?>) doc.get("rules")) {
            for (Object p : (List<?>) ((Map<?, ?>) rule).get("prefixes")) {
                assertFalse(p.toString().contains(":"), p.toString());
            }
        }
    }

    @Test
    void expandWithTheBundledSnapshotSaysSo() {
        Result r = run("expand", "--product", "entra-connect");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().startsWith("servicetags: using the bundled snapshot (Public, changeNumber 376)"), r.err());
        assertTrue(r.out().startsWith("{"), r.out());
    }

    @Test
    void unknownProductRegionFormatOrBindIsExitTwo() {
        Result product = run("expand", "--product", "veeam");
        assertEquals(2, product.code());
        assertEquals("", product.out());
        assertEquals("servicetags: unknown product 'veeam'; did you mean veeam-backup-azure, veeam-backup-entra-id?\n",
                product.err());

        Result region = run("--data", realData("ServiceTags_Public_376.json").toString(), "expand", "--product",
                "veeam-backup-azure", "--region", "westeuropa");
        assertEquals(2, region.code());
        assertEquals("", region.out());
        assertTrue(region.err().startsWith("servicetags: unknown region 'westeuropa'; did you mean westeurope"),
                region.err());

        Result format = run("expand", "--product", "veeam-backup-azure", "--format", "pf");
        assertEquals(2, format.code());
        assertTrue(format.err().startsWith("servicetags: unknown format 'pf'; expected one of json, csv, nft"),
                format.err());

        Result bind = run("expand", "--product", "veeam-backup-azure", "--bind", "worker");
        assertEquals(2, bind.code());
        assertEquals("servicetags: invalid bind 'worker'; expected ROLE=CIDR, for example worker=10.1.0.0/24\n",
                bind.err());

        Result role = run("expand", "--product", "veeam-backup-azure", "--bind", "wroker=10.0.0.0/8");
        assertEquals(2, role.code());
        assertTrue(role.err().contains("servicetags: unknown role or host of product 'veeam-backup-azure' in bind "
                + "'wroker'; did you mean worker?\n"), role.err());

        Result both = run("expand", "--product", "veeam-backup-azure", "--ipv4-only", "--ipv6-only");
        assertEquals(2, both.code());
        assertTrue(both.err().contains("mutually exclusive"), both.err());

        Result noProduct = run("expand");
        assertEquals(2, noProduct.code());
        assertTrue(noProduct.err().contains("Missing required option: '--product=ID'"), noProduct.err());
    }

    @Test
    void expandWritesBothEndsAndTheNewFormats() {
        String[] binds = {"--bind", "connect-server=10.10.0.10/32", "--bind", "domain-controller=10.20.0.0/28"};
        Result ps = run(concat(new String[] {"expand", "--product", "entra-connect", "--region", "westeurope",
                "--format", "powershell"}, binds));
        assertEquals(0, ps.code(), ps.err());
        assertTrue(ps.out().startsWith("#Requires -RunAsAdministrator\r\n"), ps.out());
        assertTrue(ps.out().contains("-Direction Inbound -Action Allow -Profile Any -Protocol TCP -LocalPort '389'"
                + " -RemoteAddress @('10.10.0.10/32')"), ps.out());
        assertTrue(ps.err().contains("servicetags: warning: powershell: inbound not rendered: wap-server -> adfs-server"
                + " tcp 443: wap-server is not bound; --bind wap-server=CIDR writes the inbound rule on adfs-server\n"),
                ps.err());
        for (String format : List.of("azfw", "squid", "nft", "nsg")) {
            Result r = run(concat(new String[] {"expand", "--product", "entra-connect", "--format", format}, binds));
            assertEquals(0, r.code(), format + ": " + r.err());
            assertFalse(r.out().isEmpty(), format);
        }
        Result fit = run("expand", "--product", "entra-connect", "--format", "powershell", "--fit", "windows",
                "--fit-max-entries", "2", "--fit-max-groups", "1");
        assertEquals(1, fit.code(), fit.err());
        assertTrue(fit.err().contains("powershell: "), fit.err());
        Result badBind = run("expand", "--product", "entra-connect", "--format", "powershell", "--bind",
                "domain-controlers=10.20.0.0/28");
        assertEquals(2, badBind.code(), badBind.err());
        assertTrue(badBind.err().contains("domain-controller"), "suggests the role: " + badBind.err());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static Object parse(String json) {
        return TestJson.parse(json);
    }
}
