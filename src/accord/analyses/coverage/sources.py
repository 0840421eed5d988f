"""Source coverage: is every section of a source text accounted for by the rules?

In: a checked rule base and, optionally, an edition. Out: one `SectionCoverage` per section of
every source in scope: the clauses whose `cite` names it (exactly, or one of its subsections),
or the reason it grants nothing, or `unaccounted`.
"""

from __future__ import annotations

from accord.language import ir
from accord.results.coverage import Accounted, SectionCoverage


def _is_subsection(child: str, parent: str) -> bool:
    """`2015 IV.D.4` is under `2015 IV.D`; `1997 IV.2(1)a` under `1997 IV.2(1)`."""
    if not child.startswith(parent) or len(child) == len(parent):
        return False
    nxt = child[len(parent)]
    return nxt in ".( " or (parent.endswith(")") and nxt.isalnum())


def coverage(rules: ir.RuleBase, edition: str | None = None) -> list[SectionCoverage]:
    modules = rules.modules_of(rules.edition_of(edition)) if edition else set(rules.modules)
    clauses = [v for c in rules.clauses.values() if c.module in modules
               for v in rules.clause_versions.get(c.id, (c,))]
    citing: dict[str, set[str]] = {}
    for clause in clauses:
        for ref in clause.sections:
            citing.setdefault(ref, set()).add(clause.id)
    out = []
    for source in rules.sources.values():
        if source.module not in modules:
            continue
        for section in source.sections:
            exact = sorted(citing.get(section.ref, ()))
            below = sorted({cid for ref, ids in citing.items() if _is_subsection(ref, section.ref) for cid in ids})
            if exact:
                status, ids = Accounted.ENCODED, exact
            elif section.grants_nothing is not None:
                status, ids = Accounted.GRANTS_NOTHING, []
            elif below:
                status, ids = Accounted.THROUGH_SUBSECTIONS, below
            else:
                status, ids = Accounted.UNACCOUNTED, []
            out.append(SectionCoverage(source.name, section.ref, section.title, status, tuple(ids),
                                       section.grants_nothing))
    return out
