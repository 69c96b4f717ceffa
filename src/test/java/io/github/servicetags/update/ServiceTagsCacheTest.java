package io.github.servicetags.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cache layout, provenance and staleness, link discovery: everything of the update package that needs no network. */
class ServiceTagsCacheTest {
    @TempDir
    Path dir;

    @Test
    void defaultDirectory() {
        assertEquals(Path.of("/srv/tags"), ServiceTagsCache.defaultDirectory(Map.of("SERVICETAGS_CACHE", "/srv/tags",
                "HOME", "/home/me")));
        assertEquals(Path.of("/home/me/.cache/servicetags"),
                ServiceTagsCache.defaultDirectory(Map.of("SERVICETAGS_CACHE", " ", "HOME", "/home/me")));
        assertEquals(Path.of(System.getProperty("user.home"), ".cache", "servicetags"),
                ServiceTagsCache.defaultDirectory(Map.of()));
    }

    @Test
    void currentPrefersCurrentThenPrevious() throws IOException {
        assertEquals(Optional.empty(), ServiceTagsCache.current(dir, "Public"));
        Path folder = Files.createDirectories(dir.resolve("Public"));
        Files.write(folder.resolve("previous.json"), TestFiles.bytes(1));
        assertEquals(Optional.of(folder.resolve("previous.json")), ServiceTagsCache.current(dir, "public"));
        Files.write(folder.resolve("current.json"), new byte[0]);
        assertEquals(Optional.of(folder.resolve("previous.json")), ServiceTagsCache.current(dir, "Public"),
                "an empty current file is skipped");
        Files.write(folder.resolve("current.json"), TestFiles.bytes(2));
        assertEquals(Optional.of(folder.resolve("current.json")), ServiceTagsCache.current(dir, "Public"));
        assertEquals(Optional.empty(), ServiceTagsCache.current(dir, "AzureChina"));
        assertEquals("unknown cloud 'Mars'; expected one of Public, AzureGovernment, AzureChina",
                assertThrows(IllegalArgumentException.class, () -> ServiceTagsCache.current(dir, "Mars"))
                        .getMessage());
    }

    @Test
    void looksValid() throws IOException {
        Path f = dir.resolve("f.json");
        Files.write(f, "\ufeff  {\"changeNumber\":1".getBytes(StandardCharsets.UTF_8));
        assertEquals(true, ServiceTagsCache.looksValid(f));
        Files.write(f, "<html>".getBytes(StandardCharsets.UTF_8));
        assertEquals(false, ServiceTagsCache.looksValid(f));
        Files.write(f, gzip(TestFiles.bytes(3)));
        assertEquals(true, ServiceTagsCache.looksValid(f));
        assertEquals(false, ServiceTagsCache.looksValid(dir));
    }

    @Test
    void changeNumberIsReadWithoutBuildingAnIndex() throws IOException {
        Path f = dir.resolve("f.json");
        Files.write(f, TestFiles.bytes(376));
        assertEquals(OptionalLong.of(376), ServiceTagsCache.changeNumberOf(f));
        Files.write(f, "{\"values\":[{\"x\":[1,2]}],\"changeNumber\":\"42\",\"cloud\":\"Public\"}"
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(OptionalLong.of(42), ServiceTagsCache.changeNumberOf(f), "Discovery API spelling, after values");
        Files.write(f, gzip(TestFiles.bytes(7)));
        assertEquals(OptionalLong.of(7), ServiceTagsCache.changeNumberOf(f));
        Files.write(f, "<html>".getBytes(StandardCharsets.UTF_8));
        assertEquals(OptionalLong.empty(), ServiceTagsCache.changeNumberOf(f));
    }

    @Test
    void provenanceRoundTripAndAge() throws IOException {
        Path data = dir.resolve("current.json");
        Files.write(data, TestFiles.bytes(9));
        Instant at = Instant.parse("2025-11-18T08:30:00Z");
        Provenance p = new Provenance("Public", 9,
                "https://download.microsoft.com/download/7/1/d/ServiceTags_Public_20251117.json", at,
                Updater.sha256(data), Files.size(data));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.write(out);
        Files.write(dir.resolve("current.provenance.json"), out.toByteArray());
        assertEquals(Optional.of(p), Provenance.of(data));
        assertEquals(Optional.of(LocalDate.of(2025, 11, 17)), p.publishedOn());
        assertEquals(Duration.ofDays(3), p.age(Instant.parse("2025-11-20T00:00:00Z")), "age counts from publication");
        assertEquals(Duration.ofHours(15).plusMinutes(30), p.sinceDownload(Instant.parse("2025-11-19T00:00:00Z")));
        assertEquals(Optional.of(Duration.ofDays(3)), Provenance.of(data).map(x -> x.age(Instant.parse("2025-11-20T00:00:00Z"))));

        Provenance noDate = new Provenance("Public", 9, "https://example.org/tags.json", at, "00", 1);
        assertEquals(Duration.ofHours(1), noDate.age(at.plusSeconds(3600)), "without a date: since the download");
        assertEquals(Duration.ZERO, noDate.age(at.minusSeconds(5)), "never negative");

        Files.write(data, TestFiles.bytes(10000)); // different size: the provenance no longer describes the file
        assertEquals(Optional.empty(), Provenance.of(data));
        Files.write(dir.resolve("current.provenance.json"), "{broken".getBytes(StandardCharsets.UTF_8));
        assertEquals(Optional.empty(), Provenance.of(data));
        assertEquals(Optional.empty(), Provenance.of(dir.resolve("nothing.json")).map(x -> x.age(at)));
    }

    @Test
    void cloudNames() {
        assertEquals(Cloud.PUBLIC, Cloud.parse("AzureCloud"));
        assertEquals(Cloud.AZURE_GOVERNMENT, Cloud.parse("AzureUSGovernment"));
        assertEquals(Cloud.AZURE_CHINA, Cloud.parse("AzureChinaCloud"));
        assertEquals(Cloud.AZURE_CHINA, Cloud.parse("azurechina"));
        assertEquals("AzureGovernment", Cloud.AZURE_GOVERNMENT.toString());
        assertEquals(URI.create("https://www.microsoft.com/en-us/download/details.aspx?id=57062"),
                Cloud.AZURE_CHINA.downloadPage());
    }

    @Test
    void linkFinderHandlesEscapesAndPicksTheNewestForTheCloud() {
        URI page = URI.create("https://www.microsoft.com/en-us/download/details.aspx?id=56519");
        String html = "<a href=\"https://download.microsoft.com/download/7/1/D/ServiceTags_Public_20251103.json\">x</a>"
                + "{\"url\":\"https:\\/\\/download.microsoft.com\\/download\\/9\\/2\\/E\\/ServiceTags_Public_20251117.json\"}"
                + "<a href='//download.microsoft.com/download/1/ServiceTags_AzureGovernment_20251124.json'>gov</a>"
                + "https:\\u002f\\u002fdownload.microsoft.com\\u002fdownload\\u002f3\\u002fServiceTags_China_20251110.json";
        assertEquals(Optional.of(URI.create(
                "https://download.microsoft.com/download/9/2/E/ServiceTags_Public_20251117.json")),
                LinkFinder.find(html, page, Cloud.PUBLIC));
        assertEquals(Optional.of(URI.create(
                "https://download.microsoft.com/download/1/ServiceTags_AzureGovernment_20251124.json")),
                LinkFinder.find(html, page, Cloud.AZURE_GOVERNMENT), "protocol-relative link resolved");
        assertEquals(Optional.of(URI.create("https://download.microsoft.com/download/3/ServiceTags_China_20251110.json")),
                LinkFinder.find(html, page, Cloud.AZURE_CHINA));
        assertEquals(Optional.empty(), LinkFinder.find("<html>nothing</html>", page, Cloud.PUBLIC));
        assertEquals(Optional.of(Cloud.AZURE_CHINA),
                Updater.cloudFromUrl(URI.create("https://x/ServiceTags_China_20251110.json")));
    }

    private static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(out)) {
            g.write(b);
        }
        return out.toByteArray();
    }
}
