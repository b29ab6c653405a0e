#!/usr/bin/env python3
"""Golden tensors quantized by llama.cpp's own `llama-quantize` (native ggml, the real oracle).

Builds a tiny F32 llama GGUF whose weights come from a 64-bit LCG that Java reproduces exactly
(LcgFloats in the tests), runs llama-quantize for several file types, and saves the raw bytes of
the token_embd and output tensors with a manifest. LlamaQuantizeGoldenTest checks that our Q8_0 and
Q4_0 quantizers produce the same bytes and that every codec decodes ggml's blocks close to the input.

Usage: llama_quantize_golden.py LLAMA_QUANTIZE_BINARY [OUT_DIR]
Needs: numpy, gguf. Deterministic for a given llama.cpp build; check-llama-quantize.sh fails on drift.
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
import gguf

QUANTIZE = sys.argv[1]
OUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
    os.path.dirname(__file__), "..", "..", "llama3j-core", "src", "test", "resources", "llama-quantize")
os.makedirs(OUT, exist_ok=True)
N_EMBD, N_FF, N_VOCAB = 256, 256, 32
MASK = (1 << 64) - 1


def lcg_floats(seed, n):
    """x = ((s >> 40) - 2^23) * 2^-22 in [-2, 2), s <- s * 6364136223846793005 + 1442695040888963407 (Knuth MMIX)."""
    s = seed & MASK
    out = np.empty(n, dtype=np.float32)
    for i in range(n):
        s = (s * 6364136223846793005 + 1442695040888963407) & MASK
        out[i] = np.float32(((s >> 40) - (1 << 23)) * 2.0 ** -22)
    return out


TENSORS = [  # name, numpy shape (rows, cols), seed
    ("token_embd.weight", (N_VOCAB, N_EMBD), 1), ("output_norm.weight", (N_EMBD,), 2),
    ("output.weight", (N_VOCAB, N_EMBD), 3), ("blk.0.attn_norm.weight", (N_EMBD,), 4),
    ("blk.0.attn_q.weight", (N_EMBD, N_EMBD), 5), ("blk.0.attn_k.weight", (N_EMBD, N_EMBD), 6),
    ("blk.0.attn_v.weight", (N_EMBD, N_EMBD), 7), ("blk.0.attn_output.weight", (N_EMBD, N_EMBD), 8),
    ("blk.0.ffn_norm.weight", (N_EMBD,), 9), ("blk.0.ffn_gate.weight", (N_FF, N_EMBD), 10),
    ("blk.0.ffn_up.weight", (N_FF, N_EMBD), 11), ("blk.0.ffn_down.weight", (N_EMBD, N_FF), 12),
]
KEEP = {"token_embd.weight", "output.weight"}
FTYPES = ["Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q2_K", "Q3_K_M", "Q4_K_M", "Q5_K_M", "Q6_K"]

with tempfile.TemporaryDirectory() as tmp:
    src = os.path.join(tmp, "f32.gguf")
    w = gguf.GGUFWriter(src, arch="llama")
    w.add_context_length(128); w.add_embedding_length(N_EMBD); w.add_block_count(1)
    w.add_feed_forward_length(N_FF); w.add_head_count(4); w.add_head_count_kv(4)
    w.add_layer_norm_rms_eps(1e-5); w.add_rope_dimension_count(64); w.add_file_type(0)
    w.add_vocab_size(N_VOCAB)
    for name, shape, seed in TENSORS:
        w.add_tensor(name, lcg_floats(seed, int(np.prod(shape))).reshape(shape))
    w.write_header_to_file(); w.write_kv_data_to_file(); w.write_tensors_to_file(); w.close()

    manifest = []
    saved = set()
    for ftype in FTYPES:
        dst = os.path.join(tmp, ftype + ".gguf")
        subprocess.run([QUANTIZE, src, dst, ftype], check=True, capture_output=True)
        for t in gguf.GGUFReader(dst).tensors:
            if t.name in KEEP and (t.name, t.tensor_type.name) not in saved:
                saved.add((t.name, t.tensor_type.name))
                seed = next(s for n, _, s in TENSORS if n == t.name)
                fname = f"{ftype}.{t.name}.{t.tensor_type.name}.bin"
                np.asarray(t.data).tofile(os.path.join(OUT, fname))
                manifest.append(f"{fname}\t{t.tensor_type.name}\t{seed}\t{N_VOCAB}\t{N_EMBD}")
    with open(os.path.join(OUT, "manifest.tsv"), "w") as f:
        f.write("# file\ttype\tlcg_seed\trows\tcols  (written by scripts/oracle/llama_quantize_golden.py)\n")
        f.write("\n".join(manifest) + "\n")
print("wrote", os.path.abspath(OUT))
