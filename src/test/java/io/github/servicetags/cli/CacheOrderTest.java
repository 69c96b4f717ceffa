package io.github.servicetags.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the command line finds its data when no {@code --data} is given: {@code $SERVICETAGS_DATA}, then the user's
 * cache ({@code --cache}, else {@code $SERVICETAGS_CACHE}, else {@code ~/.cache/servicetags}), then the system cache
 * the Debian package's timer writes, then the bundled snapshot. The first cache that holds a file of the cloud wins.
 */
class CacheOrderTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {}

    static String file(long changeNumber, String cloud) {
        return "{\"changeNumber\": " + changeNumber + ", \"cloud\": \"" + cloud + "\", \"values\": [{\"name\": \"X\","
                + " \"id\": \"X\", \"properties\": {\"changeNumber\": 1, \"region\": \"\", \"regionId\": 0,"
                + " \"platform\": \"Azure\", \"systemService\": \"\", \"addressPrefixes\": [\"10.0.0.0/8\"],"
                + " \"networkFeatures\": [\"API\"]}}]}\n";
    }

    /** Writes {@code <cacheDir>/<cloud>/current.json} with that changeNumber; returns the cache directory. */
    Path cache(String name, long changeNumber, String cloud) throws IOException {
        Path cacheDir = dir.resolve(name);
        Path folder = Files.createDirectories(cacheDir.resolve(cloud));
        Files.writeString(folder.resolve("current.json"), file(changeNumber, cloud));
        return cacheDir;
    }

    Result run(Path systemCache, Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Main main = new Main();
        main.env = env;
        main.out = new PrintWriter(out);
        main.err = new PrintWriter(err);
        main.systemCache = systemCache;
        int code = Main.execute(main, args);
        return new Result(code, out.toString(), err.toString());
    }

    static String source(Result r) {
        return r.out().lines().filter(l -> l.startsWith("source")).findFirst().orElseThrow()
                .substring("source".length()).strip();
    }

    @Test
    void eachSourceWinsOverTheOnesAfterIt() throws IOException {
        Path system = cache("system", 40, "Public");
        Path home = dir.resolve("home");
        Path homeCache = Files.createDirectories(home.resolve(".cache"));
        Files.move(cache("homecache", 30, "Public"), homeCache.resolve("servicetags"));
        Path envCache = cache("envcache", 20, "Public");
        Path given = cache("given", 10, "Public");
        Path data = dir.resolve("data.json");
        Files.writeString(data, file(5, "Public"));

        Map<String, String> env = new HashMap<>(Map.of("HOME", home.toString()));
        assertEquals(homeCache.resolve("servicetags/Public/current.json").toString(),
                source(run(system, env, "info")), "~/.cache/servicetags before the system cache");
        env.put("SERVICETAGS_CACHE", envCache.toString());
        assertEquals(envCache.resolve("Public/current.json").toString(), source(run(system, env, "info")),
                "$SERVICETAGS_CACHE replaces ~/.cache/servicetags");
        assertEquals(given.resolve("Public/current.json").toString(),
                source(run(system, env, "--cache", given.toString(), "info")), "--cache DIR first");
        env.put("SERVICETAGS_DATA", data.toString());
        assertEquals(data.toString(), source(run(system, env, "--cache", given.toString(), "info")),
                "$SERVICETAGS_DATA before any cache");

        Map<String, String> empty = Map.of("HOME", dir.resolve("nohome").toString(),
                "SERVICETAGS_CACHE", dir.resolve("nocache").toString());
        assertEquals(system.resolve("Public/current.json").toString(), source(run(system, empty, "info")),
                "the system cache when the user's cache holds nothing");
        assertEquals(List.of(dir.resolve("nocache"), system), mainWith(system, empty).cacheDirectories());
    }

    static Main mainWith(Path systemCache, Map<String, String> env) {
        Main main = new Main();
        main.env = env;
        main.systemCache = systemCache;
        return main;
    }

    @Test
    void theFirstCacheHoldingTheCloudWinsPerCloud() throws IOException {
        Path system = cache("system", 40, "AzureChina");
        Path user = cache("user", 20, "Public");
        Map<String, String> env = Map.of("SERVICETAGS_CACHE", user.toString());
        assertEquals(user.resolve("Public/current.json").toString(), source(run(system, env, "info")));
        assertEquals(system.resolve("AzureChina/current.json").toString(),
                source(run(system, env, "--cloud", "AzureChina", "info")),
                "a cloud missing from the user's cache is read from the system cache");
    }

    @Test
    void anExplicitCacheIsTheOnlyCacheRead() throws IOException {
        Path system = cache("system", 40, "Public");
        Path given = Files.createDirectories(dir.resolve("given"));
        Result r = run(system, Map.of(), "--cache", given.toString(), "info");
        assertEquals(0, r.code());
        assertTrue(source(r).startsWith("bundled:"), r.out());
        assertTrue(r.err().contains("using the bundled snapshot"), r.err());
    }

    @Test
    void anEmptyOrMissingSystemCacheFallsBackToTheBundledSnapshot() {
        Map<String, String> env = Map.of("SERVICETAGS_CACHE", dir.resolve("none").toString());
        Result r = run(dir.resolve("no-system-cache"), env, "info");
        assertEquals(0, r.code(), r.err());
        assertTrue(source(r).startsWith("bundled:"), r.out());
        Result china = run(dir.resolve("no-system-cache"), env, "--cloud", "AzureChina", "info");
        assertEquals(2, china.code());
        assertEquals("servicetags: no cached data for cloud 'AzureChina' in " + dir.resolve("none") + ", "
                + dir.resolve("no-system-cache") + "; run 'servicetags update --cloud AzureChina' or give --data FILE\n",
                china.err());
    }

    @Test
    void anUnreadableSystemCacheIsNamed() throws IOException {
        assumeFalse("root".equals(System.getProperty("user.name")),
                "root reads every folder, so the system cache is never unreadable to it");
        Path target = cache("private", 40, "Public");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("---------"));
        Path link = Files.createSymbolicLink(dir.resolve("system"), target);
        try {
            Result r = run(link, Map.of("SERVICETAGS_CACHE", dir.resolve("u").toString()), "info");
            assertEquals(0, r.code());
            assertTrue(source(r).startsWith("bundled:"), r.out());
            assertTrue(r.err().endsWith("run 'servicetags update' for current data (" + link
                    + " is not readable by this user)\n"), r.err());
        } finally {
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
        }
    }
}
