"""What a shown atom of an edition's program says about an action, read off the atom's text.

In: the text of a shown atom as clingo writes it, and each action's position by the text of its actor
and action (`actor,action(args)`). Out: (the action's position, the atom's tag): a status, or a
clause's role, layer verdict or label with the arguments that name it; (-1, None) for an atom of a
name that says nothing about an action; None for any other text, which only the engine's reading
of values (`EditionEngine.meaning`) reads. Reading the text is several times faster than building
the atom's value first, and a query meets every shown atom of its program once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from accord.analyses import layers
from accord.solve import NAME, Sym

STATUSES = {s.name: s for s in (*(Sym(n) for n in ("permitted", "forbidden", "required", "conflict")), layers.ACTING)}
# Atoms about an action whose first arguments name what they say (a clause, a layer and verdict, a
# label): how many such arguments come before the actor and the action.
LEADING = {"applies": 1, "excused": 1, "overridden": 1, "verdict": 2, "spoke": 1, "label": 1}
_NAME = re.compile(NAME)
_ATOM = re.compile(rf"({NAME})(?:\((.*)\))?", re.DOTALL)  # an atom's name and, if it has any, its arguments
_PLAIN_STRING = re.compile(r'"[^"\\]*"')  # a string with nothing escaped


def meaning(text: str, action_texts: Mapping[str, int]) -> tuple[int, Sym | None] | None:
    """`EditionEngine.meaning`, read off an atom's text, for the atoms a query meets: a status or a clause's role
    about an action of the space, or an atom of a name that is neither (-1, and no tag); None
    for any other, which only `meaning` reads."""
    found = _ATOM.fullmatch(text)
    if found is None:
        return None
    name, inner = found[1], found[2]
    status = STATUSES.get(name)
    leading = LEADING.get(name)
    if status is None and leading is None:
        return -1, None
    if inner is None:
        return None
    if status is not None:
        position = action_texts.get(inner)
        return None if position is None else (position, status)
    assert leading is not None
    parts = inner.split(",", leading)
    position = action_texts.get(parts[-1])
    if position is None:
        return None
    args = []
    for part in parts[:-1]:
        if _PLAIN_STRING.fullmatch(part):
            args.append(Sym(part[1:-1], quoted=True))
        elif _NAME.fullmatch(part):
            args.append(Sym(part))
        else:
            return None
    return position, Sym(name, tuple(args))
