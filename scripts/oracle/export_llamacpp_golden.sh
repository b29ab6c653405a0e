#!/usr/bin/env bash
# llama.cpp oracle for llama3j-train's GGUF export (LlamaCppExportGoldenTest).
# 1. runs the Java test once so it writes llama3j-train/target/export-oracle/model.gguf (the test may
#    fail at this point if the golden file is missing or stale — that is expected here);
# 2. runs llama-logits (setup-llama-cpp.sh builds it) on that file with the test's prompt, f32 KV cache,
#    flash attention off (llama.cpp's CPU flash-attention path alone moves logits by ~2e-3 of their range), one thread, all prompt positions' full logits;
# 3. writes llama3j-train/src/test/resources/export/llamacpp-golden.json, or with --check fails when the
#    fresh llama.cpp output differs from the committed one (tokens exactly, logits to 1e-5).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
bin="${LLAMA3J_LLAMA_BIN:-$("$here/setup-llama-cpp.sh" | tail -1)}"
prompt='Über café — the llama walks over 1984 green hills 🦙!'
cd "$root"
./mvnw -B -q -pl llama3j-train -am test -Dtest=LlamaCppExportGoldenTest -Dsurefire.failIfNoSpecifiedTests=false \
  >/dev/null 2>&1 || true
model="$root/llama3j-train/target/export-oracle/model.gguf"
[ -f "$model" ] || { echo "the test did not write $model" >&2; exit 1; }
tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
"$bin/llama-logits" -m "$model" -p "$prompt" --kv f32 --fa off -t 1 >"$tmp"
python3 - "$tmp" "$prompt" "$root/llama3j-train/src/test/resources/export/llamacpp-golden.json" "${1:-}" <<'PY'
import json, sys
fresh = json.load(open(sys.argv[1]))
out = {"prompt": sys.argv[2], "llama_cpp": {k: fresh[k] for k in ("n_vocab", "prompt_tokens", "prompt_logits")}}
path = sys.argv[3]
if sys.argv[4] == "--check":
    old = json.load(open(path))
    ok = old["prompt"] == out["prompt"] and old["llama_cpp"]["prompt_tokens"] == out["llama_cpp"]["prompt_tokens"]
    for a, b in zip(old["llama_cpp"]["prompt_logits"], out["llama_cpp"]["prompt_logits"]):
        ok = ok and max(abs(x - y) for x, y in zip(a["logits"], b["logits"])) < 1e-5
    if not ok:
        sys.exit("llama.cpp export golden drifted")
    print("llama.cpp export golden: no drift")
else:
    import os
    os.makedirs(os.path.dirname(path), exist_ok=True)
    json.dump(out, open(path, "w"), separators=(",", ":"))
    print("wrote", path)
PY
