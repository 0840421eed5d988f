"""Property tests of `accord explain` and `accord when` on random stratified rule sets.

For every action of a generated edition, in its generated scenario (which leaves some facts
unknown): every "why" and "why not" tree is a valid derivation, checked against the reference
evaluator (`tests/explain_checks.py`), and every "what would have to change" set, applied and
re-queried through `KnowledgeBase.query`, really flips the status (and is subset-minimal when the
scenario has no unknown facts). Every minimal scenario `accord when` gives permits the action, and
no smaller set of its facts does.
"""

from __future__ import annotations

import itertools

from explain_checks import check_changes, check_explanation, parse_atom, walk
from hypothesis import HealthCheck, event, given, settings
from strategies import RuleSet, load_rule_set, rule_sets

from accord.api import KnowledgeBase
from accord.language.printer import print_module

_SETTINGS = settings(
    max_examples=120, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)



def _labels(kb: KnowledgeBase, edition: str) -> list[str]:
    engine = kb.engine(edition)
    return [f"{actor} {name}" + (f"({', '.join(args)})" if args else "") for actor, name, args in engine.action_space]


@_SETTINGS
@given(rule_sets())
def test_every_explanation_is_a_valid_derivation_and_every_change_flips(rule_set: RuleSet) -> None:
    kb = load_rule_set(rule_set)
    scenario = kb.rules.scenarios[rule_set.scenario]
    true, unknown = list(scenario.true), list(scenario.unknown)
    text = print_module(rule_set.module)
    for label in _labels(kb, rule_set.edition)[:6]:
        explanation = kb.explain(label, rule_set.edition, scenario=rule_set.scenario, changes=3)
        event(f"verdict {explanation.verdict.value if explanation.verdict else 'impossible'}")
        event("with changes" if explanation.changes else "without changes")
        kinds = {s.kind.value for r in explanation.readings for s in walk((*r.why, *r.why_not))}
        for kind in sorted(kinds):
            event(f"step {kind}")
        try:
            check_explanation(kb, rule_set.edition, true, unknown, explanation)
            check_changes(kb, rule_set.edition, true, unknown, explanation)
        except AssertionError as err:
            raise AssertionError(f"{label}: {err}\n\n{text}") from err


@_SETTINGS
@given(rule_sets())
def test_every_minimal_scenario_permits_and_is_minimal(rule_set: RuleSet) -> None:
    kb = load_rule_set(rule_set)
    for label in _labels(kb, rule_set.edition)[:4]:
        actor, rest = label.split(" ", 1)
        name, args = parse_atom(rest)
        result = kb.when(label, rule_set.edition, cap=4)
        for minimal in result.scenarios:
            facts = [c.fact for c in minimal.facts]
            found = kb.query(rule_set.edition, facts=facts).action(actor, name, args)
            assert found.permitted.value == "always", (label, facts)
            if len(facts) <= 4:
                for size in range(len(facts)):
                    for part in itertools.combinations(facts, size):
                        smaller = kb.query(rule_set.edition, facts=list(part))
                        assert not smaller.possible or smaller.action(actor, name, args).permitted.value == "never", (
                            label, facts, part)
        event(f"{len(result.scenarios)} minimal scenarios")
