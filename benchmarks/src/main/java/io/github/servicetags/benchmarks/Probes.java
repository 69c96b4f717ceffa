package io.github.servicetags.benchmarks;

import io.github.servicetags.IpFamily;
import io.github.servicetags.IpPrefix;
import io.github.servicetags.ServiceTag;
import io.github.servicetags.ServiceTags;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The fixed probe set every lookup benchmark uses: drawn with a fixed seed from the file's prefixes so that runs
 * and methods compare like with like. Half the probes lie inside some prefix (its first address, its last address,
 * or a random address inside, in equal parts), half are random addresses (IPv4: the whole space; IPv6: the global
 * unicast range 2000::/3, where Azure's prefixes are).
 */
final class Probes {
    /** Probes per family; a power of two, larger than the L1 cache would like, smaller than L2. */
    static final int COUNT = 4096;
    static final long SEED = 0x5EED_376L;

    final ServiceTags st;
    final int[] v4 = new int[COUNT];
    final String[] v4Text = new String[COUNT];
    final long[] v6High = new long[COUNT];
    final long[] v6Low = new long[COUNT];

    private Probes(ServiceTags st) {
        this.st = st;
        List<IpPrefix> p4 = new ArrayList<>();
        List<IpPrefix> p6 = new ArrayList<>();
        for (ServiceTag t : st.tags()) {
            p4.addAll(t.prefixes(IpFamily.IPV4));
            p6.addAll(t.prefixes(IpFamily.IPV6));
        }
        SplittableRandom r = new SplittableRandom(SEED);
        for (int i = 0; i < COUNT; i++) {
            if ((i & 1) == 0 || p4.isEmpty()) {
                v4[i] = r.nextInt();
            } else {
                IpPrefix p = p4.get(r.nextInt(p4.size()));
                long first = p.low();
                long last = p.lastLow();
                v4[i] = (int) switch (r.nextInt(3)) {
                    case 0 -> first;
                    case 1 -> last;
                    default -> first + r.nextLong(last - first + 1);
                };
            }
            v4Text[i] = Integer.toUnsignedString(v4[i] >>> 24) + "." + ((v4[i] >>> 16) & 0xff) + "."
                    + ((v4[i] >>> 8) & 0xff) + "." + (v4[i] & 0xff);
            if ((i & 1) == 0 || p6.isEmpty()) {
                v6High[i] = (r.nextLong() >>> 3) | 0x2000_0000_0000_0000L;
                v6Low[i] = r.nextLong();
            } else {
                IpPrefix p = p6.get(r.nextInt(p6.size()));
                switch (r.nextInt(3)) {
                    case 0 -> {
                        v6High[i] = p.high();
                        v6Low[i] = p.low();
                    }
                    case 1 -> {
                        v6High[i] = p.lastHigh();
                        v6Low[i] = p.lastLow();
                    }
                    default -> {
                        // random host bits under the prefix
                        int len = p.length();
                        long hostHigh = len >= 64 ? 0 : len == 0 ? -1L : -1L >>> len;
                        long hostLow = len <= 64 ? -1L : len == 128 ? 0 : -1L >>> (len - 64);
                        v6High[i] = p.high() | (r.nextLong() & hostHigh);
                        v6Low[i] = p.low() | (r.nextLong() & hostLow);
                    }
                }
            }
        }
    }

    /** Loads the data file and draws the probes. */
    static Probes of(String data) {
        try {
            Path file = Path.of(data);
            if (!Files.exists(file)) {
                throw new NoSuchFileException(file.toAbsolutePath().normalize().toString(), null,
                        "no such file; pass -p data=ServiceTags_Public_376.json (path relative to "
                                + Path.of("").toAbsolutePath() + ")");
            }
            return new Probes(ServiceTags.load(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every IPv4 prefix with the names of its tags, in file order. */
    List<IpPrefix> prefixes(IpFamily family) {
        List<IpPrefix> out = new ArrayList<>();
        for (ServiceTag t : st.tags()) {
            out.addAll(t.prefixes(family));
        }
        return out;
    }
}
