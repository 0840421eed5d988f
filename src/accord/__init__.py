"""accord: a declarative rules knowledge base for defense and security agreements.

In: rule files (the bundled knowledge base by default). Out: a `KnowledgeBase` to query, through
`accord.load()`; results are the typed objects of `accord.results`.
"""

from accord.api import EditionChoiceError, KnowledgeBase, ScenarioError, load
from accord.diagnostics import AccordError, Diagnostic

__all__ = ["AccordError", "Diagnostic", "EditionChoiceError", "KnowledgeBase", "ScenarioError", "load"]
__version__ = "0.1.0"
