"""Reports as lines of styled text, laid out for a terminal by rich or, for a file or a pipe, without it.

In: `Line`s built by the report modules (pieces of text with their styles, an indent). Out: a rich
renderable for a terminal (`renderable`), or, when standard output is not a terminal, the very text
rich would write there (`layout`): each line word-wrapped to the width rich would choose, wrapped
lines indented like the first, no styles, no trailing spaces. `layout` handles printable ASCII,
where every character is one column wide (all of the bundled rules); for any other text it answers
None and the caller goes through rich, which knows how wide each character is. Importing rich and
rendering with it is a large part of a cold `accord query`; tests/test_plain.py holds `layout`
equal to rich's output.
"""

from __future__ import annotations

import builtins
import os
import re
import sys
from collections.abc import Sequence
from itertools import pairwise
from typing import IO, TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from rich.console import RenderableType

MIN_WIDTH = 20  # narrower consoles are left to rich

_WORD = re.compile(r"\s*\S+\s*")  # a word and the spaces around it, as rich divides a line


class Line(NamedTuple):
    """One line of a report: its pieces (text, style), indented by `indent` spaces, wrapped lines
    indented alike. `fill`: the indent's padding spans the whole width (no visible difference off
    a terminal)."""

    pieces: tuple[tuple[str, str], ...]
    indent: int = 0
    style: str = ""
    fill: bool = False

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.pieces)


def line(text: str, style: str = "", indent: int = 0, fill: bool = False) -> Line:
    """A line of one piece."""
    return Line(((text, ""),), indent, style, fill)


def renderable(lines: Sequence[Line]) -> RenderableType:
    """The lines as rich renders them on a terminal: a `Text` each, in a `Padding` when indented."""
    from rich.console import Group
    from rich.padding import Padding
    from rich.text import Text

    parts: list[RenderableType] = []
    for ln in lines:
        text = Text.assemble(*ln.pieces, style=ln.style)
        parts.append(Padding(text, (0, 0, 0, ln.indent), expand=ln.fill) if ln.indent else text)
    return Group(*parts)


def _breaks(text: str, width: int) -> list[int]:
    """Where rich breaks a line of one-column characters to fit `width`: before the first word that
    does not fit; a word longer than the width is folded over lines of its own."""
    breaks: list[int] = []
    column = 0
    match = _WORD.match(text)
    while match is not None:
        start, word = match.start(), match.group()
        length = len(word.rstrip())
        if width - column >= length:
            column += len(word)
        elif length > width:
            chunks = [word[i:i + width] for i in range(0, len(word), width)]
            for chunk in chunks:
                if start:
                    breaks.append(start)
                start += len(chunk)
            column = len(chunks[-1])
        elif column and start:
            breaks.append(start)
            column = len(word)
        match = _WORD.match(text, match.end())
    return breaks


def wrap(text: str, width: int) -> list[str]:
    """One line of printable ASCII wrapped as rich wraps it at `width` (>= 1), trailing spaces dropped."""
    bounds = [0, *_breaks(text, width), len(text)]
    return [text[a:b][:width].rstrip() for a, b in pairwise(bounds)]


def layout(lines: Sequence[Line], width: int) -> str | None:
    """The text rich writes for `renderable(lines)` on a console `width` columns wide that is not a
    terminal, each line's trailing spaces dropped; None for text other than printable ASCII, or no
    lines at all."""
    out: list[str] = []
    for ln in lines:
        text = ln.text
        if not (text.isascii() and text.isprintable()) or width - ln.indent < 1:
            return None
        if ln.indent and not ln.fill and not text:
            continue  # rich's padding shrinks to the text: nothing is left to write
        margin = " " * ln.indent
        out += [(margin + part).rstrip() for part in wrap(text, width - ln.indent)]
    return "".join(part + "\n" for part in out) if lines else None


def width(stream: IO[str]) -> int | None:
    """The width rich gives a console writing to `stream` when it is not a terminal; None when rich
    would treat it as one, or the environment asks for what only rich does (forced colour, Jupyter,
    Windows consoles, an odd COLUMNS)."""
    environ = os.environ
    if sys.platform == "win32" or hasattr(builtins, "get_ipython"):
        return None
    if "FORCE_COLOR" in environ or "TTY_COMPATIBLE" in environ:
        return None
    try:
        if stream.isatty():
            return None
    except (AttributeError, ValueError):
        pass  # rich takes both for "not a terminal"
    columns = environ.get("COLUMNS")
    if columns is not None:
        chosen = int(columns) if columns.isascii() and columns.isdigit() else 0
        return chosen if chosen >= MIN_WIDTH else None
    size = 0
    for descriptor in (0, 1, 2):  # rich asks standard input, output and error, in this order
        try:
            size = os.get_terminal_size(descriptor).columns
        except (AttributeError, ValueError, OSError):
            continue
        break
    size = size or 80
    return size if size >= MIN_WIDTH else None
