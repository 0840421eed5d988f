"""Reports: result objects drawn for people (rich), Markdown and JSON.

In: the objects of `accord.results` (and the checked rule base's declarations for `vocab`). Out:
renderables and text. `query` draws queries, editions, vocabularies, tests and coverage; `diff`
and `explain` their own results. rich is imported only when a report is drawn.
"""
