#!/usr/bin/env python3
"""A reference GGUF file written by the `gguf` package's GGUFWriter (llama.cpp gguf-py), for
llama3j's GgufReader/GgufWriter: every metadata value type, nested arrays, and tensors encoded by
gguf-py from seeded floats (F32, F16, BF16, Q8_0, Q4_0) plus raw Q4_K bytes. GgufGoldenTest reads it
and rebuilds it with GgufWriter from the same inputs, expecting identical bytes.

Writes into argv[1] (default: the test resources):
  reference.gguf   the file
  inputs.f32       the float inputs of the encoded tensors (little-endian float32, 4 x 256)
  q4k.blocks       the raw Q4_K tensor bytes
Deterministic; check-gguf.sh fails on drift.
"""
import os
import sys

import numpy as np
import gguf
from gguf import GGMLQuantizationType as T
from gguf import GGUFValueType as V

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(__file__), "..", "..", "llama3j-core", "src", "test", "resources", "gguf-golden")
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(77)

x = rng.normal(0, 1, size=(4, 256)).astype(np.float32)  # numpy [rows=4, cols=256] = ggml [256, 4]
q4k = rng.integers(0, 256, size=(2, 144), dtype=np.uint8)
q4k[:, 0:2] = np.array([0.01, 0.02], dtype=np.float16).view(np.uint8).reshape(2, 2)
q4k[:, 2:4] = np.array([0.005, 0.001], dtype=np.float16).view(np.uint8).reshape(2, 2)

w = gguf.GGUFWriter(os.path.join(OUT, "reference.gguf"), arch="llama")  # adds general.architecture first
w.add_key_value("k.u8", 200, V.UINT8)
w.add_key_value("k.i8", -100, V.INT8)
w.add_key_value("k.u16", 60000, V.UINT16)
w.add_key_value("k.i16", -30000, V.INT16)
w.add_key_value("k.u32", 4000000000, V.UINT32)
w.add_key_value("k.i32", -2000000000, V.INT32)
w.add_key_value("k.f32", 0.1, V.FLOAT32)
w.add_key_value("k.bool", True, V.BOOL)
w.add_key_value("k.str", "Llama 3 ✓", V.STRING)
w.add_key_value("k.u64", 2**63 + 5, V.UINT64)
w.add_key_value("k.i64", -(2**40), V.INT64)
w.add_key_value("k.f64", 2.718281828459045, V.FLOAT64)
w.add_key_value("a.str", ["Ġthe", "<|eot_id|>", ""], V.ARRAY, sub_type=V.STRING)
w.add_key_value("a.i32", [1, -2, 3], V.ARRAY, sub_type=V.INT32)
w.add_key_value("a.f32", [0.5, -1.25], V.ARRAY, sub_type=V.FLOAT32)
w.add_key_value("a.u8", [0, 255], V.ARRAY, sub_type=V.UINT8)
w.add_key_value("a.bool", [True, False, True], V.ARRAY, sub_type=V.BOOL)
w.add_key_value("a.nested", [[1, 2], [3]], V.ARRAY, sub_type=V.ARRAY)
w.add_tensor("t.f32", x)
w.add_tensor("t.f16", x.astype(np.float16))
w.add_tensor("t.bf16", gguf.quants.quantize(x, T.BF16), raw_dtype=T.BF16)
w.add_tensor("t.q8_0", gguf.quants.quantize(x, T.Q8_0), raw_dtype=T.Q8_0)
w.add_tensor("t.q4_0", gguf.quants.quantize(x, T.Q4_0), raw_dtype=T.Q4_0)
w.add_tensor("t.q4_k", q4k, raw_dtype=T.Q4_K)
w.write_header_to_file()
w.write_kv_data_to_file()
w.write_tensors_to_file()
w.close()
x.astype("<f4").tofile(os.path.join(OUT, "inputs.f32"))
q4k.tofile(os.path.join(OUT, "q4k.blocks"))
print("wrote", os.path.abspath(OUT))
