"""Rendering results to text: the replay output formats, each a streaming :class:`Renderer`
(``begin()``, ``item(result)`` per session, ``end()``; json, jsonl, kvp, csv, infomart), and the
report's HTML page (``report_html``). Depends on results, never the reverse; the table views live
in the CLI (rich). Importing it loads no renderer and no engine (the command line types its
``--format`` with :class:`OutputFormat`): :func:`renderer_for` imports the one it makes.
"""

from __future__ import annotations

import enum
from dataclasses import replace
from typing import TYPE_CHECKING, Protocol, assert_never

if TYPE_CHECKING:
    from chatstats_core.engine import Result


class OutputFormat(enum.Enum):
    """The formats ``chatstats replay`` writes."""

    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    KVP = "kvp"
    CSV = "csv"
    INFOMART = "infomart"


class Renderer(Protocol):
    """Turns results into text, one session at a time (``separator`` goes between sessions)."""

    separator: str

    def begin(self) -> str:
        """Text before the first session (a CSV header, say)."""

    def item(self, result: Result) -> str:
        """The text of one session."""

    def end(self) -> str:
        """Text after the last session."""


def renderer_for(fmt: OutputFormat, keys: tuple[str, ...] = ()) -> Renderer:
    """The core renderer of a format; TABLE has none here (the CLI draws it with rich). With
    ``keys``, the column formats (csv, infomart) have columns for those KVPs only. Every format
    has its case: a new one without a renderer is a type error (assert_never)."""
    match fmt:
        case OutputFormat.JSON:
            from chatstats_core.render.json_format import JsonRenderer

            return JsonRenderer()
        case OutputFormat.JSONL:
            from chatstats_core.render.json_format import JsonLinesRenderer

            return JsonLinesRenderer()
        case OutputFormat.KVP:
            from chatstats_core.render.kvp_format import KvpRenderer

            return KvpRenderer()
        case OutputFormat.CSV:
            from chatstats_core.render.csv_format import CsvRenderer

            return CsvRenderer(keys)
        case OutputFormat.INFOMART:
            from chatstats_core.render.infomart_format import InfomartRenderer

            return InfomartRenderer(keys)
        case OutputFormat.TABLE:
            raise ValueError("table is rendered by the CLI")
        case _:
            assert_never(fmt)


def only_kvps(result: Result, keys: tuple[str, ...]) -> Result:
    """The result with only these KVPs (``replay --kvp``), in that order; all when empty."""
    if not keys:
        return result
    return replace(result, kvps={key: result.kvps[key] for key in keys if key in result.kvps})


__all__ = ["OutputFormat", "Renderer", "only_kvps", "renderer_for"]
