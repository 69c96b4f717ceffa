package io.github.servicetags.update;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.servicetags.ServiceTags;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The updater against a loopback HTTPS server: every way the network or the server can fail must leave the cache
 * holding the last good file, with lookups still answering.
 */
class UpdaterTest {
    private static final String FILE_A = "/download/7/1/D/ServiceTags_Public_20251110.json";
    private static final String FILE_B = "/download/9/2/E/ServiceTags_Public_20251117.json";
    private static final String PAGE = "/en-us/download/details.aspx";
    /**
     * Generous, because a loaded CI machine can take a second for the first TLS handshake; it costs nothing when the
     * server answers. The timeout tests themselves use 300 ms.
     */
    private static final Duration HAPPY_PATH_TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path cache;
    LoopbackServer server;
    byte[] good;

    @BeforeEach
    void start() throws IOException {
        server = LoopbackServer.https();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    Updater.Builder updater() throws IOException {
        return Updater.builder(cache)
                .cloud(Cloud.PUBLIC)
                .downloadPage(server.uri(PAGE))
                .sslContext(LoopbackServer.clientContext())
                .timeout(HAPPY_PATH_TIMEOUT);
    }

    /** Installs changeNumber 5 through the download page, as a normal update would. */
    void installGood() throws IOException {
        good = TestFiles.bytes(5);
        server.file(FILE_A, good).page(PAGE, LoopbackServer.downloadPage(server.uri(FILE_A)));
        UpdateResult r = updater().build().update();
        assertEquals(UpdateResult.Status.INSTALLED, r.status());
        assertCacheHolds(good, 5);
    }

    Path folder() {
        return cache.resolve("Public");
    }

    void assertCacheHolds(byte[] expected, long changeNumber) throws IOException {
        Optional<Path> current = ServiceTagsCache.current(cache, "Public");
        assertEquals(Optional.of(folder().resolve("current.json")), current);
        assertArrayEquals(expected, Files.readAllBytes(current.get()));
        ServiceTags st = ServiceTags.load(current.get());
        assertEquals(changeNumber, st.changeNumber());
        assertTrue(st.lookup("10.1.2.3").names().contains("X"), "lookups still answer");
        Provenance p = Provenance.of(current.get()).orElseThrow();
        assertEquals(changeNumber, p.changeNumber());
        assertEquals(Updater.sha256(current.get()), p.sha256());
        assertEquals(List.of(), temporaryFiles(), "no temporary file is left behind");
    }

    List<String> temporaryFiles() throws IOException {
        try (Stream<Path> s = Files.list(folder())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".download-"))
                    .collect(Collectors.toList());
        }
    }

    UpdateException fails(Updater.Builder b) {
        return assertThrows(UpdateException.class, () -> b.build().update());
    }

    /** Issue 14: update stores the binary index beside current.json; lookups from the cache read it. */
    @Test
    void theBinaryIndexBesideTheFileIsUsedCheckedAgainstTheProvenanceAndRebuilt() throws IOException {
        installGood();
        Path current = folder().resolve("current.json");
        Path index = folder().resolve("current.index");
        assertTrue(Files.isRegularFile(index), "update stores current.index");
        byte[] stored = Files.readAllBytes(index);
        ServiceTags fromJson = ServiceTags.load(current);
        ServiceTags fromIndex = ServiceTagsCache.load(current);
        assertEquals(current.toString(), fromIndex.source());
        assertEquals(fromJson.toString(), fromIndex.toString());
        for (String ip : new String[] {"10.1.2.3", "10.0.0.0", "192.0.2.1", "2603:1000::1", "::1"}) {
            assertEquals(fromJson.lookup(ip).names(), fromIndex.lookup(ip).names(), ip);
        }
        // a matching index is what the cache answers from (not a rebuild): one of other data but the right origin
        ServiceTags six = ServiceTags.load(new java.io.ByteArrayInputStream(TestFiles.bytes(6)), "six",
                io.github.servicetags.LoadOptions.defaults());
        ServiceTagsCache.writeIndex(six, current, java.util.HexFormat.of().parseHex(Updater.sha256(current)));
        assertEquals(6, ServiceTagsCache.load(current).changeNumber(), "the matching index is read, not the JSON");
        // stale (made from another file) or damaged: the JSON is read and the index stored again, byte for byte
        ServiceTagsCache.writeIndex(six, current, new byte[32]);
        assertEquals(5, ServiceTagsCache.load(current).changeNumber());
        assertArrayEquals(stored, Files.readAllBytes(index));
        Files.write(index, Arrays.copyOf(stored, stored.length / 2));
        assertEquals(5, ServiceTagsCache.load(current).changeNumber());
        assertArrayEquals(stored, Files.readAllBytes(index));
        // an update that finds the same file again repairs a missing index
        Files.delete(index);
        assertEquals(UpdateResult.Status.UP_TO_DATE, updater().build().update().status());
        assertArrayEquals(stored, Files.readAllBytes(index));
        assertEquals(List.of(), temporaryFiles(), "no temporary file is left behind");
    }

    @Test
    void firstUpdateDiscoversTheLinkAndRecordsProvenance() throws IOException {
        installGood();
        Provenance p = Provenance.of(folder().resolve("current.json")).orElseThrow();
        assertEquals(server.uri(FILE_A).toString(), p.url());
        assertEquals("Public", p.cloud());
        assertEquals(good.length, p.size());
        assertEquals(Optional.of(java.time.LocalDate.of(2025, 11, 10)), p.publishedOn());
        assertFalse(Files.exists(folder().resolve("previous.json")), "nothing to keep on the first update");
        if (Files.getFileStore(cache).supportsFileAttributeView("posix")) {
            Path probe = Files.write(cache.resolve("probe"), new byte[1]); // what the umask gives a new file
            assertEquals(Files.getPosixFilePermissions(probe),
                    Files.getPosixFilePermissions(folder().resolve("current.json")), "not the 0600 of a temp file");
        }
    }

    @Test
    void downloadPageWhoseLinkChanges() throws IOException {
        installGood();
        byte[] newer = TestFiles.bytes(6);
        server.file(FILE_B, newer).page(PAGE, LoopbackServer.downloadPage(server.uri(FILE_B)));

        UpdateResult r = updater().build().update();
        assertEquals(UpdateResult.Status.INSTALLED, r.status());
        assertEquals(6, r.changeNumber());
        assertEquals(5, r.previousChangeNumber().getAsLong());
        assertCacheHolds(newer, 6);
        assertArrayEquals(good, Files.readAllBytes(folder().resolve("previous.json")), "the previous file is kept");
        assertEquals(server.uri(FILE_A).toString(),
                Provenance.of(folder().resolve("previous.json")).orElseThrow().url());
        assertEquals(Optional.of(folder().resolve("previous.json")), ServiceTagsCache.previous(cache, "Public"));

        // Same link again: nothing is downloaded, nothing changes.
        UpdateResult again = updater().build().update();
        assertEquals(UpdateResult.Status.UP_TO_DATE, again.status());
        assertEquals(1, server.hits(FILE_B));
        assertCacheHolds(newer, 6);
        assertArrayEquals(good, Files.readAllBytes(folder().resolve("previous.json")));
    }

    @Test
    void sameBytesFromAnotherUrlChangeNothing() throws IOException {
        installGood();
        server.file("/mirror/ServiceTags_Public_20251110.json", good);
        UpdateResult r = updater().url(server.uri("/mirror/ServiceTags_Public_20251110.json")).build().update();
        assertEquals(UpdateResult.Status.UP_TO_DATE, r.status());
        assertCacheHolds(good, 5);
        assertFalse(Files.exists(folder().resolve("previous.json")));
    }

    @Test
    void redirectToHttpIsRefused() throws IOException {
        installGood();
        try (LoopbackServer plain = LoopbackServer.http()) {
            plain.file(FILE_B, TestFiles.bytes(6));
            server.page(PAGE, LoopbackServer.downloadPage(server.uri(FILE_B)))
                    .route(FILE_B, ex -> LoopbackServer.redirect(ex, 302, plain.uri(FILE_B).toString()));
            UpdateException e = fails(updater());
            assertEquals("refusing redirect from " + server.uri(FILE_B) + " to plain http URL " + plain.uri(FILE_B)
                    + " (a redirect may not downgrade to http; --insecure allows it)", e.getMessage());
            assertEquals(0, plain.hits(FILE_B), "the http URL is never contacted");
        }
        assertCacheHolds(good, 5);
    }

    @Test
    void redirectsWithinHttpsAreFollowed() throws IOException {
        installGood();
        byte[] newer = TestFiles.bytes(6);
        server.file(FILE_B, newer)
                .route("/fwlink", ex -> LoopbackServer.redirect(ex, 301, "/moved"))
                .route("/moved", ex -> LoopbackServer.redirect(ex, 307, server.uri(FILE_B).toString()));
        UpdateResult r = updater().url(server.uri("/fwlink")).build().update();
        assertEquals(UpdateResult.Status.INSTALLED, r.status());
        assertEquals(server.uri(FILE_B).toString(), r.provenance().url(), "provenance names the final URL");
        assertCacheHolds(newer, 6);
    }

    @Test
    void redirectLoopIsCut() throws IOException {
        installGood();
        server.route("/loop", ex -> LoopbackServer.redirect(ex, 302, "/loop"));
        UpdateException e = fails(updater().url(server.uri("/loop")));
        assertEquals("too many redirects (more than 5) starting at " + server.uri("/loop"), e.getMessage());
        assertCacheHolds(good, 5);
    }

    @Test
    void plainHttpNeedsInsecure() throws IOException {
        installGood();
        try (LoopbackServer plain = LoopbackServer.http()) {
            byte[] newer = TestFiles.bytes(6);
            plain.file(FILE_B, newer);
            UpdateException e = fails(updater().url(plain.uri(FILE_B)));
            assertEquals("refusing plain http URL " + plain.uri(FILE_B) + "; use https (or --insecure to allow http)",
                    e.getMessage());
            assertCacheHolds(good, 5);

            updater().url(plain.uri(FILE_B)).insecure(true).build().update();
            assertCacheHolds(newer, 6);
        }
    }

    @Test
    void truncatedBody() throws IOException {
        installGood();
        byte[] newer = TestFiles.bytes(6);
        int half = newer.length / 2;
        byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + newer.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] response = Arrays.copyOf(head, head.length + half);
        System.arraycopy(newer, 0, response, head.length, half);
        try (LoopbackServer.Raw raw = new LoopbackServer.Raw(response)) {
            URI url = raw.uri(FILE_B);
            UpdateException e = fails(updater().url(url));
            assertTrue(e.getMessage().startsWith("the download of " + url + " broke off after " + half + " of "
                    + newer.length + " bytes: "), e.getMessage());
        }
        assertCacheHolds(good, 5);
    }

    @Test
    void truncatedJsonInACompleteResponse() throws IOException {
        installGood();
        byte[] newer = TestFiles.bytes(6);
        server.file(FILE_B, Arrays.copyOf(newer, newer.length / 2));
        UpdateException e = fails(updater().url(server.uri(FILE_B)));
        assertTrue(e.getMessage().startsWith("the file downloaded from " + server.uri(FILE_B)
                + " is not a valid service-tag file: ServiceTags_Public_20251117.json: line "), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertCacheHolds(good, 5);
    }

    @Test
    void htmlErrorPageWithStatus200() throws IOException {
        installGood();
        server.page(FILE_B, "<!DOCTYPE html>\n<html><head><title>Service unavailable</title></head>"
                + "<body>Please try again later.</body></html>");
        UpdateException e = fails(updater().url(server.uri(FILE_B)));
        assertTrue(e.getMessage().startsWith("the file downloaded from " + server.uri(FILE_B)
                + " is not a valid service-tag file (the server sent an HTML page, Content-Type text/html;"
                + " charset=utf-8): ServiceTags_Public_20251117.json: line 1, column 1: "), e.getMessage());
        assertCacheHolds(good, 5);
    }

    @Test
    void notFound() throws IOException {
        installGood();
        UpdateException e = fails(updater().url(server.uri("/download/missing/ServiceTags_Public_20251117.json")));
        assertEquals("HTTP 404 Not Found from " + server.uri("/download/missing/ServiceTags_Public_20251117.json"),
                e.getMessage());
        assertCacheHolds(good, 5);
    }

    @Test
    void downloadPageNotFound() throws IOException {
        installGood();
        server.route(PAGE, ex -> LoopbackServer.send(ex, 404, "text/html", "<html>gone</html>"));
        UpdateException e = fails(updater());
        assertEquals("HTTP 404 Not Found from " + server.uri(PAGE), e.getMessage());
        assertCacheHolds(good, 5);
    }

    @Test
    void downloadPageWithoutLink() throws IOException {
        installGood();
        server.page(PAGE, "<html><body>We have moved things around.</body></html>");
        UpdateException e = fails(updater());
        assertTrue(e.getMessage().startsWith("no link to a ServiceTags_*.json file found in the download page "
                + server.uri(PAGE)), e.getMessage());
        assertTrue(e.getMessage().endsWith("the page may have changed: pass the file URL with --url"));
        assertCacheHolds(good, 5);
    }

    @Test
    void slowServerBeforeTheResponseHitsTheTimeout() throws IOException {
        installGood();
        server.route(FILE_B, ex -> {
            server.release.await(30, TimeUnit.SECONDS);
            LoopbackServer.send(ex, 200, "application/json", TestFiles.bytes(6));
        });
        UpdateException e = fails(updater().url(server.uri(FILE_B)).readTimeout(Duration.ofMillis(300)));
        assertEquals("timed out: no response from " + server.uri(FILE_B) + " within 300ms (--timeout)",
                e.getMessage());
        assertCacheHolds(good, 5);
    }

    @Test
    void serverStallingInTheBodyHitsTheTimeout() throws IOException {
        installGood();
        byte[] newer = TestFiles.bytes(6);
        server.route(FILE_B, ex -> {
            ex.sendResponseHeaders(200, newer.length);
            OutputStream out = ex.getResponseBody();
            out.write(newer, 0, 100);
            out.flush();
            server.release.await(30, TimeUnit.SECONDS);
        });
        UpdateException e = fails(updater().url(server.uri(FILE_B)).readTimeout(Duration.ofMillis(300)));
        assertEquals("timed out: the download of " + server.uri(FILE_B) + " stalled after 100 bytes (--timeout 300ms)",
                e.getMessage());
        assertCacheHolds(good, 5);
    }

    @Test
    void olderChangeNumberIsRefusedUnlessAllowed() throws IOException {
        installGood();
        byte[] older = TestFiles.bytes(4);
        server.file(FILE_B, older);
        UpdateException e = fails(updater().url(server.uri(FILE_B)));
        assertEquals("refusing to install changeNumber 4 from " + server.uri(FILE_B)
                + ": the cache already holds changeNumber 5 (" + folder().resolve("current.json")
                + "); use --allow-downgrade to install an older file", e.getMessage());
        assertCacheHolds(good, 5);

        UpdateResult r = updater().url(server.uri(FILE_B)).allowDowngrade(true).build().update();
        assertEquals(UpdateResult.Status.INSTALLED, r.status());
        assertCacheHolds(older, 4);
        assertArrayEquals(good, Files.readAllBytes(folder().resolve("previous.json")));
    }

    @Test
    void downgradeCheckWorksWithoutProvenance() throws IOException {
        installGood();
        Files.delete(folder().resolve("current.provenance.json"));
        server.file(FILE_B, TestFiles.bytes(4));
        UpdateException e = fails(updater().url(server.uri(FILE_B)));
        assertTrue(e.getMessage().startsWith("refusing to install changeNumber 4"), e.getMessage());
    }

    @Test
    void bodyOverTheSizeLimitAnnounced() throws IOException {
        installGood();
        byte[] newer = TestFiles.bytes(6);
        server.file(FILE_B, newer);
        UpdateException e = fails(updater().url(server.uri(FILE_B)).maxSize(200));
        assertEquals("download exceeds the size limit of 200 bytes (the server announces " + newer.length
                + " bytes); raise it with --max-size", e.getMessage());
        assertCacheHolds(good, 5);
    }

    @Test
    void bodyOverTheSizeLimitStreamed() throws IOException {
        installGood();
        server.route(FILE_B, ex -> {
            ex.sendResponseHeaders(200, 0); // chunked: no length announced
            try (OutputStream out = ex.getResponseBody()) {
                byte[] junk = new byte[8192];
                Arrays.fill(junk, (byte) ' ');
                for (int i = 0; i < 64; i++) {
                    out.write(junk);
                }
            }
        });
        UpdateException e = fails(updater().url(server.uri(FILE_B)).maxSize(100_000));
        assertEquals("download exceeds the size limit of 100000 bytes (more than 100000 bytes received); raise it"
                + " with --max-size", e.getMessage());
        assertCacheHolds(good, 5);
    }

    @Test
    void crashBetweenWriteAndMove() throws IOException {
        installGood();
        byte[] newer = TestFiles.bytes(6);
        server.file(FILE_B, newer);
        UpdateException e = fails(updater().url(server.uri(FILE_B)).beforeInstall(temp -> {
            assertArrayEquals(newer, Files.readAllBytes(temp), "the new file is complete before the move");
            throw new IOException("simulated crash");
        }));
        assertEquals("cannot update the cache in " + folder() + ": simulated crash", e.getMessage());
        assertCacheHolds(good, 5);
        assertFalse(Files.exists(folder().resolve("previous.json")));

        // A real crash leaves its temporary file: readers ignore it, the next update removes it.
        Files.write(folder().resolve(".download-12345.tmp"), Arrays.copyOf(newer, newer.length / 3));
        assertEquals(Optional.of(folder().resolve("current.json")), ServiceTagsCache.current(cache, "Public"));
        assertTrue(ServiceTags.load(ServiceTagsCache.current(cache, "Public").get()).lookup("10.0.0.1")
                .contains("X"));
        updater().url(server.uri(FILE_B)).build().update();
        assertCacheHolds(newer, 6);
    }

    @Test
    void damagedCurrentFileIsReplacedAndNotKept() throws IOException {
        installGood();
        byte[] newer = TestFiles.bytes(6);
        server.file(FILE_B, newer).page(PAGE, LoopbackServer.downloadPage(server.uri(FILE_B)));
        updater().build().update();
        Files.writeString(folder().resolve("current.json"), "<html>disk trouble</html>");
        assertEquals(Optional.of(folder().resolve("previous.json")), ServiceTagsCache.current(cache, "Public"),
                "readers fall back to the previous file");

        byte[] newest = TestFiles.bytes(7);
        server.file("/c/ServiceTags_Public_20251124.json", newest);
        updater().url(server.uri("/c/ServiceTags_Public_20251124.json")).build().update();
        assertCacheHolds(newest, 7);
        assertArrayEquals(good, Files.readAllBytes(folder().resolve("previous.json")), "the good previous file stays");
    }

    @Test
    void concurrentUpdateOfTheSameFolderIsRefused() throws IOException {
        installGood();
        server.file(FILE_B, TestFiles.bytes(6));
        Path lock = folder().resolve(".update.lock");
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(lock,
                java.nio.file.StandardOpenOption.WRITE); java.nio.channels.FileLock held = ch.lock()) {
            assertTrue(held.isValid());
            UpdateException e = fails(updater().url(server.uri(FILE_B)));
            assertEquals("another update of " + folder() + " is running (lock " + lock + ")", e.getMessage());
            assertEquals(0, server.hits(FILE_B), "nothing is downloaded while another update runs");
        }
        assertCacheHolds(good, 5);
    }

    @Test
    void fileOfAnotherCloudIsRefused() throws IOException {
        installGood();
        server.file(FILE_B, TestFiles.file(6, "AzureGovernment").getBytes(StandardCharsets.UTF_8));
        UpdateException e = fails(updater().url(server.uri(FILE_B)));
        assertEquals("the file downloaded from " + server.uri(FILE_B) + " is for cloud 'AzureGovernment', not Public;"
                + " pass --cloud AzureGovernment", e.getMessage());
        assertCacheHolds(good, 5);
    }

    @Test
    void cloudIsTakenFromTheFileNameOfTheUrl() throws IOException {
        server.file("/d/ServiceTags_AzureGovernment_20251117.json",
                TestFiles.file(7, "AzureGovernment").getBytes(StandardCharsets.UTF_8));
        Updater u = Updater.builder(cache).url(server.uri("/d/ServiceTags_AzureGovernment_20251117.json"))
                .sslContext(LoopbackServer.clientContext()).timeout(HAPPY_PATH_TIMEOUT).build();
        assertEquals(Cloud.AZURE_GOVERNMENT, u.cloud());
        u.update();
        assertEquals(Optional.of(cache.resolve("AzureGovernment/current.json")),
                ServiceTagsCache.current(cache, "azuregovernment"));
        assertEquals(Optional.empty(), ServiceTagsCache.current(cache, "Public"));
    }

    @Test
    void untrustedCertificateIsRefused() throws IOException {
        installGood();
        server.file(FILE_B, TestFiles.bytes(6));
        UpdateException e = assertThrows(UpdateException.class, () -> Updater.builder(cache)
                .url(server.uri(FILE_B)).timeout(HAPPY_PATH_TIMEOUT).build().update());
        assertTrue(e.getMessage().startsWith("TLS failure with 127.0.0.1") || e.getMessage().startsWith("download of"),
                e.getMessage());
        assertCacheHolds(good, 5);
    }

    @Test
    void progressIsReported() throws IOException {
        byte[] file = TestFiles.bytes(5);
        server.file(FILE_A, file);
        long[] last = {-1, -1};
        updater().url(server.uri(FILE_A)).progress((received, total) -> {
            last[0] = received;
            last[1] = total;
        }).build().update();
        assertEquals(file.length, last[0]);
        assertEquals(file.length, last[1]);
    }

    @Test
    void refreshingHolderKeepsItselfCurrentThroughTheUpdater() throws IOException {
        server.file(FILE_A, TestFiles.bytes(5)).page(PAGE, LoopbackServer.downloadPage(server.uri(FILE_A)));
        try (RefreshingServiceTags tags = RefreshingServiceTags.updating(updater().build(), Duration.ofHours(1))) {
            assertEquals(5, tags.current().changeNumber(), "no cache yet: the first update runs at once");
            server.file(FILE_B, TestFiles.bytes(6)).page(PAGE, LoopbackServer.downloadPage(server.uri(FILE_B)));
            assertEquals(6, tags.refresh().join().changeNumber());
            server.route(PAGE, ex -> LoopbackServer.send(ex, 503, "text/html", "<html>busy</html>"));
            assertEquals(6, tags.refresh().join().changeNumber(), "a failed update keeps the last good index");
            assertEquals("HTTP 503 Service Unavailable from " + server.uri(PAGE),
                    tags.lastFailure().orElseThrow().getMessage());
            assertTrue(tags.current().lookup("10.1.2.3").contains("X"));
        }
    }

    @Test
    void builderRejectsNonsense() {
        Updater.Builder b = Updater.builder(cache);
        assertEquals("maximum size must be positive, was 0",
                assertThrows(IllegalArgumentException.class, () -> b.maxSize(0)).getMessage());
        assertEquals("read timeout must be positive, was PT0S",
                assertThrows(IllegalArgumentException.class, () -> b.readTimeout(Duration.ZERO)).getMessage());
        assertEquals(URI.create("https://www.microsoft.com/en-us/download/details.aspx?id=56519"),
                Cloud.PUBLIC.downloadPage());
    }
}
