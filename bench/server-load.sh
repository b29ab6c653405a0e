#!/usr/bin/env bash
# Load benchmark of `llama3j serve` on loopback: 1, 4, 8, 16 concurrent streaming clients
# (bench/server_load.py, stdlib Python), then optionally a soak with RSS sampling.
#
# The model is a seeded random Llama with the real Llama 3 vocabulary, big enough for decode to be
# memory-bound so that batching can pay (default: dim 1024, 8 layers, 16 heads / 4 KV heads,
# FFN 4096, Q8_0: 247M parameters, 131M of them the tied 128k x 1024 embedding/output matrix).
# It is written once into ~/.cache/llama3j/bench/.
#
# Environment (defaults): CONCURRENCY=1,4,8,16 (0: soak only)  REQUESTS=2 (per client per level)  MAX_TOKENS=64
#   PARALLEL=16  CTX=512  TYPE=Q8_0  DIM=1024 LAYERS=8 HEADS=16 KV_HEADS=4 FFN=4096
#   SOAK_SECONDS=0 (e.g. 600: soak with SOAK_CLIENTS=8, RSS every 10 s)  MODEL=FILE (use this GGUF)
#   JAR=FILE (the CLI jar to serve with; default the built one)  THREADS (server worker threads)  JAVA_OPTS (-Xmx1g: a bounded heap, so that RSS growth in the
#   soak means a leak, not the JVM growing its heap towards 1/4 of RAM)  JSON=FILE (write the rows)
# Exit status: non-zero if any request failed or the soak's memory was not flat.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JAVA_HOME/bin/java"
JAR="${JAR:-$ROOT/llama3j-cli/target/llama3j.jar}"
VOCAB="$ROOT/llama3j-core/src/test/resources/llama3/llama-cpp/ggml-vocab-llama-bpe.gguf"
TYPE="${TYPE:-Q8_0}" DIM="${DIM:-1024}" LAYERS="${LAYERS:-8}" HEADS="${HEADS:-16}" KV_HEADS="${KV_HEADS:-4}" FFN="${FFN:-4096}"
SOAK_SECONDS="${SOAK_SECONDS:-0}"

say() { echo "server-load: $*" >&2; }
if [ ! -f "$JAR" ]; then
  say "building $JAR"
  ./mvnw -q -B -pl llama3j-cli -am package -DskipTests -Dmaven.javadoc.skip=true
fi
# The JVM flags `./llama3j serve` uses (the launcher's, including its -Xmn64m young generation for
# inference commands), so that the soak measures the server as users run it; JAVA_OPTS comes after them.
# An array, not a function: a backgrounded function is a subshell, whose pid is not the JVM's.
# shellcheck disable=SC2206
JVM=("$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -Xss4m -Xmn64m
     ${JAVA_OPTS--Xmx1g} -jar "$JAR")

if [ -z "${MODEL:-}" ]; then
  MODEL="$HOME/.cache/llama3j/bench/server-load-d${DIM}-l${LAYERS}-h${HEADS}-kv${KV_HEADS}-f${FFN}-${TYPE}.gguf"
  if [ ! -f "$MODEL" ]; then
    mkdir -p "$(dirname "$MODEL")"
    say "writing $MODEL"
    "${JVM[@]}" random-model --vocab "$VOCAB" --dim "$DIM" --layers "$LAYERS" --heads "$HEADS" --kv-heads "$KV_HEADS" \
      --ffn "$FFN" --ctx 4096 --type "$TYPE" --seed 1 -o "$MODEL.tmp" >/dev/null 2>&1
    mv "$MODEL.tmp" "$MODEL"
  fi
fi

LOG="$(mktemp "${TMPDIR:-/tmp}/llama3j-server-load.XXXXXX.log")"
SERVER_PID=""
cleanup() {
  local rc=$?
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
  fi
  [ "$rc" -ne 0 ] && { say "exit $rc; server log tail:"; grep -v '^WARNING' "$LOG" | tail -15 >&2; }
  rm -f "$LOG"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

SERVE=(serve --model "$MODEL" --port 0 --parallel "${PARALLEL:-16}" --ctx "${CTX:-512}" --queue 256)
[ -n "${THREADS:-}" ] && SERVE+=(--threads "$THREADS")
"${JVM[@]}" "${SERVE[@]}" >"$LOG" 2>&1 &
SERVER_PID=$!
URL=""
for _ in $(seq 900); do
  kill -0 "$SERVER_PID" 2>/dev/null || { say "server exited"; exit 1; }
  [ -z "$URL" ] && URL="$(grep -o 'listening on http://127\.0\.0\.1:[0-9]*' "$LOG" | head -1 | cut -d' ' -f3 || true)"
  [ -n "$URL" ] && [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$URL/health")" = 200 ] && break
  sleep 0.2
done
[ -n "$URL" ] || { say "server did not start"; exit 1; }
say "$(basename "$MODEL") served at $URL (pid $SERVER_PID); load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"

ARGS=(--url "$URL" --pid "$SERVER_PID" --concurrency "${CONCURRENCY:-1,4,8,16}" --requests "${REQUESTS:-2}"
      --max-tokens "${MAX_TOKENS:-64}")
[ "$SOAK_SECONDS" -gt 0 ] && ARGS+=(--soak-seconds "$SOAK_SECONDS" --soak-clients "${SOAK_CLIENTS:-8}")
[ -n "${JSON:-}" ] && ARGS+=(--json "$JSON")
# A cap so that a stuck server cannot hang the benchmark: generous per level, plus the soak.
timeout $((1800 + SOAK_SECONDS)) python3 "$ROOT/bench/server_load.py" "${ARGS[@]}"
say "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
