"""accord: a declarative rules knowledge base for defense and security agreements.

In: rule files (the bundled knowledge base by default). Out: a `KnowledgeBase` to query, through
`accord.load()`; results are the typed objects of `accord.results.query`. The names below are imported
on first use, so that importing a submodule (the command line, say) does not load the whole engine.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from accord.api import EditionChoiceError, KnowledgeBase, ScenarioError, load
    from accord.language.diagnostics import AccordError, Diagnostic

__all__ = ["AccordError", "Diagnostic", "EditionChoiceError", "KnowledgeBase", "ScenarioError", "load"]
__version__ = "0.1.0"

_HOMES = {"AccordError": "accord.language.diagnostics", "Diagnostic": "accord.language.diagnostics"}


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module 'accord' has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES.get(name, "accord.api")), name)
