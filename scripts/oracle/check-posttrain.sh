#!/usr/bin/env bash
# Regenerates the post-training golden file (DPO and reward-model losses and gradients, PyTorch
# float64: posttrain_reference.py) and fails if it drifts from the committed test resource; then
# runs the Java test that checks llama3j-posttrain against it (relative error <= 1e-4).
# Needs: Debian python3 with python3-torch and numpy, JDK 25.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
py=/usr/bin/python3
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
OMP_NUM_THREADS=1 "$py" "$here/posttrain_reference.py" "$tmp"
"$py" "$here/golden_drift.py" "$root/llama3j-posttrain/src/test/resources/golden" "$tmp" post-training
cd "$root"
status=0
./mvnw -B -pl llama3j-posttrain -am test -Dtest='org.llama3j.posttrain.PyTorchGoldenTest' \
  -Dsurefire.failIfNoSpecifiedTests=false >"$tmp/mvn.log" 2>&1 || status=$?
grep -E "posttrain worst|Tests run:|FAIL" "$tmp/mvn.log" || true
exit "$status"
