"""``chatstats validate``: every structural and semantic problem of a transcript, located.

Structural problems stop at the first (the document cannot be read past it), but every JSON
event the schema refuses is its own problem; inputs are read as every command reads them
(folders, globs, JSON Lines, CSV exports, stdin). Semantic problems
are all reported: decreasing offsets and removals without a known remover from a pass over the
events, and everything the replay itself warns about (parties that never joined, joining twice,
events after the closure, a session still open...), so validate and replay never disagree.
Which problems are errors and which warnings: docs/formats.md.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from chatstats_core.corpus.inputs import BadItem, SkippedFile, expand
from chatstats_core.engine import replay_session
from chatstats_core.engine.options import Options
from chatstats_core.engine.replay import TraceKind
from chatstats_core.errors import ChatstatsError, WarningCode, format_location
from chatstats_core.transcript.limits import DEFAULT_LIMITS, Limits
from chatstats_core.transcript.loading import load_bytes
from chatstats_core.transcript.loading.json_format import event_errors
from chatstats_core.transcript.model import (
    EventKind,
    LeaveCause,
    Role,
    Transcript,
)


class Severity(enum.Enum):
    """Errors stop a replay; warnings do not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem, where it is, and how bad."""

    severity: Severity
    source: str
    message: str
    line: int | None = None
    column: int | None = None
    path: str | None = None

    @property
    def location(self) -> str:
        """``file:line:col``, ``file:json.path`` or ``file``."""
        return format_location(self.source, self.line, self.column, self.path)

    def one_line(self) -> str:
        """``file:line: warning: message``."""
        return f"{self.location}: {self.severity.value}: {self.message}"


@dataclass(frozen=True, slots=True)
class Validation:
    """The problems of one input."""

    source: str
    session_id: str | None
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> int:
        """How many errors."""
        return sum(p.severity is Severity.ERROR for p in self.problems)

    @property
    def warnings(self) -> int:
        """How many warnings."""
        return sum(p.severity is Severity.WARNING for p in self.problems)


def validate_bytes(
    data: bytes,
    source: str,
    default_session_id: str = "",
    options: Options | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Validation:
    """Every problem of one transcript (a document that cannot be read ends the search; in JSON
    every event the schema refuses is reported, not only the first)."""
    try:
        transcript = load_bytes(data, source, default_session_id, limits, check_order=False)
    except ChatstatsError as exc:
        return Validation(source, None, tuple(_all_errors(exc, data, source)))
    problems = [
        Problem(Severity.WARNING, source, warning.message, warning.line)
        for warning in transcript.load_warnings
    ]
    problems += _decreasing_offsets(transcript)
    problems += _unknown_removers(transcript)
    if not any(e.kind is EventKind.JOIN and e.role is Role.CLIENT for e in transcript.events):
        problems.append(Problem(Severity.WARNING, source, "the session has no client"))
    # The replay's own findings: its warnings about events, located; each event dropped after
    # the closure (from the trace: the dropped-events summary is left out); and its
    # session-level warnings (options, still open).
    result = replay_session(transcript, options or Options(), trace=True)
    problems += [
        _at_event(Severity.WARNING, transcript, warning.event, warning.message)
        for warning in result.warnings
        if warning.event is not None
    ]
    problems += [
        _at_event(
            Severity.WARNING,
            transcript,
            entry.event,
            f"{entry.text} at t={result.timelines.end_ms / 1000:g}s, dropped",
        )
        for entry in result.trace
        if entry.kind is TraceKind.DROPPED and entry.event is not None
    ]
    problems += [
        Problem(Severity.WARNING, source, warning.message)
        for warning in result.warnings
        if warning.code in _SESSION_WARNINGS_SHOWN
    ]
    return Validation(source, transcript.session_id, tuple(problems))


def _all_errors(first: ChatstatsError, data: bytes, source: str) -> list[Problem]:
    """The loader's error, or, when it is about one JSON event, every event's error."""
    if not (first.path or "").startswith("events["):
        return [_from_error(first, source)]
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError:
        return [_from_error(first, source)]
    found = event_errors(document, source)
    return [_from_error(error, source) for error in found] or [_from_error(first, source)]


def validate_inputs(
    specs: Sequence[str],
    options: Options | None = None,
    limits: Limits = DEFAULT_LIMITS,
    csv_column: str | None = None,
) -> Iterator[Validation]:
    """Every transcript the inputs name, validated in order: files, folders, globs, JSON Lines
    (one per line), CSV exports (``csv_column``) and stdin, read as every command reads them;
    an input that cannot be read is its own error, and the others go on."""
    for item in expand(specs, csv_column, limits):
        if isinstance(item, SkippedFile):
            continue
        if isinstance(item, BadItem):
            source = item.error.source or "?"
            yield Validation(source, None, (_from_error(item.error, source),))
            continue
        yield validate_bytes(item.data, item.source, item.default_session_id, options, limits)


def _from_error(error: ChatstatsError, source: str) -> Problem:
    message = error.one_line().split(": error: ", 1)[-1]
    return Problem(
        Severity.ERROR, error.source or source, message, error.line, error.column, error.path
    )


#: The session-level warnings of a replay that validate repeats as they are (the load warnings
#: are taken from the transcript, located, and the dropped-events summary from the trace).
_SESSION_WARNINGS_SHOWN = frozenset({WarningCode.OPTIONS, WarningCode.STILL_OPEN})


def _at_event(
    severity: Severity, transcript: Transcript, index: int, message: str, line: int | None = None
) -> Problem:
    event = transcript.events[index]
    line = line if line is not None else event.line
    path = None if line is not None else f"events[{index}]"
    return Problem(severity, transcript.source, message, line, event.column, path)


def _decreasing_offsets(transcript: Transcript) -> Iterator[Problem]:
    events = transcript.events
    for previous, event in zip(events, events[1:], strict=False):
        if event.t_ms < previous.t_ms:
            yield _at_event(
                Severity.ERROR,
                transcript,
                event.index,
                f"event {event.index} goes back in time: offset "
                f"{event.t_ms / 1000:g}s after {previous.t_ms / 1000:g}s "
                f"(event {previous.index})",
            )


def _unknown_removers(transcript: Transcript) -> Iterator[Problem]:
    joined: set[str] = set()
    for event in transcript.events:
        if event.kind is EventKind.JOIN:
            joined.add(event.party)
        elif (
            event.kind is EventKind.LEAVE
            and event.cause is LeaveCause.REMOVED
            and event.by not in joined
        ):
            who = repr(event.by) if event.by else "nobody"
            yield _at_event(
                Severity.WARNING,
                transcript,
                event.index,
                f"{event.party!r} removed by {who}, who never joined",
            )


def validation_document(reports: Sequence[Validation]) -> dict[str, Any]:
    """``validate --format json``: the totals, then each file's problems."""
    return {
        "errors": sum(r.errors for r in reports),
        "warnings": sum(r.warnings for r in reports),
        "files": [
            {
                "source": r.source,
                "session_id": r.session_id,
                "errors": r.errors,
                "warnings": r.warnings,
                "problems": [
                    {
                        "severity": p.severity.value,
                        "line": p.line,
                        "column": p.column,
                        "path": p.path,
                        "message": p.message,
                    }
                    for p in r.problems
                ],
            }
            for r in reports
        ],
    }


def validation_text(reports: Sequence[Validation]) -> str:
    """``validate --format text``: one problem per line, ``file:line:col: severity: message``."""
    return "".join(p.one_line() + "\n" for report in reports for p in report.problems)


def validation_summary(reports: Sequence[Validation]) -> str:
    """The closing line on stderr: transcripts (a JSON Lines line, a CSV row, a file each),
    clean ones, errors and warnings."""
    errors = sum(r.errors for r in reports)
    warnings = sum(r.warnings for r in reports)
    clean = sum(not r.problems for r in reports)
    noun = "transcript" if len(reports) == 1 else "transcripts"
    return f"validate: {len(reports)} {noun}, {clean} clean, {errors} errors, {warnings} warnings"
