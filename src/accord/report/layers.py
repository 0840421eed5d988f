"""The human report of actions judged by layers of authority.

In: the `ActionResult`s of a query whose rule base declares layers. Out: rich renderables: the
actions grouped by headline label (permitting labels first, then describing ones, then
forbidding ones, then actions whose label differs between readings), each action with one short
line per layer that decided something: its verdict and the clauses that gave it. The clauses'
roles are not repeated: the layer's verdict is the one reading of them, so no two lines of an
action can contradict each other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from accord.results.query import ActionResult, ClauseRef, Extent, LayerResult

if TYPE_CHECKING:
    from rich.console import RenderableType

_RANK = {"permitted": 0, None: 1, "forbidden": 2}
_STYLE = {"permitted": "bold green", None: "bold yellow", "forbidden": "bold red"}


def _group_key(action: ActionResult) -> tuple[int, str]:
    if action.headline is None:
        return 3, " or ".join(ref.name for ref in action.labels)
    status = action.labels[0].status
    return _RANK[status], action.headline


def _title(action: ActionResult) -> tuple[str, str]:
    if action.headline is None:
        names = " or ".join(ref.description for ref in action.labels)
        return f"POSSIBLY {names.upper()}: the label differs between completions of the unknown facts", "bold yellow"
    label = action.labels[0]
    return label.description.upper(), _STYLE[label.status]


def headline_text(action: ActionResult) -> str:
    """The action's headline in words: its label, or the labels of its readings; without layers,
    its status."""
    if not action.labels:
        return action.verdict.value
    if action.headline is not None:
        return action.labels[0].description
    return "possibly " + " or ".join(ref.description for ref in action.labels)


def layer_line(layer: LayerResult, clauses: dict[str, ClauseRef]) -> str:
    """`law: authorised (law2016.disaster [SDF Law Art. 83])`; `guidelines: contemplated, primary (…)`
    when the layer's clauses give the actor a role."""
    if layer.verdict is not None:
        verdict = layer.verdict.replace("_", " ")
    else:
        verdict = "in some completions " + ", in others ".join(ref.name.replace("_", " ") for ref in layer.verdicts)
    cited = []
    for cid in layer.clauses:
        ref = clauses.get(cid)
        some = " in some completions" if ref is not None and ref.extent is Extent.SOMETIMES else ""
        cited.append(f"{cid} [{ref.cite}]{some}" if ref is not None else cid)
    role = f", {layer.role}" if layer.role is not None else ""
    return f"{layer.layer}: {verdict}{role}" + (f" ({'; '.join(cited)})" if cited else "")


def _action_lines(action: ActionResult) -> list[RenderableType]:
    from rich.padding import Padding
    from rich.text import Text

    head = Text.assemble((action.label, "bold"), f" - {action.description}")
    lines: list[RenderableType] = [Padding(head, (0, 0, 0, 2), expand=False)]
    clauses = {ref.id: ref for ref in action.clauses}
    for layer in action.layers:
        if layer.decided or layer.clauses:
            lines.append(Padding(Text(layer_line(layer, clauses)), (0, 0, 0, 6), expand=False))
    return lines


def _silent(action: ActionResult) -> bool:
    return not action.clauses and not any(layer.decided for layer in action.layers)


def layer_groups(actions: tuple[ActionResult, ...], show_all: bool) -> list[RenderableType]:
    """The actions grouped by headline label; without `show_all`, those no clause speaks to are counted."""
    from rich.console import Group
    from rich.text import Text

    shown = list(actions) if show_all else [a for a in actions if not _silent(a)]
    groups: dict[tuple[int, str], list[ActionResult]] = {}
    for action in shown:
        groups.setdefault(_group_key(action), []).append(action)
    parts: list[RenderableType] = []
    for key in sorted(groups):
        members = groups[key]
        title, style = _title(members[0])
        lines = [line for action in members for line in _action_lines(action)]
        parts += [Text(""), Text(f"{title} ({len(members)})", style=style), Group(*lines)]
    silent = len(actions) - len(shown)
    if silent:
        parts += [Text(""), Text(f"{silent} other action(s) have no basis: no clause of any layer speaks to them. "
                                 "--show-all lists them.")]
    return parts
