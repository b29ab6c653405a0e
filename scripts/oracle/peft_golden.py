#!/usr/bin/python3
"""Golden logits of a PEFT LoRA adapter on a tiny Hugging Face-layout Llama, computed by PyTorch.

Takes the checkpoint hf_golden.py writes as "f32-untied-llama3rope" (rebuilt here from the same seed)
and writes OUT/peft-lora/ with:
  adapter_config.json         PEFT LoraConfig keys (peft_type LORA, r 4, lora_alpha 8, all 7 projections)
  adapter_model.safetensors   base_model.model.model.layers.N.<module>.lora_A.weight [r, in] and
                              lora_B.weight [out, r], in HF's layout (q/k rows half-split, like q_proj.weight)
  logits.f32                  float32 logits of hf_golden.forward on W + (lora_alpha/r)·B@A for every
                              adapted module: what PEFT's merge_and_unload (and its unmerged side path) computes

Independent of llama3j's reader: a wrong q/k row permutation, a transposed A/B or a wrong scale breaks the
comparison in PeftGoldenTest.

Usage: /usr/bin/python3 peft_golden.py OUT_DIR
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hf_golden as hf  # noqa: E402

RANK, ALPHA = 4, 8.0
MODULES = ["self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
           "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"]


def main(out):
    name, dtype, tied, theta, scaling, seed = hf.MODELS[0]
    assert name == "f32-untied-llama3rope"
    cfg = hf.config_json(dtype, tied, theta, scaling)
    w = {k: v.float() for k, v in hf.make_weights(seed, tied, dtype).items()}
    g = torch.Generator().manual_seed(77)
    adapter = {}
    merged = dict(w)
    for l in range(hf.LAYERS):
        for m in MODULES:
            key = f"model.layers.{l}.{m}"
            out_dim, in_dim = w[key + ".weight"].shape
            a = (torch.rand(RANK, in_dim, generator=g) * 2 - 1) / in_dim ** 0.5
            b = torch.randn(out_dim, RANK, generator=g) * 0.2
            adapter[f"base_model.model.{key}.lora_A.weight"] = a
            adapter[f"base_model.model.{key}.lora_B.weight"] = b
            merged[key + ".weight"] = w[key + ".weight"] + (ALPHA / RANK) * (b @ a)
    d = os.path.join(out, "peft-lora")
    os.makedirs(d, exist_ok=True)
    hf.write_safetensors(os.path.join(d, "adapter_model.safetensors"), adapter)
    config = {"peft_type": "LORA", "task_type": "CAUSAL_LM", "base_model_name_or_path": name, "r": RANK,
              "lora_alpha": ALPHA, "lora_dropout": 0.0, "target_modules": [m.split(".")[1] for m in MODULES],
              "bias": "none", "fan_in_fan_out": False, "use_rslora": False, "use_dora": False,
              "init_lora_weights": True, "inference_mode": True, "modules_to_save": None,
              "layers_to_transform": None, "rank_pattern": {}, "alpha_pattern": {}}
    with open(os.path.join(d, "adapter_config.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    with torch.no_grad():
        logits = hf.forward(merged, cfg, hf.TOKENS, round_bf16=False)
        base = hf.forward(w, cfg, hf.TOKENS, round_bf16=False)
    hf.write_f32(os.path.join(d, "logits.f32"), logits)
    print("peft-lora: max |logit|", float(logits.abs().max()), "adapter effect", float((logits - base).abs().max()))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: peft_golden.py OUT_DIR")
    main(sys.argv[1])
