"""Running shares of one computation side by side in forked processes.

In: a function and the shares of work to apply it to (`map_forked`); or nothing (`cores`,
`can_fork`). Out: the function's result for each share, in the order of the shares, the first
share computed in the calling process and each other one in a child forked for it; its result
comes back pickled through a pipe.

Forking, not spawning: a child starts with everything the parent holds (the rule base, the
compiled lines of a diff), so nothing is read, compiled or sent to it; only its result travels.
A child never returns into the caller: whatever happens it leaves with `os._exit`, without
running the parent's clean-ups or freeing what it built. An exception in a child comes back as
the same exception when it can be pickled, else as a `WorkerError` naming it; if the parent's own
share fails, its children are stopped and reaped before the exception goes on.

Forking is safe only from a process that runs no other thread (a thread holding a lock at the
fork would leave the child's copy of it held for ever): `can_fork` says so, counting the time-limit
thread of `accord.solve.watchdog`, which resets itself in a child. Without `os.fork` (Windows), or
with another thread running, the caller works through its shares one by one.
"""

from __future__ import annotations

import os
import pickle
import signal
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar, cast

_T = TypeVar("_T")
_R = TypeVar("_R")

_QUIET_THREADS: set[str] = set()  # names of threads that allow a fork (they reset in the child)


class WorkerError(RuntimeError):
    """A forked share failed with an exception that could not be sent back as itself."""


def allow_thread(name: str) -> None:
    """Say that the thread of this name does not stop a fork (it makes itself anew in a child)."""
    _QUIET_THREADS.add(name)


def cores() -> int:
    """The processor cores this process may run on."""
    affinity = getattr(os, "sched_getaffinity", None)
    if affinity is not None:
        return max(1, len(affinity(0)))
    return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    """Whether shares can run in forked children here: `os.fork` exists, and no thread but the
    main one (and those `allow_thread` names) is running."""
    if not hasattr(os, "fork") or threading.current_thread() is not threading.main_thread():
        return False
    return all(t is threading.main_thread() or t.name in _QUIET_THREADS for t in threading.enumerate())


def map_forked(work: Callable[[_T], _R], shares: Sequence[_T]) -> list[_R]:
    """`work` applied to each share: the first here, the others in forked children, at once."""
    if len(shares) <= 1 or not can_fork():
        return [work(share) for share in shares]
    children: dict[int, int] = {}  # pid -> the read end of its pipe, until it is reaped
    try:
        for share in shares[1:]:
            pid, fd = _fork(work, share)
            children[pid] = fd
        out = [work(shares[0])]
        for pid in list(children):
            out.append(cast(_R, _collect(pid, children.pop(pid))))
        return out
    finally:
        for pid, fd in children.items():
            _stop(pid, fd)


def _fork(work: Callable[[_T], object], share: _T) -> tuple[int, int]:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child, which coverage does not follow
        os.close(read)
        status = 1
        try:
            try:
                outcome: tuple[str, object] = ("done", work(share))
            except BaseException as err:  # everything goes back to the parent, even an interrupt
                outcome = ("failed", err)
            try:
                data = pickle.dumps(outcome, pickle.HIGHEST_PROTOCOL)
            except Exception as err:
                what = (f"{type(outcome[1]).__name__}: {outcome[1]}" if outcome[0] == "failed"
                        else f"its result could not be pickled ({err})")
                data = pickle.dumps(("failed", WorkerError(what)))
            with os.fdopen(write, "wb") as out:
                out.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    return pid, read


def _collect(pid: int, fd: int) -> object:
    """A child's result, once it has sent it all and ended; its exception raised here."""
    with os.fdopen(fd, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    if not data:
        raise WorkerError(f"a worker process ({pid}) ended without a result")
    kind, value = pickle.loads(data)
    if kind == "failed":
        raise value
    return value


def _stop(pid: int, fd: int) -> None:
    """Stop a child whose result is no longer wanted, close its pipe and reap it."""
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ChildProcessError, ProcessLookupError):  # pragma: no cover - it had ended already
        pass
    os.close(fd)
