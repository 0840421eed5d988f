"""`accord.analyses.batch.parallel`: lines answered by worker processes, written in input order by
the workers themselves or handed back, byte for byte what one process gives."""

from __future__ import annotations

import signal
import tempfile
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import MINI, Run

from accord.analyses.batch import parallel
from accord.analyses.batch.lines import Evaluator, run
from accord.analyses.batch.parallel import Written, run_parallel, write_parallel
from accord.api import KnowledgeBase
from accord.cli import app

LINES = [
    '{"id": "a", "scenario": "partner_attacked"}',
    '{"id": "ö", "facts": ["armed_attack_on(japan)"]}',
    "",
    "not json",
    '{"id": "u", "facts": ["cabinet_decision"], "unknown": ["survival_threatened", "armed_attack_on(japan)"]}',
    '{"scenario": "nope"}',
    '{"facts": ["survival_threatened"]}',
]


@pytest.fixture
def alarm() -> Iterator[None]:
    """Fail, rather than hang, a test whose workers never finish."""

    def expired(*_: object) -> None:
        raise TimeoutError("the workers did not finish")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def _written(mini: KnowledgeBase, lines: list[str], jobs: int, chunk: int) -> tuple[bytes, list[Written]]:
    with tempfile.TemporaryFile() as out:
        parts = list(write_parallel(partial(Evaluator, mini, "e1"), lines, jobs, out.fileno(), chunk=chunk))
        out.seek(0)
        return out.read(), parts


@pytest.mark.parametrize(("jobs", "chunk"), [(1, 4), (2, 3), (3, 1), (2, 1000)])
def test_workers_write_what_one_process_gives(mini: KnowledgeBase, alarm: None, jobs: int, chunk: int) -> None:
    lines = LINES * 6
    alone = list(run(Evaluator(mini, "e1"), lines))
    data, parts = _written(mini, lines, jobs, chunk)
    assert data == "".join(o.text + "\n" for o in alone).encode("utf-8")
    assert sum(p.count for p in parts) == len(alone)
    assert [n for p in parts for n in p.bad] == [o.line for o in alone if not o.ok]
    assert all(0 < p.count <= chunk for p in parts)


def test_outcomes_handed_back_are_those_of_one_process(mini: KnowledgeBase, alarm: None) -> None:
    lines = LINES * 5
    alone = list(run(Evaluator(mini, "e1"), lines))
    assert list(run_parallel(partial(Evaluator, mini, "e1"), lines, jobs=2, chunk=3)) == alone


def test_the_output_encoding_is_used(mini: KnowledgeBase, alarm: None) -> None:
    with tempfile.TemporaryFile() as out:
        list(write_parallel(partial(Evaluator, mini, "e1"), LINES[:2], 2, out.fileno(), "ascii", "backslashreplace"))
        out.seek(0)
        data = out.read()
    assert b'"id":"\\xf6"' in data and "ö".encode() not in data


def test_a_failing_worker_is_raised_and_the_others_do_not_wait(
        mini: KnowledgeBase, alarm: None, monkeypatch: pytest.MonkeyPatch) -> None:
    answer = Evaluator.answer_block

    def failing(self: Evaluator, items: list[tuple[int, str]]) -> object:
        if any(number == 8 for number, _ in items):
            raise RuntimeError("chunk with line 8")
        return answer(self, items)

    monkeypatch.setattr(Evaluator, "answer_block", failing)
    lines = LINES * 4
    with tempfile.TemporaryFile() as out:
        written = write_parallel(partial(Evaluator, mini, "e1"), lines, 2, out.fileno(), chunk=2)
        with pytest.raises(RuntimeError, match="chunk with line 8"):
            list(written)
        out.seek(0)
        data = out.read()
    first = [o.text for o in run(Evaluator(mini, "e1"), LINES[:6])]  # the chunks before the failing one
    assert data.startswith("".join(t + "\n" for t in first).encode())


def test_cli_workers_write_stdout_in_order(cli: Callable[..., Run], tmp_path: Path) -> None:
    path = tmp_path / "scenarios.jsonl"
    path.write_text("\n".join(LINES * 300) + "\n", encoding="utf-8")
    one = cli(["batch", "-e", "e1", "--rules", str(MINI), str(path)])
    three = cli(["batch", "-e", "e1", "-j", "3", "--rules", str(MINI), str(path)])
    assert one.code == three.code == 1
    assert one.stdout == three.stdout and len(one.stdout.splitlines()) == 6 * 300
    assert one.stderr == three.stderr
    assert "600 lines could not be answered (lines 4, 6, 11, 13," in three.stderr  # two bad lines of seven


def test_without_a_descriptor_the_answers_come_back_through_the_command(tmp_path: Path) -> None:
    path = tmp_path / "scenarios.jsonl"
    path.write_text("\n".join(LINES * 3) + "\n", encoding="utf-8")
    runner = CliRunner()  # its stdout is a buffer with no file descriptor
    one = runner.invoke(app, ["batch", "-e", "e1", "--rules", str(MINI), str(path)])
    two = runner.invoke(app, ["batch", "-e", "e1", "-j", "2", "--rules", str(MINI), str(path)])
    assert one.exit_code == two.exit_code == 1
    assert one.stdout == two.stdout and len(two.stdout.splitlines()) == 6 * 3


def test_the_evaluator_built_for_the_workers_is_let_go(mini: KnowledgeBase, alarm: None) -> None:
    _written(mini, LINES, 2, 2)
    list(run_parallel(partial(Evaluator, mini, "e1"), LINES, jobs=2, chunk=2))
    assert parallel._WORKER is None
