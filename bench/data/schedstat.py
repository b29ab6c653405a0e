#!/usr/bin/env python3
"""Runs a command and reports, per thread name (trailing digits folded), the time its threads spent running and
waiting on the kernel's run queue (/proc/PID/task/TID/schedstat, polled every 20 ms; a thread's last 20 ms may be
missed). Threads that are rarely on a run queue and run little were blocked (a serial section elsewhere); threads
with a long run-queue wait wanted a CPU the machine did not give them (load). Linux only.
    bench/data/schedstat.py java -cp ... org.llama3j.data.exec.ThroughputProbe PIPELINE.yaml 3 2
"""
import collections
import os
import re
import subprocess
import sys
import time


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    child = subprocess.Popen(sys.argv[1:])  # its output passes through
    last = {}  # tid -> (name, run ns, run-queue wait ns), the latest sample
    while child.poll() is None:
        try:
            tids = os.listdir(f"/proc/{child.pid}/task")
        except OSError:
            break
        for tid in tids:
            try:
                with open(f"/proc/{child.pid}/task/{tid}/comm") as f:
                    name = f.read().strip()
                with open(f"/proc/{child.pid}/task/{tid}/schedstat") as f:
                    run, wait, _ = map(int, f.read().split())
            except (OSError, ValueError):
                continue  # the thread ended between listing and reading
            last[tid] = (name, run, wait)
        time.sleep(0.02)
    per_name = collections.defaultdict(lambda: [0, 0, 0])
    for name, run, wait in last.values():
        agg = per_name[re.sub(r"\d+$", "N", name)]  # comm is cut at 15 characters
        agg[0] += run
        agg[1] += wait
        agg[2] += 1
    for name, (run, wait, n) in sorted(per_name.items(), key=lambda kv: -kv[1][0])[:10]:
        print(f"{name:16s} threads {n:3d}  running {run / 1e9:7.2f} s  waiting for a CPU {wait / 1e9:7.2f} s")
    sys.exit(child.returncode)


if __name__ == "__main__":
    main()
