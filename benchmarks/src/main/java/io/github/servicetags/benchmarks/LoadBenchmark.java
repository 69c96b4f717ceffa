package io.github.servicetags.benchmarks;

import io.github.servicetags.LoadOptions;
import io.github.servicetags.ServiceTags;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Loading a full file, warm (the JIT has compiled the loader): JSON parse + index build, the build alone, and the
 * binary form ({@code ServiceTags.write}/{@code read}), plain and gzip-compressed as in the jar. The file's bytes
 * are read into memory in {@code @Setup}, so the disk is not measured. For a cold process see
 * {@code benchmarks/cold-start.sh}.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar LoadBenchmark -p data=../shared/servicetags/ServiceTags_Public_376.json}
 * (add {@code -prof gc} for the bytes allocated per load).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class LoadBenchmark {
    @Param("../shared/servicetags/ServiceTags_Public_376.json")
    public String data;

    private byte[] json;
    private byte[] jsonGzip;
    private byte[] binary;
    private byte[] binaryGzip;
    private ServiceTags loaded;

    @Setup
    public void setup() throws IOException {
        json = Files.readAllBytes(Path.of(data));
        jsonGzip = gzip(json);
        loaded = ServiceTags.load(new ByteArrayInputStream(json), data, LoadOptions.defaults());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        loaded.write(out);
        binary = out.toByteArray();
        binaryGzip = gzip(binary);
        ServiceTags back = ServiceTags.read(new ByteArrayInputStream(binary));
        if (!back.tags().toString().equals(loaded.tags().toString())) {
            throw new IllegalStateException("the binary form does not round-trip");
        }
        System.out.printf("%nsizes: JSON %,d B, JSON gzip %,d B, binary %,d B, binary gzip %,d B%n", json.length,
                jsonGzip.length, binary.length, binaryGzip.length);
    }

    private static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(out)) {
            g.write(b);
        }
        return out.toByteArray();
    }

    /** Stream-parse and validate the JSON, then build the index: what {@code ServiceTags.load(Path)} does. */
    @Benchmark
    public ServiceTags loadJson() throws IOException {
        return ServiceTags.load(new ByteArrayInputStream(json), data, LoadOptions.defaults());
    }

    /** The same from gzip-compressed JSON (the format of the bundled snapshot before the binary form). */
    @Benchmark
    public ServiceTags loadJsonGzip() throws IOException {
        return ServiceTags.load(new ByteArrayInputStream(jsonGzip), data, LoadOptions.defaults());
    }

    /** The index build alone (interval sweep, tag-set interning, tables) plus the name and region maps. */
    @Benchmark
    public ServiceTags buildOnly() {
        return ServiceTags.of(loaded.cloud(), loaded.changeNumber(), data, loaded.tags());
    }

    /** Decode and validate the binary form, then build the index. */
    @Benchmark
    public ServiceTags readBinary() throws IOException {
        return ServiceTags.read(new ByteArrayInputStream(binary), data);
    }

    /** The same from the gzip-compressed binary form. */
    @Benchmark
    public ServiceTags readBinaryGzip() throws IOException {
        return ServiceTags.read(new ByteArrayInputStream(binaryGzip), data);
    }

    /** Encode the binary form. */
    @Benchmark
    public byte[] writeBinary() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(binary.length);
        loaded.write(out);
        return out.toByteArray();
    }
}
