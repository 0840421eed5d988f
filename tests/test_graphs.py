"""Strongly connected components: a partition into mutually reachable sets, dependencies first."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from accord.util.graphs import strongly_connected

_GRAPHS = st.dictionaries(st.integers(0, 12), st.lists(st.integers(0, 12), max_size=4, unique=True), max_size=13)


def _reachable(edges: dict[int, list[int]], start: int) -> set[int]:
    seen, todo = {start}, [start]
    while todo:
        for nxt in edges.get(todo.pop(), []):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


@given(_GRAPHS)
def test_components_partition_the_nodes_and_come_after_what_they_depend_on(edges: dict[int, list[int]]) -> None:
    nodes = sorted(set(edges) | {v for vs in edges.values() for v in vs})
    components = strongly_connected(nodes, edges)
    assert sorted(n for c in components for n in c) == nodes
    place = {n: i for i, c in enumerate(components) for n in c}
    for component in components:
        assert component == sorted(component)
        for a in component:
            assert set(component) <= _reachable(edges, a)
    for u, targets in edges.items():
        for v in targets:
            same = place[u] == place[v]
            assert same or place[v] < place[u]  # a dependency's component is listed first
            assert same == (u in _reachable(edges, v))


def test_a_cycle_and_a_tail() -> None:
    edges = {"a": ["b"], "b": ["c"], "c": ["a", "d"]}
    assert strongly_connected(["a", "b", "c", "d"], edges) == [["d"], ["a", "b", "c"]]
