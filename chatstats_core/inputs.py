"""Turn command-line inputs into a lazy stream of raw transcripts, in input order.

An input is a file, a directory (walked recursively, sorted), a glob pattern, ``-`` (stdin), a
JSON Lines file (one canonical transcript per line, ``*.jsonl`` / ``*.jsonl.gz``), or, with a
CSV column name, a CSV export whose rows each hold one transcript. Nothing is parsed here: each
item is the bytes of one transcript and where it came from, so items can go to worker processes
and memory stays flat however many sessions there are.
"""

from __future__ import annotations

import csv
import glob
import gzip
import io
import itertools
import os
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, NamedTuple, cast

from .errors import ChatstatsError, InputError
from .loading import GZIP_MAGIC

TRANSCRIPT_SUFFIXES = (".xml", ".json", ".jsonl", ".xml.gz", ".json.gz", ".jsonl.gz")
_GLOB_CHARS = frozenset("*?[")


class RawItem(NamedTuple):
    """One transcript's bytes, the name errors and output use, and its default session id.

    A NamedTuple: as immutable as a frozen dataclass, and it crosses to the worker processes as
    a plain tuple (a frozen dataclass's pickling runs Python code per field, in the one parent
    process that feeds both workers).
    """

    source: str
    data: bytes
    default_session_id: str


@dataclass(frozen=True, slots=True)
class BadItem:
    """An input that could not even be read: it is reported and counted, the others go on."""

    error: ChatstatsError


@dataclass(frozen=True, slots=True)
class SkippedFile:
    """A file found in a directory that is not a transcript."""

    path: str


Item = RawItem | BadItem | SkippedFile


def expand(specs: Iterable[str], csv_column: str | None = None) -> Iterator[Item]:
    """Every transcript the inputs name, lazily and in order."""
    stdin_used = False
    for spec in specs:
        if spec == "-":
            if stdin_used:
                yield BadItem(InputError("stdin can be read only once", source="-"))
                continue
            stdin_used = True
            yield from _from_stream(sys.stdin.buffer, "-", "stdin", csv_column)
        elif _GLOB_CHARS & set(spec) and not os.path.exists(spec):
            matches = sorted(glob.glob(spec, recursive=True))
            if not matches:
                yield BadItem(InputError("no file matches this pattern", source=spec))
            for match in matches:
                yield from _from_path(Path(match), csv_column, in_directory=True)
        else:
            yield from _from_path(Path(spec), csv_column, in_directory=False)


def known_count(specs: Iterable[str], csv_column: str | None = None) -> int | None:
    """How many items :func:`expand` will yield, when a cheap look tells: a named file counts
    one, an uncompressed JSON Lines file one per non-blank line (one pass over its bytes).
    Stdin, folders, patterns, gzip JSON Lines and CSV exports give None. For progress bars."""
    if csv_column is not None:
        return None
    total = 0
    for spec in specs:
        path = Path(spec)
        if spec == "-" or not path.is_file():
            return None
        if not spec.endswith((".jsonl", ".jsonl.gz")):
            total += 1
            continue
        try:
            if _is_gzip(path):
                return None
            with path.open("rb") as stream:
                total += sum(1 for line in stream if line.strip())
        except OSError:  # unreadable: expand reports it; the bar just has no total
            return None
    return total


def _from_path(path: Path, csv_column: str | None, in_directory: bool) -> Iterator[Item]:
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            yield from _from_path(child, csv_column, in_directory=True)
        return
    name = path.name
    if in_directory and csv_column is None and not name.endswith(TRANSCRIPT_SUFFIXES):
        yield SkippedFile(str(path))
        return
    source = str(path)
    stem = name.removesuffix(".gz").rsplit(".", 1)[0]
    if csv_column is not None or name.endswith((".jsonl", ".jsonl.gz")):
        try:
            if in_directory and csv_column is None and _saved_output_lines(path):
                yield SkippedFile(source)
                return
            with _open(path) as stream:  # streamed: memory does not grow with the file
                yield from _from_stream(stream, source, stem, csv_column)
        except OSError as exc:
            yield BadItem(InputError(f"cannot read file: {exc.strerror or exc}", source=source))
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield BadItem(InputError(f"cannot read file: {exc.strerror or exc}", source=source))
        return
    if in_directory and is_saved_output(data):
        yield SkippedFile(source)  # judged by content: saved chatstats output
        return
    yield RawItem(source, data, stem)


def _saved_output_lines(path: Path) -> bool:
    """Whether a JSON Lines file holds saved chatstats output rather than transcripts."""
    with _open(path) as stream:
        return is_saved_output(stream.readline())


def _open(path: Path) -> IO[bytes]:
    """A binary stream of the file, decompressed when it is gzip."""
    return cast(IO[bytes], gzip.open(path, "rb")) if _is_gzip(path) else path.open("rb")


def _is_gzip(path: Path) -> bool:
    """Whether the file is gzip, by its first bytes (whatever its name)."""
    with path.open("rb") as probe:
        return probe.read(len(GZIP_MAGIC)) == GZIP_MAGIC


def _from_stream(stream: IO[bytes], source: str, stem: str, csv_column: str | None
                 ) -> Iterator[Item]:
    """A CSV export, JSON Lines, or (stdin) one transcript, read as a stream."""
    try:
        if csv_column is not None:
            yield from _csv_rows(stream, source, csv_column)
            return
        first = stream.readline()
        if source != "-" or _is_whole_object(first):
            yield from _json_lines(first, stream, source, stem)
        else:
            yield RawItem(source, first + stream.read(), stem)
    except (OSError, EOFError, zlib.error) as exc:
        yield BadItem(InputError(f"broken gzip data: {exc}", source=source))


def _is_whole_object(line: bytes) -> bool:
    """Whether a first line of stdin is a complete JSON object (then stdin is JSON Lines)."""
    import orjson

    if not line.lstrip().startswith(b"{"):
        return False
    try:
        return isinstance(orjson.loads(line), dict)
    except orjson.JSONDecodeError:
        return False


def is_saved_output(data: bytes) -> bool:
    """Whether bytes are saved ``replay --format json/jsonl`` output rather than a transcript."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{") and b'"kvps"' in data[:65536] and b'"events"' not in head[:2048]


def _json_lines(first: bytes, stream: IO[bytes], source: str, stem: str) -> Iterator[Item]:
    for number, line in enumerate(itertools.chain([first], stream), 1):
        if line.strip():
            yield RawItem(f"{source}:{number}", line, f"{stem}-{number}")


def _csv_rows(stream: IO[bytes], source: str, column: str) -> Iterator[Item]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    csv.field_size_limit(64 * 1024 * 1024)
    reader = csv.DictReader(text)
    number = 0
    try:
        if reader.fieldnames is None or column not in reader.fieldnames:
            found = ", ".join(reader.fieldnames or []) or "no header"
            yield BadItem(InputError(f"no column {column!r} in the CSV", source=source,
                                     expected=f"a header with {column}", found=found))
            return
        id_column = next((name for name in reader.fieldnames
                          if name.strip().lower() in _ID_COLUMNS and name != column), None)
        for number, row in enumerate(reader, 1):  # data rows: a cell may span several lines
            value = row.get(column) or ""
            identity = (row.get(id_column) or "").strip() if id_column else ""
            where = f"{source}:data row {number}" + (f" ({id_column} {identity})"
                                                     if identity else "")
            if value.strip():
                yield RawItem(where, value.encode("utf-8"), f"row-{number}")
            else:
                yield BadItem(InputError("empty transcript cell", source=where))
    except UnicodeDecodeError as exc:
        yield BadItem(InputError(f"the CSV is not UTF-8: {exc}", source=source))
    except csv.Error as exc:
        yield BadItem(InputError(f"broken CSV: {exc}", source=f"{source}:data row {number + 1}"))


#: Columns that name a row in a UCS or similar export (compared without case).
_ID_COLUMNS = frozenset({"id", "interactionid", "interaction_id", "sessionid", "session_id",
                         "chatsessionid"})
