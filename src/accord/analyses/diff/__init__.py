"""`accord diff`: two versions of the rules compared clause by clause and in behaviour.

In: a `KnowledgeBase` and two sides (editions, dates or rule folders). Out: a `DiffResult`.
`compare` is the entry; `clauses` compares texts and vocabularies; `slice` cuts the behaviour
question into independent parts, `program` and `lines` build their answer-set programs, and
`behaviour` solves them for changes and minimal witness scenarios.
"""
