"""User data the way Genesys logs print it: ``'key'<TAB>value``, strings quoted, ints bare;
what a value holds that is not printable (a line break, an escape sequence) is escaped, and
``diff --expected`` reads the escapes back (chatstats_core.safetext)."""

from __future__ import annotations

from chatstats_core.engine import Result
from chatstats_core.safetext import kvp_escaped, kvp_quoted


def _quoted(value: int | str) -> str:
    return str(value) if isinstance(value, int) else kvp_quoted(value)


class KvpRenderer:
    """A ``# session`` header line per session, then one KVP per line; blank line between."""

    separator = "\n"

    def begin(self) -> str:
        return ""

    def item(self, result: Result) -> str:
        # "(" escaped in the id, so that the header's last part is always the source
        session_id = kvp_escaped(result.session_id, "(")
        header = f"# session {session_id} ({kvp_escaped(result.source)})"
        lines = [header]
        lines += [f"'{key}'\t{_quoted(value)}" for key, value in result.kvps.items()]
        return "\n".join(lines) + "\n"

    def end(self) -> str:
        return ""
