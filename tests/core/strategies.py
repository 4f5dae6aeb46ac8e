"""Hypothesis strategies: plausible (and some implausible) canonical JSON sessions."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

PARTIES = {
    "c1": "client",
    "c2": "client",
    "a1": "agent",
    "a2": "agent",
    "s1": "supervisor",
    "b1": "bot",
    "w1": "external",
}
PERSONS = {"a1": "anna", "a2": "anna", "s1": "sam"}
NOTICES = [
    "TYPING_STARTED",
    "TYPING_STOPPED",
    "PUSH_URL",
    "FILE_UPLOADED",
    "USER_CUSTOM",
    "NICKNAME_UPDATED",
    "IDLE_CONTROL_ALERT",
]
ACTIONS = [
    "join",
    "join",
    "message",
    "message",
    "message",
    "leave",
    "notice",
    "close",
    "restore",
    "route",
]
VISIBILITY = st.sampled_from(["ALL", "ALL", "ALL", "VIP", "INT"])


@st.composite
def session_documents(draw: Any, *, xml_safe: bool = False) -> dict[str, Any]:
    """A canonical JSON document. ``xml_safe``: whole seconds, nothing XML cannot express."""
    present: list[str] = []
    events: list[dict[str, Any]] = []
    t: float = 0
    if xml_safe:  # XML keeps session user data on the first client's newParty
        present.append("c1")
        events.append({"t": 0, "type": "join", "party": "c1", "role": "client"})
    for _ in range(draw(st.integers(0, 25))):
        step = draw(st.integers(0, 400))
        if not xml_safe and draw(st.booleans()):
            step += draw(st.integers(0, 999)) / 1000
        t = round(t + step, 3)
        action = draw(st.sampled_from(ACTIONS[:-1] if xml_safe else ACTIONS))
        event = _event(draw, action, t, present, xml_safe)
        if event is not None:
            events.append(event)
    user_data = {"MediaType": "chat"}
    if draw(st.booleans()):
        user_data["GCTI_Chat_AsyncMode"] = "true"
    if draw(st.booleans()):
        user_data["GCTI_LanguageName"] = "english"
    return {
        "format": "chatstats-transcript/1",
        "session_id": "S1",
        "started_at": "2026-01-05T10:00:00Z",
        "user_data": user_data,
        "events": events,
    }


def _event(
    draw: Any, action: str, t: float, present: list[str], xml_safe: bool
) -> dict[str, Any] | None:
    if action == "join":
        absent = [p for p in PARTIES if p not in present]
        if not absent:
            return None
        party = draw(st.sampled_from(absent))
        present.append(party)
        event = {
            "t": t,
            "type": "join",
            "party": party,
            "role": PARTIES[party],
            "visibility": draw(VISIBILITY),
        }
        if party in PERSONS:
            event["person"] = PERSONS[party]
        return event
    if action == "route":
        return {"t": t, "type": "route"}
    if not present:
        return None
    party = draw(st.sampled_from(present))
    if action == "message":
        text = draw(
            st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)
        )
        return {
            "t": t,
            "type": "message",
            "party": party,
            "text": text,
            "visibility": draw(VISIBILITY),
        }
    if action == "notice":
        return {
            "t": t,
            "type": "notice",
            "party": party,
            "notice": draw(st.sampled_from(NOTICES)),
            "visibility": draw(VISIBILITY),
        }
    if action == "close":  # XML has no whole-session DB_ERROR closure: code 5 is a leave
        reasons = ["inactive"] if xml_safe else ["inactive", "db_error"]
        return {"t": t, "type": "close", "party": party, "reason": draw(st.sampled_from(reasons))}
    if action == "restore":
        present.remove(party)
        return {"t": t, "type": "restore", "party": party}
    present.remove(party)
    return _leave(draw, t, party, present, xml_safe)


def _leave(draw: Any, t: float, party: str, present: list[str], xml_safe: bool) -> dict[str, Any]:
    event: dict[str, Any] = {"t": t, "type": "leave", "party": party}
    cause = draw(st.sampled_from(["quit", "quit", "disconnect", "removed", "server"]))
    if cause == "removed" and present:
        event.update(cause="removed", by=draw(st.sampled_from(present)))
        return event
    if cause == "server":  # removed by Chat Server (XML code 5): no after-action
        event["cause"] = "server"
        return event
    if cause == "disconnect":
        event["cause"] = "disconnect"
        if xml_safe:
            return event
    after = draw(st.sampled_from(["keep-alive", "keep-alive", "close-if-no-agents", "force-close"]))
    if after != "keep-alive":
        event["after"] = after
    return event


OPTION_SETS = st.fixed_dictionaries(
    {
        "attach-session-statistics": st.just("all"),
        "inactivity-control/enabled": st.sampled_from(["true", "false"]),
        "timeout-alert": st.integers(1, 300).map(str),
        "timeout-alert2": st.integers(0, 100).map(str),
        "timeout-close": st.integers(1, 300).map(str),
        "include-notices": st.sampled_from(["none", "major", "major2", "typing", "all"]),
        "async-idle-alert": st.integers(1, 600).map(str),
        "async-idle-close": st.integers(1, 600).map(str),
        "attach-stats-rep-events": st.integers(0, 7).map(str),
        "attach-stats-rep-place": st.integers(0, 9).map(str),
        "stop-abandoned-interaction": st.sampled_from(["always", "never", "noagents", "noanswer"]),
    }
).map(lambda d: [f"{k}={v}" for k, v in d.items()])


@st.composite
def awkward_documents(draw: Any) -> dict[str, Any]:
    """Generated sessions with what has broken convert and redact before: a start with
    milliseconds or a three-digit year, carriage returns and control characters in texts, a
    person id equal to another party's id, user data in a session without a client."""
    document = draw(session_documents())
    if draw(st.booleans()):
        document["started_at"] = draw(
            st.sampled_from(
                ["2026-01-05T10:00:00.250Z", "0999-03-01T00:00:00Z", "2026-01-05T10:00:00.999Z"]
            )
        )
    for event in document["events"]:
        if "text" in event and draw(st.integers(0, 3)) == 0:
            event["text"] += draw(st.sampled_from(["\r\n", "\r", "\x01", "\t", "a\u2028b"]))
        if (
            event["type"] == "join"
            and event["role"] in ("agent", "supervisor")
            and draw(st.integers(0, 3)) == 0
        ):
            event["person"] = draw(st.sampled_from(list(PARTIES)))
    if draw(st.booleans()):
        document["user_data"]["Note"] = draw(st.sampled_from(["x\ry", "plain", "\x02"]))
    return document
