#!/usr/bin/env bash
# Regenerates the PEFT LoRA adapter golden files (peft_golden.py: a PyTorch-written adapter in the
# Hugging Face PEFT layout on hf_golden.py's f32 checkpoint, and the logits of the merged weights) and
# fails if they differ from the committed test resources; PeftGoldenTest checks llama3j against them.
# Needs: Debian's /usr/bin/python3 with python3-torch (TORCH_PYTHON in env.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/env.sh"
committed="$here/../../llama3j-core/src/test/resources/golden/peft-lora"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
OMP_NUM_THREADS=1 "$TORCH_PYTHON" "$here/peft_golden.py" "$tmp" >/dev/null
if diff -r "$committed" "$tmp/peft-lora" >/dev/null; then
  echo "peft golden files: no drift"
else
  echo "peft golden files DRIFTED from PyTorch:" >&2
  diff -rq "$committed" "$tmp/peft-lora" >&2 || true
  exit 1
fi
