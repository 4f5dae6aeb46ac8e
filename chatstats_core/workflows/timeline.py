"""``chatstats timeline``: the session as a time line of recorded and simulated events.

The entries are the replay's own trace (:class:`~chatstats_core.engine.TraceEntry`), so the time
line shows exactly what the statistics were computed from: alerts, closures, dormant and idle
spans, reporting events, and who was present after each step.
"""

from __future__ import annotations

from typing import Any

from chatstats_core.engine import Result
from chatstats_core.safetext import shown
from chatstats_core.transcript.timeutil import format_timestamp, offset_seconds
from chatstats_core.workflows.explain import event_roles

#: The most parties an entry lists as present; beyond it, ``present_more`` counts the rest (a
#: time line of many events with thousands present would otherwise grow as their product).
PRESENT_SHOWN = 20


#: The most events ``explain`` and ``timeline`` take in one transcript: they show every event
#: (a time-line entry, or evidence, each), about 1.8 KB of memory an event (200,000 events:
#: about 360 MB); ``replay`` and the batch commands read up to the loader's 1,000,000.
MAX_TRACED_EVENTS = 200_000


def timeline_document(result: Result) -> dict[str, Any]:
    """The time line as JSON: entries in order, then each presence interval per party."""
    transcript = result.timelines.transcript
    roles = event_roles(transcript)
    entries = []
    for entry in result.trace:
        role = roles[entry.event] if entry.event is not None else None
        entries.append(
            {
                "t": offset_seconds(entry.t_ms),
                "at": format_timestamp(transcript.started_at, entry.t_ms),
                "kind": entry.kind.value,
                "simulated": entry.simulated,
                "event": entry.event,
                "party": entry.party or None,
                "role": role.value if role else None,
                "text": entry.text,
                "present": list(entry.present[:PRESENT_SHOWN]),
                "state": entry.state,
                **(
                    {"present_more": len(entry.present) - PRESENT_SHOWN}
                    if len(entry.present) > PRESENT_SHOWN
                    else {}
                ),
            }
        )
    parties = [
        {
            "party": p.party,
            "role": p.role.value,
            "visibility": p.visibility.value,
            "start": offset_seconds(p.start_ms),
            "end": offset_seconds(p.end_ms),
        }
        for p in result.timelines.presences
    ]
    return {
        "session_id": result.session_id,
        "started_at": format_timestamp(transcript.started_at),
        "end": offset_seconds(result.timelines.end_ms),
        "entries": entries,
        "parties": parties,
    }


def timeline_text(document: dict[str, Any]) -> str:
    """Plain text, one entry per line: offset, time, state, what happened, who is present (what
    comes from the transcript shown escaped: it cannot act on a terminal or split a line)."""
    lines = [f"# session {shown(document['session_id'])} started {document['started_at']}"]
    for e in document["entries"]:
        party = shown(e["party"] or "")
        who = f" {party}" + (f" ({e['role']})" if e["role"] else "") if e["party"] else ""
        mark = "~" if e["simulated"] else " "
        text = f": {shown(e['text'])}" if e["text"] else ""
        more = f" and {e['present_more']} more" if "present_more" in e else ""
        present = ", ".join(shown(p) for p in e["present"]) or "-"
        lines.append(
            f"{mark}+{e['t']}s\t{e['at']}\t{e['state']}\t{e['kind']}{who}{text}"
            f"\tpresent: {present}{more}"
        )
    return "\n".join(lines) + "\n"
