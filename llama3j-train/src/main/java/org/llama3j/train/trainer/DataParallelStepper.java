package org.llama3j.train.trainer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.llama3j.train.data.PackedBatch;
import org.llama3j.train.layers.WorkerPool;
import org.llama3j.train.model.LlamaParameters;
import org.llama3j.train.model.LlamaTrainingModel;

/**
 * Data parallelism across cores: one worker per thread, each with its own activations and
 * gradient array over the shared weights ({@link LlamaParameters#replica()}). Micro-batch
 * {@code j} of a step goes to worker {@code j mod W}, which accumulates its micro-batches in order;
 * the master gradient is then the sum of the workers' gradients in worker order 0…W−1, element by
 * element. The result therefore depends only on the data, the seed and the worker count.
 */
final class DataParallelStepper implements AutoCloseable {

    private final LlamaParameters master;
    private final LlamaParameters[] replicas;
    private final LlamaTrainingModel[] models;
    private final ExecutorService executor;
    private final WorkerPool reducePool;

    DataParallelStepper(LlamaParameters master, int workers, boolean recompute) {
        this.master = master;
        this.replicas = new LlamaParameters[workers];
        this.models = new LlamaTrainingModel[workers];
        for (int w = 0; w < workers; w++) {
            replicas[w] = master.replica();
            models[w] = new LlamaTrainingModel(replicas[w], WorkerPool.serial(),
                    LlamaTrainingModel.DEFAULT_VOCAB_CHUNK, recompute);
        }
        this.executor = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "llama3j-train-worker");
            t.setDaemon(true);
            return t;
        });
        this.reducePool = new WorkerPool(workers);
    }

    WorkerPool pool() {
        return reducePool;
    }

    /** Forward and backward over the micro-batches; master grads = gradient of the mean loss. Returns the mean loss. */
    float accumulate(List<PackedBatch> micro) {
        float[] losses = run(micro, true);
        float[] g = master.grads();
        reducePool.forRange(g.length, 4096, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                float s = 0f;
                for (LlamaParameters r : replicas) {
                    s += r.grads()[i];
                }
                g[i] = s;
            }
        });
        return mean(losses);
    }

    /** Mean forward loss over the micro-batches, no gradients. */
    float evaluate(List<PackedBatch> micro) {
        return mean(run(micro, false));
    }

    private static float mean(float[] losses) {
        double s = 0;
        for (float l : losses) {
            s += l;
        }
        return (float) (s / losses.length);
    }

    private float[] run(List<PackedBatch> micro, boolean backward) {
        int workers = models.length;
        float[] losses = new float[micro.size()];
        float scale = 1f / micro.size();
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int worker = w;
            futures.add(executor.submit(() -> {
                LlamaParameters p = replicas[worker];
                if (backward) {
                    p.zeroGrads();
                }
                for (int j = worker; j < micro.size(); j += workers) {
                    PackedBatch b = micro.get(j);
                    losses[j] = backward
                            ? models[worker].forwardBackward(b.tokens(), b.targets(), b.docIds(), b.batch(), b.seqLen(), scale)
                            : models[worker].forward(b.tokens(), b.targets(), b.docIds(), b.batch(), b.seqLen());
                }
            }));
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a training worker", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException("training worker failed", e.getCause());
            }
        }
        return losses;
    }

    @Override
    public void close() {
        executor.shutdownNow();
        reducePool.close();
    }
}
