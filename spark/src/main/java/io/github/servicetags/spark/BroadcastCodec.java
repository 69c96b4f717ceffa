package io.github.servicetags.spark;

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
 * Turns an index into the bytes that are broadcast to the executors, and back: the library's compact binary form
 * ({@link ServiceTags#write} / {@link ServiceTags#read}: versioned, checksummed, no JSON parsing on the executors),
 * with its SHA-256 to tell versions apart.
 */
final class BroadcastCodec {
    private BroadcastCodec() {}

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
}
