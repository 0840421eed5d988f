"""Compiling a checked rule base to answer-set programs.

In: an `ir.EditionView` (from `accord.language`). Out: a typed ASP program (`asp`: terms, atoms,
rules, choices, `#show`, and its one printer), plain (`to_asp`) or traced with a source map for
explanations (`traced_asp`); `limits` estimates the ground size before anything is grounded.
No clingo here: printing is ours, solving is `accord.solve`'s.
"""
