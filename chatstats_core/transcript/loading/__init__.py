"""Load transcripts from bytes or files, detecting XML or JSON from the content itself."""

from __future__ import annotations

import enum
import gzip
import io
import re
import zlib
from datetime import timedelta
from pathlib import Path
from typing import Any

from chatstats_core.errors import InputError
from chatstats_core.transcript.limits import (
    DEFAULT_LIMITS,
    GZIP_MAGIC,
    MIB,
    Limits,
    read_bounded,
    too_large,
)
from chatstats_core.transcript.loading.json_format import (
    FORMAT_TAG,
    load_json,
    transcript_from_document,
)
from chatstats_core.transcript.loading.xml_format import load_xml
from chatstats_core.transcript.model import Transcript, session_id_from_name
from chatstats_core.transcript.timeutil import LATEST, format_timestamp

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


class InputFormat(enum.Enum):
    """The transcript formats chatstats reads."""

    XML = "xml"
    JSON = "json"


_MEANINGFUL = re.compile(rb"[^ \t\r\n]")


def detect_format(data: bytes, source: str = "<input>") -> InputFormat:
    """Tell XML from JSON by the first meaningful character (a BOM and any amount of white
    space skipped, as both parsers skip it). UTF-16 XML declares its encoding and is read;
    UTF-16 JSON is refused by name (JSON transcripts are UTF-8)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        if data[2:].lstrip(b" \t\r\n\x00").startswith(b"{"):
            raise _utf16_json(source)
        return InputFormat.XML  # UTF-16 with a BOM: only XML declares its own encoding
    body = data.removeprefix(b"\xef\xbb\xbf")
    first = _MEANINGFUL.search(body)
    head = body[first.start() : first.start() + 20] if first else b""
    if head.startswith(b"<"):
        return InputFormat.XML
    if head.startswith((b"{\x00", b"\x00{")):
        raise _utf16_json(source)
    if head.startswith(b"{"):
        return InputFormat.JSON
    found = repr(head) if head else "an empty input"
    raise InputError(
        "neither XML nor JSON",
        source=source,
        expected="a <chatTranscript> XML document or a JSON object",
        found=found,
    )


def _utf16_json(source: str) -> InputError:
    return InputError(
        "UTF-16 JSON is not read",
        source=source,
        expected="a JSON transcript in UTF-8 (save it as UTF-8)",
        found="UTF-16",
    )


def load_bytes(
    data: bytes,
    source: str,
    default_session_id: str = "",
    limits: Limits = DEFAULT_LIMITS,
    check_order: bool = True,
) -> Transcript:
    """Load one transcript from its bytes (gzip-compressed or not); ``source`` names it in
    errors and output. ``check_order=False`` leaves decreasing offsets to the caller."""
    if data.startswith(GZIP_MAGIC) or source.endswith(".gz"):
        data = _gunzip(data, source, limits)
    _check_size(len(data), source, limits)
    fmt = detect_format(data, source)
    if fmt is InputFormat.XML:
        transcript = load_xml(data, source, limits)
    else:
        data = data.removeprefix(b"\xef\xbb\xbf")
        transcript = load_json(data, source, default_session_id or source, limits)
    check_dates(transcript)
    if check_order:
        check_offsets(transcript)
    return transcript


def check_dates(transcript: Transcript) -> None:
    """The session must start, and every event fall, early enough that its timers still land
    on a date a timestamp can show (before year 10000)."""
    last = max(transcript.events, key=lambda e: e.t_ms, default=None)
    latest_ms = last.t_ms if last is not None else 0
    try:
        if transcript.started_at + timedelta(milliseconds=latest_ms) <= LATEST:
            return
    except OverflowError:  # past year 9999 already: refused below, like any later date
        pass
    where: dict[str, Any] = {}
    if last is not None:
        where = (
            {"line": last.line} if last.line is not None else {"path": f"events[{last.index}].t"}
        )
    raise InputError(
        "the session runs past what a timestamp can show",
        source=transcript.source,
        expected="a start plus offsets before 9999-10-01T00:00:00Z",
        found=f"{latest_ms // 1000} s after {format_timestamp(transcript.started_at)}",
        **where,
    )


def _check_size(size: int, source: str, limits: Limits) -> None:
    if size > limits.max_bytes:
        raise too_large(source, limits.max_bytes)


def _gunzip(data: bytes, source: str, limits: Limits) -> bytes:
    """Decompress, reading at most one byte past the size limit (a gzip bomb stops there)."""
    if not data.startswith(GZIP_MAGIC):
        raise InputError(
            "not gzip data", source=source, expected="a gzip file (.gz)", found=repr(data[:8])
        )
    unpacked = bytearray()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            # counted as it inflates: a bomb costs at most the limit
            while chunk := stream.read(min(MIB, limits.max_bytes + 1 - len(unpacked))):
                unpacked += chunk
                _check_size(len(unpacked), source, limits)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(f"broken gzip data: {exc}", source=source) from exc
    return bytes(unpacked)


def check_offsets(transcript: Transcript) -> None:
    """Offsets must never decrease: events are replayed in document order."""
    previous = None
    for event in transcript.events:
        if previous is not None and event.t_ms < previous.t_ms:
            where = (
                {"line": event.line, "column": event.column}
                if event.line is not None
                else {"path": f"events[{event.index}].t"}
            )
            raise InputError(
                f"event {event.index} goes back in time: offset {event.t_ms / 1000:g}s after "
                f"{previous.t_ms / 1000:g}s (event {previous.index})",
                source=transcript.source,
                expected="non-decreasing offsets",
                found=f"{event.t_ms / 1000:g}s",
                **where,
            )
        previous = event


def load_path(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> Transcript:
    """Load one transcript file; its stem is the JSON session id when the file has none."""
    file_path = Path(path)
    try:
        with file_path.open("rb") as stream:
            data = read_bounded(stream, limits.max_bytes, str(path))
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", source=str(path)) from exc
    stem = session_id_from_name(file_path.name)
    return load_bytes(data, str(path), default_session_id=stem, limits=limits)


__all__ = [
    "Limits",
    "FORMAT_TAG",
    "InputFormat",
    "detect_format",
    "load_bytes",
    "load_path",
    "transcript_from_document",
]
