"""``chatstats sweep``: every combination of varied options over every session, summarised.

A row per option combination; columns are summary figures (sessions, abandoned, stopped, open,
ended-by x reason counts, means of the wait/reply statistics). Columns whose value changes across
the rows come first. Figures and ``--kvp`` values are the computed statistics, whatever
attach-session-statistics lets through (None where a KVP does not apply, e.g. the closure KVPs
of a session still open).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .engine import Result, replay_session
from .errors import OptionError
from .model import Transcript
from .options import Options, build_options, find_spec

MEAN_KVPS = tuple(f"cse_{side}{what}" for side in ("CustomerWait", "AgentReply", "AgentWait",
                                                   "CustomerReply")
                  for what in ("TotalTime", "MaxTime"))


@dataclass(frozen=True, slots=True)
class Variation:
    """One ``--vary section/name=v1,v2``: the option and its values, as given."""

    key: str
    values: tuple[str, ...]


def parse_vary(text: str) -> Variation:
    """Parse and validate ``[section/]name=v1,v2,...``."""
    name, sep, raw = text.partition("=")
    values = tuple(v.strip() for v in raw.split(",") if v.strip())
    if not sep or not values:
        raise OptionError(f"--vary {text!r} is not of the form [section/]name=v1,v2,...",
                          source="options")
    spec = find_spec(name)
    for value in values:
        spec.parse(value)
    return Variation(spec.key, values)


@dataclass(frozen=True, slots=True)
class SweepRow:
    """One option combination and its figures (and the --kvp values per session)."""

    combination: dict[str, str]
    figures: dict[str, float | int]
    kvps: dict[str, dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Sweep:
    """All rows, the figure columns in display order, and which of them change."""

    varied: tuple[str, ...]
    rows: tuple[SweepRow, ...]
    columns: tuple[str, ...]
    changing: frozenset[str]
    sessions: tuple[str, ...]


def sweep(transcripts: Sequence[Transcript], base: Options, variations: Sequence[Variation],
          kvp_keys: Sequence[str] = ()) -> Sweep:
    """Replay every transcript under every combination of the variations."""
    labels = _labels(transcripts)
    rows = []
    for values in itertools.product(*(v.values for v in variations)):
        combination = {v.key: value for v, value in zip(variations, values, strict=True)}
        options = build_options([f"{k}={v}" for k, v in combination.items()], base)
        results = [replay_session(t, options) for t in transcripts]
        kvps = {key: {label: _computed(r, key) for label, r in zip(labels, results, strict=True)}
                for key in kvp_keys}
        rows.append(SweepRow(combination, _figures(results), kvps))
    columns = _ordered_columns(rows)
    changing = frozenset(c for c in columns if len({r.figures.get(c, 0) for r in rows}) > 1)
    ordered = tuple(sorted(columns, key=lambda c: (c not in changing, columns.index(c))))
    return Sweep(tuple(v.key for v in variations), tuple(rows), ordered, changing, labels)


def _computed(result: Result, key: str) -> Any:
    """The value the engine computed (whatever attach-session-statistics lets through)."""
    return next((s.value for s in result.stats if s.key == key), None)


def _labels(transcripts: Sequence[Transcript]) -> tuple[str, ...]:
    seen: dict[str, int] = {}
    labels = []
    for t in transcripts:
        seen[t.session_id] = seen.get(t.session_id, 0) + 1
        labels.append(t.session_id if seen[t.session_id] == 1
                      else f"{t.session_id}#{seen[t.session_id]}")
    return tuple(labels)


def _figures(results: Sequence[Result]) -> dict[str, float | int]:
    count = len(results)
    figures: dict[str, float | int] = {
        "sessions": count,
        "abandoned": sum(r.classification.abandoned is True for r in results),
        "interactions stopped": sum(r.classification.interaction_stopped is True
                                    for r in results),
        "still open": sum(r.is_open for r in results),
    }
    for r in results:
        c = r.classification
        if c.ended_by is not None:
            key = f"ended {c.ended_by}/{c.ended_reason}"
            figures[key] = figures.get(key, 0) + 1
    for key in MEAN_KVPS:
        values = [s.value for r in results for s in r.stats if s.key == key]
        figures[f"mean {key}"] = round(sum(values) / count, 2) if count else 0  # type: ignore[arg-type]
    return figures


def _ordered_columns(rows: Sequence[SweepRow]) -> list[str]:
    columns: list[str] = []
    for row in rows:
        for key in row.figures:
            if key not in columns:
                columns.append(key)
    fixed = [c for c in columns if not c.startswith("ended ")]
    ended = sorted(c for c in columns if c.startswith("ended "))
    return fixed[:4] + ended + fixed[4:]


def sweep_document(result: Sweep) -> dict[str, Any]:
    """The sweep as JSON."""
    return {
        "varied": list(result.varied),
        "columns": list(result.columns),
        "changing": [c for c in result.columns if c in result.changing],
        "rows": [{"options": row.combination,
                  "figures": {c: row.figures.get(c, 0) for c in result.columns},
                  **({"kvps": row.kvps} if row.kvps else {})} for row in result.rows],
    }


def sweep_csv(result: Sweep) -> str:
    """One CSV row per combination: varied options, figures, then KEY@session columns."""
    import csv
    import io

    kvp_columns = [(key, label) for key in (result.rows[0].kvps if result.rows else {})
                   for label in result.sessions]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*result.varied, *result.columns, *(f"{k}@{s}" for k, s in kvp_columns)])
    for row in result.rows:
        kvp_cells = ["" if row.kvps[k][s] is None else row.kvps[k][s] for k, s in kvp_columns]
        writer.writerow([*row.combination.values(), *(row.figures.get(c, 0)
                                                      for c in result.columns), *kvp_cells])
    return buffer.getvalue()
