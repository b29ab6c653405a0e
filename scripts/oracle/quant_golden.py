#!/usr/bin/env python3
"""Golden blocks for llama3j's block codecs, from the `gguf` package's numpy reference
quantizers (gguf-py/gguf/quants.py in llama.cpp, which mirrors ggml-quants.c).

Writes into the directory given as argv[1] (default: the test resources):
  dequant-<TYPE>.blocks  random blocks (f16 scale fields forced finite)     raw ggml bytes
  dequant-<TYPE>.f32     gguf.quants.dequantize of those blocks             little-endian float32
  quant-<TYPE>.f32       seeded float inputs (plus rounding edge cases)      little-endian float32
  quant-<TYPE>.bin       gguf.quants.quantize of those inputs               raw ggml bytes
Deterministic: the same gguf version gives the same bytes; check-quant.sh fails on drift.
"""
import os
import sys

import numpy as np
from gguf import GGMLQuantizationType as T
from gguf import quants

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(__file__), "..", "..", "llama3j-core", "src", "test", "resources", "quant-golden")
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(20261129)

# Byte offsets of the f16 scale fields in each block (ggml-common.h block_* structs).
HALF_FIELDS = {
    T.Q4_0: (18, [0]), T.Q4_1: (20, [0, 2]), T.Q5_0: (22, [0]), T.Q5_1: (24, [0, 2]),
    T.Q8_0: (34, [0]), T.Q2_K: (84, [80, 82]), T.Q3_K: (110, [108]), T.Q4_K: (144, [0, 2]),
    T.Q5_K: (176, [0, 2]), T.Q6_K: (210, [208]),
}


def write(name, array):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(np.ascontiguousarray(array).tobytes())


def dequant_golden():
    for t, (block_bytes, halves) in HALF_FIELDS.items():
        blocks = rng.integers(0, 256, size=(6, block_bytes), dtype=np.uint8)
        for off in halves:
            scale = rng.uniform(-2.0, 2.0, size=6).astype(np.float16)
            blocks[:, off:off + 2] = scale.view(np.uint8).reshape(6, 2)
        floats = quants.dequantize(blocks.reshape(-1), t).astype("<f4")
        write(f"dequant-{t.name}.blocks", blocks)
        write(f"dequant-{t.name}.f32", floats)
    # F16 and BF16: finite random values; their bit patterns are the "blocks".
    f16 = rng.normal(0, 3, size=256).astype(np.float16)
    write("dequant-F16.blocks", f16.astype("<f2"))
    write("dequant-F16.f32", f16.astype("<f4"))
    bf = (rng.normal(0, 3, size=256).astype("<f4").view(np.uint32) >> 16).astype("<u2")
    write("dequant-BF16.blocks", bf)
    write("dequant-BF16.f32", quants.dequantize(bf.view(np.uint8), T.BF16).astype("<f4"))


def quant_inputs():
    x = rng.normal(0, 1, size=32 * 30).astype(np.float32)
    x[:32] = 0                                          # all-zero block: d = 0
    x[32:64] = np.arange(-16, 16, dtype=np.float32) * 0.5 + 0.25  # mixed signs, halves
    x[64:96] = 0; x[64] = 127; x[65:70] = [-2.5, 2.5, -0.5, 0.5, 1.5]  # d = 1: roundf halfway cases
    x[96:128] = 0; x[96] = -8; x[97:104] = [-7.5, 7.5, -0.5, 0.5, 3.5, -3.5, 7.49]  # q4_0 d = 1
    x[128:160] *= 1e-6                                  # tiny scale
    x[160:192] *= 6e4                                   # scale near the f16 range
    return x


def quant_golden():
    x = quant_inputs()
    for t in (T.Q8_0, T.Q4_0, T.F16, T.BF16):
        inputs = x
        if t == T.BF16:
            specials = np.array([np.nan, -np.nan, np.inf, -np.inf, 3.4e38, -3.4e38, 1e-40, -0.0],
                                dtype=np.float32)
            qnan = np.array([0x7f800001, 0xffc00123, 0x7fffffff, 0x7f80ffff], dtype=np.uint32).view(np.float32)
            inputs = np.concatenate([x, specials, qnan])
        write(f"quant-{t.name}.f32", inputs.astype("<f4"))
        write(f"quant-{t.name}.bin", quants.quantize(inputs, t))


dequant_golden()
quant_golden()
print("wrote golden quant blocks to", os.path.abspath(OUT))
