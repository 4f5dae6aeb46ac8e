"""The CSV of the commands that sum up many sessions, ``sweep`` and ``report``, through the one
CSV writer (``chatstats_core.csvtext``). Not imported by ``render/__init__``: the batch workers
render replay output and must not pull the workflows in.
"""

from __future__ import annotations

from typing import Any

from chatstats_core.csvtext import row, rows
from chatstats_core.workflows.report import compared_rows, flat_rows, provenance_lines
from chatstats_core.workflows.sweep import Sweep


def sweep_csv(result: Sweep) -> str:
    """One CSV row per combination: varied options, figures, then KEY@session columns."""
    kvp_columns = [
        (key, label)
        for key in (result.rows[0].kvps if result.rows else {})
        for label in result.sessions
    ]
    header = [*result.varied, *result.columns, *(f"{k}@{s}" for k, s in kvp_columns)]
    return row(header) + rows(
        [
            *combination.combination.values(),
            *(combination.figures.get(c, 0) for c in result.columns),
            *(combination.kvps[k][s] for k, s in kvp_columns),
        ]
        for combination in result.rows
    )


def report_csv(document: dict[str, Any]) -> str:
    """The report as a header and a row per group and the total (three per group, A, B and
    delta, for a comparison); it starts with its header, as csv readers, sqlite-utils and
    Miller expect (what made it is :func:`report_provenance`)."""
    compared = "a" in document["total"]
    table = compared_rows(document) if compared else flat_rows(document)
    columns = list(dict.fromkeys(k for line in table for k in line))
    return row(columns) + rows([line.get(c) for c in columns] for line in table)


def report_provenance(document: dict[str, Any]) -> list[str]:
    """What made a report (tool, inputs and their digest, options), as lines for stderr."""
    return [line.removeprefix("# ") for line in provenance_lines(document)]
