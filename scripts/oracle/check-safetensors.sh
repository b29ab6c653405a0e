#!/usr/bin/env bash
# Regenerates the safetensors golden files with the reference `safetensors` package and fails if
# they differ from the committed test resources. Needs: python3 with numpy and safetensors.
#
# The comparison is semantic for .safetensors files: the reference package keeps __metadata__ in a
# Rust HashMap, so with two or more metadata keys their order in the JSON header changes from run to
# run. We compare the parsed header (as a JSON object) and the data bytes, which is what a reader sees.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
committed="$here/../../llama3j-core/src/test/resources/safetensors-golden"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 "$here/safetensors_golden.py" "$tmp" >/dev/null
if python3 - "$committed" "$tmp" <<'PY'
import json, os, struct, sys

def parts(path):
    with open(path, "rb") as f:
        blob = f.read()
    if not path.endswith(".safetensors"):
        return blob
    (n,) = struct.unpack("<Q", blob[:8])
    return json.loads(blob[8:8 + n]), blob[8 + n:]

a, b = sys.argv[1], sys.argv[2]
names = lambda root: sorted(os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(root) for f in fs)
bad = [] if names(a) == names(b) else ["file lists differ: %s vs %s" % (names(a), names(b))]
for rel in names(a) if not bad else []:
    if parts(os.path.join(a, rel)) != parts(os.path.join(b, rel)):
        bad.append(rel)
for line in bad:
    print("  differs:", line, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
then
  echo "safetensors golden files: no drift"
else
  echo "safetensors golden files DRIFTED from the reference package" >&2
  exit 1
fi
