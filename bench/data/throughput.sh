#!/usr/bin/env bash
# Data pipeline throughput of the embedded executor (ThroughputProbe) and the Spark executor (SparkThroughputProbe,
# local[N]) on a seeded synthetic corpus (prose with duplicates and junk). Each engine runs in its own JVM: one untimed
# warm-up round, then ROUNDS rounds alternating 1 and 2 threads (so load changes on a shared machine hit both alike).
# Per chain, engine and thread count it prints the median steady-state wall MB/s and docs/s (JVM / Spark context
# start excluded), the wall speed-up, MB per second of process CPU time (robust to other load on the machine), the
# calling thread's (serial) CPU, and the speed-up that CPU times predict on idle cores. Load is printed before and
# after each engine (`uptime`): wall numbers only mean something on an otherwise idle machine.
#   bench/data/throughput.sh [DOCS_PER_SHARD (default 5000)] [SHARDS (default 4)] [ROUNDS (default 3)]
#   CHAINS="heuristic minhash full" ENGINES="embedded spark" bench/data/throughput.sh   # the defaults: heuristic minhash
# Chains: heuristic = Gopher quality + repetition, C4, FineWeb (the target: >= 20 MB/s per core, >= 1.7x on 2 cores);
#         minhash = minhash_dedup alone; full = filters + language ID + URL/exact/MinHash dedup.
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
steps() {
  case "$1" in
    heuristic) printf '  - type: %s\n' gopher_quality gopher_repetition c4_quality fineweb_quality ;;
    minhash) printf '  - type: %s\n' minhash_dedup ;;
    full) printf '  - type: %s\n' gopher_quality gopher_repetition c4_quality language_id url_dedup exact_dedup minhash_dedup ;;
    *) echo "unknown chain $1 (heuristic, minhash, full)" >&2; exit 2 ;;
  esac
}
CP_FILE="$WORK/classpath.txt"
(cd "$ROOT" && ./mvnw -q -B -pl llama3j-data-spark -am compile dependency:build-classpath \
  -Dmdep.outputFile="$CP_FILE" >&2)   # the last module written is llama3j-data-spark: its full runtime classpath
CP="$ROOT/llama3j-data-spark/target/classes:$(cat "$CP_FILE")"
JAVA="${LLAMA3J_JAVA_HOME:-${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}}/bin/java"
SPARK_FLAGS="$(sed -n 's:.*<spark.jvmFlags>\(.*\)</spark.jvmFlags>.*:\1:p' "$ROOT/llama3j-data-spark/pom.xml")"
echo "corpus: $SHARDS shards x $DOCS docs, $(du -sh "$WORK/in" | cut -f1); $(nproc) CPUs; rounds: $ROUNDS"
for CHAIN in ${CHAINS:-heuristic minhash}; do
  cat > "$WORK/$CHAIN.yaml" <<YAML
input: {paths: [in/*.jsonl]}
output: out-$CHAIN
threads: 1
steps:
$(steps "$CHAIN")
YAML
  for ENGINE in ${ENGINES:-embedded spark}; do
    case "$ENGINE" in
      embedded) MAIN=org.llama3j.data.exec.ThroughputProbe ;;
      spark) MAIN=org.llama3j.data.spark.SparkThroughputProbe ;;
      *) echo "unknown engine $ENGINE (embedded, spark)" >&2; exit 2 ;;
    esac
    echo "== chain=$CHAIN engine=$ENGINE; load before: $(uptime)"
    # shellcheck disable=SC2086
    "$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED $SPARK_FLAGS -XX:+UseParallelGC \
      -Xss4m -Xmx4g -cp "$CP" "$MAIN" "$WORK/$CHAIN.yaml" "$ROUNDS" 1 2 2> >(grep -v -E '^(WARNING|SLF4J)' >&2)
    echo "   load after: $(uptime)"
  done
done
