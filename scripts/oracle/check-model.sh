#!/usr/bin/env bash
# Drift check: regenerates the llama.cpp golden values of the model tests (model_golden.py) and
# fails if they differ from the committed ones.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/env.sh"
"$TIKTOKEN_PYTHON" "$here/model_golden.py" --check
