#!/usr/bin/python3
"""Golden logits of tiny Hugging Face-layout Llama checkpoints, computed by PyTorch.

Writes, per model, into OUT/<name>/:
  config.json         HF LlamaForCausalLM config (rope_scaling llama3 where the model has it)
  model.safetensors   HF tensor names and layout: q_proj/k_proj rows in the half-split
                      ("rotate_half") order, no lm_head.weight when embeddings are tied
  golden.json         the token ids and how the logits were computed
  logits.f32          float32 little-endian logits, [positions, vocab], PyTorch reference
  logits-f32act.f32   (BF16 models only) the same with float32 activations throughout

The model is written here from the transformers modeling_llama.py equations (not imported: the
environment has torch 1.13 only): RMSNorm in float32, rotary embeddings with rotate_half and
transformers' _compute_llama3_parameters scaling, grouped-query attention (repeat_kv), SwiGLU MLP.

BF16 checkpoints: the reference uses the same BF16 weights upcast to float32. llama3j (like
llama.cpp's CPU backend, ggml-cpu.c vec_dot_type) multiplies BF16 weights with activations rounded
to BF16, so logits.f32 rounds every BF16 matmul's input to BF16 the same way (torch .to(bfloat16)
rounds to nearest even, as ggml_compute_fp32_to_bf16 does); logits-f32act.f32 keeps float32
activations, the plain HF float32 forward, for a looser second check.

The safetensors file is written by hand (8-byte LE header size, JSON header padded with spaces to 8
bytes, raw little-endian data), since the `safetensors` package is not installed for this python.

Usage: /usr/bin/python3 hf_golden.py OUT_DIR
       /usr/bin/python3 hf_golden.py --logits CHECKPOINT_DIR OUT.f32 ID,ID,...   (logits of any HF
       checkpoint with one model.safetensors, e.g. one `llama3j convert` wrote)
"""
import json
import math
import os
import struct
import sys

import torch

# Shared shape: small enough that each checkpoint stays under ~300 KB.
DIM, LAYERS, HEADS, KV_HEADS, FFN, VOCAB = 48, 2, 4, 2, 96, 256
HEAD_DIM = DIM // HEADS
TOKENS = [1, 17, 200, 3, 99, 42, 42, 7, 255, 0, 128, 64, 5, 31, 190, 77, 12, 250, 9, 100]

# rope_scaling with a short original context so that, at head_dim 12 and theta 10000, the rotary
# frequencies fall in all three llama3 regimes (kept, blended, divided by factor) and the blended
# and divided ones still turn noticeably within 20 positions.
LLAMA3_SCALING = {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                  "original_max_position_embeddings": 256}

MODELS = [
    # name, dtype, tied, rope_theta, rope_scaling, seed
    ("f32-untied-llama3rope", "float32", False, 10000.0, LLAMA3_SCALING, 1),
    ("f32-tied-norope-scaling", "float32", True, 500000.0, None, 2),
    ("bf16-untied-llama3rope", "bfloat16", False, 10000.0, LLAMA3_SCALING, 3),
    ("bf16-tied-llama3rope", "bfloat16", True, 10000.0, LLAMA3_SCALING, 4),
]


def llama3_inv_freq(theta, head_dim, scaling):
    """transformers modeling_rope_utils: _compute_default_rope_parameters + _compute_llama3_parameters."""
    inv_freq = 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.int64).float() / head_dim))
    if scaling is None:
        return inv_freq
    factor = scaling["factor"]
    low, high = scaling["low_freq_factor"], scaling["high_freq_factor"]
    old_ctx = scaling["original_max_position_embeddings"]
    low_wavelen = old_ctx / low
    high_wavelen = old_ctx / high
    wavelen = 2 * math.pi / inv_freq
    inv_freq_llama = torch.where(wavelen > low_wavelen, inv_freq / factor, inv_freq)
    smooth = (old_ctx / wavelen - low) / (high - low)
    smoothed = (1 - smooth) * inv_freq_llama / factor + smooth * inv_freq_llama
    is_medium = ~(wavelen < high_wavelen) * ~(wavelen > low_wavelen)
    return torch.where(is_medium, smoothed, inv_freq_llama)


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def rms_norm(x, weight, eps):
    variance = x.pow(2).mean(-1, keepdim=True)
    return weight * (x * torch.rsqrt(variance + eps))


class Linear:
    """y = x W^T; with round_input, x is first rounded to BF16 (llama.cpp's BF16 vec_dot_type)."""

    def __init__(self, weight, round_input):
        self.weight = weight
        self.round_input = round_input

    def __call__(self, x):
        if self.round_input:
            x = x.to(torch.bfloat16).float()
        return x @ self.weight.t()


def forward(w, cfg, tokens, round_bf16):
    lin = lambda name: Linear(w[name], round_bf16)
    eps = cfg["rms_norm_eps"]
    heads = cfg["num_attention_heads"]
    kv_heads = cfg.get("num_key_value_heads", heads)
    head_dim = cfg.get("head_dim", cfg["hidden_size"] // heads)
    n = len(tokens)
    x = w["model.embed_tokens.weight"][torch.tensor(tokens)]
    inv_freq = llama3_inv_freq(cfg.get("rope_theta", 10000.0), head_dim, cfg.get("rope_scaling"))
    freqs = torch.outer(torch.arange(n).float(), inv_freq)
    emb = torch.cat((freqs, freqs), dim=-1)
    cos, sin = emb.cos(), emb.sin()
    mask = torch.full((n, n), float("-inf")).triu(1)
    group = heads // kv_heads
    for l in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{l}."
        h = rms_norm(x, w[p + "input_layernorm.weight"], eps)
        q = lin(p + "self_attn.q_proj.weight")(h).view(n, heads, head_dim).transpose(0, 1)
        k = lin(p + "self_attn.k_proj.weight")(h).view(n, kv_heads, head_dim).transpose(0, 1)
        v = lin(p + "self_attn.v_proj.weight")(h).view(n, kv_heads, head_dim).transpose(0, 1)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = k.repeat_interleave(group, dim=0)  # repeat_kv
        v = v.repeat_interleave(group, dim=0)
        scores = q @ k.transpose(1, 2) / math.sqrt(head_dim) + mask
        att = torch.softmax(scores, dim=-1) @ v
        att = att.transpose(0, 1).reshape(n, heads * head_dim)
        x = x + lin(p + "self_attn.o_proj.weight")(att)
        h = rms_norm(x, w[p + "post_attention_layernorm.weight"], eps)
        gate = lin(p + "mlp.gate_proj.weight")(h)
        up = lin(p + "mlp.up_proj.weight")(h)
        x = x + lin(p + "mlp.down_proj.weight")(torch.nn.functional.silu(gate) * up)
    x = rms_norm(x, w["model.norm.weight"], eps)
    head = w.get("lm_head.weight", w["model.embed_tokens.weight"])
    return Linear(head, round_bf16)(x)


def make_weights(seed, tied, dtype):
    """Seeded weights in HF layout ([out, in]); matrices ~ N(0, 1/fan_in), embeddings N(0, 1), norms ~1."""
    g = torch.Generator().manual_seed(seed)
    normal = lambda *shape, std: torch.randn(*shape, generator=g) * std
    norm = lambda: 1 + 0.1 * torch.randn(DIM, generator=g)
    w = {"model.embed_tokens.weight": normal(VOCAB, DIM, std=1.0)}
    for l in range(LAYERS):
        p = f"model.layers.{l}."
        w[p + "input_layernorm.weight"] = norm()
        w[p + "self_attn.q_proj.weight"] = normal(HEADS * HEAD_DIM, DIM, std=DIM ** -0.5)
        w[p + "self_attn.k_proj.weight"] = normal(KV_HEADS * HEAD_DIM, DIM, std=DIM ** -0.5)
        w[p + "self_attn.v_proj.weight"] = normal(KV_HEADS * HEAD_DIM, DIM, std=DIM ** -0.5)
        w[p + "self_attn.o_proj.weight"] = normal(DIM, HEADS * HEAD_DIM, std=DIM ** -0.5)
        w[p + "post_attention_layernorm.weight"] = norm()
        w[p + "mlp.gate_proj.weight"] = normal(FFN, DIM, std=DIM ** -0.5)
        w[p + "mlp.up_proj.weight"] = normal(FFN, DIM, std=DIM ** -0.5)
        w[p + "mlp.down_proj.weight"] = normal(DIM, FFN, std=FFN ** -0.5)
    w["model.norm.weight"] = norm()
    if not tied:
        w["lm_head.weight"] = normal(VOCAB, DIM, std=1.0)
    torch_dtype = {"float32": torch.float32, "bfloat16": torch.bfloat16}[dtype]
    return {k: v.to(torch_dtype) for k, v in w.items()}


def tensor_bytes(t):
    if t.dtype == torch.bfloat16:
        return t.contiguous().view(torch.int16).numpy().astype("<i2").tobytes()
    return t.contiguous().numpy().astype("<f4").tobytes()


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):  # the reference writer sorts names too
        t = tensors[name]
        data = tensor_bytes(t)
        header[name] = {"dtype": {torch.float32: "F32", torch.bfloat16: "BF16"}[t.dtype],
                        "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = {"format": "pt"}
    js = json.dumps(header, separators=(",", ":")).encode()
    js += b" " * (-len(js) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(js)))
        f.write(js)
        for b in blobs:
            f.write(b)


def config_json(dtype, tied, theta, scaling):
    cfg = {
        "architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_act": "silu",
        "hidden_size": DIM, "intermediate_size": FFN, "num_hidden_layers": LAYERS,
        "num_attention_heads": HEADS, "num_key_value_heads": KV_HEADS, "head_dim": HEAD_DIM,
        "rms_norm_eps": 1e-5, "rope_theta": theta, "max_position_embeddings": 1024,
        "vocab_size": VOCAB, "tie_word_embeddings": tied, "bos_token_id": 1, "eos_token_id": [2, 3],
        "torch_dtype": dtype,
    }
    if scaling is not None:
        cfg["rope_scaling"] = dict(scaling)
    return cfg


def read_safetensors(path):
    """All tensors of a safetensors file as float32 torch tensors (F32, F16 and BF16)."""
    import numpy as np
    with open(path, "rb") as f:
        data = f.read()
    size = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + size])
    base = 8 + size
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        raw = data[base + begin:base + end]
        if info["dtype"] == "F32":
            t = torch.from_numpy(np.frombuffer(raw, dtype="<f4").copy())
        elif info["dtype"] == "F16":
            t = torch.from_numpy(np.frombuffer(raw, dtype="<f2").astype("float32"))
        elif info["dtype"] == "BF16":
            t = torch.from_numpy(np.frombuffer(raw, dtype="<i2").copy()).view(torch.bfloat16).float()
        else:
            raise SystemExit(f"{path}: tensor {name} has dtype {info['dtype']}")
        out[name] = t.reshape(info["shape"])
    return out


def logits_of_checkpoint(d, tokens, out_path):
    """PyTorch logits of any HF Llama checkpoint directory (single model.safetensors), e.g. one llama3j exported."""
    with open(os.path.join(d, "config.json")) as f:
        cfg = json.load(f)
    w = read_safetensors(os.path.join(d, "model.safetensors"))
    bf16 = cfg.get("torch_dtype") == "bfloat16"
    with torch.no_grad():
        write_f32(out_path, forward(w, cfg, tokens, round_bf16=bf16))


def write_f32(path, t):
    with open(path, "wb") as f:
        f.write(t.detach().contiguous().numpy().astype("<f4").tobytes())


def main(out):
    torch.manual_seed(0)
    for name, dtype, tied, theta, scaling, seed in MODELS:
        d = os.path.join(out, name)
        os.makedirs(d, exist_ok=True)
        cfg = config_json(dtype, tied, theta, scaling)
        with open(os.path.join(d, "config.json"), "w") as f:
            json.dump(cfg, f, indent=2)
            f.write("\n")
        w = make_weights(seed, tied, dtype)
        write_safetensors(os.path.join(d, "model.safetensors"), w)
        w32 = {k: v.float() for k, v in w.items()}
        bf16 = dtype == "bfloat16"
        with torch.no_grad():
            logits = forward(w32, cfg, TOKENS, round_bf16=bf16)
            write_f32(os.path.join(d, "logits.f32"), logits)
            golden = {"tokens": TOKENS, "positions": len(TOKENS), "vocab": VOCAB, "dtype": dtype,
                      "activations": "bf16-rounded before BF16 matmuls" if bf16 else "float32",
                      "torch": torch.__version__}
            if bf16:
                plain = forward(w32, cfg, TOKENS, round_bf16=False)
                write_f32(os.path.join(d, "logits-f32act.f32"), plain)
                golden["f32act_max_abs_diff"] = float((plain - logits).abs().max())
        with open(os.path.join(d, "golden.json"), "w") as f:
            json.dump(golden, f, indent=2)
            f.write("\n")
        print(name, "max |logit|", float(logits.abs().max()))


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--logits":
        logits_of_checkpoint(sys.argv[2], [int(t) for t in sys.argv[4].split(",")], sys.argv[3])
    elif len(sys.argv) == 2:
        main(sys.argv[1])
    else:
        sys.exit("usage: hf_golden.py OUT_DIR | hf_golden.py --logits CHECKPOINT_DIR OUT.f32 ID,ID,...")
