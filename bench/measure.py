"""Timing helpers for the benchmark suite: medians of repeated runs, whole processes, the machine.

In: callables or command lines. Out: `Timing` values (seconds: median, min, max, runs) and a
description of the machine (cores, CPU model, Python and clingo versions). No timing here is ever
asserted by a test; the suite reports numbers and ratios (docs/performance.md).
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@dataclass(frozen=True, slots=True)
class Timing:
    median: float
    low: float
    high: float
    runs: int

    def json(self) -> dict[str, Any]:
        return asdict(self)


def timing(samples: Sequence[float]) -> Timing:
    return Timing(statistics.median(samples), min(samples), max(samples), len(samples))


def repeat(fn: Callable[[], object], runs: int, warmup: int = 1) -> Timing:
    """Median wall time of `fn` over `runs` calls, after `warmup` untimed calls."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return timing(samples)


def once(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def once_cpu(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall time and CPU time of this process for one call, and its value."""
    start, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return time.perf_counter() - start, time.process_time() - cpu, value


def process(args: Sequence[str], runs: int, cwd: Path = ROOT, stdin: bytes = b"",
            env: dict[str, str] | None = None) -> Timing:
    """Median wall time of a whole process, from start to exit (output discarded), after one
    untimed run (which fills accord's rule-base cache, as any earlier command would have)."""
    samples = []
    # As installed: byte-compiled modules are used (see `compile_bytecode`), not recompiled per run.
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}, **(env or {})}
    subprocess.run(list(args), cwd=cwd, input=stdin, capture_output=True, env=env, check=False)
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(list(args), cwd=cwd, input=stdin, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, env=env, check=False)
        samples.append(time.perf_counter() - start)
        if done.returncode not in (0, 1, 4):
            raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}): {done.stderr.decode()[:500]}")
    return timing(samples)


def compile_bytecode() -> None:
    """Byte-compile accord (into the git-ignored `__pycache__`), as an installed package would be."""
    import compileall

    compileall.compile_dir(str(ROOT / "src" / "accord"), quiet=1)


def max_rss_kb(args: Sequence[str], cwd: Path = ROOT) -> int | None:
    """Peak memory of a process, from `/usr/bin/time -v`, when that tool exists."""
    if not Path("/usr/bin/time").exists():
        return None
    done = subprocess.run(["/usr/bin/time", "-v", *args], cwd=cwd, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, check=False)
    for line in done.stderr.decode(errors="replace").splitlines():
        if "Maximum resident set size" in line:
            return int(line.rsplit(":", 1)[1])
    return None


def machine() -> dict[str, Any]:
    import clingo

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = -1.0
    return {
        "cores": os.cpu_count(),
        "cpu": cpu or platform.processor(),
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "clingo": clingo.__version__,
        "load_average_at_start": round(load, 2),
    }
