#!/usr/bin/env python3
"""Dumps tokenizer.ggml.* metadata of llama.cpp's ggml-vocab-llama-bpe.gguf with the `gguf` pip package
into a gzip'd JSON test resource, so GgufVocabulary is tested without the project's GGUF reader.

Usage: gguf_vocab_dump.py VOCAB.gguf OUT_DIR   (writes OUT_DIR/llama3-gguf-vocab.json.gz)
"""
import gzip
import json
import os
import sys

from gguf import GGUFReader


def string(field, i):
    return bytes(field.parts[i]).decode("utf-8")


def main():
    reader = GGUFReader(sys.argv[1])
    f = reader.fields
    tokens = f["tokenizer.ggml.tokens"]
    types = f["tokenizer.ggml.token_type"]
    merges = f["tokenizer.ggml.merges"]
    pre = f["tokenizer.ggml.pre"]
    bos = f["tokenizer.ggml.bos_token_id"]
    out = {
        "model": string(f["tokenizer.ggml.model"], f["tokenizer.ggml.model"].data[0]),
        "pre": string(pre, pre.data[0]),
        "bos": int(bos.parts[bos.data[0]][0]),
        "tokens": [string(tokens, i) for i in tokens.data],
        "types": [int(types.parts[i][0]) for i in types.data],
        "merges": [string(merges, i) for i in merges.data],
    }
    path = os.path.join(sys.argv[2], "llama3-gguf-vocab.json.gz")
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(json.dumps(out, ensure_ascii=True).encode("ascii"))
    print(f"wrote {len(out['tokens'])} tokens, {len(out['merges'])} merges to {path}")


if __name__ == "__main__":
    main()
