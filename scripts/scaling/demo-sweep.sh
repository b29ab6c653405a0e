#!/usr/bin/env bash
# The real scaling sweep on the demo corpus (llama3j-eval/README.md "Real sweep"), not part of `mvn verify`.
#   scripts/scaling/demo-sweep.sh WORKDIR [CLEAN_CORPUS.jsonl]
# CLEAN_CORPUS: the data pipeline's output of `llama3j build-default --workdir W` (W/clean/part-00000.jsonl);
# without it the default model is rebuilt first up to that stage (needs the npm client for the demo corpus).
# Steps: 512-rank BPE tokenizer (768 ids with Llama 3's specials), shards with 1% validation (the same
# documents as the default model's held-out text), the sweep of llama3j-eval/sweeps/demo-sweep.yaml, then the
# prediction at 4x the largest budget (8e10 FLOPs) with --verify. Wall time: see llama3j-eval/README.md.
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
work="${1:?usage: demo-sweep.sh WORKDIR [CLEAN_CORPUS.jsonl]}"
mkdir -p "$work"
clean="${2:-$work/default/clean/part-00000.jsonl}"
llama3j="$here/llama3j"
if [[ ! -f "$clean" ]]; then
  "$llama3j" build-default --workdir "$work/default" --steps 1
fi
[[ -f "$work/tokenizer.model" ]] || "$llama3j" train-tokenizer --input "$clean" --vocab-size 512 --out "$work/tokenizer.model"
[[ -d "$work/shards" ]] || "$llama3j" tokenize-corpus --input "$clean" --tokenizer "$work/tokenizer.model" \
    --val-fraction 0.01 --out "$work/shards"
cp "$here/llama3j-eval/sweeps/demo-sweep.yaml" "$here/llama3j-eval/sweeps/demo-sweep-small.yaml" \
   "$here/llama3j-eval/tasks/demo-cloze.jsonl" "$work/"
# 4 budgets x d4..d24, then d2 at the two smallest budgets (same out/, resumed by run name)
"$llama3j" scaling sweep --config "$work/demo-sweep.yaml"
"$llama3j" scaling sweep --config "$work/demo-sweep-small.yaml"
"$llama3j" scaling predict --sweep "$work/out/sweep-results.json" --budget 8.0e10 --verify
