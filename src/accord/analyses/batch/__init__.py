"""Batches: many scenarios against one edition, grounded once.

In: a `KnowledgeBase`, an edition and JSONL lines. Out: one result per line (`lines`), answered by
the solver or, where the ground program allows, bit-parallel without a solver call (`direct`).
"""
