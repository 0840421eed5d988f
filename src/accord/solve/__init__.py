"""Solving: the only package that talks to clingo.

In: printed answer-set programs. Out: accord's own values (`Sym`, `Answer`) from three kinds of
grounded program: `GroundProgram` (one edition, many scenarios by assumptions), `SearchProgram`
(a whole scenario space, for `accord diff`) and `AnalysisProgram` (explanations and findings).
Every clingo symbol is turned into accord's own values inside this package.
"""

from accord.solve.analysis import AnalysisProgram
from accord.solve.core import (
    NAME,
    Answer,
    Mode,
    SolverError,
    SolveTimeout,
    Sym,
    models_setting,
    string_round_trip,
    time_limit,
)
from accord.solve.ground import Assumptions, GroundProgram, Shown, facts_of
from accord.solve.search import SearchProgram

__all__ = [
    "NAME",
    "AnalysisProgram",
    "Answer",
    "Assumptions",
    "GroundProgram",
    "Mode",
    "SearchProgram",
    "Shown",
    "SolveTimeout",
    "SolverError",
    "Sym",
    "facts_of",
    "models_setting",
    "string_round_trip",
    "time_limit",
]
