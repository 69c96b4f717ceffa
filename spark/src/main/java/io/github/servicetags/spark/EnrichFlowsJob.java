package io.github.servicetags.spark;

import io.github.servicetags.ServiceTags;
import io.github.servicetags.TagSet;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Example job: reads flow records (CSV with a header, or Parquet), adds a {@code dst_tags} column with every Azure
 * service tag containing the destination address, and writes Parquet.
 *
 * <pre>
 * spark-submit --master 'local[2]' --class io.github.servicetags.spark.EnrichFlowsJob target/servicetags-spark.jar \
 *     --input /tmp/flows.csv --output /tmp/flows-tagged.parquet --data ServiceTags_Public_376.json
 * </pre>
 *
 * Options: {@code --input PATH} and {@code --output PATH} (required); {@code --format csv|parquet} (default: from
 * the input's extension); {@code --ip-column NAME} (default {@code dst_ip}); {@code --tags-column NAME} (default
 * {@code dst_tags}); {@code --data FILE} (default: the bundled snapshot, with a notice); {@code --strict} (fail on
 * text that is not an address instead of writing NULL); {@code --verify} (read the output back and compare every
 * row with {@code ServiceTags.lookup} on the driver). Exit codes: 0 done, 1 data or I/O failure or a verify
 * mismatch, 2 bad usage.
 */
public final class EnrichFlowsJob {
    private EnrichFlowsJob() {}

    /** What a run did. */
    public record Summary(long rows, long invalidInputs, long verified, long mismatches, long changeNumber) {}

    /** The job's options. */
    public record Args(String input, String output, String format, String ipColumn, String tagsColumn, Path data,
            boolean strict, boolean verify) {
        /**
         * Parses the command line.
         *
         * @throws IllegalArgumentException quoting what is wrong
         */
        public static Args parse(String... args) {
            String input = null;
            String output = null;
            String format = null;
            String ipColumn = "dst_ip";
            String tagsColumn = "dst_tags";
            Path data = null;
            boolean strict = false;
            boolean verify = false;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--strict" -> strict = true;
                    case "--verify" -> verify = true;
                    case "--input", "--output", "--format", "--ip-column", "--tags-column", "--data" -> {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException(a + " needs a value");
                        }
                        String v = args[++i];
                        switch (a) {
                            case "--input" -> input = v;
                            case "--output" -> output = v;
                            case "--format" -> format = v.toLowerCase(Locale.ROOT);
                            case "--ip-column" -> ipColumn = v;
                            case "--tags-column" -> tagsColumn = v;
                            default -> data = Path.of(v);
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown argument \"" + a + "\"");
                }
            }
            if (input == null || output == null) {
                throw new IllegalArgumentException("--input and --output are required");
            }
            if (format == null) {
                format = input.toLowerCase(Locale.ROOT).endsWith(".csv") ? "csv" : "parquet";
            }
            if (!format.equals("csv") && !format.equals("parquet")) {
                throw new IllegalArgumentException("--format must be csv or parquet, got \"" + format + "\"");
            }
            return new Args(input, output, format, ipColumn, tagsColumn, data, strict, verify);
        }
    }

    public static void main(String[] argv) {
        Args args;
        try {
            args = Args.parse(argv);
        } catch (IllegalArgumentException e) {
            System.err.println("enrich-flows: " + e.getMessage());
            System.err.println("usage: EnrichFlowsJob --input PATH --output PATH [--format csv|parquet] "
                    + "[--ip-column dst_ip] [--tags-column dst_tags] [--data ServiceTags.json] [--strict] [--verify]");
            System.exit(2);
            return;
        }
        SparkSession spark = SparkSession.builder().appName("servicetags: enrich flows").getOrCreate();
        int exit;
        try {
            Summary s = run(spark, args, System.err);
            exit = s.mismatches() == 0 ? 0 : 1;
        } catch (IOException | RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            System.err.println("enrich-flows: " + root.getMessage());
            exit = 1;
        } finally {
            spark.stop();
        }
        System.exit(exit);
    }

    /** Runs the job in the given session; progress and the summary go to {@code log}. */
    public static Summary run(SparkSession spark, Args args, PrintStream log) throws IOException {
        ServiceTags st;
        if (args.data() == null) {
            st = ServiceTags.bundled();
            log.println("enrich-flows: no --data given, using the bundled snapshot (changeNumber " + st.changeNumber()
                    + "); service tags change weekly, pass a current ServiceTags_*.json");
        } else {
            st = ServiceTags.load(args.data());
        }
        long start = System.nanoTime();
        try (ServiceTagsSpark.Registration reg = ServiceTagsSpark.register(spark, st,
                ServiceTagsSpark.Options.builder().strict(args.strict()).build())) {
            log.println("enrich-flows: " + reg);
            Dataset<Row> flows = args.format().equals("csv")
                    ? spark.read().option("header", "true").csv(args.input())
                    : spark.read().parquet(args.input());
            if (!List.of(flows.columns()).contains(args.ipColumn())) {
                throw new IllegalArgumentException("the input has no column \"" + args.ipColumn() + "\"; it has "
                        + List.of(flows.columns()));
            }
            flows.withColumn(args.tagsColumn(), ServiceTagsSpark.serviceTags(functions.col(args.ipColumn())))
                    .write().mode(SaveMode.Overwrite).parquet(args.output());
            long invalid = reg.invalidInputs();
            Dataset<Row> written = spark.read().parquet(args.output());
            long rows = written.count();
            double seconds = (System.nanoTime() - start) / 1e9;
            log.printf(Locale.ROOT, "enrich-flows: %d rows written to %s in %.1f s, %d with an invalid %s (NULL %s)%n",
                    rows, args.output(), seconds, invalid, args.ipColumn(), args.tagsColumn());
            long verified = 0;
            long mismatches = 0;
            if (args.verify()) {
                Iterator<Row> it = written.select(args.ipColumn(), args.tagsColumn()).toLocalIterator();
                while (it.hasNext()) {
                    Row r = it.next();
                    List<String> expected = expected(st, r.isNullAt(0) ? null : r.getString(0));
                    List<String> actual = r.isNullAt(1) ? null : r.getList(1);
                    if (expected == null ? actual != null : !expected.equals(actual)) {
                        if (mismatches++ < 10) {
                            log.println("enrich-flows: MISMATCH for " + r.get(0) + ": " + actual + ", library says "
                                    + expected);
                        }
                    }
                    verified++;
                }
                log.printf(Locale.ROOT, "enrich-flows: verified %d rows against ServiceTags.lookup: %d mismatches%n",
                        verified, mismatches);
            }
            return new Summary(rows, invalid, verified, mismatches, st.changeNumber());
        }
    }

    private static List<String> expected(ServiceTags st, String ip) {
        if (ip == null) {
            return null;
        }
        TagSet set;
        try {
            set = st.lookup(ip);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return new ArrayList<>(set.names());
    }
}
