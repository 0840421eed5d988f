"""Locates the one grammar file of the rule language and the bundled rules.

In: nothing. Out: the grammar's text and the folder of bundled rules, found in an installed wheel
(`accord/_data/…`) or, in a source checkout, at the top of the repository.
"""

from __future__ import annotations

import functools
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # the `accord` package


def _data_dir(name: str) -> Path:
    # An installed wheel has `_data` (the grammar is always there); its rules folder may be missing
    # when the wheel was built without rules, and must then not be looked for outside the package.
    if (_PACKAGE / "_data").is_dir():
        return _PACKAGE / "_data" / name
    return _PACKAGE.parent.parent / name


@functools.cache
def grammar_text() -> str:
    return (_data_dir("grammar") / "accord.lark").read_text(encoding="utf-8")


def bundled_rules_dir() -> Path:
    return _data_dir("rules")
