"""A computed statistic with its evidence, and the helpers the KVP families share."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..timeutil import whole_seconds
from .timelines import Interval

Value = int | str


@dataclass(frozen=True, slots=True)
class Stat:
    """One KVP as computed: its value, whether it fired, and the evidence behind it.

    ``intervals`` are the spans a duration sums or maximises (or a count counts);
    ``events`` are the transcript events a count or an instant comes from.
    """

    key: str
    value: Value
    fired: bool
    intervals: tuple[Interval, ...] = ()
    events: tuple[int, ...] = ()


def triple(prefix: str, intervals: Iterable[Interval]) -> list[Stat]:
    """``{prefix}TotalCount``, ``TotalTime`` and ``MaxTime`` of intervals; fired when any."""
    spans = tuple(intervals)
    total_ms = sum(span.ms for span in spans)
    longest = max(spans, key=lambda span: span.ms, default=None)
    fired = bool(spans)
    return [
        Stat(f"{prefix}TotalCount", len(spans), fired, spans),
        Stat(f"{prefix}TotalTime", whole_seconds(total_ms), fired, spans),
        Stat(f"{prefix}MaxTime", whole_seconds(longest.ms) if longest else 0, fired,
             (longest,) if longest else ()),
    ]


def overlap_ms(start: int, end: int, spans: Iterable[Interval]) -> int:
    """How much of ``[start, end]`` the spans cover (spans do not overlap each other)."""
    return sum(max(0, min(end, s.end_ms) - max(start, s.start_ms)) for s in spans)
