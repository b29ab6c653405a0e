#!/usr/bin/env bash
# Generation inside rejection sampling / PPO: uncached (TinyGenerator) vs KV-cached (CachedGenerator),
# same model, prompts and seeds, rounds alternating the two; median tokens/s of each and the load.
# Runs with 1 thread, then 2 (the training WorkerPool both use).
# Usage: bench/posttrain/generator-speed.sh [DIM (64)] [LAYERS (3)] [CONTEXT (64)] [SAMPLES (8)] [MAX_NEW (12)] [PROMPTS (8)] [ROUNDS (5)]
# Defaults: the post-training demonstration's model and rejection-sampling settings (README).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
OUT="$(mktemp -d)"; trap 'rm -rf "$OUT"' EXIT
cd "$ROOT"
./mvnw -B -q -o -pl llama3j-posttrain -am compile dependency:build-classpath -Dmdep.outputFile="$OUT/cp.txt" >/dev/null 2>&1
CP="$ROOT/llama3j-posttrain/target/classes:$ROOT/llama3j-train/target/classes:$ROOT/llama3j-core/target/classes:$(cat "$OUT/cp.txt")"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
for threads in 1 2; do
  "$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$CP" \
    bench/posttrain/GeneratorSpeed.java "${1:-64}" "${2:-3}" "${3:-64}" "${4:-8}" "${5:-12}" "${6:-8}" "${7:-5}" "$threads" \
    2>/dev/null | tee -a "$OUT/rounds.jsonl"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$OUT/rounds.jsonl" <<'PY'
import json, statistics, sys
all_rows = [json.loads(l) for l in open(sys.argv[1])]
for t in sorted({r["threads"] for r in all_rows}):
    rows = [r for r in all_rows if r["threads"] == t and r["round"] > 0]   # round 0 is warm-up (JIT)
    u = statistics.median(r["uncachedTokPerS"] for r in rows)
    c = statistics.median(r["cachedTokPerS"] for r in rows)
    print(f"{t} thread(s), median over {len(rows)} rounds: uncached {u:.0f} tok/s, cached {c:.0f} tok/s, {c / u:.1f}x;"
          f" same replies every round: {all(r['sameTokens'] for r in rows)}")
PY
