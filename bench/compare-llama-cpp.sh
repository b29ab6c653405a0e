#!/usr/bin/env bash
# Compares llama3j's prompt processing (pp) and text generation (tg) speed with llama.cpp's
# llama-bench on the same GGUF files: a Llama-3.2-1B-shaped model (dim 2048, 16 layers, 32 heads,
# 8 KV heads, FFN 8192, vocab 128256, tied) with seeded random weights, every matrix in the
# tested type. The two engines run alternately, round after round, so that a busy machine slows
# both alike; the table shows medians over rounds and the ratio llama3j / llama.cpp.
#
# Environment: TYPES (default "Q8_0 Q4_0"), THREADS ("1 2"), ROUNDS (3), PP (512), TG (128),
# BENCH_CACHE (~/.cache/llama3j/bench, where the models are written once: ~1.3 GB for Q8_0),
# LLAMA_CPP_BIN (scripts/oracle/setup-llama-cpp.sh's build: ~/.cache/llama3j/oracle/llama.cpp/build/bin).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TYPES=${TYPES:-"Q8_0 Q4_0"}
THREADS=${THREADS:-"1 2"}
ROUNDS=${ROUNDS:-3}
PP=${PP:-512}
TG=${TG:-128}
CACHE=${BENCH_CACHE:-$HOME/.cache/llama3j/bench}
BIN=${LLAMA_CPP_BIN:-$HOME/.cache/llama3j/oracle/llama.cpp/build/bin}
VOCAB="$ROOT/llama3j-core/src/test/resources/llama3/llama-cpp/ggml-vocab-llama-bpe.gguf"
LLAMA_BENCH="$BIN/llama-bench"
[ -x "$LLAMA_BENCH" ] || { echo "compare-llama-cpp: no llama-bench at $LLAMA_BENCH (run scripts/oracle/setup-llama-cpp.sh)" >&2; exit 2; }
mkdir -p "$CACHE"
RAW="$CACHE/raw-$(date +%Y%m%d-%H%M%S).tsv"
: > "$RAW"

model_for() {
  local type=$1 f="$CACHE/llama3.2-1b-shape-$1.gguf"
  if [ ! -f "$f" ]; then
    local need_gb=3
    local free_gb; free_gb=$(df -Pk "$CACHE" | awk 'NR==2 {print int($4/1048576)}')
    [ "$free_gb" -ge "$need_gb" ] || { echo "compare-llama-cpp: only ${free_gb} GB free in $CACHE" >&2; exit 2; }
    echo "writing $f ..." >&2
    "$ROOT/llama3j" random-model --vocab "$VOCAB" --shape llama3.2-1b --type "$type" --out "$f.tmp" >&2
    mv "$f.tmp" "$f"
  fi
  echo "$f"
}

# one llama-bench run: prints "pp<TAB>tg" tokens/s
run_llama_cpp() {
  "$LLAMA_BENCH" -m "$1" -t "$2" -p "$PP" -n "$TG" -r 1 -o json 2>/dev/null | python3 -c '
import json, sys
rows = json.load(sys.stdin)
pp = next(r["avg_ts"] for r in rows if r["n_prompt"] > 0 and r["n_gen"] == 0)
tg = next(r["avg_ts"] for r in rows if r["n_gen"] > 0 and r["n_prompt"] == 0)
print("%s\t%s" % (pp, tg))'
}

run_llama3j() {
  "$ROOT/llama3j" bench -m "$1" -t "$2" -p "$PP" -n "$TG" -r 1 --format json 2>/dev/null | python3 -c '
import json, sys
r = json.loads(sys.stdin.read().strip().splitlines()[-1])
print("%s\t%s" % (r["pp_tps"], r["tg_tps"]))'
}

for type in $TYPES; do
  model=$(model_for "$type")
  for t in $THREADS; do
    for round in $(seq 1 "$ROUNDS"); do
      IFS=$'\t' read -r cpp_pp cpp_tg < <(run_llama_cpp "$model" "$t")
      IFS=$'\t' read -r j_pp j_tg < <(run_llama3j "$model" "$t")
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$type" "$t" "$round" "$cpp_pp" "$cpp_tg" "$j_pp" "$j_tg" | tee -a "$RAW" >&2
    done
  done
done

python3 - "$RAW" "$PP" "$TG" <<'PY'
import sys, statistics
from collections import defaultdict
raw, pp, tg = sys.argv[1], sys.argv[2], sys.argv[3]
runs = defaultdict(list)
for line in open(raw):
    ty, t, _, cpp_pp, cpp_tg, j_pp, j_tg = line.split("\t")
    runs[(ty, int(t))].append(tuple(map(float, (cpp_pp, cpp_tg, j_pp, j_tg))))
print(f"| type | threads | test | llama.cpp t/s | llama3j t/s | ratio (median of per-round ratios) |")
print("|---|---|---|---|---|---|")
for (ty, t), rs in sorted(runs.items()):
    for name, ci, ji in ((f"pp{pp}", 0, 2), (f"tg{tg}", 1, 3)):
        c = statistics.median(r[ci] for r in rs)
        j = statistics.median(r[ji] for r in rs)
        ratio = statistics.median(r[ji] / r[ci] for r in rs if r[ci] > 0)
        print(f"| {ty} | {t} | {name} | {c:.2f} | {j:.2f} | {ratio:.2f} |")
print(f"\n({len(next(iter(runs.values())))} alternating rounds each; raw per-round numbers in {raw})")
PY
