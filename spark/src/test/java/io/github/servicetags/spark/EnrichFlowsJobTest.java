package io.github.servicetags.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.servicetags.RealData;
import io.github.servicetags.ServiceTags;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example job end to end: generated CSV in, Parquet with dst_tags out, every row verified. */
class EnrichFlowsJobTest {
    @TempDir
    Path dir;

    @Test
    void enrichesGeneratedFlowsFromTheRealFile() throws Exception {
        Path data = RealData.file("ServiceTags_Public_376.json");
        ServiceTags st = RealData.load("ServiceTags_Public_376.json");
        Path csv = dir.resolve("flows.csv");
        GenerateFlows.write(st, 50_000, 42, csv);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        var args = EnrichFlowsJob.Args.parse("--input", csv.toString(), "--output", dir.resolve("out").toString(),
                "--data", data.toString(), "--verify");
        EnrichFlowsJob.Summary s = EnrichFlowsJob.run(LocalSpark.get(), args,
                new PrintStream(log, true, StandardCharsets.UTF_8));
        String text = log.toString(StandardCharsets.UTF_8);
        System.out.print(text);
        assertEquals(50_000, s.rows(), text);
        assertEquals(50_000, s.verified(), text);
        assertEquals(0, s.mismatches(), text);
        assertTrue(s.invalidInputs() > 0, text);
        assertEquals(376, s.changeNumber());
        // The output keeps every input column and adds dst_tags.
        var out = LocalSpark.get().read().parquet(dir.resolve("out").toString());
        assertEquals("ts,src_ip,dst_ip,dst_port,protocol,bytes,dst_tags", String.join(",", out.columns()));
    }

    @Test
    void argumentsAreChecked() {
        var e = assertThrows(IllegalArgumentException.class, () -> EnrichFlowsJob.Args.parse("--input", "x.csv"));
        assertEquals("--input and --output are required", e.getMessage());
        var f = assertThrows(IllegalArgumentException.class,
                () -> EnrichFlowsJob.Args.parse("--input", "x", "--output", "y", "--format", "json"));
        assertEquals("--format must be csv or parquet, got \"json\"", f.getMessage());
        assertEquals("csv", EnrichFlowsJob.Args.parse("--input", "a.CSV", "--output", "o").format());
        assertEquals("parquet", EnrichFlowsJob.Args.parse("--input", "a", "--output", "o").format());
    }
}
