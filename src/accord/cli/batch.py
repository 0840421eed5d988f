"""The `accord batch` command: many scenarios, one edition, one JSON result per line.

In: the command line (loaded by `accord.cli` when the command runs)
and a JSONL file of scenarios (or `-` for standard input; format in docs/batch.md). Out: one JSON
object per non-blank input line on stdout, in input order; a progress bar on stderr when stderr is
a terminal; a summary of bad lines on stderr. Exit codes: 0 every line answered, 1 some lines were
bad (each reported on its own output line, by line number), 2 a bad command line.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import IO

import click

from accord.analyses.batch.lines import Evaluator, Outcome, run
from accord.analyses.batch.parallel import Written, run_parallel, write_parallel
from accord.cli.common import (
    EXIT_FINDINGS,
    EXIT_USAGE,
    diagnostics_option,
    edition_id,
    edition_options,
    fail,
    load_bases,
    one_base,
    rules_option,
    timeout_option,
)


@click.command()
@click.argument("scenarios", type=click.Path(allow_dash=True, path_type=Path))
@edition_options
@click.option("--jobs", "-j", type=click.IntRange(min=1, max=256), default=1, show_default=True,
              help="Worker processes; the edition is grounded once, before they start.")
@timeout_option(each="scenario")
@click.option("--progress/--no-progress", default=None,
              help="Show a progress bar on stderr (default: when stderr is a terminal).")
@rules_option
@diagnostics_option
def batch(scenarios: Path, edition: str | None, as_of: str | None, jobs: int, timeout: float | None,
          progress: bool | None, rules: tuple[Path, ...], diagnostics: str) -> None:
    """Answer every scenario of a JSONL file (one per line) against one edition.

    Each line is a JSON object: {"id": ..., "scenario": NAME, "facts": [...], "unknown": [...]},
    every key optional. Each output line is the query's JSON with "line" and "id" first, or
    {"line", "id", "error"} for a bad line.
    """
    kb, local = one_base(load_bases(rules, diagnostics), [("edition", edition)], diagnostics, "`accord batch`")
    chosen = edition_id(kb, local(edition), as_of)
    source = _open(scenarios)
    try:
        show = sys.stderr.isatty() if progress is None else progress
        total = _count_lines(scenarios) if show and str(scenarios) != "-" else None
        bad = _report(_answered(partial(Evaluator, kb, chosen, timeout), source, jobs), show, total)
    finally:
        if source is not sys.stdin:
            source.close()
    if bad:
        shown = ", ".join(str(n) for n in bad[:10]) + (", …" if len(bad) > 10 else "")
        sys.stderr.write(f"accord: {len(bad)} line{'s' if len(bad) != 1 else ''} could not be answered "
                         f"(line{'s' if len(bad) != 1 else ''} {shown}); see their \"error\".\n")
        raise click.exceptions.Exit(EXIT_FINDINGS)


def _open(path: Path) -> IO[str]:
    if str(path) == "-":
        return sys.stdin
    try:
        return path.open(encoding="utf-8", errors="replace", newline=None)
    except OSError as err:
        fail(f"cannot read `{path}`: {err.strerror}.", EXIT_USAGE)


def _count_lines(path: Path) -> int | None:
    try:
        with path.open("rb") as f:
            return sum(1 for line in f if line.strip())
    except OSError:
        return None


def _answered(setup: Callable[[], Evaluator], source: IO[str], jobs: int) -> Iterator[Written]:
    """Every line answered and written to stdout, in order: here with one job; with more, by the
    workers themselves straight to stdout's descriptor (when it has one), else through here."""
    out = sys.stdout
    if jobs > 1:
        fd = _descriptor(out)
        if fd is not None:
            out.flush()
            yield from write_parallel(setup, source, jobs, fd, out.encoding, out.errors or "strict")
            return
        outcomes: Iterator[Outcome] = run_parallel(setup, source, jobs)
    else:
        evaluator = setup()
        evaluator.warm()
        outcomes = run(evaluator, source)
    for outcome in outcomes:
        out.write(outcome.text)  # not `text + "\n"`: that would copy the line (~96 KB on the bundled rules)
        out.write("\n")
        yield Written(1, () if outcome.ok else (outcome.line,))


def _descriptor(out: IO[str]) -> int | None:
    try:
        return out.fileno()
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is both of the last two
        return None


def _report(written: Iterator[Written], show: bool, total: int | None) -> list[int]:
    """Go through the lines as they are written; the numbers of the bad ones. A progress bar on
    stderr when `show`."""
    bad: list[int] = []
    if not show:
        for part in written:
            bad += part.bad
        return bad
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("scenarios"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("batch", total=total)
        done = shown = 0
        for part in written:
            bad += part.bad
            done += part.count
            if done - shown >= 64:
                bar.update(task, completed=done)
                shown = done
    return bad
