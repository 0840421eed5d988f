"""Small helpers with no knowledge of the rule language, shared by every floor above.

In: plain Python values. Out: `collector` (pausing the cycle collector around large builds) and
`graphs` (strongly connected components).
"""
