package io.github.servicetags.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.servicetags.RealData;
import io.github.servicetags.ServiceTag;
import io.github.servicetags.ServiceTags;
import io.github.servicetags.TagSet;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** The SQL functions in local[2] mode answer exactly like {@code ServiceTags.lookup}, row by row. */
class ServiceTagsSparkTest {
    static final List<String> FILES = RealData.FILES;
    private static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.IntegerType, false)
            .add("ip", DataTypes.StringType, true)
            .add("tag", DataTypes.StringType, true);
    private static final String UNKNOWN_TAG = "Sql.WestEuorpe";

    private final SparkSession spark = LocalSpark.get();

    /** Flow records drawn from the file, plus every kind of text that is not an address, NULLs, odd tag names. */
    private static List<Row> rows(ServiceTags st, int n, long seed) {
        FlowRecords flows = new FlowRecords(st, seed);
        SplittableRandom r = new SplittableRandom(seed);
        List<ServiceTag> tags = st.tags();
        List<Row> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String ip = i < FlowRecords.INVALID.length ? FlowRecords.INVALID[i] : flows.nextAddress();
            String tag;
            int k = r.nextInt(100);
            TagSet expected = lookupOrNull(st, ip);
            if (k < 50 && expected != null && !expected.isEmpty()) {
                tag = expected.tags().get(r.nextInt(expected.size())).name();
            } else if (k < 95) {
                tag = tags.get(r.nextInt(tags.size())).name();
            } else if (k < 98) {
                tag = UNKNOWN_TAG;
            } else {
                tag = null;
            }
            rows.add(RowFactory.create(i, ip, tag));
        }
        return rows;
    }

    private static TagSet lookupOrNull(ServiceTags st, String ip) {
        if (ip == null) {
            return null;
        }
        try {
            return st.lookup(ip);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @ParameterizedTest
    @FieldSource("FILES")
    void answersEqualLookupForEveryRowAcrossPartitions(String file) {
        ServiceTags st = RealData.load(file);
        List<Row> input = rows(st, 60_000, file.hashCode());
        long invalidRows = input.stream().filter(r -> r.get(1) != null && lookupOrNull(st, r.getString(1)) == null)
                .count();
        long unknownTagRows = input.stream()
                .filter(r -> lookupOrNull(st, r.getString(1)) != null && UNKNOWN_TAG.equals(r.get(2))).count();
        assertTrue(invalidRows > 100, "the sample has text that is not an address: " + invalidRows);

        try (var reg = ServiceTagsSpark.register(spark, st)) {
            Dataset<Row> df = spark.createDataFrame(input, SCHEMA).repartition(7);
            assertEquals(7, df.rdd().getNumPartitions());
            List<Row> out = df.selectExpr("id", "ip", "tag", "service_tags(ip) AS tags",
                    "service_tag_match(ip, tag) AS hit", "spark_partition_id() AS part").collectAsList();
            assertEquals(input.size(), out.size());
            long partitions = out.stream().map(r -> r.getInt(5)).distinct().count();
            assertEquals(7, partitions);
            for (Row row : out) {
                String ip = row.getString(1);
                String tag = row.getString(2);
                TagSet expected = lookupOrNull(st, ip);
                String where = "row " + row.getInt(0) + " ip " + ip + " tag " + tag;
                if (expected == null) {
                    assertTrue(row.isNullAt(3), where);
                    assertTrue(row.isNullAt(4), where);
                    continue;
                }
                assertEquals(new ArrayList<>(expected.names()), row.getList(3), where);
                if (tag == null) {
                    assertTrue(row.isNullAt(4), where);
                } else {
                    assertEquals(expected.contains(tag), row.getBoolean(4), where);
                }
            }
            // service_tags counts every invalid row; service_tag_match those with a tag (a NULL tag answers NULL first).
            long invalidWithTag = input.stream().filter(r -> r.get(1) != null && r.get(2) != null
                    && lookupOrNull(st, r.getString(1)) == null).count();
            assertEquals(invalidRows + invalidWithTag, reg.invalidInputs());
            assertEquals(unknownTagRows, reg.unknownTags());
            assertEquals(st.changeNumber(), reg.changeNumber());
        }
    }

    @Test
    void strictModeFailsTheJobQuotingTheInput() {
        ServiceTags st = ServiceTags.bundled();
        var strict = ServiceTagsSpark.Options.builder().strict(true).functionNames("st_strict", "st_strict_match")
                .build();
        try (var reg = ServiceTagsSpark.register(spark, st, strict)) {
            Dataset<Row> df = spark.createDataFrame(List.of(RowFactory.create(1, "20.38.98.1", "AzureCloud"),
                    RowFactory.create(2, null, "AzureCloud"), RowFactory.create(3, "010.1.1.1", "AzureCloud")), SCHEMA);
            // NULL is not an error, even in strict mode.
            assertNull(df.where("id = 2").selectExpr("st_strict(ip)").first().get(0));
            assertEquals(true, df.where("id = 1").select(reg.serviceTagMatch(functions.col("ip"), functions.col("tag")))
                    .first().get(0));
            Exception e = assertThrows(Exception.class, () -> df.selectExpr("st_strict(ip)").collectAsList());
            String message = messages(e);
            assertTrue(message.contains("st_strict: '010.1.1.1' has a leading zero"), message);
            assertTrue(message.contains("strict mode"), message);

            Exception unknown = assertThrows(Exception.class,
                    () -> df.where("id = 1").selectExpr("st_strict_match(ip, '" + UNKNOWN_TAG + "')").collectAsList());
            String m2 = messages(unknown);
            assertTrue(m2.contains(UNKNOWN_TAG) && m2.contains("Sql.WestEurope"), m2);
            assertEquals(0, reg.invalidInputs());
        }
    }

    @Test
    void lenientModeGivesNullAndCountsInvalidText() {
        try (var reg = ServiceTagsSpark.registerBundled(spark, ServiceTagsSpark.Options.defaults())) {
            List<Row> out = spark.sql("SELECT service_tags(ip) FROM VALUES ('20.38.98.1'), (NULL), ('010.1.1.1'), "
                    + "(''), ('::ffff:20.38.98.1') AS t(ip)").collectAsList();
            List<String> expected = new ArrayList<>(ServiceTags.bundled().lookup("20.38.98.1").names());
            assertEquals(expected, out.get(0).getList(0));
            assertTrue(out.get(1).isNullAt(0));
            assertTrue(out.get(2).isNullAt(0));
            assertTrue(out.get(3).isNullAt(0));
            assertEquals(expected, out.get(4).getList(0));
            assertEquals(2, reg.invalidInputs());
        }
    }

    @Test
    void datasetApiAndMatchFilter() {
        ServiceTags st = ServiceTags.bundled();
        try (var reg = ServiceTagsSpark.register(spark, st)) {
            Dataset<Row> df = spark.createDataFrame(rows(st, 5_000, 5), SCHEMA);
            long viaFilter = df.where(ServiceTagsSpark.serviceTagMatch(functions.col("ip"), "AzureCloud")).count();
            long expected = df.collectAsList().stream().map(r -> lookupOrNull(st, r.getString(1)))
                    .filter(s -> s != null && s.contains("AzureCloud")).count();
            assertEquals(expected, viaFilter);
            Row first = df.where("id = 100").select(ServiceTagsSpark.serviceTags(functions.col("ip"))).first();
            TagSet e = lookupOrNull(st, df.where("id = 100").first().getString(1));
            assertEquals(e == null ? null : new ArrayList<>(e.names()), first.isNullAt(0) ? null : first.getList(0));
            // Generated code calls the function's invoke(UTF8String) directly: no row-converting UDF in the plan.
            String plan = df.selectExpr("service_tags(ip)").queryExecution().executedPlan().toString();
            assertTrue(plan.contains("ServiceTagsFunction") && plan.contains(".invoke(ip"), plan);
            assertTrue(spark.sql("DESCRIBE FUNCTION service_tags").collectAsList().toString()
                    .contains("Azure service tag"));
        }
    }

    @Test
    void indexIsDecodedOncePerJvmAndSharedByAllTasks() {
        ServiceTags st = ServiceTags.bundled();
        ExecutorIndex.clear();
        int before = ExecutorIndex.decodes();
        try (var reg = ServiceTagsSpark.register(spark, st)) {
            Dataset<Row> df = spark.createDataFrame(rows(st, 20_000, 9), SCHEMA).repartition(8);
            df.selectExpr("service_tags(ip)").collectAsList();
            df.selectExpr("service_tag_match(ip, 'AzureCloud')").collectAsList();
            assertEquals(1, ExecutorIndex.decodes() - before, "decodes for two jobs of 8 tasks on 2 threads");
            // Registering the same data again broadcasts it again, but executors recognise it by its checksum.
            try (var again = ServiceTagsSpark.register(spark, st)) {
                assertEquals(reg.checksum(), again.checksum());
                df.selectExpr("service_tags(ip)").collectAsList();
            }
            assertEquals(1, ExecutorIndex.decodes() - before);
        }
    }

    @Test
    void rowsInTheSameIntervalShareOneAnswerObject() {
        ServiceTags st = ServiceTags.bundled();
        try (var reg = ServiceTagsSpark.register(spark, st)) {
            IndexPayload payload = BroadcastCodec.encode(st);
            var fn = new ServiceTagsFunction("service_tags", payload.sha256(),
                    org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(payload),
                    false, spark.sparkContext().longAccumulator());
            ArrayData a = fn.produceResult(new GenericInternalRow(new Object[] {UTF8String.fromString("20.38.98.1")}));
            ArrayData b = fn.produceResult(new GenericInternalRow(new Object[] {UTF8String.fromString("20.38.98.2")}));
            assertSame(a, b);
            assertEquals(st.lookup("20.38.98.1").size(), a.numElements());
        }
    }

    @Test
    void wrongArgumentCountIsAnAnalysisError() {
        try (var reg = ServiceTagsSpark.registerBundled(spark, ServiceTagsSpark.Options.defaults())) {
            Exception e = assertThrows(Exception.class, () -> spark.sql("SELECT service_tags('1.2.3.4', 'x')"));
            assertTrue(messages(e).contains("service_tags(ip) takes 1 argument, got 2"), messages(e));
        }
    }

    @Test
    void pythonFriendlyRegisterUsesTheBundledSnapshotForNull() throws Exception {
        try (var reg = ServiceTagsSpark.register(spark, (String) null, true)) {
            assertEquals(376, reg.changeNumber());
            assertEquals(true, spark.sql("SELECT service_tag_match('20.38.98.1', 'AzureCloud')").first().get(0));
            assertThrows(Exception.class, () -> spark.sql("SELECT service_tags(ip) FROM VALUES ('x') AS t(ip)")
                    .collectAsList());
        }
    }

    @Test
    void optionsRefuseBadNames() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ServiceTagsSpark.Options.builder().functionNames("tags; DROP", "m"));
        assertEquals("function name \"tags; DROP\" must match [A-Za-z_][A-Za-z0-9_]{0,63}", e.getMessage());
    }

    private static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            sb.append(c.getClass().getSimpleName()).append(": ").append(c.getMessage()).append('\n');
        }
        return sb.toString();
    }
}
