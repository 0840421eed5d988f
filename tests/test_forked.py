"""Shares of work in forked processes (accord.util.forked): results in order, failures carried back,
children reaped, and the calling process's own fallbacks."""

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


def test_each_share_is_worked_in_its_own_process_and_comes_back_in_order() -> None:
    out = forked.map_forked(lambda n: (n * n, os.getpid()), [1, 2, 3, 4])
    assert [square for square, _ in out] == [1, 4, 9, 16]
    pids = [pid for _, pid in out]
    assert pids[0] == os.getpid()
    assert len(set(pids)) == 4
    assert _no_children_left()


def test_a_child_sees_what_the_parent_built_before_the_fork() -> None:
    table = {n: str(n) * 3 for n in range(1000)}  # not picklable through a lambda, only inherited
    assert forked.map_forked(lambda keys: [table[k] for k in keys], [[1], [2, 3]]) == [["111"], ["222", "333"]]


def test_an_exception_in_a_child_is_raised_in_the_parent() -> None:
    def work(n: int) -> int:
        if n == 2:
            raise SolveTimeout()
        return n

    with pytest.raises(SolveTimeout):
        forked.map_forked(work, [1, 2])
    assert _no_children_left()


def test_an_exception_that_cannot_travel_becomes_a_worker_error() -> None:
    class Local(Exception):  # defined in a function: pickle cannot find it by name
        pass

    def work(n: int) -> int:
        if n:
            raise Local("the slice broke")
        return n

    with pytest.raises(forked.WorkerError, match="Local: the slice broke"):
        forked.map_forked(work, [0, 1])


def test_a_result_that_cannot_travel_becomes_a_worker_error() -> None:
    with pytest.raises(forked.WorkerError, match="pickle"):
        forked.map_forked(lambda n: (lambda: n) if n else 0, [0, 1])


def test_when_the_parents_share_fails_the_children_are_stopped_at_once() -> None:
    def work(n: int) -> int:
        if n == 0:
            raise ValueError("parent's share")
        time.sleep(60)
        return n

    start = time.monotonic()
    with pytest.raises(ValueError, match="parent's share"):
        forked.map_forked(work, [0, 1, 2])
    assert time.monotonic() - start < 30
    assert _no_children_left()


def test_one_share_or_none_runs_here() -> None:
    assert forked.map_forked(lambda n: os.getpid(), [7]) == [os.getpid()]
    assert forked.map_forked(lambda n: n, []) == []


def test_from_another_thread_the_shares_run_one_by_one_here() -> None:
    seen: list[object] = []
    worker = threading.Thread(target=lambda: seen.append(forked.map_forked(lambda n: os.getpid(), [1, 2])))
    worker.start()
    worker.join()
    assert seen == [[os.getpid(), os.getpid()]]


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

    assert forked.map_forked(interrupted, [0, 1]) == [True, True]


def test_cores_counts_at_least_one() -> None:
    assert forked.cores() >= 1
