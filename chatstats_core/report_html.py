"""``report --html``: one self-contained page (inline CSS and SVG, no script, no network)."""

from __future__ import annotations

from html import escape
from typing import Any

from .report import bucket_label

_STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#222}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{padding:.2rem .6rem;text-align:right}
th{background:#f2f2f2}td:first-child,th:first-child{text-align:left}
.charts{display:flex;flex-wrap:wrap;gap:2rem}figure{margin:0}figcaption{font-size:.85rem}
"""


def _bars(title: str, items: list[tuple[str, float]], width: int = 360) -> str:
    """A horizontal bar chart as inline SVG."""
    if not items:
        return ""
    top = max(v for _, v in items) or 1
    row, label_width = 22, 150
    height = row * len(items) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width + label_width + 60}" '
             f'height="{height}" role="img" aria-label="{escape(title)}">']
    for i, (label, value) in enumerate(items):
        y = i * row + 5
        length = round(width * value / top)
        parts.append(f'<text x="{label_width - 6}" y="{y + 14}" text-anchor="end" '
                     f'font-size="12">{escape(label)}</text>'
                     f'<rect x="{label_width}" y="{y}" width="{length}" height="{row - 6}" '
                     f'fill="#4a7bb7"/><text x="{label_width + length + 4}" y="{y + 14}" '
                     f'font-size="12">{escape(str(value))}</text>')
    parts.append("</svg>")
    return f"<figure>{''.join(parts)}<figcaption>{escape(title)}</figcaption></figure>"


def _table(headers: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in r) + "</tr>"
                   for r in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _group(name: str, group: dict[str, Any]) -> str:
    figures = [[k, group[k]] for k in ("sessions", "abandoned", "abandoned %",
                                       "interactions stopped", "still open", "async sessions",
                                       "sessions with bots")]
    messages = [[k, v] for k, v in group["messages"].items()]
    distributions = [[n, d["count"], d["mean"], d["median"], d["p90"], d["max"]]
                     for n, d in group["distributions"].items()]
    ended = _bars("Chat termination: ended by / reason", list(group["ended"].items()))
    wait = group["distributions"]["customer wait"]["buckets"]
    histogram = _bars("Customer waits (seconds)",
                      [(bucket_label(i), n) for i, n in enumerate(wait)])
    return (f"<h2>{escape(name)}</h2><div class=charts>{ended}{histogram}</div>"
            + _table(["figure", "value"], figures + messages)
            + _table(["seconds", "count", "mean", "median", "p90", "max"], distributions))


def render_html(document: dict[str, Any], title: str = "chatstats report") -> str:
    """The whole page."""
    by = document["by"]
    sections = [_group("All sessions", document["total"])]
    if by:
        sections += [_group(f"{by}: {g['group']}", g) for g in document["groups"]]
    return ("<!DOCTYPE html><html lang=en><head><meta charset=utf-8>"
            f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>"
            f"<h1>{escape(title)}</h1>" + "".join(sections) + "</body></html>\n")
