"""Source files, spans and reading rule files from disk (accord.language.source, accord.knowledge.loader)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.knowledge.loader import load_sources
from accord.language.diagnostics import Sink
from accord.language.parse import parse
from accord.language.source import SourceFile, Span


def test_positions_are_one_based_lines_and_columns() -> None:
    source = SourceFile("a.accord", "ab\ncde\n\nf")
    assert source.position(0) == (1, 1)
    assert source.position(1) == (1, 2)
    assert source.position(2) == (1, 3)  # the newline itself ends line 1
    assert source.position(3) == (2, 1)
    assert source.position(6) == (2, 4)
    assert source.position(7) == (3, 1)
    assert source.position(8) == (4, 1)
    assert source.position(9) == (4, 2)  # the end of the text


def test_positions_outside_the_text_are_clamped() -> None:
    source = SourceFile("a.accord", "ab\ncd")
    assert source.position(-5) == (1, 1)
    assert source.position(1000) == source.position(len(source.text)) == (2, 3)


def test_columns_count_characters_not_bytes() -> None:
    source = SourceFile("a.accord", "é日本 x")
    assert source.position(4) == (1, 5)


def test_line_text_and_line_count() -> None:
    source = SourceFile("a.accord", "first\nsecond\n")
    assert source.line_count == 3
    assert source.line_text(1) == "first"
    assert source.line_text(2) == "second"
    assert source.line_text(3) == ""


@given(st.text(alphabet=st.sampled_from("ab \n\r\u2028\x85")))
def test_lines_start_at_the_text_and_after_every_newline(text: str) -> None:
    starts = SourceFile("a.accord", text).line_starts
    assert starts == (0, *(i + 1 for i, ch in enumerate(text) if ch == "\n"))


def test_line_text_of_a_last_line_without_newline() -> None:
    source = SourceFile("a.accord", "one\ntwo")
    assert source.line_count == 2
    assert source.line_text(2) == "two"


def test_empty_file_has_one_empty_line() -> None:
    source = SourceFile("a.accord", "")
    assert source.line_count == 1
    assert source.line_text(1) == ""
    assert source.position(0) == (1, 1)


def test_line_text_drops_the_carriage_return_of_windows_line_ends() -> None:
    source = SourceFile("a.accord", "one\r\ntwo\r\n")
    assert source.line_text(1) == "one"
    assert source.line_text(2) == "two"
    assert source.position(5) == (2, 1)


def test_span_reports_file_line_column_and_text() -> None:
    source = SourceFile("dir/a.accord", "module m\nfact f \"x\"\n")
    span = Span(source, 14, 15)
    assert span.file == "dir/a.accord"
    assert (span.line, span.column) == (2, 6)
    assert span.text() == "f"
    assert span.sort_key() == ("dir/a.accord", 14, 15)


def test_empty_span_has_empty_text() -> None:
    source = SourceFile("a.accord", "abc")
    assert Span(source, 3, 3).text() == ""


def test_source_files_compare_by_name_and_text() -> None:
    assert SourceFile("a", "x\ny") == SourceFile("a", "x\ny")
    assert SourceFile("a", "x") != SourceFile("b", "x")


def test_syntax_trees_ignore_spans_comments_and_layout() -> None:
    one = "module m\nfact f(s) \"x\"\nsort s { a, b }\n"
    two = "# a comment\nmodule   m\n\n\nfact f( s )   \"x\"  # trailing\nsort s {\n  a,\n  b,\n}\n"
    sink = Sink()
    first = parse(SourceFile("one.accord", one), sink)
    second = parse(SourceFile("two.accord", two), sink)
    assert not sink.items
    assert first is not None and second is not None
    assert first == second
    assert hash(first) == hash(second)


# ---- loading files from disk ----------------------------------------------------------------------


def _load(paths: list[Path]) -> tuple[list[SourceFile], Sink]:
    sink = Sink()
    return load_sources(paths, sink), sink


def test_a_file_is_shown_by_its_name(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "x.accord"
    path.parent.mkdir()
    path.write_text("module x\n", encoding="utf-8")
    files, sink = _load([path])
    assert not sink.items
    assert [f.name for f in files] == ["x.accord"]
    assert files[0].text == "module x\n"


def test_a_folder_is_read_recursively_sorted_and_shown_relative(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    (rules / "sub").mkdir(parents=True)
    (rules / "b.accord").write_text("module b\n", encoding="utf-8")
    (rules / "a.accord").write_text("module a\n", encoding="utf-8")
    (rules / "sub" / "c.accord").write_text("module c\n", encoding="utf-8")
    (rules / "notes.txt").write_text("not a rule file", encoding="utf-8")
    (rules / "dir.accord").mkdir()  # a folder with the suffix is not a file
    files, sink = _load([rules])
    assert not sink.items
    assert [f.name for f in files] == ["rules/a.accord", "rules/b.accord", "rules/sub/c.accord"]
    assert all(not Path(f.name).is_absolute() for f in files)


def test_the_current_folder_gives_relative_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "x.accord").write_text("module x\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    files, sink = _load([Path(".")])
    assert not sink.items
    assert [f.name for f in files] == ["sub/x.accord"]


def test_the_same_file_given_twice_is_read_once(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "x.accord").write_text("module x\n", encoding="utf-8")
    files, sink = _load([rules, rules / "x.accord", rules])
    assert not sink.items
    assert [f.name for f in files] == ["rules/x.accord"]


def test_different_files_with_the_same_display_name_are_both_kept(tmp_path: Path) -> None:
    for side in ("a", "b"):
        folder = tmp_path / side / "rules"
        folder.mkdir(parents=True)
        (folder / "x.accord").write_text(f"module {side}\n", encoding="utf-8")
    files, sink = _load([tmp_path / "a" / "rules", tmp_path / "b" / "rules"])
    assert not sink.items
    assert len(files) == 2
    assert sorted(f.text for f in files) == ["module a\n", "module b\n"]


def test_a_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "x.accord"
    path.write_bytes("\ufeffmodule x\n".encode())
    files, sink = _load([path])
    assert not sink.items
    assert files[0].text == "module x\n"


def test_missing_paths_empty_folders_and_bad_bytes_are_all_reported(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    bad = tmp_path / "bad.accord"
    bad.write_bytes(b"module bad\n\xff\n")
    files, sink = _load([tmp_path / "missing.accord", empty, bad])
    assert files == []
    assert sorted(d.code for d in sink.items) == ["invalid-utf8", "no-rules", "no-such-file"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_path_that_is_neither_file_nor_folder(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.accord"
    os.mkfifo(pipe)
    files, sink = _load([pipe])
    assert files == []
    [d] = sink.items
    assert d.code == "unreadable-file"
    assert d.message == f"`{pipe}` is neither a file nor a folder."


def test_invalid_utf8_points_after_the_last_good_character(tmp_path: Path) -> None:
    path = tmp_path / "bad.accord"
    path.write_bytes("module bad\n# é\n".encode() + b"\xc3\x28")
    _files, sink = _load([path])
    [diagnostic] = sink.items
    assert diagnostic.code == "invalid-utf8"
    assert diagnostic.span is not None
    assert (diagnostic.span.line, diagnostic.span.column) == (3, 1)
    assert "byte 16" in diagnostic.message  # 0-based: 11 + 5 bytes before it
