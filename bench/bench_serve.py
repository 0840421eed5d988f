"""Load benchmark of `accord serve` (a benchmark, not a test): the served query rate on this machine.

In: options (`--requests`, `--connections`, `--mix`). Out: a table on stdout, and with `--json` the
figures as JSON. It starts `accord serve --port 0` (loopback only, as a subprocess), waits for it,
sends a fixed number of GET /api/query requests over keep-alive connections from one asyncio
client, then stops the server: it is bounded in count and time and stops by itself.

Mixes: `named` (the knowledge base's named scenarios under every edition, round robin), `builder`
(distinct random scenarios as the page builds them: 1 to 8 facts, up to 2 of them unknown, under a
random edition; the server keeps no result cache for queries, so each is solved), or `both`
(alternating). Every response must be 200 with a JSON body, or it counts as an error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ACCORD = Path(sys.executable).parent / "accord"
HOST = "127.0.0.1"  # loopback only
TIME_LIMIT = 300.0  # seconds: the run is abandoned past this, whatever is left


def start_server() -> tuple[subprocess.Popen[bytes], int]:
    proc = subprocess.Popen([str(ACCORD), "serve", "--host", HOST, "--port", "0"], stderr=subprocess.PIPE,
                            stdout=subprocess.DEVNULL)
    assert proc.stderr is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stderr.readline().decode()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if found:
            return proc, int(found.group(1))
        if not line and proc.poll() is not None:
            break
    proc.kill()
    raise SystemExit("accord serve did not start")


def fetch(port: int, path: str) -> Any:
    with urllib.request.urlopen(f"http://{HOST}:{port}{path}", timeout=30) as response:
        return json.load(response)


def paths(port: int, mix: str, count: int, seed: int) -> list[str]:
    editions = [e["id"] for e in fetch(port, "/api/editions")]
    scenarios = [s["name"] for s in fetch(port, "/api/scenarios")]
    facts = [f["fact"] for theme in fetch(port, "/api/themes") for f in theme["facts"]]
    rng = random.Random(seed)
    out = []
    for i in range(count):
        if mix == "named" or (mix == "both" and i % 2 == 0):
            params: list[tuple[str, str]] = [("edition", editions[i % len(editions)]),
                                             ("scenario", scenarios[(i // len(editions)) % len(scenarios)])]
        else:
            chosen = rng.sample(facts, rng.randint(1, 6) + rng.randint(0, 2))
            unknown = rng.randint(0, min(2, len(chosen) - 1))
            params = [("edition", rng.choice(editions))]
            params += [("fact", f) for f in chosen[unknown:]] + [("unknown", f) for f in chosen[:unknown]]
        out.append("/api/query?" + urllib.parse.urlencode(params))
    return out


async def worker(port: int, queue: list[str], latencies: list[float], errors: list[str], deadline: float) -> int:
    reader, writer = await asyncio.open_connection(HOST, port)
    received = 0
    try:
        while queue and time.monotonic() < deadline:
            path = queue.pop()
            started = time.perf_counter()
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAccept: application/json\r\n\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))  # type: ignore[union-attr]
            body = await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            received += len(body)
            if status != 200 or not body.startswith(b"{"):
                errors.append(f"{status} {path}: {body[:200]!r}")
    finally:
        writer.close()
    return received


async def load(port: int, todo: list[str], connections: int) -> dict[str, Any]:
    queue = list(reversed(todo))
    latencies: list[float] = []
    errors: list[str] = []
    started = time.perf_counter()
    deadline = time.monotonic() + TIME_LIMIT
    sizes = await asyncio.gather(*(worker(port, queue, latencies, errors, deadline) for _ in range(connections)))
    elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
        return 1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))]

    return {
        "requests": len(latencies), "errors": len(errors), "first_errors": errors[:3], "seconds": round(elapsed, 3),
        "queries_per_second": round(len(latencies) / elapsed, 1),
        "mean_response_bytes": sum(sizes) // max(1, len(latencies)),
        "latency_ms": {"p50": round(pct(0.5), 2), "p95": round(pct(0.95), 2), "p99": round(pct(0.99), 2),
                       "max": round(1000 * latencies[-1], 2), "mean": round(1000 * statistics.fmean(latencies), 2)},
        "unfinished": len(queue),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=20_000, help="measured requests per mix (default 20000)")
    parser.add_argument("--connections", type=int, default=8, help="keep-alive connections (default 8)")
    parser.add_argument("--mix", choices=["named", "builder", "both", "all"], default="all")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    opts = parser.parse_args()
    mixes = ["named", "builder", "both"] if opts.mix == "all" else [opts.mix]
    proc, port = start_server()
    figures: dict[str, Any] = {"connections": opts.connections, "mixes": {}}
    try:
        asyncio.run(load(port, paths(port, "both", 500, opts.seed + 1), opts.connections))  # warm-up, not counted
        for mix in mixes:
            result = asyncio.run(load(port, paths(port, mix, opts.requests, opts.seed), opts.connections))
            figures["mixes"][mix] = result
            lat = result["latency_ms"]
            print(f"{mix:8} {result['requests']:6} requests in {result['seconds']:7.2f} s: "
                  f"{result['queries_per_second']:7.1f} queries/s, {result['errors']} errors; latency ms "
                  f"p50 {lat['p50']} p95 {lat['p95']} p99 {lat['p99']} max {lat['max']}; "
                  f"{result['mean_response_bytes']} bytes per answer", flush=True)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    if opts.json:
        opts.json.write_text(json.dumps(figures, indent=2) + "\n")
    if any(m["errors"] or m["unfinished"] for m in figures["mixes"].values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
