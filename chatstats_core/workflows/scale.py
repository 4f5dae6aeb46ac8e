"""Replaying a corpus beyond one machine (Dask, or any distributed map): JSON Lines files cut
into partitions at line boundaries, and one call per partition that replays it exactly as
``chatstats replay FILE -f jsonl`` does (the native core, in one call, where it runs; the Python
engine for what it declines), naming each session ``FILE:LINE`` as the CLI does.

docs/scale.md has the Dask script: ``db.from_sequence(jsonl_partitions("corpus*.jsonl"))``,
``.map_partitions(replay_partitions, options=...)``, persisted, then written (``jsonl_text``) and
counted in one ``dask.compute``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, NamedTuple

from chatstats_core.corpus.batch import Outcome, run_chunk
from chatstats_core.corpus.inputs import (
    BadItem,
    RawItem,
    display_name,
    file_stem,
    json_line,
    names_of,
)
from chatstats_core.corpus.native import Engine
from chatstats_core.engine import replay_session
from chatstats_core.engine.contract import result_to_dict
from chatstats_core.engine.options import Options
from chatstats_core.errors import ChatstatsError, warning_lines
from chatstats_core.render import OutputFormat
from chatstats_core.transcript.limits import DEFAULT_LIMITS, MIB, Limits
from chatstats_core.transcript.loading import load_bytes
from chatstats_core.workflows.replay import ReplayTask

#: Bytes per partition by default: small enough that a few workers each get several (a 150 MB
#: corpus in 64 MiB blocks is three partitions for two workers: one waits), large enough that
#: a call into the native core dwarfs its scheduling.
DEFAULT_BLOCKSIZE = 16 * MIB


@dataclass(frozen=True, slots=True)
class Partition:
    """Whole lines of one JSON Lines file: bytes ``start`` to ``end``, the first being line
    ``first_line`` (counted from 1). ``path`` is the file as the pattern found it."""

    path: str
    start: int
    end: int
    first_line: int


class ReplayedLine(NamedTuple):
    """One session of a partition: its ``replay -f jsonl`` line (without the line end) and the
    warnings the CLI would print for it, or the error that cost it (a NamedTuple: it travels
    between processes)."""

    source: str
    text: str | None
    error: str | None
    warnings: tuple[str, ...] = ()


def jsonl_partitions(pattern: str, blocksize: int = DEFAULT_BLOCKSIZE) -> list[Partition]:
    """The files the pattern names (sorted, as the CLI expands it), each cut into partitions of
    at least ``blocksize`` bytes (the last may be smaller) that end at a line end. Reads the
    files once, a MiB at a time, counting lines; holds no line."""
    found = []
    for path in names_of(pattern)[0]:
        with open(path, "rb") as stream:
            found += [Partition(path, *cut) for cut in _cuts(stream, blocksize)]
    return found


def _cuts(stream: IO[bytes], blocksize: int) -> Iterator[tuple[int, int, int]]:
    """(start, end, first line) of each partition of a stream."""
    start, first = 0, 1
    offset, lines = 0, 0  # bytes and line ends read before this chunk
    while chunk := stream.read(MIB):
        at = 0
        while (want := start + blocksize - 1 - offset) < len(chunk):
            newline = chunk.find(b"\n", max(want, at))
            if newline < 0:
                break
            lines += chunk.count(b"\n", at, newline + 1)
            end = offset + newline + 1
            yield start, end, first
            start, first, at = end, lines + 1, newline + 1
        lines += chunk.count(b"\n", at)
        offset += len(chunk)
    if offset > start:
        yield start, offset, first


def replay_partitions(
    partitions: Iterable[Partition],
    options: Options,
    engine: Engine | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> list[ReplayedLine]:
    """Every session of the partitions (a Dask partition holds one), in order; each partition
    replayed by one call into the native core where it runs."""
    task = ReplayTask(options, OutputFormat.JSONL, limits)
    replayed: list[ReplayedLine] = []
    for partition in partitions:
        items = list(_items(partition, limits.max_bytes))
        replayed += [_line(outcome) for outcome in run_chunk(items, task, engine)]
    return replayed


def _items(partition: Partition, limit: int) -> Iterator[RawItem | BadItem]:
    """The partition's lines as the CLI reads a JSON Lines file: each with its line end, named
    ``FILE:LINE``; a line over ``limit`` bytes is an error of its own; blank lines are none."""
    with open(partition.path, "rb") as stream:
        stream.seek(partition.start)
        data = stream.read(partition.end - partition.start)
    source, stem = display_name(partition.path), file_stem(Path(partition.path))
    pieces = data.split(b"\n")
    lines = [piece + b"\n" for piece in pieces[:-1]] + ([pieces[-1]] if pieces[-1] else [])
    for number, line in enumerate(lines, partition.first_line):
        item = json_line(line, source, stem, number, limit)
        if item is not None:
            yield item


def _line(outcome: Outcome) -> ReplayedLine:
    if outcome.error is not None:
        return ReplayedLine(outcome.source, None, outcome.error)
    said = tuple(warning_lines(outcome.source, outcome.warnings))
    return ReplayedLine(outcome.source, (outcome.text or "").removesuffix("\n"), None, said)


def jsonl_text(replayed: Iterable[ReplayedLine]) -> list[str]:
    """A partition's output as one text, each session's line with its line end: Dask's
    ``to_textfiles`` joins a partition's elements with line ends and would write a lone line
    end for a partition without a session, so it is given one element, written as it is."""
    return ["".join(line.text + "\n" for line in replayed if line.text is not None)]


def replay_line(line: str | bytes, options: Options, source: str = "line") -> dict[str, Any]:
    """One canonical JSON transcript (a JSON Lines line) replayed by the Python engine, as the
    replay JSON document; a transcript that cannot be read gives ``{"source": ..., "error":
    "<one line>"}`` instead. For a map over single lines; a corpus is faster by partitions."""
    data = line.encode("utf-8") if isinstance(line, str) else line
    try:
        return result_to_dict(replay_session(load_bytes(data, source, "line"), options))
    except ChatstatsError as exc:
        return {"source": source, "error": exc.one_line()}
