"""Pausing Python's cycle collector while accord builds large structures that stay alive.

In: a block of code: reading and checking rule files, compiling and grounding an edition. Out: the
same block without the collector's passes over the growing heap. Those structures hold no garbage
cycles, so the passes find nothing to free, yet at 10,000 clauses they cost as much as the work
itself (docs/performance.md). Reference counting still frees temporaries at once. Pauses nest and
may overlap across threads: the collector comes back on when the last one ends, and only if it was
on when the first one began.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def paused() -> Iterator[None]:
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
