package io.github.servicetags.spark;

import io.github.servicetags.ServiceTags;
import io.github.servicetags.TagSet;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;

/**
 * Rows per second per core: {@code service_tags} in Spark (local[1], one core) against a plain
 * {@code ServiceTags.lookup} loop over the same addresses, and against the same lookup written as an ordinary
 * row-converting Java UDF. Not a JMH benchmark: each figure is the best of several runs of a whole query, which is
 * what a Spark user sees, measured in CPU time (the loop thread's, and the sum of Spark's task CPU time), so that a
 * busy machine does not skew it. Run from the repository root (the script compiles and builds the class path):
 *
 * <pre>
 * spark/bin/throughput --data ../shared/servicetags/ServiceTags_Public_376.json --rows 2000000
 * </pre>
 */
public final class UdfThroughput {
    private static ServiceTags plain;

    private UdfThroughput() {}

    public static void main(String[] args) throws Exception {
        Path data = null;
        long rows = 2_000_000;
        int runs = 5;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--data" -> data = Path.of(args[i + 1]);
                case "--rows" -> rows = Long.parseLong(args[i + 1]);
                case "--runs" -> runs = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown argument \"" + args[i] + "\"");
            }
        }
        ServiceTags st = data == null ? ServiceTags.bundled() : ServiceTags.load(data);
        plain = st;
        Path csv = Files.createTempFile("servicetags-throughput", ".csv");
        GenerateFlows.write(st, rows, 1, csv);

        // 1. The plain loop, one thread, over the same text.
        List<String> ips = new ArrayList<>((int) rows);
        for (String line : Files.readAllLines(csv).subList(1, (int) rows + 1)) {
            String f = line.split(",", -1)[2];
            ips.add(f.isEmpty() ? null : f.equals("\"\"") ? "" : f);
        }
        long bestLoop = Long.MAX_VALUE;
        long sink = 0;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int r = 0; r < runs + 2; r++) {
            long t = threads.getCurrentThreadCpuTime();
            for (String ip : ips) {
                if (ip == null) {
                    continue;
                }
                try {
                    sink += st.lookup(ip).size();
                } catch (IllegalArgumentException e) {
                    sink--;
                }
            }
            bestLoop = Math.min(bestLoop, threads.getCurrentThreadCpuTime() - t);
        }

        // 2. Spark, one core, the addresses cached in memory so that the scan is not what is measured.
        SparkSession spark = SparkSession.builder().master("local[1]").appName("servicetags throughput")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "1")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        AtomicLong taskCpu = new AtomicLong();
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.taskMetrics() != null) {
                    taskCpu.addAndGet(end.taskMetrics().executorCpuTime()
                            + end.taskMetrics().executorDeserializeCpuTime());
                }
            }
        });
        try (var reg = ServiceTagsSpark.register(spark, st)) {
            Dataset<Row> flows = spark.read().option("header", "true").csv(csv.toString()).select("dst_ip")
                    .repartition(4).cache();
            flows.count();
            flows.createOrReplaceTempView("flows");
            spark.udf().register("st_java_udf", (UDF1<String, String[]>) UdfThroughput::javaUdf,
                    DataTypes.createArrayType(DataTypes.StringType));
            String[][] queries = {
                {"scan only: sum(length(dst_ip))", "SELECT sum(length(dst_ip)) FROM flows"},
                {"service_tags(dst_ip)", "SELECT sum(size(service_tags(dst_ip))) FROM flows"},
                {"service_tag_match(dst_ip, 'AzureCloud')",
                    "SELECT count_if(service_tag_match(dst_ip, 'AzureCloud')) FROM flows"},
                {"ordinary Java UDF (String in, String[] out)", "SELECT sum(size(st_java_udf(dst_ip))) FROM flows"},
            };
            System.out.printf(Locale.ROOT, "%d rows from %s (changeNumber %d), broadcast %d bytes%n", rows,
                    st.source(), st.changeNumber(), reg.broadcastBytes());
            System.out.println("| what | rows per CPU-second | CPU ns/row |");
            System.out.println("| --- | ---: | ---: |");
            row("plain `ServiceTags.lookup(String)` loop, 1 thread", rows, bestLoop);
            for (String[] q : queries) {
                long best = Long.MAX_VALUE;
                for (int r = 0; r < runs; r++) {
                    long t = taskCpu.get();
                    spark.sql(q[1]).collectAsList();
                    // Listener events arrive asynchronously: wait until the job's tasks are all counted.
                    spark.sparkContext().listenerBus().waitUntilEmpty();
                    best = Math.min(best, taskCpu.get() - t);
                }
                row("Spark local[1]: `" + q[0] + "`", rows, best);
            }
            // The plain loop again over the addresses only: what the loop costs without exceptions.
            List<String> valid = new ArrayList<>();
            for (String ip : ips) {
                try {
                    if (ip != null) {
                        st.lookup(ip);
                        valid.add(ip);
                    }
                } catch (IllegalArgumentException e) {
                    // not an address
                }
            }
            long bestValid = Long.MAX_VALUE;
            for (int r = 0; r < runs + 2; r++) {
                long t = threads.getCurrentThreadCpuTime();
                for (String ip : valid) {
                    sink += st.lookup(ip).size();
                }
                bestValid = Math.min(bestValid, threads.getCurrentThreadCpuTime() - t);
            }
            row("plain loop over the " + valid.size() + " valid addresses only", valid.size(), bestValid);
            if (sink == 42) {
                System.out.println();
            }
        } finally {
            spark.stop();
            Files.deleteIfExists(csv);
        }
    }

    private static String[] javaUdf(String ip) {
        if (ip == null) {
            return null;
        }
        try {
            TagSet s = plain.lookup(ip);
            return s.names().toArray(new String[0]);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void row(String what, long rows, long nanos) {
        System.out.printf(Locale.ROOT, "| %s | %,.0f | %.0f |%n", what, rows / (nanos / 1e9), (double) nanos / rows);
    }
}
