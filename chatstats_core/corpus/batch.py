"""Replay a stream of raw transcripts, in this process or in worker processes, in input order.

What is done with each transcript is a task (:class:`SessionTask`), defined by the workflow it
serves (``workflows.replay``'s replays and renders; diff, sweep and report send back only what
they need); the runner knows only the protocols. ``--jobs N`` is N threads of the native core
when it runs (one process; this thread reads while the core replays), else N worker processes
for the Python engine. Items are handled in chunks; at most a few chunks are in flight, so
memory does not grow with the number of sessions, and results are yielded in the order the
items came in whatever the number of workers (the output is byte-identical to one worker's).
While a batch runs, garbage collection follows the batch's schedule (:class:`GarbageSchedule`).
"""

from __future__ import annotations

import gc
import itertools
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from types import ModuleType
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, Protocol, overload, runtime_checkable

from chatstats_core.corpus.inputs import (
    BadItem,
    Deferred,
    Item,
    JsonLinesFile,
    RawItem,
    SkippedFile,
    UnreadFile,
    json_line_at,
    json_lines_items,
    read_unread,
)
from chatstats_core.corpus.native import (
    DeclinedLine,
    Engine,
    Handover,
    NativeRun,
    native_core,
)
from chatstats_core.errors import ChatstatsError, ChatstatsWarning
from chatstats_core.transcript.limits import Limits

if TYPE_CHECKING:  # the Python engine is imported where it replays: a native run never loads it
    from chatstats_core.engine import Result
    from chatstats_core.transcript.model import Transcript

FIRST_CHUNK, MAX_CHUNK = 8, 256  # items per chunk sent to a worker
#: Items per call into the native core when its threads do --jobs: enough for every thread
#: to have work, few enough that two chunks in flight keep memory small.
THREADED_FIRST_CHUNK, THREADED_MAX_CHUNK = 64, 2048
IN_FLIGHT_PER_WORKER = 3  # chunks queued per worker: bounds memory, keeps workers busy
WORKER_WATCH_SECONDS = 0.5  # how often a wait for a chunk checks that every worker lives
SESSIONS_PER_COLLECTION = 1024
POOL_THREAD_GRACE_SECONDS = 2.0  # how long a torn-down pool's thread is given to end


class SessionTask(Protocol):
    """What a batch does with each loaded transcript (picklable: it travels to the workers).

    ``handle`` returns the transcript's outcome; a ChatstatsError it raises becomes the
    outcome's error.
    """

    @property
    def limits(self) -> Limits: ...

    def handle(self, transcript: Transcript) -> Outcome: ...


class Outcome(NamedTuple):
    """One transcript's rendered output (or Result, for the table; or what another task made of
    it, in ``payload``), its warnings, or its error. A NamedTuple, as RawItem, for the trip
    back from the workers."""

    source: str
    text: str | None = None
    result: Result | None = None
    warnings: tuple[ChatstatsWarning, ...] = ()
    error: str | None = None
    payload: Any = None
    declined: str = ""  # why the native core left this session to the Python engine
    sessions: int = 1  # the sessions it stands for (a native tally of a chunk: many)


class Counted:
    """What the native core answers for an item it counted in a chunk's tally: the tally is
    the outcome of the chunk's first such item (its ``sessions`` says how many), the others
    have none of their own."""


#: The one Counted answer.
COUNTED = Counted()


@runtime_checkable
class NativeTask(Protocol):
    """A task the native core can do for whole chunks (replay's, sweep's, report's, diff's).
    The runner decides, once per run, whether the native core runs (:func:`run`'s ``engine``)."""

    def natively(
        self, core: ModuleType, items: Sequence[RawItem | UnreadFile], threads: int = 1
    ) -> Sequence[Outcome | str | Counted]:
        """Each item's outcome from the native core ``core`` (on ``threads`` of its threads,
        which read the unread files), or why it declined the item (the Python engine then
        handles it), or :data:`COUNTED` in a tally."""
        ...


@runtime_checkable
class NativeStreamTask(SessionTask, NativeTask, Protocol):
    """A task the native core can do for a whole JSON Lines file, reading it itself and
    answering runs of rendered sessions (replay's text formats)."""

    def json_lines(
        self, core: ModuleType, file: JsonLinesFile, offset: int, number: int, threads: int = 1
    ) -> Callable[[int], list[NativeRun | DeclinedLine | Handover]]:
        """The core's reader of ``file`` from byte ``offset``, where line ``number`` starts
        (see ``native.stream_json_lines``)."""
        ...


def process(item: RawItem, task: SessionTask) -> Outcome:
    """Load one transcript and hand it to the task; a ChatstatsError becomes the outcome's error.

    Any other exception is a bug in chatstats, but in a batch it still costs only this
    transcript: it becomes an ``internal error`` outcome naming the file, and the rest go on.
    """
    from chatstats_core.transcript.loading import load_bytes

    try:
        transcript = load_bytes(item.data, item.source, item.default_session_id, task.limits)
        return task.handle(transcript)
    except ChatstatsError as exc:
        return Outcome(item.source, error=exc.with_source(item.source).one_line())
    except Exception as exc:  # noqa: BLE001 - the batch boundary: one file's bug, not the run's
        return Outcome(
            item.source,
            error=f"{item.source}: internal error: "
            f"{type(exc).__name__}: {exc} (a chatstats bug: please report it with "
            "this transcript)",
        )


def _process_chunk(chunk: list[Item], task: SessionTask) -> list[Outcome | SkippedFile]:
    """A worker process's chunk, replayed by the Python engine (the native core's --jobs are
    threads in the one process)."""
    with _WORKER_GARBAGE_SCHEDULE.paused():
        outcomes = [_one(item, task) for item in chunk]
        _WORKER_GARBAGE_SCHEDULE.count(len(chunk))
    return outcomes


def _outcomes(
    chunk: Sequence[Item | UnreadFile], task: SessionTask, core: ModuleType | None
) -> tuple[list[Outcome | SkippedFile], int]:
    """Each item's outcome: from the native core ``core`` in one call where there is one,
    else (and for what it declines) from the Python engine, one by one; and how many Python
    handled."""
    if core is None or not isinstance(task, NativeTask):
        return [_one(item, task) for item in chunk], len(chunk)
    return _merged(chunk, task, task.natively(core, _raw(chunk)))


def _raw(chunk: Sequence[Item | UnreadFile]) -> list[RawItem | UnreadFile]:
    """The chunk's transcripts, for the native core: read or not yet."""
    return [item for item in chunk if isinstance(item, RawItem | UnreadFile)]


def _merged(
    chunk: Sequence[Item | UnreadFile],
    task: SessionTask,
    native_answers: Sequence[Outcome | str | Counted],
) -> tuple[list[Outcome | SkippedFile], int]:
    """The chunk's outcomes: the native core's answers for its transcripts, the Python
    engine's for what the core declined (and for the skips and unreadable inputs), in order;
    and how many Python handled."""
    answers = iter(native_answers)
    outcomes: list[Outcome | SkippedFile] = []
    by_python = 0
    for item in chunk:
        native = next(answers) if isinstance(item, RawItem | UnreadFile) else None
        if isinstance(native, Outcome):
            outcomes.append(native)
            continue
        if isinstance(native, Counted):  # in a tally another item's outcome carries
            continue
        by_python += 1
        outcome = _one(item, task)
        if isinstance(native, str) and native and isinstance(outcome, Outcome):
            outcome = outcome._replace(declined=native)
        outcomes.append(outcome)
    return outcomes, by_python


def _native_for(task: SessionTask, engine: Engine | None) -> ModuleType | None:
    """The native module that does ``task`` under ``engine``: None for the Python engine, or a
    task the core cannot do."""
    return native_core(engine) if isinstance(task, NativeTask) else None


def run_chunk(
    items: Sequence[RawItem | BadItem], task: SessionTask, engine: Engine | None = None
) -> list[Outcome]:
    """Every item's outcome, in order, in this process: one call into the native core for them
    all where it runs (``engine``, by default ``CHATSTATS_ENGINE``'s) and the task is a
    :class:`NativeTask` (a Dask partition is one chunk)."""
    outcomes, _ = _outcomes(items, task, _native_for(task, engine))
    return [outcome for outcome in outcomes if isinstance(outcome, Outcome)]  # no skips here


class GarbageSchedule:
    """Garbage collection on the batch's schedule rather than CPython's.

    A replay makes no reference cycles (a test checks), so its objects are freed as soon as
    they are dropped and the cycle collector never has anything of ours to free. Left
    automatic, it still runs every few hundred allocations and walks every live event and
    record: a quarter of the time of a 100,000-event session. And since it then never needs a
    full collection, the interpreter's free lists (up to 2,000 spare tuples per size) are never
    emptied, and memory creeps up by several MiB over the first hundred thousand sessions.
    So while a batch runs, automatic collection is paused, and one full collection every
    SESSIONS_PER_COLLECTION sessions (a few ms) frees whatever cycles other code made and
    empties the free lists.
    """

    def __init__(self) -> None:
        self.since_full = 0

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Automatic collection off inside, restored as it was after."""
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            yield
        finally:
            if was_enabled:
                gc.enable()

    def count(self, sessions: int) -> None:
        """Note ``sessions`` more replayed; run a full collection when a period is over."""
        self.since_full += sessions
        if self.since_full >= SESSIONS_PER_COLLECTION:
            self.since_full = 0
            gc.collect()


_WORKER_GARBAGE_SCHEDULE = GarbageSchedule()  # one per worker process, across its chunks


def _one(item: Item | UnreadFile, task: SessionTask) -> Outcome | SkippedFile:
    if isinstance(item, UnreadFile):
        item = read_unread(item, task.limits.max_bytes)
    if isinstance(item, SkippedFile):
        return item
    if isinstance(item, BadItem):
        return Outcome(item.error.source or "<input>", error=item.error.one_line())
    return process(item, task)


def run(
    items: Iterable[Item | Deferred],
    task: SessionTask,
    jobs: int = 1,
    engine: Engine | None = None,
) -> Iterator[Outcome | SkippedFile | NativeRun]:
    """Every item's outcome, in input order; ``jobs`` > 1 uses that many worker processes.
    ``engine`` (by default ``CHATSTATS_ENGINE``'s) is chosen here, once: the native core does
    the task where it is chosen and built and the task is a :class:`NativeTask`; it reads a
    :class:`JsonLinesFile` itself when the task is a :class:`NativeStreamTask`, and answers
    runs of sessions (:class:`NativeRun`); else the file's lines are read here.

    Automatic garbage collection is paused until the iteration ends (see :class:`GarbageSchedule`),
    in the caller's code between items too.
    """
    core = _native_for(task, engine)
    limit = task.limits.max_bytes
    if core is not None:
        if not isinstance(task, NativeStreamTask):  # its lines are read here, its files not
            items = _read_here(items, limit, files=False)
        yield from _run_on_native_threads(items, task, core, jobs)
        return
    read = _read_here(items, limit, files=True)
    if jobs <= 1:
        collections = GarbageSchedule()
        with collections.paused():  # the caller's code between items runs paused too
            for item in read:
                yield _one(item, task)
                collections.count(1)
        return
    chunks = _chunks(read)
    window: deque[tuple[list[Item], Future[list[Outcome | SkippedFile]]]] = deque()
    pool = _pool(jobs)
    try:
        for chunk in chunks:
            try:
                future = pool.submit(_process_chunk, chunk, task)
            except BrokenProcessPool:  # a worker died before its chunk was collected
                outcomes, pool = _salvage(window, [], pool, jobs)
                yield from outcomes
                future = pool.submit(_process_chunk, chunk, task)
            window.append((chunk, future))
            if len(window) >= jobs * IN_FLIGHT_PER_WORKER:
                outcomes, pool = _collect(window, pool, jobs)
                yield from outcomes
        while window:
            outcomes, pool = _collect(window, pool, jobs)
            yield from outcomes
    except BaseException:
        _end_workers(pool)  # Ctrl-C, SIGTERM or the caller giving up: no orphan is left
        raise
    pool.shutdown()


@overload
def _read_here(
    items: Iterable[Item | Deferred], limit: int, files: Literal[True]
) -> Iterator[Item]: ...


@overload
def _read_here(
    items: Iterable[Item | Deferred], limit: int, files: Literal[False]
) -> Iterator[Item | UnreadFile]: ...


def _read_here(
    items: Iterable[Item | Deferred], limit: int, files: bool
) -> Iterator[Item | UnreadFile]:
    """The items, the JSON Lines files among them as their lines read here, and (with
    ``files``) the unread files read here too."""
    for item in items:
        if isinstance(item, JsonLinesFile):
            yield from json_lines_items(item, limit)
        elif files and isinstance(item, UnreadFile):
            yield read_unread(item, limit)
        else:
            yield item


def _run_on_native_threads(
    items: Iterable[Item | Deferred], task: SessionTask, core: ModuleType, threads: int
) -> Iterator[Outcome | SkippedFile | NativeRun]:
    """The native core on ``threads`` worker threads (``--jobs``), in this one process: while
    the core replays a chunk (the GIL released), this thread reads the next, or writes what the
    core answered for the last; what the core declines the Python engine replays here, in its
    place in the order. A JSON Lines file the core reads itself (a :class:`NativeStreamTask`)."""
    assert isinstance(task, NativeTask)
    collections = GarbageSchedule()
    pending: tuple[list[Item | UnreadFile], Future[Sequence[Outcome | str | Counted]]] | None = None

    def collected(
        chunk: list[Item | UnreadFile], answers: Future[Sequence[Outcome | str | Counted]]
    ) -> list[Outcome | SkippedFile]:
        outcomes, by_python = _merged(chunk, task, answers.result())
        collections.count(by_python)
        return outcomes

    with collections.paused(), ThreadPoolExecutor(max_workers=1) as replayer:
        for chunk in _segments(items, THREADED_FIRST_CHUNK, THREADED_MAX_CHUNK):
            if isinstance(chunk, JsonLinesFile):
                if pending is not None:
                    yield from collected(*pending)
                    pending = None
                assert isinstance(task, NativeStreamTask)
                yield from _streamed(chunk, task, core, threads, replayer, collections)
                continue
            future = replayer.submit(task.natively, core, _raw(chunk), threads)
            if pending is not None:
                yield from collected(*pending)
            pending = (chunk, future)
        if pending is not None:
            yield from collected(*pending)


def _streamed(
    file: JsonLinesFile,
    task: NativeStreamTask,
    core: ModuleType,
    threads: int,
    replayer: ThreadPoolExecutor,
    collections: GarbageSchedule,
) -> Iterator[Outcome | SkippedFile | NativeRun]:
    """A JSON Lines file read and replayed by the native core, chunk after chunk (the next one
    read and replayed while this thread hands on the last): runs of sessions, the lines it
    declined replayed here, and a line it hands over read here, after which it goes on."""
    offset, number = 0, 1
    limit = task.limits.max_bytes
    while True:
        try:
            next_pieces = task.json_lines(core, file, offset, number, threads)
        except OSError:  # gone or unreadable since it was listed: the Python reader says how
            yield from (_one(item, task) for item in json_lines_items(file, limit))
            return
        handover: Handover | None = None
        size = THREADED_FIRST_CHUNK
        ahead: Future[list[NativeRun | DeclinedLine | Handover]] | None
        ahead = replayer.submit(next_pieces, size)
        while ahead is not None:
            pieces = ahead.result()
            ends = not pieces or isinstance(pieces[-1], Handover)
            size = min(size * 2, THREADED_MAX_CHUNK)
            ahead = None if ends else replayer.submit(next_pieces, size)
            for piece in pieces:
                if isinstance(piece, Handover):
                    handover = piece
                elif isinstance(piece, DeclinedLine):
                    collections.count(1)
                    yield process(piece.item, task)._replace(declined=piece.reason)
                else:
                    yield piece
        if handover is None:
            return
        line, next_offset = json_line_at(file, handover.offset, handover.number, limit)
        if line is not None:
            yield _one(line, task)
        if next_offset is None:
            return
        offset, number = next_offset, handover.number + 1


def _pool(jobs: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=jobs, initializer=_worker_start)


def _worker_start() -> None:
    """Workers leave Ctrl-C to the parent (it ends them), instead of each printing a trace, and
    die quietly on SIGTERM (the parent's own handler, inherited by the fork, is not theirs)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _collect(
    window: deque[tuple[list[Item], Future[list[Outcome | SkippedFile]]]],
    pool: ProcessPoolExecutor,
    jobs: int,
) -> tuple[list[Outcome | SkippedFile], ProcessPoolExecutor]:
    """The oldest chunk's outcomes. A worker that died (killed, out of memory) breaks the pool:
    then every chunk in flight that did not finish is reported session by session as lost,
    and a new pool takes the chunks still to come."""
    chunk, future = window.popleft()
    try:
        return _result(future, pool), pool
    except BrokenProcessPool:
        return _salvage(window, [_lost(item) for item in chunk], pool, jobs)


def _result(
    future: Future[list[Outcome | SkippedFile]], pool: ProcessPoolExecutor
) -> list[Outcome | SkippedFile]:
    """The future's outcomes, or BrokenProcessPool as soon as a worker is seen dead."""
    # A worker killed halfway through sending its result leaves the pool's reader waiting for
    # the rest forever, so the pool never reports itself broken: the workers are watched here.
    while True:
        try:
            return future.result(timeout=WORKER_WATCH_SECONDS)
        except TimeoutError:
            if _a_worker_died(pool):
                raise BrokenProcessPool("a worker process died") from None


def _a_worker_died(pool: ProcessPoolExecutor) -> bool:
    processes = (getattr(pool, "_processes", None) or {}).values()
    return any(process.exitcode is not None for process in processes)


def _salvage(
    window: deque[tuple[list[Item], Future[list[Outcome | SkippedFile]]]],
    outcomes: list[Outcome | SkippedFile],
    pool: ProcessPoolExecutor,
    jobs: int,
) -> tuple[list[Outcome | SkippedFile], ProcessPoolExecutor]:
    """After a broken pool: ``outcomes`` then every chunk in flight, in input order, the
    finished ones as they finished and the others lost; and a new pool for what follows."""
    for pending_chunk, pending in window:
        if pending.done() and not pending.cancelled() and pending.exception() is None:
            outcomes += pending.result()
        else:
            outcomes += [_lost(item) for item in pending_chunk]
    window.clear()
    _end_workers(pool)
    return outcomes, _pool(jobs)


def _lost(item: Item) -> Outcome | SkippedFile:
    """The outcome of an item whose worker died: skips and unreadable inputs are what they
    were; a transcript is reported lost, by name."""
    if isinstance(item, SkippedFile):
        return item
    if isinstance(item, BadItem):
        return Outcome(item.error.source or "<input>", error=item.error.one_line())
    return Outcome(
        item.source,
        error=f"{item.source}: error: lost: a worker process died "
        "(killed, or out of memory) while replaying it",
    )


def _end_workers(pool: ProcessPoolExecutor) -> None:
    """Stop a pool now: pending work cancelled, running workers terminated, without waiting."""
    # The pool's own threads may still write to pipes its dead workers held: what they raise
    # then is the pool being torn down, not news, so it is not printed as a trace (until the
    # pool's thread has ended; then the hook that was there is put back).
    previous_hook = threading.excepthook
    threading.excepthook = _quiet_pool_threads
    # ProcessPoolExecutor has no public way to stop running workers before Python 3.14
    # (terminate_workers); its process table is the only handle on them.
    processes = list(getattr(pool, "_processes", {}).values())
    for process in processes:
        with suppress(OSError, ValueError, AttributeError):
            process.terminate()
    for process in processes:  # gone before we are: no orphan outlives the command
        with suppress(OSError, ValueError, AttributeError, AssertionError):
            process.join(timeout=2)
            if process.is_alive():
                process.kill()
    # The pool's thread may be stuck reading a result a killed worker half-sent: no process can
    # finish it, but this one still holds the pipe's write end, so no EOF ever comes, and the
    # interpreter's exit (which joins that thread) would hang. Closing it gives the thread EOF.
    with suppress(AttributeError, OSError):
        pool._result_queue._writer.close()  # type: ignore[attr-defined]
    with suppress(OSError):  # its wake-up pipe may be closed already: it is going anyway
        pool.shutdown(wait=False, cancel_futures=True)
    manager = getattr(pool, "_executor_manager_thread", None)
    if manager is not None:
        manager.join(timeout=POOL_THREAD_GRACE_SECONDS)
    if manager is None or not manager.is_alive():
        threading.excepthook = previous_hook
    # else it is still stuck: its errors stay quiet for the rest of this process


def _quiet_pool_threads(args: threading.ExceptHookArgs) -> None:
    """Silence the pipe errors of a torn-down pool's threads; report anything else."""
    if not issubclass(args.exc_type, OSError | EOFError):
        threading.__excepthook__(args)


def _chunks(
    items: Iterable[Item], first: int = FIRST_CHUNK, most: int = MAX_CHUNK
) -> Iterator[list[Item]]:
    """Chunks of ``first`` items, doubling up to ``most``: small inputs still spread over every
    worker, large ones cost the parent little (it pickles both ways for all workers)."""
    iterator = iter(items)
    size = first
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk
        size = min(size * 2, most)


def _segments(
    items: Iterable[Item | Deferred], first: int, most: int
) -> Iterator[list[Item | UnreadFile] | JsonLinesFile]:
    """As :func:`_chunks`, but a JSON Lines file the native core reads comes alone, between
    chunks."""
    chunk: list[Item | UnreadFile] = []
    size = first
    for item in items:
        if isinstance(item, JsonLinesFile):
            if chunk:
                yield chunk
                chunk = []
            yield item
            continue
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
            size = min(size * 2, most)
    if chunk:
        yield chunk
