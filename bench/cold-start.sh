#!/usr/bin/env bash
# Time to first token from a cold JVM and resident memory, llama3j against llama.cpp's llama-simple,
# on the same Llama-3.2-1B-shaped GGUF (the model compare-llama-cpp.sh writes). Each run is a new
# process that loads the file, processes a short prompt and generates ONE token, so its wall time is
# an upper bound on the time to first token (it includes the process exit). The two engines alternate,
# round after round; medians are printed. Peak resident memory comes from GNU time (%M); the budget of
# issue #3 is file size + KV cache + 300 MB (the KV cache of a 1-token generation is a few MB).
# The file is in the page cache after the first round for both engines: "cold" means a new JVM,
# not a cold disk.
#
# Where a run's time goes: LLAMA3J_JAVA_OPTS=-Dllama3j.startupTrace=true ./llama3j generate ... prints each
# phase (JVM start, command line, GGUF header, model, tokenizer, prompt) with the main thread's CPU, and the
# CPU of every JVM thread (JIT compilers, GC, workers) at exit.
#
# Environment: TYPES (default "Q8_0 Q4_0"), ROUNDS (5), THREADS (2), BENCH_CACHE, LLAMA_CPP_BIN as in
# compare-llama-cpp.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TYPES=${TYPES:-"Q8_0 Q4_0"}
ROUNDS=${ROUNDS:-5}
THREADS=${THREADS:-2}
CACHE=${BENCH_CACHE:-$HOME/.cache/llama3j/bench}
BIN=${LLAMA_CPP_BIN:-$HOME/.cache/llama3j/oracle/llama.cpp/build/bin}
VOCAB="$ROOT/llama3j-core/src/test/resources/llama3/llama-cpp/ggml-vocab-llama-bpe.gguf"
SIMPLE="$BIN/llama-simple"
PROMPT="The capital of France is"
[ -x "$SIMPLE" ] || { echo "cold-start: no llama-simple at $SIMPLE (run scripts/oracle/setup-llama-cpp.sh)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "cold-start: needs GNU time (apt-get install time)" >&2; exit 2; }
mkdir -p "$CACHE"

model_for() {
  local f="$CACHE/llama3.2-1b-shape-$1.gguf"
  if [ ! -f "$f" ]; then
    echo "writing $f ..." >&2
    "$ROOT/llama3j" random-model --vocab "$VOCAB" --shape llama3.2-1b --type "$1" --out "$f.tmp" >&2
    mv "$f.tmp" "$f"
  fi
  echo "$f"
}

# one cold run: prints "seconds<TAB>peak RSS in MB"
measure() {
  local log; log=$(mktemp)
  /usr/bin/time -f "%e %M" -o "$log" "$@" >/dev/null 2>&1 || { echo "cold-start: failed: $*" >&2; cat "$log" >&2; exit 1; }
  awk '{printf "%s\t%.0f\n", $1, $2 / 1024}' "$log"
  rm -f "$log"
}

"$ROOT/llama3j" --version >/dev/null 2>&1 || true   # the launcher builds once here, not inside a timed run
LOAD_START="$(uptime)"
printf "type\tengine\tmedian s to first token\tmedian peak RSS MB\tfile MB\tbudget MB (file + 300)\n"
for type in $TYPES; do
  model=$(model_for "$type")
  file_mb=$(( $(stat -c %s "$model") / 1048576 ))
  j=(); c=()
  for round in $(seq 1 "$ROUNDS"); do
    j+=("$(measure "$ROOT/llama3j" generate -m "$model" -t "$THREADS" -p "$PROMPT" -n 1 --temperature 0)")
    c+=("$(measure "$SIMPLE" -m "$model" -n 1 "$PROMPT")")
  done
  for engine in llama3j llama.cpp; do
    if [ "$engine" = llama3j ]; then rows=("${j[@]}"); else rows=("${c[@]}"); fi
    printf '%s\n' "${rows[@]}" | python3 -c '
import sys, statistics
rows = [l.split("\t") for l in sys.stdin.read().split("\n") if l]
s = statistics.median(float(r[0]) for r in rows)
m = statistics.median(float(r[1]) for r in rows)
print("%s\t%s\t%.2f\t%.0f\t%s\t%s" % (sys.argv[1], sys.argv[2], s, m, sys.argv[3], int(sys.argv[3]) + 300))' "$type" "$engine" "$file_mb"
  done
done
echo "load at start: $LOAD_START" >&2
echo "load at end:   $(uptime)" >&2
