#!/usr/bin/env bash
# Regenerates the tokenizer golden files from the live oracles (tiktoken, jinja2, gguf) into a temp dir
# and fails if any differs from the committed test resources.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
res="$here/../../llama3j-core/src/test/resources/llama3"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 "$here/tokenizer_golden.py" "$tmp"
mkdir -p "$tmp/llama-cpp"
gguf="${LLAMA3_VOCAB_GGUF:-$res/llama-cpp/ggml-vocab-llama-bpe.gguf}"
python3 -c 'import gguf' 2>/dev/null || pip install -q gguf
python3 "$here/gguf_vocab_dump.py" "$gguf" "$tmp/llama-cpp"
status=0
for f in "$tmp"/*.gz "$tmp"/llama-cpp/*.gz; do
  name="${f#"$tmp"/}"
  if ! cmp -s <(gzip -dc "$f") <(gzip -dc "$res/$name"); then
    echo "DRIFT: $name differs from the committed golden file" >&2
    status=1
  fi
done
[ "$status" -eq 0 ] && echo "tokenizer golden files match the oracles"
exit "$status"
