"""A seeded generator of synthetic rule bases, written in the real accord language.

In: a size (N clauses; F facts and A actions grow with N) and a seed. Out: a folder of `.accord`
files that `accord check` accepts, with two editions (`e_old`, `e_new`) for `accord diff`, a few
named scenarios, and random scenarios (`scenarios(...)`) for batch runs, all reproducible from the
seed. Proportions follow the bundled knowledge base: about 55% permissions, 30% prohibitions, 15%
obligations; 40% of clauses carry an exception (`unless`), 8% an `overrides`; one definition per
ten clauses, one constraint per hundred; facts and actions mostly unary over small sorts.

Layout: `vocab` (sorts, facts, actions, definitions, constraints), `core` (80% of the clauses,
in both editions), `old` (10%, only in `e_old`) and `new` (10%, only in `e_new`: half replace an
`old` clause with a changed condition, a quarter carry one over unchanged, the rest are new).
"""

from __future__ import annotations

import itertools
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

ACTORS = ("sdf", "usf", "goj")
VARS = ("X", "Y", "Z")


@dataclass(frozen=True, slots=True)
class Pred:
    name: str
    params: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Head:
    action: Pred
    actor: str
    modality: str
    args: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Made:
    id: str
    head: Head
    when: str | None
    unless: str | None


@dataclass
class Synth:
    n_clauses: int
    seed: int = 0
    rng: random.Random = field(init=False)
    sorts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    facts: list[Pred] = field(default_factory=list)
    actions: list[tuple[Pred, tuple[str, ...]]] = field(default_factory=list)
    definitions: list[Pred] = field(default_factory=list)
    _taken: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        n = self.n_clauses
        for s in range(4 + n // 400):
            size = self.rng.randint(3, 6)
            self.sorts[f"s{s}"] = tuple(f"s{s}_m{i}" for i in range(size))
        self.facts = [Pred(f"f{i}", self._params(0.40, 0.45)) for i in range(max(8, n // 5))]
        for i in range(max(4, n // 10)):
            actors = tuple(sorted(self.rng.sample(ACTORS, self.rng.choice((1, 1, 2)))))
            self.actions.append((Pred(f"a{i}", self._params(0.30, 0.55)), actors))
        self.definitions = [Pred(f"d{i}", self._params(0.5, 0.5)) for i in range(max(2, n // 10))]

    # ---- vocabulary ----------------------------------------------------------------------

    def _params(self, p0: float, p1: float) -> tuple[str, ...]:
        r = self.rng.random()
        count = 0 if r < p0 else 1 if r < p0 + p1 else 2
        return tuple(self.rng.choice(sorted(self.sorts)) for _ in range(count))

    def _atom(self, preds: list[Pred], env: dict[str, str], negated: bool) -> str:
        """An atom over `preds`; arguments use a variable of `env` of the right sort, else a member."""
        pred = self.rng.choice(preds)
        args = []
        for sort in pred.params:
            usable = [v for v, s in env.items() if s == sort]
            if usable and self.rng.random() < 0.8:
                args.append(self.rng.choice(usable))
            elif not negated and self.rng.random() < 0.1:
                fresh = f"V{len(self._taken)}"
                self._taken.add(fresh)
                env[fresh] = sort
                args.append(fresh)
            else:
                args.append(self.rng.choice(self.sorts[sort]))
        text = pred.name + (f"({', '.join(args)})" if args else "")
        return f"not {text}" if negated else text

    def _conjunction(self, preds: list[Pred], env: dict[str, str], size: int) -> str:
        parts = [self._atom(preds, env, negated=i > 0 and self.rng.random() < 0.3) for i in range(size)]
        return " and ".join(parts)

    def _condition(self, preds: list[Pred], env: dict[str, str]) -> str:
        outer = dict(env)
        first = self._conjunction(preds, env, self.rng.randint(1, 3))
        if self.rng.random() < 0.2:
            alt = self._conjunction(preds, outer, self.rng.randint(1, 2))
            return f"({first}) or ({alt})"
        return first

    def vocab(self) -> str:
        out = ['module vocab "Synthetic vocabulary"', ""]
        out.append("sort actor { " + ", ".join(f'{a} "Actor {a}"' for a in ACTORS) + " }")
        for name, members in self.sorts.items():
            out.append(f'sort {name} "Sort {name}" {{ ' + ", ".join(members) + " }")
        for f in self.facts:
            out.append(f"fact {_sig(f)} \"Fact {f.name}\"")
        for a, actors in self.actions:
            out.append(f"action {_sig(a)} by {', '.join(actors)} \"Action {a.name}\"")
        for i, d in enumerate(self.definitions):
            env = {VARS[k]: s for k, s in enumerate(d.params)}
            usable = self.facts + self.definitions[:i]
            cond = self._condition(usable, env)
            params = ", ".join(f"{VARS[k]}: {s}" for k, s in enumerate(d.params))
            head = f"{d.name}({params})" if d.params else d.name
            out.append(f'define {head} "Definition {d.name}":\n  {cond}')
        for i in range(max(1, self.n_clauses // 100)):
            a, b = self.rng.sample([f for f in self.facts if not f.params], 2)
            out.append(f'constraint k{i} "Constraint {i}":\n  never {a.name} and {b.name}')
        return "\n".join(out) + "\n"

    # ---- clauses ---------------------------------------------------------------------------

    def head(self) -> Head:
        action, actors = self.rng.choice(self.actions)
        modality = self.rng.choices(("may", "must not", "must"), (55, 30, 15))[0]
        args = tuple(VARS[k] if self.rng.random() < 0.7 else self.rng.choice(self.sorts[s])
                     for k, s in enumerate(action.params))
        return Head(action, self.rng.choice(actors), modality, args)

    def conditions(self, head: Head) -> tuple[str | None, str | None]:
        """A clause's `when` (90% of clauses) and `unless` (40%)."""
        env = {a: s for a, s in zip(head.args, head.action.params, strict=True) if a in VARS}
        preds = self.facts + self.definitions
        when = self._condition(preds, dict(env)) if self.rng.random() < 0.9 else None
        unless = self._conjunction(preds, dict(env), self.rng.randint(1, 2)) if self.rng.random() < 0.4 else None
        return when, unless

    def module(self, name: str, count: int, lineage_from: list[Made] | None = None) -> tuple[str, list[Made]]:
        out = [f'module {name} "Synthetic clauses {name}"', "import vocab", ""]
        made: list[Made] = []
        by_head: dict[tuple[str, str], list[str]] = {}
        for i in range(count):
            cid = f"{name}.c{i}"
            lineage = ""
            if lineage_from and i < len(lineage_from):
                old = lineage_from[i]
                head = old.head
                if self.rng.random() < 0.67:
                    lineage, (when, unless) = f"replaces {old.id}", self.conditions(head)
                else:
                    lineage, when, unless = f"carries {old.id}", old.when, old.unless
            else:
                head = self.head()
                when, unless = self.conditions(head)
            key = (head.action.name, head.actor)
            earlier = by_head.setdefault(key, [])
            overrides = [self.rng.choice(earlier)] if earlier and self.rng.random() < 0.08 else []
            earlier.append(cid)
            made.append(Made(cid, head, when, unless))
            args = f"({', '.join(head.args)})" if head.args else ""
            lines = [f"clause {cid} {{", f'  cite "Synth {cid}"',
                     f"  {head.actor} {head.modality} {head.action.name}{args}"]
            lines += [f"  when {when}"] if when else []
            lines += [f"  unless {unless}"] if unless else []
            lines += [f"  overrides {', '.join(overrides)}"] if overrides else []
            lines += [f"  {lineage}"] if lineage else []
            lines += [f'  says "Synthetic clause {cid}."', "}"]
            out.append("\n".join(lines))
        return "\n".join(out) + "\n", made

    # ---- the whole base ------------------------------------------------------------------------

    def write(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        n = self.n_clauses
        n_old = max(1, n // 10)
        n_new = max(1, n // 10)
        (folder / "vocab.accord").write_text(self.vocab())
        core, _ = self.module("core", n - n_old - n_new)
        old, old_made = self.module("old", n_old)
        carried = old_made[: (3 * n_new) // 4]
        new, _ = self.module("new", n_new, carried)
        (folder / "core.accord").write_text(core)
        (folder / "old.accord").write_text(old)
        (folder / "new.accord").write_text(new)
        (folder / "editions.accord").write_text(self.editions())
        return folder

    def editions(self) -> str:
        out = ['module editions "Editions and scenarios"', "import vocab", ""]
        out.append('edition e_old {\n  title "Older edition"\n  in_force 2000-01-01\n  include core, old\n}')
        out.append('edition e_new {\n  title "Newer edition"\n  in_force 2010-01-01\n  include core, new\n}')
        rng = random.Random(self.seed + 1)
        for i in range(3):
            true, unknown = self.scenario(rng, 0.15, 2)
            lines = [f'scenario sc{i} "Synthetic scenario {i}" {{']
            lines += [f"  {f}" for f in true] + [f"  unknown {f}" for f in unknown] + ["}"]
            out.append("\n".join(lines))
        return "\n".join(out) + "\n"

    # ---- scenarios ----------------------------------------------------------------------------

    def fact_space(self) -> list[str]:
        return [f.name + (f"({', '.join(c)})" if c else "")
                for f in self.facts for c in itertools.product(*(self.sorts[s] for s in f.params))]

    def scenario(self, rng: random.Random, p_true: float, n_unknown: int) -> tuple[list[str], list[str]]:
        space = self.fact_space()
        k = max(1, int(len(space) * p_true * rng.random()))
        chosen = rng.sample(space, min(len(space), k + n_unknown))
        return sorted(chosen[n_unknown:]), sorted(chosen[:n_unknown])


def _sig(p: Pred) -> str:
    return p.name + (f"({', '.join(p.params)})" if p.params else "")


def generate(folder: Path, n_clauses: int, seed: int = 0) -> Synth:
    synth = Synth(n_clauses, seed)
    synth.write(folder)
    return synth


def scenarios(synth: Synth, count: int, seed: int = 0, p_true: float = 0.1, max_unknown: int = 2) -> list[str]:
    """`count` JSONL lines of random scenarios over the synthetic fact space."""
    rng = random.Random(seed)
    lines = []
    for i in range(count):
        true, unknown = synth.scenario(rng, p_true, rng.randint(0, max_unknown))
        lines.append(json.dumps({"id": f"s{i}", "facts": true, "unknown": unknown}))
    return lines


def generate_dated(folder: Path, versions: int = 1000, points: int = 200, seed: int = 0) -> list[str]:
    """A dated rule base: `versions` clause versions (four per clause) whose periods start and end on
    `points` change points a month apart, over a small vocabulary; returns the change days. Each
    version has its own citation, condition and exception, so every segment answers differently."""
    rng = random.Random(seed)
    days = [f"{2000 + i // 12:04d}-{i % 12 + 1:02d}-01" for i in range(points)]
    facts = [f"f{i}" for i in range(40)]
    actions = [f"a{i}" for i in range(60)]
    lines = ['module dated "Synthetic dated provisions" in_force ' + days[0], 'sort actor { sdf, usf }']
    lines += [f'fact {f} "fact {f}"' for f in facts]
    lines += [f'action {a} by sdf, usf "action {a}"' for a in actions]
    for k in range(versions // 4):
        chosen = sorted({k % points, *rng.sample(range(points), 4)})[:5]
        while len(chosen) < 5:
            chosen = sorted({*chosen, rng.randrange(points)})
        actor, action = rng.choice(("sdf", "usf")), rng.choice(actions)
        modality = rng.choice(("may", "may", "must not", "must"))
        for n, (a, b) in enumerate(itertools.pairwise(chosen)):
            when = " and ".join(rng.sample(facts, rng.randint(1, 2)))
            unless = f" unless {rng.choice(facts)}" if rng.random() < 0.4 else ""
            lines.append(f'clause c{k} in_force {days[a]} until {days[b]} {{ cite "c{k} version {n}" '
                         f'{actor} {modality} {action} when {when}{unless} says "version {n}" }}')
    lines.append(f'edition e_last {{ title "The last change point" in_force {days[-1]} }}')
    lines.append('scenario s "a few facts" { ' + " ".join(facts[:6]) + " }")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dated.accord").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return days


if __name__ == "__main__":  # pragma: no cover - a convenience for trying the generator by hand
    import sys

    generate(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 0)
