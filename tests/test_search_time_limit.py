"""The time limit of the diff's solves (accord.solve.search, accord.solve.watchdog).

Solves run on the calling thread and a watchdog thread interrupts them when the time is up: a hard
search stops near its limit, a program is spent after a timeout, other programs are not disturbed,
and several threads can each have a solve watched at once.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from accord.solve import SearchProgram, SolveTimeout, Sym

# Pigeons into fewer holes: no answer set, and a long search to find that out.
HARD = """
pigeon(1..14). hole(1..13).
{ holds(in(P, H)) : hole(H) } = 1 :- pigeon(P).
:- hole(H), #count { P : holds(in(P, H)) } > 1.
found :- holds(in(1, 1)).
#show found/0.
"""
EASY = "{ holds(a); holds(b) }.\nfound :- holds(a).\n#show found/0.\n"


def test_a_hard_search_stops_near_its_limit() -> None:
    search = SearchProgram(HARD, ("holds", 1))
    start = time.monotonic()
    with pytest.raises(SolveTimeout):
        search.brave({}, 0.3)
    assert time.monotonic() - start < 5
    with pytest.raises(SolveTimeout):  # spent: it answers no more
        search.minimal_models({}, 1, (), 30.0)


def test_other_programs_are_not_disturbed() -> None:
    with pytest.raises(SolveTimeout):
        SearchProgram(HARD, ("holds", 1)).brave({}, 0.2)
    easy = SearchProgram(EASY, ("holds", 1))
    assert easy.brave({}, 30.0) == frozenset({Sym("found")})
    assert easy.minimal_models({Sym("found"): True}, 1, (), 30.0) == [frozenset({Sym("holds", (Sym("a"),))})]


def test_several_threads_have_their_solves_watched() -> None:
    def hard(_: int) -> str:
        try:
            SearchProgram(HARD, ("holds", 1)).brave({}, 0.3)
        except SolveTimeout:
            return "timeout"
        return "done"

    def easy(_: int) -> frozenset[Sym] | None:
        return SearchProgram(EASY, ("holds", 1)).brave({}, 30.0)

    with ThreadPoolExecutor(max_workers=4) as pool:
        hard_runs = pool.map(hard, range(2))
        easy_runs = pool.map(easy, range(20))
        assert list(hard_runs) == ["timeout", "timeout"]
        assert all(found == frozenset({Sym("found")}) for found in easy_runs)


def test_no_limit_needs_no_watchdog() -> None:
    assert SearchProgram(EASY, ("holds", 1)).brave({}, None) == frozenset({Sym("found")})
