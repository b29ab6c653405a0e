#!/usr/bin/env bash
# Regenerates the training golden files with PyTorch (float64) and fails if they drift from the
# committed test resources; then runs the Java test that checks llama3j-train against them.
# Entries must match to 1e-6 relative (max |diff| / max |value| per tensor): float64 results can
# differ in the last bits across torch builds, which is not drift.
# Needs: Debian python3 with python3-torch and numpy (apt-get install python3-torch), JDK 25.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
committed="$root/llama3j-train/src/test/resources/golden"
py=/usr/bin/python3
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$py" "$here/train_reference.py" "$tmp"
OMP_NUM_THREADS=1 "$py" "$here/lora_reference.py" "$tmp"   # LoRA side path, adapter gradients, merge
"$py" - "$committed" "$tmp" <<'PY'
import struct, sys
from pathlib import Path
import numpy as np

def read(path):
    b = Path(path).read_bytes()
    assert b[:4] == b"L3JG", path
    _, count = struct.unpack_from("<ii", b, 4)
    off, out = 12, {}
    for _ in range(count):
        (n,) = struct.unpack_from("<i", b, off); off += 4
        name = b[off:off + n].decode(); off += n
        code, ndim = struct.unpack_from("<ii", b, off); off += 8
        dims = struct.unpack_from("<%di" % ndim, b, off); off += 4 * ndim
        size = int(np.prod(dims)) if ndim else 1
        out[name] = np.frombuffer(b, dtype="<f4" if code == 0 else "<i4", count=size, offset=off)
        off += 4 * size
    return out

bad = []
for f in sorted(Path(sys.argv[2]).glob("*.bin")):
    old_path = Path(sys.argv[1]) / f.name
    if not old_path.exists():
        bad.append(f"{f.name}: not committed"); continue
    old, new = read(old_path), read(f)
    if old.keys() != new.keys():
        bad.append(f"{f.name}: entries differ: {sorted(set(old) ^ set(new))}"); continue
    for k in new:
        a, b = old[k].astype(np.float64), new[k].astype(np.float64)
        if a.shape != b.shape:
            bad.append(f"{f.name} {k}: shape {a.shape} vs {b.shape}"); continue
        scale = max(np.abs(b).max(), 1e-30)
        rel = np.abs(a - b).max() / scale
        if rel > 1e-6:
            bad.append(f"{f.name} {k}: relative drift {rel:.3g}")
if bad:
    print("training golden files DRIFTED from the PyTorch oracle:", *bad, sep="\n  ", file=sys.stderr)
    sys.exit(1)
print("training golden files: no drift")
PY
# BPE trainer: naive Python reference trainer + real tiktoken over the trained ranks (PATH python3
# with tiktoken and regex).
python3 "$here/bpe_reference.py" --check
cd "$root"
./mvnw -B -q -pl llama3j-train -am install -DskipTests
./mvnw -B -pl llama3j-train test -Dtest='PyTorchGoldenTest,LoraPyTorchGoldenTest,BpeTrainerGoldenTest' -Dsurefire.failIfNoSpecifiedTests=false | grep -E "worst|Tests run:|FAIL" 
