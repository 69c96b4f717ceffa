package io.github.servicetags.spark;

import io.github.servicetags.ServiceTags;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.analysis.FunctionRegistry;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.ExpressionInfo;
import org.apache.spark.sql.catalyst.expressions.V2ExpressionUtils;
import org.apache.spark.sql.functions;
import org.apache.spark.util.LongAccumulator;
import scala.collection.immutable.Seq;

/**
 * Azure service tags as Spark SQL functions. Registers, for one {@link SparkSession}:
 *
 * <ul>
 *   <li>{@code service_tags(ip STRING) -> ARRAY<STRING>}: every tag containing the address, sorted by
 *       {@link String#compareTo}, exactly {@code ServiceTags.lookup(ip).names()}; NULL for NULL; for text that is
 *       not an address, NULL and a count in {@link Registration#invalidInputs()} (or a failed job in strict mode);
 *   <li>{@code service_tag_match(ip STRING, tag STRING) -> BOOLEAN}: whether the tag contains the address.
 * </ul>
 *
 * <pre>{@code
 * var reg = ServiceTagsSpark.register(spark, ServiceTags.load(Path.of("ServiceTags_Public_376.json")));
 * spark.sql("SELECT dst_ip, service_tags(dst_ip) AS dst_tags FROM flows");
 * flows.withColumn("dst_tags", ServiceTagsSpark.serviceTags(col("dst_ip")));
 * flows.where("service_tag_match(dst_ip, 'Sql.WestEurope')");
 * reg.invalidInputs()      // rows whose address text was not an address, after an action has run
 * }</pre>
 *
 * <p>The index travels to the executors once, as a broadcast of its compact binary form, is decoded once per
 * executor JVM and is shared by every task and thread there. A row allocates nothing in the lookup: the answer array
 * of each distinct tag set is built once per JVM; IPv4 text is read straight from Spark's UTF-8 bytes. The functions
 * are built-in-style catalyst expressions, not row-converting UDFs.
 *
 * <p>Needs a classic (non-Connect) session: the functions are registered as temporary functions of the session, like
 * {@code spark.udf().register}. Registering again (for example with fresher data) replaces them.
 */
public final class ServiceTagsSpark {
    /** The default name of the lookup function. */
    public static final String SERVICE_TAGS = "service_tags";
    /** The default name of the match function. */
    public static final String SERVICE_TAG_MATCH = "service_tag_match";

    private ServiceTagsSpark() {}

    /** Registers the functions over the given index with default options (lenient: invalid text gives NULL). */
    public static Registration register(SparkSession spark, ServiceTags serviceTags) {
        return register(spark, serviceTags, Options.defaults());
    }

    /**
     * Registers the functions over the given index.
     *
     * @throws IllegalArgumentException if the session is a Spark Connect client
     */
    public static Registration register(SparkSession spark, ServiceTags serviceTags, Options options) {
        Objects.requireNonNull(spark, "spark");
        Objects.requireNonNull(serviceTags, "serviceTags");
        Objects.requireNonNull(options, "options");
        FunctionRegistry registry = functionRegistry(spark);
        IndexPayload payload = BroadcastCodec.encode(serviceTags);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<IndexPayload> broadcast = jsc.broadcast(payload);
        LongAccumulator invalid = spark.sparkContext().longAccumulator("servicetags.invalidInputs");
        LongAccumulator unknown = spark.sparkContext().longAccumulator("servicetags.unknownTags");

        ServiceTagsFunction tags = new ServiceTagsFunction(options.serviceTagsName(), payload.sha256(), broadcast,
                options.strict(), invalid);
        ServiceTagMatchFunction match = new ServiceTagMatchFunction(options.serviceTagMatchName(), payload.sha256(),
                broadcast, options.strict(), invalid, unknown);
        registry.registerFunction(new FunctionIdentifier(tags.name()),
                info(tags.name(), "_FUNC_(ip) - Returns the sorted names of every Azure service tag containing the "
                        + "address (IPv4 or IPv6 text); NULL for NULL or, unless strict, for text that is not an "
                        + "address. Data: " + payload),
                children -> build(tags, 1, "ip", children));
        registry.registerFunction(new FunctionIdentifier(match.name()),
                info(match.name(), "_FUNC_(ip, tag) - Returns true if the Azure service tag contains the address; "
                        + "NULL for NULL or, unless strict, for text that is not an address. Data: " + payload),
                children -> build(match, 2, "ip, tag", children));
        return new Registration(spark, registry, tags.name(), match.name(), broadcast, payload, invalid, unknown);
    }

    /** Loads a service-tags file on the driver and registers the functions over it; see {@link #register}. */
    public static Registration register(SparkSession spark, Path file, Options options) throws IOException {
        return register(spark, ServiceTags.load(file), options);
    }

    /**
     * Registers the functions over the snapshot bundled in the library (Public cloud, changeNumber 376). Service tags
     * change weekly: for anything that matters, register a current file.
     */
    public static Registration registerBundled(SparkSession spark, Options options) {
        return register(spark, ServiceTags.bundled(), options);
    }

    /**
     * Registers the functions over a service-tags file on the driver's file system, or over the bundled snapshot
     * when {@code file} is null: the call for PySpark, through py4j.
     *
     * <pre>{@code
     * # Python
     * spark._jvm.io.github.servicetags.spark.ServiceTagsSpark.register(
     *     spark._jsparkSession, "/dbfs/servicetags/ServiceTags_Public_376.json", False)
     * }</pre>
     */
    public static Registration register(SparkSession spark, String file, boolean strict) throws IOException {
        Options options = Options.builder().strict(strict).build();
        return file == null ? registerBundled(spark, options) : register(spark, Path.of(file), options);
    }

    /**
     * Returns {@code service_tags(ip)} as a column, for the Dataset API (registered under the default name; see
     * {@link Registration#serviceTags(Column)} for custom names).
     */
    public static Column serviceTags(Column ip) {
        return functions.call_function(SERVICE_TAGS, ip);
    }

    /** Returns {@code service_tag_match(ip, tag)} as a column, for the Dataset API. */
    public static Column serviceTagMatch(Column ip, String tag) {
        return functions.call_function(SERVICE_TAG_MATCH, ip, functions.lit(tag));
    }

    private static Expression build(IndexFunction<?> function, int arity, String arguments, Seq<Expression> children) {
        if (children.length() != arity) {
            throw new IllegalArgumentException(function.name() + "(" + arguments + ") takes " + arity
                    + (arity == 1 ? " argument" : " arguments") + ", got " + children.length());
        }
        // Spark's own resolution of a catalog ScalarFunction: an Invoke of the magic method (generated code calls
        // invoke(UTF8String) directly), or ApplyFunctionExpression over produceResult where there is none.
        return V2ExpressionUtils.resolveScalarFunction(function, children);
    }

    private static ExpressionInfo info(String name, String usage) {
        return new ExpressionInfo(ServiceTagsSpark.class.getName(), null, name, usage, "", "", "", "", "", "",
                "java_udf");
    }

    private static FunctionRegistry functionRegistry(SparkSession spark) {
        if (spark instanceof org.apache.spark.sql.classic.SparkSession classic) {
            return classic.sessionState().functionRegistry();
        }
        throw new IllegalArgumentException("ServiceTagsSpark needs a classic SparkSession to register functions, "
                + "got " + spark.getClass().getName() + " (a Spark Connect client cannot register Java functions)");
    }

    /**
     * Options of a registration: strict mode and the function names.
     *
     * <pre>{@code
     * ServiceTagsSpark.Options.builder().strict(true).build()
     * }</pre>
     */
    public static final class Options {
        private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
        private static final Options DEFAULTS = builder().build();

        private final boolean strict;
        private final String serviceTagsName;
        private final String serviceTagMatchName;

        private Options(Builder b) {
            this.strict = b.strict;
            this.serviceTagsName = b.serviceTagsName;
            this.serviceTagMatchName = b.serviceTagMatchName;
        }

        /** Lenient mode and the default names {@code service_tags} and {@code service_tag_match}. */
        public static Options defaults() {
            return DEFAULTS;
        }

        public static Builder builder() {
            return new Builder();
        }

        /** True if text that is not an address (and, for the match, an unknown tag name) fails the job. */
        public boolean strict() {
            return strict;
        }

        public String serviceTagsName() {
            return serviceTagsName;
        }

        public String serviceTagMatchName() {
            return serviceTagMatchName;
        }

        @Override
        public String toString() {
            return "Options[strict=" + strict + ", " + serviceTagsName + ", " + serviceTagMatchName + "]";
        }

        /** Builds {@link Options}. */
        public static final class Builder {
            private boolean strict;
            private String serviceTagsName = SERVICE_TAGS;
            private String serviceTagMatchName = SERVICE_TAG_MATCH;

            private Builder() {}

            /**
             * Strict mode: a row whose address text is not an address fails the job with a message quoting it, and
             * so does a tag name the data does not have (with the closest names). Default false: such a row gives
             * NULL ({@code service_tags}, {@code service_tag_match}) or false (unknown tag) and is counted.
             */
            public Builder strict(boolean strict) {
                this.strict = strict;
                return this;
            }

            /**
             * Registers the functions under other names, for example to keep two versions of the data side by side.
             *
             * @throws IllegalArgumentException quoting a name that is not a plain SQL identifier
             */
            public Builder functionNames(String serviceTags, String serviceTagMatch) {
                this.serviceTagsName = checkName(serviceTags);
                this.serviceTagMatchName = checkName(serviceTagMatch);
                if (serviceTags.equalsIgnoreCase(serviceTagMatch)) {
                    throw new IllegalArgumentException("the two functions need different names, got \"" + serviceTags
                            + "\" twice");
                }
                return this;
            }

            private static String checkName(String name) {
                if (name == null || !NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException("function name \"" + name
                            + "\" must match [A-Za-z_][A-Za-z0-9_]{0,63}");
                }
                return name;
            }

            public Options build() {
                return new Options(this);
            }
        }
    }

    /**
     * The result of a registration: counters and the broadcast. Closing it drops the functions and destroys the
     * broadcast.
     */
    public static final class Registration implements AutoCloseable {
        private final SparkSession spark;
        private final FunctionRegistry registry;
        private final String serviceTagsName;
        private final String serviceTagMatchName;
        private final Broadcast<IndexPayload> broadcast;
        private final IndexPayload payload;
        private final LongAccumulator invalidInputs;
        private final LongAccumulator unknownTags;

        Registration(SparkSession spark, FunctionRegistry registry, String serviceTagsName, String serviceTagMatchName,
                Broadcast<IndexPayload> broadcast, IndexPayload payload, LongAccumulator invalidInputs,
                LongAccumulator unknownTags) {
            this.spark = spark;
            this.registry = registry;
            this.serviceTagsName = serviceTagsName;
            this.serviceTagMatchName = serviceTagMatchName;
            this.broadcast = broadcast;
            this.payload = payload;
            this.invalidInputs = invalidInputs;
            this.unknownTags = unknownTags;
        }

        /**
         * Returns how many rows had address text that was not an address, over every action run so far. Like every
         * Spark accumulator updated in a transformation, a retried or recomputed task counts again.
         */
        public long invalidInputs() {
            return invalidInputs.value();
        }

        /** Returns how many rows of {@code service_tag_match} named a tag the data does not have. */
        public long unknownTags() {
            return unknownTags.value();
        }

        /** Returns the accumulator behind {@link #invalidInputs()} (shown in the Spark UI as servicetags.invalidInputs). */
        public LongAccumulator invalidInputsAccumulator() {
            return invalidInputs;
        }

        /** Returns this registration's {@code service_tags(ip)} as a column (also under custom names). */
        public Column serviceTags(Column ip) {
            return functions.call_function(serviceTagsName, ip);
        }

        /** Returns this registration's {@code service_tag_match(ip, tag)} as a column. */
        public Column serviceTagMatch(Column ip, Column tag) {
            return functions.call_function(serviceTagMatchName, ip, tag);
        }

        /** Returns the changeNumber of the registered data. */
        public long changeNumber() {
            return payload.changeNumber();
        }

        /** Returns the cloud of the registered data. */
        public String cloud() {
            return payload.cloud();
        }

        /** Returns the size of the broadcast payload in bytes. */
        public int broadcastBytes() {
            return payload.bytes().length;
        }

        /** Returns the SHA-256 of the broadcast payload, which names the index in every executor's cache. */
        public String checksum() {
            return payload.sha256();
        }

        /** Returns the session the functions were registered in. */
        public SparkSession session() {
            return spark;
        }

        /**
         * Drops the two functions and destroys the broadcast. Call it after the last action that uses them: a plan
         * built before still refers to the broadcast.
         */
        @Override
        public void close() {
            registry.dropFunction(new FunctionIdentifier(serviceTagsName));
            registry.dropFunction(new FunctionIdentifier(serviceTagMatchName));
            broadcast.destroy();
        }

        @Override
        public String toString() {
            return "ServiceTagsSpark[" + serviceTagsName + ", " + serviceTagMatchName + ": " + payload + "]";
        }
    }
}
