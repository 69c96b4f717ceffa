package io.github.servicetags.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code update} and {@code diff} in-process, against a loopback server (plain http, so with --insecure). */
class UpdateDiffCommandTest {
    @TempDir
    Path dir;
    Path cache;
    HttpServer server;
    final Map<String, byte[]> files = new ConcurrentHashMap<>();
    String base;

    record Result(int code, String out, String err) {}

    static String file(long changeNumber, String... extraPrefixes) {
        StringBuilder p = new StringBuilder("\"10.0.0.0/8\"");
        for (String e : extraPrefixes) {
            p.append(", \"").append(e).append('"');
        }
        return "{\"changeNumber\": " + changeNumber + ", \"cloud\": \"Public\", \"values\": [{\"name\": \"X\", \"id\": \"X\","
                + " \"properties\": {\"changeNumber\": 1, \"region\": \"\", \"regionId\": 0, \"platform\": \"Azure\","
                + " \"systemService\": \"\", \"addressPrefixes\": [" + p + "], \"networkFeatures\": [\"API\"]}}]}\n";
    }

    @BeforeEach
    void start() throws IOException {
        cache = dir.resolve("cache");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            try (ex) {
                byte[] body = files.get(ex.getRequestURI().getPath());
                if (body == null) {
                    ex.sendResponseHeaders(404, -1);
                    return;
                }
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err),
                Map.of("SERVICETAGS_CACHE", cache.toString(), "HOME", dir.toString()));
        return new Result(code, out.toString(), err.toString());
    }

    void publish(String path, String body) {
        files.put(path, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void updateDiscoversInstallsAndTheCacheIsUsed() {
        publish("/dl/a/ServiceTags_Public_20251110.json", file(5));
        publish("/details", "<html><a href=\"" + base + "/dl/a/ServiceTags_Public_20251110.json\">download</a></html>");
        Result r = run("update", "--page", base + "/details", "--insecure", "--timeout", "10");
        assertEquals(new Result(0, "installed Public changeNumber 5 from " + base
                + "/dl/a/ServiceTags_Public_20251110.json into " + cache.resolve("Public/current.json") + "\n", ""), r);

        Result again = run("update", "--page", base + "/details", "--insecure", "--timeout", "10");
        assertEquals(0, again.code());
        assertTrue(again.out().startsWith("up to date: Public changeNumber 5 from "), again.out());

        Result info = run("info", "--format", "json");
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("\"changeNumber\":5"), info.out());
        assertTrue(info.out().contains(cache.resolve("Public/current.json").toString()), info.out());

        publish("/dl/b/ServiceTags_Public_20251117.json", file(6, "192.0.2.0/24"));
        publish("/details", "<html><a href=\"" + base + "/dl/b/ServiceTags_Public_20251117.json\">download</a></html>");
        Result newer = run("--cache", cache.toString(), "update", "--page", base + "/details", "--insecure");
        assertEquals(0, newer.code(), newer.err());
        assertTrue(newer.out().startsWith("installed Public changeNumber 6 (was 5) from "), newer.out());

        Result diff = run("diff", cache.resolve("Public/previous.json").toString(),
                cache.resolve("Public/current.json").toString());
        assertEquals(0, diff.code(), diff.err());
        assertTrue(diff.out().contains("\n+X 192.0.2.0/24\n"), diff.out());
    }

    @Test
    void failuresExitWithOneAndLeaveTheCache() throws IOException {
        publish("/f/ServiceTags_Public_20251110.json", file(5));
        assertEquals(0, run("update", "--url", base + "/f/ServiceTags_Public_20251110.json", "--insecure").code());
        byte[] before = Files.readAllBytes(cache.resolve("Public/current.json"));

        Result notFound = run("update", "--url", base + "/missing/ServiceTags_Public_20251117.json", "--insecure");
        assertEquals(new Result(1, "", "servicetags: update failed: HTTP 404 Not Found from " + base
                + "/missing/ServiceTags_Public_20251117.json\nservicetags: the cache in " + cache.resolve("Public")
                + " is unchanged\n"), notFound);

        Result plain = run("update", "--url", base + "/f/ServiceTags_Public_20251110.json");
        assertEquals(1, plain.code());
        assertTrue(plain.err().startsWith("servicetags: update failed: refusing plain http URL "), plain.err());

        publish("/old/ServiceTags_Public_20251103.json", file(4));
        Result older = run("update", "--url", base + "/old/ServiceTags_Public_20251103.json", "--insecure");
        assertEquals(1, older.code());
        assertTrue(older.err().contains("use --allow-downgrade"), older.err());

        Result tooBig = run("update", "--url", base + "/f/ServiceTags_Public_20251110.json", "--insecure",
                "--max-size", "100");
        assertEquals(1, tooBig.code());
        assertTrue(tooBig.err().contains("exceeds the size limit of 100 bytes"), tooBig.err());

        assertEquals(before.length, Files.readAllBytes(cache.resolve("Public/current.json")).length);
        Result allowed = run("update", "--url", base + "/old/ServiceTags_Public_20251103.json", "--insecure",
                "--allow-downgrade");
        assertEquals(0, allowed.code(), allowed.err());
    }

    @Test
    void badUsageExitsWithTwo() {
        Result size = run("update", "--max-size", "lots");
        assertEquals(2, size.code());
        assertEquals("servicetags: --max-size must be a positive number of bytes (suffix K, M or G allowed), was"
                + " 'lots'\n", size.err());
        Result cloud = run("update", "--cloud", "Mars");
        assertEquals(2, cloud.code());
        assertEquals("servicetags: unknown cloud 'Mars'; expected one of Public, AzureGovernment, AzureChina\n",
                cloud.err());
        assertEquals(2, run("diff", "only-one.json").code());
        assertEquals(16L << 20, UpdateCommand.parseSize("16m"));
    }

    @Test
    void progressLineRewritesItselfAndEndsWithANewline() {
        StringWriter w = new StringWriter();
        UpdateCommand.ProgressLine line = new UpdateCommand.ProgressLine(new PrintWriter(w));
        line.onProgress(1 << 20, 4 << 20);
        line.onProgress(4 << 20, 4 << 20); // the last chunk is always shown
        line.finish();
        line.finish();
        assertEquals("\rdownloading 1.0 MiB / 4.0 MiB   \rdownloading 4.0 MiB / 4.0 MiB   \n", w.toString());
        StringWriter unknown = new StringWriter();
        UpdateCommand.ProgressLine l2 = new UpdateCommand.ProgressLine(new PrintWriter(unknown));
        l2.onProgress(512 << 10, -1);
        l2.finish();
        assertEquals("\rdownloading 0.5 MiB   \n", unknown.toString());
    }

    @Test
    void diffTextAndJson() throws IOException {
        Path a = dir.resolve("a.json");
        Path b = dir.resolve("b.json");
        Files.writeString(a, file(1, "192.0.2.0/24"));
        Files.writeString(b, file(2, "198.51.100.0/24"));
        Result text = run("diff", a.toString(), b.toString());
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("\n+X 198.51.100.0/24\n"), text.out());
        assertTrue(text.out().contains("\n-X 192.0.2.0/24\n"), text.out());
        Result json = run("diff", "--format", "json", a.toString(), b.toString());
        assertEquals(0, json.code(), json.err());
        assertTrue(json.out().startsWith("{\"old\":{\"cloud\":\"Public\",\"changeNumber\":1},"), json.out());
        Result swapped = run("diff", b.toString(), a.toString());
        assertEquals(0, swapped.code());
        assertTrue(swapped.err().contains("did you swap the files?"), swapped.err());
        Result missing = run("diff", dir.resolve("nope.json").toString(), b.toString());
        assertEquals(1, missing.code());
        assertEquals("servicetags: " + dir.resolve("nope.json") + ": no such file\n", missing.err());
    }
}
