#!/usr/bin/python3
"""PyTorch oracle for LoRA in llama3j-train: the tiny Llama of train_reference.py (float64) with a
LoRA side path on every projection, written as PEFT's lora.Linear computes it
(peft/tuners/lora/layer.py Linear.forward: result = base_layer(x) + lora_B(lora_A(dropout(x))) * scaling,
scaling = lora_alpha / r), dropout 0. Base weights are frozen (requires_grad False); only A and B
get gradients.

Writes lora_tiny.bin (GoldenFile format, see train_reference.py) with the base weights (input.*),
the adapter (lora.blk.N.attn_q.lora_a [r, in], lora.blk.N.attn_q.lora_b [out, r], B rows in GGUF's
interleaved q/k order like the base), the batch, and the outputs: loss, logits, grad.lora.* and
merged.* (every projection W + scaling*B@A).

Usage: lora_reference.py OUT_DIR
"""
import math
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
import train_reference as tr  # noqa: E402

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)

CFG = dict(tr.VARIANTS["tiny_untied"])
RANK, ALPHA = 4, 8.0
STEMS = ["attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down"]


def lora_shapes(cfg):
    shapes = tr.param_shapes(cfg)
    out = {}
    for l in range(cfg["n_layers"]):
        for s in STEMS:
            o, i = shapes[f"blk.{l}.{s}.weight"]
            out[f"blk.{l}.{s}.lora_a"] = (RANK, i)
            out[f"blk.{l}.{s}.lora_b"] = (o, RANK)
    return out


def make_lora(cfg):
    rng = np.random.default_rng(4321)
    out = {}
    for name, shape in lora_shapes(cfg).items():
        if name.endswith("lora_a"):   # PEFT init of A: kaiming_uniform_(a=sqrt(5)) = U(-1/sqrt(in), 1/sqrt(in))
            bound = 1 / math.sqrt(shape[1])
            out[name] = rng.uniform(-bound, bound, size=shape).astype(np.float32)
        else:                          # B non-zero, as after some training, so dA is not trivially 0
            out[name] = (0.1 * rng.standard_normal(shape)).astype(np.float32)
    return out


def with_lora(p, lora, scaling):
    """Projection weights as functions of the adapter: W + scaling*B@A gives the same y as the side path."""
    q = dict(p)
    for l in range(CFG["n_layers"]):
        for s in STEMS:
            k = f"blk.{l}.{s}"
            q[k + ".weight"] = p[k + ".weight"] + scaling * (lora[k + ".lora_b"] @ lora[k + ".lora_a"])
    return q


def side_path_forward(cfg, p, lora, scaling, tokens, docs):
    """tr.forward with each x @ W.T replaced by x @ W.T + scaling * (x @ A.T) @ B.T (PEFT's order)."""
    B, T = tokens.shape
    H, KV = cfg["n_heads"], cfg["n_kv_heads"]
    hd = cfg["dim"] // H
    fc = tr.freqs_cis(cfg)
    pos = torch.arange(T)
    allowed = (pos[None, :] <= pos[:, None])[None] & (docs[:, :, None] == docs[:, None, :])
    mask = torch.zeros(B, 1, T, T).masked_fill(~allowed[:, None], float("-inf"))

    def proj(x, k):
        return x @ p[k + ".weight"].T + scaling * ((x @ lora[k + ".lora_a"].T) @ lora[k + ".lora_b"].T)

    h = p["token_embd.weight"][tokens]
    for l in range(cfg["n_layers"]):
        b = f"blk.{l}."
        x = tr.rms_norm(h, p[b + "attn_norm.weight"], cfg["norm_eps"])
        q = proj(x, b + "attn_q").view(B, T, H, hd)
        k = proj(x, b + "attn_k").view(B, T, KV, hd)
        v = proj(x, b + "attn_v").view(B, T, KV, hd)
        q, k = tr.apply_rope(q, fc), tr.apply_rope(k, fc)
        k = k.repeat_interleave(H // KV, dim=2)
        v = v.repeat_interleave(H // KV, dim=2)
        q, k, v = (t.transpose(1, 2) for t in (q, k, v))
        scores = q @ k.transpose(-1, -2) / math.sqrt(hd) + mask
        attn = (F.softmax(scores, dim=-1) @ v).transpose(1, 2).reshape(B, T, H * hd)
        h = h + proj(attn, b + "attn_output")
        x = tr.rms_norm(h, p[b + "ffn_norm.weight"], cfg["norm_eps"])
        ff = F.silu(proj(x, b + "ffn_gate")) * proj(x, b + "ffn_up")
        h = h + proj(ff, b + "ffn_down")
    h = tr.rms_norm(h, p["output_norm.weight"], cfg["norm_eps"])
    return h @ p["output.weight"].T


def main():
    out_dir = Path(sys.argv[1] if len(sys.argv) > 1 else "llama3j-train/src/test/resources/golden")
    out_dir.mkdir(parents=True, exist_ok=True)
    weights, tokens_np, targets_np, docs_np = tr.make_inputs(CFG)
    lora_np = make_lora(CFG)
    p = {k: torch.tensor(v, dtype=torch.float64) for k, v in weights.items()}                      # frozen base
    lora = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in lora_np.items()}
    tokens, targets, docs = (torch.tensor(a, dtype=torch.long) for a in (tokens_np, targets_np, docs_np))
    scaling = tr.f32(ALPHA) / RANK
    logits = side_path_forward(CFG, p, lora, scaling, tokens, docs)
    loss = F.cross_entropy(logits.view(-1, CFG["vocab"]), targets.view(-1), ignore_index=tr.IGNORE)
    loss.backward()
    merged = with_lora(p, {k: v.detach() for k, v in lora.items()}, scaling)
    merged_logits = tr.forward(CFG, merged, tokens, docs)
    gap = (merged_logits - logits).abs().max().item()
    assert gap < 1e-10, gap

    entries = tr.config_entries(CFG)
    entries["config.lora_rank"] = np.array([RANK], dtype=np.int32)
    entries["config.lora_alpha"] = np.array([ALPHA], dtype=np.float32)
    entries.update({"input." + k: v for k, v in weights.items()})
    entries.update({"lora." + k: v for k, v in lora_np.items()})
    entries.update({"batch.tokens": tokens_np.reshape(-1), "batch.targets": targets_np.reshape(-1),
                    "batch.doc_ids": docs_np.reshape(-1)})
    entries["loss"] = np.array([loss.item()], dtype=np.float32)
    entries["logits"] = logits.detach().reshape(-1, CFG["vocab"]).numpy().astype(np.float32)
    for k, t in lora.items():
        entries["grad.lora." + k] = t.grad.numpy().astype(np.float32)
    for l in range(CFG["n_layers"]):
        for s in STEMS:
            k = f"blk.{l}.{s}.weight"
            entries["merged." + k] = merged[k].numpy().astype(np.float32)
    tr.write(out_dir / "lora_tiny.bin", entries)
    print(f"lora_tiny: loss {loss.item():.6f}, merged-vs-side-path max |dlogit| {gap:.2e}")


if __name__ == "__main__":
    main()
