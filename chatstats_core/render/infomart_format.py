"""CHAT_SESSION_FACT as Genesys Info Mart holds it: a row per session.

The columns come from :data:`~chatstats_core.engine.rules.INFOMART_ROW`: MEDIA_SERVER_IXN_GUID
(the chat session id, which Chat Server gives the interaction), the 15-minute
``*_DATE_TIME_KEY`` integers and the ``*_TS`` seconds since 1970 UTC of the start and closure, the
fact's measures, then the dimension attributes a join with MEDIA_TYPE and CHAT_SESSION_DIM
brings. A value is what Chat Server would attach, so a KVP that the options do not attach is an
empty cell, as it would be missing from Info Mart.
"""

from __future__ import annotations

from chatstats_core.csvtext import row
from chatstats_core.engine import Result
from chatstats_core.engine.rules import (
    DATE_TIME_INTERVAL_SECONDS,
    INFOMART_ROW,
    ColumnForm,
    InfomartColumn,
)
from chatstats_core.transcript.timeutil import epoch_seconds, parse_timestamp

ID_COLUMN = "MEDIA_SERVER_IXN_GUID"


class InfomartRenderer:
    """A header row, then one row per session. With ``keys`` (``replay --kvp``), only the
    columns of those KVPs that Info Mart stores."""

    separator = ""

    def __init__(self, keys: tuple[str, ...] = ()) -> None:
        self.row = tuple(c for c in INFOMART_ROW if not keys or c.kvp in keys)
        self.columns = tuple(c.encoded for c in self.row)  # what the native core renders

    def begin(self) -> str:
        return row([ID_COLUMN, *(c.name for c in self.row)])

    def item(self, result: Result) -> str:
        return row([result.session_id, *(_cell(c, result.kvps.get(c.kvp)) for c in self.row)])

    def end(self) -> str:
        return ""


def _cell(column: InfomartColumn, value: int | str | None) -> int | str | None:
    if value is None or column.form is ColumnForm.VALUE:
        return value
    seconds = epoch_seconds(parse_timestamp(str(value)))
    if column.form is ColumnForm.DATE_TIME_KEY:
        return seconds - seconds % DATE_TIME_INTERVAL_SECONDS
    return seconds
