"""Transcripts: the session model (``model``), loading Genesys XML and canonical JSON
(``loading``), writing them back (``writers``), redaction (``redact``), the reading limits that
keep hostile input bounded (``limits``) and UTC time helpers (``timeutil``). Depends on nothing
else in chatstats but ``errors``: the engine, corpus work and workflows build on it.
"""
