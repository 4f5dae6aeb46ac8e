"""``report --html``: one self-contained page (inline CSS and SVG, no script, no network).

The page says what made it (version, options, inputs) and holds no wall-clock time, so the same
corpus and options give the same bytes. Numbers have thousands separators; a statistic without a
value (an empty distribution) is a dash.
"""

from __future__ import annotations

from html import escape
from typing import Any

from chatstats_core.workflows.report import FIGURES, STATISTICS, bucket_label, option_text

_STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#222}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{padding:.2rem .6rem;text-align:right}
th{background:#f2f2f2}td:first-child,th:first-child{text-align:left}
.charts{display:flex;flex-wrap:wrap;gap:2rem}figure{margin:0}figcaption{font-size:.85rem}
.made{font-size:.85rem;color:#555}.made td{text-align:left;vertical-align:top}
"""


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


def label(key: str) -> str:
    """A JSON key as a heading: ``customer_wait`` -> ``customer wait``."""
    return key.replace("_", " ")


def _bars(title: str, items: list[tuple[str, float]], width: int = 360) -> str:
    """A horizontal bar chart as inline SVG."""
    if not items:
        return ""
    top = max(v for _, v in items) or 1
    row, label_width = 22, 150
    height = row * len(items) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width + label_width + 60}" '
        f'height="{height}" role="img" aria-label="{escape(title)}">'
    ]
    for i, (name, value) in enumerate(items):
        y = i * row + 5
        length = round(width * value / top)
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 14}" text-anchor="end" '
            f'font-size="12">{escape(name)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{length}" height="{row - 6}" '
            f'fill="#4a7bb7"/><text x="{label_width + length + 4}" y="{y + 14}" '
            f'font-size="12">{escape(number(value))}</text>'
        )
    parts.append("</svg>")
    return f"<figure>{''.join(parts)}<figcaption>{escape(title)}</figcaption></figure>"


def _table(headers: list[str], rows: list[list[Any]], css: str = "") -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    attribute = f" class={css}" if css else ""
    return f"<table{attribute}><tr>{head}</tr>{body}</table>"


def _cells(values: list[Any]) -> list[str]:
    return [escape(number(v)) for v in values]


def _group(name: str, group: dict[str, Any]) -> str:
    figures = [[escape(label(k)), *_cells([group[k]])] for k in FIGURES]
    messages = [
        [escape(f"messages {label(k)}"), *_cells([v])] for k, v in group["messages"].items()
    ]
    distributions = [
        [escape(label(n)), *_cells([d[k] for k in STATISTICS])]
        for n, d in group["distributions"].items()
    ]
    ended = _bars("Chat termination: ended by / reason", list(group["ended"].items()))
    wait = group["distributions"]["customer_wait"]["buckets"]
    histogram = _bars(
        "Customer waits (seconds)", [(bucket_label(i), n) for i, n in enumerate(wait)]
    )
    return (
        f"<h2>{escape(name)}</h2><div class=charts>{ended}{histogram}</div>"
        + _table(["figure", "value"], figures + messages)
        + _table(["seconds", *STATISTICS], distributions)
    )


def _made(document: dict[str, Any]) -> str:
    """Version, inputs and options, at the head of the page."""
    made, inputs = document["generated_by"], document["inputs"]
    options = document["options"]
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
    ]
    for side, values in sides:
        text = " ".join(f"{k}={option_text(v)}" for k, v in values.items())
        rows.append([escape(f"options {side}".strip()), escape(text)])
    return _table(["", ""], rows, "made")


def render_html(document: dict[str, Any], title: str = "chatstats report") -> str:
    """The whole page: a report, or (``report -a/-b``) two side by side."""
    compared = "a" in document["total"]
    render = _compared_group if compared else _group
    by = document["by"]
    sections = [render("All sessions", document["total"])]
    if by:
        sections += [render(f"{by}: {g['group']}", g) for g in document["groups"]]
    return (
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>"
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{escape(title)}</h1>" + _made(document) + "".join(sections) + "</body></html>\n"
    )


def _compared_group(name: str, group: dict[str, Any]) -> str:
    """A/B/delta tables for one group of ``report -a/-b``."""
    a, b, delta = group["a"], group["b"], group["delta"]

    def row(title: str, left: Any, right: Any, change: Any) -> list[str]:
        return [escape(title), *_cells([left, right]), escape(signed(change))]

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
        )
        for n in a["distributions"]
        for stat in ("mean", "median", "p90")
    ]
    return f"<h2>{escape(name)}</h2>" + _table(["figure", "A", "B", "B - A"], rows)
