#!/usr/bin/env python3
"""Load benchmark for `llama3j serve` (Python standard library only).

Sends --requests streaming chat completions, --concurrency at a time, to a server on this machine
and reports time to first token, per-request decode speed, aggregate throughput and the largest
decode batch the scheduler used (from /metrics). Every loop is bounded by the request count and a
per-request timeout; only loopback addresses are accepted.

    python3 bench/load.py --url http://127.0.0.1:8080 --model NAME --concurrency 8 --requests 32
"""
import argparse
import http.client
import json
import statistics
import sys
import threading
import time
import urllib.parse


def one_request(url, model, prompt, max_tokens, key, timeout):
    u = urllib.parse.urlparse(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
    body = json.dumps({"model": model, "messages": [{"role": "user", "content": prompt}],
                       "max_tokens": max_tokens, "stream": True, "stream_options": {"include_usage": True},
                       "temperature": 0.7, "seed": 1})
    headers = {"Content-Type": "application/json"}
    if key:
        headers["Authorization"] = "Bearer " + key
    start = time.perf_counter()
    conn.request("POST", "/v1/chat/completions", body, headers)
    resp = conn.getresponse()
    if resp.status != 200:
        return {"status": resp.status, "error": resp.read()[:200].decode("utf-8", "replace")}
    first = None
    tokens = 0
    for raw in resp:
        line = raw.decode("utf-8").strip()
        if not line.startswith("data: ") or line == "data: [DONE]":
            continue
        chunk = json.loads(line[6:])
        if chunk.get("usage"):
            tokens = chunk["usage"]["completion_tokens"]
        if first is None and chunk["choices"] and chunk["choices"][0]["delta"].get("content"):
            first = time.perf_counter()
    end = time.perf_counter()
    conn.close()
    first = first or end
    return {"status": 200, "ttft": first - start, "total": end - start, "tokens": tokens,
            "decode_tps": (tokens - 1) / (end - first) if tokens > 1 and end > first else 0.0}


def percentile(values, p):
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", default="http://127.0.0.1:8080")
    ap.add_argument("--model", required=True)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--requests", type=int, default=32)
    ap.add_argument("--max-tokens", type=int, default=64)
    ap.add_argument("--prompt", default="Write a short story about a lighthouse keeper.")
    ap.add_argument("--api-key", default=None)
    ap.add_argument("--timeout", type=float, default=300)
    a = ap.parse_args()
    host = urllib.parse.urlparse(a.url).hostname
    if host not in ("127.0.0.1", "localhost", "::1") and not host.startswith("127."):
        sys.exit("load.py only targets a server on this machine (loopback), not " + host)
    if a.requests < 1 or a.concurrency < 1:
        sys.exit("--requests and --concurrency must be >= 1")

    results, lock = [], threading.Lock()
    remaining = [a.requests]

    def worker():
        while True:
            with lock:
                if remaining[0] == 0:
                    return
                remaining[0] -= 1
                i = remaining[0]
            try:
                r = one_request(a.url, a.model, f"{a.prompt} (#{i})", a.max_tokens, a.api_key, a.timeout)
            except OSError as e:
                r = {"status": 0, "error": str(e)}
            with lock:
                results.append(r)

    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(min(a.concurrency, a.requests))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0

    ok = [r for r in results if r["status"] == 200]
    failed = [r for r in results if r["status"] != 200]
    tokens = sum(r["tokens"] for r in ok)
    ttft = [r["ttft"] for r in ok]
    print(f"requests: {len(ok)} ok, {len(failed)} failed, concurrency {a.concurrency}, wall {wall:.2f} s")
    print(f"throughput: {tokens / wall:.1f} generated tokens/s ({tokens} tokens)")
    print(f"time to first token: p50 {percentile(ttft, 50) * 1000:.0f} ms, p95 {percentile(ttft, 95) * 1000:.0f} ms")
    print(f"per-request decode: p50 {percentile([r['decode_tps'] for r in ok], 50):.1f} tokens/s")
    for r in failed[:5]:
        print("failure:", r)
    try:
        u = urllib.parse.urlparse(a.url)
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
        conn.request("GET", "/metrics", headers={"Authorization": "Bearer " + a.api_key} if a.api_key else {})
        for line in conn.getresponse().read().decode().splitlines():
            if line.startswith(("llama3j_batch_size_max", "llama3j_decode_steps_total",
                                "llama3j_decode_batched_sequences_total", "llama3j_prompt_cached_tokens_total")):
                print("metrics:", line)
    except OSError as e:
        print("metrics unavailable:", e)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
