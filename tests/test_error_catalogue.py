"""The error catalogue (docs/errors.md) and the diagnostic codes in the source stay in step."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TABLE_KINDS = ("sort", "member", "fact", "action", "clause", "edition", "scenario", "layer", "actor", "label")


def codes_in_source() -> set[str]:
    text = "\n".join(p.read_text() for p in (ROOT / "src" / "accord").rglob("*.py"))
    codes = set(re.findall(r'(?:sink\.error|Diagnostic)\(\s*"([a-z]+(?:-[a-z0-9]+)+)"', text))
    codes |= set(re.findall(r'_problem\(\s*sink,\s*"([a-z]+(?:-[a-z0-9]+)+)"', text))
    codes |= {f"unknown-{kind}" for kind in TABLE_KINDS}
    return codes


def codes_in_catalogue() -> set[str]:
    return set(re.findall(r"^## ([a-z0-9-]+)$", (ROOT / "docs" / "errors.md").read_text(), re.MULTILINE))


def test_every_code_in_the_source_is_in_the_catalogue() -> None:
    missing = codes_in_source() - codes_in_catalogue()
    assert not missing, f"add these codes to docs/errors.md: {sorted(missing)}"


def test_every_code_in_the_catalogue_exists() -> None:
    stale = codes_in_catalogue() - codes_in_source()
    assert not stale, f"docs/errors.md lists codes the source never reports: {sorted(stale)}"


def test_source_scan_finds_the_known_codes() -> None:
    assert {"syntax-error", "unsafe-variable", "negation-cycle", "unknown-module"} <= codes_in_source()
