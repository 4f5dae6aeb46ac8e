"""``chatstats report``: a corpus summarised the way GCXI's chat reports read.

Sessions are folded into per-group accumulators one at a time, so memory does not grow with the
corpus: distributions are kept as histograms of whole seconds (exact median and p90, memory
bounded by the number of distinct values). Wait and reply distributions are over individual
waits and replies (the intervals behind the cse_ KVPs), not over per-session totals.

A report says what produced it: the chatstats version, the options in effect, the inputs as
given, how many sessions, and a digest of their sources in order. It holds no wall-clock time, so
the same inputs and options give the same bytes. ``compare_documents`` puts two reports of the
same corpus (two option sets) side by side with their deltas.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from importlib import resources
from types import ModuleType
from typing import TYPE_CHECKING, Any, NamedTuple
from zoneinfo import ZoneInfo

from chatstats_core import __version__
from chatstats_core.corpus.batch import Outcome
from chatstats_core.corpus.inputs import RawItem, UnreadFile
from chatstats_core.corpus.native import report_natively
from chatstats_core.engine import Result, kvps, replay_session
from chatstats_core.engine.options import Options
from chatstats_core.render.summaries import percent
from chatstats_core.transcript.limits import DEFAULT_LIMITS, Limits
from chatstats_core.transcript.model import Transcript
from chatstats_core.transcript.timeutil import format_timestamp
from chatstats_core.workflows.choices import GroupBy as GroupBy

if TYPE_CHECKING:
    from chatstats_core import _native

UTC_NAME = "UTC"
_OFFSET = re.compile(r"^([+-])(\d{2}):(\d{2})$")


@functools.lru_cache(maxsize=64)
def time_zone(name: str) -> tzinfo:
    """The zone ``--tz`` names: ``UTC``, an offset (``+05:30``) or an IANA name
    (``Europe/Paris``), read from the tzdata package so that every machine groups alike;
    ValueError for anything else."""
    if name == UTC_NAME:
        return UTC
    offset = _OFFSET.match(name)
    if offset:
        sign, hours, minutes = offset.groups()
        if int(hours) > 23 or int(minutes) > 59:
            raise ValueError(f"{name!r} is not an offset from -23:59 to +23:59")
        delta = timedelta(hours=int(hours), minutes=int(minutes))
        return timezone(-delta if sign == "-" else delta)
    parts = name.split("/")
    if not all(re.fullmatch(r"[A-Za-z0-9_+\-]+", part) for part in parts):
        raise ValueError(f"{name!r} is not a time zone name")
    try:
        path = resources.files("tzdata.zoneinfo").joinpath(*parts)
        with path.open("rb") as data:
            return ZoneInfo.from_file(data, key=name)
    except (OSError, ValueError, ModuleNotFoundError):
        raise ValueError(
            f"{name!r} is not a time zone (an IANA name such as Europe/Paris, UTC, or +05:30)"
        ) from None


def group_inputs(result: Result) -> GroupInputs:
    """What ``--by`` can group ``result``'s session by."""
    transcript = result.timelines.transcript
    user_data = transcript.user_data
    tenant = transcript.tenant_id if transcript.tenant_id is not None else result.options.tenant_id
    return GroupInputs(
        str(tenant),
        user_data.get("MediaOrigin"),
        user_data.get("GCTI_LanguageName"),
        user_data.get("MediaType") or "chat",
        result.classification.ended_by,
        format_timestamp(transcript.started_at),
    )


class GroupInputs(NamedTuple):
    """What ``--by`` can group a session by (``started``: its start, ``YYYY-MM-DDTHH:MM:SSZ``)."""

    tenant: str
    media_origin: str | None
    language: str | None
    media_type: str
    ended_by: str | None
    started: str


def group_of(by: GroupBy, inputs: GroupInputs, zone: str = UTC_NAME) -> str:
    """The group ``by`` puts a session in (``-`` when the value is absent); a day or an hour
    is the start's in ``zone``, an hour written with its offset (``2026-01-05T10:00Z``,
    ``2026-01-05T11:00+01:00``) so that the hour a clock goes back through is two groups."""
    if by is GroupBy.DAY or by is GroupBy.HOUR:
        return _local_time(inputs.started, by, zone)
    values = {
        GroupBy.TENANT: inputs.tenant,
        GroupBy.MEDIA_ORIGIN: inputs.media_origin,
        GroupBy.LANGUAGE: inputs.language,
        GroupBy.MEDIA_TYPE: inputs.media_type,
        GroupBy.ENDED_BY: inputs.ended_by or "open",
    }
    return values[by] or "-"


def _local_time(started: str, by: GroupBy, zone: str) -> str:
    utc = started[:10] if by is GroupBy.DAY else started[:13] + ":00Z"
    if zone == UTC_NAME:  # the common case, without a datetime per session
        return utc
    try:
        local = datetime.fromisoformat(started).astimezone(time_zone(zone))
    except OverflowError:  # year 1 or 9999 moved past the calendar's ends: stay in UTC
        return utc
    if by is GroupBy.DAY:
        return f"{local.year:04d}-{local.month:02d}-{local.day:02d}"
    hour = local.replace(minute=0, second=0, microsecond=0)
    return hour.isoformat(timespec="minutes").replace("+00:00", "Z")


def _group_order(by: GroupBy | None, names: Iterable[str]) -> list[str]:
    """Groups in name order; hours in time order (an hour's name carries its offset)."""
    if by is not GroupBy.HOUR:
        return sorted(names)

    def instant(name: str) -> tuple[int, datetime | str]:
        try:
            return (0, datetime.fromisoformat(name))
        except ValueError:
            return (1, name)

    return sorted(names, key=instant)


#: Each distribution (its JSON key; shown with spaces) and the KVP whose evidence feeds it.
DISTRIBUTIONS = {
    "customer_wait": kvps.cse_CustomerWaitTotalCount,
    "agent_reply": kvps.cse_AgentReplyTotalCount,
    "agent_wait": kvps.cse_AgentWaitTotalCount,
    "customer_reply": kvps.cse_CustomerReplyTotalCount,
    "until_first_agent": kvps.csg_SessionUntilFirstAgentTime,
    "until_first_reply": kvps.csg_SessionUntilFirstReplyTime,
    "handle": kvps.cse_SessionHandleTotalTime,
    "active_idle": kvps.cse_ActiveIdleTotalTime,
    "async_dormant": kvps.cse_AsyncDormantTotalTime,
    "async_idle": kvps.cse_AsyncIdleTotalTime,
}
_PER_INTERVAL = frozenset({"customer_wait", "agent_reply", "agent_wait", "customer_reply"})
_SIDES = {
    "agents": kvps.MESSAGES_FROM_AGENTS,
    "customers": kvps.MESSAGES_FROM_CUSTOMERS,
    "bots": kvps.MESSAGES_FROM_BOTS,
}


class SessionFacts(NamedTuple):
    """What one session adds to a report: all an accumulator needs, small enough to come back
    from a worker process cheaply (a whole Result, with its timelines, does not)."""

    group: str
    started: str  # the session's start, YYYY-MM-DDTHH:MM:SSZ
    abandoned: bool
    stopped: bool
    still_open: bool
    is_async: bool
    with_bots: bool
    ended: str | None  # "BY/REASON", when the session closed
    messages: tuple[tuple[str, int], ...]  # ("agents_count", n), ... for every side and what
    samples: tuple[tuple[str, tuple[int, ...]], ...]  # distribution name -> whole seconds


def session_facts(result: Result, by: GroupBy | None = None, zone: str = UTC_NAME) -> SessionFacts:
    """The facts of one replayed session, for the group ``by`` puts it in."""
    c = result.classification
    inputs = group_inputs(result)
    stats = {s.key: s for s in result.stats}
    bots = stats.get(kvps.csg_PartiesAsBotCount)
    messages = []
    for side, names in _SIDES.items():
        for what, key in (("count", names.messages), ("size", names.characters)):
            stat = stats.get(key)
            messages.append((f"{side}_{what}", int(stat.value) if stat else 0))
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
        group="all" if by is None else group_of(by, inputs, zone),
        started=inputs.started,
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
    first_started: str | None = None
    last_started: str | None = None
    abandoned: int = 0
    stopped: int = 0
    still_open: int = 0
    with_bots: int = 0
    async_sessions: int = 0
    ended: Counter[str] = field(default_factory=Counter)
    messages: Counter[str] = field(default_factory=Counter)
    histograms: dict[str, Counter[int]] = field(
        default_factory=lambda: {name: Counter() for name in DISTRIBUTIONS}
    )

    def add(self, facts: SessionFacts) -> None:
        """Fold one session in."""
        self.sessions += 1
        if self.first_started is None or facts.started < self.first_started:
            self.first_started = facts.started
        if self.last_started is None or facts.started > self.last_started:
            self.last_started = facts.started
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
        return {
            "sessions": self.sessions,
            "abandoned": self.abandoned,
            "abandoned_percent": percent(self.abandoned, self.sessions),
            "interactions_stopped": self.stopped,
            "still_open": self.still_open,
            "async_sessions": self.async_sessions,
            "sessions_with_bots": self.with_bots,
            "started": {"first": self.first_started, "last": self.last_started},
            "ended": dict(sorted(self.ended.items())),
            "messages": dict(self.messages),
            "distributions": {name: describe(h) for name, h in self.histograms.items()},
        }


#: Histogram buckets in seconds, as wait-time reports bucket them; the last is open-ended.
BUCKETS = (0, 10, 30, 60, 120, 300, 900, 3600)


def _buckets(counts: Sequence[int]) -> list[dict[str, Any]]:
    """Bucket counts with their bounds: ``from`` seconds inclusive, ``to`` exclusive (None: no
    upper bound)."""
    highs = [*BUCKETS[1:], None]
    return [
        {"from": low, "to": high, "count": n}
        for low, high, n in zip(BUCKETS, highs, counts, strict=True)
    ]


def describe(histogram: Counter[int]) -> dict[str, Any]:
    """count, mean, median, p90, max and the buckets of a histogram of whole seconds; an empty
    one has None for each statistic (no value, not zero)."""
    count = sum(histogram.values())
    counts = [0] * len(BUCKETS)
    for value, n in histogram.items():
        counts[max(i for i, low in enumerate(BUCKETS) if value >= low)] += n
    buckets = _buckets(counts)
    if not count:
        return {
            "count": 0,
            "mean": None,
            "median": None,
            "p90": None,
            "max": None,
            "buckets": buckets,
        }
    values = sorted(histogram)
    total = sum(v * n for v, n in histogram.items())
    return {
        "count": count,
        "mean": round(total / count, 1),
        "median": _quantile(histogram, values, count, 0.5),
        "p90": _quantile(histogram, values, count, 0.9),
        "max": values[-1],
        "buckets": buckets,
    }


def _quantile(histogram: Counter[int], values: list[int], count: int, q: float) -> int:
    """The smallest value with at least q of the observations at or below it."""
    needed = q * count
    seen = 0
    for value in values:
        seen += histogram[value]
        if seen >= needed:
            return value
    return values[-1]


class InputDigest:
    """What a report was made from: the inputs as given, and a digest of every session's source
    in input order (the same whatever ``--jobs``), without keeping them."""

    def __init__(self, given: Iterable[str] = ()) -> None:
        self.given = tuple(given)
        self.sessions = 0
        self.hash = hashlib.sha256()

    def add(self, source: str) -> None:
        """One session, from ``source`` (a file, or ``file:line`` in JSON Lines)."""
        self.sessions += 1
        self.hash.update(source.encode("utf-8", "surrogateescape") + b"\n")

    def document(self, failed: int = 0) -> dict[str, Any]:
        """``{"given", "sessions", "failed", "digest"}``."""
        return {
            "given": list(self.given),
            "sessions": self.sessions,
            "failed": failed,
            "digest": "sha256:" + self.hash.hexdigest(),
        }


def generated_by() -> dict[str, str]:
    """The tool and version that made a report."""
    return {"tool": "chatstats", "version": __version__}


@dataclass
class Report:
    """Every group's accumulator, and the total."""

    by: GroupBy | None
    zone: str = UTC_NAME  # what a day or an hour is in
    groups: dict[str, Accumulator] = field(default_factory=dict)
    total: Accumulator = field(default_factory=Accumulator)

    def add(self, result: Result) -> None:
        """Fold one replayed session into its group and the total."""
        self.add_facts(session_facts(result, self.by, self.zone))

    def add_facts(self, facts: SessionFacts) -> None:
        """Fold one session's facts (from :class:`ReportTask`) into its group and the total."""
        if self.by is not None:
            self.groups.setdefault(facts.group, Accumulator()).add(facts)
        self.total.add(facts)

    def document(
        self, options: Options | None = None, inputs: InputDigest | None = None, failed: int = 0
    ) -> dict[str, Any]:
        """The report as JSON: what made it, the groups in name order (with ``--by`` only:
        without it the total is the one group), then the total."""
        return {
            "generated_by": generated_by(),
            "options": (options or Options()).effective(),
            "inputs": (inputs or InputDigest()).document(failed),
            "by": self.by.value if self.by else None,
            "tz": self.zone,
            "groups": [
                {"group": name, **self.groups[name].summary()}
                for name in _group_order(self.by, self.groups)
            ],
            "total": self.total.summary(),
        }


def compare_documents(left: dict[str, Any], right: dict[str, Any]) -> dict[str, Any]:
    """Two reports of the same corpus (options A and B) side by side: each group and the total
    as ``{"a": ..., "b": ..., "delta": ...}`` where delta is B - A for every number."""
    by = GroupBy(left["by"]) if left["by"] else None
    groups = _group_order(
        by, {g["group"] for g in left["groups"]} | {g["group"] for g in right["groups"]}
    )
    by_name = [{g["group"]: g for g in document["groups"]} for document in (left, right)]
    empty = Accumulator().summary()
    return {
        "generated_by": left["generated_by"],
        "options": {"a": left["options"], "b": right["options"]},
        "inputs": left["inputs"],
        "by": left["by"],
        "tz": left["tz"],
        "groups": [
            {
                "group": name,
                **_side_by_side(by_name[0].get(name, empty), by_name[1].get(name, empty)),
            }
            for name in groups
        ],
        "total": _side_by_side(left["total"], right["total"]),
    }


def _side_by_side(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    a = {k: v for k, v in a.items() if k != "group"}
    b = {k: v for k, v in b.items() if k != "group"}
    delta = _delta(a, b)
    delta.pop("started")  # the same sessions on both sides: no change to show
    return {"a": a, "b": b, "delta": delta}


def _delta(a: Any, b: Any) -> Any:
    """B - A for numbers, key by key for mappings (a key on one side only counts 0 on the
    other), element by element for lists; None where either side has no value. A bucket keeps
    its bounds."""
    if isinstance(a, dict) and "from" in a and "count" in a:
        return {**a, "count": b["count"] - a["count"]}
    if isinstance(a, dict) or isinstance(b, dict):
        a, b = a or {}, b or {}
        keys = [*a, *(k for k in b if k not in a)]
        return {
            k: _delta(
                a.get(k, 0 if _is_count(b.get(k)) else None),
                b.get(k, 0 if _is_count(a.get(k)) else None),
            )
            for k in keys
        }
    if isinstance(a, list) and isinstance(b, list):
        return [_delta(x, y) for x, y in zip(a, b, strict=True)]
    if _is_number(a) and _is_number(b):
        return round(b - a, 1) if isinstance(a, float) or isinstance(b, float) else b - a
    return None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True, slots=True)
class ReportTask:
    """A batch task (see ``batch.run``): each transcript replayed, its outcome's payload the
    session's :class:`SessionFacts`, its warnings said as ``replay`` says them."""

    options: Options
    by: GroupBy | None = None
    limits: Limits = DEFAULT_LIMITS
    zone: str = UTC_NAME

    def handle(self, transcript: Transcript) -> Outcome:
        """Replay and keep only the facts the report needs."""
        result = replay_session(transcript, self.options)
        return Outcome(
            transcript.source,
            payload=session_facts(result, self.by, self.zone),
            warnings=result.warnings,
        )

    def natively(
        self, core: ModuleType, items: Sequence[RawItem | UnreadFile], threads: int = 1
    ) -> list[Outcome | str]:
        """Each item's facts from the native core, or why it declined the item."""
        grouping = (self.by, self.zone)
        sets = (self.options,)
        return _native_facts(core, items, sets, grouping, self.limits, lambda f: f[0], threads)


@dataclass(frozen=True, slots=True)
class ComparedReportTask:
    """A batch task: each transcript replayed under two option sets (``report -a/-b``); the
    payload is the session's facts under each."""

    left: Options
    right: Options
    by: GroupBy | None = None
    limits: Limits = DEFAULT_LIMITS
    zone: str = UTC_NAME

    def handle(self, transcript: Transcript) -> Outcome:
        """Replay under both sides and keep only the facts."""
        left = replay_session(transcript, self.left)
        right = replay_session(transcript, self.right)
        facts = (session_facts(left, self.by, self.zone), session_facts(right, self.by, self.zone))
        return Outcome(
            transcript.source,
            payload=facts,
            warnings=left.warnings,
        )

    def natively(
        self, core: ModuleType, items: Sequence[RawItem | UnreadFile], threads: int = 1
    ) -> list[Outcome | str]:
        """Each item's facts under both sides from the native core (parsed once), or why it
        declined the item."""
        grouping = (self.by, self.zone)
        sets = (self.left, self.right)
        return _native_facts(core, items, sets, grouping, self.limits, tuple, threads)


def _native_facts(
    core: ModuleType,
    items: Sequence[RawItem | UnreadFile],
    option_sets: tuple[Options, ...],
    grouping: tuple[GroupBy | None, str],
    limits: Limits,
    payload: Callable[[list[SessionFacts]], Any],
    threads: int = 1,
) -> list[Outcome | str]:
    """Outcomes of report facts from the native core (one per option set, made into the
    payload by ``payload``), or the reasons it declined items."""
    found: list[Outcome | str] = []
    answers = report_natively(core, items, option_sets, limits, threads)
    for item, answer in zip(items, answers, strict=True):
        if isinstance(answer, str):
            found.append(answer)
            continue
        facts, warnings = answer
        found.append(
            Outcome(
                item.source,
                payload=payload([_facts_from_native(f, *grouping) for f in facts]),
                warnings=warnings,
            )
        )
    return found


def _facts_from_native(facts: _native.Facts, by: GroupBy | None, zone: str) -> SessionFacts:
    """SessionFacts from the native core's (``native/src/report.rs: Facts``)."""
    names = [f"{side}_{what}" for side in _SIDES for what in ("count", "size")]
    inputs = GroupInputs(
        facts.tenant,
        facts.media_origin,
        facts.language,
        facts.media_type,
        facts.ended_by,
        facts.started,
    )
    return SessionFacts(
        group="all" if by is None else group_of(by, inputs, zone),
        started=inputs.started,
        abandoned=facts.abandoned,
        stopped=facts.stopped,
        still_open=facts.still_open,
        is_async=facts.is_async,
        with_bots=facts.with_bots,
        ended=facts.ended,
        messages=tuple(zip(names, facts.messages, strict=True)),
        samples=tuple((name, tuple(values)) for name, values in facts.samples),
    )


class ReportTally:
    """What ``report`` adds up over a batch: the digest of its inputs and one :class:`Report`,
    or two for ``-a/-b`` (the same sessions under each option set); and the task that makes
    each session's facts."""

    def __init__(
        self,
        given: Iterable[str],
        options: Options,
        by: GroupBy | None = None,
        zone: str = UTC_NAME,
        sides: tuple[Options, Options] | None = None,
    ) -> None:
        self.inputs = InputDigest(given)
        self.options = options
        self.by = by
        self.zone = zone
        self.sides = sides
        self.reports = tuple(Report(by, zone) for _ in (sides or (options,)))

    def task(self, limits: Limits = DEFAULT_LIMITS) -> ReportTask | ComparedReportTask:
        """The batch task whose outcomes :meth:`add` takes."""
        if self.sides is None:
            return ReportTask(self.options, self.by, limits, self.zone)
        return ComparedReportTask(*self.sides, self.by, limits, self.zone)

    def add(self, outcome: Outcome) -> None:
        """One session's outcome (its facts, or its facts under A and B)."""
        self.inputs.add(outcome.source)
        if self.sides is None:
            self.reports[0].add_facts(outcome.payload)
            return
        for report, facts in zip(self.reports, outcome.payload, strict=True):
            report.add_facts(facts)

    def document(self, failed: int = 0) -> dict[str, Any]:
        """The report's JSON document (two side by side, with the deltas, for ``-a/-b``)."""
        if self.sides is None:
            return self.reports[0].document(self.options, self.inputs, failed)
        left, right = (
            report.document(options, self.inputs, failed)
            for report, options in zip(self.reports, self.sides, strict=True)
        )
        return compare_documents(left, right)
