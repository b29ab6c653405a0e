#!/usr/bin/env bash
# Installs the Python oracles:
#  - PyTorch for Debian's /usr/bin/python3 (apt python3-torch, with the pthread OpenBLAS it
#    runs on), the reference for tensor kernels and the model forward pass;
#  - tiktoken, gguf and numpy for the python3 on PATH (the local pip mirror), the references
#    for the tokenizer and the GGUF format. Versions are pinned so golden values do not
#    drift with a mirror update; gguf 0.19.0 is the gguf-py of the llama.cpp tree that
#    setup-llama-cpp.sh builds (gguf-py/pyproject.toml).
# Idempotent: when everything imports already it does nothing (about a second).
set -euo pipefail

TIKTOKEN_VERSION=0.14.0
GGUF_VERSION=0.19.0
TORCH_PYTHON=/usr/bin/python3
TIKTOKEN_PYTHON="${TIKTOKEN_PYTHON:-python3}"

log() { echo "[setup-python] $*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

torch_version() { "$TORCH_PYTHON" -c 'import torch; print(torch.__version__)' 2>/dev/null; }
if ! torch_version="$(torch_version)"; then
  log "installing python3-torch via apt"
  # Other processes may hold the dpkg lock: wait for it rather than fail.
  as_root apt-get -o DPkg::Lock::Timeout=900 update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq \
    python3-torch libopenblas0-pthread >&2
  torch_version="$(torch_version)" || { echo "[setup-python] ERROR: $TORCH_PYTHON cannot import torch after apt" >&2; exit 1; }
fi

py_ok() {
  "$TIKTOKEN_PYTHON" - "$TIKTOKEN_VERSION" "$GGUF_VERSION" <<'PY' >/dev/null 2>&1
import sys, importlib.metadata as md, numpy, tiktoken, gguf, safetensors, jinja2, regex
assert md.version("tiktoken") == sys.argv[1] and md.version("gguf") == sys.argv[2]
assert md.version("safetensors") == "0.8.0"
PY
}
if ! py_ok; then
  log "pip install tiktoken==$TIKTOKEN_VERSION gguf==$GGUF_VERSION numpy for $(command -v "$TIKTOKEN_PYTHON")"
  "$TIKTOKEN_PYTHON" -m pip install -q "tiktoken==$TIKTOKEN_VERSION" "gguf==$GGUF_VERSION" numpy \
    "safetensors==0.8.0" jinja2 regex >&2
  py_ok || { echo "[setup-python] ERROR: tiktoken/gguf/numpy/safetensors/jinja2/regex still not importable by $TIKTOKEN_PYTHON" >&2; exit 1; }
fi

log "torch $torch_version ($TORCH_PYTHON); $("$TIKTOKEN_PYTHON" -c 'import tiktoken, gguf, numpy, importlib.metadata as m; print("tiktoken", tiktoken.__version__, "gguf", m.version("gguf"), "numpy", numpy.__version__)') ($TIKTOKEN_PYTHON)"
