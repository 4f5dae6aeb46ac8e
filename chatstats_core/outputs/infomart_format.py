"""CHAT_SESSION_FACT-shaped CSV: a row per session, a column per Info Mart target of a KVP.

The columns come from :data:`~chatstats_core.engine.rules.INFOMART_COLUMNS` (the seed's mapping,
restated in docs/semantics.md). A value is what Chat Server would attach, so a KVP that the
options do not attach is an empty cell, as it would be missing from Info Mart; timestamps stay
the KVPs' ISO-8601 UTC text.
"""

from __future__ import annotations

from ..engine import Result
from ..engine.rules import INFOMART_COLUMNS
from .csv_format import row

COLUMNS = ("SESSION_ID", *(column.split(".", 1)[1] for column in INFOMART_COLUMNS.values()))


class InfomartRenderer:
    """A header row, then one row per session."""

    separator = ""

    def begin(self) -> str:
        return row(list(COLUMNS))

    def item(self, result: Result) -> str:
        return row([result.session_id, *(result.kvps.get(kvp) for kvp in INFOMART_COLUMNS)])

    def end(self) -> str:
        return ""
