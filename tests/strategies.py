"""Hypothesis strategies for accord's syntax trees, and for clingo symbols.

Three families:

- `modules()`: random *syntactically* valid `ast.Module`s with every kind of item (imports, sorts,
  facts, actions, constraints, definitions, clauses, editions, scenarios, tests, sources). Names
  never collide with reserved words, but they need not resolve: these trees are for the printer
  and the parser, not the checker.
- `rule_sets()`: small *checked-valid* rule bases (one module, one edition, one scenario) whose
  definitions are stratified (no negation cycles) and whose overrides are acyclic, for comparing
  the solver with the reference evaluator in `tests/reference.py`; `load_rule_set` reads one
  into a knowledge base.
- `clingo_symbols()`: any clingo symbol but `#inf` and `#sup`, for the readers of clingo's output.
"""

from __future__ import annotations

import dataclasses
import itertools
import tempfile
from dataclasses import dataclass
from pathlib import Path

import clingo
from hypothesis import strategies as st

from accord.api import KnowledgeBase, load
from accord.compile.to_asp import variables as condition_variables
from accord.language import ast
from accord.language.diagnostics import AccordError
from accord.language.printer import print_module

# The reserved words of docs/language.md ("Reserved words: ..."); test_printer checks the list.
RESERVED = frozenset({
    "module", "import", "sort", "fact", "action", "by", "constraint", "never", "define", "clause",
    "cite", "when", "unless", "overrides", "replaces", "carries", "says", "note", "edition",
    "title", "in_force", "include", "until", "scenario", "unknown", "test", "expect", "because", "possibly",
    "permitted", "forbidden", "required", "source", "section", "grants", "nothing", "and", "or",
    "not", "may", "must", "layer", "otherwise", "bound", "label", "for", "in", "role", "except",
})

# ---- names and strings --------------------------------------------------------------------

names = st.from_regex(r"[a-z][a-z0-9_]{0,7}", fullmatch=True).filter(lambda s: s not in RESERVED)
variables = st.from_regex(r"[A-Z][A-Za-z0-9_]{0,4}", fullmatch=True)
clause_ids = st.from_regex(
    r"[a-z][a-z0-9_]{0,5}(?:[.-][a-z0-9_]{1,4}){0,3}", fullmatch=True
).filter(lambda s: s not in RESERVED)
dates = st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True)

# Any text, with the characters that matter to quoting and lexing drawn often. The language can
# hold every character in a string (NUL and lone surrogates included): only `"`, `\` and a line
# feed are escaped.
_TRICKY = st.sampled_from(['"', "\\", "\n", "\r", "\t", "\x00", "#", "%", ".", ":-", "}", "é", "\u2028", "\ud800"])
strings = st.lists(st.one_of(_TRICKY, st.characters(codec=None)), max_size=12).map("".join)


def ast_names(strategy: st.SearchStrategy[str] = names) -> st.SearchStrategy[ast.Name]:
    return strategy.map(ast.Name)


def name_tuples(min_size: int = 1, max_size: int = 3) -> st.SearchStrategy[tuple[ast.Name, ...]]:
    return st.lists(ast_names(), min_size=min_size, max_size=max_size).map(tuple)


# ---- conditions ---------------------------------------------------------------------------

terms: st.SearchStrategy[ast.Term] = st.one_of(variables.map(ast.Var), names.map(ast.Const))
term_args = st.lists(terms, max_size=3).map(tuple)
atoms = st.builds(ast.Atom, ast_names(), term_args)
comparisons = st.builds(ast.Compare, terms, st.sampled_from(["=", "!="]), terms)


def _extend(children: st.SearchStrategy[ast.Condition]) -> st.SearchStrategy[ast.Condition]:
    operands = st.lists(children, min_size=2, max_size=3).map(tuple)
    return st.one_of(
        children.map(ast.Not), operands.map(ast.And), operands.map(ast.Or)
    )


conditions: st.SearchStrategy[ast.Condition] = st.recursive(
    st.one_of(atoms, comparisons), _extend, max_leaves=8
)

# ---- declarations -------------------------------------------------------------------------

imports = st.builds(ast.Import, name_tuples())
members = st.builds(ast.Member, ast_names(), st.none() | strings)
sorts = st.builds(
    ast.SortDecl, ast_names(), st.none() | strings, st.lists(members, min_size=1, max_size=3).map(tuple)
)
facts = st.builds(ast.FactDecl, ast_names(), name_tuples(0), strings)
actions = st.builds(ast.ActionDecl, ast_names(), name_tuples(0), name_tuples(1), strings)
constraints = st.builds(ast.ConstraintDecl, ast_names(), strings, conditions)
params = st.builds(ast.Param, variables.map(ast.Var), ast_names())
periods = st.lists(
    st.builds(ast.Period, st.none() | dates, st.none() | dates).filter(lambda p: p.start or p.end), max_size=2
).filter(lambda ps: not (len(ps) == 2 and ps[0].end is None and ps[1].start is None)).map(tuple)  # one period

citation_lists = st.lists(st.builds(ast.Citation, strings, periods), min_size=1, max_size=2).filter(
    lambda cs: len(cs) > 1 or bool(cs[0].periods)  # one plain `cite` is the clause's `cite` alone
).map(tuple)
definitions = st.builds(
    ast.Definition, ast_names(), st.lists(params, max_size=3).map(tuple), strings, conditions, periods=periods
)
heads = st.builds(ast.Head, ast_names() | variables.map(ast.Var), st.sampled_from(ast.Modality), ast_names(),
                  term_args)
clause_id_tuples = st.lists(ast_names(clause_ids), min_size=1, max_size=3).map(tuple)
lineages = st.builds(ast.Lineage, st.sampled_from(ast.LineageKind), clause_id_tuples)
plain_clauses = st.builds(
    ast.Clause,
    id=ast_names(clause_ids),
    cite=strings,
    head=heads,
    when=st.none() | conditions,
    unless=st.none() | conditions,
    overrides=st.just(()) | clause_id_tuples,
    lineage=st.none() | lineages,
    says=strings,
    notes=st.lists(strings, max_size=2).map(tuple),
    periods=periods,
    role=st.none() | st.sampled_from(["primary", "supporting"]),
)
clauses = plain_clauses | st.builds(
    lambda c, cites: dataclasses.replace(c, cite=cites[0].text, citations=cites), plain_clauses, citation_lists
)
editions = st.builds(
    ast.Edition, ast_names(), strings, dates, name_tuples(0), st.lists(strings, max_size=2).map(tuple)
)
ground_args = name_tuples(0)
scenario_facts = st.builds(ast.ScenarioFact, st.sampled_from(ast.Truth), ast_names(), ground_args)
scenarios = st.builds(
    ast.Scenario, ast_names(), strings, st.lists(scenario_facts, max_size=4).map(tuple)
)
expected_terms = ast_names() | variables.map(ast.Var)
quantifiers = st.lists(st.builds(ast.Quantifier, variables.map(ast.Var), ast_names()), max_size=2).map(tuple)
expectations = st.builds(
    ast.Expectation,
    st.sampled_from(ast.Qualifier),
    st.sampled_from(ast.Status),
    expected_terms,
    ast_names(),
    st.lists(expected_terms, max_size=2).map(tuple),
    st.none() | strings,
    quantifiers=quantifiers,
)
tests = st.builds(
    ast.Test, ast_names(), ast_names(), st.lists(ast_names() | dates.map(ast.Name), min_size=1, max_size=3).map(tuple),
    st.lists(expectations, min_size=1, max_size=3).map(tuple)
)
sections = st.builds(ast.Section, strings, strings, st.none() | strings)
sources = st.builds(ast.Source, ast_names(), strings, st.lists(sections, max_size=3).map(tuple))

ITEM_KINDS: tuple[st.SearchStrategy[ast.Item], ...] = (
    imports, sorts, facts, actions, constraints, definitions, clauses, editions, scenarios, tests, sources,
)
items: st.SearchStrategy[ast.Item] = st.one_of(*ITEM_KINDS)


def modules(max_items: int = 8) -> st.SearchStrategy[ast.Module]:
    """Random syntactically valid modules."""
    return st.builds(
        ast.Module, ast_names(), st.none() | strings, st.lists(items, max_size=max_items).map(tuple), periods=periods
    )


@st.composite
def modules_with_every_kind(draw: st.DrawFn) -> ast.Module:
    """A module with at least one item of every kind, in a random order."""
    chosen = [draw(kind) for kind in ITEM_KINDS]
    ordered = draw(st.permutations(chosen))
    return ast.Module(draw(ast_names()), draw(st.none() | strings), tuple(ordered))


# ---- stratified rule sets -----------------------------------------------------------------

MAX_UNKNOWN = 4


@dataclass(frozen=True)
class RuleSet:
    """A generated rule base: one module whose edition and scenario the test queries."""

    module: ast.Module
    edition: str
    scenario: str


def load_rule_set(rule_set: RuleSet) -> KnowledgeBase:
    """The rule set written to a file and loaded as a knowledge base. The generator makes only
    valid rule sets: a diagnostic fails the test with the diagnostics and the file's text."""
    text = print_module(rule_set.module)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "gen.accord"
        path.write_text(text, encoding="utf-8")
        try:
            return load(path)
        except AccordError as err:
            problems = "\n".join(f"{d.code}: {d.message}" for d in err.diagnostics)
            raise AssertionError(f"{problems}\n\n{text}") from err


@dataclass(frozen=True)
class _Predicate:
    name: str
    params: tuple[str, ...]  # sorts
    level: int  # 0 for facts; a definition's stratum (negation only to lower strata)


class _Vocabulary:
    def __init__(self, sort_members: dict[str, tuple[str, ...]]) -> None:
        self.members = sort_members
        # Variables are named after their sort, so a variable always has one sort.
        self.var_letter = {s: "PQRSTU"[i] for i, s in enumerate(sort_members)}

    def var(self, sort: str, index: int) -> ast.Var:
        return ast.Var(f"{self.var_letter[sort]}{index}")

    def sort_of(self, var: str) -> str:
        return next(s for s, letter in self.var_letter.items() if var.startswith(letter))


def _term(draw: st.DrawFn, vocab: _Vocabulary, sort: str, bound: set[str], fresh: bool) -> ast.Term:
    """A constant of the sort, a bound variable of the sort, or (if allowed) a new one."""
    choices: list[ast.Term] = [ast.Const(m) for m in vocab.members[sort]]
    choices += [ast.Var(v) for v in sorted(bound) if vocab.sort_of(v) == sort]
    if fresh:
        choices += [vocab.var(sort, i) for i in range(2)]
    return draw(st.sampled_from(choices))


def _condition(
    draw: st.DrawFn,
    vocab: _Vocabulary,
    preds: list[_Predicate],
    bound: set[str],
    depth: int,
    negated: bool = False,
    max_level: int | None = None,
) -> tuple[ast.Condition, set[str]]:
    """A safe condition over `preds`, and the variables it binds (as the checker computes).

    `bound` holds the variables bound outside; under `not` no new variable may appear. In a
    definition of stratum `max_level`, atoms may name predicates of a stratum up to it, and only
    of lower strata under `not`.
    """
    usable = [
        p for p in preds
        if max_level is None or p.level < max_level or (p.level == max_level and not negated)
    ]
    kinds = ["atom"] * 3 + (["compare"] if bound else [])
    if depth > 0:
        kinds += ["not", "and", "or"]
    kind = draw(st.sampled_from(kinds))
    if kind == "atom":
        pred = draw(st.sampled_from(usable))
        args = tuple(_term(draw, vocab, s, bound, not negated) for s in pred.params)
        return ast.Atom(ast.Name(pred.name), args), {a.name for a in args if isinstance(a, ast.Var)}
    if kind == "compare":
        left = ast.Var(draw(st.sampled_from(sorted(bound))))
        right = _term(draw, vocab, vocab.sort_of(left.name), bound, False)
        return ast.Compare(left, draw(st.sampled_from(["=", "!="])), right), set()
    if kind == "not":
        inner, _ = _condition(draw, vocab, preds, bound, depth - 1, True, max_level)
        return ast.Not(inner), set()
    count = draw(st.integers(2, 3))
    if kind == "and":
        ops: list[ast.Condition] = []
        binds: set[str] = set()
        for _ in range(count):
            op, new = _condition(draw, vocab, preds, bound | binds, depth - 1, negated, max_level)
            ops.append(op)
            binds |= new
        return ast.And(tuple(ops)), binds
    branches = [_condition(draw, vocab, preds, bound, depth - 1, negated, max_level) for _ in range(count)]
    common = set.intersection(*(b for _, b in branches))
    return ast.Or(tuple(c for c, _ in branches)), common


def _pick(draw: st.DrawFn, *options: int) -> int:
    """One of the options; hypothesis draws the first (its simplest) often, so list the likeliest first."""
    return draw(st.sampled_from(options))


@st.composite
def rule_sets(draw: st.DrawFn) -> RuleSet:
    """A small checked-valid, stratified rule base with a scenario that leaves some facts open."""
    sort_members: dict[str, tuple[str, ...]] = {
        "actor": tuple(f"actor{i}" for i in range(_pick(draw, 1, 2)))
    }
    for s in range(_pick(draw, 1, 2)):
        sort_members[f"s{s}"] = tuple(f"s{s}_m{i}" for i in range(_pick(draw, 2, 1, 3)))
    vocab = _Vocabulary(sort_members)
    plain_sorts = [s for s in sort_members if s != "actor"]
    param_sorts = st.lists(st.sampled_from([*plain_sorts, "actor"]), max_size=2)
    items: list[ast.Item] = [
        ast.SortDecl(ast.Name(s), None, tuple(ast.Member(ast.Name(m)) for m in ms))
        for s, ms in sort_members.items()
    ]

    fact_preds = [
        _Predicate(f"f{i}", tuple(draw(param_sorts)), 0) for i in range(_pick(draw, 3, 2, 4, 5))
    ]
    items += [
        ast.FactDecl(ast.Name(f.name), tuple(map(ast.Name, f.params)), f"fact {f.name}")
        for f in fact_preds
    ]
    # Strata 1..3: a definition uses definitions of its own stratum or lower, and under `not`
    # only lower ones, so there is never a cycle through `not` (positive recursion is allowed).
    def_preds = [
        _Predicate(f"d{i}", tuple(draw(param_sorts)), _pick(draw, 2, 1, 3))
        for i in range(_pick(draw, 2, 3, 1, 4))
    ]
    preds = def_preds + fact_preds  # definitions first: they are drawn more often
    for d in def_preds:
        params = tuple(vocab.var(s, i) for i, s in enumerate(d.params))
        cond, _ = _condition(draw, vocab, preds, {p.name for p in params}, 2, max_level=d.level)
        items.append(ast.Definition(
            ast.Name(d.name),
            tuple(ast.Param(p, ast.Name(s)) for p, s in zip(params, d.params, strict=True)),
            f"definition {d.name}",
            cond,
        ))

    if _pick(draw, 0, 1, 2) == 1:  # a positive fact and more, so that few scenarios break it
        first, binds = _condition(draw, vocab, fact_preds, set(), 0)
        second, _ = _condition(draw, vocab, preds, binds, 1)
        items.append(ast.ConstraintDecl(ast.Name("k0"), "a constraint", ast.And((first, second))))

    action_decls = []
    for i in range(_pick(draw, 2, 1, 3)):
        actors = draw(st.lists(
            st.sampled_from(sort_members["actor"]), min_size=1, max_size=2, unique=True
        ))
        action_decls.append(ast.ActionDecl(
            ast.Name(f"act{i}"),
            tuple(ast.Name(s) for s in draw(param_sorts)),
            tuple(map(ast.Name, actors)),
            f"action {i}",
        ))
    items += action_decls

    clause_list: list[ast.Clause] = []
    for i in range(_pick(draw, 6, 4, 8, 2, 3, 5, 7)):
        action = draw(st.sampled_from(action_decls))
        actor = draw(st.sampled_from(action.actors))
        head_args = tuple(_term(draw, vocab, s.text, set(), True) for s in action.params)
        head_vars = {a.name for a in head_args if isinstance(a, ast.Var)}
        when = unless = None
        if _pick(draw, 1, 1, 0):
            when, _ = _condition(draw, vocab, preds, set(head_vars), 2)
        if _pick(draw, 1, 0):
            # The checker counts every variable of `when` as bound in `unless`.
            unless, _ = _condition(draw, vocab, preds, head_vars | condition_variables(when), 2)
        same = [c.id for c in clause_list if (c.head.actor, c.head.action) == (actor, action.name)]
        overrides: tuple[ast.Name, ...] = ()
        if same:  # only earlier clauses: overrides never form a cycle
            count = min(_pick(draw, 1, 0, 2), len(same))
            overrides = tuple(draw(st.permutations(same))[:count])
        modality = draw(st.sampled_from(ast.Modality))
        clause_list.append(ast.Clause(
            ast.Name(f"c.{i}"), f"Art. {i}", ast.Head(actor, modality, action.name, head_args),
            when, unless, overrides, None, f"clause {i}",
        ))
    items += clause_list

    instances = [
        (f.name, combo)
        for f in fact_preds
        for combo in itertools.product(*(sort_members[s] for s in f.params))
    ]
    # Up to MAX_UNKNOWN open fact instances; the others true, false by omission or stated false.
    open_count = min(_pick(draw, 3, 2, 1, MAX_UNKNOWN, 0), len(instances))
    opened = set(draw(st.permutations(range(len(instances))))[:open_count])
    scenario_facts: list[ast.ScenarioFact] = []
    for i, (name, args) in enumerate(instances):
        truth = (
            ast.Truth.UNKNOWN if i in opened
            else draw(st.sampled_from([ast.Truth.TRUE, None, ast.Truth.FALSE]))
        )
        if truth is not None:
            scenario_facts.append(
                ast.ScenarioFact(truth, ast.Name(name), tuple(map(ast.Name, args)))
            )
    scenario = ast.Scenario(ast.Name("sc"), "the scenario", tuple(draw(st.permutations(scenario_facts))))
    edition = ast.Edition(ast.Name("ed"), "the edition", "2020-01-01", (ast.Name("gen"),))
    return RuleSet(ast.Module(ast.Name("gen"), "generated", (*items, scenario, edition)), "ed", "sc")


# ---- clingo symbols -----------------------------------------------------------------------

_CHARACTERS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")  # what clingo can hold


def clingo_symbols() -> st.SearchStrategy[clingo.Symbol]:
    """Names, numbers, strings (now and then longer than a few hundred characters), tuples and
    functions of either sign, nested."""
    strings = st.text(_CHARACTERS, max_size=6) | st.text(_CHARACTERS, min_size=300, max_size=600)
    return st.recursive(
        st.from_regex(r"_*[a-z][A-Za-z0-9_']{0,4}", fullmatch=True).map(clingo.Function)
        | st.integers(-1000, 1000).map(clingo.Number)
        | strings.map(clingo.String)
        | st.sampled_from([clingo.Function("", []), clingo.Function("a", [], False)]),
        lambda inner: st.tuples(st.from_regex(r"_*[a-z][a-z0-9_]{0,3}|", fullmatch=True), st.lists(inner, max_size=3),
                                st.booleans())
        .map(lambda t: clingo.Function(t[0], t[1], t[2] or not t[0])),
        max_leaves=8,
    )
