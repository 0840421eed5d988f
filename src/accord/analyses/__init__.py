"""What accord answers about a `KnowledgeBase`.

In: a `KnowledgeBase` (from `accord.knowledge`) and a question: a scenario, an action, two sides
to compare. Out: the plain objects of `accord.results`. `engine` grounds one edition once and
answers queries on it; `query` is the entry for a query by edition or date; `batch/` many
scenarios at once; `explain/` why, why not, when, findings; `diff/` two versions clause by clause
and in behaviour; `testing` and `coverage/` the rule language's tests and what they cover.
"""
