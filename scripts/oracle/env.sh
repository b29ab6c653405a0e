# Source me: `. scripts/oracle/env.sh`. Tells the oracle scripts where the oracles are.
# Installs nothing (setup-llama-cpp.sh and setup-python.sh do); paths match theirs.
export LLAMA3J_ORACLE_DIR="${LLAMA3J_ORACLE_DIR:-$HOME/.cache/llama3j/oracle}"
# llama.cpp source as shipped by node-llama-cpp@3.21.1 (gguf-py/, convert_hf_to_gguf.py live here)
export LLAMA_CPP_SRC="$LLAMA3J_ORACLE_DIR/llama.cpp"
# llama-simple, llama-perplexity, llama-bench, llama-quantize, llama-tokenize, llama-logits
export LLAMA_CPP_BIN="$LLAMA_CPP_SRC/build/bin"
# Debian's python with python3-torch (apt)
export TORCH_PYTHON=/usr/bin/python3
# the python on PATH, with tiktoken, gguf and numpy (pip)
export TIKTOKEN_PYTHON=python3
