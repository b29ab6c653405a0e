#!/usr/bin/env bash
# Training throughput, llama3j vs PyTorch, same model shape, batch and sequence length, in one run.
#   llama3j: the real Trainer (TrainThroughput.java, source launcher on the CLI jar), 2 data-parallel
#            worker threads, micro-batch B/2 × 2 accumulation steps.
#   PyTorch: Debian's torch 1.13 (/usr/bin/python3), torch.set_num_threads(1) and
#            OPENBLAS_NUM_THREADS=2 (libopenblas0-pthread), its best setting on this machine; one batch of B.
# Rounds alternate the two engines. Prints tokens/s (wall), tokens per CPU-second (robust when the
# machine is shared), their ratios, MFU and memory per token; records the load. The sgemm ceiling is
# measured in the same run (each round, N=2048, both engines' sgemm at 2 threads: OpenBLAS through
# torch.mm and llama3j's training GEMM; the higher of the two): MFU is best-step wall FLOP/s over the
# best wall sgemm, and FLOP per CPU-second over the best sgemm FLOP per CPU-second (load-robust).
#
# Usage: bench/train/throughput.sh [ROUNDS (2)] [TIMED_STEPS (6)]
# Shape: the default model's (dim 128, 4 layers, 4/2 heads, ffn 384, vocab 4096, tied), T 256, B 8.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
ROUNDS="${1:-2}"; TIMED="${2:-6}"
DIM=128 LAYERS=4 HEADS=4 KV=2 FFN=384 VOCAB=4096 SEQ=256 BATCH=8 WARM=3
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAR="$ROOT/llama3j-cli/target/llama3j.jar"
[ -f "$JAR" ] || (cd "$ROOT" && ./mvnw -q -B -pl llama3j-cli -am package -DskipTests)
OUT="$(mktemp -d)"; trap 'rm -rf "$OUT"' EXIT
llama3j() {
  "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xss4m -cp "$JAR" \
    "$ROOT/bench/train/TrainThroughput.java" $DIM $LAYERS $HEADS $KV $FFN $VOCAB $SEQ $((BATCH / 2)) 2 2 $WARM "$TIMED" "$1" \
    2>/dev/null | grep '^{'
}
ceiling() {
  "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -cp "$JAR" "$ROOT/bench/train/SgemmCeiling.java" 2048 2 6 \
    2>/dev/null | grep '^{'
  OPENBLAS_NUM_THREADS=2 OMP_NUM_THREADS=1 /usr/bin/python3 "$ROOT/bench/train/torch_sgemm.py" 2048 6
}
pytorch() {
  OPENBLAS_NUM_THREADS=2 OMP_NUM_THREADS=1 /usr/bin/python3 "$ROOT/bench/train/torch_train.py" \
    $DIM $LAYERS $HEADS $KV $FFN $VOCAB $SEQ $BATCH $WARM "$TIMED"
}
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
for r in $(seq 1 "$ROUNDS"); do
  llama3j false >> "$OUT/llama3j.jsonl"
  pytorch >> "$OUT/pytorch.jsonl"
  ceiling >> "$OUT/sgemm.jsonl"
  echo "round $r done, load $(cut -d' ' -f1-3 /proc/loadavg)"
done
llama3j true >> "$OUT/recompute.jsonl"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$OUT" $DIM $LAYERS $HEADS $KV $FFN $VOCAB $SEQ <<'PY'
import json, statistics, sys
out = sys.argv[1]
d, L, H, kvh, f, V, T = map(int, sys.argv[2:9])
kv = kvh * d // H
n_matmul = L * (2 * d * d + 2 * d * kv + 3 * d * f) + V * d   # tied head is a matmul too
flop_per_token = 6 * n_matmul + 12 * L * d * T                  # PaLM / nanoGPT estimate_mfu
read = lambda name: [json.loads(l) for l in open(f"{out}/{name}.jsonl")]
j, p, rc, sg = read("llama3j"), read("pytorch"), read("recompute"), read("sgemm")
for label, key in (("wall tokens/s", "tokens_per_s"), ("best-step tokens/s", "tokens_per_s_best"),
                   ("tokens per CPU-second", "tokens_per_cpu_s")):
    js, ps = [x[key] for x in j], [x[key] for x in p]
    ratios = [a / b for a, b in zip(js, ps)]
    print(f"{label:24s} llama3j {statistics.median(js):8.1f}  pytorch {statistics.median(ps):8.1f}  "
          f"ratio (median of rounds) {statistics.median(ratios):.2f}  rounds {['%.2f' % x for x in ratios]}")
best_j = max(x["tokens_per_s_best"] for x in j)
best_p = max(x["tokens_per_s_best"] for x in p)
print(f"model FLOPs/token {flop_per_token:,} (6N, N = {n_matmul:,} matmul params, + 12·L·d·T attention)")
for e in ("llama3j", "pytorch"):
    mine = [x for x in sg if x["engine"] == e]
    print(f"sgemm 2048^3, 2 threads, {e:8s} best wall {max(x['gflops'] for x in mine):6.1f} GFLOP/s, "
          f"best {max(x['gflops_per_cpu_s'] for x in mine):6.1f} GFLOP per CPU-second")
wall_ceiling = max(x["gflops"] for x in sg) * 1e9
cpu_ceiling = max(x["gflops_per_cpu_s"] for x in sg) * 1e9
cpu_j = statistics.median(x["tokens_per_cpu_s"] for x in j)
cpu_p = statistics.median(x["tokens_per_cpu_s"] for x in p)
print(f"MFU, best step vs best wall sgemm ({wall_ceiling / 1e9:.0f} GFLOP/s): llama3j {best_j * flop_per_token / wall_ceiling:.1%}, "
      f"pytorch {best_p * flop_per_token / wall_ceiling:.1%}")
print(f"MFU, per CPU-second vs sgemm per CPU-second ({cpu_ceiling / 1e9:.0f} GFLOP): llama3j {cpu_j * flop_per_token / cpu_ceiling:.1%}, "
      f"pytorch {cpu_p * flop_per_token / cpu_ceiling:.1%}")
print(f"memory per token: llama3j activations {j[0]['activation_bytes_per_token']:,} B "
      f"({rc[0]['activation_bytes_per_token']:,} B with recompute); pytorch peak RSS growth "
      f"{statistics.median(x['peak_rss_growth_bytes_per_token'] for x in p):,.0f} B (autograd graph, logits, allocator)")
print(f"recompute: tokens per CPU-second {rc[0]['tokens_per_cpu_s']:.1f} vs {statistics.median(x['tokens_per_cpu_s'] for x in j):.1f} "
      f"without ({rc[0]['tokens_per_cpu_s'] / statistics.median(x['tokens_per_cpu_s'] for x in j) - 1:+.0%})")
PY
