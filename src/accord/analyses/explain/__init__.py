"""Explanations read off a traced program's answer sets.

In: a `KnowledgeBase`, an edition or date, an action and a scenario. Out: `Explanation`s (`why`),
minimal permitting scenarios (`when`) and semantic findings (`findings`), all built on one traced
engine per edition (`engine`) and its derivations (`derivation`).
"""
