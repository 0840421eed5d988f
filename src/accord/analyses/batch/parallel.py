"""Batch evaluation spread over worker processes, the output in input order.

In: a function that builds an `Evaluator`, the input lines, a number of workers and, for
`write_parallel`, an open binary file descriptor. Out: `run_parallel` yields every `Outcome` in
input order, as `accord.analyses.batch.lines.run` does; `write_parallel` writes every answer line
to the descriptor itself, in input order, and yields only a `Written` per chunk (how many lines,
which were bad), so that the answers (tens of KB each on the bundled rules) never travel back
through the calling process.

The lines go to the workers in chunks, in order, through a `multiprocessing` pool. Where
processes fork, the evaluator is built and warmed once, here, before the pool starts, and every
worker inherits it (the edition is not read or grounded again); elsewhere each worker builds its
own, and `setup` must be picklable. With `write_parallel`, a worker that has answered chunk i
waits until chunk i - 1 is written, writes chunk i and passes the turn on. The lowest chunk not
yet written is always held by a worker that is not waiting, so the turn always moves; a worker
that fails passes the turn on without writing, and the failure is raised here.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from accord.analyses.batch.lines import Evaluator, Outcome, chunks, numbered

CHUNK = 256  # lines handed to a worker at a time


@dataclass(frozen=True, slots=True)
class Written:
    """A chunk written by a worker: how many answer lines, and the numbers of the bad ones."""

    count: int
    bad: tuple[int, ...]


_WORKER: Evaluator | None = None
_TURN: Any = None  # the index of the next chunk to write, shared by the workers
_OUT: tuple[int, str, str] | None = None  # descriptor, encoding and error handler of the output


def _forks() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _init_worker(setup: Callable[[], Evaluator] | None, turn: Any, out: tuple[int, str, str] | None) -> None:
    global _WORKER, _TURN, _OUT
    _TURN, _OUT = turn, out
    if setup is not None:  # not forked: every worker builds its own evaluator
        _WORKER = setup()
        _WORKER.warm()


@contextmanager
def _pool(setup: Callable[[], Evaluator], jobs: int, out: tuple[int, str, str] | None) -> Iterator[Any]:
    """A pool of `jobs` workers, each with a warm evaluator (inherited where processes fork); the
    evaluator built here for them is let go when the pool ends."""
    global _WORKER
    forked = _forks()
    context = multiprocessing.get_context("fork" if forked else None)
    if forked:
        _WORKER = setup()
        _WORKER.warm()
    turn = context.Condition() if out is not None else None
    shared = (context.Value("q", 0, lock=False), turn) if turn is not None else None
    try:
        with context.Pool(jobs, initializer=_init_worker, initargs=(None if forked else setup, shared, out)) as pool:
            yield pool
    finally:
        _WORKER = None


def _answer_chunk(chunk: list[tuple[int, str]]) -> list[Outcome]:
    assert _WORKER is not None
    return _WORKER.answer_block(chunk)


def _write_chunk(task: tuple[int, list[tuple[int, str]]]) -> Written:
    index, chunk = task
    assert _WORKER is not None and _TURN is not None and _OUT is not None
    counter, turn = _TURN
    fd, encoding, errors = _OUT
    pieces: list[bytes] = []
    try:
        outcomes = _WORKER.answer_block(chunk)
        # A line at a time: one text of the whole chunk (~25 MB on the bundled rules) would be
        # memory mapped afresh for every chunk, and its pages faulted in again each time.
        pieces = [o.text.encode(encoding, errors) for o in outcomes]
        written = Written(len(outcomes), tuple(o.line for o in outcomes if not o.ok))
    finally:  # the turn passes on even when answering failed, so that no worker waits forever
        with turn:
            turn.wait_for(lambda: counter.value == index)
            try:
                for piece in pieces:
                    _write_line(fd, piece)
            finally:
                counter.value = index + 1
                turn.notify_all()
    return written


def _write_line(fd: int, data: bytes) -> None:
    """`data` and a newline, in one system call where the descriptor takes it all (appending the
    newline to `data` would copy the line)."""
    done = os.writev(fd, [data, b"\n"])
    rest = memoryview(data + b"\n")[done:] if done <= len(data) else memoryview(b"")
    while rest:
        rest = rest[os.write(fd, rest):]


def run_parallel(setup: Callable[[], Evaluator], lines: Iterable[str], jobs: int,
                 chunk: int = CHUNK) -> Iterator[Outcome]:
    """Like `run`, spread over `jobs` worker processes; every outcome comes back here."""
    with _pool(setup, jobs, None) as pool:
        yield from (o for outcomes in pool.imap(_answer_chunk, chunks(numbered(lines), chunk)) for o in outcomes)


def write_parallel(setup: Callable[[], Evaluator], lines: Iterable[str], jobs: int, fd: int,
                   encoding: str = "utf-8", errors: str = "strict", chunk: int = CHUNK) -> Iterator[Written]:
    """Every non-blank line answered by `jobs` worker processes, each answer line written by its
    worker to the descriptor `fd` (encoded as given), in input order; a `Written` per chunk, in
    order, each yielded once its lines are written."""
    with _pool(setup, jobs, (fd, encoding, errors)) as pool:
        yield from pool.imap(_write_chunk, enumerate(chunks(numbered(lines), chunk)))
