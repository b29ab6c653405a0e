"""PyTorch side of the sgemm ceiling in bench/train/throughput.sh: torch.mm (OpenBLAS sgemm) on
N×N×N floats, after a warm-up. Prints one JSON line with the best wall GFLOP/s and the best GFLOP
per CPU-second (process CPU time, OpenBLAS's threads included) over REPS calls.

Usage: OPENBLAS_NUM_THREADS=2 torch_sgemm.py N REPS
"""
import json
import sys
import time

import torch

torch.set_num_threads(1)
n, reps = int(sys.argv[1]), int(sys.argv[2])
a, b, c = torch.randn(n, n), torch.randn(n, n), torch.empty(n, n)
best_wall = best_cpu = float("inf")
for i in range(reps + 2):
    c0, t0 = time.process_time(), time.perf_counter()
    torch.mm(a, b, out=c)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    if i >= 2:
        best_wall, best_cpu = min(best_wall, wall), min(best_cpu, cpu)
flop = 2.0 * n ** 3
print(json.dumps({"engine": "pytorch", "n": n, "gflops": flop / best_wall / 1e9,
                  "gflops_per_cpu_s": flop / max(best_cpu, 1e-9) / 1e9}))
