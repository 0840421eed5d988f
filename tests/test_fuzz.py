"""Fuzzing: random and mutated rule files through the whole pipeline end in an answer or in
diagnostics with positions, never a traceback and never a hang.

Each example (tests/fuzz_strategies.py) is written to a temporary folder and loaded with
`accord.knowledge.pipeline.build`, in this process and under a wall-clock bound. Then either

- it loads: every edition is compiled, a scenario or two queried with a solver time limit (the
  grounding guard or the time limit may stop it, with their own exceptions), and for small rule
  bases the semantic findings of `accord check` are searched; or
- it fails with `AccordError`: every diagnostic has a catalogued code, a title and a message (one
  printable line of bounded length), and (except the file-level codes) a span with a file, a line
  and a column inside the text; all three renderings (human, short, JSON) work.

Any other exception, or an example running past the bound, fails the test. The short run
(`make test`) is derandomized and takes about 150 examples; `ACCORD_FUZZ_EXAMPLES=5000` (what
`make fuzz` sets) spreads that many over the same tests, randomly, for a long run.
"""

from __future__ import annotations

import json
import os
import re
import signal
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fuzz_strategies import Case, bundled_cases, extreme_cases, generated_cases
from hypothesis import HealthCheck, currently_in_test_context, event, given, note, settings
from test_error_catalogue import codes_in_catalogue

from accord.api import KnowledgeBase
from accord.compile.limits import GroundingLimitError
from accord.knowledge.pipeline import build
from accord.language import render
from accord.language.diagnostics import AccordError, Diagnostic
from accord.solve import SolveTimeout

LONG_RUN = int(os.environ.get("ACCORD_FUZZ_EXAMPLES", "0") or 0)
SHORT_RUN = {"generated": 60, "bundled": 40, "extreme": 50}
BOUND = float(os.environ.get("ACCORD_FUZZ_BOUND", "60"))  # seconds per example, wall clock
SOLVE_LIMIT = 5.0  # the solver's time limit per query in an example
FILE_LEVEL = frozenset({"no-rules", "no-such-file", "unreadable-file", "file-too-large"})
CATALOGUE = codes_in_catalogue()
SLOWEST: dict[str, float] = {}


def examples(kind: str) -> int:
    if not LONG_RUN:
        return SHORT_RUN[kind]
    return max(SHORT_RUN[kind], LONG_RUN * SHORT_RUN[kind] // sum(SHORT_RUN.values()))


def fuzz_settings(kind: str) -> settings:
    return settings(
        max_examples=examples(kind),
        deadline=None,
        derandomize=not LONG_RUN,  # `make test` sees the same examples every time; `make fuzz` new ones
        database=None if not LONG_RUN else settings.default.database,
        suppress_health_check=list(HealthCheck),
    )


@pytest.fixture(autouse=True, scope="module")
def _no_cache() -> Iterator[None]:
    """Mutated rule bases must not fill the user's cache of checked rule bases."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ACCORD_CACHE", "0")
        yield


class TooSlow(Exception):
    pass


@contextmanager
def time_bound(seconds: float) -> Iterator[None]:
    """Raise `TooSlow` in this (main) thread when the block runs past `seconds` of wall time."""

    def expire(_signum: int, _frame: object) -> None:
        raise TooSlow(f"an example ran past {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def check_diagnostics(diagnostics: list[Diagnostic], names: set[str]) -> None:
    assert diagnostics, "AccordError without a diagnostic"
    for d in diagnostics:
        assert re.fullmatch(r"[a-z]+(?:-[a-z0-9]+)*", d.code), d
        assert d.code in CATALOGUE, f"{d.code} is not in docs/errors.md"
        assert d.title.strip() and d.message.strip(), d
        assert all(ch.isprintable() for ch in d.message + (d.hint or "")), f"not one printable line: {d.message!r}"
        assert len(d.message) < 2_000, f"a message of {len(d.message)} characters"
        if d.code in FILE_LEVEL:
            continue
        assert d.span is not None, f"{d.code} has no position: {d.message}"
        span = d.span
        assert span.file in names, span.file
        assert 0 <= span.start <= span.end <= len(span.source.text), (d.code, span.start, span.end)
        assert 1 <= span.line <= span.source.line_count and span.column >= 1, d
        for related, label in d.related:
            assert related.file in names and 0 <= related.start <= related.end <= len(related.source.text), label
    assert render.human(diagnostics).endswith("\n")
    assert render.short(diagnostics).count("\n") == len(diagnostics)
    assert len(json.loads(render.as_json(diagnostics))["diagnostics"]) == len(diagnostics)


def use(kb: KnowledgeBase, semantic: bool) -> str:
    """Compile every edition, query up to two scenarios in each, and (if asked) search findings."""
    outcome = "answered"
    for edition in sorted(kb.rules.editions):
        try:
            assert kb.compile(edition).strip()
        except GroundingLimitError as err:
            assert str(err), "a grounding limit without a message"
            outcome = "grounding limit"
            continue
        for scenario in sorted(kb.rules.scenarios)[:2]:
            try:
                result = kb.query(edition, scenario=scenario, timeout=SOLVE_LIMIT)
            except SolveTimeout:
                outcome = "time limit"
                continue
            assert result.edition.id == edition
    if semantic:
        try:
            kb.findings(timeout=SOLVE_LIMIT)
        except (SolveTimeout, GroundingLimitError):
            outcome = "findings stopped by a limit"
    return outcome


def through_the_pipeline(case: Case, kind: str, semantic: bool = False) -> None:
    if currently_in_test_context():
        note(repr(case))
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp, time_bound(BOUND):
        folder = Path(tmp) / "rules"
        folder.mkdir()
        for name, data in case.files.items():
            (folder / name).write_bytes(data)
        try:
            kb = KnowledgeBase(build([folder]))
        except AccordError as err:
            check_diagnostics(err.diagnostics, {f"rules/{name}" for name in case.files})
            outcome = f"diagnostics: {err.diagnostics[0].code}"
        else:
            outcome = use(kb, semantic)
    elapsed = time.monotonic() - started
    SLOWEST[kind] = max(SLOWEST.get(kind, 0.0), elapsed)
    if currently_in_test_context():
        event(outcome)
        event(f"seconds: {'<1' if elapsed < 1 else '1-5' if elapsed < 5 else '>=5'}")


@fuzz_settings("generated")
@given(generated_cases())
def test_generated_and_mutated_rule_files(case: Case) -> None:
    through_the_pipeline(case, "generated", semantic=True)


@fuzz_settings("bundled")
@given(bundled_cases())
def test_mutated_bundled_rules(case: Case) -> None:
    through_the_pipeline(case, "bundled")


@fuzz_settings("extreme")
@given(extreme_cases())
def test_token_soup_random_text_and_bytes(case: Case) -> None:
    through_the_pipeline(case, "extreme")


def test_the_largest_file_accord_reads(tmp_path: Path) -> None:
    """A long file (1.3 MB; in a long run 4 MB, just under the limit) loads, compiles and answers."""
    lines = ["module big", "sort actor { a }", 'action act by a "x"', "clause c { cite \"1\" a may act says \"s\" }",
             'edition e { title "t" in_force 2020-01-01 include big }', 'scenario s "s" { f1 }']
    lines += [f'fact f{i} "fact number {i}"' for i in range(125_000 if LONG_RUN else 40_000)]
    (tmp_path / "big.accord").write_text("\n".join(lines), encoding="utf-8")
    through_the_pipeline(Case({"big.accord": (tmp_path / "big.accord").read_bytes()}, ("big",)), "big")


def test_the_bound_is_kept() -> None:
    """Reported by `pytest -s`: the slowest example of each kind (the bound is enforced above)."""
    shown = ", ".join(f"{kind} {seconds:.2f} s" for kind, seconds in sorted(SLOWEST.items()))
    print(f"\nfuzz: slowest examples: {shown or 'none ran'} (bound {BOUND} s)")
    assert all(seconds < BOUND for seconds in SLOWEST.values())
