"""Reports laid out without rich (accord.plain) read exactly as rich writes them off a terminal."""

from __future__ import annotations

import io
import os
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from accord import plain, report
from accord.api import KnowledgeBase, load
from accord.plain import Line


def rich_text(lines: Sequence[Line], width: int) -> str:
    """What `emit` writes off a terminal: rich's rendering, each line's trailing spaces dropped."""
    console = Console(highlight=False, soft_wrap=False, width=width, file=io.StringIO())
    with console.capture() as captured:
        console.print(plain.renderable(lines))
    return "".join(line.rstrip() + "\n" for line in captured.get().splitlines())


@pytest.fixture(scope="module")
def bundled() -> KnowledgeBase:
    return load()


# Words of every length (folded when longer than the width), runs of spaces, leading and trailing spaces.
_WORDS = st.one_of(st.sampled_from([" ", "  ", "-", "a", "of", "clause", "(in force)"]),
                   st.text(alphabet="abcxyz[]().,:;-", min_size=1, max_size=40),
                   st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=12))
_TEXTS = st.lists(_WORDS, max_size=30).map("".join)
_LINES = st.builds(
    Line,
    pieces=st.lists(st.tuples(_TEXTS, st.sampled_from(["", "bold", "dim", "italic"])), min_size=1, max_size=3)
    .map(tuple),
    indent=st.sampled_from([0, 2, 6]),
    style=st.sampled_from(["", "bold", "bold red"]),
    fill=st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINES, max_size=6), st.integers(min_value=plain.MIN_WIDTH, max_value=130))
def test_the_layout_is_richs_for_any_printable_ascii(lines: list[Line], width: int) -> None:
    assert plain.layout(lines, width) == (rich_text(lines, width) if lines else None)


@pytest.mark.parametrize("width", [41, 80])
def test_every_named_scenario_reads_as_rich_writes_it(bundled: KnowledgeBase, width: int) -> None:
    newest = bundled.editions()[-1].id
    for name in sorted(bundled.rules.scenarios):
        for show_all in (False, True):
            lines = report.query_lines(bundled.query(newest, scenario=name), show_all)
            assert plain.layout(lines, width) == rich_text(lines, width), name


def test_readings_and_unknown_facts_read_as_rich_writes_them(bundled: KnowledgeBase) -> None:
    result = bundled.query("e2016", facts=["armed_attack_on(japan)"], unknown=["cabinet_decision", "us_request"],
                           readings_cap=100)
    lines = report.query_lines(result)
    assert plain.layout(lines, 80) == rich_text(lines, 80)


@pytest.mark.parametrize("text", ["Japan\N{RIGHT SINGLE QUOTATION MARK}s", "wide \u6f22\u5b57", "a\tb", "a\nb"])
def test_other_text_is_left_to_rich(text: str) -> None:
    assert plain.layout([plain.line("ok"), plain.line(text, indent=2)], 80) is None


@pytest.mark.parametrize("columns", [None, "100", "57", "20", "1000"])
def test_the_width_is_the_one_rich_chooses(columns: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("COLUMNS", "FORCE_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.delenv(name, raising=False)
    if columns is not None:
        monkeypatch.setenv("COLUMNS", columns)
    stream = io.StringIO()
    assert plain.width(stream) == Console(file=stream).width


@pytest.mark.parametrize("env", [{"COLUMNS": "abc"}, {"COLUMNS": "0"}, {"COLUMNS": "19"}, {"FORCE_COLOR": "1"},
                                 {"FORCE_COLOR": ""}, {"TTY_COMPATIBLE": "1"}])
def test_whatever_only_rich_does_is_left_to_it(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert plain.width(io.StringIO()) is None


def test_a_terminal_is_left_to_rich(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    read, write = os.openpty()
    try:
        with os.fdopen(write, "w", closefd=False) as terminal:
            assert plain.width(terminal) is None
    finally:
        os.close(read)
        os.close(write)
