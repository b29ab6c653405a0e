#!/usr/bin/env bash
# Regenerates the Hugging Face checkpoint golden files (tiny HF-layout Llamas and their PyTorch
# logits, hf_golden.py) and fails if they differ from the committed test resources.
# Needs: Debian's /usr/bin/python3 with python3-torch (TORCH_PYTHON in env.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/env.sh"
committed="$here/../../llama3j-core/src/test/resources/golden/hf"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$TORCH_PYTHON" "$here/hf_golden.py" "$tmp" >/dev/null
if diff -r "$committed" "$tmp" >/dev/null; then
  echo "hf golden files: no drift"
else
  echo "hf golden files DRIFTED from PyTorch:" >&2
  diff -rq "$committed" "$tmp" >&2 || true
  exit 1
fi
