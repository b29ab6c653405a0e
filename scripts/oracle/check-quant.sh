#!/usr/bin/env bash
# Regenerates the codec golden files from the gguf package and fails if they differ from the
# committed test resources (drift in the oracle or in the committed files).
# Needs: python3 with numpy and gguf (pip install gguf).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
committed="$here/../../llama3j-core/src/test/resources/quant-golden"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 "$here/quant_golden.py" "$tmp" >/dev/null
if diff -r "$committed" "$tmp" >/dev/null; then
  echo "quant golden files: no drift"
else
  echo "quant golden files DRIFTED from the gguf oracle:" >&2
  diff -rq "$committed" "$tmp" >&2 || true
  exit 1
fi
