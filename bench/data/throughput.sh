#!/usr/bin/env bash
# Data pipeline throughput of the embedded executor: a seeded synthetic corpus (prose with duplicates and junk) through
# the filters + dedup + language ID, at 1 and 2 threads. Prints documents/s and input MB/s per run.
#   bench/data/throughput.sh [DOCS_PER_SHARD (default 5000)] [SHARDS (default 4)]
#   CHAIN=heuristic bench/data/throughput.sh   # only the heuristic filters (Gopher quality/repetition, C4, FineWeb)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DOCS="${1:-5000}"; SHARDS="${2:-4}"
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
python3 - "$WORK/in" "$DOCS" "$SHARDS" <<'PY'
import json, os, random, sys
out, docs, shards = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(out)
r = random.Random(1)
vocab = ("the of and to in that with for river mountain village library garden teacher student market history "
         "science summer winter morning evening window kitchen bridge harbor journey lantern orchard meadow").split()
seen = []
for s in range(shards):
    with open(f"{out}/shard-{s:02d}.jsonl", "w") as f:
        for i in range(docs):
            if i % 10 == 3:
                text = "short junk"
            elif i % 10 == 7 and seen:
                text = r.choice(seen)
            else:
                text = "\n".join(" ".join(r.choice(vocab) for _ in range(12)).capitalize() + "." for _ in range(30))
                if len(seen) < 1000:
                    seen.append(text)
            f.write(json.dumps({"id": f"{s}-{i}", "text": text, "url": f"https://e{i % 500}.example/{s}/{i}"}) + "\n")
PY
BYTES=$(cat "$WORK"/in/*.jsonl | wc -c)
if [ "${CHAIN:-full}" = heuristic ]; then
  STEPS="  - type: gopher_quality
  - type: gopher_repetition
  - type: c4_quality
  - type: fineweb_quality"
else
  STEPS="  - type: gopher_quality
  - type: gopher_repetition
  - type: c4_quality
  - type: language_id
  - type: url_dedup
  - type: exact_dedup
  - type: minhash_dedup"
fi
for T in 1 2; do
  cat > "$WORK/p$T.yaml" <<YAML
input: {paths: [in/*.jsonl]}
output: out$T
threads: $T
steps:
$STEPS
YAML
  "$ROOT/llama3j" data run "$WORK/p$T.yaml" >/dev/null 2>&1 || true   # warm-up build / JIT of the launcher
  rm -rf "$WORK/out$T"
  START=$(date +%s.%N)
  "$ROOT/llama3j" data run "$WORK/p$T.yaml" > "$WORK/log$T"
  END=$(date +%s.%N)
  python3 -c "import sys; d=$DOCS*$SHARDS; t=$END-$START; print(f'threads={$T}: {d} docs, {$BYTES/1e6:.1f} MB in {t:.2f} s: {d/t:,.0f} docs/s, {$BYTES/1e6/t:.2f} MB/s (incl. JVM start)')"
done
