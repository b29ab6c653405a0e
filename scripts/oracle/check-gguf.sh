#!/usr/bin/env bash
# Regenerates the gguf golden files with the gguf package (GGUFWriter) and fails if
# they differ from the committed test resources. Needs: python3 with numpy and gguf.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
committed="$here/../../llama3j-core/src/test/resources/gguf-golden"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 "$here/gguf_golden.py" "$tmp" >/dev/null
if diff -r "$committed" "$tmp" >/dev/null; then
  echo "gguf golden files: no drift"
else
  echo "gguf golden files DRIFTED from the reference package:" >&2
  diff -rq "$committed" "$tmp" >&2 || true
  exit 1
fi
