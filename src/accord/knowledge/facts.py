"""Reading ground facts given on a command line, in a batch or through the API.

In: text such as `armed_attack_on(japan)` and the checked rule base. Out: a ground atom whose
name and arguments are known names of the vocabulary, or `ScenarioError` naming the bad item.
Nothing else can pass: a value never reaches the solver unless it is a declared name.
"""

from __future__ import annotations

import re

from accord.language import integers, ir
from accord.language.diagnostics import brief, did_you_mean

MAX_FACT_TEXT = 1000
_FACT = re.compile(r"\s*([a-z][a-z0-9_]*)\s*(?:\(\s*([a-z0-9_\s,-]*)\))?\s*\Z")
_NAME = re.compile(r"(?:[a-z][a-z0-9_]*|[0-9]+|[0-9]{4}-[0-9]{2}-[0-9]{2})\Z")  # a name, an integer or a date


def _valued(members: tuple[str, ...]) -> bool:
    """Whether a sort's members are integers or days (values, not names)."""
    return all(m.isdigit() for m in members) or all(integers.is_date(m) for m in members)


class ScenarioError(ValueError):
    """A scenario fact that is malformed or unknown; the message names it."""


def parse_fact(rules: ir.RuleBase, text: str) -> ir.GroundAtom:
    if not isinstance(text, str):  # from the API, anything can come
        given = f"{type(text).__name__} {brief(repr(text))}"
        raise ScenarioError(f"A fact is text such as `armed_attack_on(japan)`, not {given}.")
    shown = brief(text)
    if len(text) > MAX_FACT_TEXT:
        raise ScenarioError(f"The fact `{shown}` is too long ({len(text)} characters).")
    match = _FACT.match(text)
    if match is None:
        raise ScenarioError(
            f"`{shown}` is not a fact. Write a fact name with its arguments, e.g. `armed_attack_on(japan)`."
        )
    name, arg_text = match.group(1), match.group(2)
    args = tuple(a.strip() for a in arg_text.split(",")) if arg_text is not None else ()
    if arg_text is not None and not all(_NAME.match(a) for a in args):
        raise ScenarioError(f"`{shown}` has an argument that is not a name.")
    fact = rules.facts.get(name)
    if fact is None:
        kind = "a definition, which accord derives" if name in rules.definitions else "not a known fact"
        close = did_you_mean(name, rules.facts)
        maybe = f" Maybe you want: {', '.join(close)}." if close else ""
        raise ScenarioError(f"`{brief(name)}` is {kind}.{maybe}")
    integer = [p for p in fact.params if rules.sorts[p].members and _valued(rules.sorts[p].members)]
    if not args and integer:
        low, high = rules.sorts[integer[0]].members[0], rules.sorts[integer[0]].members[-1]
        kind = "integer" if low.isdigit() else "date"
        raise ScenarioError(
            f"`{brief(name)}` takes a value of the {kind} sort `{integer[0]}` ({low}..{high}): name it, "
            f"e.g. `{brief(name)}({low})`; a value not known is given per value (`--unknown '{brief(name)}({low})'`)."
        )
    if len(args) != len(fact.params):
        raise ScenarioError(
            f"`{brief(name)}` takes {len(fact.params)} argument(s) ({', '.join(fact.params) or 'none'}), "
            f"but `{shown}` gives {len(args)}."
        )
    for arg, sort in zip(args, fact.params, strict=True):
        members = rules.sorts[sort].members
        if arg not in members:
            close = did_you_mean(arg, members)
            maybe = f" Maybe you want: {', '.join(close)}." if close else ""
            raise ScenarioError(f"`{brief(arg)}` is not a member of sort `{sort}` in `{shown}`.{maybe}")
    return (name, args)
