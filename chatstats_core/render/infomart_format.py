"""CHAT_SESSION_FACT-shaped CSV: a row per session, a column per Info Mart target of a KVP.

The columns come from :data:`~chatstats_core.engine.rules.INFOMART_COLUMNS` (the seed's mapping,
restated in docs/semantics.md). A value is what Chat Server would attach, so a KVP that the
options do not attach is an empty cell, as it would be missing from Info Mart; timestamps stay
the KVPs' ISO-8601 UTC text.
"""

from __future__ import annotations

from chatstats_core.csvtext import row
from chatstats_core.engine import Result
from chatstats_core.engine.rules import INFOMART_COLUMNS


class InfomartRenderer:
    """A header row, then one row per session. With ``keys`` (``replay --kvp``), only the
    columns of those KVPs that Info Mart stores."""

    separator = ""

    def __init__(self, keys: tuple[str, ...] = ()) -> None:
        self.columns = tuple(k for k in INFOMART_COLUMNS if not keys or k in keys)

    def begin(self) -> str:
        return row(["SESSION_ID", *(INFOMART_COLUMNS[k].split(".", 1)[1] for k in self.columns)])

    def item(self, result: Result) -> str:
        return row([result.session_id, *(result.kvps.get(kvp) for kvp in self.columns)])

    def end(self) -> str:
        return ""
