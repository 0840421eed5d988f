"""The wording of syntax errors.

In: what the parser reported — the terminals it expected (with a way to look up the literal text
of a keyword or punctuation terminal), or a keyword glued to the word after it. Out: the message
and hint of a `syntax-error` diagnostic, in the words of the rule language rather than the
grammar's terminal names. Knows nothing of Lark: `accord.language.parse` passes the terminals' names in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

_TOKEN_WORDS = {
    "NAME": "a lower-case name",
    "VAR": "a variable (Capitalized)",
    "CLAUSE_ID": "a clause id",
    "STRING": 'a "string"',
    "DATE": "a date (YYYY-MM-DD)",
    "MODALITY": "`may`, `must` or `must not`",
    "LINEAGE": "`replaces` or `carries`",
    "FACT_MARK": "`unknown` or `not`",
    "QUALIFIER": "`possibly` or `not`",
    "STATUS": "`permitted`, `forbidden` or `required`",
    "COMPARE": "a comparison: `=`, `!=`, `<`, `<=`, `>` or `>=`",
    "INT": "a whole number such as `30`",
    "LPAR": "`(`",
    "RPAR": "`)`",
    "LBRACE": "`{`",
    "RBRACE": "`}`",
    "COMMA": "`,`",
    "COLON": "`:`",
    "$END": "the end of the file",
}


def _describe(terminal: str, literal: Callable[[str], str | None]) -> str:
    if terminal in _TOKEN_WORDS:
        return _TOKEN_WORDS[terminal]
    text = literal(terminal)
    return terminal.lower() if text is None else f"`{text}`"


def expected_hint(expected: Iterable[str], literal: Callable[[str], str | None]) -> str:
    """What could have stood where the parser stopped; `literal` gives the fixed text of a terminal
    that matches one string only (a keyword or a punctuation mark), None for any other."""
    words = sorted({_describe(t, literal) for t in expected})
    if not words:
        return "Check the spelling and the order of the parts here."
    if len(words) > 8:
        words = [*words[:8], "…"]
    return "I was expecting one of: " + ", ".join(words) + "."


# The characters of a word: a name, a keyword, a variable, a date.
WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def glued_word(text: str, start: int) -> tuple[int, int, str, str]:
    """A keyword glued to the word after it, the second part starting at `start`: the whole word's
    [first, end) and the message and hint that report it."""
    first = start
    while first > 0 and text[first - 1] in WORD_CHARS:
        first -= 1
    end = start
    while end < len(text) and text[end] in WORD_CHARS:
        end += 1
    keyword, rest = text[first:start], text[start:end]
    return (
        first,
        end,
        f"I did not expect `{keyword}{rest}` here.",
        f"`{keyword}` is a keyword: write a space after it (`{keyword} {rest}`), or, if you meant "
        "a name, check what comes before it.",
    )


_MODALITY_WORDS = ("may", "must")


def actorless_head(text: str, start: int, expected: Iterable[str]) -> tuple[str, str] | None:
    """A clause head written without its actor (`must report_to_unsc`): the parser read the modality
    as the actor's name and stopped at the action. The message and hint that say so, or None."""
    if "MODALITY" not in expected:
        return None
    end = start
    while end > 0 and text[end - 1].isspace():
        end -= 1
    first = end
    while first > 0 and text[first - 1] in WORD_CHARS:
        first -= 1
    if text[first:end] not in _MODALITY_WORDS:
        return None
    after = start
    while after < len(text) and text[after] in WORD_CHARS:
        after += 1
    modality, action = text[first:end], text[start:after] or "…"
    return (
        f"This clause head has no actor: `{modality} {action}` does not say who {modality} act.",
        f"Name the actor first, then the modality and the action, e.g. `sdf {modality} {action}`. "
        "An obligation or permission always binds someone: there is no passive form.",
    )
