"""The one error hierarchy of chatstats.

Every problem the core can report is a :class:`ChatstatsError`; the CLI catches that one type,
prints :meth:`ChatstatsError.one_line` and maps it to an exit code. Each error knows where it
happened (file, XML line and column, or a JSON path such as ``events[12].party``), what was
expected and what was found.
"""

from __future__ import annotations

from collections.abc import Iterable


def shown(text: str) -> str:
    """Text from an input, safe to print in a message or on a terminal: control characters (an
    escape sequence, a line break in a file name) appear escaped (``\\x1b``, ``\\n``),
    never acted on; anything else is unchanged."""
    if text.isprintable():
        return text
    return "".join(
        c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text
    )


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


def warning_lines(source: str, warnings: Iterable[str]) -> tuple[str, ...]:
    """Each warning as it is said on stderr: ``file: warning: ...`` (one line each)."""
    return tuple(f"{format_location(source)}: warning: {shown(warning)}" for warning in warnings)


class ChatstatsError(Exception):
    """Base of every error chatstats raises on purpose."""

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
        """``file:line:col``, ``file:json.path`` or ``file``, whatever is known."""
        return format_location(self.source or "<input>", self.line, self.column, self.path)

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


class OptionError(ChatstatsError):
    """An option name or value is not valid."""


class WriteError(ChatstatsError):
    """A transcript holds something the target format cannot express, or a file could not (or
    must not) be written."""
