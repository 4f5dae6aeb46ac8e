"""Turn command-line inputs into a lazy stream of raw transcripts, in input order.

An input is a file, a directory (walked recursively, sorted), a glob pattern, ``-`` (stdin), a
JSON Lines file (one canonical transcript per line, ``*.jsonl`` / ``*.jsonl.gz``), or, with a
CSV column name, a CSV export whose rows each hold one transcript. Nothing is parsed here: each
item is the bytes of one transcript and where it came from, so items can go to worker processes
and memory stays flat however many sessions there are.

Every read is bounded (:func:`read_bounded`, :func:`read_line`): a file, stdin, a JSON Lines
line, a CSV row or a decompressed stream is refused as soon as it passes the size limit, so an
endless stdin, ``/dev/zero`` or a gzip bomb costs at most the limit in memory. Folders are walked
without following symbolic links (no loop can trap the walk); what cannot be read is reported and
counted, never dropped; what is not a transcript is skipped with its reason.
"""

from __future__ import annotations

import csv
import glob
import gzip
import io
import os
import re
import stat
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, AnyStr, Literal, NamedTuple, cast, overload

from chatstats_core.corpus.files import InputFiles
from chatstats_core.errors import ChatstatsError, InputError
from chatstats_core.safetext import listed, shown
from chatstats_core.transcript.limits import (
    DEFAULT_LIMITS,
    GZIP_MAGIC,
    MIB,
    Limits,
    read_bounded,
    read_line,
    too_large,
)
from chatstats_core.transcript.model import Transcript, strip_suffixes

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
    """A file found in a directory that is not a transcript, and why it was passed over."""

    path: str
    reason: str = "not a transcript"


class UnreadFile(NamedTuple):
    """A transcript file not yet read (``expand(..., deferred=True)``): the native core reads
    it where it runs (on its worker threads), else the runner reads it here, as
    :func:`read_unread` gives it. ``path`` is the name to open, ``source`` as shown;
    ``in_directory``: found by a walk or a pattern (then what is not a transcript is skipped)."""

    path: str
    source: str
    default_session_id: str
    in_directory: bool


@dataclass(frozen=True, slots=True)
class JsonLinesFile:
    """A JSON Lines file not yet read (``expand(..., deferred=True)``): the native core
    reads and replays it whole where it runs (``batch.run``); else its lines are read here, as
    :func:`json_lines_items` gives them. ``path`` is the name to open, ``source`` as shown."""

    path: str
    source: str
    stem: str


Item = RawItem | BadItem | SkippedFile
#: A file the runner reads, or hands to the native core unread.
Deferred = UnreadFile | JsonLinesFile


@overload
def expand(
    specs: Iterable[str],
    csv_column: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    deferred: Literal[False] = False,
) -> Iterator[Item]: ...


@overload
def expand(
    specs: Iterable[str],
    csv_column: str | None,
    limits: Limits,
    deferred: Literal[True],
) -> Iterator[Item | Deferred]: ...


def expand(
    specs: Iterable[str],
    csv_column: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    deferred: bool = False,
) -> Iterator[Item | Deferred]:
    """Every transcript the inputs name, lazily and in order, each read within ``limits``; with
    ``deferred``, a file is left unread for the runner (:class:`UnreadFile`, and a plain JSON
    Lines file :class:`JsonLinesFile`)."""
    stdin_used = False
    limit = limits.max_bytes
    for spec in specs:
        if spec == "-":
            if stdin_used:
                yield BadItem(InputError("stdin can be read only once", source="-"))
                continue
            stdin_used = True
            yield from _from_stream(sys.stdin.buffer, "-", "stdin", csv_column, limit)
            continue
        for entry, in_directory in _named_paths(spec):
            if isinstance(entry, Path):
                yield from _from_file(entry, csv_column, in_directory, limit, deferred)
            else:
                yield entry


def _named_paths(spec: str) -> Iterator[tuple[Path | SkippedFile | BadItem, bool]]:
    """The files one input (not stdin) names, in order, each with whether it was found in a
    folder or by a pattern (then a file that is not a transcript is skipped, not an error):
    the one expansion, which :func:`expand` reads and :func:`input_files` protects."""
    names, is_pattern = names_of(spec)
    if is_pattern and not names:
        yield BadItem(InputError("no file matches this pattern", source=spec)), True
    for name in names:
        path = Path(name)
        if path.is_dir():
            for entry in _walk(path):  # a Path here is a file os.walk listed: no folder
                yield entry, True
        else:
            yield path, is_pattern


def names_of(spec: str) -> tuple[list[str], bool]:
    """The names one input stands for, and whether it was a pattern: a name that exists is
    itself (``a[1].json`` is a file, not a pattern), else a pattern with ``* ? [`` is globbed
    (each real file once), else the name."""
    if _GLOB_CHARS & set(spec) and not os.path.exists(spec):
        return _unique_files(sorted(_glob(spec))), True
    return [spec], False


def _glob(pattern: str) -> list[str]:
    """The names a pattern matches. ``**`` (any depth, none included) is matched over one walk
    that visits each real folder once, following links to folders only to folders not seen:
    Python's own ``**`` follows every link and never ends in a tree with two link loops."""
    if "**" not in pattern:
        return glob.glob(pattern)
    head = pattern.split("**", 1)[0]
    root = os.path.dirname(head) if not head.endswith("/") else head.rstrip("/") or "/"
    matches = _pattern_regex(pattern).fullmatch
    found = []
    seen: set[tuple[int, int]] = set()
    for folder, folders, files in os.walk(root or ".", followlinks=True):
        try:
            info = os.stat(folder)
        except OSError:
            folders[:] = []
            continue
        if (info.st_dev, info.st_ino) in seen:
            folders[:] = []  # a loop, or a second way into a folder already walked
            continue
        seen.add((info.st_dev, info.st_ino))
        for name in (*folders, *files):
            path = (
                os.path.join(folder, name) if root else os.path.relpath(os.path.join(folder, name))
            )
            if matches(path):
                found.append(path)
    return found


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    """A glob pattern as a regular expression over paths: ``**/`` any folders (or none), ``*``
    and ``?`` within one name, ``[...]`` a set."""
    out, position = [], 0
    while position < len(pattern):
        if pattern.startswith("**/", position):
            out.append("(?:[^/]*/)*")
            position += 3
        elif pattern.startswith("**", position):
            out.append(".*")
            position += 2
        elif pattern[position] == "*":
            out.append("[^/]*")
            position += 1
        elif pattern[position] == "?":
            out.append("[^/]")
            position += 1
        elif pattern[position] == "[" and "]" in pattern[position + 2 :]:
            end = pattern.index("]", position + 2)
            body = pattern[position + 1 : end].replace("\\", "\\\\")
            out.append("[^" + body[1:] + "]" if body.startswith("!") else "[" + body + "]")
            position = end + 1
        else:
            out.append(re.escape(pattern[position]))
            position += 1
    return re.compile("".join(out))


def input_files(specs: Iterable[str]) -> InputFiles:
    """Every file the inputs name (folders walked, patterns expanded as :func:`expand` does),
    read by nobody: what an output must never replace."""
    found = [
        str(entry)
        for spec in specs
        if spec != "-"
        for entry, _ in _named_paths(spec)
        if isinstance(entry, Path)
    ]
    return InputFiles.of(found)


#: How many session ids an error about a many-session input names.
_IDS_SHOWN = 3


class OneSession(NamedTuple):
    """The session a one-session command works on: as read (for the native core) and loaded."""

    item: RawItem
    transcript: Transcript


def one_session(
    spec: str, limits: Limits = DEFAULT_LIMITS, session_id: str | None = None
) -> OneSession:
    """The one session a one-session command (explain, timeline, fit) works on: the input's only
    session, or with ``session_id`` the session of that id (a folder or JSON Lines file is
    searched in order). An input with no session, with several and no ``session_id``, or without
    that id is an :class:`InputError` that says how many sessions it holds and how to pick one.
    """
    found = 0
    first: list[OneSession] = []
    for item in expand([spec], None, limits):
        if isinstance(item, SkippedFile):
            continue
        if isinstance(item, BadItem):
            raise item.error
        found += 1
        if session_id is None and len(first) >= _IDS_SHOWN:
            continue  # only counted: a large corpus is not parsed to say how large it is
        transcript = _loaded(item, limits)
        if session_id is not None and transcript.session_id == session_id:
            return OneSession(item, transcript)
        if session_id is None:
            first.append(OneSession(item, transcript))
    if session_id is None and found == 1:
        return first[0]
    raise _not_one(spec, found, session_id, [one.transcript for one in first])


def _loaded(item: RawItem, limits: Limits) -> Transcript:
    from chatstats_core.transcript.loading import load_bytes

    try:
        return load_bytes(item.data, item.source, item.default_session_id, limits)
    except ChatstatsError as exc:
        raise exc.with_source(item.source) from None


def _not_one(spec: str, found: int, session_id: str | None, first: list[Transcript]) -> InputError:
    if found == 0:
        return InputError("no transcript found here", source=spec)
    if session_id is not None:
        return InputError(
            f"no session {shown(session_id)!r} among the {found} sessions here",
            source=spec,
        )
    ids = listed([t.session_id for t in first], total=found)
    return InputError(
        f"holds {found} sessions and this command works on one: give --session ID ({ids})",
        source=spec,
    )


def _unique_files(matches: list[str]) -> list[str]:
    """Glob matches without the copies a symbolic-link loop makes (``**`` follows links): each
    real file once, under the first name that reaches it."""
    seen: set[str] = set()
    unique = []
    for match in matches:
        real = os.path.realpath(match)
        if real not in seen:
            seen.add(real)
            unique.append(match)
    return unique


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
            with path.open("rb") as stream:  # in chunks: a line without end costs nothing
                total += _count_lines(stream)
        except OSError:  # unreadable: expand reports it; the bar just has no total
            return None
    return total


def _walk(folder: Path) -> Iterator[Path | SkippedFile | BadItem]:
    """The files below a folder, sorted, without following symbolic links to folders (a loop
    cannot trap the walk); a folder that cannot be read is an error, a linked folder a skip."""
    problems: list[OSError] = []
    found: list[Path | SkippedFile | BadItem] = []
    for root, folders, files in os.walk(folder, onerror=problems.append):
        for name in folders:
            linked = Path(root, name)
            if linked.is_symlink():
                found.append(SkippedFile(str(linked), "a symbolic link to a folder (not followed)"))
        found.extend(Path(root, name) for name in files)
    for problem in problems:
        where = problem.filename or str(folder)
        found.append(
            BadItem(
                InputError(f"cannot read folder: {problem.strerror or problem}", source=str(where))
            )
        )
    yield from sorted(found, key=_walk_order)


def _walk_order(entry: Path | SkippedFile | BadItem) -> str:
    if isinstance(entry, Path):
        return str(entry)
    return entry.path if isinstance(entry, SkippedFile) else entry.error.source or ""


def _count_lines(stream: IO[bytes]) -> int:
    """Non-blank lines, read in chunks: a line without end costs no more than a chunk."""
    count, pending = 0, False  # pending: the unfinished line so far has content
    while chunk := stream.read(MIB):
        *finished, rest = chunk.split(b"\n")
        for piece in finished:
            count += pending or bool(piece.strip())
            pending = False
        pending = pending or bool(rest.strip())
    return count + pending


def _from_file(
    path: Path, csv_column: str | None, in_directory: bool, limit: int, deferred: bool
) -> Iterator[Item | Deferred]:
    name = path.name
    if in_directory and csv_column is None and not name.endswith(TRANSCRIPT_SUFFIXES):
        yield SkippedFile(str(path), "not named as a transcript (.xml, .json, .jsonl, .gz)")
        return
    is_lines = csv_column is not None or name.endswith((".jsonl", ".jsonl.gz"))
    if deferred and not is_lines:  # the runner reads it (see UnreadFile)
        text = str(path)
        yield UnreadFile(text, display_name(text), _stem_of(name), in_directory)
        return
    if in_directory and not _is_regular(path):
        # a FIFO found by a walk or a pattern would block the batch forever; named, it is read
        yield SkippedFile(str(path), "not a regular file (a FIFO, a device or a socket)")
        return
    source = display_name(str(path))
    stem = file_stem(path)
    try:
        if is_lines:
            if in_directory and csv_column is None and _saved_output_lines(path, limit):
                yield SkippedFile(source, "saved chatstats output, not transcripts")
                return
            if deferred and csv_column is None and _is_plain_file(path):
                yield JsonLinesFile(str(path), source, stem)
                return
            with _open(path) as stream:  # streamed: memory does not grow with the file
                yield from _from_stream(stream, source, stem, csv_column, limit)
            return
        data = _read_file(str(path), limit, source)
    except OSError as exc:
        yield BadItem(InputError(f"cannot read file: {exc.strerror or exc}", source=source))
        return
    except InputError as exc:
        yield BadItem(exc)
        return
    if in_directory and is_saved_output(data):
        yield SkippedFile(source, "saved chatstats output, not a transcript")
        return
    yield RawItem(source, data, stem)


def _is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return True  # let the read say what is wrong with it


def read_unread(file: UnreadFile, limit: int) -> Item:
    """The item of a file the native core did not read: read here, as :func:`expand` reads it
    when it is not deferred (a skip, an error, or its bytes)."""
    (item,) = _from_file(Path(file.path), None, file.in_directory, limit, deferred=False)
    assert not isinstance(item, UnreadFile | JsonLinesFile)  # not deferred: read here
    return item


def _is_plain_file(path: Path) -> bool:
    """A regular file that is not gzip: one the native core can read line by line and seek in."""
    return stat.S_ISREG(os.stat(path).st_mode) and not _is_gzip(path)


def json_lines_items(file: JsonLinesFile, limit: int) -> Iterator[Item]:
    """The items of a JSON Lines file, read here (where the native core does not read it)."""
    try:
        with open(file.path, "rb") as stream:
            yield from _from_stream(stream, file.source, file.stem, None, limit)
    except OSError as exc:
        yield BadItem(InputError(f"cannot read file: {exc.strerror or exc}", source=file.source))


def json_line_at(
    file: JsonLinesFile, offset: int, number: int, limit: int
) -> tuple[Item | None, int | None]:
    """Line ``number`` of a JSON Lines file, which starts at byte ``offset``, read here (the
    native core hands over a line over the limit, or one it could not read): its item (None
    for a blank line), and the offset of the next line, or None where the input ends there."""
    where = f"{file.source}:{number}"
    try:
        with open(file.path, "rb") as stream:
            stream.seek(offset)
            line = _line_within(stream, limit, where)
            if line == b"":
                return None, None
            return json_line(line, file.source, file.stem, number, limit), stream.tell()
    except InputError as exc:  # a line with no end: the rest is not read
        return BadItem(exc), None
    except OSError as exc:
        return BadItem(InputError(f"cannot read file: {exc.strerror or exc}", source=where)), None


def display_name(name: str) -> str:
    """A file name as chatstats shows and records it: as it is when it is text, with the bytes
    that are not UTF-8 written ``\\xff`` when it is not (such a name is still read by its
    bytes; as text it could not be printed, rendered or handed to the native core)."""
    if _is_text(name):
        return name
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _read_file(name: str, limit: int, source: str | None = None) -> bytes:
    """A file's bytes, refused before reading a byte when it is larger than ``limit``, and
    read within the limit whatever it is (a pipe, a file still growing)."""
    source = source or name
    with open(name, "rb") as stream:
        status = os.fstat(stream.fileno())
        if stat.S_ISREG(status.st_mode):
            if status.st_size > limit:
                raise too_large(source, limit)
            data = stream.read(status.st_size + 1)  # one read, sized by the file
            if len(data) > status.st_size:  # it grew while read: the rest, within the limit
                data += stream.read(limit + 1 - len(data))
            if len(data) > limit:
                raise too_large(source, limit)
            return data
        return read_bounded(stream, limit, source)


def _saved_output_lines(path: Path, limit: int) -> bool:
    """Whether a JSON Lines file holds saved chatstats output rather than transcripts."""
    with _open(path) as stream:
        return is_saved_output(stream.readline(min(limit, 65536)))


def _open(path: Path) -> IO[bytes]:
    """A binary stream of the file, decompressed when it is gzip."""
    return cast(IO[bytes], gzip.open(path, "rb")) if _is_gzip(path) else path.open("rb")


def _is_gzip(path: Path) -> bool:
    """Whether the file is gzip, by its first bytes (whatever its name)."""
    with path.open("rb") as probe:
        return probe.read(len(GZIP_MAGIC)) == GZIP_MAGIC


def _from_stream(
    stream: IO[bytes], source: str, stem: str, csv_column: str | None, limit: int
) -> Iterator[Item]:
    """A CSV export, JSON Lines, or (stdin) one transcript, read as a stream, within ``limit``
    bytes per transcript."""
    try:
        if csv_column is not None:
            yield from _csv_rows(stream, source, csv_column, limit)
            return
        if source != "-":  # a JSON Lines file: an over-long first line costs that line only
            first = _line_within(stream, limit, f"{source}:1")
            yield from _json_lines(first, stream, source, stem, limit)
            return
        first = read_line(stream, limit, source)
        if _is_whole_object(first):
            yield from _json_lines(first, stream, source, stem, limit)
        else:
            yield RawItem(source, first + read_bounded(stream, limit - len(first), source), stem)
    except InputError as exc:  # stdin too large, or a line with no end: the rest is not read
        yield BadItem(exc)
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


def _json_lines(
    first: bytes | None, stream: IO[bytes], source: str, stem: str, limit: int
) -> Iterator[Item]:
    """Each line a transcript; a line over ``limit`` (None) is reported and skipped."""
    line = first
    number = 1
    while line is None or line:
        item = json_line(line, source, stem, number, limit)
        if item is not None:
            yield item
        number += 1
        line = _line_within(stream, limit, f"{source}:{number}")


def json_line(
    line: bytes | None, source: str, stem: str, number: int, limit: int
) -> RawItem | BadItem | None:
    """Line ``number`` of a JSON Lines input as an item: named ``source:number``, its default
    session id ``stem-number``; a line over ``limit`` bytes (or None: the reader found it over)
    is an error of its own, a blank line nothing."""
    where = f"{source}:{number}"
    if line is None or len(line) > limit:  # skipped, not held; the lines after it are read
        return BadItem(too_large(where, limit))
    return RawItem(where, line, f"{stem}-{number}") if line.strip() else None


def file_stem(path: Path) -> str:
    """The default session id of a file's transcripts: its name without the suffixes."""
    return _stem_of(path.name)


def _stem_of(name: str) -> str:
    """:func:`file_stem` of a file's own name (no folder in it)."""
    return strip_suffixes(display_name(name))


def _line_within(stream: IO[bytes], limit: int, where: str) -> bytes | None:
    """The next line, or None when it passes ``limit`` bytes: then the rest of it is read and
    dropped in pieces (memory stays at the limit), so the next call starts a new line. A line
    that does not end within :data:`_DROPPED_MOST` limits ends the input (an error)."""
    line = stream.readline(limit + 1)
    if len(line) <= limit:
        return line
    _drop_rest_of_line(stream.readline, line, limit, b"\n", where)
    return None


#: How far an over-long line is read, in multiples of the limit, looking for its end: past it
#: the rest of the input is given up (a gzip bomb of one endless line costs this much reading,
#: not its whole inflated size).
_DROPPED_MOST = 4


def _drop_rest_of_line(
    readline: Callable[[int], AnyStr], line: AnyStr, limit: int, end: AnyStr, where: str
) -> None:
    """Read what is left of an over-long line in pieces of a MiB, holding none of them; raise
    the too-large error when it does not end within :data:`_DROPPED_MOST` limits."""
    dropped = len(line)
    while line and not line.endswith(end):
        if dropped > _DROPPED_MOST * limit:
            raise too_large(where, limit)
        line = readline(MIB)
        dropped += len(line)


#: Stands in for a CSV line over the size limit (a private-use character no export holds), so
#: the parser sees one row in its place and that row alone is reported.
_OVERSIZED = "\ue000chatstats: a line over the size limit\ue000"


def _bounded_lines(text: IO[str], limit: int, source: str) -> Iterator[str]:
    """The lines of a text stream; a line past ``limit`` characters is read and dropped in
    pieces, and :data:`_OVERSIZED` stands in for it."""
    while line := text.readline(limit + 1):
        if len(line) > limit:
            _drop_rest_of_line(text.readline, line, limit, "\n", source)
            line = _OVERSIZED + "\n"
        yield line


def _csv_rows(stream: IO[bytes], source: str, column: str, limit: int) -> Iterator[Item]:
    # Bytes that are not UTF-8 are kept as surrogates, so that only their row fails.
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="surrogateescape", newline="")
    try:
        yield from _csv_items(text, source, column, limit)
    finally:
        text.detach()  # the caller owns (and closes) the stream under the text layer


def _csv_items(text: IO[str], source: str, column: str, limit: int) -> Iterator[Item]:
    # the csv module's limit is process-wide: set for this reading, given back after it
    previous = csv.field_size_limit(limit)
    try:
        yield from _limited_csv_items(text, source, column, limit)
    finally:
        csv.field_size_limit(previous)


def _limited_csv_items(text: IO[str], source: str, column: str, limit: int) -> Iterator[Item]:
    reader = csv.DictReader(_bounded_lines(text, limit, source))
    number = 0
    try:
        if reader.fieldnames is None or column not in reader.fieldnames:
            found = ", ".join(reader.fieldnames or []) or "no header"
            yield BadItem(
                InputError(
                    f"no column {column!r} in the CSV",
                    source=source,
                    expected=f"a header with {column}",
                    found=found,
                )
            )
            return
        id_column = next(
            (
                name
                for name in reader.fieldnames
                if name.strip().lower() in _ID_COLUMNS and name != column
            ),
            None,
        )
        for number, row in _rows(reader, source):  # data rows: a cell may span several lines
            if isinstance(row, InputError):
                yield BadItem(row)
                continue
            value = row.get(column) or ""
            oversized = _OVERSIZED in (next(iter(row.values()), None) or "")
            identity = (row.get(id_column) or "").strip() if id_column and not oversized else ""
            where = f"{source}:data row {number}" + (
                f" ({id_column} {shown(identity)})" if identity and _is_text(identity) else ""
            )
            if oversized:
                yield BadItem(too_large(where, limit))
            elif not _is_text(value):
                yield BadItem(InputError("this row is not UTF-8", source=where))
            elif value.strip():
                yield RawItem(where, value.encode("utf-8"), f"row-{number}")
            else:
                yield BadItem(InputError("empty transcript cell", source=where))
    except UnicodeDecodeError as exc:
        yield BadItem(InputError(f"the CSV is not UTF-8: {exc}", source=source))
    except csv.Error as exc:
        yield BadItem(InputError(f"broken CSV: {exc}", source=f"{source}:data row {number + 1}"))


def _is_text(value: str) -> bool:
    """Whether text read with surrogateescape (a CSV cell, a file name) was UTF-8: no byte was
    kept as a surrogate."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _rows(
    reader: csv.DictReader[str], source: str
) -> Iterator[tuple[int, dict[str, str] | InputError]]:
    """Numbered data rows; a row the CSV parser refuses (a cell over the size limit, say) is an
    error for that row, and the rows after it are still read."""
    number = 0
    while True:
        number += 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield number, InputError(f"broken CSV row: {exc}", source=f"{source}:data row {number}")
            continue
        yield number, row


#: Columns that name a row in a UCS or similar export (compared without case).
_ID_COLUMNS = frozenset(
    {"id", "interactionid", "interaction_id", "sessionid", "session_id", "chatsessionid"}
)
