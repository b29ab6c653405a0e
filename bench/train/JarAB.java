import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Kernel A/B of llama3j builds in one JVM: each jar (a llama3j-cli/target/llama3j.jar built from the
 * revision to compare) in its own class loader, the engines taking turns in rotating, mirrored order
 * each round, so a busy machine slows them alike. Measures, per engine, the thread CPU time of the
 * three training GEMMs of a linear layer (Linear.forward/backwardInput/backwardWeight, rows 1024,
 * in 128, out 384 and 4096, WorkerPool.serial()), the wall time of the same on a 2-thread pool, and
 * the thread CPU time of a prefill (-Dprefill=TOKENS, default 48) and 4 decode steps of MODEL.
 * Prints median/min/max.
 * Run with -Dllama3j.threads=1 so that inference runs on the measuring thread.
 *
 * Usage: java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Dllama3j.threads=1 \
 *          bench/train/JarAB.java MODEL.gguf ROUNDS NAME=JAR NAME=JAR...
 */
public final class JarAB {
    static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    static final class Engine {
        final String name;
        final Object serialPool, pool2, model;
        final Method fwd, bwdIn, bwdW, newState, forward;
        Engine(String name, String jar, Path modelPath) throws Exception {
            this.name = name;
            ClassLoader l = new URLClassLoader(new URL[] {Path.of(jar).toUri().toURL()}, ClassLoader.getPlatformClassLoader());
            Class<?> wp = l.loadClass("org.llama3j.train.layers.WorkerPool");
            serialPool = wp.getMethod("serial").invoke(null);
            pool2 = wp.getConstructor(int.class).newInstance(2);
            Class<?> lin = l.loadClass("org.llama3j.train.layers.Linear");
            Method f = null, bi = null, bw = null;
            for (Method m : lin.getMethods()) {
                switch (m.getName()) {
                    case "forward" -> f = m;
                    case "backwardInput" -> bi = m;
                    case "backwardWeight" -> bw = m;
                    default -> { }
                }
            }
            fwd = f; bwdIn = bi; bwdW = bw;
            Class<?> gf = l.loadClass("org.llama3j.format.gguf.GgufFile");
            Object file = l.loadClass("org.llama3j.format.gguf.GgufReader").getMethod("open", Path.class).invoke(null, modelPath);
            model = l.loadClass("org.llama3j.model.GgufModelLoader").getMethod("load", gf).invoke(null, file);
            newState = model.getClass().getMethod("newState", int.class);
            forward = model.getClass().getMethod("forward", newState.getReturnType(), int[].class, int.class, int.class);
        }

        void linear(Object pool, float[] x, float[] w, float[] y, float[] dy, float[] dx, float[] dw, int rows, int in, int out)
                throws Exception {
            fwd.invoke(null, pool, x, 0, w, 0, y, 0, rows, in, out);
            bwdIn.invoke(null, pool, dy, 0, w, 0, dx, 0, rows, in, out);
            bwdW.invoke(null, pool, dy, 0, x, 0, dw, 0, rows, in, out);
        }
    }

    static float[] rnd(int n, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextDouble(-1, 1);
        return a;
    }

    public static void main(String[] a) throws Exception {
        Engine[] e = new Engine[a.length - 2];
        for (int i = 2; i < a.length; i++) {
            String[] nj = a[i].split("=", 2);
            e[i - 2] = new Engine(nj[0], nj[1], Path.of(a[0]));
        }
        int rounds = Integer.parseInt(a[1]);
        int rows = 1024, in = 128;
        int[] outs = {384, 4096};
        Map<String, List<Double>> res = new TreeMap<>();
        for (int round = -1; round < rounds; round++) {   // round -1: warm-up, not recorded
            List<Engine> order = new ArrayList<>(Arrays.asList(e));
            java.util.Collections.rotate(order, Math.max(0, round));
            List<Engine> back = new ArrayList<>(order);
            java.util.Collections.reverse(back);
            order.addAll(back);
            for (Engine g : order) {
                for (int out : outs) {
                    float[] x = rnd(rows * in, 1), w = rnd(out * in, 2), y = new float[rows * out];
                    float[] dy = rnd(rows * out, 3), dx = new float[rows * in], dw = new float[out * in];
                    int reps = out == 384 ? 20 : 4;
                    double flop = 3 * 2.0 * rows * in * out * reps;
                    long c0 = MX.getCurrentThreadCpuTime();
                    for (int i = 0; i < reps; i++) g.linear(g.serialPool, x, w, y, dy, dx, dw, rows, in, out);
                    double cpu = (MX.getCurrentThreadCpuTime() - c0) / 1e9;
                    long t0 = System.nanoTime();
                    for (int i = 0; i < reps; i++) g.linear(g.pool2, x, w, y, dy, dx, dw, rows, in, out);
                    double wall = (System.nanoTime() - t0) / 1e9;
                    if (round >= 0) {
                        res.computeIfAbsent(g.name + " linear out=" + out + " 1 thread GFLOP/CPU-s", k -> new ArrayList<>()).add(flop / cpu / 1e9);
                        res.computeIfAbsent(g.name + " linear out=" + out + " 2 threads wall GFLOP/s", k -> new ArrayList<>()).add(flop / wall / 1e9);
                    }
                }
                int n = Integer.getInteger("prefill", 48);
                int[] toks = new int[n];
                for (int i = 0; i < n; i++) toks[i] = 1000 + 37 * i;
                Object s = g.newState.invoke(g.model, 128);
                long c0 = MX.getCurrentThreadCpuTime();
                g.forward.invoke(g.model, s, toks, n, n - 1);
                double cpu = (MX.getCurrentThreadCpuTime() - c0) / 1e9;
                long c1 = MX.getCurrentThreadCpuTime();
                for (int i = 0; i < 4; i++) g.forward.invoke(g.model, s, new int[] {500 + i}, 1, 0);
                double cpuTg = (MX.getCurrentThreadCpuTime() - c1) / 1e9;
                if (round >= 0) {
                    res.computeIfAbsent(g.name + " prefill " + n + " tokens/CPU-s", k -> new ArrayList<>()).add(n / cpu);
                    res.computeIfAbsent(g.name + " decode tokens/CPU-s", k -> new ArrayList<>()).add(4 / cpuTg);
                }
            }
            System.out.printf("round %d done, load %.2f%n", round, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
        for (var en : res.entrySet()) {
            List<Double> v = new ArrayList<>(en.getValue());
            v.sort(null);
            System.out.printf("%-48s median %8.2f  min %8.2f  max %8.2f  n %d%n", en.getKey(), v.get(v.size() / 2), v.get(0),
                    v.get(v.size() - 1), v.size());
        }
    }
}
