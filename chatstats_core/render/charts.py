"""Inline SVG charts for the report page: no script, no fonts to fetch, the same bytes each time.

Each function returns a ``<figure>`` with its SVG and caption. An SVG has a fixed drawing size
(its ``viewBox``) and scales down to the page's width, so a chart stays whole at 800 px and in
print. Text is escaped; coordinates are rounded to one decimal so the bytes do not depend on
float formatting.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import NamedTuple

#: The two sides of a what-if report, as every chart of it names and colours them.
SIDE_A, SIDE_B = "A", "B"
_COLOURS = {SIDE_A: "#4a7bb7", SIDE_B: "#e08a2c"}
_DEFAULT_COLOUR = "#4a7bb7"
_GRID, _MUTED, _INK = "#ccc", "#666", "#222"
#: The order ended-by and reason values are shown in (others follow, sorted).
_ENDED_BY_ORDER = ("CLIENT", "AGENT", "SUPERVISOR", "BOT", "SYSTEM")
_REASON_ORDER = ("QUIT", "DISCONNECT", "FORCE", "INACTIVE", "DB_ERROR")


class Series(NamedTuple):
    """One named row of values (a side of the what-if report, or a single unnamed one)."""

    name: str
    values: tuple[float, ...]


def _n(value: float) -> str:
    """A coordinate: at most one decimal, no trailing ``.0``."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _count(value: float) -> str:
    return f"{value:,.1f}" if isinstance(value, float) and value % 1 else f"{int(value):,}"


def _peak(series: Sequence[Series], otherwise: float = 1) -> float:
    """The highest value of any series (``otherwise`` when all are 0): the top of a scale."""
    return max((v for s in series for v in s.values), default=0) or otherwise


def _percent(part: float, whole: float) -> float:
    return 100 * part / whole if whole else 0.0


def _colour(series: Series) -> str:
    return _COLOURS.get(series.name, _DEFAULT_COLOUR)


def _text(
    x: float, y: float, text: str, anchor: str = "start", size: int = 12, **extra: str
) -> str:
    attributes = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in extra.items())
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" font-size="{size}"'
        f"{attributes}>{escape(text)}</text>"
    )


def _rect(x: float, y: float, width: float, height: float, fill: str, extra: str = "") -> str:
    return (
        f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(width)}" height="{_n(height)}" '
        f'fill="{fill}"{extra}/>'
    )


def _figure(title: str, width: float, height: float, body: list[str], note: str = "") -> str:
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(width)}" height="{_n(height)}" '
        f'viewBox="0 0 {_n(width)} {_n(height)}" role="img" aria-label="{escape(title)}" '
        f'font-family="system-ui,sans-serif">{"".join(body)}</svg>'
    )
    caption = escape(title) + (f"<br>{escape(note)}" if note else "")
    return f"<figure>{svg}<figcaption>{caption}</figcaption></figure>"


def _legend(series: Sequence[Series], x: float, y: float) -> list[str]:
    """Coloured squares with the series' names, in a row (none for one unnamed series)."""
    parts = []
    for s in series:
        if not s.name:
            continue
        parts.append(_rect(x, y - 10, 10, 10, _colour(s)))
        parts.append(_text(x + 14, y, s.name))
        x += 24 + 7 * len(s.name)
    return parts


def _ordered(values: Sequence[str], preferred: Sequence[str]) -> list[str]:
    known = [v for v in preferred if v in values]
    return known + sorted(v for v in set(values) if v not in preferred)


def _axes(ended: Sequence[Mapping[str, int]]) -> tuple[list[str], list[str]]:
    """The ended-by rows and reason columns that any of ``ended`` has."""
    pairs = [key.split("/", 1) for counts in ended for key in counts if "/" in key]
    rows = _ordered([by for by, _ in pairs], _ENDED_BY_ORDER)
    columns = _ordered([reason for _, reason in pairs], _REASON_ORDER)
    return rows, columns


_CELL_W, _CELL_H, _HEAD_W, _HEAD_H = 72, 40, 76, 22


def _matrix(
    title: str,
    rows: list[str],
    columns: list[str],
    cell: dict[tuple[str, str], tuple[str, str, str]],
    note: str,
) -> str:
    """A grid: a heading row, a heading column, and each cell's (fill, main text, small text)."""
    width = _HEAD_W + _CELL_W * max(len(columns), 1) + 4
    height = _HEAD_H + _CELL_H * max(len(rows), 1) + 4
    body = [
        _text(_HEAD_W + _CELL_W * (i + 0.5), 15, column, "middle", 11, fill=_MUTED)
        for i, column in enumerate(columns)
    ]
    for j, row in enumerate(rows):
        y = _HEAD_H + _CELL_H * j
        body.append(_text(_HEAD_W - 8, y + _CELL_H / 2 + 4, row, "end", 11, fill=_MUTED))
        for i, column in enumerate(columns):
            fill, main, small = cell[(row, column)]
            x = _HEAD_W + _CELL_W * i
            body.append(
                _rect(x, y, _CELL_W - 2, _CELL_H - 2, fill, f' stroke="{_GRID}" stroke-width="0.5"')
            )
            body.append(_text(x + _CELL_W / 2 - 1, y + 17, main, "middle", 13, font_weight="600"))
            body.append(_text(x + _CELL_W / 2 - 1, y + 31, small, "middle", 10, fill=_INK))
    if not rows:
        body.append(_text(8, _HEAD_H + 24, "no closed sessions", fill=_MUTED))
    return _figure(title, width, height, body, note)


def _shade(rgb: tuple[int, int, int], strength: float) -> str:
    """``rgb`` mixed with white: 0 is white, 1 the colour itself."""
    strength = max(0.0, min(1.0, strength))
    mixed = (round(255 - (255 - c) * strength) for c in rgb)
    return "#" + "".join(f"{c:02x}" for c in mixed)


_BLUE, _ORANGE = (74, 123, 183), (224, 138, 44)


def _share_cells(
    counts: Mapping[str, int], rows: list[str], columns: list[str]
) -> dict[tuple[str, str], tuple[str, str, str]]:
    total = sum(counts.values())
    top = max(counts.values(), default=0)
    cells = {}
    for row in rows:
        for column in columns:
            n = counts.get(f"{row}/{column}", 0)
            share = _percent(n, total)
            fill = _shade(_BLUE, 0.85 * n / top) if top else "#fff"
            cells[(row, column)] = (fill, f"{n:,}", f"{share:.1f}%")
    return cells


def termination_matrix(title: str, ended: Mapping[str, int], sessions: int) -> str:
    """GCXI's Chat Termination matrix: a cell per ended-by x reason, its sessions and share of
    the closed sessions, shaded by count."""
    rows, columns = _axes([ended])
    closed = sum(ended.values())
    note = f"% of {closed:,} closed sessions" + (
        f" ({sessions - closed:,} still open)" if sessions > closed else ""
    )
    return _matrix(title, rows, columns, _share_cells(ended, rows, columns), note)


def compared_matrices(
    a: Mapping[str, int], b: Mapping[str, int], a_sessions: int, b_sessions: int
) -> str:
    """The termination matrix under A and under B on the same rows and columns, and their
    change: sessions and share points, orange where B has more, blue where fewer."""
    rows, columns = _axes([a, b])
    total_a, total_b = sum(a.values()), sum(b.values())
    change = {}
    top = max((abs(b.get(k, 0) - a.get(k, 0)) for k in {*a, *b}), default=0)
    for row in rows:
        for column in columns:
            key = f"{row}/{column}"
            d = b.get(key, 0) - a.get(key, 0)
            points = _percent(b.get(key, 0), total_b) - _percent(a.get(key, 0), total_a)
            fill = _shade(_ORANGE if d > 0 else _BLUE, 0.85 * abs(d) / top) if top else "#fff"
            main = f"{d:+,}" if d else "0"
            change[(row, column)] = (fill, main, f"{points:+.1f} pt" if d else "")
    sides = [
        _matrix(
            f"Chat termination under {side}",
            rows,
            columns,
            _share_cells(counts, rows, columns),
            f"% of {sum(counts.values()):,} closed sessions of {sessions:,}",
        )
        for side, counts, sessions in ((SIDE_A, a, a_sessions), (SIDE_B, b, b_sessions))
    ]
    return "".join(sides) + _matrix(
        f"Change, {SIDE_B} - {SIDE_A}",
        rows,
        columns,
        change,
        "sessions, and share points of the closed sessions",
    )


def histogram(title: str, buckets: Sequence[str], series: Sequence[Series]) -> str:
    """Vertical bars per bucket, one per series side by side on one axis, each with its count."""
    bar = 22 if len(series) > 1 else 40
    group = bar * len(series) + 16  # room for the widest label, 900-3600
    left, top, plot_h = 44, 28, 150
    width = left + group * len(buckets) + 10
    height = top + plot_h + 40
    peak = _peak(series)
    body = _legend(series, left, 14)
    body += [
        f'<line x1="{left}" y1="{top + plot_h}" x2="{_n(width - 6)}" y2="{top + plot_h}" '
        f'stroke="{_MUTED}"/>',
        _text(left - 6, top + 4, _count(peak), "end", 10, fill=_MUTED),
        _text(left - 6, top + plot_h, "0", "end", 10, fill=_MUTED),
        f'<line x1="{left}" y1="{top}" x2="{_n(width - 6)}" y2="{top}" stroke="{_GRID}" '
        'stroke-dasharray="3 3"/>',
    ]
    for i, name in enumerate(buckets):
        x0 = left + group * i + 7
        for k, s in enumerate(series):
            value = s.values[i]
            h = plot_h * value / peak
            x = x0 + bar * k
            body.append(_rect(x, top + plot_h - h, bar - 2, h, _colour(s)))
            if value:
                body.append(
                    _text(x + (bar - 2) / 2, top + plot_h - h - 3, _count(value), "middle", 9)
                )
        body.append(
            _text(x0 + bar * len(series) / 2, top + plot_h + 16, name, "middle", 10, fill=_MUTED)
        )
    return _figure(title, width, height, body)


def grouped_bars(
    title: str, categories: Sequence[str], series: Sequence[Series], unit: str = ""
) -> str:
    """Horizontal bars: per category, one bar per series, each with its value."""
    label_w, plot_w, bar = 150, 280, 16
    block = bar * len(series) + 12
    width = label_w + plot_w + 70
    height = 24 + block * len(categories)
    peak = _peak(series)
    body = _legend(series, label_w, 14)
    for i, category in enumerate(categories):
        y0 = 24 + block * i
        body.append(_text(label_w - 8, y0 + block / 2, category, "end", 12))
        for k, s in enumerate(series):
            value = s.values[i]
            length = plot_w * value / peak
            y = y0 + bar * k
            body.append(_rect(label_w, y, length, bar - 3, _colour(s)))
            body.append(_text(label_w + length + 4, y + bar - 5, f"{_count(value)}{unit}", size=11))
    return _figure(title, width, height, body)


def trend(
    title: str, groups: Sequence[str], sessions: Sequence[int], lines: Sequence[Series]
) -> str:
    """Over the groups in order: sessions as grey bars (left scale) and each series as a line
    of percentages (right scale, 0 to the highest)."""
    step = max(6.0, min(48.0, 900 / max(len(groups), 1)))
    left, top, plot_h = 110, 28, 160  # the first label, slanted, reaches back left
    width = left + step * len(groups) + 48
    every = max(1, -(-len(groups) // 12))  # at most a dozen labels under the axis
    height = top + plot_h + 120
    peak = max(sessions, default=0) or 1
    percent_top = _peak(lines, otherwise=100)
    bottom = top + plot_h
    body = _legend(lines, left, 14)
    body += [
        f'<line x1="{left}" y1="{bottom}" x2="{_n(width - 40)}" y2="{bottom}" stroke="{_MUTED}"/>',
        _text(left - 6, top + 4, f"{peak:,}", "end", 10, fill=_MUTED),
        _text(left - 6, bottom, "0", "end", 10, fill=_MUTED),
        _text(width - 36, top + 4, f"{_count(percent_top)}%", size=10, fill=_MUTED),
        _text(width - 36, bottom, "0%", size=10, fill=_MUTED),
        _text(
            left,
            height - 4,
            "bars: sessions (left scale); lines: % (right scale)",
            size=10,
            fill=_MUTED,
        ),
    ]
    for i, (name, count) in enumerate(zip(groups, sessions, strict=True)):
        x = left + step * i
        h = plot_h * count / peak
        body.append(_rect(x + 1, bottom - h, step - 2, h, "#d5d9de"))
        if i % every == 0:
            cx, cy = x + step / 2, bottom + 10
            body.append(
                _text(
                    cx, cy, name, "end", 10, fill=_MUTED, transform=f"rotate(-40 {_n(cx)} {_n(cy)})"
                )
            )
    for s in lines:
        points = " ".join(
            f"{_n(left + step * (i + 0.5))},{_n(bottom - plot_h * v / percent_top)}"
            for i, v in enumerate(s.values)
        )
        dashes = ' stroke-dasharray="6 4"' if s.name == SIDE_B else ""  # A shows through
        body.append(
            f'<polyline points="{points}" fill="none" stroke="{_colour(s)}" '
            f'stroke-width="2"{dashes}/>'
        )
        if len(s.values) <= 60:  # a dot per group while they can be told apart
            body += [
                f'<circle cx="{_n(left + step * (i + 0.5))}" '
                f'cy="{_n(bottom - plot_h * v / percent_top)}" r="2.5" fill="{_colour(s)}"/>'
                for i, v in enumerate(s.values)
            ]
    return _figure(title, width, height, body)
