"""A computed statistic with its evidence, and the helpers the KVP families share."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from operator import attrgetter
from typing import NamedTuple

from chatstats_core.engine import kvps
from chatstats_core.engine.timelines import Interval
from chatstats_core.transcript.timeutil import whole_seconds

Value = int | str


class Stat(NamedTuple):
    """One KVP as computed: its value, whether it fired, and the evidence behind it.

    ``intervals`` are the spans a duration sums or maximises (or a count counts);
    ``events`` are the transcript events a count or an instant comes from; ``longest``, for a
    ``...MaxTime``, is the index in ``intervals`` of the span that gives the maximum (the first
    longest). A NamedTuple (as immutable as a frozen dataclass, cheaper to build): a replay
    makes about fifty.
    """

    key: str
    value: Value
    fired: bool
    intervals: tuple[Interval, ...] = ()
    events: tuple[int, ...] = ()
    longest: int | None = None


def triple(names: kvps.Triple, intervals: Iterable[Interval]) -> list[Stat]:
    """An interval family's ``TotalCount``, ``TotalTime`` and ``MaxTime``; fired when any.

    The MaxTime's evidence is every interval of the family, with the longest marked.
    """
    spans = tuple(intervals)
    lengths = [end - start - excluded for start, end, _, _, excluded in spans]  # Interval.ms
    total_ms = sum(lengths)
    fired = bool(spans)
    longest = lengths.index(max(lengths)) if spans else None  # the first longest
    return [
        Stat(names.total_count, len(spans), fired, spans),
        Stat(names.total_time, whole_seconds(total_ms), fired, spans),
        Stat(
            names.max_time,
            whole_seconds(lengths[longest]) if longest is not None else 0,
            fired,
            spans,
            longest=longest,
        ),
    ]


def union(spans: Iterable[Interval]) -> tuple[Interval, ...]:
    """The union of spans as disjoint periods, by start: spans that overlap or touch (one ends
    at the instant another begins) make one period, from the first one's start event to the
    event that ends the last of them."""
    periods: list[Interval] = []
    for span in sorted(spans, key=_START):
        if periods and span.start_ms <= periods[-1].end_ms:
            last = periods[-1]
            if span.end_ms > last.end_ms:
                periods[-1] = last._replace(end_ms=span.end_ms, to_event=span.to_event)
            continue
        periods.append(Interval(span.start_ms, span.end_ms, span.from_event, span.to_event))
    return tuple(periods)


_START = attrgetter("start_ms")


class Coverage:
    """Answers "how much of [start, end] do these spans cover" in O(log n) per question.

    The spans must be sorted and disjoint (as dormant periods are); prefix sums of their lengths
    make a query two bisections, where a plain scan would make the replay of a long async
    session quadratic.
    """

    def __init__(self, spans: Iterable[Interval]) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.prefix = [0]
        for span in spans:
            self.starts.append(span.start_ms)
            self.ends.append(span.end_ms)
            self.prefix.append(self.prefix[-1] + span.end_ms - span.start_ms)

    def overlap_ms(self, start: int, end: int) -> int:
        """The covered part of ``[start, end]``."""
        first = bisect_right(self.ends, start)  # spans ending after start
        last = bisect_left(self.starts, end)  # spans starting before end
        if first >= last:
            return 0
        covered = self.prefix[last] - self.prefix[first]
        covered -= max(0, start - self.starts[first])  # the first span may begin earlier
        covered -= max(0, self.ends[last - 1] - end)  # the last span may end later
        return covered
