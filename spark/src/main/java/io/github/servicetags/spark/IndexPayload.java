package io.github.servicetags.spark;

import java.io.Serializable;

/**
 * What travels in the broadcast: the index in its shipped form, plus what an executor needs to recognise it without
 * reading the bytes (the SHA-256 of the payload keys the per-JVM cache).
 */
final class IndexPayload implements Serializable {
    private static final long serialVersionUID = 1L;

    private final byte[] bytes;
    private final String sha256;
    private final String cloud;
    private final long changeNumber;
    private final String source;

    IndexPayload(byte[] bytes, String sha256, String cloud, long changeNumber, String source) {
        this.bytes = bytes;
        this.sha256 = sha256;
        this.cloud = cloud;
        this.changeNumber = changeNumber;
        this.source = source;
    }

    byte[] bytes() {
        return bytes;
    }

    String sha256() {
        return sha256;
    }

    String cloud() {
        return cloud;
    }

    long changeNumber() {
        return changeNumber;
    }

    String source() {
        return source;
    }

    @Override
    public String toString() {
        return "binary index of " + cloud + " changeNumber " + changeNumber + ", " + bytes.length + " bytes, sha256 "
                + sha256.substring(0, 12) + " (" + source + ")";
    }
}
