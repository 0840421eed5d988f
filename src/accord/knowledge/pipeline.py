"""The compiler pipeline at a glance: files → syntax trees → resolved names → checked rule base.

In: paths of rule files or folders. Out: an `ir.RuleBase`, or `AccordError` carrying every
diagnostic of the first stage that failed (all files are parsed, all names resolved and checked
before the pipeline stops).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from accord.knowledge import cache
from accord.knowledge.loader import load_sources
from accord.language import ir
from accord.language.diagnostics import Sink
from accord.util import collector


def build(paths: Iterable[Path]) -> ir.RuleBase:
    sink = Sink()
    sources = load_sources(paths, sink)
    with collector.paused():
        cached = None if sink.has_errors else cache.get(sources)  # unchanged rules: no parsing (cache.py)
    if cached is not None:
        return cached
    from accord.language.check import check  # imported here: a cached rule base needs no parser at all
    from accord.language.parse import parse
    from accord.language.resolve import resolve

    with collector.paused():
        modules = [m for m in (parse(s, sink) for s in sources) if m is not None]
        sink.raise_if_errors()
        declarations = resolve(modules, sink)
        rule_base = check(declarations, sink)
    sink.raise_if_errors()
    cache.put(sources, rule_base)
    return rule_base
