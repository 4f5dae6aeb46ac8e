"""The CSV of the commands that sum up many sessions, ``sweep`` and ``report``, through the one
CSV writer (``chatstats_core.csvtext``). Not imported by ``render/__init__``: the batch workers
render replay output and must not pull the workflows in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from chatstats_core.csvtext import row, rows
from chatstats_core.engine.families.ending import SEED_REASONS
from chatstats_core.render.summaries import compared_rows, flat_rows, provenance_lines

#: Every ended-by/reason pair the seed's table allows, in its order: a column each, always,
#: so that months of runs load into one table.
ENDED_COLUMNS = tuple(
    f"ended {by}/{reason}" for by, reasons in SEED_REASONS.items() for reason in reasons
)


def csv_name(label: str) -> str:
    """A figure's label as a column name a database takes: lower case, letters, digits and
    ``_`` (``ended AGENT/FORCE`` -> ``ended_agent_force``, ``mean cse_CustomerWaitTotalTime`` ->
    ``mean_cse_customerwaittotaltime``, ``settings/stop-abandoned-interaction`` ->
    ``settings_stop_abandoned_interaction``)."""
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")


def ended_columns(found: Iterable[str]) -> list[str]:
    """The ended-by/reason columns a CSV always has (:data:`ENDED_COLUMNS`), then any pair
    outside the seed's table that a run found, sorted."""
    outside = {c for c in found if c.startswith("ended ")} - set(ENDED_COLUMNS)
    return [*ENDED_COLUMNS, *sorted(outside)]


class SweepRowLike(Protocol):
    """One combination of a sweep, as ``workflows.sweep.SweepRow`` holds it."""

    @property
    def combination(self) -> dict[str, object]: ...
    @property
    def figures(self) -> dict[str, float | int]: ...
    @property
    def kvps(self) -> dict[str, dict[str, Any]]: ...


class SweepLike(Protocol):
    """A sweep's rows, as ``workflows.sweep.Sweep`` holds them (render depends on no workflow)."""

    @property
    def varied(self) -> tuple[str, ...]: ...
    @property
    def rows(self) -> Sequence[SweepRowLike]: ...
    @property
    def columns(self) -> tuple[str, ...]: ...
    @property
    def sessions(self) -> tuple[str, ...]: ...


def sweep_csv(result: SweepLike) -> str:
    """One CSV row per combination: varied options, the figures in a fixed order (every seed
    ended-by/reason pair included, 0 where none), then ``kvp_KEY_SESSION`` columns."""
    kvp_columns = [
        (key, label)
        for key in (result.rows[0].kvps if result.rows else {})
        for label in result.sessions
    ]
    counts = ["sessions", "abandoned", "interactions stopped", "still open"]
    means = [c for c in result.columns if c.startswith("mean ")]
    columns = [*counts, *ended_columns(result.columns), *means]
    header = [
        *result.varied,
        *columns,
        *(f"kvp {k} {s}" for k, s in kvp_columns),
    ]
    return row([csv_name(name) for name in header]) + rows(
        [
            *combination.combination.values(),
            *(combination.figures.get(c, 0) for c in columns),
            *(combination.kvps[k][s] for k, s in kvp_columns),
        ]
        for combination in result.rows
    )


def report_csv(document: dict[str, Any]) -> str:
    """The report as a header and a row per group and the total (three per group, A, B and
    delta, for a comparison); it starts with its header, as csv readers, sqlite-utils and
    Miller expect (what made it is :func:`report_provenance`). The columns are identifiers in
    a fixed order: every seed ended-by/reason pair is a column (0 where no session ended so)."""
    compared = "a" in document["total"]
    table = compared_rows(document) if compared else flat_rows(document)
    found = list(dict.fromkeys(k for line in table for k in line))
    rest = [c for c in found if not c.startswith("ended ")]
    at = next(i for i, c in enumerate(rest) if c.startswith("messages_"))  # after the counts
    columns = [*rest[:at], *ended_columns(found), *rest[at:]]
    return row([csv_name(c) for c in columns]) + rows(
        [line.get(c, 0 if c.startswith("ended ") else None) for c in columns] for line in table
    )


def report_provenance(document: dict[str, Any]) -> list[str]:
    """What made a report (tool, inputs and their digest, options), as lines for stderr."""
    return [line.removeprefix("# ") for line in provenance_lines(document)]
