"""User data the way Genesys logs print it: ``'key'<TAB>value``, strings quoted, ints bare."""

from __future__ import annotations

from chatstats_core.engine import Result


def _quoted(value: int | str) -> str:
    if isinstance(value, int):
        return str(value)
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


class KvpRenderer:
    """A ``# session`` header line per session, then one KVP per line; blank line between."""

    separator = "\n"

    def begin(self) -> str:
        return ""

    def item(self, result: Result) -> str:
        lines = [f"# session {result.session_id} ({result.source})"]
        lines += [f"'{key}'\t{_quoted(value)}" for key, value in result.kvps.items()]
        return "\n".join(lines) + "\n"

    def end(self) -> str:
        return ""
