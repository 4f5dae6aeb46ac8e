"""Load transcripts from bytes or files, detecting XML or JSON from the content itself."""

from __future__ import annotations

import enum
from pathlib import Path

from ..errors import InputError
from ..model import Transcript
from .json_format import FORMAT_TAG, load_json, transcript_from_document
from .xml_format import load_xml

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


class InputFormat(enum.Enum):
    """The transcript formats chatstats reads."""

    XML = "xml"
    JSON = "json"


def detect_format(data: bytes, source: str = "<input>") -> InputFormat:
    """Tell XML from JSON by the first meaningful character (a BOM and white space skipped)."""
    head = data[:4096]
    if head.startswith(b"\xff\xfe") or head.startswith(b"\xfe\xff"):
        return InputFormat.XML  # UTF-16 with a BOM: only XML declares its own encoding
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if head.startswith(b"<"):
        return InputFormat.XML
    if head.startswith(b"{"):
        return InputFormat.JSON
    found = repr(head[:20]) if head else "an empty input"
    raise InputError("neither XML nor JSON", source=source,
                     expected="a <chatTranscript> XML document or a JSON object", found=found)


def load_bytes(data: bytes, source: str, default_session_id: str = "") -> Transcript:
    """Load one transcript from its bytes; ``source`` names it in errors and output."""
    fmt = detect_format(data, source)
    if fmt is InputFormat.XML:
        transcript = load_xml(data, source)
    else:
        data = data.removeprefix(b"\xef\xbb\xbf")
        transcript = load_json(data, source, default_session_id or source)
    check_offsets(transcript)
    return transcript


def check_offsets(transcript: Transcript) -> None:
    """Offsets must never decrease: events are replayed in document order."""
    previous = None
    for event in transcript.events:
        if previous is not None and event.t_ms < previous.t_ms:
            where = {"line": event.line} if event.line is not None else {
                "path": f"events[{event.index}].t"}
            raise InputError(
                f"event {event.index} goes back in time: offset {event.t_ms / 1000:g}s after "
                f"{previous.t_ms / 1000:g}s (event {previous.index})",
                source=transcript.source, expected="non-decreasing offsets",
                found=f"{event.t_ms / 1000:g}s", **where)
        previous = event


def load_path(path: str | Path) -> Transcript:
    """Load one transcript file; its stem is the JSON session id when the file has none."""
    file_path = Path(path)
    try:
        data = file_path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", source=str(path)) from exc
    return load_bytes(data, str(path), default_session_id=file_path.stem)


__all__ = [
    "FORMAT_TAG",
    "InputFormat",
    "detect_format",
    "load_bytes",
    "load_path",
    "transcript_from_document",
]
