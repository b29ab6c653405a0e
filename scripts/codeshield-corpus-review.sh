#!/usr/bin/env bash
# Code Shield precision review (llama3j-safety/README.md, "Corpus precision review"): scans the JDK's
# src.zip and the Python standard library, writes findings.tsv, rules.tsv (per-rule counts) and
# sample.txt (a seeded sample of 50 warning/error findings with context) to OUT (default /tmp/codeshield-corpus).
# Slow (minutes); not part of mvn verify.
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
SRC_ZIP=${SRC_ZIP:-$JAVA_HOME/lib/src.zip}
PY_DIR=${PY_DIR:-/usr/lib/python3.11}
OUT=${1:-/tmp/codeshield-corpus}
./mvnw -B -q -pl llama3j-safety -am install -DskipTests
./mvnw -B -q -pl llama3j-safety test-compile dependency:build-classpath -Dmdep.outputFile="$OUT.cp"
"$JAVA_HOME/bin/java" -cp "llama3j-safety/target/test-classes:llama3j-safety/target/classes:$(cat "$OUT.cp")" \
  org.llama3j.safety.codeshield.corpus.CorpusScan "$SRC_ZIP" "$PY_DIR" "$OUT" 50 20261129
