"""A time limit for synchronous solves.

In: a clingo control about to solve on the calling thread, and a number of seconds. Out: the
control interrupted (`Control.interrupt`, which clingo allows from another thread) if the solve is
still running when the time is up, and whether that happened.

Why not clingo's asynchronous solve with a timed wait: it runs the search on a thread of its own
and hands the end back to the waiting thread, and on a busy machine that hand-off can take longer
than a small solve itself (`accord diff` runs thousands of them). Here the search stays on the
calling thread, and one background thread, started on first use, sleeps until the earliest
deadline of the solves it watches. A process forked from this one (`accord.util.forked`) starts
with a watchdog of its own, with no thread until its first solve: the parent's thread is not
copied into it, and neither is any lock that thread held.
"""

from __future__ import annotations

import math
import os
import threading
import time

import clingo

from accord.util.forked import allow_thread

_THREAD = "accord-solve-time-limit"


class Watchdog:
    """Interrupts the solves it is told of when their time is up; any thread may use it."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Forget every solve and the thread: the state of a new watchdog."""
        self._cond = threading.Condition()
        self._jobs: dict[int, tuple[clingo.Control, float]] = {}
        self._fired: set[int] = set()
        self._wake_at = math.inf
        self._count = 0
        self._thread: threading.Thread | None = None

    def arm(self, ctl: clingo.Control, seconds: float) -> int:
        """Watch a solve about to start on `ctl`; the token to `disarm` it with."""
        deadline = time.monotonic() + seconds
        with self._cond:
            self._count += 1
            self._jobs[self._count] = (ctl, deadline)
            if self._thread is None:
                self._thread = threading.Thread(target=self._watch, name=_THREAD, daemon=True)
                self._thread.start()
            if deadline < self._wake_at:
                self._cond.notify()
            return self._count

    def disarm(self, token: int) -> bool:
        """Stop watching a solve that returned; whether its time was up (it was interrupted, or, if
        it ended just then, the control's next solve would be)."""
        with self._cond:
            del self._jobs[token]
            late = token in self._fired
            self._fired.discard(token)
            return late

    def _watch(self) -> None:
        with self._cond:
            while True:
                now = time.monotonic()
                for token, (ctl, deadline) in self._jobs.items():
                    if deadline <= now and token not in self._fired:
                        self._fired.add(token)
                        ctl.interrupt()
                waiting = [d for token, (_, d) in self._jobs.items() if token not in self._fired]
                self._wake_at = min(waiting, default=math.inf)
                self._cond.wait(None if not waiting else self._wake_at - now)


WATCHDOG = Watchdog()
allow_thread(_THREAD)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=WATCHDOG.reset)
