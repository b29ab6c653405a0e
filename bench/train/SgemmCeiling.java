import java.lang.management.ManagementFactory;
import org.llama3j.train.layers.Linear;
import org.llama3j.train.layers.WorkerPool;

/**
 * llama3j side of the sgemm ceiling in bench/train/throughput.sh: the training GEMM
 * ({@link Linear#forward}, y = x·Wᵀ) on N×N×N floats with a pool of THREADS threads, after a
 * warm-up. Prints one JSON line with the best wall GFLOP/s and the best GFLOP per CPU-second
 * (process CPU time, robust when other processes share the cores) over REPS calls.
 *
 * Usage: SgemmCeiling N THREADS REPS
 */
public final class SgemmCeiling {
    public static void main(String[] a) {
        int n = Integer.parseInt(a[0]), threads = Integer.parseInt(a[1]), reps = Integer.parseInt(a[2]);
        float[] x = new float[n * n], w = new float[n * n], y = new float[n * n];
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble(-1, 1);
            w[i] = (float) r.nextDouble(-1, 1);
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        double flop = 2.0 * n * n * n;
        double bestWall = Double.MAX_VALUE, bestCpu = Double.MAX_VALUE;
        try (WorkerPool pool = new WorkerPool(threads)) {
            for (int i = 0; i < reps + 3; i++) {
                long c0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                Linear.forward(pool, x, 0, w, 0, y, 0, n, n, n);
                double wall = (System.nanoTime() - t0) / 1e9;
                double cpu = (os.getProcessCpuTime() - c0) / 1e9;
                if (i >= 3) {
                    bestWall = Math.min(bestWall, wall);
                    bestCpu = Math.min(bestCpu, cpu);
                }
            }
        }
        System.out.printf("{\"engine\": \"llama3j\", \"n\": %d, \"threads\": %d, \"gflops\": %.1f, \"gflops_per_cpu_s\": %.1f}%n",
                n, threads, flop / bestWall / 1e9, flop / bestCpu / 1e9);
    }
}
