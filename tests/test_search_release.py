"""A used `SearchProgram` is freed as soon as it is dropped (accord.solve.search).

clingo keeps a control's last solve callback; a callback that held the program would make a cycle,
leaving every slice program of a diff to the cycle collector, which the diff pauses. Checked with
the collector off, for each kind of solve (brave, one fewest-fact model, several minimal ones), with
and without an echo.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from accord.solve import SearchProgram, Sym
from accord.util import collector

PROGRAM = """
{ holds(a); holds(b); holds(c) }.
found :- holds(a).
found :- holds(b), holds(c).
#show found/0.
"""
ECHOED = PROGRAM + "#external witness.\necho(F) :- holds(F), witness.\n#show echo/1.\n"


@pytest.fixture
def collector_off() -> Iterator[None]:
    gc.collect()
    with collector.paused():
        yield


@pytest.mark.parametrize("echo", [None, ("witness", "echo")])
@pytest.mark.parametrize("count", [0, 1, 3])
@pytest.mark.usefixtures("collector_off")
def test_a_dropped_program_is_freed_without_the_collector(echo: tuple[str, str] | None, count: int) -> None:
    search = SearchProgram(ECHOED if echo else PROGRAM, ("holds", 1), echo)
    assert search.brave({}, None) == frozenset({Sym("found")})
    if count:
        models = search.minimal_models({Sym("found"): True}, count, [Sym("found")], None)
        assert models[0] == frozenset({Sym("holds", (Sym("a"),)), Sym("found")})
        assert len(models) == min(count, 2)
    alive = weakref.ref(search)
    del search
    assert alive() is None
