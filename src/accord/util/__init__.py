"""Small helpers with no knowledge of the rule language, shared by every floor above.

In: plain Python values. Out: `collector` (pausing the cycle collector around large builds),
`graphs` (strongly connected components) and `text` (free text made safe to show on a terminal,
in Markdown and in HTML).
"""
