"""Batch lines answered without a solver call each: blocks of scenarios evaluated bit-parallel.

In: an `EditionEngine` whose grounded program `accord.solve.bitwise` can evaluate (stratified, every
fact instance known, no choice but the scenario's facts), and resolved scenarios: true facts and at
most `MOST_UNKNOWN` unknown facts. Out: each scenario's output line, the same text as
`batch.Evaluator.result_line` writes for the query's result (tests hold the two equal).

A block of scenarios is one evaluation: each scenario takes one lane (bit) per completion of its
unknown facts, 2^k for k unknown facts, and each atom's lanes are one integer. Per scenario, an atom
holds in every reading when it holds in all of the scenario's lanes that break no constraint, in
some reading when it holds in one; a scenario whose lanes all break a constraint is impossible, and
the constraints it breaks are read off a second evaluation with constraints relaxed, as the solver
path does. Actions no clause spoke to in a scenario are written from text prepared once.
"""

from __future__ import annotations

import json.encoder
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from accord.analyses.engine import EditionEngine
from accord.language import ir
from accord.results.query import ActionResult
from accord.solve import Sym
from accord.solve.bitwise import BitEvaluator
from accord.solve.observe import Unsupported, observe

MOST_UNKNOWN = 3  # unknown facts a scenario may have here: 2^3 lanes; more go to the solver
BLOCK = 1024  # scenarios evaluated together (and lines read at a time in one process)
_encode: Callable[[str], str] = json.encoder.encode_basestring  # a JSON string, as json.dumps writes it


@dataclass(frozen=True, slots=True)
class Resolved:
    """A batch line read and checked: its number and id, the named scenario (if any), its facts."""

    line: int
    ident: Any
    named: ir.Scenario | None
    true: list[ir.GroundAtom]
    unknown: list[ir.GroundAtom]


# Lanes where unknown fact j of k holds: lane l (0 <= l < 2^k) is the completion whose bit j is j's value.
_PATTERNS = [[sum(1 << lane for lane in range(1 << k) if lane >> j & 1) for j in range(k)]
             for k in range(MOST_UNKNOWN + 1)]


class DirectEvaluator:
    """One edition's scenarios answered in blocks by the bit-parallel evaluator."""

    def __init__(self, engine: EditionEngine, action_text: Callable[[ActionResult], str],
                 dumps: Callable[[Any], str]) -> None:
        """Raises `Unsupported` when the edition's program cannot be evaluated this way."""
        if not engine.closed:
            raise Unsupported("the program does not know every fact instance")
        program = observe(engine.program_text)
        self.engine = engine
        self._action_text = action_text
        self._dumps = dumps
        atoms: dict[int, list[tuple[int, Sym]]] = {}  # action position -> (atom, tag)
        violated: list[tuple[int, str]] = []
        always = -1  # stands for an atom that always holds (a shown fact)
        shown = [(atom, sym) for atom, syms in sorted(program.shown.items()) for sym in syms]
        shown += [(always, sym) for sym in sorted(program.always)]
        for atom, sym in shown:
            position, tag = engine.meaning(sym)
            if position >= 0:
                atoms.setdefault(position, []).append((atom, tag))
            elif sym.name == "violated":
                violated.append((atom, sym.args[0].name))
        wanted = sorted({atom for atom, _ in shown if atom != always})
        index = {atom: i for i, atom in enumerate(wanted)}
        index[always] = len(wanted)  # the value list of a block ends with every lane
        self.evaluator = BitEvaluator(program, wanted)
        if set(self.evaluator.facts) != {engine.fact_symbol(f) for f in engine.fact_space}:
            raise Unsupported("the program's facts are not the edition's")
        # Per action: its atoms as (value index, tag), and for the block loop as (bit, value index).
        self._actions_of = {i: [(index[atom], tag) for atom, tag in found] for i, found in sorted(atoms.items())}
        self._action_bits = [(i, [(1 << p, v) for p, (v, _) in enumerate(found)])
                             for i, found in self._actions_of.items()]
        self._violated = [(index[atom], name) for atom, name in violated]
        self._idle_texts = [action_text(result) for result in engine.idle]
        ref = engine.edition_ref
        self._edition = dumps({"id": ref.id, "title": ref.title, "in_force": ref.in_force,
                               "counterfactual": ref.counterfactual})
        self._texts: dict[tuple[int, int, int], str] = {}
        self._named: dict[ir.Scenario | None, str] = {}  # the text of the edition and scenario name
        self._fact_texts: dict[ir.GroundAtom, tuple[str, str, str]] = {}  # a fact as a string, true, unknown

    def accepts(self, unknown: Sequence[ir.GroundAtom]) -> bool:
        """Whether a scenario with these unknown facts is answered here (few enough of them)."""
        return sum(self.engine.fact_symbol(a) is not None for a in set(unknown)) <= MOST_UNKNOWN

    def lines(self, scenarios: Sequence[Resolved]) -> list[str]:
        """Each scenario's output line, in order. Scenarios with the same number of unknown facts
        are evaluated together, up to `BLOCK` at a time."""
        groups: dict[int, list[tuple[int, list[Sym], list[Sym]]]] = {}
        fact_symbol = self.engine.fact_symbol
        for n, scenario in enumerate(scenarios):
            true = [s for s in map(fact_symbol, set(scenario.true)) if s is not None]
            unknown = sorted(s for s in map(fact_symbol, set(scenario.unknown)) if s is not None)
            groups.setdefault(len(unknown), []).append((n, true, unknown))
        out: list[str] = [""] * len(scenarios)
        for k, members in sorted(groups.items()):
            for start in range(0, len(members), BLOCK):
                block = members[start:start + BLOCK]
                for (n, _, _), actions in zip(block, self._block(k, block), strict=True):
                    out[n] = self._line(scenarios[n], actions)
        return out

    def _block(self, k: int, block: list[tuple[int, list[Sym], list[Sym]]]) -> list[_Actions]:
        """The action texts of each scenario of a block (all with `k` unknown facts), or for an
        impossible one the constraints it breaks. Lane l of scenario s is bit l * len(block) + s."""
        size, lanes = len(block), 1 << k
        one = (1 << size) - 1
        every = sum(one << (lane * size) for lane in range(lanes))
        column = sum(1 << (lane * size) for lane in range(lanes))  # every lane of scenario 0
        columns = [sum(1 << (lane * size) for lane in range(lanes) if pattern >> lane & 1) for pattern in _PATTERNS[k]]
        position = self.evaluator.position
        masks = [0] * len(self.evaluator.facts)
        for s, (_, true, unknown) in enumerate(block):
            for sym in true:
                masks[position[sym]] |= column << s
            for sym, lanes_held in zip(unknown, columns, strict=True):
                masks[position[sym]] |= lanes_held << s
        values, broken = self.evaluator.run(masks, 0, every)
        ok = self._possible_lanes(broken, lanes, size)
        possible = 0
        for mask in ok:
            possible |= mask
        # Per atom, the scenarios where it holds in some possible lane, and in every one.
        somes = [value & possible for value in values] if k == 0 else [self._some(v, ok, size) for v in values]
        somes.append(possible)  # the pseudo-atom that always holds
        sures = somes if k == 0 else [*(self._sure(v, ok, size, possible) for v in values), possible]
        texts = [self._idle_texts.copy() if possible >> s & 1 else [] for s in range(size)]
        for i, atoms in self._action_bits:
            groups = [(0, 0, possible)]  # (sure code, some code, scenarios): refined atom by atom
            for bit, v in atoms:
                some = somes[v]
                if not some:
                    continue
                sure, refined = sures[v], []
                for sure_code, some_code, members in groups:
                    held = members & some
                    if held != members:
                        refined.append((sure_code, some_code, members ^ held))
                    if held:
                        always = held & sure
                        if always:
                            refined.append((sure_code | bit, some_code | bit, always))
                        if always != held:
                            refined.append((sure_code, some_code | bit, held ^ always))
                groups = refined
            for sure_code, some_code, members in groups:
                if some_code:
                    text = self._action_text_of(i, sure_code, some_code)
                    while members:
                        low = members & -members
                        texts[low.bit_length() - 1][i] = text
                        members ^= low
        out = [_Actions(t) for t in texts]
        impossible = one & ~possible
        if impossible:
            for s, names in self._violations(masks, every, lanes, size, impossible).items():
                out[s] = _Actions(broken=names)
        return out

    @staticmethod
    def _some(value: int, ok: list[int], size: int) -> int:
        """The scenarios in which `value` holds in at least one possible lane."""
        some = 0
        for lane, mask in enumerate(ok):
            some |= (value >> (lane * size)) & mask
        return some

    @staticmethod
    def _sure(value: int, ok: list[int], size: int, possible: int) -> int:
        """The scenarios in which `value` holds in every possible lane."""
        sure = possible
        for lane, mask in enumerate(ok):
            sure &= (value >> (lane * size)) | ~mask
        return sure

    @staticmethod
    def _possible_lanes(broken: int, lanes: int, size: int) -> list[int]:
        """For each lane, the scenarios in which that lane breaks no constraint."""
        one = (1 << size) - 1
        return [(~broken >> (lane * size)) & one for lane in range(lanes)]

    def _violations(self, masks: list[int], every: int, lanes: int, size: int,
                    impossible: int) -> dict[int, list[str]]:
        """The constraints each impossible scenario breaks: those violated in some lane that breaks
        no constraint once constraints are relaxed (as the solver path reports them)."""
        values, broken = self.evaluator.run(masks, every, every)
        values = (*values, every)
        ok = self._possible_lanes(broken, lanes, size)
        found: dict[int, set[str]] = {}
        for v, name in self._violated:
            some = self._some(values[v], ok, size) & impossible
            while some:
                low = some & -some
                found.setdefault(low.bit_length() - 1, set()).add(name)
                some ^= low
        return {s: sorted(found.get(s, ())) for s in range(size) if impossible >> s & 1}

    def _action_text_of(self, i: int, sure: int, some: int) -> str:
        key = (i, sure, some)
        text = self._texts.get(key)
        if text is None:
            atoms = self._actions_of[i]
            sure_tags = {tag for p, (_, tag) in enumerate(atoms) if sure >> p & 1}
            some_tags = None if some == sure else {tag for p, (_, tag) in enumerate(atoms) if some >> p & 1}
            text = self._texts[key] = self._action_text(self.engine.action_result(i, sure_tags, some_tags))
        return text

    def _line(self, scenario: Resolved, actions: _Actions) -> str:
        """The output line: the action texts of a possible scenario, or the names of the
        constraints an impossible one breaks. The action texts (~96 KB a line on the bundled
        rules) are copied once, by the one join that makes the line."""
        true, unknown = sorted(set(scenario.true)), sorted(set(scenario.unknown))
        texts = self._fact_texts
        for atom in (*true, *unknown):
            if atom not in texts:
                shown = _encode(ir.show_atom(atom))
                texts[atom] = (shown, f'{{"fact":{shown},"value":"true"}}', f'{{"fact":{shown},"value":"unknown"}}')
        facts = ",".join([texts[a][1] for a in true] + [texts[a][2] for a in unknown])
        known = self.engine.view.facts
        outside = ",".join(texts[a][0] for a in (*true, *unknown) if a[0] not in known)
        named = scenario.named
        head = self._named.get(named)
        if head is None:
            dumps = self._dumps
            head = self._named[named] = (
                f'"edition":{self._edition},"scenario":{dumps(named.name if named else None)},'
                f'"description":{dumps(named.description if named else None)},'
            )
        start = (f'{{"line":{scenario.line},"id":{self._dumps(scenario.ident)},{head}"facts":[{facts}],'
                 f'"outside_vocabulary":[{outside}],')
        end = '],"readings":null,"more_readings":false}'
        if actions.broken is None:
            parts = actions.texts
            start += '"possible":true,"violations":[],"actions":['
            if not parts:
                return start + end
            parts[0] = start + parts[0]
            parts[-1] += end
            return ",".join(parts)
        constraints = self.engine.view.constraints
        violations = ",".join(f'{{"constraint":{_encode(name)},"description":'
                              f'{_encode(constraints[name].description)}}}' for name in actions.broken)
        return f'{start}"possible":false,"violations":[{violations}],"actions":[{end}'


@dataclass(slots=True)
class _Actions:
    """A scenario's part of a block: the texts of its actions, in order (a list of its own, which
    `_line` may change), or, for an impossible scenario, the constraints it breaks."""

    texts: list[str] = field(default_factory=list)
    broken: list[str] | None = None
