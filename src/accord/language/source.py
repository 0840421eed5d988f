"""Source files and spans.

In: a file's display name and text. Out: `SourceFile` (offset <-> line/column, line snippets) and
`Span`, the position carried by every syntax node. Spans never take part in equality or hashing,
so reformatting a rule file does not change the meaning of what it declares.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

_NEWLINE = re.compile("\n")


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One rule file: its display name (relative, never absolute) and its text."""

    name: str
    text: str
    line_starts: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        starts = [0]
        starts.extend(m.end() for m in _NEWLINE.finditer(self.text))
        object.__setattr__(self, "line_starts", tuple(starts))

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset."""
        offset = max(0, min(offset, len(self.text)))
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its newline (nor the `\r` of a Windows line end)."""
        start = self.line_starts[line - 1]
        end = self.text.find("\n", start)
        text = self.text[start:] if end < 0 else self.text[start:end]
        return text.removesuffix("\r")

    @property
    def line_count(self) -> int:
        return len(self.line_starts)


@dataclass(frozen=True, slots=True)
class Span:
    """A range of characters [start, end) in a source file."""

    source: SourceFile
    start: int
    end: int

    @property
    def file(self) -> str:
        return self.source.name

    @property
    def line(self) -> int:
        return self.source.position(self.start)[0]

    @property
    def column(self) -> int:
        return self.source.position(self.start)[1]

    def sort_key(self) -> tuple[str, int, int]:
        return (self.source.name, self.start, self.end)

    def text(self) -> str:
        return self.source.text[self.start : self.end]

