#!/usr/bin/python3
"""PyTorch oracle for llama3j-train: a tiny Llama 3 trained for 10 steps in float64.

Builds a Meta-model.py-style Llama (RMSNorm, interleaved-pair RoPE via complex multiplication
with Llama 3.1 frequency scaling, grouped-query attention with a causal *document* mask, SwiGLU
feed-forward, untied or tied output) from weights drawn with a seeded numpy generator, and writes
one golden file per variant holding the inputs (config, weights, batch) and the outputs:

  loss, logits [B*T, V], grad.<name> (gradients of the first step, before clipping),
  losses [10] (loss before each step), step10.<name> (weights after 10 AdamW steps with global
  norm clipping and a linear-warmup + cosine schedule).

Tensor names are GGUF's. The file format (little-endian) is read by GoldenFile.java:
  b"L3JG", int32 version=1, int32 count, then per entry:
  int32 name_len, name (utf-8), int32 dtype (0=f32, 1=i32), int32 ndim, int32 dims[ndim], data.

Usage: train_reference.py OUT_DIR
"""
import math
import struct
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)

IGNORE = -100


def f32(x):
    """Round a hyper-parameter to float32, the precision Java stores it in."""
    return float(np.float32(x))


VARIANTS = {
    "tiny_untied": dict(dim=32, n_layers=2, n_heads=4, n_kv_heads=2, ffn_dim=64, vocab=97,
                        norm_eps=1e-5, rope_theta=500000.0, rope_scaling=(8.0, 1.0, 4.0, 16),
                        tied=0, max_seq_len=16, batch=2, seq_len=16, seed=1234,
                        max_lr=3e-3, warmup=3, total_steps=10, min_lr_ratio=0.1,
                        beta1=0.9, beta2=0.95, eps=1e-8, weight_decay=0.1, clip=0.5),
    "tiny_tied": dict(dim=32, n_layers=2, n_heads=4, n_kv_heads=2, ffn_dim=64, vocab=97,
                      norm_eps=1e-5, rope_theta=10000.0, rope_scaling=None,
                      tied=1, max_seq_len=16, batch=2, seq_len=16, seed=99,
                      max_lr=3e-3, warmup=3, total_steps=10, min_lr_ratio=0.1,
                      beta1=0.9, beta2=0.95, eps=1e-8, weight_decay=0.1, clip=1.0),
}
STEPS = 10


# ----------------------------------------------------------------------------- model

def rope_inv_freq(head_dim, theta, scaling):
    freqs = [1.0 / theta ** (i / head_dim) for i in range(0, head_dim, 2)]
    if scaling is None:
        return freqs
    factor, low, high, old_ctx = scaling
    out = []
    for f in freqs:  # Meta llama-models apply_scaling
        wavelen = 2 * math.pi / f
        if wavelen < old_ctx / high:
            out.append(f)
        elif wavelen > old_ctx / low:
            out.append(f / factor)
        else:
            smooth = (old_ctx / wavelen - low) / (high - low)
            out.append((1 - smooth) * f / factor + smooth * f)
    return out


def freqs_cis(cfg):
    inv = torch.tensor(rope_inv_freq(cfg["dim"] // cfg["n_heads"], cfg["rope_theta"], cfg["rope_scaling"]))
    t = torch.arange(cfg["seq_len"], dtype=torch.float64)
    return torch.polar(torch.ones(len(t), len(inv)), torch.outer(t, inv))  # [T, hd/2] complex128


def apply_rope(x, fc):
    # x: [B, T, H, hd]; pairs (2i, 2i+1) are one complex number (Meta model.py apply_rotary_emb)
    xc = torch.view_as_complex(x.reshape(*x.shape[:-1], -1, 2))
    return torch.view_as_real(xc * fc[None, :, None, :]).flatten(3)


def rms_norm(x, w, eps):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * w


def forward(cfg, p, tokens, docs):
    B, T = tokens.shape
    H, KV = cfg["n_heads"], cfg["n_kv_heads"]
    hd = cfg["dim"] // H
    fc = freqs_cis(cfg)
    pos = torch.arange(T)
    allowed = (pos[None, :] <= pos[:, None])[None] & (docs[:, :, None] == docs[:, None, :])  # [B, Tq, Tk]
    mask = torch.zeros(B, 1, T, T).masked_fill(~allowed[:, None], float("-inf"))
    h = p["token_embd.weight"][tokens]
    for l in range(cfg["n_layers"]):
        b = f"blk.{l}."
        x = rms_norm(h, p[b + "attn_norm.weight"], cfg["norm_eps"])
        q = (x @ p[b + "attn_q.weight"].T).view(B, T, H, hd)
        k = (x @ p[b + "attn_k.weight"].T).view(B, T, KV, hd)
        v = (x @ p[b + "attn_v.weight"].T).view(B, T, KV, hd)
        q, k = apply_rope(q, fc), apply_rope(k, fc)
        k = k.repeat_interleave(H // KV, dim=2)
        v = v.repeat_interleave(H // KV, dim=2)
        q, k, v = (t.transpose(1, 2) for t in (q, k, v))
        scores = q @ k.transpose(-1, -2) / math.sqrt(hd) + mask
        attn = (F.softmax(scores, dim=-1) @ v).transpose(1, 2).reshape(B, T, H * hd)
        h = h + attn @ p[b + "attn_output.weight"].T
        x = rms_norm(h, p[b + "ffn_norm.weight"], cfg["norm_eps"])
        ff = F.silu(x @ p[b + "ffn_gate.weight"].T) * (x @ p[b + "ffn_up.weight"].T)
        h = h + ff @ p[b + "ffn_down.weight"].T
    h = rms_norm(h, p["output_norm.weight"], cfg["norm_eps"])
    out_w = p["token_embd.weight"] if cfg["tied"] else p["output.weight"]
    return h @ out_w.T


def loss_of(cfg, p, tokens, targets, docs):
    logits = forward(cfg, p, tokens, docs)
    return F.cross_entropy(logits.view(-1, cfg["vocab"]), targets.view(-1), ignore_index=IGNORE), logits


# ----------------------------------------------------------------------------- inputs

def param_shapes(cfg):
    d, f, kv = cfg["dim"], cfg["ffn_dim"], cfg["n_kv_heads"] * (cfg["dim"] // cfg["n_heads"])
    shapes = {"token_embd.weight": (cfg["vocab"], d)}
    for l in range(cfg["n_layers"]):
        b = f"blk.{l}."
        shapes.update({b + "attn_norm.weight": (d,), b + "attn_q.weight": (d, d), b + "attn_k.weight": (kv, d),
                       b + "attn_v.weight": (kv, d), b + "attn_output.weight": (d, d), b + "ffn_norm.weight": (d,),
                       b + "ffn_gate.weight": (f, d), b + "ffn_up.weight": (f, d), b + "ffn_down.weight": (d, f)})
    shapes["output_norm.weight"] = (d,)
    if not cfg["tied"]:
        shapes["output.weight"] = (cfg["vocab"], d)
    return shapes


def make_inputs(cfg):
    rng = np.random.default_rng(cfg["seed"])
    weights = {}
    for name, shape in param_shapes(cfg).items():
        if len(shape) == 1:  # norm weights near 1 so their gradient path is exercised
            weights[name] = (1.0 + 0.1 * rng.standard_normal(shape)).astype(np.float32)
        else:
            weights[name] = (0.1 * rng.standard_normal(shape)).astype(np.float32)
    B, T, V = cfg["batch"], cfg["seq_len"], cfg["vocab"]
    tokens = rng.integers(0, V, size=(B, T)).astype(np.int32)
    docs = np.zeros((B, T), dtype=np.int32)
    docs[0, 7:] = 1   # two documents per packed row, boundaries at 7 and 10
    docs[1, 10:] = 1
    targets = rng.integers(0, V, size=(B, T)).astype(np.int32)
    for b in range(B):
        for t in range(T):
            if t == T - 1 or docs[b, t + 1] != docs[b, t]:
                targets[b, t] = IGNORE  # no next token inside this document
    return weights, tokens, targets, docs


# ----------------------------------------------------------------------------- training

def lr_at(cfg, step):
    max_lr, warm, total, ratio = f32(cfg["max_lr"]), cfg["warmup"], cfg["total_steps"], f32(cfg["min_lr_ratio"])
    if step < warm:
        return max_lr * (step + 1) / warm
    min_lr = max_lr * ratio
    if step >= total:
        return min_lr
    progress = (step - warm) / (total - warm)
    return min_lr + 0.5 * (1 + math.cos(math.pi * progress)) * (max_lr - min_lr)


def run(cfg):
    weights, tokens_np, targets_np, docs_np = make_inputs(cfg)
    p = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in weights.items()}
    tokens, targets, docs = (torch.tensor(a, dtype=torch.long) for a in (tokens_np, targets_np, docs_np))
    decay = [t for t in p.values() if t.dim() >= 2]      # WeightDecayScope.MATRICES
    no_decay = [t for t in p.values() if t.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": f32(cfg["weight_decay"])},
                             {"params": no_decay, "weight_decay": 0.0}],
                            lr=f32(cfg["max_lr"]), betas=(f32(cfg["beta1"]), f32(cfg["beta2"])),
                            eps=f32(cfg["eps"]), foreach=False)
    out = {}
    losses, norms = [], []
    for step in range(STEPS):
        opt.zero_grad()
        loss, logits = loss_of(cfg, p, tokens, targets, docs)
        loss.backward()
        if step == 0:
            out["loss"] = np.array([loss.item()], dtype=np.float32)
            out["logits"] = logits.detach().reshape(-1, cfg["vocab"]).numpy().astype(np.float32)
            for k, t in p.items():
                out["grad." + k] = t.grad.numpy().astype(np.float32)
        losses.append(loss.item())
        norms.append(torch.nn.utils.clip_grad_norm_(list(p.values()), f32(cfg["clip"])).item())
        for g in opt.param_groups:
            g["lr"] = lr_at(cfg, step)
        opt.step()
    out["losses"] = np.array(losses, dtype=np.float32)
    out["grad_norms"] = np.array(norms, dtype=np.float32)
    for k, t in p.items():
        out["step10." + k] = t.detach().numpy().astype(np.float32)
    return weights, tokens_np, targets_np, docs_np, out


# ----------------------------------------------------------------------------- file

def config_entries(cfg):
    ints = ["dim", "n_layers", "n_heads", "n_kv_heads", "ffn_dim", "vocab", "tied", "max_seq_len", "batch",
            "seq_len", "warmup", "total_steps"]
    floats = ["norm_eps", "rope_theta", "max_lr", "min_lr_ratio", "beta1", "beta2", "eps", "weight_decay", "clip"]
    e = {"config." + k: np.array([cfg[k]], dtype=np.int32) for k in ints}
    e.update({"config." + k: np.array([cfg[k]], dtype=np.float32) for k in floats})
    e["config.steps"] = np.array([STEPS], dtype=np.int32)
    if cfg["rope_scaling"] is not None:
        e["config.rope_scaling"] = np.array(cfg["rope_scaling"], dtype=np.float32)
    return e


def write(path, entries):
    with open(path, "wb") as fh:
        fh.write(b"L3JG" + struct.pack("<ii", 1, len(entries)))
        for name, arr in entries.items():
            arr = np.ascontiguousarray(arr)
            code = {np.dtype(np.float32): 0, np.dtype(np.int32): 1}[arr.dtype]
            raw = name.encode("utf-8")
            fh.write(struct.pack("<i", len(raw)) + raw + struct.pack("<ii", code, arr.ndim))
            fh.write(struct.pack("<%di" % arr.ndim, *arr.shape))
            fh.write(arr.astype(arr.dtype.newbyteorder("<")).tobytes())


def main():
    out_dir = Path(sys.argv[1] if len(sys.argv) > 1 else "llama3j-train/src/test/resources/golden")
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, cfg in VARIANTS.items():
        weights, tokens, targets, docs, out = run(cfg)
        entries = config_entries(cfg)
        entries.update({"input." + k: v for k, v in weights.items()})
        entries.update({"batch.tokens": tokens.reshape(-1), "batch.targets": targets.reshape(-1),
                        "batch.doc_ids": docs.reshape(-1)})
        entries.update(out)
        write(out_dir / (name + ".bin"), entries)
        print(f"{name}: loss {out['loss'][0]:.6f}, losses {out['losses'][0]:.4f} -> {out['losses'][-1]:.4f}, "
              f"grad norms {out['grad_norms'][0]:.4f} .. {out['grad_norms'][-1]:.4f}")


if __name__ == "__main__":
    main()
