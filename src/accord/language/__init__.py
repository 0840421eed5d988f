"""The rule language: text in, a checked rule base out.

In: `SourceFile`s (file name and text). Out: an `ir.RuleBase` (the checked form every later stage
reads), or `Diagnostic`s with spans for every mistake found. The stages, in order: `parse` (the
only module that imports lark, with `syntax_builder` and `syntax_hints`) → `ast` → `resolve` →
`check` (with `conditions` and `cycles`) → `ir`. `diagnostics` and `render` say and draw what went
wrong; `printer` turns a syntax tree back into canonical text; `grammar` finds the grammar file.
Nothing here imports another package of accord's except `accord.util`.
"""
