package io.github.servicetags.spark;

import io.github.servicetags.IpFamily;
import io.github.servicetags.IpPrefix;
import io.github.servicetags.ServiceTag;
import io.github.servicetags.ServiceTags;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Turns an index into the bytes that are broadcast, and back: the library's compact binary form
 * ({@link ServiceTags#write} / {@link ServiceTags#read}: versioned, checksummed, no JSON parsing on the executors).
 */
final class IndexCodec {
    private IndexCodec() {}

    static IndexPayload encode(ServiceTags st) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
        try {
            st.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the index of " + st.source(), e);
        }
        byte[] bytes = out.toByteArray();
        return new IndexPayload(bytes, sha256(bytes), st.cloud(), st.changeNumber(), st.source());
    }

    static ServiceTags decode(IndexPayload payload) {
        try (InputStream in = new ByteArrayInputStream(payload.bytes())) {
            return ServiceTags.read(in, payload.source());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode the broadcast index " + payload
                    + "; ship the same servicetags-spark jar to the driver and the executors", e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Lists every address at which the index's answer can change: enough to meet every distinct {@code TagSet}. */
    static void forEachBoundary(ServiceTags st, BoundaryVisitor visitor) {
        visitor.ipv4(0);
        visitor.ipv6(0, 0);
        for (ServiceTag t : st.tags()) {
            for (IpPrefix p : t.prefixes()) {
                if (p.family() == IpFamily.IPV4) {
                    visitor.ipv4(p.ipv4());
                    long next = p.lastLow() + 1;
                    if (next <= 0xffffffffL) {
                        visitor.ipv4((int) next);
                    }
                } else {
                    visitor.ipv6(p.high(), p.low());
                    long low = p.lastLow() + 1;
                    long high = p.lastHigh() + (low == 0 ? 1 : 0);
                    if (!(low == 0 && high == 0)) {
                        visitor.ipv6(high, low);
                    }
                }
            }
        }
    }

    /** Receives interval boundaries from {@link #forEachBoundary}. */
    interface BoundaryVisitor {
        void ipv4(int address);

        void ipv6(long high, long low);
    }
}
