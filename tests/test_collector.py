"""The cycle collector's pause: nested and overlapping pauses restore exactly the state before."""

from __future__ import annotations

import gc
import threading

import pytest

from accord.util import collector


@pytest.fixture(autouse=True)
def _restore_collector() -> object:
    enabled = gc.isenabled()
    yield None
    if enabled:
        gc.enable()
    else:
        gc.disable()


def test_a_pause_turns_the_collector_off_and_back_on() -> None:
    gc.enable()
    with collector.paused():
        assert not gc.isenabled()
        with collector.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still holds
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_program_stays_off() -> None:
    gc.disable()
    with collector.paused():
        pass
    assert not gc.isenabled()


def test_an_error_inside_a_pause_still_ends_it() -> None:
    gc.enable()
    with pytest.raises(ValueError), collector.paused():
        raise ValueError("boom")
    assert gc.isenabled()


def test_overlapping_pauses_in_threads_end_with_the_last() -> None:
    gc.enable()
    inside, release = threading.Event(), threading.Event()

    def other() -> None:
        with collector.paused():
            inside.set()
            release.wait(10)

    thread = threading.Thread(target=other)
    with collector.paused():
        thread.start()
        assert inside.wait(10)
    assert not gc.isenabled()  # the other thread's pause is still on
    release.set()
    thread.join(10)
    assert gc.isenabled()


def test_building_rules_and_an_engine_leaves_the_collector_as_it_was() -> None:
    from accord.api import load

    gc.enable()
    load().engine("e2016")
    assert gc.isenabled()


def test_an_engine_is_built_with_the_collector_paused(monkeypatch: pytest.MonkeyPatch) -> None:
    """However it is made (through the API, by a batch worker, by a benchmark), an engine grounds its
    program with the collector paused, and leaves it on afterwards."""
    from accord.analyses import engine as query
    from accord.api import load

    seen: list[bool] = []
    real = query.GroundProgram

    def recording(program: str) -> query.GroundProgram:
        seen.append(gc.isenabled())
        return real(program)

    monkeypatch.setattr(query, "GroundProgram", recording)
    gc.enable()
    query.EditionEngine(load().rules, "e2016")
    assert seen == [False]
    assert gc.isenabled()
