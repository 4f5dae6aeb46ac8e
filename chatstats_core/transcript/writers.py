"""Write a :class:`Transcript` back as canonical JSON or as Genesys transcript XML.

The inverse of the loaders for everything the statistics use. XML has whole seconds only and no
``route`` event; writing either to XML raises :class:`WriteError`.
"""

from __future__ import annotations

import re
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from chatstats_core.errors import WriteError
from chatstats_core.transcript.loading.json_format import FORMAT_TAG
from chatstats_core.transcript.loading.xml_format import leave_reason_code
from chatstats_core.transcript.model import (
    IDLE_CONTROL_CLOSE,
    AfterAction,
    CloseReason,
    Event,
    EventKind,
    LeaveCause,
    Role,
    Transcript,
    Visibility,
)
from chatstats_core.transcript.timeutil import format_start, format_timestamp, offset_seconds


def transcript_to_document(transcript: Transcript) -> dict[str, Any]:
    """The canonical JSON document of a transcript (defaults left out)."""
    document: dict[str, Any] = {
        "format": FORMAT_TAG,
        "session_id": transcript.session_id,
        "started_at": format_start(transcript.started_at),
    }
    if transcript.tenant_id is not None:
        document["tenant_id"] = transcript.tenant_id
    if transcript.user_data:
        document["user_data"] = dict(transcript.user_data)
    document["events"] = [_event_to_json(e) for e in transcript.events]
    return document


def _event_to_json(event: Event) -> dict[str, Any]:
    out: dict[str, Any] = {"t": offset_seconds(event.t_ms), "type": event.kind.value}
    if event.party or event.kind in (
        EventKind.JOIN,
        EventKind.LEAVE,
        EventKind.MESSAGE,
        EventKind.NOTICE,
    ):
        out["party"] = event.party
    kind = event.kind
    if kind is EventKind.JOIN:
        out["role"] = (event.role or Role.EXTERNAL).value
        if event.nick:
            out["nick"] = event.nick
        if event.person:
            out["person"] = event.person
    elif kind is EventKind.LEAVE:
        if event.after is not AfterAction.KEEP_ALIVE:
            out["after"] = event.after.value
        if event.cause is not LeaveCause.QUIT:
            out["cause"] = event.cause.value
        if event.cause is LeaveCause.REMOVED:
            out["by"] = event.by
    elif kind is EventKind.MESSAGE:
        out["text"] = event.text
    elif kind is EventKind.NOTICE:
        out["notice"] = event.notice_type
        if event.text:
            out["text"] = event.text
    elif kind is EventKind.CLOSE:
        out["reason"] = (event.reason or CloseReason.INACTIVE).value
    if event.visibility is not Visibility.ALL and kind in (
        EventKind.JOIN,
        EventKind.MESSAGE,
        EventKind.NOTICE,
    ):
        out["visibility"] = event.visibility.value
    return out


_USER_TYPES = {
    Role.CLIENT: "CLIENT",
    Role.AGENT: "AGENT",
    Role.SUPERVISOR: "SUPERVISOR",
    Role.BOT: "AGENT",
    Role.EXTERNAL: "EXTERNAL",
    Role.SYSTEM: "SYSTEM",
}
_LEAVE_TEXTS = {
    LeaveCause.REMOVED: "removed by other party",
    LeaveCause.SERVER: "removed by server",
}


#: Characters XML 1.0 cannot hold at all, not even as a character reference.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _check_xml_text(transcript: Transcript) -> None:
    """Refuse what XML cannot carry exactly: a control character anywhere, a start with
    sub-seconds, session user data without a client to carry it."""
    source = transcript.source
    if transcript.started_at.microsecond:
        raise WriteError(
            "the start has sub-seconds: XML's startAt has whole seconds only", source=source
        )
    values = [transcript.session_id, *transcript.user_data, *transcript.user_data.values()]
    if any(_NOT_XML.search(v) for v in values):
        raise WriteError(
            "the session id or user data has a control character XML cannot hold", source=source
        )
    for event in transcript.events:
        fields = (event.party, event.person, event.nick, event.text, event.notice_type, event.by)
        if any(_NOT_XML.search(v) for v in fields):
            raise WriteError(
                f"event {event.index} has a control character XML cannot hold", source=source
            )
    has_client = any(e.kind is EventKind.JOIN and e.role is Role.CLIENT for e in transcript.events)
    if transcript.user_data and not has_client:
        raise WriteError(
            "the session has user data but no client: XML keeps session user "
            "data on the client's newParty",
            source=source,
        )


def _text(value: str) -> str:
    """Element text: escaped, and a carriage return as &#13; (a parser turns a raw one into a
    line feed, changing the text and its size)."""
    return escape(value, {"\r": "&#13;"})


def transcript_to_xml(transcript: Transcript) -> str:
    """The transcript as Genesys chat transcript XML."""
    _check_xml_text(transcript)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f"<chatTranscript startAt={quoteattr(format_timestamp(transcript.started_at))} "
        f"sessionId={quoteattr(transcript.session_id)}>",
    ]
    client_seen = False
    for event in transcript.events:
        if event.t_ms % 1000:
            raise WriteError(
                f"event {event.index} is at {event.t_ms} ms: XML has whole seconds only",
                source=transcript.source,
            )
        user_data = None
        if event.kind is EventKind.JOIN and event.role is Role.CLIENT and not client_seen:
            client_seen = True
            user_data = transcript.user_data
        lines.append(_event_to_xml(event, user_data, transcript.source))
    lines.append("</chatTranscript>")
    return "\n".join(lines) + "\n"


def _head(tag: str, event: Event, extra: str = "") -> str:
    return (
        f'<{tag} userId={quoteattr(event.party)} timeShift="{event.t_ms // 1000}" '
        f'visibility="{event.visibility.value}" eventId="{event.index + 1}"{extra}>'
    )


def _items(values: dict[str, str]) -> str:
    return "".join(
        f'<item key={quoteattr(k)} type="string">{_text(v)}</item>' for k, v in values.items()
    )


def _event_to_xml(event: Event, user_data: dict[str, str] | None, source: str) -> str:
    kind = event.kind
    if kind is EventKind.JOIN:
        role = event.role or Role.EXTERNAL
        data = dict(user_data or {})
        if role is Role.BOT:
            data["GCTI_Chat_PartyStyle"] = "BOT"
        info = (
            f"<userInfo personId={quoteattr(event.person)} userNick={quoteattr(event.nick)} "
            f'userType="{_USER_TYPES[role]}"/>'
        )
        body = info + (f"<userData>{_items(data)}</userData>" if data else "")
        return _head("newParty", event) + body + "</newParty>"
    if kind is EventKind.MESSAGE:
        return _head("message", event) + f"<msgText>{_text(event.text)}</msgText></message>"
    if kind is EventKind.NOTICE:
        return (
            _head("notice", event) + f"<noticeText noticeType={quoteattr(event.notice_type)}>"
            f"{_text(event.text)}</noticeText></notice>"
        )
    if kind is EventKind.LEAVE:
        return _leave_xml(event)
    if kind is EventKind.CLOSE and event.reason is CloseReason.DB_ERROR:
        # XML's code 5 removes one party (a server leave); a whole-session DB_ERROR closure has
        # no XML form of its own.
        raise WriteError(
            f"event {event.index} (a recorded DB_ERROR closure) has no XML form; "
            "XML records server removals one party at a time",
            source=source,
        )
    if kind is EventKind.CLOSE and event.party:
        return (
            _head("partyLeft", event)
            + '<reason code="7">removed for inactivity</reason></partyLeft>'
        )
    if kind is EventKind.CLOSE:
        return (
            _head("notice", event) + f'<noticeText noticeType="{IDLE_CONTROL_CLOSE}">'
            f"{_text(event.text)}</noticeText></notice>"
        )
    if kind is EventKind.RESTORE and event.party:
        return _head("partyLeft", event) + '<reason code="8">restored</reason></partyLeft>'
    raise WriteError(
        f"event {event.index} ({kind.value} without a party) has no XML form", source=source
    )


def _leave_xml(event: Event) -> str:
    code = leave_reason_code(event.cause, event.after)
    attr = f' code="{code}"' if code else ""
    asker = f" askerId={quoteattr(event.by)}" if event.cause is LeaveCause.REMOVED else ""
    text = _LEAVE_TEXTS.get(event.cause, "left")
    return _head("partyLeft", event, asker) + f"<reason{attr}>{text}</reason></partyLeft>"
