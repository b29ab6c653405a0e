# Reference conversion (the Java DemoCorpus must produce identical bytes).
import json, os, sys, glob, re
src, out = sys.argv[1], sys.argv[2]
OPEN = {"``", "("}
NOSPACE = {".", ",", ";", ":", "?", "!", ")", "''"}
def detok(words):
    s = []; prev = None
    for w in words:
        t = '"' if w in ("``", "''") else w
        if s and w not in NOSPACE and prev not in OPEN:
            s.append(" ")
        s.append(t); prev = w
    return "".join(s)
def jd(o): return json.dumps(o, ensure_ascii=False, separators=(",", ":"))
with open(out + "/brown.jsonl", "w", encoding="utf-8") as f:
    for p in sorted(glob.glob(src + "/brown/package/c[a-r][0-9][0-9]")):
        sents = []
        for line in open(p, encoding="utf-8"):
            toks = line.split()
            if not toks: continue
            sents.append(detok([t[:t.rfind("/")] if "/" in t else t for t in toks]))
        f.write(jd({"id": "brown/" + os.path.basename(p), "text": " ".join(sents)}) + "\n")
with open(out + "/nlp-corpus.jsonl", "w", encoding="utf-8") as f:
    files = sorted(glob.glob(src + "/nlp/package/builds/doc-*.json"), key=lambda p: int(re.findall(r"\d+", os.path.basename(p))[0]))
    for p in files:
        for i, s in enumerate(json.load(open(p, encoding="utf-8"))):
            s = s.strip()
            if s: f.write(jd({"id": "nlp-corpus/%s/%d" % (os.path.basename(p)[:-5], i), "text": s}) + "\n")
