"""Diagnostics: what accord says about a user's mistake.

In: findings from any stage. Out: `Diagnostic` values (a stable kebab-case code, a headline, a
message, labelled spans, a hint), a `Sink` that collects them so a stage reports every problem it
finds, and `AccordError`, raised between stages when the sink holds errors.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum

from accord.language.source import Span
from accord.util.text import for_terminal


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding: where, what, and how to fix it."""

    code: str
    title: str
    message: str
    span: Span | None = None
    hint: str | None = None
    severity: Severity = Severity.ERROR
    related: tuple[tuple[Span, str], ...] = ()

    def sort_key(self) -> tuple[str, int, int, str, str]:
        if self.span is None:
            return ("", -1, -1, self.code, self.message)
        file, start, end = self.span.sort_key()
        return (file, start, end, self.code, self.message)


@dataclass(slots=True)
class Sink:
    """Collects diagnostics; stages add to it and the pipeline stops between stages."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, diagnostic: Diagnostic) -> None:
        self.items.append(_quoted_briefly(diagnostic))

    def error(
        self,
        code: str,
        title: str,
        message: str,
        span: Span | None,
        hint: str | None = None,
        related: tuple[tuple[Span, str], ...] = (),
    ) -> None:
        self.add(Diagnostic(code, title, message, span, hint, Severity.ERROR, related))

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.items)

    def sorted(self) -> list[Diagnostic]:
        unique = {(d.sort_key(), d.title, d.hint): d for d in self.items}
        return [unique[k] for k in sorted(unique)]

    def raise_if_errors(self) -> None:
        if self.has_errors:
            raise AccordError(self.sorted())


_QUOTED = re.compile(r"`([^`\n]*)`")
QUOTED_NAME = 80  # characters of a name quoted in a message (rule files may hold names of any length)


def _quoted_briefly(d: Diagnostic) -> Diagnostic:
    """The diagnostic with every `quoted` piece of rule text cut to `QUOTED_NAME` characters, and
    every unprintable character escaped (see `brief`): a message is one line of plain text."""

    def cut(text: str) -> str:
        text = _QUOTED.sub(lambda m: f"`{brief(m.group(1), QUOTED_NAME)}`", text)
        return for_terminal(text, keep_newlines=False)

    message, hint = cut(d.message), cut(d.hint) if d.hint is not None else None
    return d if (message, hint) == (d.message, d.hint) else dataclasses.replace(d, message=message, hint=hint)


class AccordError(Exception):
    """Raised with every diagnostic of a failed stage."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        super().__init__(f"{len(self.diagnostics)} problem(s)")


BRIEF = 60


def brief(text: str, limit: int = BRIEF) -> str:
    """User text as a message shows it: unprintable characters (controls, bidi overrides, lone
    surrogates) escaped, and at most `limit` characters, the rest cut to `...`."""
    shown = for_terminal(text[: limit + 1], keep_newlines=False)
    return shown if len(shown) <= limit and len(text) <= limit else shown[: limit - 3] + "..."


def did_you_mean(name: str, candidates: Iterable[str]) -> list[str]:
    """The closest known names, best first (at most three)."""
    return difflib.get_close_matches(name, sorted(set(candidates)), n=3, cutoff=0.6)


def suggestion_hint(name: str, candidates: Iterable[str], kind: str) -> str | None:
    close = did_you_mean(name, candidates)
    if not close:
        return None
    listed = ", ".join(f"`{c}`" for c in close)
    return f"Maybe you want the {kind} {listed}."
