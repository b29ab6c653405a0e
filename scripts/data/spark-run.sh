#!/usr/bin/env bash
# Runs a llama3j-data pipeline YAML on Apache Spark (llama3j-data-spark's SparkPipelineRunner).
#   scripts/data/spark-run.sh PIPELINE.yaml                  # local[*] in one JVM, Spark from the Maven build
#   SPARK_HOME=/opt/spark scripts/data/spark-run.sh PIPELINE.yaml --master spark://host:7077 [spark-submit options]
# With SPARK_HOME set it calls $SPARK_HOME/bin/spark-submit, shipping the llama3j jars with --jars (Spark and its
# dependencies come from the cluster's installation). Input and output paths must be on a filesystem every
# worker sees (the executor writes its shards, removal logs and quarantine there).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
[ $# -ge 1 ] || { echo "usage: $0 PIPELINE.yaml [spark-submit options]" >&2; exit 2; }
YAML="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; shift
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
CP_FILE="$ROOT/llama3j-data-spark/target/classpath.txt"
JAR="$ROOT/llama3j-data-spark/target/llama3j-data-spark-0.1.0-SNAPSHOT.jar"
if [ ! -f "$JAR" ] || [ ! -f "$CP_FILE" ] || [ -n "$(find "$ROOT"/llama3j-core/src "$ROOT"/llama3j-train/src "$ROOT"/llama3j-data/src "$ROOT"/llama3j-data-spark/src -newer "$JAR" -print -quit)" ]; then
  (cd "$ROOT" && ./mvnw -B -q -pl llama3j-data-spark -am install -DskipTests \
     && ./mvnw -B -q -pl llama3j-data-spark dependency:build-classpath -Dmdep.outputFile="$CP_FILE") >&2
fi
# the module options Spark needs on JDK 17+ (same list as the module's surefire argLine)
FLAGS="$(sed -n 's:.*<spark.jvmFlags>\(.*\)</spark.jvmFlags>.*:\1:p' "$ROOT/llama3j-data-spark/pom.xml")"
VEC="--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED"
if [ -n "${SPARK_HOME:-}" ]; then
  JARS="$(tr ':' '\n' < "$CP_FILE" | grep -E 'llama3j-|jackson-dataformat-yaml|snakeyaml|zstd-jni|jackson-module-scala' | paste -sd, -)"
  exec "$SPARK_HOME/bin/spark-submit" --class org.llama3j.data.spark.SparkPipelineRunner --jars "$JARS" \
    --driver-java-options "$VEC $FLAGS" --conf "spark.executor.extraJavaOptions=$VEC $FLAGS" "$@" "$JAR" "$YAML"
fi
exec "$JAVA_HOME/bin/java" $VEC $FLAGS ${LLAMA3J_SPARK_JVM_OPTS:--Xmx4g} -cp "$JAR:$(cat "$CP_FILE")" \
  org.llama3j.data.spark.SparkPipelineRunner "$YAML"
