"""Rule bases as the object every analysis takes.

In: paths of rule files or folders (the bundled rules by default). Out: a `KnowledgeBase`
(`base`): the checked rules, their editions and dates, named scenarios and facts read as text,
and a memo for the engines the analyses build on it. `loader` reads files, `pipeline` chains the
language's stages (through `cache`, which keeps checked rule bases between runs), `facts` reads
ground facts given as text.
"""
