package org.llama3j.data.spark;

import java.io.PrintStream;
import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.llama3j.data.config.PipelineConfigParser;
import org.llama3j.data.config.PipelineSpec;
import org.llama3j.data.PipelineRunner;
import org.llama3j.data.exec.PipelineResult;
import org.llama3j.data.tokenize.TokenShardExport;
import org.llama3j.data.tokenize.TokenizeStep;

/**
 * Runs a pipeline YAML on Spark: {@code spark-submit --class org.llama3j.data.spark.SparkPipelineRunner JAR
 * pipeline.yaml}. The master comes from spark-submit ({@code --master}); without one it is {@code local[*]}.
 */
public final class SparkPipelineRunner {

    private SparkPipelineRunner() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: SparkPipelineRunner PIPELINE.yaml");
            System.exit(2);
        }
        SparkConf conf = new SparkConf().setAppName("llama3j-data " + args[0]).setIfMissing("spark.master", "local[*]");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            run(sc, Path.of(args[0]), System.out);
        }
    }

    /** Parses the pipeline file, runs it on {@code sc} and prints the stats table to {@code out} (null: silent). */
    public static PipelineResult run(JavaSparkContext sc, Path yaml, PrintStream out) {
        PipelineSpec spec = PipelineConfigParser.parse(yaml);
        TokenizeStep tokenize = TokenShardExport.find(spec.pipeline());
        PipelineResult result = new SparkExecutor(sc, spec.executor()).run(spec.pipeline(), spec.inputs());
        if (out != null) {
            out.print(result.table());
            out.printf("stats: %s%n", spec.executor().outputDir().resolve("stats.json"));
        }
        PipelineRunner.exportTokens(tokenize, result, spec.executor().outputDir(), out);
        return result;
    }
}
