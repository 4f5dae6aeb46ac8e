"""How the summaries of many sessions (``report``, ``sweep``) are shown, wherever they are shown:
the figures of a report document and their order, its flat rows (CSV), what made it, and the
number formats people read (the terminal views and the HTML page use the same ones).

Works on the JSON documents the workflows build, so it depends on no workflow.
"""

from __future__ import annotations

from typing import Any

#: The headline figures of a group, in display order.
FIGURES = (
    "sessions",
    "abandoned",
    "abandoned_percent",
    "interactions_stopped",
    "still_open",
    "async_sessions",
    "sessions_with_bots",
)
#: The statistics of a distribution (each None when it has no value).
STATISTICS = ("count", "mean", "median", "p90", "max")


def percent(part: int, whole: int) -> float:
    """``part`` as a percentage of ``whole``, one decimal (0.0 of nothing)."""
    return round(100 * part / whole, 1) if whole else 0.0


def bucket_label(bucket: dict[str, Any]) -> str:
    """``0-10s``, ..., ``3600s+`` for a bucket of a distribution (``from``/``to`` seconds)."""
    low, high = bucket["from"], bucket["to"]
    return f"{low}s+" if high is None else f"{low}-{high}s"


def flat_rows(document: dict[str, Any]) -> list[dict[str, Any]]:
    """One flat row per group and one for the total (for CSV); ended-by/reason and message
    columns for every value any row has (0 where a row has none)."""
    rows = []
    groups = [*document["groups"], {"group": "total", **document["total"]}]
    ended = sorted({k for group in groups for k in group["ended"]})
    for group in groups:
        row: dict[str, Any] = {"group": group["group"]}
        row.update({key: group[key] for key in FIGURES})
        row.update({f"ended {k}": group["ended"].get(k, 0) for k in ended})
        row.update({f"messages_{k}": v for k, v in group["messages"].items()})
        for name, figures in group["distributions"].items():
            row.update({f"{name}_{k}": figures[k] for k in STATISTICS})
        rows.append(row)
    return rows


def compared_rows(document: dict[str, Any]) -> list[dict[str, Any]]:
    """``report -a/-b`` as flat rows: per group and the total, one row for A, B and the delta
    (the ``side`` column)."""
    rows = []
    for side in ("a", "b", "delta"):
        one_side = {
            "groups": [{"group": g["group"], **g[side]} for g in document["groups"]],
            "total": document["total"][side],
        }
        rows += [{"side": side, **row} for row in flat_rows(one_side)]
    order = {name: i for i, name in enumerate([*(g["group"] for g in document["groups"]), "total"])}
    return sorted(rows, key=lambda row: order[row["group"]])  # stable: a, b, delta per group


def provenance_lines(document: dict[str, Any]) -> list[str]:
    """What made a report, as ``# ...`` lines for the head of its CSV."""
    made = document["generated_by"]
    inputs = document["inputs"]
    options = document["options"]
    sides = options.items() if set(options) == {"a", "b"} else [("", options)]
    lines = [
        f"# {made['tool']} {made['version']} report of {inputs['sessions']} sessions "
        f"({inputs['failed']} failed) from {' '.join(inputs['given'])}; inputs "
        f"{inputs['digest']}"
    ]
    for side, values in sides:
        label = f" {side}" if side else ""
        lines.append(
            f"# options{label}: " + " ".join(f"{k}={option_text(v)}" for k, v in values.items())
        )
    return lines


def option_text(value: Any) -> str:
    """An option value as it is written in -o and INI files (true, not True)."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def number(value: Any) -> str:
    """A figure for people: thousands separators, a dash for no value, yes/no for booleans."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return str(value)


def signed(value: Any) -> str:
    """A delta: ``+3``, ``-1.5``, ``0``, or a dash."""
    if value is None or isinstance(value, bool):
        return "-"
    return ("+" if value > 0 else "") + number(value)


def hms(seconds: float) -> str:
    """Seconds as ``h:mm:ss`` (``1107`` -> ``0:18:27``), whole seconds, truncated."""
    whole = int(seconds)
    sign, whole = ("-", -whole) if whole < 0 else ("", whole)
    return f"{sign}{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def is_long(value: Any) -> bool:
    """A duration of a minute or more: worth its h:mm:ss."""
    return isinstance(value, int | float) and not isinstance(value, bool) and abs(value) >= 60


def duration_text(value: Any) -> str:
    """Seconds for people: the number, and ``(0:18:27)`` beside it from a minute up."""
    return f"{number(value)} ({hms(value)})" if is_long(value) else number(value)


def label(key: str) -> str:
    """A JSON key as a heading: ``customer_wait`` -> ``customer wait``."""
    return key.replace("_", " ")


def grouping(document: dict[str, Any]) -> str:
    """What ``--by`` grouped by, with the zone of a day or an hour: ``hour (Europe/Paris)``."""
    by = document["by"]
    return f"{by} ({document.get('tz', 'UTC')})" if by in ("day", "hour") else by
