"""Text from rule files made safe to show: the one place that decides how free text is displayed.

In: any string (a description, note, citation, `says` text, title, test name, a path). Out: the
same text for a terminal (`for_terminal`: control characters, ANSI escape sequences, bidirectional
overrides and lone surrogates written as escapes such as `\\x1b`, `\\u202e`), for a source snippet
(`one_column`: one character per column, so an underline stays under what it marks), and for
Markdown (`for_markdown`: as for a terminal, then every character Markdown or HTML would read as
markup backslash-escaped) and for HTML (`for_html`). Printable text, non-ASCII letters included,
passes through unchanged.
"""

from __future__ import annotations

import html
import re

_MARKDOWN = re.compile(r"([\\`*\[\]<>|])")


def escape(ch: str) -> str:
    """One unprintable character as a Python-style escape: `\\x1b`, `\\n`, `\\u202e`, `\\ud800`."""
    return ch.encode("unicode_escape", errors="backslashreplace").decode("ascii")


def for_terminal(text: str, keep_newlines: bool = True) -> str:
    """Text that cannot drive a terminal: everything unprintable escaped, newlines kept if asked."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or (keep_newlines and ch == "\n") else escape(ch) for ch in text)


def one_column(text: str) -> str:
    """A source line as a terminal may show it under a column ruler: a tab as a space and anything
    unprintable as U+FFFD, one column each."""
    return "".join(" " if ch == "\t" else ch if ch.isprintable() else "\ufffd" for ch in text)


def for_markdown(text: str) -> str:
    """Text for one line, list item or table cell of Markdown: a newline as a space, anything else
    unprintable escaped, and Markdown and HTML punctuation backslash-escaped, so it is shown, never
    interpreted (no markup, no HTML, no broken table or list)."""
    return _MARKDOWN.sub(r"\\\1", for_terminal(text.replace("\n", " "), keep_newlines=False))


def for_html(text: str) -> str:
    """Text for an HTML element or attribute: unprintable characters escaped as for a terminal,
    then `<`, `>`, `&` and quotes as entities."""
    return html.escape(for_terminal(text, keep_newlines=False), quote=True)
