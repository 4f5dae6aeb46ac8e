"""One CSV row per session: identity, classification, then one column per KVP (all 50)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from chatstats_core.engine import ALL_KVPS, Result

CLASSIFICATION_COLUMNS = (
    "ended_by",
    "ended_reason",
    "ended_agent",
    "abandoned",
    "interaction_stopped",
)


#: What a spreadsheet takes for the start of a formula (OWASP's CSV injection list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """A CSV cell: booleans as true/false, None empty, numbers as they are; text that a
    spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return) gets
    a leading apostrophe, as OWASP recommends, so it is shown, never evaluated."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return str(value)


def row(values: Sequence[object]) -> str:
    """One CSV line (booleans as true/false, None as an empty cell)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([cell(v) for v in values])
    return buffer.getvalue()


class CsvRenderer:
    """A header row and a row per session; a KVP that is not attached is an empty cell. With
    ``keys`` (``replay --kvp``), only those KVP columns, in that order."""

    separator = ""

    def __init__(self, keys: tuple[str, ...] = ()) -> None:
        self.keys = keys or ALL_KVPS

    def begin(self) -> str:
        return row(["session_id", "source", *CLASSIFICATION_COLUMNS, *self.keys])

    def item(self, result: Result) -> str:
        c = result.classification
        return row(
            [
                result.session_id,
                result.source,
                c.ended_by,
                c.ended_reason,
                c.ended_agent,
                c.abandoned,
                c.interaction_stopped,
                *(result.kvps.get(key) for key in self.keys),
            ]
        )

    def end(self) -> str:
        return ""
