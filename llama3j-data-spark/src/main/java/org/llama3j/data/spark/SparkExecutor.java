package org.llama3j.data.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.llama3j.data.DataPipelineException;
import org.llama3j.data.Document;
import org.llama3j.data.exec.AtomicFiles;
import org.llama3j.data.exec.ExecutorConfig;
import org.llama3j.data.exec.Pipeline;
import org.llama3j.data.exec.PipelineResult;
import org.llama3j.data.exec.Stage;
import org.llama3j.data.io.Json;
import org.llama3j.data.step.StepStats;

/**
 * Runs a {@link Pipeline} on Apache Spark with the same step objects, stage cut, document keys, file layout and
 * stats as {@link org.llama3j.data.exec.EmbeddedExecutor}: one Spark partition per input file; each stage is a
 * {@code mapPartitions} over the previous stage's kept documents (cached), headed by its global step planned by
 * {@link GlobalPlan}. Per-step counts travel as one small record per partition; removal logs, quarantine and
 * output shards are written by the partitions into {@code outputDir}, which must be a filesystem all workers
 * share (local disk for {@code local[*]}, NFS or similar on a cluster). Spark's own task retry replaces the
 * embedded executor's completion markers: a re-run starts over.
 */
public final class SparkExecutor {

    private final JavaSparkContext spark;
    private final ExecutorConfig config;

    public SparkExecutor(JavaSparkContext spark, ExecutorConfig config) {
        this.spark = spark;
        this.config = config;
    }

    public PipelineResult run(Pipeline pipeline, List<Path> inputs) {
        if (inputs.isEmpty()) {
            throw new DataPipelineException("no input files to process");
        }
        for (Path p : inputs) {
            if (!Files.isRegularFile(p)) {
                throw new DataPipelineException("input file " + p + " does not exist or is not a file");
            }
        }
        try {
            Files.createDirectories(config.outputDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + config.outputDir(), e);
        }
        int tasks = inputs.size();
        List<String> paths = inputs.stream().map(Path::toString).toList();
        String outDir = config.outputDir().toAbsolutePath().toString();
        List<Stage> stages = Stage.plan(pipeline.steps(), pipeline.labels());
        Map<String, StepStats> merged = new LinkedHashMap<>();
        JavaRDD<Document> kept = null;
        JavaRDD<StageRecord> previous = null;
        StagePartition lastStage = null;
        for (Stage stage : stages) {
            boolean last = stage.index() == stages.size() - 1;
            StagePartition part = new StagePartition(stage, last, pipeline.reader(), paths, outDir,
                    config.outputCompression(), config.outputFormat());
            JavaRDD<StageRecord> out;
            if (stage.head() == null) {
                out = spark.parallelize(IntStream.range(0, tasks).boxed().toList(), tasks)
                        .mapPartitions(ignored -> part.run(GlobalPlan.task(), null, null));
            } else {
                out = GlobalPlan.of(stage.head(), kept).run(kept, part);
            }
            out = out.persist(StorageLevel.MEMORY_AND_DISK());
            List<StageRecord> counts = out.filter(r -> r instanceof StageRecord.Counts).collect();
            if (counts.size() != tasks) {
                throw new DataPipelineException("stage " + stage.index() + " reported " + counts.size()
                        + " task counts for " + tasks + " tasks");
            }
            for (StageRecord r : counts) {
                ((StageRecord.Counts) r).stats().forEach(s -> merged.merge(s.step(), s, StepStats::plus));
            }
            if (previous != null) {
                previous.unpersist(false);
            }
            previous = out;
            kept = out.filter(r -> r instanceof StageRecord.Kept).map(r -> ((StageRecord.Kept) r).doc());
            lastStage = part;
        }
        previous.unpersist(false);
        List<StepStats> stats = new ArrayList<>(merged.values());
        writeStatsJson(stats);
        StagePartition finalStage = lastStage;
        List<Path> outputs = IntStream.range(0, tasks).mapToObj(finalStage::finalOutput).toList();
        return new PipelineResult(stats, outputs, stages.size() * tasks, 0);
    }

    private void writeStatsJson(List<StepStats> stats) {
        try {
            AtomicFiles.writeString(config.outputDir().resolve("stats.json"),
                    Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(stats));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write stats.json", e);
        }
    }
}
