#!/usr/bin/env bash
# Regenerates the llama-quantize golden tensors and fails if they differ from the committed test
# resources. Needs: a built llama.cpp (LLAMA_CPP_BIN, default ~/.cache/llama3j/oracle/llama.cpp/build/bin),
# python3 with numpy and gguf.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="${LLAMA_CPP_BIN:-$HOME/.cache/llama3j/oracle/llama.cpp/build/bin}"
committed="$here/../../llama3j-core/src/test/resources/llama-quantize"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
LD_LIBRARY_PATH="$bin${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" python3 "$here/llama_quantize_golden.py" "$bin/llama-quantize" "$tmp" >/dev/null
if diff -r "$committed" "$tmp" >/dev/null; then
  echo "llama-quantize golden tensors: no drift"
else
  echo "llama-quantize golden tensors DRIFTED:" >&2
  diff -rq "$committed" "$tmp" >&2 || true
  exit 1
fi
