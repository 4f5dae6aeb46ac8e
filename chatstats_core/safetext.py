"""Text from an input made safe to show: the one escaping every text renderer uses.

A transcript can carry escape sequences (ESC, BEL, OSC), bidi overrides and other format
characters in session ids, nicknames, texts and user data. Printed raw they retitle or clear a
terminal, or reorder what a reader sees; so every text output shows them escaped, as Python
writes them (``\\x1b``, ``\\u202e``, ``\\n``): :func:`shown`. JSON escapes them by
construction. The ``kvp`` format escapes reversibly (:func:`kvp_quoted`, read back by
:func:`kvp_unquoted`), since ``diff --expected`` reads it back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence


def shown(text: str) -> str:
    """Text from an input, safe to print in a message or on a terminal: every character that
    is not printable (controls, format characters such as bidi overrides, line and paragraph
    separators, other spaces than the space) appears escaped (``\\x1b``, ``\\u202e``, ``\\n``),
    never acted on; anything else is unchanged."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else _escaped(c) for c in text)


def clipped(text: str, width: int) -> str:
    """``text`` in at most ``width`` characters: cut with ``…`` as its last when longer."""
    return text if len(text) <= width else text[: width - 1] + "…"


def listed(names: Sequence[str], total: int | None = None, most: int = 3) -> str:
    """The first ``most`` of some names from inputs (ids, files), shown escaped, and ``...``
    when there were more (``total`` of them, when only the first were kept)."""
    more = (total if total is not None else len(names)) > most
    return ", ".join(shown(name) for name in names[:most]) + (", ..." if more else "")


def _escaped(c: str) -> str:
    return c.encode("unicode_escape").decode("ascii")


def kvp_escaped(value: str, quote: str = "") -> str:
    """Text as the ``kvp`` format writes it: ``\\`` (and the ``quote`` character) backslash-
    escaped, and every character that is not printable escaped as :func:`shown` does, so no
    value can start a line of its own or act on a terminal, and :func:`kvp_unquoted` gives it
    back exactly."""
    escaped = value.replace("\\", "\\\\")
    if quote:
        escaped = escaped.replace(quote, "\\" + quote)
    return escaped if escaped.isprintable() else shown(escaped)


def kvp_quoted(value: str) -> str:
    """A string value as the ``kvp`` format (and Genesys logs) print it: in single quotes,
    escaped by :func:`kvp_escaped`."""
    return "'" + kvp_escaped(value, "'") + "'"


_KVP_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", re.S)
_SIMPLE = {"n": "\n", "r": "\r", "t": "\t"}


def kvp_unquoted(inner: str) -> str:
    """The value :func:`kvp_quoted` quoted (given without its quotes): ``\\n``, ``\\r``,
    ``\\t``, ``\\xhh``, ``\\uhhhh`` and ``\\Uhhhhhhhh`` are the characters they name, a
    backslash before anything else is dropped (``\\'`` is ``'``)."""

    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if len(code) > 1:
            number = int(code[1:], 16)
            return chr(number) if number <= 0x10FFFF else match.group(0)
        return _SIMPLE.get(code, code)

    return _KVP_ESCAPE.sub(one, inner)
