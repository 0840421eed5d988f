"""Semantic findings of `accord check`: dead, shadowed and vacuous clauses, conflicts and clashes.

Hand-written cases for every kind, and a property test: on random stratified rule sets with a
small scenario space, the findings equal what the reference evaluator finds by trying every
scenario, and every witness scenario, re-queried, shows its finding.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from hypothesis import HealthCheck, assume, event, given, settings
from reference import _applying, _edition, _head_env, derive, fires, holds_for_some, statuses, strata
from strategies import RuleSet, load_rule_set, rule_sets

from accord.api import KnowledgeBase
from accord.language import ast
from accord.language.printer import print_module
from accord.results.explain import Finding, FindingKind

Load = Callable[[str], KnowledgeBase]

RULES = """module f
sort actor { sdf }
sort party { japan, partner }
fact attacked(party) "An armed attack against the party"
fact decided "The Cabinet has decided"
fact request "A request has been made"
action defend(party) by sdf "Defend"
action escort by sdf "Escort"
action patrol by sdf "Patrol"
action guard by sdf "Guard"
constraint request_needs_decision "A request comes only after a decision": never request and not decided
clause dead.when { cite "D 1" sdf may patrol when attacked(japan) and not attacked(japan) says "never" }
clause dead.exception { cite "D 2" sdf may patrol when request unless decided says "lifted" }
clause ban.escort { cite "B 1" sdf must not escort says "no escort" }
clause allow.escort { cite "A 1" sdf may escort when request says "escort on request" }
clause base.guard { cite "G 1" sdf may guard when decided says "guard" }
clause top.guard { cite "G 2" sdf may guard when decided overrides base.guard says "guard, first" }
clause must.defend { cite "M 1" sdf must defend(P) when attacked(P) and decided says "defend" }
clause no.defend { cite "N 1" sdf must not defend(partner) when request says "not the partner" }
edition e { title "Findings" in_force 2020-01-01 include f }
"""


def _by(findings: list[Finding]) -> dict[tuple[str, str], Finding]:
    return {(f.kind.value, f.clause.id if f.clause else f.action or ""): f for f in findings}


def test_every_kind_of_finding(load_rules: Load) -> None:
    kb = load_rules(RULES)
    found = kb.findings()
    by = _by(found)
    assert sorted(by) == [
        ("clash", "allow.escort"), ("conflict", "sdf defend(partner)"), ("dead", "dead.exception"),
        ("dead", "dead.when"), ("shadowed", "allow.escort"), ("shadowed", "base.guard"), ("vacuous", "ban.escort"),
    ]
    assert "its conditions never hold" in by[("dead", "dead.when")].message
    assert "exception holds too" in by[("dead", "dead.exception")].message
    assert by[("dead", "dead.when")].witness is None and by[("dead", "dead.when")].proof
    assert by[("vacuous", "ban.escort")].severity == "info"
    shadowed = by[("shadowed", "base.guard")]
    assert [c.id for c in shadowed.others] == ["top.guard"] and "overridden" in shadowed.message
    assert shadowed.witness is not None and shadowed.witness.facts == ("decided",)
    blocked = by[("shadowed", "allow.escort")]
    assert [c.id for c in blocked.others] == ["ban.escort"] and "prohibition" in blocked.message
    conflict = by[("conflict", "sdf defend(partner)")]
    assert conflict.severity == "error" and [c.id for c in conflict.others] == ["must.defend", "no.defend"]
    assert conflict.witness is not None
    assert set(conflict.witness.facts) == {"attacked(partner)", "decided", "request"}
    clash = by[("clash", "allow.escort")]
    assert [c.id for c in clash.others] == ["ban.escort"] and clash.action == "sdf escort"
    assert clash.witness is not None and set(clash.witness.facts) == {"decided", "request"}
    assert [f.kind for f in found] == sorted((f.kind for f in found), key=list(FindingKind).index)


def test_impossible_constraints(load_rules: Load) -> None:
    extra = ('constraint never_anything "x": never not attacked(japan) and not attacked(partner)\n'
             'constraint never_attacks "y": never attacked(P)\n')
    kb = load_rules(RULES.replace("edition e", extra + "edition e"))
    (finding,) = kb.findings()
    assert finding.kind is FindingKind.IMPOSSIBLE and finding.severity == "error"


def test_the_mini_fixture(mini: KnowledgeBase) -> None:
    assert sorted(_by(mini.findings())) == [("clash", "g.force"), ("vacuous", "g.assets")]


# ---- against the reference evaluator ------------------------------------------------------------


def _expected(kb: KnowledgeBase, edition: str) -> set[tuple[str, str]] | None:
    e = _edition(kb.rules, edition)
    instances = sorted((f.name, combo) for f in e.facts.values()
                       for combo in itertools.product(*(e.sorts[s] for s in f.params)))
    if len(instances) > 7:
        return None
    layers = strata(e.definitions)
    fired: dict[str, int] = dict.fromkeys(e.clauses, 0)
    applied: set[str] = set()
    granted: set[str] = set()
    out: set[tuple[str, str]] = set()
    allowed = 0
    for bits in itertools.product((False, True), repeat=len(instances)):
        model = derive(e, {f for f, b in zip(instances, bits, strict=True) if b}, layers)
        if any(holds_for_some(k.condition, {}, dict(k.var_sorts), e.sorts, model) for k in e.constraints.values()):
            continue
        allowed += 1
        status = statuses(e, model)
        firing_any: set[str] = set()
        for (actor, action, args), values in status.items():
            targets = {c.id: c for c in e.clauses.values()
                       if (c.actor, c.action) == (actor, action) and _head_env(c, args) is not None}
            firing = {cid for cid, c in targets.items() if fires(c, _head_env(c, args) or {}, e, model)}
            applying = _applying(firing, targets)
            firing_any |= firing
            applied |= applying
            granted |= {c for c in applying if targets[c].modality is ast.Modality.MAY and values["permitted"]}
            if values["conflict"]:
                out.add(("conflict", f"{actor} {action}" + (f"({', '.join(args)})" if args else "")))
            for c, d in itertools.product(sorted(applying), repeat=2):
                if targets[c].modality is ast.Modality.MAY and targets[d].modality is ast.Modality.MUST_NOT:
                    out.add(("clash", f"{c}>{d}"))
        for c in firing_any:
            fired[c] += 1
    if not allowed:
        return {("impossible", "")}
    for cid, clause in e.clauses.items():
        if not fired[cid]:
            out.add(("dead", cid))
            continue
        if fired[cid] == allowed:
            out.add(("vacuous", cid))
        if cid not in applied or (clause.modality is ast.Modality.MAY and cid not in granted):
            out.add(("shadowed", cid))
    return out


def _actual(found: list[Finding]) -> set[tuple[str, str]]:
    out = set()
    for f in found:
        if f.kind is FindingKind.CLASH:
            assert f.clause is not None
            out.add(("clash", f"{f.clause.id}>{f.others[0].id}"))
        elif f.kind is FindingKind.CONFLICT:
            out.add(("conflict", f.action or ""))
        else:
            out.add((f.kind.value, f.clause.id if f.clause else ""))
    return out


def _check_witness(kb: KnowledgeBase, edition: str, f: Finding) -> None:
    if f.witness is None or f.witness.action is None:
        return
    actor, rest = f.witness.action.split(" ", 1)
    name, _, args = rest.partition("(")
    key = (actor, name, tuple(a.strip() for a in args.rstrip(")").split(",")) if args else ())
    result = kb.query(edition, facts=list(f.witness.facts))
    assert result.possible
    roles = {(c.id, c.role.value) for c in result.action(*key).clauses}
    if f.kind is FindingKind.CLASH:
        assert f.clause is not None
        assert {(f.clause.id, "permits"), (f.others[0].id, "forbids")} <= roles
    elif f.kind is FindingKind.CONFLICT:
        assert result.action(*key).conflict is not None and result.action(*key).verdict.value == "conflict"
    elif f.kind is FindingKind.SHADOWED:
        assert f.clause is not None and any(cid == f.clause.id for cid, _ in roles)


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(rule_sets())
def test_findings_agree_with_trying_every_scenario(rule_set: RuleSet) -> None:
    kb = load_rule_set(rule_set)
    expected = _expected(kb, rule_set.edition)
    assume(expected is not None)
    assert expected is not None
    found = kb.findings()
    assert _actual(found) == expected, print_module(rule_set.module)
    for f in found:
        event(f.kind.value)
        _check_witness(kb, rule_set.edition, f)
