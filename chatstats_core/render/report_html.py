"""``report --html``: one self-contained page (inline CSS and SVG, no script, no network).

The page says what made it (version, options, inputs, the sessions' date range) and holds no
wall-clock time, so the same corpus and options give the same bytes. Numbers have thousands
separators; a statistic without a value (an empty distribution) is a dash; durations of a minute
or more show h:mm:ss beside the seconds.

Its pictures are the ones GCXI users read: the Chat Termination matrix (ended by x reason, with
shares), the customer-wait and agent-reply histograms and, with ``--by``, a trend over the
groups. The what-if page (``report -a/-b``) draws both option sets: the two matrices and their
change, the abandoned and stopped shares, both histograms on one axis.
"""

from __future__ import annotations

from html import escape
from typing import Any

from chatstats_core.render import charts
from chatstats_core.render.charts import SIDE_A, SIDE_B, Series
from chatstats_core.render.summaries import (
    FIGURES,
    STATISTICS,
    bucket_label,
    grouping,
    hms,
    is_long,
    label,
    number,
    option_text,
    percent,
    signed,
)

_STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1200px;padding:0 1rem;
color:#222}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{padding:.2rem .6rem;text-align:right}
th{background:#f2f2f2}td:first-child,th:first-child{text-align:left}td{white-space:nowrap}
.charts{display:flex;flex-wrap:wrap;gap:1.5rem 2.5rem;align-items:flex-start}
figure{margin:0;max-width:100%}figcaption{font-size:.85rem;color:#444}
svg{max-width:100%;height:auto}
.made{font-size:.85rem;color:#555}
.made td{text-align:left;vertical-align:top;white-space:normal}
mark{background:#fde8c8;padding:0 .15rem}.hms{color:#777;font-size:.8em}
.wide{overflow-x:auto}
@media print{body{margin:0;max-width:none}.charts{display:block}
figure{break-inside:avoid;margin-bottom:1rem}h2{break-after:avoid}}
"""

#: The distributions drawn as histograms (wait and reply, as GCXI's chat reports show them),
#: with their captions.
DRAWN = {"customer_wait": "Customer waits", "agent_reply": "Agent replies"}
#: The per-group columns of the ``--by`` table: (heading, figure or (distribution, statistic)).
_GROUP_COLUMNS: tuple[tuple[str, str | tuple[str, str]], ...] = (
    ("sessions", "sessions"),
    ("abandoned", "abandoned"),
    ("abandoned %", "abandoned_percent"),
    ("stopped", "interactions_stopped"),
    ("still open", "still_open"),
    ("wait median", ("customer_wait", "median")),
    ("wait p90", ("customer_wait", "p90")),
    ("reply median", ("agent_reply", "median")),
    ("reply p90", ("agent_reply", "p90")),
)
#: The what-if page's per-group columns, each under A and B (the sessions are the same).
_COMPARED_GROUP_COLUMNS = tuple(
    c for c in _GROUP_COLUMNS if c[0] in ("abandoned", "abandoned %", "stopped", "wait p90")
)


def _table(headers: list[str], rows: list[list[str]], css: str = "") -> str:
    """A table of already escaped cells."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    attribute = f" class={css}" if css else ""
    return f"<div class=wide><table{attribute}><tr>{head}</tr>{body}</table></div>"


def _duration_cell(value: Any) -> str:
    if not is_long(value):
        return escape(number(value))
    return f"{escape(number(value))} <span class=hms>{hms(value)}</span>"


def _cells(values: list[Any]) -> list[str]:
    return [escape(number(v)) for v in values]


def _histogram_series(name: str, group: dict[str, Any], side: str = "") -> Series:
    buckets = group["distributions"][name]["buckets"]
    return Series(side, tuple(b["count"] for b in buckets))


def _bucket_names(group: dict[str, Any]) -> tuple[str, ...]:
    """``0-10``, ..., ``3600+``: the caption says seconds."""
    buckets = group["distributions"]["customer_wait"]["buckets"]
    return tuple(bucket_label(b).removesuffix("s").replace("s+", "+") for b in buckets)


def _group(name: str, group: dict[str, Any]) -> str:
    """One report's figures: the matrix and histograms, then the tables."""
    figures = [[escape(label(k)), *_cells([group[k]])] for k in FIGURES]
    messages = [
        [escape(f"messages {label(k)}"), *_cells([v])] for k, v in group["messages"].items()
    ]
    distributions = [
        [
            escape(label(n)),
            escape(number(d["count"])),
            *(_duration_cell(d[k]) for k in STATISTICS[1:]),
        ]
        for n, d in group["distributions"].items()
    ]
    pictures = [
        charts.termination_matrix(
            "Chat termination: ended by x reason", group["ended"], group["sessions"]
        ),
        *(
            charts.histogram(
                f"{caption} (seconds)", _bucket_names(group), (_histogram_series(n, group),)
            )
            for n, caption in DRAWN.items()
        ),
    ]
    return (
        f"<h2>{escape(name)}</h2><div class=charts>{''.join(pictures)}</div>"
        + _table(["figure", "value"], figures + messages)
        + _table(["seconds", *STATISTICS], distributions)
    )


def _compared_group(name: str, group: dict[str, Any]) -> str:
    """One group of ``report -a/-b``: both matrices and their change, the shares, both
    histograms on one axis, then the A/B/change table."""
    a, b, delta = group["a"], group["b"], group["delta"]
    shares = charts.grouped_bars(
        "Abandoned and stopped, % of sessions",
        ("abandoned", "interactions stopped"),
        (
            Series(SIDE_A, (a["abandoned_percent"], _stopped_percent(a))),
            Series(SIDE_B, (b["abandoned_percent"], _stopped_percent(b))),
        ),
        unit="%",
    )
    histograms = [
        charts.histogram(
            f"{caption} (seconds), A and B",
            _bucket_names(a),
            (_histogram_series(n, a, SIDE_A), _histogram_series(n, b, SIDE_B)),
        )
        for n, caption in DRAWN.items()
    ]
    matrices = charts.compared_matrices(a["ended"], b["ended"], a["sessions"], b["sessions"])

    def row(title: str, left: Any, right: Any, change: Any, seconds: bool = False) -> list[str]:
        shown = _duration_cell if seconds else (lambda v: escape(number(v)))
        return [escape(title), shown(left), shown(right), escape(signed(change))]

    rows = [row(label(k), a[k], b[k], delta[k]) for k in FIGURES]
    rows += [
        row(f"ended {k}", a["ended"].get(k, 0), b["ended"].get(k, 0), v)
        for k, v in delta["ended"].items()
    ]
    rows += [
        row(
            f"{label(n)} {stat}",
            a["distributions"][n][stat],
            b["distributions"][n][stat],
            delta["distributions"][n][stat],
            seconds=True,
        )
        for n in a["distributions"]
        for stat in ("mean", "median", "p90")
    ]
    return (
        f"<h2>{escape(name)}</h2>"
        f"<div class=charts>{matrices}</div>"
        f"<div class=charts>{shares}{''.join(histograms)}</div>"
        + _table(["figure", "A", "B", "B - A"], rows)
    )


def _stopped_percent(group: dict[str, Any]) -> float:
    return percent(group["interactions_stopped"], group["sessions"])


def _group_cell(group: dict[str, Any], column: str | tuple[str, str]) -> str:
    """A figure, or a distribution's statistic (seconds, with h:mm:ss)."""
    if isinstance(column, tuple):
        return _duration_cell(group["distributions"][column[0]][column[1]])
    return escape(number(group[column]))


def _groups_section(document: dict[str, Any], compared: bool) -> str:
    """``--by``: a trend over the groups and one row per group (A and B side by side in the
    what-if report)."""
    groups = document["groups"]
    by = document["by"]
    lines: tuple[Series, ...]
    if compared:
        sessions = tuple(g["a"]["sessions"] for g in groups)
        lines = (
            Series(SIDE_A, tuple(g["a"]["abandoned_percent"] for g in groups)),
            Series(SIDE_B, tuple(g["b"]["abandoned_percent"] for g in groups)),
        )
        headers = [by, "sessions"]
        for heading, _ in _COMPARED_GROUP_COLUMNS:
            headers += [f"{heading} A", f"{heading} B"]
        rows = [
            [escape(g["group"]), escape(number(g["a"]["sessions"]))]
            + [
                cell
                for _, column in _COMPARED_GROUP_COLUMNS
                for cell in (_group_cell(g["a"], column), _group_cell(g["b"], column))
            ]
            for g in groups
        ]
    else:
        sessions = tuple(g["sessions"] for g in groups)
        lines = (Series("abandoned %", tuple(g["abandoned_percent"] for g in groups)),)
        headers = [by, *(heading for heading, _ in _GROUP_COLUMNS)]
        rows = [
            [escape(g["group"]), *(_group_cell(g, c) for _, c in _GROUP_COLUMNS)] for g in groups
        ]
    label = grouping(document)
    names = tuple(g["group"] for g in groups)
    trend = charts.trend(f"Sessions and abandoned % by {label}", names, sessions, lines)
    return (
        f"<h2>By {escape(label)}: {len(groups):,} groups</h2>"
        f"<div class=charts>{trend}</div>" + _table(headers, rows)
    )


def _date_range(document: dict[str, Any]) -> str:
    total = document["total"]
    started = total.get("a", total)["started"]
    if started["first"] is None:
        return "no sessions"
    first, last = started["first"][:10], started["last"][:10]
    return first if first == last else f"{first} to {last}"


def _differing(options: dict[str, Any]) -> set[str]:
    if set(options) != {"a", "b"}:
        return set()
    a, b = options["a"], options["b"]
    return {k for k in a if a.get(k) != b.get(k)}


def _made(document: dict[str, Any]) -> str:
    """Version, inputs, dates and options, at the head of the page; on the what-if page the
    options that differ are marked and listed."""
    made, inputs = document["generated_by"], document["inputs"]
    options = document["options"]
    differing = _differing(options)
    sides = list(options.items()) if set(options) == {"a", "b"} else [("", options)]
    rows = [
        ["made by", escape(f"{made['tool']} {made['version']}")],
        [
            "inputs",
            escape(
                f"{' '.join(inputs['given'])}: {number(inputs['sessions'])} "
                f"sessions, {number(inputs['failed'])} failed; "
                f"{inputs['digest']}"
            ),
        ],
        ["sessions started", escape(_date_range(document) + " (UTC)")],
    ]
    if differing:
        a, b = options["a"], options["b"]
        changes = "; ".join(
            escape(f"{k}: {option_text(a[k])}") + " &rarr; " + escape(option_text(b[k]))
            for k in sorted(differing)
        )
        rows.append(["A to B", f"<mark>{changes}</mark>"])
    for side, values in sides:
        text = " ".join(
            f"<mark>{escape(f'{k}={option_text(v)}')}</mark>"
            if k in differing
            else escape(f"{k}={option_text(v)}")
            for k, v in values.items()
        )
        rows.append([escape(f"options {side.upper()}".strip()), text])
    return _table(["", ""], rows, "made")


def page_title(document: dict[str, Any]) -> str:
    """What the page compares, for its title: the changed options on the what-if page."""
    sessions = f"{number(document['inputs']['sessions'])} sessions, {_date_range(document)}"
    differing = sorted(_differing(document["options"]))
    if not differing and set(document["options"]) != {"a", "b"}:
        return f"Chat session report: {sessions}"
    a, b = document["options"]["a"], document["options"]["b"]
    shown = [f"{k.split('/')[-1]} {option_text(a[k])} to {option_text(b[k])}" for k in differing]
    if len(shown) > 2:
        shown = [*shown[:2], f"{len(differing) - 2} more"]
    return f"What if {', '.join(shown) or 'nothing changes'}: {sessions}"


def render_html(document: dict[str, Any], title: str | None = None) -> str:
    """The whole page: a report, or (``report -a/-b``) two side by side."""
    compared = "a" in document["total"]
    heading = title or page_title(document)
    render = _compared_group if compared else _group
    sections = [render("All sessions", document["total"])]
    if document["by"]:
        sections.append(_groups_section(document, compared))
    return (
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>"
        '<meta name=viewport content="width=device-width, initial-scale=1">'
        f"<title>{escape(heading)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{escape(heading)}</h1>" + _made(document) + "".join(sections) + "</body></html>\n"
    )
