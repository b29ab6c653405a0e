#!/usr/bin/python3
"""Compares two directories of L3JG golden files (train_reference.py's format): every committed file
must exist, hold the same entries and agree to 1e-6 relative (max |diff| / max |value| per entry;
float64 results can differ in the last bits across torch builds, which is not drift).
Usage: golden_drift.py COMMITTED_DIR FRESH_DIR LABEL"""
import struct
import sys
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


def main():
    committed, fresh, label = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    bad = []
    for f in sorted(fresh.glob("*.bin")):
        old_path = committed / f.name
        if not old_path.exists():
            bad.append(f"{f.name}: not committed"); continue
        old, new = read(old_path), read(f)
        if old.keys() != new.keys():
            bad.append(f"{f.name}: entries differ: {sorted(set(old) ^ set(new))}"); continue
        for k in new:
            a, b = old[k].astype(np.float64), new[k].astype(np.float64)
            if a.shape != b.shape:
                bad.append(f"{f.name} {k}: shape {a.shape} vs {b.shape}"); continue
            rel = np.abs(a - b).max() / max(np.abs(b).max(), 1e-30)
            if rel > 1e-6:
                bad.append(f"{f.name} {k}: relative drift {rel:.3g}")
    if bad:
        print(f"{label} golden files DRIFTED from the PyTorch oracle:", *bad, sep="\n  ", file=sys.stderr)
        sys.exit(1)
    print(f"{label} golden files: no drift")


if __name__ == "__main__":
    main()
