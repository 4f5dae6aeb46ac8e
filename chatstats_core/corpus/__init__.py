"""Corpus work: turning command-line inputs into a bounded stream of transcripts (``inputs``),
replaying them in input order in one process or several (``batch``), writing output files
safely (``files``), synthetic sessions (``generate``) and replay on other machines (``scale``).
Builds on the engine and transcripts.
"""
