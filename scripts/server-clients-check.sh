#!/usr/bin/env bash
# Real clients against a real `llama3j serve`: starts the server on an ephemeral loopback port over a
# tiny seeded random model, runs the official `openai` npm client check and the chat page check in
# headless Chromium (scripts/clients/), then stops the server. The server is stopped on any exit
# (trap), every step has a timeout, and the server itself is capped so that nothing can outlive us.
#
# Needs node >= 20 + npm (registry.npmjs.org) and /usr/bin/chromium (or CHROMIUM=...). npm packages
# are installed once into ~/.cache/llama3j/node/<hash of the lock file> (LLAMA3J_NODE_CACHE) and
# linked as scripts/clients/node_modules (git-ignored), so reruns need no network.
# Uses llama3j-cli/target/llama3j.jar (after `./mvnw verify`); builds it with `package` if missing
# or older than the sources. SKIP_CHAT_PAGE=1 skips the browser check.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CLIENTS="$ROOT/scripts/clients"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JAVA_HOME/bin/java"
JAR="$ROOT/llama3j-cli/target/llama3j.jar"
VOCAB="$ROOT/llama3j-core/src/test/resources/llama3/llama-cpp/ggml-vocab-llama-bpe.gguf"

say() { echo "server-clients-check: $*" >&2; }
for tool in node npm curl "$JAVA"; do
  command -v "$tool" >/dev/null || { say "missing $tool"; exit 2; }
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/llama3j-clients.XXXXXX")"
SERVER_PID="" STEP_PID=""
cleanup() {
  local rc=$?
  [ -n "$STEP_PID" ] && kill "$STEP_PID" 2>/dev/null || true
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
    pkill -9 -P "$SERVER_PID" 2>/dev/null || true; kill -9 "$SERVER_PID" 2>/dev/null || true
  fi
  if [ "$rc" -ne 0 ]; then
    say "FAILED (exit $rc)"
    [ -f "$WORK/server.log" ] && { say "server log tail:"; grep -v '^WARNING' "$WORK/server.log" | tail -20 >&2; }
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# Runs a step in the background and waits for it: bash runs traps during `wait`, but not until a
# foreground command ends, so a signal stops us (and the server) at once.
step() {
  "$@" &
  STEP_PID=$!
  wait "$STEP_PID"
  STEP_PID=""
}

# 1. The CLI jar (never `install`: that would publish snapshots to ~/.m2).
if [ ! -f "$JAR" ] || [ -n "$(find "$ROOT" -path "$ROOT/.git" -prune -o \( -name '*.java' -o -name 'pom.xml' \
      -o -path '*/src/main/resources/*' \) -newer "$JAR" -print -quit)" ]; then
  say "building $JAR"
  step timeout 900 ./mvnw -q -B -pl llama3j-cli -am package -DskipTests -Dmaven.javadoc.skip=true
fi
JVM=("$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -Xss4m -jar "$JAR")

# 2. npm packages, cached by the lock file's hash; installed into a temp dir and renamed (atomic).
NODE_CACHE="${LLAMA3J_NODE_CACHE:-$HOME/.cache/llama3j/node}"
KEY="$(cat "$CLIENTS/package.json" "$CLIENTS/package-lock.json" | sha256sum | cut -c1-16)"
if [ ! -d "$NODE_CACHE/$KEY/node_modules" ]; then
  say "npm ci into $NODE_CACHE/$KEY"
  mkdir -p "$NODE_CACHE"
  STAGE="$(mktemp -d "$NODE_CACHE/.stage.XXXXXX")"
  cp "$CLIENTS/package.json" "$CLIENTS/package-lock.json" "$STAGE/"
  (cd "$STAGE" && timeout 300 npm ci --no-audit --no-fund --loglevel=error) || { rm -rf "$STAGE"; exit 1; }
  mv -T "$STAGE" "$NODE_CACHE/$KEY" 2>/dev/null || rm -rf "$STAGE"   # a concurrent run may have won
fi
ln -sfn "$NODE_CACHE/$KEY/node_modules" "$CLIENTS/node_modules"

# 3. The tiny model (the server tests' shape: dim 64, 2 layers, real Llama 3 vocabulary).
timeout 300 "${JVM[@]}" random-model --vocab "$VOCAB" --dim 64 --layers 2 --heads 4 --kv-heads 2 --ffn 128 \
  --ctx 2048 --type F32 --seed 42 -o "$WORK/tiny-random.gguf" 2>/dev/null >/dev/null

# 4. The server on an ephemeral port; capped at 20 minutes even if this script is killed with -9.
timeout 1200 "${JVM[@]}" serve --model "$WORK/tiny-random.gguf" --port 0 --parallel 4 --ctx 4096 \
  >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
URL=""
for _ in $(seq 600); do
  kill -0 "$SERVER_PID" 2>/dev/null || { say "server exited"; exit 1; }
  [ -z "$URL" ] && URL="$(grep -o 'listening on http://127\.0\.0\.1:[0-9]*' "$WORK/server.log" | head -1 | cut -d' ' -f3 || true)"
  if [ -n "$URL" ] && [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$URL/health")" = 200 ]; then break; fi
  sleep 0.2
done
[ -n "$URL" ] && [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$URL/health")" = 200 ] \
  || { say "server not healthy after 120 s"; exit 1; }
say "server ready at $URL"

# 5. The checks.
step timeout 600 node "$CLIENTS/openai-node-check.mjs" "$URL"
if [ "${SKIP_CHAT_PAGE:-0}" != 1 ]; then
  export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
  [ -x "$CHROMIUM" ] || { say "no Chromium at $CHROMIUM (set CHROMIUM or SKIP_CHAT_PAGE=1)"; exit 2; }
  step timeout 600 node "$CLIENTS/chat-page-check.mjs" "$URL" "${SCREENSHOT_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/llama3j-chat-page.XXXXXX")}"
fi
say "all client checks passed"
