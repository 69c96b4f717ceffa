package io.github.servicetags.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.servicetags.InvalidServiceTagsException;
import io.github.servicetags.LoadOptions;
import io.github.servicetags.ServiceTags;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The refreshing holder: readers never see an error, a null, a half-built index, or the changeNumber going back. */
class RefreshingServiceTagsTest {

    @TempDir
    Path dir;

    static ServiceTags tags(long changeNumber) {
        try {
            return ServiceTags.load(new ByteArrayInputStream(TestFiles.bytes(changeNumber)), "test-" + changeNumber,
                    LoadOptions.defaults());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static ServiceTags corrupt() throws IOException {
        return ServiceTags.load(new ByteArrayInputStream("{\"changeNumber\": 9, \"cloud\": \"Public\", \"values\": ["
                .getBytes(StandardCharsets.UTF_8)), "truncated", LoadOptions.defaults());
    }

    /**
     * A source that goes through successes with rising changeNumbers, exceptions, nulls, corrupt files and older
     * files, in a fixed pattern.
     */
    static final class FlakySource implements Callable<ServiceTags> {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger successes = new AtomicInteger();
        final AtomicLong best = new AtomicLong(1);
        final List<ServiceTags> prepared = new ArrayList<>();

        FlakySource(int versions) {
            for (int i = 0; i <= versions; i++) {
                prepared.add(tags(i));
            }
        }

        @Override
        public ServiceTags call() throws Exception {
            int n = calls.incrementAndGet();
            switch (n % 5) {
                case 0:
                    throw new IOException("simulated network failure " + n);
                case 1:
                    return null;
                case 2:
                    return corrupt();
                case 3:
                    return prepared.get((int) Math.max(0, best.get() - 1)); // older than in use
                default:
                    long next = Math.min(prepared.size() - 1, best.get() + 1);
                    best.set(next);
                    successes.incrementAndGet();
                    return prepared.get((int) next);
            }
        }
    }

    @Test
    void concurrentReadersDuringRepeatedRefreshesSomeFailing() throws Exception {
        FlakySource source = new FlakySource(100);
        Queue<Throwable> problems = new ConcurrentLinkedQueue<>();
        AtomicInteger failures = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        try (RefreshingServiceTags holder = RefreshingServiceTags.builder(source).initial(source.prepared.get(1))
                .interval(Duration.ofHours(1)).onFailure(e -> failures.incrementAndGet()).build()) {
            int readers = 4;
            CountDownLatch started = new CountDownLatch(readers);
            List<Thread> threads = new ArrayList<>();
            AtomicLong reads = new AtomicLong();
            for (int r = 0; r < readers; r++) {
                Thread t = new Thread(() -> {
                    long last = -1;
                    started.countDown();
                    while (!stop.get()) {
                        try {
                            ServiceTags st = holder.current();
                            if (st == null) {
                                problems.add(new AssertionError("current() returned null"));
                                return;
                            }
                            if (st.changeNumber() < last) {
                                problems.add(new AssertionError("changeNumber went back from " + last + " to "
                                        + st.changeNumber()));
                                return;
                            }
                            last = st.changeNumber();
                            if (!st.lookup("10.1.2.3").contains("X") || st.prefixes("Storage").size() != 2) {
                                problems.add(new AssertionError("incomplete index " + st));
                                return;
                            }
                            reads.incrementAndGet();
                        } catch (Throwable e) {
                            problems.add(e);
                            return;
                        }
                    }
                }, "reader-" + r);
                t.start();
                threads.add(t);
            }
            started.await();
            long seen = holder.current().changeNumber();
            for (int i = 0; i < 300; i++) {
                ServiceTags after = holder.refresh().join();
                assertTrue(after.changeNumber() >= seen, "refresh result never goes back");
                seen = after.changeNumber();
            }
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
            if (!problems.isEmpty()) {
                AssertionError e = new AssertionError(problems.size() + " reader problems, first: " + problems.peek());
                problems.forEach(e::addSuppressed);
                throw e;
            }
            // A refresh asked for while another finishes joins it, so the source may run fewer than 300 times.
            assertEquals(source.best.get(), holder.current().changeNumber(), "the newest good version is served");
            assertEquals(1 + source.successes.get(), holder.current().changeNumber());
            assertTrue(source.successes.get() >= 10, "successes: " + source.successes.get());
            assertEquals(source.calls.get() - source.successes.get(), failures.get(), "every failure is reported");
            assertTrue(reads.get() > 0);
        }
    }

    @Test
    void failedRefreshKeepsTheLastGoodIndex() throws Exception {
        ServiceTags first = tags(5);
        List<Exception> reported = new ArrayList<>();
        Callable<ServiceTags> broken = () -> {
            throw new IOException("no route to host");
        };
        try (RefreshingServiceTags holder = RefreshingServiceTags.builder(broken).initial(first)
                .onFailure(reported::add).build()) {
            assertSame(first, holder.refresh().join());
            assertSame(first, holder.current());
            assertEquals("no route to host", holder.lastFailure().orElseThrow().getMessage());
            assertEquals(1, reported.size());
        }
    }

    @Test
    void olderChangeNumberIsRefused() throws Exception {
        ServiceTags newer = tags(7);
        try (RefreshingServiceTags holder = RefreshingServiceTags.builder(() -> tags(6)).initial(newer).build()) {
            assertSame(newer, holder.refresh().join());
            assertEquals("refused changeNumber 6 from the refresh source: older than 7 in use",
                    holder.lastFailure().orElseThrow().getMessage());
        }
    }

    @Test
    void newerIndexIsPublishedAndReported() throws Exception {
        List<Long> published = new ArrayList<>();
        AtomicLong next = new AtomicLong(1);
        try (RefreshingServiceTags holder = RefreshingServiceTags.builder(() -> tags(next.getAndIncrement()))
                .onUpdate(st -> published.add(st.changeNumber())).build()) {
            assertEquals(1, holder.current().changeNumber(), "build() loads the first index");
            assertEquals(2, holder.refresh().join().changeNumber());
            assertEquals(3, holder.refresh().join().changeNumber());
            assertEquals(List.of(2L, 3L), published);
            assertTrue(holder.lastFailure().isEmpty());
            assertEquals("RefreshingServiceTags[Public changeNumber 3]", holder.toString());
        }
    }

    @Test
    void firstLoadFailureIsReportedByBuild() {
        IOException e = assertThrows(IOException.class, () -> RefreshingServiceTags.builder(() -> {
            throw new IllegalStateException("boom");
        }).build());
        assertEquals("the first load of the service tags failed: boom", e.getMessage());
    }

    @Test
    void backgroundRefreshRunsWithoutReaders() throws Exception {
        AtomicLong next = new AtomicLong(1);
        CountDownLatch reachedThree = new CountDownLatch(1);
        try (RefreshingServiceTags holder = RefreshingServiceTags.builder(() -> tags(next.getAndIncrement()))
                .interval(Duration.ofMillis(10)).onUpdate(st -> {
                    if (st.changeNumber() >= 3) {
                        reachedThree.countDown();
                    }
                }).build()) {
            if (!reachedThree.await(20, java.util.concurrent.TimeUnit.SECONDS)) {
                fail("no background refresh happened");
            }
            assertTrue(holder.current().changeNumber() >= 3);
        }
    }

    @Test
    void closeStopsRefreshingButKeepsAnswering() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        RefreshingServiceTags holder = RefreshingServiceTags.builder(() -> tags(calls.incrementAndGet())).build();
        holder.close();
        holder.close();
        assertEquals(1, holder.refresh().join().changeNumber());
        assertEquals(1, calls.get());
        assertTrue(holder.current().lookup("10.9.9.9").contains("X"));
        assertEquals("RefreshingServiceTags[Public changeNumber 1, closed]", holder.toString());
    }

    @Test
    void fileIsReloadedOnlyWhenItChanges() throws Exception {
        Path file = dir.resolve("tags.json");
        Files.write(file, TestFiles.bytes(1));
        try (RefreshingServiceTags holder = RefreshingServiceTags.ofFile(file, Duration.ofHours(1))) {
            ServiceTags first = holder.current();
            assertSame(first, holder.refresh().join(), "unchanged file: same index, no rebuild");

            Files.write(file, TestFiles.bytes(22));
            Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 5000));
            assertEquals(22, holder.refresh().join().changeNumber());

            Files.write(file, "<html>oops</html>".getBytes(StandardCharsets.UTF_8));
            assertEquals(22, holder.refresh().join().changeNumber(), "a damaged file keeps the last good index");
            assertTrue(holder.lastFailure().orElseThrow() instanceof InvalidServiceTagsException,
                    String.valueOf(holder.lastFailure()));
        }
    }

    @Test
    void followsTheCache() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("Public"));
        Files.write(folder.resolve("current.json"), TestFiles.bytes(3));
        try (RefreshingServiceTags holder = RefreshingServiceTags.ofCache(dir, "Public", Duration.ofHours(1))) {
            assertEquals(3, holder.current().changeNumber());
            Path tmp = folder.resolve(".download-1.tmp");
            Files.write(tmp, TestFiles.bytes(4));
            Files.move(tmp, folder.resolve("current.json"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            assertEquals(4, holder.refresh().join().changeNumber());
        }
        IOException e = assertThrows(IOException.class,
                () -> RefreshingServiceTags.ofCache(dir, "AzureChina", Duration.ofHours(1)));
        assertEquals("no service-tag file in the cache; run `servicetags update`", e.getMessage());
    }
}
