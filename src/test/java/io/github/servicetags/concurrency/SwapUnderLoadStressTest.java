package io.github.servicetags.concurrency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.servicetags.IpFamily;
import io.github.servicetags.IpPrefix;
import io.github.servicetags.ServiceTag;
import io.github.servicetags.ServiceTags;
import io.github.servicetags.TagSet;
import io.github.servicetags.update.RefreshingServiceTags;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Many threads look addresses up while {@link RefreshingServiceTags} swaps indexes underneath them as fast as it can.
 * Every answer is checked against a brute-force oracle <em>for the version the reader got</em> (its changeNumber):
 * a torn or mixed-up index, a half-built one, a null, an exception or a changeNumber going back fails the test.
 * Bounded by counts, not time: exactly {@link #SWAPS} swaps, each published once every reader has started reading
 * the version before it, and at most {@link #ROUNDS_PER_VERSION} rounds of lookups per reader and version; so each
 * reader must see every version, in order, and nothing asserted depends on scheduling.
 */
class SwapUnderLoadStressTest {
    static final int READERS = 8;
    /** Swaps the holder makes; the readers' versions are 1 (the initial index) to {@code FINAL}. */
    static final int SWAPS = 200;
    static final long FINAL = SWAPS + 1;
    /** At most this many rounds of 64 lookups per reader and version; a reader then waits for the next swap. */
    static final int ROUNDS_PER_VERSION = 4;
    static final int TAGS = 24;
    static final int PROBES = 512;
    /** Distinct contents; version {@code v} has content {@code v % CONTENTS} (indexes are rebuilt every time). */
    static final int CONTENTS = 32;

    /** One content of the data, with the oracle's answers for a fixed set of probes. */
    record Content(List<ServiceTag> tags, int[] probes4, long[][] probes6, List<List<String>> want4,
            List<List<String>> want6) {}

    private final Map<Integer, Content> contents = new ConcurrentHashMap<>();
    /** Every index the source handed out (weakly held: old ones are collected). */
    private final Set<ServiceTags> published = java.util.Collections.newSetFromMap(
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>()));

    Content content(long v) {
        return contents.computeIfAbsent((int) (v % CONTENTS), SwapUnderLoadStressTest::build);
    }

    /** A fresh index of version {@code v}: a new object every time, built in full before it is returned. */
    ServiceTags index(long v) {
        ServiceTags st = ServiceTags.of("Public", v, "version-" + v, content(v).tags());
        published.add(st);
        return st;
    }

    /** Content {@code c}: random overlapping prefixes (seeded by c) plus a tag naming the content. */
    static Content build(int c) {
        long v = c;
        Random rnd = new Random(v);
        List<ServiceTag> tags = new ArrayList<>();
        List<IpPrefix> all = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        for (int t = 0; t < TAGS; t++) {
            List<IpPrefix> ps = new ArrayList<>();
            int n = 5 + rnd.nextInt(40);
            for (int i = 0; i < n; i++) {
                IpPrefix p;
                if (rnd.nextInt(3) > 0) {
                    int len = 12 + rnd.nextInt(21); // nested and overlapping inside 203.0.0.0/8 .. 203.255.x
                    int addr = (203 << 24) | (rnd.nextInt() >>> 8);
                    p = IpPrefix.ofIPv4(len == 0 ? 0 : addr & (int) (0xffffffffL << (32 - len)), len);
                } else {
                    int len = 32 + rnd.nextInt(97);
                    long high = 0x2001_0db8_0000_0000L | (rnd.nextLong() >>> 32);
                    long low = rnd.nextLong();
                    high = len >= 64 ? high : high & (-1L << (64 - len));
                    low = len >= 128 ? low : len <= 64 ? 0 : low & (-1L << (128 - len));
                    p = IpPrefix.ofIPv6(high, low, len);
                }
                if (!ps.contains(p)) {
                    ps.add(p);
                }
            }
            String name = "Svc" + t + (t % 3 == 0 ? ".Region" + (t % 5) : "");
            tags.add(ServiceTag.builder(name).platform("Azure").changeNumber(v).prefixes(ps).build());
            for (IpPrefix p : ps) {
                all.add(p);
                owners.add(name);
            }
        }
        IpPrefix marker = IpPrefix.parse("198.51.100.0/24");
        String markerName = "Content" + v;
        tags.add(ServiceTag.builder(markerName).platform("Azure").changeNumber(v).prefixes(List.of(marker)).build());
        all.add(marker);
        owners.add(markerName);
        int[] probes4 = new int[PROBES];
        long[][] probes6 = new long[PROBES][];
        List<List<String>> want4 = new ArrayList<>();
        List<List<String>> want6 = new ArrayList<>();
        List<IpPrefix> v4 = all.stream().filter(p -> p.family() == IpFamily.IPV4).toList();
        List<IpPrefix> v6 = all.stream().filter(p -> p.family() == IpFamily.IPV6).toList();
        for (int j = 0; j < PROBES; j++) {
            IpPrefix p = v4.get(rnd.nextInt(v4.size()));
            probes4[j] = switch (j % 4) {
                case 0 -> p.ipv4();
                case 1 -> (int) p.lastLow();
                case 2 -> (int) p.lastLow() + 1;
                default -> (203 << 24) | (rnd.nextInt() >>> 8);
            };
            if (j == 0) {
                probes4[j] = marker.ipv4() + 7;
            }
            IpPrefix q = v6.get(rnd.nextInt(v6.size()));
            probes6[j] = j % 2 == 0 ? new long[] {q.high(), q.low()} : new long[] {q.lastHigh(), q.lastLow()};
            want4.add(oracle4(all, owners, probes4[j]));
            want6.add(oracle6(all, owners, probes6[j]));
        }
        return new Content(List.copyOf(tags), probes4, probes6, want4, want6);
    }

    /** Brute force: every prefix whose range holds the address. */
    static List<String> oracle4(List<IpPrefix> all, List<String> owners, int ip) {
        TreeSet<String> names = new TreeSet<>();
        long a = ip & 0xffffffffL;
        for (int i = 0; i < all.size(); i++) {
            IpPrefix p = all.get(i);
            if (p.family() == IpFamily.IPV4 && p.low() <= a && a <= p.lastLow()) {
                names.add(owners.get(i));
            }
        }
        return List.copyOf(names);
    }

    static List<String> oracle6(List<IpPrefix> all, List<String> owners, long[] ip) {
        TreeSet<String> names = new TreeSet<>();
        for (int i = 0; i < all.size(); i++) {
            IpPrefix p = all.get(i);
            if (p.family() == IpFamily.IPV6 && cmp(p.high(), p.low(), ip[0], ip[1]) <= 0
                    && cmp(ip[0], ip[1], p.lastHigh(), p.lastLow()) <= 0) {
                names.add(owners.get(i));
            }
        }
        return List.copyOf(names);
    }

    static int cmp(long ah, long al, long bh, long bl) {
        int c = Long.compareUnsigned(ah, bh);
        return c != 0 ? c : Long.compareUnsigned(al, bl);
    }

    @Test
    void everyAnswerMatchesTheOracleOfTheVersionTheReaderGot() throws Exception {
        AtomicLong nextVersion = new AtomicLong(1);
        AtomicInteger builds = new AtomicInteger();
        // no timer refreshes (a day away): the refresher thread below makes exactly SWAPS of them
        RefreshingServiceTags holder = RefreshingServiceTags.builder(() -> {
            builds.incrementAndGet();
            return index(nextVersion.incrementAndGet()); // built in full off to the side; the holder publishes it
        }).initial(index(1)).interval(Duration.ofDays(1)).build();

        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        // the version each reader's latest round started on; the refresher waits for every reader to start a round
        // on a version before it publishes the next, so every reader reads every version while the next is built
        AtomicLongArray started = new AtomicLongArray(READERS);
        AtomicBoolean refresherGaveUp = new AtomicBoolean();
        Object swapped = new Object();
        List<List<Long>> seenBy = new ArrayList<>();
        long[] rounds = new long[READERS];
        List<Thread> threads = new ArrayList<>();
        for (int r = 0; r < READERS; r++) {
            int reader = r;
            List<Long> seen = new ArrayList<>();
            seenBy.add(seen);
            threads.add(new Thread(() -> {
                Random rnd = new Random(reader);
                long last = 0;
                int roundsOnLast = 0;
                try {
                    while (last < FINAL && !refresherGaveUp.get() && failures.size() < 10) {
                        ServiceTags st = holder.current();
                        long v = st.changeNumber();
                        if (v < last) {
                            failures.add("reader " + reader + ": changeNumber went back from " + last + " to " + v);
                        }
                        if (v == last && roundsOnLast >= ROUNDS_PER_VERSION) {
                            synchronized (swapped) { // enough rounds on this version: wait for the next swap
                                while (holder.current().changeNumber() == v && !refresherGaveUp.get()) {
                                    swapped.wait();
                                }
                            }
                            continue;
                        }
                        if (v != last) {
                            seen.add(v);
                            roundsOnLast = 0;
                        }
                        last = v;
                        roundsOnLast++;
                        started.set(reader, v);
                        rounds[reader]++;
                        if (!published.contains(st) || !st.source().equals("version-" + v)) {
                            failures.add("reader " + reader + ": an index that was never published: " + st);
                            continue;
                        }
                        Content ver = content(v);
                        for (int k = 0; k < 64; k++) {
                            int j = rnd.nextInt(PROBES);
                            TagSet got4 = switch (k % 3) {
                                case 0 -> st.lookupIPv4(ver.probes4()[j]);
                                case 1 -> st.lookup(InetAddress.getByAddress(bytes(ver.probes4()[j])));
                                default -> st.lookup(IpPrefix.ofIPv4(ver.probes4()[j], 32).toString()
                                        .replace("/32", ""));
                            };
                            check(failures, reader, v, "IPv4 probe " + j, ver.want4().get(j), got4);
                            long[] ip6 = ver.probes6()[j];
                            check(failures, reader, v, "IPv6 probe " + j, ver.want6().get(j),
                                    st.lookupIPv6(ip6[0], ip6[1]));
                        }
                    }
                } catch (Throwable t) {
                    failures.add("reader " + reader + " threw " + t);
                }
            }, "stress-reader-" + r));
        }
        threads.add(new Thread(() -> {
            try {
                for (long v = 1; v < FINAL; v++) {
                    awaitReaders(started, v, failures);
                    if (!failures.isEmpty()) {
                        return;
                    }
                    ServiceTags now = holder.refresh().join(); // publishes v + 1 while the readers read v
                    synchronized (swapped) {
                        swapped.notifyAll();
                    }
                    if (now.changeNumber() != v + 1) {
                        failures.add("refresh " + v + " published changeNumber " + now.changeNumber()
                                + ", expected " + (v + 1));
                        return;
                    }
                }
            } catch (Throwable t) {
                failures.add("refresher threw " + t);
            } finally {
                synchronized (swapped) {
                    refresherGaveUp.set(holder.current().changeNumber() != FINAL);
                    swapped.notifyAll();
                }
            }
        }, "stress-refresher"));
        threads.forEach(Thread::start);
        for (Thread th : threads) {
            th.join(TimeUnit.MINUTES.toMillis(2)); // a hang guard only: nothing below depends on timing
        }
        holder.close();
        for (Thread th : threads) {
            assertFalse(th.isAlive(), th.getName() + " did not stop");
        }
        assertTrue(failures.isEmpty(), () -> String.join("\n", failures));
        assertEquals(SWAPS, builds.get(), "refreshes that built an index");
        assertEquals(FINAL, holder.current().changeNumber());
        List<Long> every = LongStream.rangeClosed(1, FINAL).boxed().toList();
        for (int r = 0; r < READERS; r++) {
            assertEquals(every, seenBy.get(r), "versions reader " + r + " read, in order");
            assertTrue(rounds[r] >= FINAL && rounds[r] <= FINAL * ROUNDS_PER_VERSION,
                    "reader " + r + ": " + rounds[r] + " rounds");
        }
        System.out.printf("SwapUnderLoadStressTest: %d swaps, %d reader rounds of 64 checked lookups%n",
                builds.get(), LongStream.of(rounds).sum());
    }

    /** Waits until every reader has started a round on version {@code v} (or a later one). */
    private static void awaitReaders(AtomicLongArray started, long v, ConcurrentLinkedQueue<String> failures) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1); // a hang guard, not a timing assertion
        for (int r = 0; r < started.length(); r++) {
            while (started.get(r) < v) {
                if (!failures.isEmpty()) {
                    return;
                }
                if (System.nanoTime() - deadline > 0) {
                    failures.add("reader " + r + " never started a round on version " + v);
                    return;
                }
                Thread.yield();
            }
        }
    }

    private static void check(ConcurrentLinkedQueue<String> failures, int reader, long v, String what,
            List<String> want, TagSet got) {
        if (!want.equals(List.copyOf(got.names()))) {
            failures.add("reader " + reader + ", version " + v + ", " + what + ": expected " + want + ", got " + got);
        }
    }

    private static byte[] bytes(int ip) {
        return new byte[] {(byte) (ip >>> 24), (byte) (ip >>> 16), (byte) (ip >>> 8), (byte) ip};
    }
}
