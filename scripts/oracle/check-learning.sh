#!/usr/bin/env bash
# Learning proof of the pretraining engine (issue #4), on the bundled default model's pretrained base
# (models/llama3j-default-base.gguf: llama3j-train trained it on a real English corpus; MODEL_CARD.md;
# the shipped default model is that base after chat fine-tuning, also checkable: pass it as MODEL):
#   1. the unigram entropy H of the held-out text's tokens (the plug-in entropy of the held-out
#      tokens themselves: no unigram model, even one fitted on the held-out text, does better);
#   2. the model's loss on the same text, ln(perplexity), must be well below H (by >= 0.5 nats);
#   3. the perplexity of llama3j (`llama3j perplexity`) and of llama.cpp (`llama-perplexity`, f32 KV
#      cache, no flash attention, same --ctx and batch) must agree within 0.1%.
# Prints every number. Needs: JDK 25, the llama.cpp oracle (setup-llama-cpp.sh), python3.
# Usage: scripts/oracle/check-learning.sh [MODEL.gguf HELDOUT.txt CTX]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=env.sh
. "$here/env.sh"
model="${1:-$root/models/llama3j-default-base.gguf}"
text="${2:-$root/models/llama3j-default-heldout.txt}"
ctx="${3:-256}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
jar="$root/llama3j-cli/target/llama3j.jar"
if [ ! -f "$jar" ]; then
  (cd "$root" && ./mvnw -B -q -pl llama3j-cli -am package -DskipTests)
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# stderr kept in a file and shown when a step gives no number (a CI run once failed here with nothing to go on)
llama3j() {
  "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xss4m \
    -jar "$jar" "$@" 2>>"$tmp/llama3j.err"
}

llama3j tokenize -m "$model" --file "$text" > "$tmp/ids.json"
llama3j perplexity -m "$model" -f "$text" --ctx "$ctx" -t 2 > "$tmp/ours.out"
ours=$(sed -n 's/^perplexity: //p' "$tmp/ours.out")
if [ -z "$ours" ]; then
  echo "check-learning: llama3j perplexity printed no perplexity; its output and stderr:" >&2
  cat "$tmp/ours.out" "$tmp/llama3j.err" >&2
  exit 1
fi
"$LLAMA_CPP_BIN/llama-perplexity" -m "$model" -f "$text" -c "$ctx" -b "$ctx" -ctk f32 -ctv f32 -fa off -t 2 \
  > "$tmp/llama.log" 2>&1 || { cat "$tmp/llama.log" >&2; exit 1; }
theirs=$(sed -n 's/.*Final estimate: PPL = \([0-9.]*\).*/\1/p' "$tmp/llama.log")
if [ -z "$theirs" ]; then
  echo "check-learning: llama-perplexity printed no final estimate; its log:" >&2
  cat "$tmp/llama.log" >&2
  exit 1
fi

python3 - "$tmp/ids.json" "$ours" "$theirs" "$model" "$ctx" <<'PY'
import collections, json, math, sys
ids = json.load(open(sys.argv[1]))
ours, theirs, model, ctx = float(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5]
n = len(ids)
counts = collections.Counter(ids)
h = -sum(c / n * math.log(c / n) for c in counts.values())
loss = math.log(ours)
rel = abs(ours - theirs) / theirs
print(f"model {model}, ctx {ctx}")
print(f"held-out tokens {n}, distinct {len(counts)}")
print(f"unigram entropy of the held-out tokens: {h:.4f} nats (perplexity {math.exp(h):.2f})")
print(f"model loss on the held-out text:        {loss:.4f} nats (perplexity {ours:.6f}), {h - loss:.4f} nats below")
print(f"llama3j perplexity {ours:.6f}, llama.cpp llama-perplexity {theirs:.4f}: relative difference {rel:.2e}")
bad = []
if h - loss < 0.5:
    bad.append("the model is not well below the unigram entropy (< 0.5 nats)")
if rel > 1e-3:
    bad.append("llama3j and llama.cpp perplexities differ by more than 0.1%")
if bad:
    print("FAIL:", "; ".join(bad), file=sys.stderr)
    sys.exit(1)
print("learning proof: PASS")
PY
