"""Graph algorithms shared by the checks and the evaluator.

In: nodes (names or numbers) and their edges. Out: strongly connected components, used to find
cycles through `not` or between priorities (`accord.language.cycles`) and to order a ground program's atoms
for evaluation (`accord.solve.bitwise`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TypeVar

Node = TypeVar("Node", str, int)


def strongly_connected(nodes: Iterable[Node], edges: Mapping[Node, Sequence[Node]]) -> list[list[Node]]:
    """Tarjan's algorithm, iterative; each component sorted, and listed after every component its
    members have edges to (a node's dependencies come first). Deterministic for ordered inputs."""
    index: dict[Node, int] = {}
    low: dict[Node, int] = {}
    on_stack: set[Node] = set()
    stack: list[Node] = []
    components: list[list[Node]] = []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work: list[tuple[Node, int]] = [(root, 0)]
        while work:
            node, child_index = work.pop()
            if child_index == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            children = edges.get(node, [])
            if child_index < len(children):
                work.append((node, child_index + 1))
                child = children[child_index]
                if child not in index:
                    work.append((child, 0))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(sorted(component))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return components
