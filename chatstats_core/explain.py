"""``chatstats explain``: each KVP's value, its rule, and the evidence it was computed from.

Nothing is recomputed here: the intervals and events are the ones the KVP families returned with
their values (``Result.stats``), so an explanation cannot drift from the number it explains.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .engine import RULES, Result
from .engine.timelines import Interval
from .model import Event, EventKind, Role, Transcript
from .timeutil import offset_seconds

_EXCERPT = 40
CLASSIFICATION_FIELDS = ("ended_by", "ended_reason", "ended_agent", "abandoned",
                         "interaction_stopped")


@dataclass(frozen=True, slots=True)
class Explanation:
    """One KVP (or classification field) with its rule and evidence."""

    key: str
    value: Any
    attached: bool
    rule: str
    intervals: tuple[Interval, ...]
    events: tuple[int, ...]


def explain(result: Result, keys: Sequence[str] = ()) -> list[Explanation]:
    """Explanations for ``keys`` (every computed KVP and the classification when empty).

    Raises KeyError naming a key that is neither a KVP nor a classification field.
    """
    by_key = {s.key: s for s in result.stats}
    wanted = list(keys) or [*sorted(by_key), *(f"classification.{f}"
                                              for f in CLASSIFICATION_FIELDS)]
    found = []
    for key in wanted:
        if key.startswith("classification."):
            found.append(_classification(result, key))
        elif key in by_key:
            stat = by_key[key]
            found.append(Explanation(key, stat.value, key in result.kvps, RULES[key],
                                     stat.intervals, stat.events))
        elif key in RULES:
            found.append(Explanation(key, None, False, RULES[key], (), ()))
        else:
            raise KeyError(key)
    return found


def _classification(result: Result, key: str) -> Explanation:
    name = key.split(".", 1)[1]
    if name not in CLASSIFICATION_FIELDS:
        raise KeyError(key)
    closure = result.timelines.closure
    events = result.classification.evidence_events
    if closure is not None and closure.event is not None and closure.event not in events:
        events = (*events, closure.event)
    return Explanation(key, getattr(result.classification, name), True, RULES[key], (),
                       tuple(sorted(set(events))))


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
    return text if len(text) <= _EXCERPT else text[: _EXCERPT - 1] + "…"


def event_detail(transcript: Transcript, roles: list[Role | None], index: int) -> dict[str, Any]:
    """What the explain output says about one event."""
    event = transcript.events[index]
    role = roles[index]
    detail: dict[str, Any] = {"index": index, "t": offset_seconds(event.t_ms),
                              "kind": event.kind.value, "party": event.party,
                              "role": role.value if role else None, "excerpt": excerpt(event)}
    if event.line is not None:
        detail["line"] = event.line
    return detail


def interval_to_dict(span: Interval) -> dict[str, Any]:
    """An evidence interval as JSON: offsets in seconds, its counted length, its end events."""
    item: dict[str, Any] = {"start": offset_seconds(span.start_ms),
                            "end": offset_seconds(span.end_ms),
                            "seconds": offset_seconds(span.ms), "from_event": span.from_event,
                            "to_event": span.to_event}
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
        cited.update(e.events)
        cited.update(i for span in e.intervals for i in (span.from_event, span.to_event)
                     if i is not None)
        items.append({"key": e.key, "value": e.value, "attached": e.attached, "rule": e.rule,
                      "intervals": intervals, "events": list(e.events)})
    closure = result.timelines.closure
    document: dict[str, Any] = {
        "session_id": result.session_id,
        "explanations": items,
        "event_details": [event_detail(transcript, roles, i) for i in sorted(cited)],
        "closure": None,
        "timers": [{"t": offset_seconds(f.t_ms), "timer": f.timer.value, "stage": f.stage}
                   for f in result.timelines.firings],
    }
    if closure is not None:
        document["closure"] = {
            "t": offset_seconds(closure.t_ms), "kind": closure.kind.value, "event": closure.event,
            "simulated": closure.simulated, "closer": closure.closer or None,
            "present_before": [{"party": p.party, "role": p.role.value,
                                "visibility": p.visibility.value}
                               for p in closure.present_before],
        }
    return document
