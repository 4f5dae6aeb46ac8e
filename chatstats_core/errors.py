"""The one error hierarchy of chatstats, and its warnings as values.

Every problem the core can report is a :class:`ChatstatsError`; each carries the exit status
it means, and the CLI's one boundary prints :meth:`ChatstatsError.one_line` and exits with it.
Each error knows where it happened (file, XML line and column, or a JSON path such as
``events[12].party``), what was expected and what was found.

What does not stop a replay is a :class:`ChatstatsWarning`: a code from :class:`WarningCode`,
where it is (the event index, the source line) and the message; it becomes text only at the
edge (:attr:`ChatstatsWarning.text`, :func:`warning_lines`).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass

from chatstats_core.safetext import shown

#: A JSON Lines record's name: the file and its line (``corpus.jsonl:17``, ``-:3``).
_JSON_LINES_RECORD = re.compile(r"(?:\.jsonl(?:\.gz)?|^-):[0-9]+$")


class ExitStatus(enum.IntEnum):
    """How a run of chatstats ends, as the README's exit-code table says."""

    OK = 0
    #: diff found differences, fit no exact fit, validate only warnings (as diff and grep use 1)
    DIFFERENT = 1
    #: the run could not be done as asked: bad usage, unreadable input, unwritable output
    TROUBLE = 2
    INTERRUPTED = 130  # Ctrl-C, as a shell reports SIGINT
    PIPE_CLOSED = 141  # killed by SIGPIPE: the reader of stdout went away
    TERMINATED = 143  # SIGTERM


def format_location(
    source: str, line: int | None = None, column: int | None = None, path: str | None = None
) -> str:
    """``file:line:col``, ``file:json.path`` or ``file``, whatever is known; a file name with
    control characters is quoted, so the message stays one line."""
    parts = [source if source.isprintable() else repr(source)]
    if line is not None:
        parts.append(str(line))
        if column is not None:
            parts.append(str(column))
    elif path:
        parts.append(path)
    return ":".join(parts)


class WarningCode(enum.StrEnum):
    """What a warning is about. Loading: ``UNKNOWN_*``; options: ``OPTIONS``; the replay's
    events: ``PARTY_*``, ``INACTIVITY_*``, ``RESTORATION_FORGETS_AGENTS``,
    ``FORGOTTEN_PARTY_ACTS``; the
    session: the rest."""

    UNKNOWN_ELEMENT = "unknown-element"
    UNKNOWN_USER_TYPE = "unknown-user-type"
    UNKNOWN_REASON_CODE = "unknown-reason-code"
    OPTIONS = "options"
    PARTY_NEVER_JOINED = "party-never-joined"
    PARTY_JOINED_AGAIN = "party-joined-again"
    PARTY_NOT_PRESENT = "party-not-present"
    INACTIVITY_CLOSURE_KEPT = "inactivity-closure-kept"
    RESTORATION_FORGETS_AGENTS = "restoration-forgets-agents"
    FORGOTTEN_PARTY_ACTS = "forgotten-party-acts"
    INACTIVITY_ALERT_NOT_SIMULATED = "inactivity-alert-not-simulated"
    MORE_EVENT_WARNINGS = "more-event-warnings"
    EVENTS_DROPPED = "events-dropped"
    OUTSIDE_SEED_TABLE = "outside-seed-table"
    STILL_OPEN = "still-open"
    OPEN_AT_STOP = "open-at-stop"


@dataclass(frozen=True, slots=True)
class ChatstatsWarning:
    """Something that does not stop a replay but may make its numbers doubtful.

    ``event`` is the index of the event it is about, and ``line`` its source line, when known.
    ``names_event`` says whether the text starts with the event (``event 3 (line 9): ...``);
    a session-level warning may still point at an event (the closing event, for validate).
    """

    code: WarningCode
    message: str
    event: int | None = None
    line: int | None = None
    names_event: bool = False

    @property
    def text(self) -> str:
        """The warning as people read it: ``event 3 (line 9): message``, ``line 9: message``
        (while loading) or the message alone."""
        if self.names_event:
            at_line = f" (line {self.line})" if self.line is not None else ""
            return f"event {self.event}{at_line}: {self.message}"
        if self.line is not None:
            return f"line {self.line}: {self.message}"
        return self.message


def warning_texts(warnings: Iterable[ChatstatsWarning]) -> list[str]:
    """Each warning's text, in order (as JSON outputs list them)."""
    return [warning.text for warning in warnings]


def warning_lines(source: str, warnings: Iterable[ChatstatsWarning]) -> tuple[str, ...]:
    """Each warning as it is said on stderr, located as errors and ``validate`` locate things:
    ``file:10: warning: event 2: ...`` (the XML line first, then the event), ``file: warning:
    event 2: ...`` (JSON), ``file: warning: ...`` (the session); one line each."""
    return tuple(_warning_line(source, warning) for warning in warnings)


def _warning_line(source: str, warning: ChatstatsWarning) -> str:
    event = f"event {warning.event}: " if warning.names_event else ""
    return f"{format_location(source, warning.line)}: warning: {event}{shown(warning.message)}"


class ChatstatsError(Exception):
    """Base of every error chatstats raises on purpose; ``exit_status`` is what it means for
    the process (the CLI exits with it)."""

    exit_status: int = ExitStatus.TROUBLE

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        line: int | None = None,
        column: int | None = None,
        path: str | None = None,
        expected: str | None = None,
        found: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.line = line
        self.column = column
        self.path = path
        self.expected = expected
        self.found = found

    def with_source(self, source: str) -> ChatstatsError:
        """Return this error with its file name filled in (when it had none)."""
        if self.source is None:
            self.source = source
        return self

    @property
    def location(self) -> str:
        """``file:line:col``, ``file:json.path`` or ``file``, whatever is known. A JSON Lines
        record's source already names its line (``corpus.jsonl:17``): a position in it is that
        line's column, ``corpus.jsonl:17:38`` (not ``corpus.jsonl:17:1:38``)."""
        source = self.source or "<input>"
        if self.line == 1 and _JSON_LINES_RECORD.search(source):
            return format_location(source, self.column) if self.column else source
        return format_location(source, self.line, self.column, self.path)

    def one_line(self) -> str:
        """The error as one line, in the style of compilers: ``file:line:col: error: ...``."""
        text = self.message
        if self.expected is not None:
            text += f" (expected {self.expected}"
            text += f", found {self.found})" if self.found is not None else ")"
        return f"{self.location}: error: {shown(text)}"

    def __str__(self) -> str:
        return self.one_line()


class InputError(ChatstatsError):
    """A transcript could not be read: not XML or JSON, malformed, or missing required data."""


class TooManyEventsError(InputError):
    """A transcript holds more events than the limit it is read under (a command that keeps
    every event's trace reads under a lower one, and says so)."""


class UsageError(ChatstatsError):
    """The command line asks for what cannot be done: two modes at once, a value out of range,
    a combination of formats and targets that has no output. ``source`` is the command."""


class OptionError(ChatstatsError):
    """An option name or value is not valid."""


class UnknownKvpError(ChatstatsError):
    """A name given as a KVP (``--kvp``, explain's keys) that is not one."""


class WriteError(ChatstatsError):
    """A transcript holds something the target format cannot express, or a file could not (or
    must not) be written."""
