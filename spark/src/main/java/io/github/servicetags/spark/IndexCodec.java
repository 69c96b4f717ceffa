package io.github.servicetags.spark;

import io.github.servicetags.IpFamily;
import io.github.servicetags.IpPrefix;
import io.github.servicetags.LoadOptions;
import io.github.servicetags.ServiceTag;
import io.github.servicetags.ServiceTags;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import java.util.zip.GZIPOutputStream;

/**
 * Turns an index into the bytes that are broadcast, and back. The preferred form is the library's compact binary
 * form ({@code ServiceTags.write(OutputStream)} / {@code ServiceTags.read(InputStream)}: versioned, checksummed, no
 * JSON parsing on the executors). Until a library version with that form is on the class path, the index is written
 * as the gzipped service-tags JSON it came from, which every library version loads. The choice is made once per JVM
 * and recorded in the payload, so the driver and the executors always agree on how to read it.
 */
final class IndexCodec {
    /** How the payload bytes are encoded. */
    enum Format {
        /** {@code ServiceTags.write} / {@code ServiceTags.read}. */
        BINARY,
        /** Gzipped service-tags JSON, read with {@code ServiceTags.load(InputStream, String, LoadOptions)}. */
        JSON_GZIP
    }

    private static final MethodHandle WRITE = find(true);
    private static final MethodHandle READ = find(false);

    private IndexCodec() {}

    private static MethodHandle find(boolean write) {
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            return write
                    ? lookup.findVirtual(ServiceTags.class, "write", MethodType.methodType(void.class, OutputStream.class))
                    : lookup.findStatic(ServiceTags.class, "read",
                            MethodType.methodType(ServiceTags.class, InputStream.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null;
        }
    }

    /** Returns the form this JVM writes: binary when the library has it. */
    static Format preferredFormat() {
        return WRITE != null && READ != null ? Format.BINARY : Format.JSON_GZIP;
    }

    static IndexPayload encode(ServiceTags st) {
        return encode(st, preferredFormat());
    }

    static IndexPayload encode(ServiceTags st, Format format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
        try {
            if (format == Format.BINARY) {
                if (WRITE == null) {
                    throw new IllegalStateException("this servicetags version has no binary form "
                            + "(ServiceTags.write(OutputStream)); use JSON_GZIP");
                }
                WRITE.invoke(st, out);
            } else {
                try (GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16)) {
                    writeJson(st, gz);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the index of " + st.source(), e);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot encode the index of " + st.source(), e);
        }
        byte[] bytes = out.toByteArray();
        return new IndexPayload(format, bytes, sha256(bytes), st.cloud(), st.changeNumber(), st.source());
    }

    static ServiceTags decode(IndexPayload payload) {
        String name = "broadcast:" + payload.source();
        try (InputStream in = new ByteArrayInputStream(payload.bytes())) {
            if (payload.format() == Format.BINARY) {
                if (READ == null) {
                    throw new IllegalStateException("the index was broadcast in the binary form, but the servicetags "
                            + "library on this executor cannot read it (no ServiceTags.read(InputStream)); "
                            + "ship the same servicetags-spark jar to the driver and the executors");
                }
                return (ServiceTags) READ.invoke(in);
            }
            return ServiceTags.load(in, name, LoadOptions.defaults());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode the broadcast index " + payload, e);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot decode the broadcast index " + payload, e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Writes the index as a service-tags document (the download schema) that the library's loader accepts. */
    static void writeJson(ServiceTags st, OutputStream out) throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        w.write("{\"changeNumber\":");
        w.write(Long.toString(st.changeNumber()));
        w.write(",\"cloud\":");
        string(w, st.cloud());
        w.write(",\"values\":[");
        boolean firstTag = true;
        for (ServiceTag t : st.tags()) {
            if (!firstTag) {
                w.write(',');
            }
            firstTag = false;
            w.write("\n{\"name\":");
            string(w, t.name());
            w.write(",\"id\":");
            string(w, t.id());
            w.write(",\"properties\":{\"changeNumber\":");
            w.write(Long.toString(t.changeNumber()));
            w.write(",\"region\":");
            string(w, t.region());
            w.write(",\"regionId\":");
            w.write(Integer.toString(t.regionId()));
            w.write(",\"platform\":");
            string(w, t.platform());
            w.write(",\"systemService\":");
            string(w, t.systemService());
            w.write(",\"addressPrefixes\":[");
            List<IpPrefix> prefixes = t.prefixes();
            for (int i = 0; i < prefixes.size(); i++) {
                if (i > 0) {
                    w.write(',');
                }
                string(w, prefixes.get(i).toString());
            }
            w.write("],\"networkFeatures\":[");
            boolean firstFeature = true;
            for (String f : new TreeSet<>(t.networkFeatures())) {
                if (!firstFeature) {
                    w.write(',');
                }
                firstFeature = false;
                string(w, f);
            }
            w.write("]}}");
        }
        w.write("]}\n");
        w.flush();
    }

    private static void string(Writer w, String s) throws IOException {
        w.write('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                w.write('\\');
                w.write(c);
            } else if (c < 0x20) {
                w.write(String.format("\\u%04x", (int) c));
            } else {
                w.write(c);
            }
        }
        w.write('"');
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
