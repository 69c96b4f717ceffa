package io.github.servicetags.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.servicetags.RealData;
import io.github.servicetags.ServiceTags;
import io.github.servicetags.TagSet;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code EnrichFlowsJob} on a real Spark standalone cluster of separate JVMs on 127.0.0.1: a master, two workers
 * with one core each (each launches its own executor JVM), and the job submitted with {@code spark-submit} (the
 * {@code SparkSubmit} class) in client mode, from the shaded {@code servicetags-spark.jar} that {@code mvn package}
 * built. No Spark distribution: the processes run from the Spark jars Maven resolved, linked into a folder used as
 * {@code SPARK_HOME/jars} (where a worker takes its executors' class path from).
 *
 * <p>Checks every output row against {@link ServiceTags#lookup(String)} in this JVM, that the executors of both
 * workers ran tasks, and prints rows per executor CPU-second from the event log. Every process started here is
 * stopped in a {@code finally}, also when the test fails or times out, each within a bounded wait.
 */
class StandaloneClusterIT {
    private static final long ROWS = 60_000;
    private static final Duration START = Duration.ofMinutes(3);
    private static final Duration JOB = Duration.ofMinutes(10);

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void enrichFlowsJobOnAStandaloneClusterOfSeparateJvms() throws Exception {
        Path appJar = Path.of(System.getProperty("servicetags.sparkJar", "target/servicetags-spark.jar"));
        assertTrue(Files.isRegularFile(appJar), appJar + " is missing: the test runs after 'mvn package'");
        Path data = RealData.file("ServiceTags_Public_376.json");
        ServiceTags st = RealData.load("ServiceTags_Public_376.json");
        Path csv = dir.resolve("flows.csv");
        GenerateFlows.write(st, ROWS, 14, csv);
        // First the same job in local mode here, for the comparison (and so that the library classes this JVM
        // needs are loaded before the long cluster run).
        localModeFigure(csv, data);
        Path home = sparkHome();
        try {
            Process master = start("master", home, List.of("-Xmx256m"), "org.apache.spark.deploy.master.Master",
                    "--host", "127.0.0.1", "--port", "0", "--webui-port", "0");
            String url = awaitLog("master", master, Pattern.compile("Starting Spark master at (spark://\\S+)"))
                    .group(1);
            List<Process> workers = new ArrayList<>();
            for (int w = 1; w <= 2; w++) {
                Path work = Files.createDirectories(dir.resolve("worker-" + w));
                workers.add(start("worker-" + w, home, List.of("-Xmx256m"), "org.apache.spark.deploy.worker.Worker",
                        "--host", "127.0.0.1", "--port", "0", "--webui-port", "0", "--cores", "1",
                        "--memory", "1g", "--work-dir", work.toString(), url));
            }
            for (int w = 1; w <= 2; w++) {
                awaitLog("worker-" + w, workers.get(w - 1), Pattern.compile("Successfully registered with master"));
            }

            Path events = Files.createDirectories(dir.resolve("events"));
            Path out = dir.resolve("flows-tagged.parquet");
            String flags = String.join(" ", jvmFlags());
            List<String> submit = new ArrayList<>(List.of(
                    "--master", url, "--deploy-mode", "client",
                    "--class", "io.github.servicetags.spark.EnrichFlowsJob",
                    "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
                    "--conf", "spark.executor.extraJavaOptions=" + flags,
                    "--conf", "spark.executor.memory=512m", "--conf", "spark.executor.cores=1",
                    "--conf", "spark.cores.max=2",
                    // start only when both executors are there, so that both get tasks
                    "--conf", "spark.scheduler.minRegisteredResourcesRatio=1.0",
                    "--conf", "spark.scheduler.maxRegisteredResourcesWaitingTime=120s",
                    "--conf", "spark.sql.files.maxPartitionBytes=512k", // about 7 tasks
                    "--conf", "spark.ui.enabled=false",
                    "--conf", "spark.eventLog.enabled=true", "--conf", "spark.eventLog.compress=false",
                    "--conf", "spark.eventLog.dir=" + events.toUri(),
                    appJar.toAbsolutePath().toString(),
                    "--input", csv.toString(), "--output", out.toString(), "--data", data.toString()));
            Process job = start("spark-submit", home, List.of("-Xmx768m"), "org.apache.spark.deploy.SparkSubmit",
                    submit.toArray(new String[0]));
            if (!job.waitFor(JOB.toSeconds(), TimeUnit.SECONDS)) {
                fail("spark-submit did not finish within " + JOB + "\n" + tail("spark-submit"));
            }
            String log = Files.readString(logOf("spark-submit"));
            assertEquals(0, job.exitValue(), tail("spark-submit"));
            assertTrue(log.contains("enrich-flows: " + ROWS + " rows written"), log);

            // Every row again, here: the answers the cluster wrote equal the library's.
            List<Row> rows = LocalSpark.get().read().parquet(out.toString()).select("dst_ip", "dst_tags")
                    .collectAsList();
            assertEquals(ROWS, rows.size());
            long invalid = 0;
            for (Row r : rows) {
                String ip = r.isNullAt(0) ? null : r.getString(0);
                List<String> expected = null;
                if (ip != null) {
                    try {
                        TagSet t = st.lookup(ip);
                        expected = new ArrayList<>(t.names());
                    } catch (IllegalArgumentException e) {
                        invalid++;
                    }
                }
                List<String> actual = r.isNullAt(1) ? null : r.getList(1);
                assertEquals(expected, actual, "dst_ip " + ip);
            }
            assertTrue(invalid > 0, "the generated rows include text that is not an address");

            // Which executor ran on which worker, and what each ran (event log of the application).
            Map<String, String> workerOfExecutor = new HashMap<>();
            for (int w = 1; w <= 2; w++) {
                Matcher m = Pattern.compile("Asked to launch executor app-[\\w-]+/(\\d+)")
                        .matcher(Files.readString(logOf("worker-" + w)));
                while (m.find()) {
                    workerOfExecutor.put(m.group(1), "worker-" + w);
                }
            }
            Map<String, long[]> perExecutor = taskTotals(events); // executor id -> tasks, records, CPU ns
            Map<String, Long> tasksPerWorker = new TreeMap<>();
            long records = 0;
            long cpu = 0;
            for (var e : perExecutor.entrySet()) {
                String worker = workerOfExecutor.get(e.getKey());
                assertTrue(worker != null, "executor " + e.getKey() + " ran tasks but no worker launched it: "
                        + workerOfExecutor);
                tasksPerWorker.merge(worker, e.getValue()[0], Long::sum);
                records += e.getValue()[1];
                cpu += e.getValue()[2];
            }
            assertEquals(Map.of("worker-1", true, "worker-2", true), Map.of(
                    "worker-1", tasksPerWorker.getOrDefault("worker-1", 0L) > 0,
                    "worker-2", tasksPerWorker.getOrDefault("worker-2", 0L) > 0),
                    "tasks per worker " + tasksPerWorker + ", executors " + workerOfExecutor);
            assertEquals(ROWS, records, "rows written by the enrichment tasks");
            System.out.printf(Locale.ROOT, "standalone cluster: %d rows enriched by %d executors (tasks per worker %s)"
                    + " in %.2f executor CPU-seconds: %.0f rows per executor CPU-second%n", records,
                    perExecutor.size(), tasksPerWorker, cpu / 1e9, records / (cpu / 1e9));
        } catch (Throwable t) {
            for (String name : List.of("master", "worker-1", "worker-2", "spark-submit")) {
                System.err.println(tail(name));
            }
            throw t;
        } finally {
            stopAll();
        }
    }

    /** The same job on the same rows in local mode (this JVM), measured the same way: rows per task CPU-second. */
    private void localModeFigure(Path csv, Path data) throws Exception {
        SparkSession spark = LocalSpark.get();
        long[] sums = new long[2];
        SparkListener listener = new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.taskMetrics() != null && end.taskMetrics().outputMetrics().recordsWritten() > 0) {
                    synchronized (sums) {
                        sums[0] += end.taskMetrics().outputMetrics().recordsWritten();
                        sums[1] += end.taskMetrics().executorCpuTime();
                    }
                }
            }
        };
        spark.sparkContext().addSparkListener(listener);
        try {
            String conf = spark.conf().get("spark.sql.files.maxPartitionBytes");
            spark.conf().set("spark.sql.files.maxPartitionBytes", "512k");
            EnrichFlowsJob.run(spark, EnrichFlowsJob.Args.parse("--input", csv.toString(), "--output",
                    dir.resolve("local.parquet").toString(), "--data", data.toString()), System.out);
            spark.conf().set("spark.sql.files.maxPartitionBytes", conf);
            spark.sparkContext().listenerBus().waitUntilEmpty();
        } finally {
            spark.sparkContext().removeSparkListener(listener);
        }
        synchronized (sums) {
            System.out.printf(Locale.ROOT, "local[2], same job and rows: %d rows in %.2f task CPU-seconds: %.0f rows"
                    + " per CPU-second%n", sums[0], sums[1] / 1e9, sums[0] / (sums[1] / 1e9));
        }
    }

    /** Sums the enrichment tasks (those that wrote rows) per executor: {tasks, records written, CPU ns}. */
    private static Map<String, long[]> taskTotals(Path events) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, long[]> totals = new TreeMap<>();
        try (Stream<Path> files = Files.list(events)) {
            for (Path f : files.toList()) {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    JsonNode e = json.readTree(line);
                    if (!"SparkListenerTaskEnd".equals(e.path("Event").asText())) {
                        continue;
                    }
                    JsonNode info = e.path("Task Info");
                    JsonNode metrics = e.path("Task Metrics");
                    long written = metrics.path("Output Metrics").path("Records Written").asLong();
                    if (info.path("Failed").asBoolean() || written == 0) {
                        continue;
                    }
                    long[] t = totals.computeIfAbsent(info.path("Executor ID").asText(), k -> new long[3]);
                    t[0]++;
                    t[1] += written;
                    t[2] += metrics.path("Executor CPU Time").asLong();
                }
            }
        }
        return totals;
    }

    /**
     * SPARK_HOME with a jars folder of links to the Spark jars on this test's class path: not ours (the job brings
     * them in its jar, as on a real cluster), not JUnit's.
     */
    private Path sparkHome() throws IOException {
        Path home = dir.resolve("spark-home");
        Path jars = Files.createDirectories(home.resolve("jars"));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            String s = p.toString().replace('\\', '/');
            if (!s.endsWith(".jar") || s.contains("/io/github/servicetags/")
                    || p.getFileName().toString().startsWith("servicetags") || s.contains("/org/junit/")
                    || s.contains("/org/opentest4j/") || s.contains("/org/apiguardian/")
                    || s.contains("/surefire") || s.contains("/failsafe")) {
                continue;
            }
            Path link = jars.resolve(p.getFileName());
            if (!Files.exists(link)) {
                Files.createSymbolicLink(link, p.toAbsolutePath());
            }
        }
        return home;
    }

    private static List<String> jvmFlags() {
        String flags = System.getProperty("servicetags.sparkJvmFlags", "");
        List<String> list = new ArrayList<>();
        for (String f : flags.trim().split("\\s+")) {
            if (!f.isEmpty()) {
                list.add(f);
            }
        }
        return list;
    }

    private Process start(String name, Path home, List<String> jvm, String mainClass, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvm);
        cmd.addAll(jvmFlags());
        cmd.add("-cp");
        cmd.add(home.resolve("jars") + File.separator + "*");
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(logOf(name).toFile()).directory(dir.toFile());
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", home.toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("SPARK_LOG_DIR", dir.resolve("logs").toString());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.remove("SPARK_CONF_DIR");
        Process p = pb.start();
        started.add(p);
        return p;
    }

    private Path logOf(String name) {
        return dir.resolve(name + ".log");
    }

    /** Waits for a line of the process's log to match, or fails with the log when the process dies or time is up. */
    private Matcher awaitLog(String name, Process p, Pattern pattern) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START.toNanos();
        while (System.nanoTime() < deadline) {
            Path log = logOf(name);
            if (Files.exists(log)) {
                Matcher m = pattern.matcher(Files.readString(log, StandardCharsets.UTF_8));
                if (m.find()) {
                    return m;
                }
            }
            if (!p.isAlive()) {
                fail(name + " exited with " + p.exitValue() + " before '" + pattern + "'\n" + tail(name));
            }
            Thread.sleep(200);
        }
        fail(name + " did not log '" + pattern + "' within " + START + "\n" + tail(name));
        return null;
    }

    private String tail(String name) {
        try {
            Path log = logOf(name);
            if (!Files.exists(log)) {
                return "(" + name + ": no log)";
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "---- " + name + " (last 40 lines)\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops the submitted job, the workers (whose executors are their child processes) and the master: TERM to each
     * process and its descendants, at most 20 s of waiting, then KILL, and a last bounded wait.
     */
    private void stopAll() throws InterruptedException {
        List<ProcessHandle> all = new ArrayList<>();
        for (int i = started.size() - 1; i >= 0; i--) {
            ProcessHandle h = started.get(i).toHandle();
            h.descendants().forEach(all::add);
            all.add(h);
        }
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (ProcessHandle h : all) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                try {
                    h.onExit().get(left, TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    // killed below
                }
            }
        }
        for (ProcessHandle h : all) {
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        }
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                System.err.println("process " + h.pid() + " still alive after KILL");
            }
        }
        started.clear();
    }
}
