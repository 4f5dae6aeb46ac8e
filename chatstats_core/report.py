"""``chatstats report``: a corpus summarised the way GCXI's chat reports read.

Sessions are folded into per-group accumulators one at a time, so memory does not grow with the
corpus: distributions are kept as histograms of whole seconds (exact median and p90, memory
bounded by the number of distinct values). Wait and reply distributions are over individual
waits and replies (the intervals behind the cse_ KVPs), not over per-session totals.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .batch import Outcome
from .engine import Result, replay_session
from .errors import warning_lines
from .limits import DEFAULT_LIMITS, Limits
from .model import Transcript
from .options import Options
from .timeutil import format_timestamp


class GroupBy(enum.Enum):
    """What ``--by`` groups sessions by."""

    TENANT = "tenant"
    MEDIA_ORIGIN = "media-origin"
    LANGUAGE = "language"
    MEDIA_TYPE = "media-type"
    ENDED_BY = "ended-by"
    DAY = "day"
    HOUR = "hour"


def group_key(result: Result, by: GroupBy | None) -> str:
    """The group a session falls in (``all`` without grouping; ``-`` when the value is absent)."""
    if by is None:
        return "all"
    transcript = result.timelines.transcript
    started = format_timestamp(transcript.started_at)
    user_data = transcript.user_data
    values = {
        GroupBy.TENANT: str(transcript.tenant_id if transcript.tenant_id is not None
                            else result.options.tenant_id),
        GroupBy.MEDIA_ORIGIN: user_data.get("MediaOrigin"),
        GroupBy.LANGUAGE: user_data.get("GCTI_LanguageName"),
        GroupBy.MEDIA_TYPE: user_data.get("MediaType") or "chat",
        GroupBy.ENDED_BY: result.classification.ended_by or "open",
        GroupBy.DAY: started[:10],
        GroupBy.HOUR: started[:13] + ":00Z",
    }
    return values[by] or "-"


DISTRIBUTIONS = {
    "customer wait": "cse_CustomerWaitTotalCount",
    "agent reply": "cse_AgentReplyTotalCount",
    "agent wait": "cse_AgentWaitTotalCount",
    "customer reply": "cse_CustomerReplyTotalCount",
    "until first agent": "csg_SessionUntilFirstAgentTime",
    "until first reply": "csg_SessionUntilFirstReplyTime",
    "handle": "cse_SessionHandleTotalTime",
    "active idle": "cse_ActiveIdleTotalTime",
    "async dormant": "cse_AsyncDormantTotalTime",
    "async idle": "cse_AsyncIdleTotalTime",
}
_PER_INTERVAL = frozenset({"customer wait", "agent reply", "agent wait", "customer reply"})
_SIDES = {"agents": "Agents", "customers": "Customers", "bots": "Bots"}


class SessionFacts(NamedTuple):
    """What one session adds to a report: all an accumulator needs, small enough to come back
    from a worker process cheaply (a whole Result, with its timelines, does not)."""

    group: str
    abandoned: bool
    stopped: bool
    still_open: bool
    is_async: bool
    with_bots: bool
    ended: str | None  # "BY/REASON", when the session closed
    messages: tuple[tuple[str, int], ...]  # ("agents count", n), ... for every side and what
    samples: tuple[tuple[str, tuple[int, ...]], ...]  # distribution name -> whole seconds


def session_facts(result: Result, by: GroupBy | None = None) -> SessionFacts:
    """The facts of one replayed session, for the group ``by`` puts it in."""
    c = result.classification
    stats = {s.key: s for s in result.stats}
    bots = stats.get("csg_PartiesAsBotCount")
    messages = []
    for side, name in _SIDES.items():
        for what in ("Count", "Size"):
            stat = stats.get(f"csg_MessagesFrom{name}{what}")
            messages.append((f"{side} {what.lower()}", int(stat.value) if stat else 0))
    samples = []
    for name, key in DISTRIBUTIONS.items():
        stat = stats.get(key)
        if stat is None or not stat.fired:
            continue
        if name in _PER_INTERVAL:
            samples.append((name, tuple(span.ms // 1000 for span in stat.intervals)))
        else:
            samples.append((name, (int(stat.value),)))
    return SessionFacts(
        group=group_key(result, by),
        abandoned=c.abandoned is True,
        stopped=c.interaction_stopped is True,
        still_open=result.is_open,
        is_async=result.timelines.is_async,
        with_bots=bool(bots and bots.value),
        ended=c.termination,
        messages=tuple(messages),
        samples=tuple(samples),
    )


@dataclass
class Accumulator:
    """Running figures of one group."""

    sessions: int = 0
    abandoned: int = 0
    stopped: int = 0
    still_open: int = 0
    with_bots: int = 0
    async_sessions: int = 0
    ended: Counter[str] = field(default_factory=Counter)
    messages: Counter[str] = field(default_factory=Counter)
    histograms: dict[str, Counter[int]] = field(
        default_factory=lambda: {name: Counter() for name in DISTRIBUTIONS})

    def add(self, facts: SessionFacts) -> None:
        """Fold one session in."""
        self.sessions += 1
        self.abandoned += facts.abandoned
        self.stopped += facts.stopped
        self.still_open += facts.still_open
        self.async_sessions += facts.is_async
        self.with_bots += facts.with_bots
        if facts.ended is not None:
            self.ended[facts.ended] += 1
        for name, count in facts.messages:
            self.messages[name] += count
        for name, seconds in facts.samples:
            self.histograms[name].update(seconds)

    def summary(self) -> dict[str, Any]:
        """The group's figures as JSON-ready values."""
        share = round(100 * self.abandoned / self.sessions, 1) if self.sessions else 0.0
        return {
            "sessions": self.sessions,
            "abandoned": self.abandoned,
            "abandoned %": share,
            "interactions stopped": self.stopped,
            "still open": self.still_open,
            "async sessions": self.async_sessions,
            "sessions with bots": self.with_bots,
            "ended": dict(sorted(self.ended.items())),
            "messages": dict(self.messages),
            "distributions": {name: describe(h) for name, h in self.histograms.items()},
        }


#: Histogram buckets in seconds, as wait-time reports bucket them; the last is open-ended.
BUCKETS = (0, 10, 30, 60, 120, 300, 900, 3600)


def bucket_label(index: int) -> str:
    """``0-10s``, ..., ``3600s+``."""
    low = BUCKETS[index]
    return f"{low}s+" if index == len(BUCKETS) - 1 else f"{low}-{BUCKETS[index + 1]}s"


def describe(histogram: Counter[int]) -> dict[str, Any]:
    """count, mean, median, p90, max and bucket counts of a histogram of whole seconds."""
    count = sum(histogram.values())
    buckets = [0] * len(BUCKETS)
    for value, n in histogram.items():
        buckets[max(i for i, low in enumerate(BUCKETS) if value >= low)] += n
    if not count:
        return {"count": 0, "mean": 0, "median": 0, "p90": 0, "max": 0, "buckets": buckets}
    values = sorted(histogram)
    total = sum(v * n for v, n in histogram.items())
    return {"count": count, "mean": round(total / count, 1), "median": _quantile(histogram,
            values, count, 0.5), "p90": _quantile(histogram, values, count, 0.9),
            "max": values[-1], "buckets": buckets}


def _quantile(histogram: Counter[int], values: list[int], count: int, q: float) -> int:
    """The smallest value with at least q of the observations at or below it."""
    needed = q * count
    seen = 0
    for value in values:
        seen += histogram[value]
        if seen >= needed:
            return value
    return values[-1]


@dataclass
class Report:
    """Every group's accumulator, and the total."""

    by: GroupBy | None
    groups: dict[str, Accumulator] = field(default_factory=dict)
    total: Accumulator = field(default_factory=Accumulator)

    def add(self, result: Result) -> None:
        """Fold one replayed session into its group and the total."""
        self.add_facts(session_facts(result, self.by))

    def add_facts(self, facts: SessionFacts) -> None:
        """Fold one session's facts (from :class:`ReportJob`) into its group and the total."""
        self.groups.setdefault(facts.group, Accumulator()).add(facts)
        self.total.add(facts)

    def document(self) -> dict[str, Any]:
        """The report as JSON: groups in name order, then the total."""
        return {"by": self.by.value if self.by else None,
                "groups": [{"group": name, **self.groups[name].summary()}
                           for name in sorted(self.groups)],
                "total": self.total.summary()}


@dataclass(frozen=True, slots=True)
class ReportJob:
    """A batch job (see ``batch.run``): each transcript replayed, its outcome's payload the
    session's :class:`SessionFacts`, its warnings said as ``replay`` says them."""

    options: Options
    by: GroupBy | None = None
    limits: Limits = DEFAULT_LIMITS

    def handle(self, transcript: Transcript) -> Outcome:
        """Replay and keep only the facts the report needs."""
        result = replay_session(transcript, self.options)
        return Outcome(transcript.source, payload=session_facts(result, self.by),
                       warnings=warning_lines(transcript.source, result.warnings))


def build(results: Iterable[Result], by: GroupBy | None = None) -> Report:
    """A report over ``results``."""
    report = Report(by)
    for result in results:
        report.add(result)
    return report


def flat_rows(document: dict[str, Any]) -> list[dict[str, Any]]:
    """One flat row per group and one for the total (for CSV)."""
    rows = []
    for group in [*document["groups"], {"group": "total", **document["total"]}]:
        row: dict[str, Any] = {"group": group["group"]}
        for key in ("sessions", "abandoned", "abandoned %", "interactions stopped", "still open",
                    "async sessions", "sessions with bots"):
            row[key] = group[key]
        row.update({f"ended {k}": v for k, v in group["ended"].items()})
        row.update({f"messages {k}": v for k, v in group["messages"].items()})
        for name, figures in group["distributions"].items():
            row.update({f"{name} {k}": v for k, v in figures.items() if k != "buckets"})
        rows.append(row)
    return rows
