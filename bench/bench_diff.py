"""Benchmark: the full bundled `accord diff` with one witness per change (target: under 2 seconds).

In: options (`--a`, `--b`: the sides, default 1997 and 2015; `--runs`; `--witnesses`; `--rules`;
`--no-process` to skip timing the whole command). Out: one JSON line on stdout:

- `median_s` (and `min_s`, `max_s`): `KnowledgeBase.diff(A, B)` in process, the rules already
  loaded: building the diff program, grounding it, the brave solve, a witness per change, the
  clause and vocabulary comparison, the result objects;
- `load_s`: reading and checking the rule files once;
- `process_median_s`: the whole `accord diff A B --format json` command in a fresh process (Python
  start-up, loading the rules, the diff and printing), as a user would run it;
- `met`: whether `median_s` and `process_median_s` are under `target_s`.

Standalone: `python bench/bench_diff.py`; `make bench` runs it as part of the suite.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from accord.api import load

TARGET_S = 2.0


def _median(samples: list[float]) -> dict[str, float]:
    return {"median_s": round(statistics.median(samples), 4), "min_s": round(min(samples), 4),
            "max_s": round(max(samples), 4)}


def _process(args: list[str], runs: int) -> float:
    command = [str(Path(sys.executable).parent / "accord"), "diff", *args, "--format", "json"]
    env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1"}
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, env=env, check=False)
        samples.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"accord diff failed ({done.returncode}): {done.stderr.decode()[:500]}")
    return statistics.median(samples)


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--a", default="1997", help="side A (edition, year, date or rule path)")
    parser.add_argument("--b", default="2015", help="side B")
    parser.add_argument("--runs", type=int, default=7, help="timed runs (median)")
    parser.add_argument("--witnesses", type=int, default=1, help="witnesses per change")
    parser.add_argument("--rules", type=Path, help="rule folder (default: the bundled knowledge base)")
    parser.add_argument("--no-process", action="store_true", help="do not time the whole command")
    opts = parser.parse_args(argv)

    start = time.perf_counter()
    kb = load(opts.rules)
    load_s = time.perf_counter() - start
    kb.diff(opts.a, opts.b, witnesses=opts.witnesses)  # warm-up: imports, first-use caches
    samples = []
    for _ in range(opts.runs):
        start = time.perf_counter()
        result = kb.diff(opts.a, opts.b, witnesses=opts.witnesses)
        samples.append(time.perf_counter() - start)
    row: dict[str, object] = {
        "bench": "diff", "a": result.a.edition.id, "b": result.b.edition.id, "witnesses": opts.witnesses,
        "runs": opts.runs, **_median(samples), "load_s": round(load_s, 4),
        "targets": result.summary.targets, "targets_changed": result.summary.targets_changed,
        "witnesses_found": sum(len(c.gained) + len(c.lost) for t in result.behaviour for c in t.changes),
        "target_s": TARGET_S,
    }
    met = statistics.median(samples) < TARGET_S
    if not opts.no_process:
        rules = ["-r", str(opts.rules)] if opts.rules else []
        process_s = _process([opts.a, opts.b, "--witnesses", str(opts.witnesses), *rules], max(3, opts.runs // 2))
        row["process_median_s"] = round(process_s, 4)
        met = met and process_s < TARGET_S
    row["met"] = met
    print(json.dumps(row), flush=True)
    return row


if __name__ == "__main__":
    main()
