"""Loader for the canonical JSON transcript (``chatstats-transcript/1``, docs/formats.md).

Validation is strict: unknown keys, wrong types and missing fields are errors naming the JSON
path (``events[12].party``). ``docs/transcript.schema.json`` describes the same rules and a test
keeps the two in agreement.
"""

from __future__ import annotations

import difflib
import enum
import math
from typing import Any, TypeVar

import orjson

from chatstats_core.errors import InputError, TooManyEventsError
from chatstats_core.transcript.limits import DEFAULT_LIMITS, Limits
from chatstats_core.transcript.model import (
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

FORMAT_TAG = "chatstats-transcript/1"

_TOP_KEYS = {"format", "session_id", "started_at", "tenant_id", "user_data", "events"}
_COMMON = {"t", "type"}
_EVENT_KEYS: dict[EventKind, set[str]] = {
    EventKind.JOIN: _COMMON | {"party", "role", "nick", "person", "visibility"},
    EventKind.LEAVE: _COMMON | {"party", "after", "cause", "by"},
    EventKind.MESSAGE: _COMMON | {"party", "text", "visibility"},
    EventKind.NOTICE: _COMMON | {"party", "notice", "text", "visibility"},
    EventKind.CLOSE: _COMMON | {"reason", "party"},
    EventKind.RESTORE: _COMMON | {"party"},
    EventKind.ROUTE: set(_COMMON),
}
_REQUIRED: dict[EventKind, tuple[str, ...]] = {
    EventKind.JOIN: ("party", "role"),
    EventKind.LEAVE: ("party",),
    EventKind.MESSAGE: ("party", "text"),
    EventKind.NOTICE: ("party", "notice"),
    EventKind.CLOSE: ("reason",),
    EventKind.RESTORE: (),
    EventKind.ROUTE: (),
}

E = TypeVar("E", bound=enum.Enum)

_KINDS = {k.value: k for k in EventKind}
_ROLES = {r.value: r for r in Role}
_VISIBILITIES = {v.value: v for v in Visibility}
_AFTERS = {a.value: a for a in AfterAction}
_CAUSES = {c.value: c for c in LeaveCause}
_REASONS = {r.value: r for r in CloseReason}
# type text -> (kind, allowed keys, required keys): one string-keyed look-up per event
_FAST: dict[str, tuple[EventKind, frozenset[str], tuple[str, ...]]] = {}
_MAX_T = 10**10


def load_json(
    data: bytes, source: str, default_session_id: str, limits: Limits = DEFAULT_LIMITS
) -> Transcript:
    """Parse canonical JSON bytes into a :class:`Transcript`, or raise :class:`InputError`."""
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as bad:
            before = data[: bad.start]
            line = before.count(b"\n") + 1
            column = bad.start - (before.rfind(b"\n") + 1) + 1
            message = f"not UTF-8: byte {bad.object[bad.start]:#04x}"
            raise InputError(message, source=source, line=line, column=column) from None
        raise InputError(
            f"not valid JSON: {exc.msg}", source=source, line=exc.lineno, column=exc.colno
        ) from exc
    return transcript_from_document(document, source, default_session_id, limits)


def transcript_from_document(
    document: Any, source: str, default_session_id: str, limits: Limits = DEFAULT_LIMITS
) -> Transcript:
    """Build a :class:`Transcript` from an already-decoded JSON document."""
    reader = _Reader(source)
    if isinstance(document, dict) and "kvps" in document and "events" not in document:
        raise InputError(
            "this is chatstats replay output, not a transcript",
            source=source,
            expected="a chatstats-transcript/1 document or Genesys XML",
        )
    top = reader.mapping(document, "$", _TOP_KEYS)
    tag = reader.require(top, "format", "$", str)
    if tag != FORMAT_TAG:
        raise reader.error(
            "format",
            f"unsupported transcript format {tag!r}",
            expected=repr(FORMAT_TAG),
            found=repr(tag),
        )
    started_text = reader.require(top, "started_at", "$", str)
    try:
        started_at = parse_timestamp(started_text)
    except ValueError:
        raise reader.error(
            "started_at",
            "bad timestamp",
            expected="ISO-8601 like 2026-01-05T10:00:00Z",
            found=repr(started_text),
        ) from None
    session_id = reader.optional(top, "session_id", "$", str, default_session_id)
    tenant = reader.optional(top, "tenant_id", "$", int, None)
    user_data = reader.string_map(top.get("user_data", {}), "user_data")
    raw_events = reader.require(top, "events", "$", list)
    if len(raw_events) > limits.max_events:
        raise TooManyEventsError(
            f"too many events: {len(raw_events)}",
            source=source,
            path="events",
            expected=f"at most {limits.max_events}",
        )
    events = tuple(
        _fast_event(raw, index) or reader.event(raw, index) for index, raw in enumerate(raw_events)
    )
    return Transcript(
        session_id=session_id,
        started_at=started_at,
        events=events,
        user_data=user_data,
        tenant_id=tenant,
        source=source,
    )


def event_errors(document: Any, source: str) -> list[InputError]:
    """Every event of a decoded document that the schema refuses, each its own error (the
    loader stops at the first): for ``validate``, which reports them all."""
    if not isinstance(document, dict) or not isinstance(document.get("events"), list):
        return []
    reader = _Reader(source)
    found = []
    for index, raw in enumerate(document["events"]):
        try:
            reader.event(raw, index)
        except InputError as exc:
            found.append(exc)
    return found


_TYPE_NAMES = {str: "a string", int: "an integer", list: "an array", dict: "an object"}


class _Reader:
    """Typed access to a decoded document, raising path-named errors."""

    def __init__(self, source: str) -> None:
        self.source = source

    def error(self, path: str, message: str, **details: Any) -> InputError:
        return InputError(message, source=self.source, path=path, **details)

    def mapping(self, value: Any, path: str, allowed: set[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.error(path, "wrong type", expected="an object", found=type(value).__name__)
        for key in value:
            if key not in allowed:
                near = difflib.get_close_matches(key, sorted(allowed), n=1)
                hint = f"; did you mean {near[0]!r}?" if near else ""
                where = key if path == "$" else f"{path}.{key}"
                raise self.error(
                    where,
                    f"unknown key {key!r}{hint}",
                    expected="one of " + ", ".join(sorted(allowed)),
                )
        return value

    def require(self, obj: dict[str, Any], key: str, path: str, kind: type) -> Any:
        where = key if path == "$" else f"{path}.{key}"
        if key not in obj:
            raise self.error(where, f"missing required key {key!r}")
        return self.typed(obj[key], where, kind)

    def optional(self, obj: dict[str, Any], key: str, path: str, kind: type, default: Any) -> Any:
        if key not in obj:
            return default
        return self.typed(obj[key], key if path == "$" else f"{path}.{key}", kind)

    def typed(self, value: Any, where: str, kind: type) -> Any:
        ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        if not ok:
            raise self.error(
                where, "wrong type", expected=_TYPE_NAMES[kind], found=_describe(value)
            )
        return value

    def string_map(self, value: Any, where: str) -> dict[str, str]:
        if not isinstance(value, dict):
            raise self.error(where, "wrong type", expected="an object", found=_describe(value))
        for key, item in value.items():
            self.typed(item, f"{where}.{key}", str)
        return dict(value)

    def choice(self, obj: dict[str, Any], key: str, path: str, enum_type: type[E], default: E) -> E:
        if key not in obj:
            return default
        where = f"{path}.{key}"
        text = self.typed(obj[key], where, str)
        for member in enum_type:
            if member.value == text:
                return member
        raise self.error(
            where,
            f"unknown {key} {text!r}",
            expected="one of " + ", ".join(m.value for m in enum_type),
            found=repr(text),
        )

    def offset_ms(self, raw: dict[str, Any], path: str) -> int:
        where = f"{path}.t"
        if "t" not in raw:
            raise self.error(where, "missing required key 't'")
        value = raw["t"]
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(
                where, "wrong type", expected="a number of seconds", found=_describe(value)
            )
        if not math.isfinite(value) or value < 0 or value > 10**10:
            raise self.error(
                where,
                "offset out of range",
                expected="seconds from started_at, 0 to 1e10",
                found=repr(value),
            )
        return round(value * 1000)

    def event(self, raw: Any, index: int) -> Event:
        path = f"events[{index}]"
        if not isinstance(raw, dict):
            raise self.error(path, "wrong type", expected="an object", found=_describe(raw))
        kind_text = self.require(raw, "type", path, str)
        kind = next((k for k in EventKind if k.value == kind_text), None)
        if kind is None:
            raise self.error(
                f"{path}.type",
                f"unknown event type {kind_text!r}",
                expected="one of " + ", ".join(k.value for k in EventKind),
            )
        self.mapping(raw, path, _EVENT_KEYS[kind])
        for key in _REQUIRED[kind]:
            self.require(raw, key, path, str)
        t_ms = self.offset_ms(raw, path)
        fields: dict[str, Any] = {"index": index, "t_ms": t_ms, "kind": kind}
        for key in ("party", "nick", "person", "text", "by"):
            if key in raw:
                fields[key] = self.typed(raw[key], f"{path}.{key}", str)
        if kind is EventKind.NOTICE:
            fields["notice_type"] = raw["notice"]
        if "visibility" in raw:
            fields["visibility"] = self.choice(raw, "visibility", path, Visibility, Visibility.ALL)
        if kind is EventKind.JOIN:
            fields["role"] = self.choice(raw, "role", path, Role, Role.CLIENT)
        elif kind is EventKind.LEAVE:
            fields["after"] = self.choice(raw, "after", path, AfterAction, AfterAction.KEEP_ALIVE)
            fields["cause"] = self.choice(raw, "cause", path, LeaveCause, LeaveCause.QUIT)
            if (fields["cause"] is LeaveCause.REMOVED) != ("by" in raw):
                raise self.error(
                    f"{path}.by",
                    "'by' goes with cause 'removed', and only with it",
                    expected="'by' naming the remover exactly when cause is removed",
                )
            server = fields["cause"] is LeaveCause.SERVER
            if server and fields["after"] is not AfterAction.KEEP_ALIVE:
                raise self.error(
                    f"{path}.after",
                    "a server removal asks nothing of the session",
                    expected="no 'after' with cause 'server'",
                    found=repr(fields["after"].value),
                )
        elif kind is EventKind.CLOSE:
            fields["reason"] = self.choice(raw, "reason", path, CloseReason, CloseReason.INACTIVE)
        return Event(**fields)


def _fast_event(raw: Any, index: int) -> Event | None:
    """The event when it is plainly valid, else None (then the validator explains why).

    This is the hot path of loading: dictionary look-ups and exact type checks only, every
    value checked to be a string before it is looked up (a list would not even hash). Any
    doubt returns None, and :meth:`_Reader.event` checks again and raises the precise error, so
    the rules live in one place.
    """
    if type(raw) is not dict:
        return None
    get = raw.get
    type_text = get("type")
    spec = _FAST.get(type_text) if type(type_text) is str else None
    if spec is None:
        return None
    kind, allowed, required = spec
    if not allowed.issuperset(raw):
        return None
    t = get("t")
    if type(t) is not int and type(t) is not float or not 0 <= t <= _MAX_T:  # NaN fails too
        return None
    if kind is EventKind.MESSAGE:  # most events: the same checks, fewer look-ups
        party, text, visibility_text = get("party"), get("text"), get("visibility", "ALL")
        if type(party) is not str or type(text) is not str or type(visibility_text) is not str:
            return None
        visibility = _VISIBILITIES.get(visibility_text)
        if visibility is None:
            return None
        return Event(index, round(t * 1000), kind, party, None, visibility, "", "", text)
    for key in required:
        if key not in raw:
            return None
    party, person, nick = get("party", ""), get("person", ""), get("nick", "")
    text, by, notice = get("text", ""), get("by", ""), get("notice", "")
    if not (
        type(party) is type(person) is type(nick) is type(text) is type(by) is type(notice) is str
    ):
        return None
    visibility_text = get("visibility", "ALL")
    visibility = _VISIBILITIES.get(visibility_text) if type(visibility_text) is str else None
    if visibility is None:
        return None
    role, reason = None, None
    after: AfterAction | None = AfterAction.KEEP_ALIVE
    cause: LeaveCause | None = LeaveCause.QUIT
    if kind is EventKind.JOIN:
        role = _enum_value(_ROLES, raw["role"])
        if role is None:
            return None
    elif kind is EventKind.LEAVE:
        after = _enum_value(_AFTERS, get("after", "keep-alive"))
        cause = _enum_value(_CAUSES, get("cause", "quit"))
        if after is None or cause is None or (cause is LeaveCause.REMOVED) != ("by" in raw):
            return None
        if cause is LeaveCause.SERVER and after is not AfterAction.KEEP_ALIVE:
            return None
    elif kind is EventKind.CLOSE:
        reason = _enum_value(_REASONS, raw["reason"])
        if reason is None:
            return None
    assert after is not None and cause is not None  # for mypy: checked above
    return Event(
        index,
        round(t * 1000),
        kind,
        party,
        role,
        visibility,
        person,
        nick,
        text,
        notice,
        after,
        cause,
        by,
        reason,
    )


def _enum_value(members: dict[str, E], text: Any) -> E | None:
    return members.get(text) if type(text) is str else None


_FAST.update((k.value, (k, frozenset(_EVENT_KEYS[k]), _REQUIRED[k])) for k in EventKind)


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    return {
        bool: "a boolean",
        str: "a string",
        int: "an integer",
        float: "a number",
        list: "an array",
        dict: "an object",
    }.get(type(value), type(value).__name__)
