#!/usr/bin/env bash
# Builds the JMH benchmarks (Maven profile "bench", kept out of the default build) and runs them.
# Arguments go to JMH, e.g.: bench/run-jmh.sh MatVecBenchmark -p threads=1
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
(cd "$ROOT" && ./mvnw -B -q -Pbench -pl bench -am package -DskipTests >&2)
exec "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  -jar "$ROOT/bench/target/llama3j-benchmarks.jar" "$@"
