#!/usr/bin/env bash
# The post-training demonstration (llama3j-posttrain/README.md): synthetic tasks, a small base model,
# then the shipped recipes SFT → reward model → rejection sampling → SFT on kept replies → DPO → PPO,
# with held-out task accuracy after each stage in WORK/results.md. Finished stages are skipped on a
# rerun (each run resumes from its newest checkpoint). Takes minutes on 2 cores; not part of `mvn verify`.
#
# Usage: scripts/posttrain-demo.sh [WORK_DIR (default target/posttrain-demo)] [PRETRAIN_STEPS (default 3000)] [LAST_STAGE (default ppo)]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-$root/target/posttrain-demo}"
steps="${2:-3000}"
mkdir -p "$work"
cd "$root"
./mvnw -B -q -o -pl llama3j-posttrain -am compile dependency:build-classpath -Dmdep.outputFile="$work/cp.txt"
# run from a copy of the classes, so rebuilding the worktree cannot change a running demonstration
rm -rf "$work/classes" && mkdir -p "$work/classes"
for m in llama3j-posttrain llama3j-train llama3j-core; do cp -r "$m/target/classes" "$work/classes/$m"; done
cp="$work/classes/llama3j-posttrain:$work/classes/llama3j-train:$work/classes/llama3j-core:$(cat "$work/cp.txt")"
exec "${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xss4m -Xmx4g -cp "$cp" \
  org.llama3j.posttrain.tasks.PostTrainDemo "$work" "$steps" "${3:-ppo}"
