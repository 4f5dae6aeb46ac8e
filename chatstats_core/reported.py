"""Reported statistics, as a customer hands them over: parse them into comparable values.

Accepted forms (detected from the text):
- a JSON object of KVPs, ``{"csg_SessionEndedBy": "CLIENT", ...}``;
- ``chatstats replay --format json`` or ``jsonl`` output (one or several sessions), which also
  brings the classification, delivery and reporting events;
- ``key=value`` lines;
- user data pasted from a Genesys log: ``'csg_SessionEndedBy'  'CLIENT'`` or
  ``'cse_AgentReplyMaxTime' 12`` lines, quotes optional, tabs or spaces, any other log lines
  around them.

Keys that are not reporting KVPs (``AttributeInteractionId``, say) are ignored with a note.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from .engine import ALL_KVPS, STRING_KVPS
from .errors import InputError

_KVP_NAMES = frozenset(ALL_KVPS)
_LINE = re.compile(r"""^\s*['"]?([A-Za-z_][\w.\-]*)['"]?\s*(?:=|:|\s)\s*(.*?)\s*$""")


@dataclass(frozen=True, slots=True)
class Reported:
    """One reported session: its KVPs and, when the report had them, the other fields."""

    session_id: str | None
    kvps: dict[str, int | str]
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ReportedSet:
    """Everything a report file held, and notes on what was ignored."""

    sessions: tuple[Reported, ...]
    notes: tuple[str, ...]

    def for_session(self, session_id: str) -> Reported | None:
        """The reported session with this id, or the only one when the report names none."""
        for reported in self.sessions:
            if reported.session_id == session_id:
                return reported
        if len(self.sessions) == 1 and self.sessions[0].session_id is None:
            return self.sessions[0]
        return None


def parse_reported(text: str, source: str) -> ReportedSet:
    """Parse a report in any accepted form, or raise :class:`InputError`."""
    stripped = text.lstrip("\ufeff").strip()
    if stripped.startswith("{"):
        documents = _json_documents(stripped, source)
        if all("kvps" in d for d in documents):
            return ReportedSet(tuple(_from_replay(d, source) for d in documents), ())
        if len(documents) == 1:
            notes: list[str] = []
            kvps = _coerce_all(documents[0].items(), source, notes)
            return ReportedSet((Reported(None, kvps),), tuple(notes))
        raise InputError("several JSON objects, but not chatstats replay output",
                         source=source, expected="one object of KVPs, or replay --format json")
    return _from_lines(text, source)


def _json_documents(text: str, source: str) -> list[dict[str, Any]]:
    """One JSON object, JSON Lines, or indented objects one after another."""
    decoder = json.JSONDecoder()
    documents: list[dict[str, Any]] = []
    position = 0
    while position < len(text):
        try:
            document, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON: {exc.msg}", source=source, line=exc.lineno,
                             column=exc.colno) from exc
        if not isinstance(document, dict):
            _not_objects(source)
        documents.append(document)
        while position < len(text) and text[position].isspace():
            position += 1
    return documents


def _not_objects(source: str) -> list[dict[str, Any]]:
    raise InputError("a report must be JSON objects", source=source,
                     expected="an object of KVPs or replay output")


def _from_replay(document: dict[str, Any], source: str) -> Reported:
    notes: list[str] = []
    kvps = _coerce_all(document.get("kvps", {}).items(), source, notes)
    extra: dict[str, Any] = {k: document[k] for k in ("classification", "delivery",
                                                       "reporting_events", "options")
                             if k in document}
    return Reported(document.get("session_id"), kvps, extra)


def _from_lines(text: str, source: str) -> ReportedSet:
    notes: list[str] = []
    pairs: list[tuple[str, Any]] = []
    ignored_lines = 0
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            continue  # comments, such as the session header of replay --format kvp
        match = _LINE.match(line)
        if not match or not match.group(2):
            ignored_lines += bool(line.strip())
            continue
        pairs.append((match.group(1), _unquote(match.group(2))))
    kvps = _coerce_all(pairs, source, notes)
    if ignored_lines:
        noun = "line that is" if ignored_lines == 1 else "lines that are"
        notes.append(f"{source}: note: {ignored_lines} {noun} not key/value pairs ignored")
    if not kvps:
        raise InputError("no reporting KVPs found", source=source,
                         expected="KVP lines such as 'csg_SessionEndedBy' 'CLIENT', key=value "
                                  "lines, or JSON")
    return ReportedSet((Reported(None, kvps),), tuple(notes))


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _coerce_all(pairs, source: str, notes: list[str]) -> dict[str, int | str]:
    kvps: dict[str, int | str] = {}
    skipped: list[str] = []
    for key, value in pairs:
        if key not in _KVP_NAMES:
            skipped.append(key)
            continue
        kvps[key] = _coerce(key, value, source)
    if skipped:
        names = ", ".join(sorted(set(skipped))[:5]) + (" ..." if len(set(skipped)) > 5 else "")
        what = ("1 key that is not a reporting KVP" if len(skipped) == 1
                else f"{len(skipped)} keys that are not reporting KVPs")
        notes.append(f"{source}: note: {what} ignored ({names})")
    return dict(sorted(kvps.items()))


def _coerce(key: str, value: Any, source: str) -> int | str:
    if key in STRING_KVPS:
        return str(value)
    if isinstance(value, bool):
        raise InputError(f"{key} must be a whole number", source=source, found=repr(value))
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if text.lstrip("-").isdigit():
        return int(text)
    raise InputError(f"{key} must be a whole number", source=source, expected="an integer",
                     found=repr(value))
