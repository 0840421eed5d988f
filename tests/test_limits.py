"""The limits: the solver's time limit, the caps on answers and the grounding guard.

Each ends the command with a clear message and its own exit code (5 time limit, 6 cap, 7 grounding
guard), promptly, and leaves no process of its session behind (batch workers included). Limits
clingo cannot take as they are (an infinite or huge time limit, a cap past 2**63) mean "no limit";
NaN is refused. See docs/reliability.md.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import ACCORD, FIXTURES, MINI, Run, cli_env

from accord import api
from accord.compile.limits import MAX_FACT_INSTANCES, MAX_RULE_INSTANCES, MAX_TOTAL_INSTANCES
from accord.solve import SolveTimeout

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_TIMEOUT, EXIT_CAP, EXIT_GROUNDING = 0, 1, 2, 5, 6, 7
HARD = FIXTURES / "hard"  # eleven pigeons, ten holes: clingo needs very long to prove it impossible
PROMPT = 30.0  # seconds: a limited command must be over well within this (startup included)
PROC = Path("/proc")

needs_proc = pytest.mark.skipif(not (PROC / "self" / "stat").exists(), reason="needs Linux /proc")


def _session_of(pid: str) -> int | None:
    try:
        after_name = (PROC / pid / "stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return int(after_name[3])  # state, ppid, pgrp, session


def left_behind(session: int) -> list[int]:
    """Processes still in a session, waiting a little for exiting ones to go."""
    deadline = time.monotonic() + 5
    while True:
        alive = [int(p.name) for p in PROC.iterdir() if p.name.isdigit() and _session_of(p.name) == session]
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.1)


def run_alone(args: list[str], cwd: Path = FIXTURES, stdin: bytes = b"") -> tuple[int, str, str, float, list[int]]:
    """Run `accord ARGS` in a session of its own: exit code, stdout, stderr, seconds, processes left."""
    started = time.monotonic()
    process = subprocess.Popen([str(ACCORD), *args], cwd=cwd, env=cli_env(), stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    out, err = process.communicate(stdin, timeout=300)
    elapsed = time.monotonic() - started
    return process.returncode, out.decode(), err.decode(), elapsed, left_behind(process.pid)


def in_parallel(runs: dict[str, Callable[[], tuple[int, str, str, float, list[int]]]]) -> dict[str, tuple[
        int, str, str, float, list[int]]]:
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {name: pool.submit(run) for name, run in runs.items()}
        return {name: f.result() for name, f in futures.items()}


# ---- the time limit -------------------------------------------------------------------------------

CROWDED = b'{"id": "c", "scenario": "crowded"}\n' * 3
TIMED_OUT: dict[str, tuple[list[str], bytes, int, str]] = {
    "query": (["query", "crowded", "-e", "e", "-r", "hard", "--timeout", "0.3"], b"", EXIT_TIMEOUT,
              "the solver did not finish within 0.3 s"),
    "explain": (["explain", "crowded", "keeper", "feed", "-e", "e", "-r", "hard", "--timeout", "0.3"], b"",
                EXIT_TIMEOUT, "did not finish within 0.3 s"),
    "when": (["when", "keeper", "feed", "-e", "e", "-r", "hard", "--timeout", "0.3"], b"", EXIT_TIMEOUT,
             "did not finish within 0.3 s"),
    "diff": (["diff", "e", "hard@e", "-r", "hard", "--timeout", "0.3"], b"", EXIT_TIMEOUT,
             "did not finish within 0.3 s"),
    "check": (["check", "hard", "--timeout", "0.3"], b"", EXIT_TIMEOUT,
              "a semantic search did not finish within 0.3 s"),
    "batch": (["batch", "-", "-e", "e", "-r", "hard", "--timeout", "0.3"], CROWDED, EXIT_FINDINGS,
              "3 lines could not be answered"),
    "batch-jobs": (["batch", "-", "-e", "e", "-r", "hard", "--timeout", "0.3", "-j", "2"], CROWDED, EXIT_FINDINGS,
                   "3 lines could not be answered"),
}


@needs_proc
def test_a_time_limit_ends_every_command_promptly_and_cleanly() -> None:
    results = in_parallel({
        name: (lambda args=args, stdin=stdin: run_alone(args, stdin=stdin))
        for name, (args, stdin, _code, _message) in TIMED_OUT.items()
    })
    for name, (code, out, err, elapsed, left) in results.items():
        _args, _stdin, expected_code, message = TIMED_OUT[name]
        assert code == expected_code, (name, code, err)
        assert message in err and "Traceback" not in err, (name, err)
        assert elapsed < PROMPT, (name, elapsed)
        assert left == [], (name, left)
        if name.startswith("batch"):  # a timed-out line is an error line; the others go on
            assert out.count('"error":"the solver did not finish within 0.3 s."') == 3, out


@needs_proc
def test_a_test_that_runs_past_the_time_limit(tmp_path: Path) -> None:
    text = (HARD / "pigeons.accord").read_text(encoding="utf-8")
    (tmp_path / "pigeons.accord").write_text(
        text + "\ntest t {\n  scenario crowded\n  edition e\n  expect permitted keeper feed\n}\n", encoding="utf-8")
    code, _out, err, elapsed, left = run_alone(["test", str(tmp_path), "--timeout", "0.3"])
    assert code == EXIT_TIMEOUT, err
    assert err == "accord: the solver did not finish test `t` in edition `e` within 0.3 s; raise --timeout.\n"
    assert elapsed < PROMPT and left == []


def test_a_timed_out_solve_is_cancelled_and_leaves_no_thread() -> None:
    kb = api.load(HARD)
    kb.engine("e")
    tasks = PROC / "self" / "task"
    before = len(list(tasks.iterdir())) if tasks.exists() else 0
    for _ in range(3):
        started = time.monotonic()
        with pytest.raises(SolveTimeout):
            kb.query("e", scenario="crowded", timeout=0.2)
        assert time.monotonic() - started < 5  # cancelled, not waited for
    if tasks.exists():
        assert len(list(tasks.iterdir())) == before
    placed = [f"sits(p{i}, h{min(i, 10)})" for i in range(1, 12)]
    assert not kb.query("e", facts=placed, timeout=30).possible  # the engine still answers


@pytest.mark.parametrize(("limit", "code"), [("inf", EXIT_OK), ("1e10", EXIT_OK), ("1e400", EXIT_OK),
                                             ("nan", EXIT_USAGE), ("-inf", EXIT_USAGE), ("0", EXIT_OK),
                                             ("none", EXIT_OK)])
def test_time_limits_clingo_cannot_take(limit: str, code: int, cli: Callable[..., Run]) -> None:
    run = cli(["query", "partner_attacked", "-e", "e1", "-r", str(MINI), "--timeout", limit])
    assert run.code == code, run.transcript()
    if limit == "nan":
        assert "'nan' is not a number of seconds" in run.stderr


# ---- the caps -------------------------------------------------------------------------------------


def test_the_cap_on_readings(cli: Callable[..., Run]) -> None:
    run = cli(["query", "partner_attacked", "-e", "e1", "-r", str(MINI), "--all", "--cap", "1"])
    assert run.code == EXIT_CAP
    assert run.stderr == "accord: more than 1 readings; only the first 1 are shown (raise --cap).\n"


@pytest.mark.parametrize("cap", [str(2**63), str(2**64 + 1), "9" * 40])
def test_a_cap_past_what_clingo_counts_is_no_cap(cap: str, cli: Callable[..., Run]) -> None:
    capped = cli(["query", "partner_attacked", "-e", "e1", "-r", str(MINI), "--all", "--cap", cap])
    uncapped = cli(["query", "partner_attacked", "-e", "e1", "-r", str(MINI), "--all", "--cap", "1000"])
    assert capped.code == EXIT_OK, capped.transcript()
    assert capped.stdout == uncapped.stdout
    when = cli(["when", "sdf", "asset_protection", "-e", "e1", "-r", str(MINI), "--cap", cap])
    assert when.code == EXIT_OK, when.transcript()


def test_a_huge_number_of_batch_jobs_is_refused(cli: Callable[..., Run]) -> None:
    run = cli(["batch", "-", "-e", "e1", "-r", str(MINI), "--jobs", "100000"])
    assert run.code == EXIT_USAGE and "--jobs" in run.stderr


# ---- the grounding guard --------------------------------------------------------------------------

_HEAD = """module big
sort actor {{ a }}
sort s {{ {members} }}
action act by a "x"
edition e {{ title "t" in_force 2020-01-01 include big }}
scenario sc "s" {{ g }}
test t {{ scenario sc edition e expect permitted a act }}
fact g "g"
clause c {{ cite "1" a may act when g says "s" }}
"""

BLOW_UPS = {  # name -> (sort size, declarations, what the message names)
    "facts": (200, 'fact f(s, s, s) "f"\n', f"has 8000001 fact instances; accord handles at most {MAX_FACT_INSTANCES}"),
    "rule": (200, 'fact f(s) "f"\ndefine d "d": f(W) and f(X) and f(Y) and f(Z)\n',
             f"definition d in edition e would ground to about 1600000000 instances (limit {MAX_RULE_INSTANCES})"),
    "total": (150, 'fact f(s) "f"\n' + "".join(f'define d{i} "d": f(X) and f(Y) and f(Z)\n' for i in range(4)),
              f"would ground to about 13500001 instances in all (limit {MAX_TOTAL_INSTANCES}); the largest are "
              "definition d0 (about 3375000)"),
}
GUARDED = {
    "query": ["query", "sc", "-e", "e", "-r", "{rules}"], "compile": ["compile", "-e", "e", "-r", "{rules}"],
    "test": ["test", "{rules}"], "check": ["check", "{rules}"], "batch": ["batch", "-", "-e", "e", "-r", "{rules}"],
    "explain": ["explain", "sc", "a", "act", "-e", "e", "-r", "{rules}"],
    "when": ["when", "a", "act", "-e", "e", "-r", "{rules}"], "diff": ["diff", "e", "e", "-r", "{rules}"],
}


@needs_proc
def test_the_grounding_guard_stops_every_command(tmp_path: Path) -> None:
    folders = {}
    for name, (size, declarations, _message) in BLOW_UPS.items():
        folders[name] = tmp_path / name
        folders[name].mkdir()
        members = ", ".join(f"m{i}" for i in range(size))
        (folders[name] / "big.accord").write_text(_HEAD.format(members=members) + declarations, encoding="utf-8")
    runs = {
        (blow_up, command): (lambda args=[str(folders[blow_up]) if a == "{rules}" else a for a in args]: run_alone(
            args, stdin=b'{"scenario": "sc"}\n'))
        for blow_up in BLOW_UPS for command, args in GUARDED.items()
        if blow_up == "rule" or command in ("query", "compile")
    }
    for (blow_up, command), (code, out, err, elapsed, left) in in_parallel(runs).items():  # type: ignore[arg-type]
        assert code == EXIT_GROUNDING, (blow_up, command, err)
        assert err.startswith("accord: ") and BLOW_UPS[blow_up][2] in err, (blow_up, command, err)
        assert out == "" and elapsed < PROMPT and left == [], (blow_up, command, out, elapsed, left)


def test_the_bundled_editions_are_far_from_the_guard() -> None:
    from accord.compile.limits import estimates

    kb = api.load()
    for edition in kb.editions():
        found = estimates(kb.rules.edition_view(edition.id))
        assert sum(e.instances for e in found) < MAX_TOTAL_INSTANCES // 1000, edition.id
