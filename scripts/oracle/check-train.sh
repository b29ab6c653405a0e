#!/usr/bin/env bash
# Regenerates the training golden files with PyTorch (float64) and fails if they drift from the
# committed test resources; then runs the Java test that checks llama3j-train against them.
# Entries must match to 1e-6 relative (max |diff| / max |value| per tensor): float64 results can
# differ in the last bits across torch builds, which is not drift.
# Needs: Debian python3 with python3-torch and numpy (apt-get install python3-torch), JDK 25.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
committed="$root/llama3j-train/src/test/resources/golden"
py=/usr/bin/python3
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$py" "$here/train_reference.py" "$tmp"
OMP_NUM_THREADS=1 "$py" "$here/lora_reference.py" "$tmp"   # LoRA side path, adapter gradients, merge
"$py" "$here/golden_drift.py" "$committed" "$tmp" training
# BPE trainer: naive Python reference trainer + real tiktoken over the trained ranks (PATH python3
# with tiktoken and regex).
python3 "$here/bpe_reference.py" --check
cd "$root"
./mvnw -B -q -pl llama3j-train -am install -DskipTests
./mvnw -B -pl llama3j-train test -Dtest='PyTorchGoldenTest,LoraPyTorchGoldenTest,BpeTrainerGoldenTest' -Dsurefire.failIfNoSpecifiedTests=false | grep -E "worst|Tests run:|FAIL" 
