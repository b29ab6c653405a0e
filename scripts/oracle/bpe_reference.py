#!/usr/bin/env python3
"""Golden values for llama3j-train's BpeTrainerGoldenTest.

1. Writes a deterministic multilingual toy corpus (bpe/corpus.txt) if it does not exist.
2. Trains byte-level BPE on it with a deliberately naive reference (all pair counts recomputed for every
   merge; pieces from the Llama 3 split pattern via the `regex` module, as tiktoken uses it; ties to the
   smallest (left id, right id); a merge whose bytes already exist reuses that id).
3. Encodes sample texts with tiktoken over the trained ranks (the real tiktoken, our ranks).
Writes bpe/golden.json; with --check, fails if the freshly computed values differ from the stored ones.
"""
import base64
import json
import random
import sys
from collections import Counter
from pathlib import Path

import regex
import tiktoken

PAT = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"
       r"|\s*[\r\n]+|\s+(?!\S)|\s+")
VOCAB = 600
RES = Path(__file__).resolve().parents[2] / "llama3j-train/src/test/resources/bpe"
SAMPLES = [
    "The quick brown fox doesn't jump over 12345 lazy dogs!",
    "Über café — naïve façade, 東京タワー and 🦙🦙 llamas.\n\n  indented\tline\r\n",
    "the the the theatre thesis' 'tis ok?!",
]


def corpus():
    rnd = random.Random(20261129)
    words = ["the", "llama", "walks", "over", "green", "hills", "and", "eats", "grass", "in", "spring",
             "café", "naïve", "Über", "東京", "タワー", "🦙", "don't", "we'll", "1984", "3.14159", "hello,",
             "world!", "(quiet)", "river's", "edge"]
    lines = []
    for _ in range(400):
        n = rnd.randint(3, 12)
        lines.append(" ".join(rnd.choice(words) for _ in range(n)) + rnd.choice([".", "!", "?", "", " "]))
    return "\n".join(lines) + "\n"


def train(text, vocab):
    counts = Counter(regex.findall(PAT, text))
    words = [[b for b in w.encode("utf-8")] for w in sorted(counts)]
    weights = [counts[w] for w in sorted(counts)]
    tokens = [bytes([b]) for b in range(256)]
    ids = {t: i for i, t in enumerate(tokens)}
    merges = []
    while len(tokens) < vocab:
        pairs = Counter()
        for w, c in zip(words, weights):
            for a, b in zip(w, w[1:]):
                pairs[(a, b)] += c
        if not pairs:
            break
        (a, b), _ = min(pairs.items(), key=lambda kv: (-kv[1], kv[0]))
        joined = tokens[a] + tokens[b]
        if joined in ids:
            new = ids[joined]
        else:
            new = len(tokens)
            tokens.append(joined)
            ids[joined] = new
        merges.append([a, b, new])
        for k, w in enumerate(words):
            out, i = [], 0
            while i < len(w):
                if i + 1 < len(w) and w[i] == a and w[i + 1] == b:
                    out.append(new)
                    i += 2
                else:
                    out.append(w[i])
                    i += 1
            words[k] = out
    return tokens, merges


def main():
    RES.mkdir(parents=True, exist_ok=True)
    corpus_file = RES / "corpus.txt"
    if not corpus_file.exists():
        corpus_file.write_bytes(corpus().encode("utf-8"))
    text = corpus_file.read_bytes().decode("utf-8")
    tokens, merges = train(text, VOCAB)
    enc = tiktoken.Encoding("llama3j-toy", pat_str=PAT, mergeable_ranks={t: i for i, t in enumerate(tokens)},
                            special_tokens={})
    golden = {
        "vocab": VOCAB,
        "ranks": [base64.b64encode(t).decode() for t in tokens],
        "merges": merges,
        "samples": [{"text": s, "ids": enc.encode(s)} for s in SAMPLES],
    }
    out = RES / "golden.json"
    if "--check" in sys.argv:
        stored = json.loads(out.read_text())
        if stored != golden:
            sys.exit("bpe golden drift: stored values differ from the reference")
        print("bpe golden: no drift")
        return
    out.write_text(json.dumps(golden, indent=0))
    print(f"wrote {out}: {len(tokens)} ranks, {len(merges)} merges")


if __name__ == "__main__":
    main()
