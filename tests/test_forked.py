"""Work in forked processes (accord.util.forked): items taken by whichever child is free, results in
order, computations started beside the caller, failures carried back, children reaped, and the
calling process's own fallbacks."""

from __future__ import annotations

import os
import threading
import time

import pytest

from accord.solve import SolveTimeout
from accord.util import forked

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="processes cannot fork here")


@pytest.fixture(autouse=True)
def _only_this_tests_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    """The threads `can_fork` counts are those this module starts: a test process may still hold
    the harness's own (the reader of an LSP client another test started, say), which touch none
    of what a child uses, and would make these tests take the one-process path at random."""
    ours = {threading.main_thread().ident}
    real = threading.enumerate

    def enumerate_ours() -> list[threading.Thread]:
        return [t for t in real() if t.ident in ours or t.name.startswith(("test-", "accord-"))]

    original = threading.Thread.start

    def start(self: threading.Thread) -> None:
        original(self)
        ours.add(self.ident)

    monkeypatch.setattr(forked.threading, "enumerate", enumerate_ours)
    monkeypatch.setattr(threading.Thread, "start", start)


def _threads() -> list[str]:
    return [t.name for t in threading.enumerate()]


def _no_children_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_the_items_are_shared_among_the_children_and_come_back_in_order() -> None:
    def work(n: int) -> tuple[int, int]:
        time.sleep(0.05)  # long enough that every child takes some
        return n * n, os.getpid()

    out = forked.map_pulled(work, list(range(12)), 3)
    assert [square for square, _ in out] == [n * n for n in range(12)]
    pids = {pid for _, pid in out}
    assert len(pids) == 3
    assert os.getpid() not in pids
    assert _no_children_left()


def test_each_item_is_done_once_whatever_the_number_of_processes() -> None:
    for processes in (1, 2, 5, 40):
        assert forked.map_pulled(lambda n: n + 1, list(range(30)), processes) == list(range(1, 31))
    assert _no_children_left()


def test_a_child_sees_what_the_parent_built_before_the_fork() -> None:
    table = {n: str(n) * 3 for n in range(1000)}  # not picklable through a lambda, only inherited
    assert forked.map_pulled(lambda k: table[k], [1, 2, 3], 2) == ["111", "222", "333"]


def test_an_exception_in_a_child_is_raised_in_the_parent() -> None:
    def work(n: int) -> int:
        if n == 2:
            raise SolveTimeout()
        return n

    with pytest.raises(SolveTimeout):
        forked.map_pulled(work, [1, 2, 3], 2)
    assert _no_children_left()


def test_a_failed_item_stops_the_children_at_once() -> None:
    def work(n: int) -> int:
        if n == 0:
            raise ValueError("the first item")
        time.sleep(60)
        return n

    start = time.monotonic()
    with pytest.raises(ValueError, match="the first item"):
        forked.map_pulled(work, [0, 1, 2, 3], 3)
    assert time.monotonic() - start < 30
    assert _no_children_left()


def test_an_exception_that_cannot_travel_becomes_a_worker_error() -> None:
    class Local(Exception):  # defined in a function: pickle cannot find it by name
        pass

    def work(n: int) -> int:
        if n:
            raise Local("the slice broke")
        return n

    with pytest.raises(forked.WorkerError, match="Local: the slice broke"):
        forked.map_pulled(work, [0, 1], 2)


def test_a_result_that_cannot_travel_becomes_a_worker_error() -> None:
    with pytest.raises(forked.WorkerError, match="pickle"):
        forked.map_pulled(lambda n: (lambda: n) if n else 0, [0, 1], 2)


def test_a_child_that_dies_without_its_results_is_an_error() -> None:
    with pytest.raises(forked.WorkerError, match="not done"):
        forked.map_pulled(lambda n: os._exit(0) if n == 1 else n, [0, 1, 2], 2)
    assert _no_children_left()


def test_large_results_come_back_whole() -> None:
    out = forked.map_pulled(lambda n: bytes([n]) * 300_000, [1, 2, 3], 2)
    assert [len(x) for x in out] == [300_000] * 3
    assert [x[0] for x in out] == [1, 2, 3]


def test_one_process_or_one_item_runs_here() -> None:
    assert forked.map_pulled(lambda n: os.getpid(), [7, 8], 1) == [os.getpid()] * 2
    assert forked.map_pulled(lambda n: os.getpid(), [7], 4) == [os.getpid()]
    assert forked.map_pulled(lambda n: n, [], 4) == []


def test_from_another_thread_the_items_run_one_by_one_here() -> None:
    seen: list[object] = []
    worker = threading.Thread(target=lambda: seen.append(forked.map_pulled(lambda n: os.getpid(), [1, 2], 2)))
    worker.start()
    worker.join()
    assert seen == [[os.getpid(), os.getpid()]]


def test_a_started_computation_runs_in_a_child_beside_the_caller() -> None:
    with forked.started(lambda: (os.getpid(), "x" * 200_000)) as pending:
        here = os.getpid()
        pid, text = pending.result()
    assert pid != here and len(text) == 200_000
    assert _no_children_left()


def test_a_started_computation_is_read_while_items_are_waited_for() -> None:
    with forked.started(lambda: "clauses") as pending:
        assert forked.map_pulled(lambda n: time.sleep(0.1) or n, [1, 2, 3], 2) == [1, 2, 3]
        assert pending._child is not None and pending._child.sent  # read during the wait
        assert pending.result() == "clauses"
    assert _no_children_left()


def test_a_started_computation_raises_its_exception_when_asked() -> None:
    def work() -> int:
        raise SolveTimeout()

    with forked.started(work) as pending, pytest.raises(SolveTimeout):
        pending.result()
    assert _no_children_left()


def test_a_started_computation_never_asked_for_is_stopped() -> None:
    start = time.monotonic()
    with forked.started(lambda: time.sleep(60)):
        pass
    assert time.monotonic() - start < 30
    assert _no_children_left()


def test_not_forked_a_started_computation_is_done_when_asked() -> None:
    calls: list[int] = []
    with forked.started(lambda: calls.append(os.getpid()) or len(calls), fork=False) as pending:
        assert calls == []
        assert pending.result() == 1
    assert calls == [os.getpid()]


def test_a_running_thread_stops_forking_unless_it_is_allowed() -> None:
    release = threading.Event()
    other = threading.Thread(target=release.wait, name="test-bystander")
    other.start()
    try:
        assert not forked.can_fork()
        forked.allow_thread("test-bystander")
        assert forked.can_fork()
    finally:
        forked._QUIET_THREADS.discard("test-bystander")
        release.set()
        other.join()
    assert forked.can_fork()


def test_the_time_limit_thread_does_not_stop_a_fork_and_works_in_the_child(tmp_path: object) -> None:
    from accord.solve.core import grounded
    from accord.solve.watchdog import WATCHDOG

    WATCHDOG.disarm(WATCHDOG.arm(grounded("a."), 60.0))  # the time-limit thread is running now
    assert forked.can_fork(), _threads()

    def interrupted(_: int) -> bool:
        ctl = grounded("{ p(1..40) }. :- #count { X : p(X) } = 20.", ["--models=0"])
        token = WATCHDOG.arm(ctl, 0.05)
        ctl.solve()
        return WATCHDOG.disarm(token)

    assert forked.map_pulled(interrupted, [0, 1], 2) == [True, True]


def test_cores_counts_at_least_one() -> None:
    assert forked.cores() >= 1
