package org.llama3j.data.spark;

import java.lang.management.ManagementFactory;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.llama3j.data.exec.ExecutorConfig;
import org.llama3j.data.exec.ThroughputProbe;

/**
 * {@link ThroughputProbe} for the Spark executor, for {@code bench/data/throughput.sh}: each run starts a
 * {@code local[THREADS]} context (one per JVM at a time), times only {@link SparkExecutor#run}, then stops it, so
 * context start-up is excluded as JVM start is for the embedded executor.
 * <pre>java -cp ... org.llama3j.data.spark.SparkThroughputProbe PIPELINE.yaml ROUNDS THREADS...</pre>
 */
public final class SparkThroughputProbe {

    private SparkThroughputProbe() {
    }

    public static void main(String[] args) {
        if (args.length < 3) {
            System.err.println("usage: SparkThroughputProbe PIPELINE.yaml ROUNDS THREADS...");
            System.exit(2);
        }
        ThroughputProbe.measure("spark", args, (spec, threads) -> {
            ExecutorConfig cfg = ThroughputProbe.fresh(spec, threads);
            SparkConf conf = new SparkConf().setMaster("local[" + threads + "]").setAppName("llama3j-data-bench")
                    .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1");
            try (JavaSparkContext sc = new JavaSparkContext(conf)) {
                sc.setLogLevel("WARN");
                long cpu0 = ThroughputProbe.processCpuNanos();
                long serial0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                new SparkExecutor(sc, cfg).run(spec.pipeline(), spec.inputs());
                long t1 = System.nanoTime();
                long serial1 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                long cpu1 = ThroughputProbe.processCpuNanos();
                return new ThroughputProbe.Sample(threads, (t1 - t0) / 1e9, (cpu1 - cpu0) / 1e9,
                        (serial1 - serial0) / 1e9, 0, 0);
            }
        });
    }
}
