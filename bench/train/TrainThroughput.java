import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.llama3j.train.data.ShardSet;
import org.llama3j.train.data.ShardWriter;
import org.llama3j.train.model.LlamaTrainingModel;
import org.llama3j.train.trainer.RunSettings;
import org.llama3j.train.trainer.Trainer;
import org.llama3j.train.trainer.TrainerConfigLoader;
import org.llama3j.train.trainer.TrainerHooks;

/**
 * llama3j side of bench/train/throughput.sh (run with the source launcher against the CLI jar):
 * the real {@link Trainer} (data-parallel workers, clipping, AdamW, packed batches with document
 * masks) on a shard of random tokens in documents of random length. Step time = time between
 * successive steps' loss observations, over the timed steps after the warm-up ones. Prints one
 * JSON line.
 *
 * Usage: TrainThroughput DIM LAYERS HEADS KV_HEADS FFN VOCAB SEQ MICRO_BATCH ACCUM THREADS WARMUP TIMED RECOMPUTE
 */
public final class TrainThroughput {
    public static void main(String[] a) throws Exception {
        int dim = Integer.parseInt(a[0]), layers = Integer.parseInt(a[1]), heads = Integer.parseInt(a[2]);
        int kvHeads = Integer.parseInt(a[3]), ffn = Integer.parseInt(a[4]), vocab = Integer.parseInt(a[5]);
        int seq = Integer.parseInt(a[6]), micro = Integer.parseInt(a[7]), accum = Integer.parseInt(a[8]);
        int threads = Integer.parseInt(a[9]), warm = Integer.parseInt(a[10]), timed = Integer.parseInt(a[11]);
        boolean recompute = Boolean.parseBoolean(a[12]);
        int steps = warm + timed + 1;
        Path dir = Files.createTempDirectory("llama3j-train-bench");
        Path shards = Files.createDirectories(dir.resolve("shards"));
        SplittableRandom r = new SplittableRandom(1);
        long need = (long) steps * seq * micro * accum + seq + 1;
        try (ShardWriter w = new ShardWriter(shards.resolve(ShardSet.fileName("train", 0)), vocab)) {
            long written = 0;
            while (written < need) {
                int[] doc = new int[32 + r.nextInt(480)];
                for (int i = 0; i < doc.length; i++) {
                    doc[i] = r.nextInt(vocab);
                }
                w.addDocument(doc);
                written += doc.length;
            }
        }
        String yaml = """
                model: {dim: %d, layers: %d, heads: %d, kvHeads: %d, ffnDim: %d, tiedEmbeddings: true}
                data: {dir: shards, seqLen: %d}
                batch: {microBatch: %d, gradAccumulation: %d}
                threads: %d
                optimizer: {lr: 1.0e-3, warmupSteps: 1}
                steps: %d
                checkpoint: {every: 0, keep: 1}
                recompute: %b
                out: run
                """.formatted(dim, layers, heads, kvHeads, ffn, seq, micro, accum, threads, steps, recompute);
        RunSettings s = TrainerConfigLoader.parse(yaml, dir, "bench.yaml");
        List<Long> stamps = new ArrayList<>();
        List<Long> cpuStamps = new ArrayList<>();
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        TrainerHooks hooks = new TrainerHooks() {
            @Override
            public float observeLoss(long batch, float loss) {
                stamps.add(System.nanoTime());
                cpuStamps.add(os.getProcessCpuTime());
                return loss;
            }
        };
        System.setProperty("java.awt.headless", "true");
        try (Trainer t = new Trainer(s, hooks, new PrintStream(OutputStream.nullOutputStream()))) {
            t.run(false, steps);
        }
        double total = (stamps.get(warm + timed) - stamps.get(warm)) / 1e9;
        double best = Double.MAX_VALUE;
        for (int i = warm; i < warm + timed; i++) {
            best = Math.min(best, (stamps.get(i + 1) - stamps.get(i)) / 1e9);
        }
        int tokens = seq * micro * accum;
        double cpuSeconds = (cpuStamps.get(warm + timed) - cpuStamps.get(warm)) / 1e9;
        var shape = s.shape(vocab);
        long actBytes = 4 * LlamaTrainingModel.activationFloatsPerToken(shape, recompute);
        System.out.printf("{\"engine\": \"llama3j\", \"threads\": %d, \"recompute\": %b, \"tokens_per_step\": %d, "
                        + "\"steps\": %d, \"seconds\": %.4f, \"tokens_per_s\": %.1f, \"step_s_min\": %.4f, "
                        + "\"tokens_per_s_best\": %.1f, \"cpu_seconds\": %.3f, \"tokens_per_cpu_s\": %.1f, "
                        + "\"activation_bytes_per_token\": %d}%n",
                threads, recompute, tokens, timed, total, timed * tokens / total, best, tokens / best, cpuSeconds,
                timed * tokens / cpuSeconds, actBytes);
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
