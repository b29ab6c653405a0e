#!/usr/bin/python3
"""PyTorch oracle for llama3j-posttrain: DPO and reward-model losses and gradients in float64.

Uses the Meta-style model of train_reference.py (same weights layout, GGUF names) on a batch of
3 preference pairs (rows 2i chosen, 2i+1 rejected, one dialog per row, padding in document 1).
Writes one golden file (format of train_reference.py) holding inputs and outputs:

  dpo.*   policy weights, reference log-probs (from a perturbed copy of the weights, computed once),
          loss (sigmoid DPO, beta 0.1, + 0.2 * mean-token NLL of the chosen reply), grad.<name>
  rm.*    scalar head (v, b) on the final hidden state of each row's last token, Bradley-Terry loss
          -log sigmoid(s_c - s_r) averaged over pairs, grad.<name>, grad.head

Targets of a row are its reply tokens (next-token positions), minus "format" tokens (ids >= 90)
to exercise Llama 3's masking. Usage: posttrain_reference.py OUT_DIR
"""
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
import train_reference as tr  # noqa: E402

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)

CFG = dict(dim=32, n_layers=2, n_heads=4, n_kv_heads=2, ffn_dim=64, vocab=97, norm_eps=1e-5,
           rope_theta=10000.0, rope_scaling=None, tied=0, max_seq_len=16, batch=6, seq_len=14, seed=77)
BETA, NLL_WEIGHT, FORMAT_MIN = 0.1, 0.2, 90
# (prompt length, chosen reply length, rejected reply length) per pair
PAIRS = [(4, 5, 3), (6, 7, 4), (3, 4, 6)]


def make_batch(rng):
    B, T = CFG["batch"], CFG["seq_len"]
    tokens = np.zeros((B, T), dtype=np.int32)
    targets = np.full((B, T), -100, dtype=np.int32)
    docs = np.ones((B, T), dtype=np.int32)
    for i, (prompt, chosen, rejected) in enumerate(PAIRS):
        prefix = rng.integers(0, 90, size=prompt)
        for row, reply in ((2 * i, chosen), (2 * i + 1, rejected)):
            body = rng.integers(0, 97, size=reply)
            body[-1] = 95  # the reply ends with a "format" (end-of-turn) token
            seq = np.concatenate([prefix, body])
            n = len(seq)
            tokens[row, :n] = seq
            docs[row, :n] = 0
            for t in range(prompt - 1, n - 1):  # position t predicts reply token t+1
                if seq[t + 1] < FORMAT_MIN:
                    targets[row, t] = seq[t + 1]
    return tokens, targets, docs


def token_logprobs(p, tokens, targets, docs):
    logits = tr.forward(CFG, p, tokens, docs)
    logp = F.log_softmax(logits, dim=-1)
    mask = targets >= 0
    picked = logp.gather(-1, targets.clamp(min=0).unsqueeze(-1)).squeeze(-1)
    return picked * mask, mask


def hidden_states(p, tokens, docs):
    """Final-norm output: the model with output.weight = identity returns it as 'logits'."""
    q = dict(p)
    q["output.weight"] = torch.eye(CFG["dim"])
    return tr.forward(CFG, q, tokens, docs)


def main():
    out_dir = Path(sys.argv[1] if len(sys.argv) > 1 else "llama3j-posttrain/src/test/resources/golden")
    out_dir.mkdir(parents=True, exist_ok=True)
    weights, _, _, _ = tr.make_inputs(CFG)
    rng = np.random.default_rng(CFG["seed"] + 1)
    ref_weights = {k: (v + 0.02 * rng.standard_normal(v.shape)).astype(np.float32) for k, v in weights.items()}
    tokens_np, targets_np, docs_np = make_batch(rng)
    head_np = (0.3 * rng.standard_normal(CFG["dim"] + 1)).astype(np.float32)
    tokens, targets, docs = (torch.tensor(a, dtype=torch.long) for a in (tokens_np, targets_np, docs_np))
    P = len(PAIRS)

    # ---- DPO
    with torch.no_grad():
        ref = {k: torch.tensor(v, dtype=torch.float64) for k, v in ref_weights.items()}
        ref_lp, _ = token_logprobs(ref, tokens, targets, docs)
        ref_seq = ref_lp.sum(-1)
    p = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in weights.items()}
    lp, mask = token_logprobs(p, tokens, targets, docs)
    seq = lp.sum(-1)
    z = BETA * ((seq[0::2] - ref_seq[0::2]) - (seq[1::2] - ref_seq[1::2]))
    nll = -(seq[0::2] / mask[0::2].sum(-1))
    loss = -F.logsigmoid(z).mean() + NLL_WEIGHT * nll.mean()
    loss.backward()
    out = {"dpo.loss": np.array([loss.item()], dtype=np.float32),
           "dpo.ref_logprobs": ref_seq.numpy().astype(np.float32),
           "dpo.config": np.array([BETA, NLL_WEIGHT], dtype=np.float32)}
    out.update({"dpo.grad." + k: t.grad.numpy().astype(np.float32) for k, t in p.items()})

    # ---- reward model
    p = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in weights.items()}
    head = torch.tensor(head_np, dtype=torch.float64, requires_grad=True)
    h = hidden_states(p, tokens, docs)
    last = torch.tensor([int(np.nonzero(docs_np[r] == 0)[0].max()) for r in range(CFG["batch"])])
    scores = h[torch.arange(CFG["batch"]), last] @ head[:-1] + head[-1]
    rm_loss = -F.logsigmoid(scores[0::2] - scores[1::2]).mean()
    rm_loss.backward()
    out["rm.loss"] = np.array([rm_loss.item()], dtype=np.float32)
    out["rm.scores"] = scores.detach().numpy().astype(np.float32)
    out["rm.grad.head"] = head.grad.numpy().astype(np.float32)
    out.update({"rm.grad." + k: (t.grad if t.grad is not None else torch.zeros_like(t)).numpy().astype(np.float32)
                for k, t in p.items()})

    ints = ["dim", "n_layers", "n_heads", "n_kv_heads", "ffn_dim", "vocab", "tied", "max_seq_len", "batch", "seq_len"]
    entries = {"config." + k: np.array([CFG[k]], dtype=np.int32) for k in ints}
    entries.update({"config." + k: np.array([CFG[k]], dtype=np.float32) for k in ("norm_eps", "rope_theta")})
    entries.update({"input." + k: v for k, v in weights.items()})
    entries.update({"reference." + k: v for k, v in ref_weights.items()})
    entries["input.head"] = head_np
    entries.update({"batch.tokens": tokens_np.reshape(-1), "batch.targets": targets_np.reshape(-1),
                    "batch.doc_ids": docs_np.reshape(-1)})
    entries.update(out)
    tr.write(out_dir / "posttrain_tiny.bin", entries)
    print(f"posttrain_tiny: dpo loss {loss.item():.6f}, rm loss {rm_loss.item():.6f}")


if __name__ == "__main__":
    main()
