"""The scenario builder's facts: every ground fact of the vocabulary, grouped by theme.

In: a checked rule base. Out: `Theme`s, each a title and the ground facts that belong to it
(`armed_attack_on(japan)`, with the fact's description and the argument's), in a fixed order, so
the page can offer each fact as true, false or unknown.

The grouping is presentation only and never changes an answer. Facts of the bundled vocabulary
are placed by name (who is attacked, where, by what, the wider situation, decisions taken,
requests and consents, assessments); any other fact goes under the description of the sort of its
first parameter, or under "Other facts" when it has none, so a rule base loaded with `--rules`
gets a sensible page too.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from accord.language import ir

_KNOWN: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Who is attacked or threatened", (
        "armed_attack_on", "armed_attack_imminent", "armed_attack_anticipated",
    )),
    ("Where", (
        "attack_location", "activity_area", "combat_at_activity_area", "combat_possible_during_activity",
        "local_order_maintained", "far_east", "sdf_support_underway", "rescue_commenced",
    )),
    ("By what", (
        "ballistic_missile_toward", "gray_zone_infringement", "piracy", "cyber_incident",
        "cyber_incident_serious", "space_threat", "cbrn_incident", "facility_threat", "mines_abandoned",
    )),
    ("The wider situation", (
        "usf_engaged_in", "important_influence", "important_influence_emerging", "international_threat",
        "japan_disaster", "foreign_disaster", "nationals_endangered", "refugee_flow", "un_pko",
    )),
    ("Decisions taken", (
        "cabinet_decision", "diet_prior_approval", "diet_emergency", "sdf_order", "prior_consultation",
    )),
    ("Requests, consents and mandates", (
        "us_request", "japan_request", "mofa_request", "governor_request", "intl_request",
        "territorial_state_consent", "flag_state_consent", "unsc_resolution", "unga_resolution",
        "pko_principles", "pko_consent_stable",
    )),
    ("Assessments (often left unknown)", ("survival_threatened", "no_other_means")),
)
OTHER = "Other facts"


@dataclass(frozen=True, slots=True)
class GroundFact:
    """One fact instance the builder can set: `armed_attack_on(japan)`."""

    fact: str  # the instance, as the API reads it
    name: str  # the fact's name
    arguments: tuple[str, ...]
    description: str  # the fact's description


@dataclass(frozen=True, slots=True)
class Theme:
    title: str
    facts: tuple[GroundFact, ...]


def _theme_of(rules: ir.RuleBase, fact: ir.Fact) -> str:
    for title, names in _KNOWN:
        if fact.name in names:
            return title
    if fact.params:
        sort = rules.sorts[fact.params[0]]
        return sort.description or sort.name
    return OTHER


def _instances(rules: ir.RuleBase, fact: ir.Fact) -> list[GroundFact]:
    out = []
    for combo in itertools.product(*(rules.sorts[s].members for s in fact.params)):
        out.append(GroundFact(ir.show_atom((fact.name, combo)), fact.name, combo, fact.description))
    return out


def themes(rules: ir.RuleBase) -> tuple[Theme, ...]:
    """Every ground fact of the rule base, grouped; known themes first, in their order."""
    grouped: dict[str, list[GroundFact]] = {}
    for fact in rules.facts.values():
        grouped.setdefault(_theme_of(rules, fact), []).extend(_instances(rules, fact))
    order = [title for title, _ in _KNOWN]
    rank = {name: i for _, names in _KNOWN for i, name in enumerate(names)}

    def key(title: str) -> tuple[int, str]:
        return (order.index(title) if title in order else len(order) + (title == OTHER), title)

    return tuple(
        Theme(title, tuple(sorted(grouped[title], key=lambda g: (rank.get(g.name, len(rank)), g.name))))
        for title in sorted(grouped, key=key)
    )
