#!/usr/bin/env bash
# Data pipeline throughput of the embedded executor: a seeded synthetic corpus (prose with duplicates and junk) through
# the filters + dedup + language ID, at 1 and 2 threads in the same JVM (ThroughputProbe): one untimed warm-up round,
# then ROUNDS rounds alternating 1 and 2 threads. Prints per thread count the median steady-state wall MB/s (JVM start
# excluded), the speed-up over 1 thread, and MB per second of process CPU time (robust to other load on the machine),
# with the CPU split between task threads (read, write) and worker threads (parse, steps, serialize). Load is printed
# before and after (`uptime`): wall numbers only mean something on an otherwise idle machine.
#   bench/data/throughput.sh [DOCS_PER_SHARD (default 5000)] [SHARDS (default 4)] [ROUNDS (default 3)]
#   CHAIN=heuristic bench/data/throughput.sh   # only the heuristic filters (Gopher quality/repetition, C4, FineWeb)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DOCS="${1:-5000}"; SHARDS="${2:-4}"; ROUNDS="${3:-3}"
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
cat > "$WORK/p.yaml" <<YAML
input: {paths: [in/*.jsonl]}
output: out
threads: 1
steps:
$STEPS
YAML
"$ROOT/llama3j" --help >/dev/null 2>&1 || true   # builds llama3j-cli/target/llama3j.jar when sources changed
JAVA="${LLAMA3J_JAVA_HOME:-${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}}/bin/java"
echo "load before: $(uptime)"
"$JAVA" -XX:+UseParallelGC -Xss4m -cp "$ROOT/llama3j-cli/target/llama3j.jar" org.llama3j.data.exec.ThroughputProbe \
  "$WORK/p.yaml" "$ROUNDS" 1 2
echo "load after:  $(uptime)"
