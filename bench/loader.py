"""Load generator: runs in its own process, sends requests to 127.0.0.1 only.

python bench/loader.py URL [--method GET|POST] [--seconds 5] [--concurrency 8] [--max 200000]
    [--header 'Name: value' ...] [--body TEXT]
Prints one JSON line: requests, errors, seconds, rps, p50_ms, p99_ms.
Bounded in time and count; it stops by itself.
"""

import argparse
import http.client
import json
import threading
import time
from urllib.parse import urlsplit


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--method", default="GET")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--max", type=int, default=200_000)
    parser.add_argument("--header", action="append", default=[], help="'Name: value'")
    parser.add_argument("--body", default="")
    args = parser.parse_args()
    headers = dict(h.split(": ", 1) for h in args.header)
    body = args.body.encode() if args.body else (b"" if args.method == "POST" else None)
    parts = urlsplit(args.url)
    assert parts.hostname in ("127.0.0.1", "localhost", "::1"), "loopback only"
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + args.seconds

    def worker():
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        local = []
        while time.perf_counter() < deadline and len(latencies) + len(local) < args.max:
            start = time.perf_counter()
            try:
                conn.request(args.method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status >= 400:
                    errors[0] += 1
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
            except (OSError, http.client.HTTPException):
                errors[0] += 1
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
                continue
            local.append(time.perf_counter() - start)
        with lock:
            latencies.extend(local)

    began = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(args.concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    latencies.sort()
    n = len(latencies)
    print(
        json.dumps(
            {
                "requests": n,
                "errors": errors[0],
                "seconds": round(elapsed, 2),
                "rps": round(n / elapsed, 1) if elapsed else 0,
                "p50_ms": round(latencies[n // 2] * 1000, 2) if n else None,
                "p99_ms": round(latencies[min(n - 1, int(n * 0.99))] * 1000, 2) if n else None,
            }
        )
    )


if __name__ == "__main__":
    main()
