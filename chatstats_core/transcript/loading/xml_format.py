"""Loader for the Genesys chat transcript XML that Chat Server stores in UCS.

The document is parsed by defusedxml (DTDs, entity declarations and external references are
refused; nothing is fetched) into a streaming target, so no element tree is built and every
event keeps the line it started on. Mapping (behaviour.md 1.1): ``newParty`` -> join,
``partyLeft`` -> leave / close / restore by reason code, ``message`` -> message (the
``msgText`` text only), ``notice`` -> notice. Attribute values are stripped of the stray
whitespace and line breaks found in real files.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from chatstats_core.errors import ChatstatsWarning, InputError, TooManyEventsError, WarningCode
from chatstats_core.transcript.limits import DEFAULT_LIMITS, Limits
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
from chatstats_core.transcript.timeutil import parse_timestamp

_USER_TYPES = {
    "CLIENT": Role.CLIENT,
    "AGENT": Role.AGENT,
    "SUPERVISOR": Role.SUPERVISOR,
    "EXTERNAL": Role.EXTERNAL,
    "SYSTEM": Role.SYSTEM,
}
_VISIBILITIES = {v.value: v for v in Visibility}
_EVENT_ELEMENTS = frozenset({"newParty", "message", "notice", "partyLeft"})
# Elements whose text we keep, by the event element they sit in.
_TEXT_ELEMENTS = {"message": "msgText", "notice": "noticeText", "partyLeft": "reason"}
_BOT_STYLE_PATH = ("GCTI_SYSTEM", "party-info", "style")  # in eventAttributes
# In userData: the documented key, and the one real Bot Gateway transcripts carry (corpus 07).
_PARTY_STYLE_PATHS = frozenset({("GCTI_Chat_PartyStyle",), ("GCTI_Chat_SetPartyStyle",)})


def load_xml(data: bytes, source: str, limits: Limits = DEFAULT_LIMITS) -> Transcript:
    """Parse Genesys transcript XML bytes into a :class:`Transcript`, or raise InputError."""
    builder = _TranscriptBuilder(source, limits)
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, encoding=_utf8_alias(data))
    expat = builder.expat = parser.parser
    # Elements go from expat straight to the builder, skipping ElementTree's pure-Python layer
    # (which only turned attribute lists into dicts: expat does that itself). defusedxml's
    # refusals sit on the DTD, entity and external-reference handlers, untouched.
    expat.ordered_attributes = False
    expat.StartElementHandler = builder.start
    expat.EndElementHandler = builder.end
    try:
        parser.feed(data)
        parser.close()
    except DefusedXmlException as exc:
        what = _REFUSED.get(type(exc).__name__, type(exc).__name__)
        raise InputError(
            f"refused unsafe XML: {what}",
            source=source,
            line=builder.line,
            expected="a transcript without DTD, entities or external references",
        ) from exc
    except (LookupError, UnicodeError) as exc:  # an encoding= that Python does not know
        raise InputError(
            f"cannot decode the document: {exc}",
            source=source,
            line=builder.line,
            expected="UTF-8, UTF-16 or an encoding Python knows",
        ) from exc
    except ValueError as exc:  # expat's own refusal: "multi-byte encodings are not supported"
        raise InputError(
            f"cannot decode the document: {exc}",
            source=source,
            line=builder.line,
            expected="UTF-8, UTF-16 or a one-byte encoding (UTF-32 is not supported)",
        ) from exc
    except ParseError as exc:
        line, column = exc.position
        raise InputError(
            f"not well-formed XML: {_expat_message(exc)}",
            source=source,
            line=line,
            column=column + 1,
        ) from exc
    return builder.transcript()


_DECLARED_ENCODING = re.compile(rb"""^<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def _utf8_alias(data: bytes) -> str | None:
    """``utf-8`` when the declaration names UTF-8 by another of its names (``utf8``, ``UTF_8``):
    expat knows only ``UTF-8`` itself and misreads non-ASCII text under the others. Otherwise
    None: the document's own declaration decides."""
    found = _DECLARED_ENCODING.match(data[:256].removeprefix(b"\xef\xbb\xbf"))
    if found is None:
        return None
    name = found.group(1).decode("ascii")
    try:
        is_utf8 = codecs.lookup(name).name == "utf-8"
    except LookupError:
        return None
    return "utf-8" if is_utf8 and name.lower() != "utf-8" else None


_REFUSED = {
    "DTDForbidden": "a document type declaration (<!DOCTYPE ...>)",
    "EntitiesForbidden": "an entity declaration (<!ENTITY ...>)",
    "ExternalReferenceForbidden": "a reference to an external resource",
    "NotSupportedError": "an unsupported XML feature",
}


def _shown(name: str) -> str:
    """A name as ElementTree shows it: expat gives a namespaced one as ``uri}local``."""
    return "{" + name if "}" in name else name


def _expat_message(exc: ParseError) -> str:
    return str(exc).split(":", 1)[0]


@dataclass
class _Pending:
    """A top-level event element being read."""

    tag: str
    attrs: dict[str, str]
    line: int
    column: int
    user_info: dict[str, str] = field(default_factory=dict)
    user_data: dict[str, str] = field(default_factory=dict)
    bot_style: bool = False
    text_attrs: dict[str, str] = field(default_factory=dict)
    text: list[str] = field(default_factory=list)


class _TranscriptBuilder:
    """ElementTree parser target that turns the XML stream into events."""

    def __init__(self, source: str, limits: Limits) -> None:
        self.source = source
        self.limits = limits
        self.expat: object | None = None
        self.depth = 0
        self.root_attrs: dict[str, str] | None = None
        self.pending: _Pending | None = None
        self.in_text = False
        self.in_user_data = False
        self.item_path: list[str] = []
        self.item_text: list[str] = []
        self.events: list[Event] = []
        self.warnings: list[ChatstatsWarning] = []
        self.session_user_data: dict[str, str] | None = None

    @property
    def line(self) -> int | None:
        return getattr(self.expat, "CurrentLineNumber", None)

    def error(self, message: str, line: int | None = None, **details: Any) -> InputError:
        return InputError(message, source=self.source, line=line or self.line, **details)

    # --- the ElementTree target protocol -------------------------------------------------

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        self.depth += 1
        if self.depth > self.limits.max_depth:
            raise self.error(
                "elements nested too deeply",
                expected=f"at most {self.limits.max_depth} levels",
                found=f"<{_shown(tag)}> at level {self.depth}",
            )
        if attrs and max(map(len, attrs.values())) > self.limits.max_attribute:
            self._attribute_too_long(tag, attrs)
        if self.depth == 1:
            self._start_root(tag, attrs)
        elif self.depth == 2:
            self._start_event(tag, attrs)
        elif self.pending is not None:
            self._start_inner(tag, attrs)

    def _attribute_too_long(self, tag: str, attrs: dict[str, str]) -> None:
        name, value = next((n, v) for n, v in attrs.items() if len(v) > self.limits.max_attribute)
        raise self.error(
            f"attribute {_shown(name)} of <{_shown(tag)}> too long",
            expected=f"at most {self.limits.max_attribute} characters",
            found=f"{len(value)} characters",
        )

    def end(self, tag: str) -> None:
        if self.depth == 2 and self.pending is not None:
            self._finish_event(self.pending)
            self.pending = None
        elif self.pending is not None:
            self._end_inner(tag)
        self.depth -= 1

    def data(self, text: str) -> None:
        if self.in_text and self.pending is not None:
            self.pending.text.append(text)
        elif self.item_path:
            self.item_text.append(text)

    def close(self) -> None:
        return None

    # --- elements --------------------------------------------------------------------------

    def _start_root(self, tag: str, attrs: dict[str, str]) -> None:
        if tag != "chatTranscript":
            raise self.error(
                "wrong root element", expected="<chatTranscript>", found=f"<{_shown(tag)}>"
            )
        self.root_attrs = {k: v.strip() for k, v in attrs.items()}

    def _start_event(self, tag: str, attrs: dict[str, str]) -> None:
        if tag not in _EVENT_ELEMENTS:
            self.warnings.append(
                ChatstatsWarning(
                    WarningCode.UNKNOWN_ELEMENT,
                    f"unknown element <{_shown(tag)}> skipped",
                    line=self.line,
                )
            )
            return
        clean = {k: v.strip() for k, v in attrs.items()}
        column = getattr(self.expat, "CurrentColumnNumber", -1) + 1
        self.pending = _Pending(tag, clean, self.line or 0, column)

    def _start_inner(self, tag: str, attrs: dict[str, str]) -> None:
        pending = self.pending
        assert pending is not None
        if self.depth == 3 and tag == "userInfo":
            pending.user_info = {k: v.strip() for k, v in attrs.items()}
        elif self.depth == 3 and tag in ("userData", "eventAttributes"):
            self.in_user_data = tag == "userData"
        elif tag == "item" and self.depth >= 4:
            self.item_path.append(attrs.get("key", "").strip())
            self.item_text = []
        elif self.depth == 3 and tag == _TEXT_ELEMENTS.get(pending.tag):
            pending.text_attrs = {k: v.strip() for k, v in attrs.items()}
            self.in_text = True

    def _end_inner(self, tag: str) -> None:
        pending = self.pending
        assert pending is not None
        if tag == "item" and self.item_path:
            value = "".join(self.item_text)
            path = tuple(self.item_path)
            if self.in_user_data and len(path) == 1:
                pending.user_data[path[0]] = value
            is_style = path in _PARTY_STYLE_PATHS if self.in_user_data else path == _BOT_STYLE_PATH
            if is_style and value.strip().upper() == "BOT":
                pending.bot_style = True
            self.item_path.pop()
            self.item_text = []
        elif self.depth == 3:
            self.in_text = False
            self.in_user_data = False

    # --- events ----------------------------------------------------------------------------

    def _finish_event(self, pending: _Pending) -> None:
        if len(self.events) >= self.limits.max_events:
            raise TooManyEventsError(
                "too many events",
                source=self.source,
                line=pending.line,
                expected=f"at most {self.limits.max_events}",
            )
        party = pending.attrs.get("userId", "")
        t_ms = self._time_shift(pending) * 1000
        visibility = self._visibility(pending)
        common: dict[str, Any] = {
            "index": len(self.events),
            "t_ms": t_ms,
            "party": party,
            "visibility": visibility,
            "line": pending.line,
            "column": pending.column,
            "event_id": pending.attrs.get("eventId", ""),
        }
        text = "".join(pending.text)
        if pending.tag == "newParty":
            self._add_join(pending, common)
        elif pending.tag == "message":
            self.events.append(Event(kind=EventKind.MESSAGE, text=text, **common))
        elif pending.tag == "notice":
            self._add_notice(pending, common, text)
        else:
            self._add_leave(pending, common)

    def _time_shift(self, pending: _Pending) -> int:
        raw = pending.attrs.get("timeShift")
        if raw is None:
            raise self.error(
                f"<{pending.tag}> has no timeShift",
                line=pending.line,
                expected='timeShift="<whole seconds>"',
            )
        if not (raw.isascii() and raw.isdigit()):
            raise self.error(
                f"bad timeShift on <{pending.tag}>",
                line=pending.line,
                expected="a non-negative whole number of seconds",
                found=repr(raw),
            )
        if len(raw.lstrip("0")) > 10:  # beyond 10**10 s (317 years), as JSON's limit
            shown = raw if len(raw) <= 20 else f"{raw[:8]}... ({len(raw)} digits)"
            raise self.error(
                f"timeShift too large on <{pending.tag}>",
                line=pending.line,
                expected="at most 10000000000 seconds",
                found=shown,
            )
        return int(raw)

    def _visibility(self, pending: _Pending) -> Visibility:
        raw = pending.attrs.get("visibility", "ALL").upper() or "ALL"
        if raw not in _VISIBILITIES:
            raise self.error(
                f"bad visibility on <{pending.tag}>",
                line=pending.line,
                expected="ALL, VIP or INT",
                found=repr(raw),
            )
        return _VISIBILITIES[raw]

    def _add_join(self, pending: _Pending, common: dict[str, Any]) -> None:
        info = pending.user_info
        user_type = info.get("userType", "").upper()
        role = _USER_TYPES.get(user_type)
        if role is None:
            self.warnings.append(
                ChatstatsWarning(
                    WarningCode.UNKNOWN_USER_TYPE,
                    f"unknown userType {user_type!r}, taken as EXTERNAL",
                    line=pending.line,
                )
            )
            role = Role.EXTERNAL
        if role.is_human_agent and pending.bot_style:
            role = Role.BOT
        if role is Role.CLIENT and self.session_user_data is None:
            self.session_user_data = dict(pending.user_data)
        self.events.append(
            Event(
                kind=EventKind.JOIN,
                role=role,
                person=info.get("personId", ""),
                nick=info.get("userNick", ""),
                **common,
            )
        )

    def _add_notice(self, pending: _Pending, common: dict[str, Any], text: str) -> None:
        notice_type = pending.text_attrs.get("noticeType", "")
        if notice_type == IDLE_CONTROL_CLOSE:
            self.events.append(
                Event(
                    kind=EventKind.CLOSE,
                    reason=CloseReason.INACTIVE,
                    notice_type=notice_type,
                    text=text,
                    **common,
                )
            )
            return
        self.events.append(
            Event(kind=EventKind.NOTICE, notice_type=notice_type, text=text, **common)
        )

    def _add_leave(self, pending: _Pending, common: dict[str, Any]) -> None:
        raw_code = pending.text_attrs.get("code", "0") or "0"
        asker = pending.attrs.get("askerId", "")
        kind, extra = LEAVE_REASON_CODES.get(raw_code, (None, {}))
        if kind is None:
            self.warnings.append(
                ChatstatsWarning(
                    WarningCode.UNKNOWN_REASON_CODE,
                    f"unknown partyLeft reason code {raw_code!r}, taken as a plain leave",
                    line=pending.line,
                )
            )
            kind = EventKind.LEAVE
        if extra.get("cause") is LeaveCause.REMOVED:
            extra = {**extra, "by": asker}
        self.events.append(Event(kind=kind, **extra, **common))

    def transcript(self) -> Transcript:
        if self.root_attrs is None:
            raise self.error("empty document", expected="<chatTranscript>")
        start_text = self.root_attrs.get("startAt")
        if not start_text:
            raise self.error(
                "<chatTranscript> has no startAt", line=1, expected='startAt="2022-03-05T07:09:33Z"'
            )
        try:
            started_at = parse_timestamp(start_text)
        except ValueError:
            raise self.error(
                "bad startAt on <chatTranscript>",
                line=1,
                expected="an ISO-8601 timestamp",
                found=repr(start_text),
            ) from None
        session_id = self.root_attrs.get("sessionId", "")
        if not session_id:
            raise self.error(
                "<chatTranscript> has no sessionId", line=1, expected='sessionId="..."'
            )
        return Transcript(
            session_id=session_id,
            started_at=started_at,
            events=tuple(self.events),
            user_data=self.session_user_data or {},
            source=self.source,
            load_warnings=tuple(self.warnings),
            source_format="xml",
        )


#: Chat Server's partyLeft reason codes (behaviour.md 1.1): code -> (event kind, event fields).
#: Read here, written by :mod:`chatstats_core.transcript.writers`.
LEAVE_REASON_CODES: dict[str, tuple[EventKind, dict[str, Any]]] = {
    "0": (EventKind.LEAVE, {}),
    "1": (EventKind.LEAVE, {"after": AfterAction.CLOSE_IF_NO_AGENTS}),
    "2": (EventKind.LEAVE, {"after": AfterAction.FORCE_CLOSE}),
    "3": (EventKind.LEAVE, {"cause": LeaveCause.DISCONNECT}),
    "4": (EventKind.LEAVE, {"cause": LeaveCause.REMOVED}),
    "5": (EventKind.LEAVE, {"cause": LeaveCause.SERVER}),
    "6": (EventKind.LEAVE, {"cause": LeaveCause.DISCONNECT}),
    "7": (EventKind.CLOSE, {"reason": CloseReason.INACTIVE}),
    "8": (EventKind.RESTORE, {}),
}


def leave_reason_code(cause: LeaveCause, after: AfterAction) -> str | None:
    """The code a leave is written with: its cause's if the table has one, else its
    after-action's (XML holds one code); None for a plain quit that keeps the session alive."""
    for wanted in ("cause", cause), ("after", after):
        for code, (kind, fields) in LEAVE_REASON_CODES.items():
            if kind is EventKind.LEAVE and fields.get(wanted[0]) is wanted[1]:
                return code
    return None
