package io.github.servicetags.spark;

import io.github.servicetags.ServiceTags;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a CSV of synthetic flow records whose destinations are drawn from a service-tags file (see
 * {@link FlowRecords}), the input of {@link EnrichFlowsJob}.
 *
 * <pre>
 * java -cp target/servicetags-spark.jar io.github.servicetags.spark.GenerateFlows \
 *     --rows 5000000 --data ../../shared/servicetags/ServiceTags_Public_376.json --output /tmp/flows.csv
 * </pre>
 *
 * Columns: {@code ts,src_ip,dst_ip,dst_port,protocol,bytes}. An empty {@code dst_ip} reads as NULL in Spark.
 */
public final class GenerateFlows {
    private GenerateFlows() {}

    public static void main(String[] args) throws IOException {
        long rows = 1_000_000;
        Path data = null;
        Path output = null;
        long seed = 1;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--rows" -> rows = Long.parseLong(need(a, v));
                case "--data" -> data = Path.of(need(a, v));
                case "--output" -> output = Path.of(need(a, v));
                case "--seed" -> seed = Long.parseLong(need(a, v));
                default -> usage("unknown argument \"" + a + "\"");
            }
            i++;
        }
        if (output == null) {
            usage("--output is required");
        }
        ServiceTags st = data == null ? ServiceTags.bundled() : ServiceTags.load(data);
        write(st, rows, seed, output);
        System.err.println("wrote " + rows + " flow records to " + output + " (destinations drawn from "
                + st.source() + ", changeNumber " + st.changeNumber() + ")");
    }

    /** Writes {@code rows} records drawn from {@code st}. */
    public static void write(ServiceTags st, long rows, long seed, Path output) throws IOException {
        FlowRecords flows = new FlowRecords(st, seed);
        String[] protocols = {"tcp", "udp", "icmp"};
        int[] ports = {443, 1433, 53, 80, 445, 3389, 11000, 5671};
        long ts = 1_763_000_000L;
        try (BufferedWriter w = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
            w.write("ts,src_ip,dst_ip,dst_port,protocol,bytes\n");
            StringBuilder line = new StringBuilder(96);
            for (long i = 0; i < rows; i++) {
                String dst = flows.nextAddress();
                line.setLength(0);
                line.append(ts + i / 100).append(',').append(flows.nextSource()).append(',')
                        .append(dst == null ? "" : csv(dst)).append(',')
                        .append(ports[flows.nextInt(ports.length)]).append(',')
                        .append(protocols[flows.nextInt(protocols.length)]).append(',')
                        .append(40 + flows.nextInt(1_000_000)).append('\n');
                w.append(line);
            }
        }
    }

    private static String csv(String s) {
        // An empty string written as "" stays an empty string (not NULL) for Spark's CSV reader.
        if (s.isEmpty()) {
            return "\"\"";
        }
        return s.indexOf(',') >= 0 || s.indexOf('"') >= 0 ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }

    private static String need(String option, String value) {
        if (value == null) {
            usage(option + " needs a value");
        }
        return value;
    }

    private static void usage(String problem) {
        System.err.println("generate-flows: " + problem);
        System.err.println("usage: GenerateFlows --output FILE.csv [--rows N] [--data ServiceTags.json] [--seed S]");
        System.exit(2);
    }
}
