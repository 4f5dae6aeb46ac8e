"""Reported statistics, as a customer hands them over: parse them into comparable values.

Accepted forms (detected from the text), each holding one session or several:
- a JSON object of KVPs, ``{"csg_SessionEndedBy": "CLIENT", ...}``;
- ``chatstats replay --format json`` or ``jsonl`` output, which also brings the
  classification, delivery and reporting events;
- ``chatstats replay --format csv`` (with the classification) and ``--format infomart``
  (CHAT_SESSION_FACT columns: only the KVPs Info Mart stores are compared);
- ``key=value`` lines;
- user data pasted from a Genesys log: ``'csg_SessionEndedBy'  'CLIENT'`` or
  ``'cse_AgentReplyMaxTime' 12`` lines, quotes optional, tabs or spaces, any other log lines
  around them; ``replay --format kvp`` output is this form with ``# session ID (FILE)`` headers.

Sessions are told apart by those headers, or, in a log paste, by a KVP repeating (a new block of
user data); each is named by its header or its ``csg_ChatSessionID``. A report of several
sessions that does not name each one is an error: comparing it would blend them.

Keys that are not reporting KVPs (``AttributeInteractionId``, say) are ignored with a note.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from chatstats_core.corpus.files import read_text_file
from chatstats_core.csvtext import unguarded
from chatstats_core.engine import ALL_KVPS, STRING_KVPS, kvps
from chatstats_core.engine.families.ending import CLASSIFICATION_FIELDS
from chatstats_core.engine.rules import INFOMART_ROW, ColumnForm, InfomartColumn
from chatstats_core.errors import InputError
from chatstats_core.safetext import kvp_unquoted
from chatstats_core.transcript.timeutil import (
    format_timestamp,
    from_epoch_seconds,
    parse_timestamp,
)

_KVP_NAMES = frozenset(ALL_KVPS)
_LINE = re.compile(r"""^\s*['"]?([A-Za-z_][\w.\-]*)['"]?\s*(?:=|:|\s)\s*(.*?)\s*$""")
_SESSION_HEADER = re.compile(r"^#\s*session\s+(.+?)(?:\s+\((.*)\))?\s*$")
_INFOMART_BY_NAME = {column.name: column for column in INFOMART_ROW}


@dataclass(frozen=True, slots=True)
class Reported:
    """One reported session: its KVPs and, when the report had them, the other fields.

    ``source`` is the transcript file the report names for it, when it names one; ``covers``
    the KVPs its format can carry (None: all of them), so a format that stores only some
    (Info Mart's columns) is compared on those alone.
    """

    session_id: str | None
    kvps: dict[str, int | str]
    extra: dict[str, Any] = field(default_factory=dict)
    source: str | None = None
    covers: frozenset[str] | None = None
    #: timestamp KVPs the report gives only as Info Mart's 15-minute ``*_DATE_TIME_KEY``: the
    #: interval's start, seconds since 1970 UTC; they are compared at that granularity
    date_time_keys: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ReportedSet:
    """Everything a report file held, and notes on what was ignored."""

    sessions: tuple[Reported, ...]
    notes: tuple[str, ...]
    problems: tuple[str, ...] = ()  # rows that could not be read, one error line each

    def for_session(
        self, session_id: str, source: str | None = None, taken: Collection[int] = ()
    ) -> int | None:
        """The index of the reported session with this id (the one naming ``source`` first
        when several share it), or of the only one when the report names none; sessions whose
        index is in ``taken`` were matched already."""
        return _choose(self._by_id(), self.sessions, session_id, source, taken)

    def matcher(self) -> ReportMatcher:
        """A matcher that takes each reported session once, by id (a dictionary look-up:
        matching n sessions costs n look-ups, not n times the report)."""
        return ReportMatcher(self)

    def _by_id(self) -> dict[str | None, list[int]]:
        by_id: dict[str | None, list[int]] = {}
        for index, reported in enumerate(self.sessions):
            by_id.setdefault(reported.session_id, []).append(index)
        return by_id


class ReportMatcher:
    """Matches computed sessions to a report's sessions, each reported session once."""

    def __init__(self, reported: ReportedSet) -> None:
        self.sessions = reported.sessions
        self.by_id = reported._by_id()
        self.taken: set[int] = set()

    def take(self, session_id: str, source: str | None = None) -> int | None:
        """The reported session this one meets (see :meth:`ReportedSet.for_session`), now
        taken; None when the report has none left for it."""
        index = _choose(self.by_id, self.sessions, session_id, source, self.taken)
        if index is not None:
            self.taken.add(index)
            self.by_id[self.sessions[index].session_id].remove(index)  # short: ids are unique
        return index

    def untaken(self) -> list[int]:
        """The reported sessions no computed session met, in the report's order."""
        return [i for i in range(len(self.sessions)) if i not in self.taken]


def _choose(
    by_id: dict[str | None, list[int]],
    sessions: Sequence[Reported],
    session_id: str,
    source: str | None,
    taken: Collection[int],
) -> int | None:
    found = sorted(i for i in (*by_id.get(session_id, ()), *by_id.get(None, ())) if i not in taken)
    named = [i for i in found if sessions[i].source == source]
    chosen = named or found
    return chosen[0] if chosen else None


#: The columns an Info Mart export names its session with: chatstats's own, and the
#: interaction id Info Mart keys its facts by (which "could be different from"
#: csg_ChatSessionID, the seed says).
INFOMART_ID_COLUMNS = ("SESSION_ID", "MEDIA_SERVER_IXN_GUID")


def parse_reported(text: str, source: str, id_column: str | None = None) -> ReportedSet:
    """Parse a report in any accepted form, or raise :class:`InputError`."""
    stripped = text.lstrip("\ufeff").strip()
    if stripped.startswith("["):
        raise InputError(
            "a report must be JSON objects, not a list",
            source=source,
            expected="an object of KVPs, or replay --format json/jsonl output",
            found="a JSON array",
        )
    if stripped.startswith("{"):
        return _from_json(stripped, source)
    first_line = stripped.split("\n", 1)[0]
    head = [cell.strip().strip('"').upper() for cell in first_line.split(",")]
    named_id = id_column is not None and id_column.upper() in head
    columns = {name.rsplit(".", 1)[-1] for name in head}
    if (
        first_line.startswith("session_id,source,")
        or named_id
        or (len(head) > 1 and bool(columns & set(INFOMART_ID_COLUMNS)))
        or len(columns & set(_INFOMART_BY_NAME)) >= 3  # Info Mart's columns: its export
    ):
        return _from_csv(stripped, source, id_column)
    return _check_named(_from_lines(text, source), source)


def _from_json(text: str, source: str) -> ReportedSet:
    documents = _json_documents(text, source)
    if all("kvps" in d for d in documents):
        return ReportedSet(tuple(_from_replay(d, source) for d in documents), ())
    if len(documents) == 1:
        notes: list[str] = []
        kvps = _coerce_all(documents[0].items(), source, notes)
        return ReportedSet((Reported(_named(kvps), kvps),), tuple(notes))
    raise InputError(
        "several JSON objects, but not chatstats replay output",
        source=source,
        expected="one object of KVPs, or replay --format json",
    )


def _named(values: dict[str, int | str]) -> str | None:
    name = values.get(kvps.csg_ChatSessionID)
    return None if name is None else str(name)


def _check_named(reported: ReportedSet, source: str) -> ReportedSet:
    """Several sessions must each be named: comparing unnamed ones would blend them."""
    unnamed = sum(r.session_id is None for r in reported.sessions)
    if len(reported.sessions) > 1 and unnamed:
        raise InputError(
            f"the report holds {len(reported.sessions)} sessions and {unnamed} of "
            "them name no session",
            source=source,
            expected="a '# session ID' header or a csg_ChatSessionID in each",
        )
    return reported


def _json_documents(text: str, source: str) -> list[dict[str, Any]]:
    """One JSON object, JSON Lines, or indented objects one after another."""
    decoder = json.JSONDecoder()
    documents: list[dict[str, Any]] = []
    position = 0
    while position < len(text):
        try:
            document, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"not valid JSON: {exc.msg}", source=source, line=exc.lineno, column=exc.colno
            ) from exc
        except RecursionError:
            raise InputError(
                "not valid JSON: nested too deeply", source=source, expected="a flat object of KVPs"
            ) from None
        except ValueError:  # an integer of thousands of digits
            raise InputError(
                "not valid JSON: a number too long to read",
                source=source,
                expected="at most 4300 digits",
            ) from None
        if not isinstance(document, dict):
            _not_objects(source)
        documents.append(document)
        while position < len(text) and text[position].isspace():
            position += 1
    return documents


def _not_objects(source: str) -> list[dict[str, Any]]:
    raise InputError(
        "a report must be JSON objects",
        source=source,
        expected="an object of KVPs or replay output",
    )


def _from_replay(document: dict[str, Any], source: str) -> Reported:
    notes: list[str] = []
    kvps = _coerce_all(document.get("kvps", {}).items(), source, notes)
    extra: dict[str, Any] = {
        k: document[k]
        for k in ("classification", "delivery", "reporting_events", "options")
        if k in document
    }
    session_id = document.get("session_id")
    named = document.get("source")
    return Reported(
        None if session_id is None else str(session_id),
        kvps,
        extra,
        named if isinstance(named, str) else None,
    )


def _from_csv(text: str, source: str, id_column: str | None = None) -> ReportedSet:
    """``replay --format csv`` (KVP and classification columns) or an Info Mart export:
    ``--format infomart``, or a database's own (column names in any case, as PostgreSQL writes
    them lower-case; the id in ``SESSION_ID``, ``MEDIA_SERVER_IXN_GUID`` or ``id_column``)."""
    rows = csv.reader(io.StringIO(text, newline=""))  # a quoted cell may hold a line break
    header = next(rows)
    infomart = header[:2] != ["session_id", "source"]
    if infomart:
        header = _infomart_header(header, id_column, source)
    sessions: list[Reported] = []
    notes: list[str] = []
    problems: list[str] = []
    for number, cells in enumerate(rows, 1):
        if not any(cells):
            continue
        try:
            sessions.append(
                _csv_session(header, cells, infomart, f"{source}:data row {number}", notes)
            )
        except InputError as exc:  # one bad row costs that row only
            problems.append(exc.one_line())
    return ReportedSet(tuple(sessions), tuple(dict.fromkeys(notes)), tuple(problems))


def _csv_session(
    header: list[str], cells: list[str], infomart: bool, where: str, notes: list[str]
) -> Reported:
    """One data row of a replay CSV or an Info Mart CSV as a reported session."""
    if len(cells) != len(header):
        raise InputError(
            f"the row has {len(cells)} cells",
            source=where,
            expected=f"{len(header)}, as the header has",
        )
    by_column = dict(zip(header, map(unguarded, cells), strict=True))
    if infomart:
        return _infomart_session(by_column, where, notes)
    kvps = _coerce_all(
        [(c, v) for c, v in by_column.items() if c in _KVP_NAMES and v != ""], where, notes
    )
    classification = {
        name: _classification_cell(by_column.get(name, "")) for name in CLASSIFICATION_FIELDS
    }
    return Reported(
        by_column["session_id"],
        kvps,
        {"classification": classification},
        by_column.get("source") or None,
    )


def _infomart_session(by_column: dict[str, str], where: str, notes: list[str]) -> Reported:
    """An Info Mart row: its columns as KVPs. A ``*_TS`` (seconds since 1970, or a timestamp)
    is the instant itself; a ``*_DATE_TIME_KEY`` is the instant where it is a timestamp (as
    chatstats once wrote it) and, where it is GIM's integer, only the interval's start. The row
    covers the KVPs of its columns: an export of a few columns is compared on those."""
    pairs: list[tuple[str, str]] = []
    exact: dict[str, str] = {}
    keys: dict[str, int] = {}
    for name, value in by_column.items():
        column = _INFOMART_BY_NAME.get(name)
        if column is None or value == "":
            continue
        if column.form is ColumnForm.VALUE:
            pairs.append((column.kvp, value))
        elif column.form is ColumnForm.DATE_TIME_KEY and _is_integer(value):
            keys[column.kvp] = _seconds(column, value, where)
        elif column.form is ColumnForm.UTC_SECONDS or column.kvp not in exact:
            exact[column.kvp] = _instant(column, value, where)
    return Reported(
        by_column["SESSION_ID"],
        _coerce_all([*pairs, *exact.items()], where, notes),
        covers=frozenset(_INFOMART_BY_NAME[n].kvp for n in by_column if n in _INFOMART_BY_NAME),
        date_time_keys={k: v for k, v in keys.items() if k not in exact},
    )


def _is_integer(text: str) -> bool:
    return text.strip().lstrip("-").isdigit()


def _seconds(column: InfomartColumn, value: str, where: str) -> int:
    """An integer cell of seconds since 1970, within years 1-9999."""
    try:
        seconds = int(value)
        from_epoch_seconds(seconds)  # raises beyond years 1-9999
        return seconds
    except ValueError:
        raise _not_a_time(column, value, where) from None


def _instant(column: InfomartColumn, value: str, where: str) -> str:
    """A ``*_TS`` or timestamp cell as the KVP's text (``2026-01-05T10:00:00Z``)."""
    if _is_integer(value):
        return format_timestamp(from_epoch_seconds(_seconds(column, value, where)))
    try:
        return format_timestamp(parse_timestamp(value))
    except ValueError:
        raise _not_a_time(column, value, where) from None


def _not_a_time(column: InfomartColumn, value: str, where: str) -> InputError:
    return InputError(
        f"{column.name} is not a time within years 1-9999",
        source=where,
        expected="seconds since 1970 or an ISO-8601 timestamp",
        found=value[:40],
    )


def _infomart_header(header: list[str], id_column: str | None, source: str) -> list[str]:
    """An Info Mart export's header in chatstats's names: upper case, its id column as
    ``SESSION_ID``, ``TABLE.COLUMN`` as ``COLUMN``."""
    names = [cell.strip().upper().rsplit(".", 1)[-1] for cell in header]
    wanted = [id_column.upper()] if id_column else list(INFOMART_ID_COLUMNS)
    found = next((name for name in wanted if name in names), None)
    if found is None:
        raise InputError(
            "no session id column in the Info Mart export",
            source=source,
            expected=" or ".join(wanted) + " (or name it with --id-column)",
            found=", ".join(names[:6]) + (", ..." if len(names) > 6 else ""),
        )
    # the id column becomes SESSION_ID; another column of that name is not the id then
    return [
        "SESSION_ID" if name == found else ("" if name == "SESSION_ID" else name) for name in names
    ]


def _classification_cell(cell: str) -> str | bool | None:
    return {"": None, "true": True, "false": False}.get(cell, cell)


def _from_lines(text: str, source: str) -> ReportedSet:
    """Log lines or key=value lines, split into sessions at ``# session`` headers and where a
    KVP repeats."""
    notes: list[str] = []
    blocks: list[tuple[str | None, str | None, list[tuple[str, Any]]]] = []
    ignored_lines = 0
    for line in text.splitlines():
        header = _SESSION_HEADER.match(line.strip())
        if header:
            named = header.group(2)
            blocks.append(
                (kvp_unquoted(header.group(1)), None if named is None else kvp_unquoted(named), [])
            )
            continue
        if line.lstrip().startswith("#"):
            continue  # other comments
        match = _LINE.match(line)
        if not match or not match.group(2):
            ignored_lines += bool(line.strip())
            continue
        key = match.group(1)
        if not blocks or (key in _KVP_NAMES and any(k == key for k, _ in blocks[-1][2])):
            blocks.append((None, None, []))  # a new block of user data
        blocks[-1][2].append((key, _unquote(match.group(2))))
    sessions = []
    for session_id, named_source, pairs in blocks:
        kvps = _coerce_all(pairs, source, notes)
        if kvps or session_id is not None:
            sessions.append(Reported(session_id or _named(kvps), kvps, source=named_source))
    if ignored_lines:
        noun = "line that is" if ignored_lines == 1 else "lines that are"
        notes.append(f"{source}: note: {ignored_lines} {noun} not key/value pairs ignored")
    if not any(r.kvps for r in sessions):
        raise InputError(
            "no reporting KVPs found",
            source=source,
            expected="KVP lines such as 'csg_SessionEndedBy' 'CLIENT', key=value lines, or JSON",
        )
    return ReportedSet(tuple(sessions), tuple(dict.fromkeys(notes)))


def _unquote(value: str) -> str:
    """A value without its quotes; a single-quoted one also loses the backslash escapes that
    ``replay --format kvp`` (like Genesys logs) writes: ``\\'``, ``\\\\``, ``\\n``, ``\\x1b``..."""
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] == "'":
        return kvp_unquoted(value[1:-1])
    if len(value) >= 2 and value[0] == value[-1] and value[0] == '"':
        return value[1:-1]
    return value


def _coerce_all(
    pairs: Iterable[tuple[str, Any]], source: str, notes: list[str]
) -> dict[str, int | str]:
    kvps: dict[str, int | str] = {}
    skipped: list[str] = []
    for key, value in pairs:
        if key not in _KVP_NAMES:
            skipped.append(key)
            continue
        kvps[key] = _coerce(key, value, source)
    if skipped:
        names = ", ".join(sorted(set(skipped))[:5]) + (" ..." if len(set(skipped)) > 5 else "")
        what = (
            "1 key that is not a reporting KVP"
            if len(skipped) == 1
            else f"{len(skipped)} keys that are not reporting KVPs"
        )
        notes.append(f"{source}: note: {what} ignored ({names})")
    return dict(sorted(kvps.items()))


def _coerce(key: str, value: Any, source: str) -> int | str:
    if key in STRING_KVPS:
        return str(value)
    if isinstance(value, bool):
        raise InputError(f"{key} must be a whole number", source=source, found=repr(value))
    if isinstance(value, int):
        return _in_range(key, value, source)
    text = str(value).strip()
    if _is_integer(text) and len(text) <= 20:
        return _in_range(key, int(text), source)
    raise InputError(
        f"{key} must be a whole number", source=source, expected="an integer", found=repr(value)
    )


def _in_range(key: str, value: int, source: str) -> int:
    """A reported count or duration fits a 64-bit integer, as in Info Mart's tables."""
    if not -(2**63) <= value < 2**63:
        raise InputError(
            f"{key} is out of range",
            source=source,
            expected="a 64-bit integer",
            found=f"{len(str(value))} digits",
        )
    return value


def read_reported(name: str, id_column: str | None = None) -> ReportedSet:
    """The report in a file (``-``: standard input), parsed; an error names the file."""
    return parse_reported(read_text_file(name, "report"), name, id_column)
