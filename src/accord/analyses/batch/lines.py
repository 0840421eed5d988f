"""Batch evaluation: many scenarios against one edition, grounded once.

In: a `KnowledgeBase`, an edition id and lines of JSON (JSONL), one scenario per line:
`{"id": …, "scenario": NAME, "facts": [FACT…], "unknown": [FACT…]}`, every key optional
(docs/batch.md). Out: one compact JSON text per input line, in input order: `{"line": N, "id": …}`
followed by the fields of the query's JSON (docs/json.md), or by `"error": MESSAGE` for a line
that is not a scenario (bad JSON, an unknown fact, a time limit…); a bad line never stops the rest.
The edition is compiled and grounded once; lines are answered in blocks, by the bit-parallel
evaluator where it applies (`accord.analyses.batch.direct`) and otherwise by a solve under
assumptions. Blank lines are skipped; their numbers still count. Several processes:
`accord.analyses.batch.parallel`.
"""

from __future__ import annotations

import json
import json.encoder
import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from enum import Enum
from typing import Any

from accord.analyses.batch.direct import BLOCK, DirectEvaluator, Resolved
from accord.analyses.query import engine
from accord.knowledge.base import KnowledgeBase
from accord.knowledge.facts import ScenarioError
from accord.language import ir
from accord.language.diagnostics import brief
from accord.results.query import (
    ActionResult,
    ClauseRef,
    Extent,
    LabelRef,
    LayerResult,
    QueryResult,
    Role,
    Verdict,
    to_json,
)
from accord.solve import SolveTimeout
from accord.solve.observe import Unsupported

KEYS = frozenset({"id", "scenario", "facts", "unknown"})
MAX_LINE_CHARS = 1_000_000
_encode: Callable[[str], str] = json.encoder.encode_basestring  # what json.dumps uses for str
_SURROGATE = re.compile("[\ud800-\udfff]")


class BatchLineError(ValueError):
    """A line that is not a scenario; the message says why, in the user's terms."""


@dataclass(frozen=True, slots=True)
class Request:
    line: int
    id: Any
    scenario: str | None
    facts: tuple[str, ...]
    unknown: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Outcome:
    """One output line: the JSON text, and whether the line was answered (not an error)."""

    line: int
    text: str
    ok: bool


def read_request(text: str, line: int) -> Request:
    """Read one input line; raises `BatchLineError` (without the line number) when it is bad."""
    if len(text) > MAX_LINE_CHARS:
        raise BatchLineError(f"the line has {len(text)} characters; a scenario may have at most {MAX_LINE_CHARS}.")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise BatchLineError(f"not JSON: {err.msg} (column {err.colno}).") from None
    except (RecursionError, ValueError):  # arrays nested thousands deep; an integer of 4300+ digits
        raise BatchLineError("not a scenario: the JSON nests too deeply or holds too large a number.") from None
    if not isinstance(data, dict):
        raise BatchLineError('a scenario is a JSON object, e.g. {"facts": ["armed_attack_on(japan)"]}.')
    unknown_keys = sorted(set(data) - KEYS)
    if unknown_keys:
        raise BatchLineError(f"unknown key `{brief(unknown_keys[0])}`; the keys are id, scenario, facts and unknown.")
    ident = data.get("id")
    if not (ident is None or isinstance(ident, (str, int, float, bool))):
        raise BatchLineError("`id` must be a string or a number.")
    if isinstance(ident, float) and not math.isfinite(ident):  # NaN, Infinity, 1e999: not JSON on the way out
        raise BatchLineError("`id` must be a finite number.")
    if isinstance(ident, str) and _SURROGATE.search(ident):  # "\ud800": no UTF-8 output can hold it
        raise BatchLineError("`id` holds a lone surrogate (\\ud800-\\udfff), which is not text.")
    scenario = data.get("scenario")
    if scenario is not None and not isinstance(scenario, str):
        raise BatchLineError("`scenario` must be the name of a scenario, a string.")
    facts, unknown = _strings(data, "facts"), _strings(data, "unknown")
    if scenario is None and not facts and not unknown:
        raise BatchLineError("give a `scenario` or at least one fact in `facts` or `unknown`.")
    return Request(line, ident, scenario, facts, unknown)


def _strings(data: dict[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BatchLineError(f"`{key}` must be a list of facts as strings, e.g. [\"armed_attack_on(japan)\"].")
    return tuple(value)


class Evaluator:
    """Answers batch lines against one edition of a knowledge base.

    Lines come in blocks: a scenario with at most three unknown facts is answered by evaluating the
    edition's ground program bit-parallel over the whole block (`accord.analyses.batch.direct`) when the
    program allows it, any other by a solve under assumptions; both give the same line.
    """

    def __init__(self, kb: KnowledgeBase, edition: str, timeout: float | None = None, direct: bool = True) -> None:
        self.kb = kb
        self.edition = kb.edition(edition).id
        self.timeout = timeout
        self._fragments: dict[int, tuple[ActionResult | ClauseRef, str]] = {}
        self._heads: dict[tuple[str, str, tuple[str, ...]], str] = {}
        self._layered: dict[tuple[str | None, tuple[LabelRef, ...], tuple[LayerResult, ...]], str] = {}  # few distinct
        self._use_direct = direct
        self._solve_each = not direct  # every line by the solver (for comparisons)
        self._direct: DirectEvaluator | None = None

    def warm(self) -> None:
        """Compile and ground the edition now rather than on the first line."""
        engine(self.kb, self.edition)
        self.direct()

    def direct(self) -> DirectEvaluator | None:
        """The bit-parallel evaluator of the edition, built on first use; None when it is switched
        off or the edition's program is beyond it (then every line is solved)."""
        if self._use_direct and self._direct is None:
            try:
                self._direct = DirectEvaluator(engine(self.kb, self.edition), self._action, _dumps)
            except Unsupported:
                self._use_direct = False
        return self._direct

    def answer(self, line: int, text: str) -> Outcome:
        return self.answer_block([(line, text)])[0]

    def answer_block(self, items: Sequence[tuple[int, str]]) -> list[Outcome]:
        """Numbered lines answered together, in order."""
        direct = self.direct()
        outcomes: list[Outcome | None] = [None] * len(items)
        batched: list[tuple[int, Resolved]] = []
        for k, (line, text) in enumerate(items):
            ident: Any = None
            try:
                request = read_request(text, line)
                ident = request.id
                named, true, unknown = self.kb.scenario_facts(request.scenario, request.facts, request.unknown)
            except (BatchLineError, ScenarioError) as err:
                outcomes[k] = Outcome(line, _error(line, ident, str(err)), False)
                continue
            if direct is not None and direct.accepts(unknown):
                batched.append((k, Resolved(line, ident, named, true, unknown)))
            else:
                outcomes[k] = self._solve(line, ident, named, true, unknown)
        if direct is not None and batched:
            for (k, resolved), text in zip(batched, direct.lines([r for _, r in batched]), strict=True):
                outcomes[k] = Outcome(resolved.line, text, True)
        return [o for o in outcomes if o is not None]

    def _solve(self, line: int, ident: Any, named: ir.Scenario | None, true: list[ir.GroundAtom],
               unknown: list[ir.GroundAtom]) -> Outcome:
        try:
            result = engine(self.kb, self.edition).query(true, unknown, scenario=named, timeout=self.timeout,
                                                         solve=self._solve_each)
        except SolveTimeout:
            return Outcome(line, _error(line, ident, f"the solver did not finish within {self.timeout} s."), False)
        return Outcome(line, self.result_line(line, ident, result), True)

    def result_line(self, line: int, ident: Any, result: QueryResult) -> str:
        """`{"line": …, "id": …}` and then exactly the fields of `to_json(result)`, compact.

        Written by hand for speed (a test holds it equal to `to_json`): the text of an action's
        fixed part, of each clause reference and of each action result is kept and reused while
        the object is, since the engine shares those objects across queries."""
        parts = [f'"line":{_dumps(line)}', f'"id":{_dumps(ident)}']
        for f in fields(result):
            value = getattr(result, f.name)
            if f.name == "actions":
                text = "[" + ",".join(map(self._action, value)) + "]"
            elif f.name == "facts":
                text = "[" + ",".join(f'{{"fact":{_string(x.fact)},"value":{_string(x.value)}}}' for x in value) + "]"
            else:
                text = _dumps(to_json(value))
            parts.append(f'"{f.name}":{text}')
        return "{" + ",".join(parts) + "}"

    def _action(self, a: ActionResult) -> str:
        known = self._fragments.get(id(a))
        if known is not None and known[0] is a:
            return known[1]
        head = self._heads.get((a.actor, a.action, a.arguments))
        if head is None:
            head = self._heads[(a.actor, a.action, a.arguments)] = (
                f'{{"actor":{_string(a.actor)},"action":{_string(a.action)},"arguments":{_dumps(list(a.arguments))},'
                f'"description":{_string(a.description)},'
            )
        clauses = ",".join(map(self._clause, a.clauses))
        key = (a.headline, a.labels, a.layers)
        layered = self._layered.get(key)
        if layered is None:
            if len(self._layered) > 200_000:
                self._layered.clear()
            layered = self._layered[key] = (f',"headline":{_dumps(a.headline)},"labels":{_dumps(to_json(a.labels))},'
                                            f'"layers":{_dumps(to_json(a.layers))}')
        text = (f'{head}"verdict":{_ENUM[a.verdict]},"permitted":{_ENUM[a.permitted]},'
                f'"forbidden":{_ENUM[a.forbidden]},"required":{_ENUM[a.required]},'
                f'"conflict":{_ENUM[a.conflict]},"clauses":[{clauses}]{layered}}}')
        self._keep(a, text)  # the engine shares action results across queries: worth keeping
        return text

    def _clause(self, c: ClauseRef) -> str:
        known = self._fragments.get(id(c))
        if known is not None and known[0] is c:
            return known[1]
        text = (f'{{"id":{_string(c.id)},"cite":{_string(c.cite)},"says":{_string(c.says)},'
                f'"role":{_ENUM[c.role]},"extent":{_ENUM[c.extent]}}}')
        self._keep(c, text)
        return text

    def _keep(self, value: ActionResult | ClauseRef, text: str) -> None:
        if len(self._fragments) > 200_000:
            self._fragments.clear()
        self._fragments[id(value)] = (value, text)


_ENUM: dict[Enum, str] = {e: json.dumps(e.value) for kind in (Verdict, Extent, Role) for e in kind}


def _string(text: str) -> str:
    return _encode(text)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _error(line: int, ident: Any, message: str) -> str:
    return _dumps({"line": line, "id": ident, "error": message})


def numbered(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """Input lines with their 1-based numbers; blank lines are left out."""
    for number, text in enumerate(lines, start=1):
        if text.strip():
            yield number, text


def run(evaluator: Evaluator, lines: Iterable[str]) -> Iterator[Outcome]:
    """Every non-blank line answered, in order, in this process."""
    for chunk in chunks(numbered(lines), BLOCK):
        yield from evaluator.answer_block(chunk)


def chunks(items: Iterable[tuple[int, str]], size: int) -> Iterator[list[tuple[int, str]]]:
    """Numbered lines in lists of `size` (the last one shorter)."""
    chunk: list[tuple[int, str]] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
