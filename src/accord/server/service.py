"""What the server answers, as JSON bytes: the CLI's analyses over one loaded knowledge base.

In: a `KnowledgeBase` (its rules chosen when the server starts, never by a request) and `Limits`.
Out: a `Service` whose methods take checked request values and return the JSON text of
`accord <command> --format json` (compact, the same values), or raise `ApiError` (400 for bad
input: unknown edition, date, scenario, fact or action, in the words of the CLI; 503 when the
solver's time limit is reached).

Every edition is compiled and grounded once, at start-up (`warm`), and each query is a solve
under assumptions on that grounded program. The engines of an edition keep state between solves,
so each edition has a lock and its queries, explanations and batches take turns; a diff builds
its own program and needs none. Explanations, `when` and diffs are the costly analyses: their
answers are kept in a small LRU cache, keyed by the request.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from accord.analyses.batch.direct import BLOCK
from accord.analyses.batch.lines import Evaluator, numbered
from accord.analyses.diff.changelog import changelog
from accord.analyses.diff.compare import Side, diff_sides, names_an_edition
from accord.analyses.explain.engine import ActionError, analysis_engine
from accord.analyses.explain.when import when
from accord.analyses.explain.why import explain
from accord.analyses.query import engine, query
from accord.analyses.timeline import UnknownActionError, scenario_timeline, segments
from accord.knowledge.base import EditionChoiceError, KnowledgeBase
from accord.knowledge.facts import ScenarioError
from accord.language import ir
from accord.report import query as report
from accord.results.query import QueryResult, to_json
from accord.server.params import ApiError
from accord.server.themes import themes
from accord.solve import SolveTimeout

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Limits:
    """What one request may ask of the server."""

    timeout: float | None = 10.0  # seconds, per solve; None: no limit
    max_body: int = 1_048_576  # bytes of a request body
    max_url: int = 16_384  # characters of a path and query string
    max_batch: int = 1_000  # scenarios per batch request
    max_readings: int = 1_000  # readings listed by a query with all=true
    max_changes: int = 20  # change sets per direction of an explanation
    max_when: int = 100  # minimal scenarios of `when`
    max_witnesses: int = 5  # witnesses per change of a diff
    heavy_jobs: int = 2  # explanations, `when`s and diffs computed at once
    cache_entries: int = 256  # answers of costly analyses kept


def dumps(value: Any) -> bytes:
    """Compact JSON of a result object (the values of the CLI's `--format json`)."""
    return json.dumps(to_json(value), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class Service:
    def __init__(self, kb: KnowledgeBase, limits: Limits | None = None) -> None:
        self.kb = kb
        self.limits = limits or Limits()
        # One lock per engine: each edition's, and each segment's of the timeline (`as_of` answers).
        self._segments = [kb.edition_as_of(day).id for day in segments(kb)]
        self._locks = {e: threading.Lock() for e in sorted({*(e.id for e in kb.editions()), *self._segments})}
        self._writers: dict[str, Evaluator] = {}
        self._cache: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()
        self._cache_lock = threading.Lock()
        self.editions_json = report.editions_json(kb.editions()).encode("utf-8")
        self.scenarios_json = dumps([
            {"name": s.name, "description": s.description,
             "true": [ir.show_atom(a) for a in s.true], "unknown": [ir.show_atom(a) for a in s.unknown]}
            for s in sorted(kb.rules.scenarios.values(), key=lambda s: s.name)
        ])
        self.themes_json = dumps(themes(kb.rules))
        self._vocabulary = {None: dumps(report.vocabulary_data(kb.rules))} | {
            e.id: dumps(report.vocabulary_data(kb.rules.edition_view(e.id))) for e in kb.editions()
        }

    def warm(self) -> None:
        """Compile and ground every edition now, for queries and for explanations."""
        for edition in self.kb.editions():
            engine(self.kb, edition.id)
            _ = analysis_engine(self.kb, edition.id).solver  # grounded on first use otherwise
            self._writer(edition.id)

    # ---- choosing ------------------------------------------------------------------------

    def choose(self, edition: str | None, as_of: str | None) -> str:
        """The edition id named by an id or year, or in force on a date."""
        if (edition is None) == (as_of is None):
            raise ApiError("Give exactly one of `edition` and `as_of`.")
        try:
            if edition is not None:
                return self.kb.edition(edition).id
            return self.kb.edition_as_of(_date(as_of or "")).id
        except EditionChoiceError as err:
            raise ApiError(str(err)) from None

    # ---- the analyses ----------------------------------------------------------------------

    def editions(self) -> bytes:
        return self.editions_json

    def vocabulary(self, edition: str | None) -> bytes:
        return self._vocabulary[None if edition is None else self.choose(edition, None)]

    def query(self, edition: str, *, scenario: str | None, facts: Sequence[str], unknown: Sequence[str],
              readings_cap: int | None) -> bytes:
        with self._locks[edition]:
            result = _answer(lambda: query(self.kb, edition, scenario=scenario, facts=facts, unknown=unknown,
                                                   timeout=self.limits.timeout, readings_cap=readings_cap))
            return self._query_text(edition, result)

    def explain(self, edition: str, action: str, *, scenario: str | None, facts: Sequence[str],
                unknown: Sequence[str], changes: int) -> bytes:
        key = ("explain", edition, action, scenario, tuple(facts), tuple(unknown), changes)
        return self._cached(key, edition, lambda: dumps(explain(self.kb,
            action, edition, scenario=scenario, facts=facts, unknown=unknown, changes=changes,
            timeout=self.limits.timeout)))

    def when(self, edition: str, action: str, cap: int) -> bytes:
        key = ("when", edition, action, cap)
        return self._cached(key, edition, lambda: dumps(when(self.kb, action, edition, cap=cap,
                                                                     timeout=self.limits.timeout)))

    def timeline(self, *, scenario: str | None, facts: Sequence[str], unknown: Sequence[str]) -> bytes:
        """Each action's verdict over the whole timeline; it uses every segment's engine, so it takes
        their locks, in one order."""
        key = ("timeline", scenario, tuple(facts), tuple(unknown))
        return self._cached(key, None, lambda: self._locked_timeline(scenario, facts, unknown))

    def _locked_timeline(self, scenario: str | None, facts: Sequence[str], unknown: Sequence[str]) -> bytes:
        with contextlib.ExitStack() as held:
            for name in sorted(set(self._segments)):
                held.enter_context(self._locks[name])
            return dumps(scenario_timeline(self.kb, scenario, facts, unknown, timeout=self.limits.timeout))

    def diff(self, a: str, b: str, *, actions: Sequence[str], actors: Sequence[str], given: Sequence[str],
             witnesses: int) -> bytes:
        side_a, side_b = self._side(a), self._side(b)
        key = ("diff", a, b, tuple(actions), tuple(actors), tuple(given), witnesses)  # labels are in the answer
        return self._cached(key, None, lambda: dumps(diff_sides(
            side_a, side_b, actions=actions, actors=actors, given=given, witnesses=witnesses,
            timeout=self.limits.timeout)))

    def changelog(self, a: str, b: str, *, actions: Sequence[str], actors: Sequence[str],
                  given: Sequence[str]) -> bytes:
        """The diff's behaviour changes grouped by cause, as `accord diff --group cause` lists them."""
        side_a, side_b = self._side(a), self._side(b)
        key = ("changelog", a, b, tuple(actions), tuple(actors), tuple(given))
        return self._cached(key, None, lambda: dumps(changelog(diff_sides(
            side_a, side_b, actions=actions, actors=actors, given=given, witnesses=1,
            timeout=self.limits.timeout))))

    def batch(self, edition: str, body: bytes) -> Iterator[bytes]:
        """The lines of `accord batch`, a block at a time (the edition's lock is taken per block of
        `accord.analyses.batch.lines.BLOCK` lines, answered together as `accord batch` does)."""
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise ApiError("The body is not UTF-8 text: send one JSON scenario per line.") from None
        lines = list(numbered(text.splitlines()))
        if len(lines) > self.limits.max_batch:
            raise ApiError(f"The body has {len(lines)} scenarios; a batch request may have at most "
                           f"{self.limits.max_batch}. Split it, or use `accord batch`.", 413)
        writer, lock = self._writer(edition), self._locks[edition]

        def answers() -> Iterator[bytes]:
            for start in range(0, len(lines), BLOCK):
                with lock:
                    outcomes = writer.answer_block(lines[start:start + BLOCK])
                yield "".join(outcome.text + "\n" for outcome in outcomes).encode("utf-8")

        return answers()

    # ---- helpers -------------------------------------------------------------------------

    def _query_text(self, edition: str, result: QueryResult) -> bytes:
        """The query's JSON, through the batch writer's cache of action texts (`accord.analyses.batch.lines`
        holds it equal to `to_json`), without its `line` and `id`."""
        line = self._writer(edition).result_line(0, None, result)
        prefix = '{"line":0,"id":null,'
        return ("{" + line[len(prefix):]).encode("utf-8") if line.startswith(prefix) else dumps(result)

    def _writer(self, edition: str) -> Evaluator:
        """The edition's batch writer (`accord.analyses.batch.lines`): it answers batch lines and writes query JSON."""
        writer = self._writers.get(edition)
        if writer is None:
            writer = self._writers.setdefault(edition, Evaluator(self.kb, edition, self.limits.timeout))
        return writer

    def _side(self, text: str) -> Side:
        if not names_an_edition(text):
            raise ApiError(f"`{_short(text)}` is not an edition, a year or a date. The server compares its own "
                           "editions; rules from elsewhere can only be chosen when it starts (--rules).")
        try:
            edition = self.kb.edition_as_of(_date(text)) if _DATE.match(text) else self.kb.edition(text)
        except EditionChoiceError as err:
            raise ApiError(str(err)) from None
        return Side(self.kb.rules, edition.id, text, "knowledge base")

    def _cached(self, key: tuple[Any, ...], edition: str | None, compute: Callable[[], bytes]) -> bytes:
        with self._cache_lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        if edition is None:
            value = _answer(compute)
        else:
            with self._locks[edition]:
                value = _answer(compute)
        with self._cache_lock:
            self._cache[key] = value
            while len(self._cache) > self.limits.cache_entries:
                self._cache.popitem(last=False)
        return value


def _answer(compute: Callable[[], _T]) -> _T:
    """Run an analysis; the user's mistakes become 400s, the time limit a 503."""
    try:
        return compute()
    except (EditionChoiceError, ScenarioError, ActionError, UnknownActionError) as err:
        raise ApiError(str(err)) from None
    except SolveTimeout:
        raise ApiError("The solver did not finish within the server's time limit; narrow the request "
                       "(fewer unknown facts, a smaller cap) or run it with the command line.", 503) from None


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ApiError(f"`{_short(text)}` is not a date; write YYYY-MM-DD, for example 2016-03-29.") from None


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."
