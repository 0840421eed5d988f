"""The language server: the rule language in an analyst's editor.

In: Language Server Protocol messages over stdio (pygls, lsprotocol's types). Out: diagnostics as
the user types (the checker's codes, messages and spans, for the whole folder of rule files the
document belongs to), hover, go to definition, references, completion, document symbols and
formatting. `index` finds every declared and referring name in a syntax tree, `folder` keeps the
parsed files of a rule folder and re-checks it after each change (re-parsing only the file that
changed), `convert` maps offsets and diagnostics to the protocol's terms, `features` answers the
requests, and `server` wires them to pygls (the only module here that imports it).
"""
