#!/usr/bin/env bash
# Code Shield scan latency on 2 KB snippets (JMH, sample-time mode: p50/p99 per snippet).
# Extra arguments go to JMH (e.g. -wi 1 -i 3). Results: llama3j-safety/README.md, "Latency".
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
CP_FILE=$(mktemp)
./mvnw -B -q -pl llama3j-safety -am install -DskipTests
./mvnw -B -q -pl llama3j-safety test-compile dependency:build-classpath -Dmdep.outputFile="$CP_FILE"
"$JAVA_HOME/bin/java" -cp "llama3j-safety/target/test-classes:llama3j-safety/target/classes:$(cat "$CP_FILE")" \
  org.openjdk.jmh.Main CodeShieldScanBenchmark "$@"
