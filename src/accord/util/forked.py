"""Running the items of one computation side by side in forked processes.

In: a function and the items to apply it to, with a number of processes (`map_pulled`); a function
to start beside the caller's next steps (`started`); or nothing (`cores`, `can_fork`). Out: the
function's result for each item, in the order of the items, each computed by whichever of the
children forked for the call was free to take it; `started` gives a `Pending`, whose result is
computed in a child of its own.

Forking, not spawning: a child starts with everything the parent holds (the rule base, the
compiled lines of a diff), so nothing is read, compiled or sent to it; only its results travel,
pickled through a pipe, each as soon as it is ready. While the children of `map_pulled` work, the
calling process reads what they send (and what any `Pending` sends), so that little is left to
read when the last item is done. A child never returns into the caller: whatever happens it
leaves with `os._exit`, without running the parent's clean-ups or freeing what it built (clingo's
controls, for a diff). An exception in a child comes back as the same exception when it can be
pickled, else as a `WorkerError` naming it; the other children are then stopped and reaped
before it goes on, as they are when the caller is interrupted.

Forking is safe only from a process that runs no other thread (a thread holding a lock at the
fork would leave the child's copy of it held for ever): `can_fork` says so, counting the time-limit
thread of `accord.solve.watchdog`, which resets itself in a child. Without `os.fork` (Windows), or
with another thread running, the caller works through the items one by one.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import pickle
import selectors
import signal
import struct
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Generic, TypeVar, cast

_T = TypeVar("_T")
_R = TypeVar("_R")

_QUIET_THREADS: set[str] = set()  # names of threads that allow a fork (they reset in the child)


class WorkerError(RuntimeError):
    """A forked child's work failed with an exception that could not be sent back as itself."""


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
    """Whether work can run in forked children here: `os.fork` exists, and no thread but the
    main one (and those `allow_thread` names) is running."""
    if not hasattr(os, "fork") or threading.current_thread() is not threading.main_thread():
        return False
    return all(t is threading.main_thread() or t.name in _QUIET_THREADS for t in threading.enumerate())


def map_pulled(work: Callable[[_T], _R], items: Sequence[_T], processes: int) -> list[_R]:
    """`work` applied to each item, in the order of the items: in `processes` forked children at
    once, each taking the next item not yet taken whenever it is free (`_Queue`), or here, one by
    one, for one process (or where forking is not possible). An item that fails stops every
    child from taking another."""
    processes = min(processes, len(items))
    if processes <= 1 or not can_fork():
        return [work(item) for item in items]
    queue = _Queue(len(items))

    def pull(send: Callable[[tuple[object, ...]], None]) -> None:
        for i in queue:
            try:
                result = work(items[i])
            except BaseException:
                queue.stop()
                raise
            send(("item", i, result))

    results: dict[int, object] = {}
    children: list[_Child] = []
    try:
        children = [_fork(pull, keep=False) for _ in range(processes)]
        for message in _receive(children):
            results[cast(int, message[1])] = message[2]
    finally:
        for child in children:
            child.stop()
        queue.close()
    if len(results) != len(items):
        raise WorkerError(f"worker processes ended with {len(items) - len(results)} of {len(items)} items not done")
    return [cast(_R, results[i]) for i in range(len(items))]


class _Queue:
    """The indices 0 .. count - 1, each taken once by one of the processes forked after it was made:
    the next index is kept in memory shared by them all, and a byte in a pipe is the lock that
    one process at a time holds to take it."""

    def __init__(self, count: int) -> None:
        self._count = count
        self._next = mmap.mmap(-1, 8)  # anonymous and shared: forked children see the same memory
        self._lock_in, self._lock_out = os.pipe()
        os.write(self._lock_out, b".")

    def _swap(self, change: Callable[[int], int]) -> int:
        os.read(self._lock_in, 1)
        try:
            value: int = struct.unpack_from("q", self._next)[0]
            struct.pack_into("q", self._next, 0, change(value))
        finally:
            os.write(self._lock_out, b".")
        return value

    def __iter__(self) -> Iterator[int]:
        while (i := self._swap(lambda n: n + 1)) < self._count:
            yield i

    def stop(self) -> None:
        """No process takes another index."""
        self._swap(lambda _: self._count)

    def close(self) -> None:
        os.close(self._lock_in)
        os.close(self._lock_out)
        self._next.close()


class Pending(Generic[_R]):
    """A computation started in a forked child (`started`), or, when not forked, left to be done
    here when its result is asked for. Used as a context manager, so that a child whose result is
    never asked for is stopped and reaped."""

    def __init__(self, work: Callable[[], _R], fork: bool) -> None:
        self._work = work
        self._child: _Child | None = None
        if fork and can_fork():
            self._child = _fork(lambda send: send(("done", work())), keep=True)
            _STARTED.add(self._child)

    def result(self) -> _R:
        """The result, once the child has sent it (its exception raised here)."""
        child = self._child
        if child is None:
            return self._work()
        while not child.sent:
            child.read()
        child.stop()
        _STARTED.discard(child)
        if not child.messages:
            raise WorkerError(f"a worker process ({child.pid}) ended without a result")
        return cast(_R, _opened(child.messages[0])[1])

    def __enter__(self) -> Pending[_R]:
        return self

    def __exit__(self, *_: object) -> None:
        if self._child is not None:
            self._child.stop()
            _STARTED.discard(self._child)


def started(work: Callable[[], _R], fork: bool = True) -> Pending[_R]:
    """`work` started at once in a forked child, beside whatever the caller does next; with
    `fork` false (or where forking is not possible), done here when its result is asked for."""
    return Pending(work, fork)


_FRAME = struct.Struct("q")  # the length of each pickled message a child sends


class _Child:
    """A forked child, the read end of its pipe, and (for a `Pending`'s, which may be read while
    something else is waited for) the messages read from it so far."""

    def __init__(self, pid: int, fd: int, keep: bool) -> None:
        self.pid, self.fd, self._keep = pid, fd, keep
        self.messages: list[tuple[object, ...]] = []
        self.sent = False  # the child has closed its end of the pipe
        self.ended = False  # the child is reaped and the pipe closed
        self._buffer = bytearray()

    def read(self) -> list[tuple[object, ...]]:
        """Read what the pipe holds (waiting for something), and return the messages it
        completes; `sent` once the child has closed its end."""
        chunk = os.read(self.fd, 1 << 16)
        if not chunk:
            self.sent = True
            return []
        buffer = self._buffer
        buffer += chunk
        new = []
        while len(buffer) >= _FRAME.size:
            (size,) = _FRAME.unpack_from(buffer)
            if len(buffer) < _FRAME.size + size:
                break
            new.append(pickle.loads(buffer[_FRAME.size:_FRAME.size + size]))
            del buffer[:_FRAME.size + size]
        if self._keep:
            self.messages += new
        return new

    def stop(self) -> None:
        """Stop the child if it still runs, reap it and close its pipe."""
        if self.ended:
            return
        self.ended = True
        with contextlib.suppress(ProcessLookupError):  # it may have left already
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        os.close(self.fd)


_STARTED: set[_Child] = set()  # the children of `Pending`s whose results are not yet asked for


def _receive(children: Sequence[_Child]) -> Iterator[tuple[object, ...]]:
    """Every message of these children as it comes, until they have all ended (an exception one
    sends is raised here); what the children of `Pending`s send meanwhile is read too."""
    watch = selectors.DefaultSelector()
    try:
        for child in (*children, *_STARTED):
            if not child.sent:
                watch.register(child.fd, selectors.EVENT_READ, child)
        working = {child for child in children if not child.sent}
        while working:
            for key, _ in watch.select():
                child = key.data
                new = child.read()
                if child.sent:  # unregistered before its pipe is closed: children forked later hold copies
                    watch.unregister(key.fd)
                    child.stop()
                    working.discard(child)
                if child in _STARTED:
                    continue
                for message in new:
                    yield _opened(message)
    finally:
        watch.close()


def _opened(message: tuple[object, ...]) -> tuple[object, ...]:
    """A message, or the exception it carries raised."""
    if message[0] == "failed":
        raise cast(BaseException, message[1])
    return message


def _fork(body: Callable[[Callable[[tuple[object, ...]], None]], None], keep: bool) -> _Child:
    """A child running `body`, which sends its messages with the function it is given; an
    exception it raises is sent as a message too. `keep`: the parent keeps the messages read."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child, which coverage does not follow
        os.close(read)
        status = 1
        try:
            with os.fdopen(write, "wb") as out:
                def send(message: tuple[object, ...]) -> None:
                    data = _pickled(message)
                    out.write(_FRAME.pack(len(data)) + data)
                    out.flush()

                try:
                    body(send)
                except BaseException as err:  # everything goes back to the parent, even an interrupt
                    send(("failed", err))
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    return _Child(pid, read, keep)


def _pickled(message: tuple[object, ...]) -> bytes:
    try:
        return pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
    except Exception as err:
        what = (f"{type(message[1]).__name__}: {message[1]}" if message[0] == "failed"
                else f"its result could not be pickled ({err})")
        return pickle.dumps(("failed", WorkerError(what)))
