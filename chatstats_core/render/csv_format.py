"""``replay --format csv``: one row per session: identity, classification, then one column per
KVP (all 50), through the one CSV writer (``chatstats_core.csvtext``)."""

from __future__ import annotations

from chatstats_core.csvtext import row
from chatstats_core.engine import ALL_KVPS, Result
from chatstats_core.engine.families.ending import CLASSIFICATION_FIELDS


class CsvRenderer:
    """A header row and a row per session; a KVP that is not attached is an empty cell. With
    ``keys`` (``replay --kvp``), only those KVP columns, in that order."""

    separator = ""

    def __init__(self, keys: tuple[str, ...] = ()) -> None:
        self.columns = keys or ALL_KVPS

    def begin(self) -> str:
        return row(["session_id", "source", *CLASSIFICATION_FIELDS, *self.columns])

    def item(self, result: Result) -> str:
        c = result.classification
        return row(
            [
                result.session_id,
                result.source,
                *(getattr(c, name) for name in CLASSIFICATION_FIELDS),
                *(result.kvps.get(key) for key in self.columns),
            ]
        )

    def end(self) -> str:
        return ""
