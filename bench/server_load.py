#!/usr/bin/env python3
"""Concurrent streaming load on a running `llama3j serve` (stdlib only, loopback).

For each concurrency level C, C client threads each send REQUESTS streamed chat completions one
after another (SSE, stream_options.include_usage). Per level it reports aggregate generated
tokens/s (usage.completion_tokens over the level's wall time), time to first token and
inter-token latency percentiles (client side, per content chunk), errors, and the scheduler's
counters from /metrics (decode steps, mean and largest batch, mean decode-step time).

--soak-seconds S runs C clients continuously for S seconds and samples the server's RSS
(/proc/PID/status) every --rss-interval seconds; memory is called flat when, after the warm-up
(first quarter of the samples), RSS stays within 5% (or 32 MiB) of its post-warm-up start.
"""
import argparse
import http.client
import json
import statistics
import sys
import threading
import time
import urllib.parse


def percentile(values, p):
    if not values:
        return float("nan")
    s = sorted(values)
    k = (len(s) - 1) * p / 100.0
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def metrics(url):
    u = urllib.parse.urlsplit(url)
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    c.request("GET", "/metrics")
    out = {}
    for line in c.getresponse().read().decode().splitlines():
        if line and not line.startswith("#") and "{" not in line:
            name, value = line.rsplit(" ", 1)
            out[name] = float(value)
    c.close()
    return out


def model_id(url):
    u = urllib.parse.urlsplit(url)
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    c.request("GET", "/v1/models")
    mid = json.loads(c.getresponse().read())["data"][0]["id"]
    c.close()
    return mid


class Result:
    def __init__(self):
        self.lock = threading.Lock()
        self.ttft, self.itl, self.tokens, self.errors, self.requests = [], [], 0, [], 0

    def add(self, ttft, gaps, tokens):
        with self.lock:
            self.ttft.append(ttft)
            self.itl.extend(gaps)
            self.tokens += tokens
            self.requests += 1

    def error(self, message):
        with self.lock:
            self.errors.append(message)


def stream_once(url, model, client, i, max_tokens, result):
    """One streamed chat request; records TTFT, gaps between content chunks and usage tokens."""
    u = urllib.parse.urlsplit(url)
    body = json.dumps({"model": model, "stream": True, "stream_options": {"include_usage": True},
                       "max_tokens": max_tokens, "temperature": 1, "seed": client * 1000 + i,
                       "messages": [{"role": "user", "content": f"Client {client} request {i}: tell a story."}]})
    try:
        c = http.client.HTTPConnection(u.hostname, u.port, timeout=300)
        t0 = time.perf_counter()
        c.request("POST", "/v1/chat/completions", body, {"Content-Type": "application/json"})
        r = c.getresponse()
        if r.status != 200:
            result.error(f"HTTP {r.status}: {r.read()[:200]!r}")
            return
        times, usage, done = [], None, False
        for raw in r:
            line = raw.strip()
            if not line.startswith(b"data: "):
                continue
            data = line[6:]
            if data == b"[DONE]":
                done = True
                break
            chunk = json.loads(data)
            if "error" in chunk:
                result.error(str(chunk["error"]))
                return
            if chunk.get("usage"):
                usage = chunk["usage"]
            elif chunk["choices"] and chunk["choices"][0]["delta"].get("content"):
                times.append(time.perf_counter())
        c.close()
        if not done or usage is None or not times:
            result.error(f"incomplete stream (done={done}, usage={usage}, chunks={len(times)})")
            return
        result.add(times[0] - t0, [b - a for a, b in zip(times, times[1:])], usage["completion_tokens"])
    except Exception as e:  # a failed request is counted, not fatal
        result.error(repr(e))


def run_level(url, model, clients, requests, max_tokens, until=None):
    result = Result()

    def client(k):
        i = 0
        while (i < requests) if until is None else (time.monotonic() < until):
            stream_once(url, model, k, i, max_tokens, result)
            i += 1

    before = metrics(url)
    t0 = time.perf_counter()
    threads = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    after = metrics(url)
    return result, wall, before, after


def report(clients, result, wall, before, after):
    d = lambda name: after.get(name, 0) - before.get(name, 0)
    steps = d("llama3j_decode_steps_total")
    row = {
        "clients": clients, "requests": result.requests, "errors": len(result.errors),
        "tokens": result.tokens, "wall_s": round(wall, 2),
        "tokens_per_s": round(result.tokens / wall, 1),
        "ttft_p50_ms": round(percentile(result.ttft, 50) * 1000, 1),
        "ttft_p99_ms": round(percentile(result.ttft, 99) * 1000, 1),
        "itl_p50_ms": round(percentile(result.itl, 50) * 1000, 1),
        "itl_p99_ms": round(percentile(result.itl, 99) * 1000, 1),
        "decode_steps": int(steps),
        "mean_batch": round(d("llama3j_decode_batched_sequences_total") / steps, 2) if steps else 0,
        "max_batch_ever": int(after.get("llama3j_batch_size_max", 0)),
        "decode_step_ms": round(1000 * d("llama3j_decode_step_seconds_sum") / steps, 1) if steps else 0,
    }
    # Decode throughput alone (issue #5's "aggregate decode throughput"): tokens the decode steps
    # produced per second spent in them, i.e. without the prompts' prefill that tokens_per_s includes.
    step_s = d("llama3j_decode_step_seconds_sum")
    row["decode_tokens_per_s"] = round(d("llama3j_decode_batched_sequences_total") / step_s, 1) if step_s else 0
    for e in result.errors[:5]:
        print(f"  error: {e}", file=sys.stderr)
    return row


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")


def soak(args, model):
    samples, stop = [], threading.Event()

    def sampler():
        t0 = time.monotonic()
        while not stop.is_set():
            samples.append((round(time.monotonic() - t0), rss_kib(args.pid) // 1024))
            print(f"  soak t={samples[-1][0]:4d}s rss={samples[-1][1]} MiB", flush=True)
            stop.wait(args.rss_interval)

    th = threading.Thread(target=sampler, daemon=True)
    th.start()
    until = time.monotonic() + args.soak_seconds
    result, wall, before, after = run_level(args.url, model, args.soak_clients, 0, args.max_tokens, until)
    stop.set()
    th.join()
    samples.append((round(wall), rss_kib(args.pid) // 1024))
    row = report(args.soak_clients, result, wall, before, after)
    warm = samples[max(1, len(samples) // 4):] or samples
    start, peak, end = warm[0][1], max(s[1] for s in warm), samples[-1][1]
    growth = peak - start
    flat = growth <= max(32, 0.05 * start)
    row.update({"soak_s": args.soak_seconds, "rss_first_mib": samples[0][1], "rss_after_warmup_mib": start,
                "rss_peak_after_warmup_mib": peak, "rss_end_mib": end, "rss_growth_mib": growth,
                "memory_flat": flat, "rss_samples": samples})
    return row


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", required=True)
    ap.add_argument("--concurrency", default="1,4,8,16")
    ap.add_argument("--requests", type=int, default=2, help="requests per client per level")
    ap.add_argument("--max-tokens", type=int, default=64)
    ap.add_argument("--warmup", type=int, default=2, help="requests before measuring (JIT)")
    ap.add_argument("--soak-seconds", type=int, default=0)
    ap.add_argument("--soak-clients", type=int, default=8)
    ap.add_argument("--rss-interval", type=float, default=10)
    ap.add_argument("--pid", type=int, help="server pid (for the soak's RSS)")
    ap.add_argument("--json", help="write the rows here")
    args = ap.parse_args()
    model = model_id(args.url)
    rows = []
    if args.warmup:
        run_level(args.url, model, 1, args.warmup, args.max_tokens)
    for c in [int(x) for x in args.concurrency.split(",") if x and x != "0"]:  # 0: soak only
        result, wall, before, after = run_level(args.url, model, c, args.requests, args.max_tokens)
        rows.append(report(c, result, wall, before, after))
        print(json.dumps(rows[-1]), flush=True)
    if rows and rows[0]["clients"] == 1:
        for r in rows:
            r["speedup_vs_1"] = round(r["tokens_per_s"] / rows[0]["tokens_per_s"], 2)
            if rows[0]["decode_tokens_per_s"]:
                r["decode_speedup_vs_1"] = round(r["decode_tokens_per_s"] / rows[0]["decode_tokens_per_s"], 2)
        # tok/s: all generated tokens over wall time (prefill included); decode tok/s: over decode-step time
        print("clients  tok/s  speedup  decode tok/s  speedup  ttft p50/p99 ms   itl p50/p99 ms  mean batch  step ms  errors")
        for r in rows:
            print(f"{r['clients']:7d} {r['tokens_per_s']:6.1f} {r['speedup_vs_1']:7.2f}x "
                  f"{r['decode_tokens_per_s']:12.1f} {r.get('decode_speedup_vs_1', 0):7.2f}x "
                  f"{r['ttft_p50_ms']:7.0f}/{r['ttft_p99_ms']:<7.0f} {r['itl_p50_ms']:7.1f}/{r['itl_p99_ms']:<7.1f}"
                  f" {r['mean_batch']:9.2f} {r['decode_step_ms']:8.1f} {r['errors']:6d}")
    if args.soak_seconds:
        if not args.pid:
            ap.error("--soak-seconds needs --pid")
        row = soak(args, model)
        rows.append(row)
        print(json.dumps({k: v for k, v in row.items() if k != "rss_samples"}))
        print(f"soak: {row['soak_s']} s, {row['clients']} clients, {row['requests']} requests, {row['errors']} errors; "
              f"RSS {row['rss_first_mib']} -> {row['rss_after_warmup_mib']} (after warm-up) -> peak "
              f"{row['rss_peak_after_warmup_mib']}, end {row['rss_end_mib']} MiB: "
              f"{'flat' if row['memory_flat'] else 'GROWING'}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1)
    errors = sum(r["errors"] for r in rows)
    soak_ok = all(r.get("memory_flat", True) for r in rows)
    return 0 if errors == 0 and soak_ok else 1


if __name__ == "__main__":
    sys.exit(main())
