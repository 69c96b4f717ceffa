package io.github.servicetags.spark;

import org.apache.spark.sql.SparkSession;

/** One local[2] session for the whole test JVM: starting Spark costs seconds, the suite runs on 2 cores. */
final class LocalSpark {
    private static SparkSession session;

    private LocalSpark() {}

    static synchronized SparkSession get() {
        if (session == null) {
            session = SparkSession.builder()
                    .master("local[2]")
                    .appName("servicetags-spark tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "4")
                    // Generated code that does not compile fails the test instead of falling back quietly.
                    .config("spark.sql.codegen.fallback", "false")
                    .config("spark.sql.codegen.factoryMode", "CODEGEN_ONLY")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .getOrCreate();
            Runtime.getRuntime().addShutdownHook(new Thread(session::stop, "stop-local-spark"));
        }
        return session;
    }
}
