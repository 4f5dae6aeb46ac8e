"""``chatstats explain``: each KVP's value, its rule, and the evidence it was computed from.

Nothing is recomputed here: the intervals and events are the ones the KVP families returned with
their values (``Result.stats``), so an explanation cannot drift from the number it explains.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from chatstats_core.engine import RULES, Result, kvps
from chatstats_core.engine.families.ending import CLASSIFICATION_FIELDS
from chatstats_core.engine.rules import checked_kvp_names
from chatstats_core.engine.timelines import Interval, Timelines
from chatstats_core.safetext import clipped
from chatstats_core.transcript.model import Event, EventKind, Role, Transcript
from chatstats_core.transcript.timeutil import offset_seconds

_EXCERPT = 40


@dataclass(frozen=True, slots=True)
class Explanation:
    """One KVP (or classification field) with its rule and evidence."""

    key: str
    value: Any
    attached: bool
    rule: str
    intervals: tuple[Interval, ...]
    events: tuple[int, ...]
    longest: int | None = None  # for a ...MaxTime: the index of the interval that gives it


def explain(result: Result, keys: Sequence[str] = ()) -> list[Explanation]:
    """Explanations for ``keys`` (every computed KVP and the classification when empty).

    Raises UnknownKvpError naming a key that is neither a KVP nor a classification field.
    """
    by_key = {s.key: s for s in result.stats}
    wanted = list(checked_kvp_names(keys, "explain", RULES)) or [
        *sorted(by_key),
        *(f"classification.{f}" for f in CLASSIFICATION_FIELDS),
    ]
    found = []
    for key in wanted:
        if key.startswith("classification."):
            found.append(_classification(result, key))
        elif key in by_key:
            stat = by_key[key]
            found.append(
                Explanation(
                    key,
                    stat.value,
                    key in result.kvps,
                    RULES[key],
                    stat.intervals,
                    stat.events,
                    stat.longest,
                )
            )
        else:  # a KVP this replay did not compute (an async family of a non-async session)
            found.append(Explanation(key, None, False, RULES[key], (), ()))
    return found


def _classification(result: Result, key: str) -> Explanation:
    name = key.split(".", 1)[1]
    closure = result.timelines.closure
    events = result.classification.evidence_events
    if closure is not None and closure.event is not None and closure.event not in events:
        events = (*events, closure.event)
    return Explanation(
        key, getattr(result.classification, name), True, RULES[key], (), tuple(sorted(set(events)))
    )


def event_roles(transcript: Transcript) -> list[Role | None]:
    """The role of each event's party as of that event (from its latest join)."""
    roles: dict[str, Role] = {}
    found: list[Role | None] = []
    for event in transcript.events:
        if event.kind is EventKind.JOIN and event.role is not None:
            roles[event.party] = event.role
        found.append(roles.get(event.party))
    return found


def excerpt(event: Event) -> str:
    """A short text for an event: its message or notice text, or how it left or closed."""
    if event.kind is EventKind.LEAVE:
        text = f"{event.cause.value}, {event.after.value}"
    elif event.kind is EventKind.CLOSE and event.reason is not None:
        text = f"closed: {event.reason.value}"
    else:
        text = " ".join((event.text or event.notice_type).split())
    return clipped(text, _EXCERPT)


def event_detail(transcript: Transcript, roles: list[Role | None], index: int) -> dict[str, Any]:
    """What the explain output says about one event."""
    event = transcript.events[index]
    role = roles[index]
    detail: dict[str, Any] = {
        "index": index,
        "t": offset_seconds(event.t_ms),
        "kind": event.kind.value,
        "party": event.party,
        "role": role.value if role else None,
        "excerpt": excerpt(event),
    }
    if event.line is not None:
        detail["line"] = event.line
    if event.event_id:
        detail["event_id"] = event.event_id
    return detail


def _span_dict(
    start_ms: int, end_ms: int, from_event: int | None, to_event: int | None
) -> dict[str, Any]:
    return {
        "start": offset_seconds(start_ms),
        "end": offset_seconds(end_ms),
        "seconds": offset_seconds(end_ms - start_ms),
        "from_event": from_event,
        "to_event": to_event,
    }


def _excluded_spans(
    key: str, intervals: Sequence[Interval], timelines: Timelines
) -> list[dict[str, Any]]:
    """The parts of a wait/reply family's intervals left out, each with the span it belongs to
    and why (behaviour.md 5.1). The spans are the replay's own timelines, only clipped here."""
    if key in kvps.AGENT_REPLY:
        spans, why = timelines.until_rejoin, _AWAY
    elif key in kvps.AGENT_WAIT:
        spans, why = timelines.dormant, _DORMANT
    else:
        return []
    found = []
    for interval in intervals:
        if not interval.excluded_ms:
            continue
        for span in spans:
            start, end = max(span.start_ms, interval.start_ms), min(span.end_ms, interval.end_ms)
            if start < end:
                item = _span_dict(start, end, span.from_event, span.to_event)
                ended = _what_ended(span.to_event, timelines)
                item["why"] = why.format(
                    start=offset_seconds(span.start_ms),
                    end=offset_seconds(span.end_ms),
                    ended=ended,
                )
                found.append(item)
    return found


def _what_ended(event: int | None, timelines: Timelines) -> str:
    """What ended an agent's absence: a join, a wake-up that is not a customer message, or the
    closure."""
    if event is None:
        return "the closure"
    kind = timelines.transcript.events[event].kind
    if kind is EventKind.ROUTE:
        return "a route event woke it"
    if kind is EventKind.NOTICE:
        return "a customer notice woke it"
    return "a visible agent joined"


_AWAY = (
    "no visible agent from the session going dormant at {start}s until {ended} at {end}s "
    "(dormant time, and after a customer message the routing time until the agent rejoins, "
    "are excluded from agent reply)"
)
_DORMANT = (
    "the session was dormant from {start}s to {end}s (dormant time is excluded from agent wait)"
)


def _timer_spans(key: str, timelines: Timelines) -> list[dict[str, Any]]:
    """For cse_ActiveIdle*: each timer's idle spans, whose union the KVP's intervals are."""
    if key not in kvps.ACTIVE_IDLE:
        return []
    return [
        {
            "timer": s.timer.value,
            **_span_dict(
                s.interval.start_ms, s.interval.end_ms, s.interval.from_event, s.interval.to_event
            ),
        }
        for s in timelines.idle_spans
    ]


def interval_to_dict(span: Interval) -> dict[str, Any]:
    """An evidence interval as JSON: offsets in seconds, its counted length, its end events."""
    item = _span_dict(span.start_ms, span.end_ms, span.from_event, span.to_event)
    item["seconds"] = offset_seconds(span.ms)  # the counted length, exclusions left out
    if span.excluded_ms:
        item["excluded_seconds"] = offset_seconds(span.excluded_ms)
    return item


def explanation_document(result: Result, explanations: Sequence[Explanation]) -> dict[str, Any]:
    """The JSON of ``explain``: explanations plus the events, closure and timers they cite."""
    transcript = result.timelines.transcript
    roles = event_roles(transcript)
    cited: set[int] = set()
    items = []
    for e in explanations:
        intervals = [interval_to_dict(span) for span in e.intervals]
        if e.longest is not None:
            intervals[e.longest]["longest"] = True
        item = {
            "key": e.key,
            "value": e.value,
            "attached": e.attached,
            "rule": e.rule,
            "intervals": intervals,
            "events": list(e.events),
        }
        excluded = _excluded_spans(e.key, e.intervals, result.timelines)
        if excluded:
            item["excluded"] = excluded
        timer_spans = _timer_spans(e.key, result.timelines)
        if timer_spans:
            item["timer_spans"] = timer_spans
        cited.update(e.events)
        cited.update(
            i
            for span in [*intervals, *excluded, *timer_spans]
            for i in (span["from_event"], span["to_event"])
            if i is not None
        )
        items.append(item)
    closure = result.timelines.closure
    if closure is not None and closure.event is not None:
        cited.add(closure.event)  # the closure names its event: its details are there too
    document: dict[str, Any] = {
        "session_id": result.session_id,
        "explanations": items,
        "event_details": [event_detail(transcript, roles, i) for i in sorted(cited)],
        "closure": None,
        "timers": [
            {"t": offset_seconds(f.t_ms), "timer": f.timer.value, "stage": f.stage.value}
            for f in result.timelines.firings
        ],
    }
    if closure is not None:
        document["closure"] = {
            "t": offset_seconds(closure.t_ms),
            "kind": closure.kind.value,
            "event": closure.event,
            "simulated": closure.simulated,
            "closer": closure.closer or None,
            "present_before": [
                {"party": p.party, "role": p.role.value, "visibility": p.visibility.value}
                for p in closure.present_before
            ],
        }
    return document
