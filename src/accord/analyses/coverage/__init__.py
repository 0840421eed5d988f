"""Coverage: which source sections the clauses account for, which clauses the tests exercise.

In: a checked rule base (`sources`) or a `KnowledgeBase` and its tests (`clauses`). Out:
`SectionCoverage` rows and a `CoverageReport`.
"""
