"""The cache of checked rule bases: same rules, same result, no parsing; any change, a rebuild."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from conftest import MINI

from accord.knowledge import cache, pipeline
from accord.language.diagnostics import AccordError


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("ACCORD_CACHE_DIR", str(folder))
    monkeypatch.delenv("ACCORD_CACHE", raising=False)
    monkeypatch.setattr(cache, "MIN_CHARS", 0)  # the mini rules are small
    return folder


def _no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    import accord.language.parse

    def refuse(*_args: object) -> None:
        raise AssertionError("parsed although the rules were cached")

    monkeypatch.setattr(accord.language.parse, "parse", refuse)


def test_unchanged_rules_come_from_the_cache(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = pipeline.build([MINI])
    assert len(list(cache_dir.glob("*.entry"))) == 1
    _no_parsing(monkeypatch)
    again = pipeline.build([MINI])
    assert again == first
    assert again.clauses["law.force"].span is not None  # positions survive, for messages


def _same(a: Any, b: Any) -> bool:
    """Equal field by field, spans and other fields that take no part in `==` included."""
    if type(a) is not type(b):
        return False
    if dataclasses.is_dataclass(a):
        return all(_same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a))
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    return bool(a == b)


def test_an_entry_restores_every_field_spans_included(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = pipeline.build([MINI])
    _no_parsing(monkeypatch)
    assert _same(pipeline.build([MINI]), first)


def test_a_changed_file_is_built_again(cache_dir: Path, tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    text = (MINI / "mini.accord").read_text(encoding="utf-8")
    (rules / "mini.accord").write_text(text, encoding="utf-8")
    before = pipeline.build([rules])
    (rules / "mini.accord").write_text(text.replace('"The SDF may protect U.S. assets."', '"Changed."'),
                                       encoding="utf-8")
    after = pipeline.build([rules])
    assert after.clauses["g.assets"].says == "Changed."
    assert before.clauses["g.assets"].says != "Changed."
    assert len(list(cache_dir.glob("*.entry"))) == 2


def test_rules_with_errors_are_never_cached(cache_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.accord"
    bad.write_text('module bad "x"\nfact f "F"\nclause c { cite "x" sdf may nothing says "y" }\n', encoding="utf-8")
    for _ in range(2):
        with pytest.raises(AccordError):
            pipeline.build([bad])
    assert not cache_dir.exists() or not list(cache_dir.glob("*.entry"))


def test_the_cache_can_be_turned_off(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCORD_CACHE", "0")
    pipeline.build([MINI])
    assert not cache_dir.exists()


def test_a_broken_entry_is_ignored(cache_dir: Path) -> None:
    first = pipeline.build([MINI])
    [entry] = cache_dir.glob("*.entry")
    entry.write_bytes(b"not a pickle")
    assert pipeline.build([MINI]) == first


def test_small_rule_bases_are_not_cached(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "MIN_CHARS", 10**9)
    pipeline.build([MINI])
    assert not cache_dir.exists()


def test_an_unwritable_cache_is_not_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "MIN_CHARS", 0)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("ACCORD_CACHE_DIR", str(blocker / "cache"))
    assert pipeline.build([MINI]).clauses
    assert cache.get([]) is None
