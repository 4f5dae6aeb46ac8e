"""Replay a stream of raw transcripts, in this process or in worker processes, in input order.

Items are handled in chunks; at most a few chunks per worker are in flight, so memory does not
grow with the number of sessions, and results are yielded in the order the items came in
whatever the number of workers (the output is byte-identical to one worker's).
"""

from __future__ import annotations

import gc
import itertools
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass

from .engine import Result, replay_session
from .errors import ChatstatsError
from .inputs import BadItem, Item, RawItem, SkippedFile
from .limits import DEFAULT_LIMITS, Limits
from .loading import load_bytes
from .options import Options
from .outputs import OutputFormat, renderer_for

CHUNK = 32
# A replay makes no reference cycles, so CPython never runs a full collection by itself in a
# long batch, and only a full collection empties the interpreter's free lists (up to 2,000
# spare tuples per size, refilled by every session's records): without one, memory creeps up
# by several MiB over the first hundred thousand sessions. One full collection per this many
# sessions (a few ms) keeps the peak where the first thousand left it.
SESSIONS_PER_COLLECTION = 1024


@dataclass(frozen=True, slots=True)
class Job:
    """What to do with each transcript: the options, the output format, limits, ``--at``."""

    options: Options
    output: OutputFormat
    limits: Limits = DEFAULT_LIMITS
    at_seconds: float | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """One transcript's rendered output (or Result, for the table), warnings, or its error."""

    source: str
    text: str | None = None
    result: Result | None = None
    warnings: tuple[str, ...] = ()
    error: str | None = None


def process(item: RawItem, job: Job) -> Outcome:
    """Load, replay and render one transcript; a ChatstatsError becomes the outcome's error.

    Any other exception is a bug in chatstats, but in a batch it still costs only this
    transcript: it becomes an ``internal error`` outcome naming the file, and the rest go on.
    """
    try:
        transcript = load_bytes(item.data, item.source, item.default_session_id, job.limits)
        result = replay_session(transcript, job.options, job.at_seconds)
    except ChatstatsError as exc:
        return Outcome(item.source, error=exc.with_source(item.source).one_line())
    except Exception as exc:  # noqa: BLE001 - the batch boundary: one file's bug, not the run's
        return Outcome(item.source, error=f"{item.source}: internal error: "
                       f"{type(exc).__name__}: {exc} (a chatstats bug: please report it with "
                       "this transcript)")
    warnings = tuple(f"{item.source}: warning: {w}" for w in result.warnings)
    if job.output is OutputFormat.TABLE:
        return Outcome(item.source, result=result, warnings=warnings)
    return Outcome(item.source, text=renderer_for(job.output).item(result), warnings=warnings)


def _process_chunk(chunk: list[Item], job: Job) -> list[Outcome | SkippedFile]:
    outcomes = [_one(item, job) for item in chunk]
    _collect_now_and_then(len(chunk))
    return outcomes


_since_collection = 0


def _collect_now_and_then(sessions: int) -> None:
    """Run a full collection once every SESSIONS_PER_COLLECTION sessions (see there)."""
    global _since_collection
    _since_collection += sessions
    if _since_collection >= SESSIONS_PER_COLLECTION:
        _since_collection = 0
        gc.collect()


def _one(item: Item, job: Job) -> Outcome | SkippedFile:
    if isinstance(item, SkippedFile):
        return item
    if isinstance(item, BadItem):
        return Outcome(item.error.source or "<input>", error=item.error.one_line())
    return process(item, job)


def run(items: Iterable[Item], job: Job, jobs: int = 1) -> Iterator[Outcome | SkippedFile]:
    """Every item's outcome, in input order; ``jobs`` > 1 uses that many worker processes."""
    if jobs <= 1:
        for item in items:
            yield _one(item, job)
            _collect_now_and_then(1)
        return
    chunks = _chunks(items, CHUNK)
    window: deque[Future[list[Outcome | SkippedFile]]] = deque()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for chunk in chunks:
            window.append(pool.submit(_process_chunk, chunk, job))
            if len(window) >= jobs * 4:
                yield from window.popleft().result()
        while window:
            yield from window.popleft().result()


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk
