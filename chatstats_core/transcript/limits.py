"""Limits that keep a hostile or broken transcript from exhausting the machine.

Each limit is checked where the input is read, and exceeding it is an :class:`InputError` that
says which limit and how to raise it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from chatstats_core.errors import InputError

MIB = 1024 * 1024
GZIP_MAGIC = b"\x1f\x8b"  # the first two bytes of every gzip stream (gunzipped within the limit)


@dataclass(frozen=True, slots=True)
class Limits:
    """How much one transcript may hold."""

    max_bytes: int = 64 * MIB
    max_events: int = 1_000_000
    max_depth: int = 32
    max_attribute: int = 64 * 1024


DEFAULT_LIMITS = Limits()


def too_large(source: str, limit: int) -> InputError:
    """The one error for every input over the size limit, whatever read it."""
    return InputError(
        "transcript too large",
        source=source,
        expected=f"at most {limit // MIB} MiB (raise the limit with --max-size)",
        found=f"more than {limit // MIB} MiB",
    )


def read_bounded(stream: IO[bytes], limit: int, source: str) -> bytes:
    """All of a stream, refused as soon as it passes ``limit`` bytes (an endless or inflating
    stream costs at most the limit)."""
    data = bytearray()
    while chunk := stream.read(min(MIB, limit + 1 - len(data))):
        data += chunk
        if len(data) > limit:
            raise too_large(source, limit)
    return bytes(data)


def read_line(stream: IO[bytes], limit: int, source: str) -> bytes:
    """One line of a stream, refused when it passes ``limit`` bytes without ending."""
    line = stream.readline(limit + 1)
    if len(line) > limit:
        raise too_large(source, limit)
    return line
