#!/usr/bin/env bash
# Regenerates the safetensors golden files with the reference `safetensors` package and fails if
# they differ from the committed test resources. Needs: python3 with numpy and safetensors.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
committed="$here/../../llama3j-core/src/test/resources/safetensors-golden"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 "$here/safetensors_golden.py" "$tmp" >/dev/null
if diff -r "$committed" "$tmp" >/dev/null; then
  echo "safetensors golden files: no drift"
else
  echo "safetensors golden files DRIFTED from the reference package:" >&2
  diff -rq "$committed" "$tmp" >&2 || true
  exit 1
fi
