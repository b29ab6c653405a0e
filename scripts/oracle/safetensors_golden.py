#!/usr/bin/env python3
"""Golden safetensors files written by the reference `safetensors` package (pip install safetensors),
for llama3j's reader: a single file with several dtypes and __metadata__, and a two-shard model with
model.safetensors.index.json. Writes into argv[1] (default: the test resources). Deterministic."""
import json
import os
import sys

import numpy as np
from safetensors.numpy import save_file

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(__file__), "..", "..", "llama3j-core", "src", "test", "resources", "safetensors-golden")
os.makedirs(os.path.join(OUT, "sharded"), exist_ok=True)

single = {
    "w": np.arange(6, dtype=np.float32).reshape(2, 3) * np.float32(0.5) - np.float32(1),  # HF [out=2, in=3]
    "h": np.array([[1.5, -2.0], [65504.0, 0.000061035156], [0.0, -0.0]], dtype=np.float16),
    "ids": np.array([7, -9], dtype=np.int64),
    "d": np.array(3.25, dtype=np.float64),  # a scalar
}
save_file(single, os.path.join(OUT, "single.safetensors"), metadata={"format": "pt", "note": "golden"})

a = {"model.embed_tokens.weight": np.linspace(-1, 1, 8, dtype=np.float32).reshape(4, 2)}
b = {"model.norm.weight": np.array([1.0, 2.0], dtype=np.float32),
     "lm_head.weight": np.array([[0.25, 0.5], [0.75, 1.0], [1.25, 1.5], [1.75, 2.0]], dtype=np.float16)}
save_file(a, os.path.join(OUT, "sharded", "model-00001-of-00002.safetensors"), metadata={"format": "pt"})
save_file(b, os.path.join(OUT, "sharded", "model-00002-of-00002.safetensors"), metadata={"format": "pt"})
index = {"metadata": {"total_size": 32 + 8 + 16},
         "weight_map": {"lm_head.weight": "model-00002-of-00002.safetensors",
                        "model.embed_tokens.weight": "model-00001-of-00002.safetensors",
                        "model.norm.weight": "model-00002-of-00002.safetensors"}}
with open(os.path.join(OUT, "sharded", "model.safetensors.index.json"), "w") as f:
    json.dump(index, f, indent=2, sort_keys=True)
    f.write("\n")
print("wrote", os.path.abspath(OUT))
