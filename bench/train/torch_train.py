"""PyTorch side of bench/train/throughput.sh: Llama 3 training steps (float32) on CPU.

The model is llama3j-train's (and scripts/oracle/train_reference.py's): RMSNorm, interleaved-pair
RoPE, grouped-query attention with a causal document mask, SwiGLU, tied output head; AdamW
(β 0.9/0.95, ε 1e-8, weight decay 0.1), global-norm clipping at 1.0. One step = B rows of T tokens,
random tokens in documents of random length (the mask is real). Prints one JSON line:
tokens/s over the timed steps, per-step seconds, peak RSS growth per token.

Usage: torch_train.py DIM LAYERS HEADS KV_HEADS FFN VOCAB SEQ BATCH WARMUP_STEPS TIMED_STEPS
"""
import json
import math
import resource
import sys
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)


def rms_norm(x, w, eps=1e-5):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * w


def apply_rope(x, fc):
    xc = torch.view_as_complex(x.float().reshape(*x.shape[:-1], -1, 2))
    return torch.view_as_real(xc * fc[None, :, None, :]).flatten(3)


def main():
    dim, layers, heads, kvh, ffn, vocab, T, B, warm, timed = map(int, sys.argv[1:11])
    hd = dim // heads
    kv = kvh * hd
    p = {"emb": torch.randn(vocab, dim) * 0.02}
    for l in range(layers):
        for n, s in (("an", (dim,)), ("q", (dim, dim)), ("k", (kv, dim)), ("v", (kv, dim)), ("o", (dim, dim)),
                     ("fn", (dim,)), ("g", (ffn, dim)), ("u", (ffn, dim)), ("d", (dim, ffn))):
            p[f"{l}.{n}"] = torch.ones(s) if len(s) == 1 else torch.randn(s) * 0.02
    p["norm"] = torch.ones(dim)
    for t in p.values():
        t.requires_grad_(True)
    decay = [t for t in p.values() if t.dim() == 2]
    no_decay = [t for t in p.values() if t.dim() == 1]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=1e-3, betas=(0.9, 0.95), eps=1e-8)
    inv = 1.0 / (500000.0 ** (torch.arange(0, hd, 2).float() / hd))
    fc = torch.polar(torch.ones(T, hd // 2), torch.outer(torch.arange(T).float(), inv))

    def batch(gen):
        tokens = torch.randint(0, vocab, (B, T + 1), generator=gen)
        docs = torch.zeros(B, T, dtype=torch.long)
        for b in range(B):
            pos, d = 0, 0
            while pos < T:
                n = int(torch.randint(32, 512, (1,), generator=gen))
                docs[b, pos:pos + n] = d
                pos, d = pos + n, d + 1
        return tokens[:, :T], tokens[:, 1:], docs

    def step(tokens, targets, docs):
        pos = torch.arange(T)
        allowed = (pos[None, :] <= pos[:, None])[None] & (docs[:, :, None] == docs[:, None, :])
        mask = torch.zeros(B, 1, T, T).masked_fill(~allowed[:, None], float("-inf"))
        h = p["emb"][tokens]
        for l in range(layers):
            x = rms_norm(h, p[f"{l}.an"])
            q = (x @ p[f"{l}.q"].T).view(B, T, heads, hd)
            k = (x @ p[f"{l}.k"].T).view(B, T, kvh, hd)
            v = (x @ p[f"{l}.v"].T).view(B, T, kvh, hd)
            q, k = apply_rope(q, fc), apply_rope(k, fc)
            k = k.repeat_interleave(heads // kvh, dim=2)
            v = v.repeat_interleave(heads // kvh, dim=2)
            q, k, v = (t.transpose(1, 2) for t in (q, k, v))
            scores = q @ k.transpose(-1, -2) / math.sqrt(hd) + mask
            a = (F.softmax(scores, dim=-1) @ v).transpose(1, 2).reshape(B, T, dim)
            h = h + a @ p[f"{l}.o"].T
            x = rms_norm(h, p[f"{l}.fn"])
            h = h + (F.silu(x @ p[f"{l}.g"].T) * (x @ p[f"{l}.u"].T)) @ p[f"{l}.d"].T
        logits = rms_norm(h, p["norm"]) @ p["emb"].T
        loss = F.cross_entropy(logits.view(-1, vocab), targets.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(list(p.values()), 1.0)
        opt.step()
        return loss.item()

    gen = torch.Generator().manual_seed(1)
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for _ in range(warm):
        step(*batch(gen))
    batches = [batch(gen) for _ in range(timed)]
    times = []
    cpu0 = time.process_time()
    for b in batches:
        t0 = time.perf_counter()
        step(*b)
        times.append(time.perf_counter() - t0)
    cpu = time.process_time() - cpu0
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    total = sum(times)
    print(json.dumps({"engine": "pytorch", "torch": torch.__version__, "threads": torch.get_num_threads(),
                      "tokens_per_step": B * T, "steps": timed, "seconds": total,
                      "tokens_per_s": B * T * timed / total, "step_s_min": min(times),
                      "tokens_per_s_best": B * T / min(times),
                      "cpu_seconds": cpu, "tokens_per_cpu_s": B * T * timed / cpu,
                      "peak_rss_growth_bytes_per_token": (rss1 - rss0) * 1024 / (B * T)}))


if __name__ == "__main__":
    main()
