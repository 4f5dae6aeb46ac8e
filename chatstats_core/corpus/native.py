"""The native replay core (``chatstats_core._native``, Rust, in ``native/``) and the choice of
engine.

The native core replays Genesys XML and canonical JSON transcripts and renders them in every
bulk format of ``replay`` (json, jsonl, kvp, csv, infomart), byte for byte as the Python engine
does (the Python engine is the reference; the differential tests hold the two together); it
does ``sweep``, ``diff -a/-b``, ``report`` and ``fit``'s candidates too. A session it does not
handle (anything the Python engine would refuse or warn about, with three exceptions it says
itself) it declines with a reason, and the Python engine replays it: the output is the same
either way.

An :class:`Engine` value chooses, once per run: the command line parses ``--engine`` (its default
is ``CHATSTATS_ENGINE``, else ``auto``) and hands the value to the batch runner, which gives the
tasks the native module or none.
"""

from __future__ import annotations

import enum
import functools
import os
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any, NamedTuple

from chatstats_core.errors import ChatstatsError, ChatstatsWarning, WarningCode

if TYPE_CHECKING:  # imported where used: `chatstats --version` asks only which engine runs
    from typing import TypeAlias

    from chatstats_core import _native
    from chatstats_core.corpus.inputs import JsonLinesFile, RawItem, UnreadFile

    #: A transcript as the native core takes it: read, or a file it reads itself.
    NativeItem: TypeAlias = RawItem | UnreadFile
    from chatstats_core.engine.options import Options
    from chatstats_core.transcript.limits import Limits

ENGINE_VARIABLE = "CHATSTATS_ENGINE"


class Engine(enum.StrEnum):
    """Which engine replays in bulk: ``native`` (the native core must be there), ``python``, or
    ``auto`` (native when it was built)."""

    AUTO = "auto"
    NATIVE = "native"
    PYTHON = "python"


class EngineError(ChatstatsError):
    """The engine asked for cannot run here."""


def engine_from_environment() -> Engine:
    """The engine ``CHATSTATS_ENGINE`` names (``auto`` when it is not set): the default of the
    command line's ``--engine`` and of a batch run without one."""
    value = os.environ.get(ENGINE_VARIABLE, "auto").strip().lower() or "auto"
    try:
        return Engine(value)
    except ValueError:
        raise EngineError(
            f"unknown engine {value!r} in {ENGINE_VARIABLE}",
            source="chatstats",
            expected="one of " + ", ".join(engine.value for engine in Engine),
        ) from None


@functools.cache
def _built() -> ModuleType | None:
    try:
        from chatstats_core import _native
    except ImportError:
        return None
    module: ModuleType = _native
    return module


def native_core(engine: Engine | None = None) -> ModuleType | None:
    """The native module when ``engine`` (by default the environment's) chooses it and it is
    built; None for the Python engine. Asking for ``native`` where it is not built is an error."""
    engine = engine_from_environment() if engine is None else engine
    if engine is Engine.PYTHON:
        return None
    module = _built()
    if module is None and engine is Engine.NATIVE:
        raise EngineError(
            "the native engine is not built in this installation",
            source="chatstats",
            expected="a Rust toolchain when installing (docs/development.md), or --engine python",
        )
    return module


def resolved(engine: Engine | None = None) -> Engine:
    """``native`` or ``python``: the engine that runs for ``engine`` here."""
    return Engine.PYTHON if native_core(engine) is None else Engine.NATIVE


class NativeReplay(NamedTuple):
    """What the native core made of one transcript: its text and warnings, or why it left the
    transcript to the Python engine."""

    text: str | None
    declined: str
    warnings: tuple[ChatstatsWarning, ...]


def _raw(items: Sequence[NativeItem]) -> list[_native.Item]:
    """The items as the native core takes them: a read one's bytes, an unread one's file."""
    from chatstats_core.corpus.inputs import RawItem

    return [
        (item.data, None, item.source, item.default_session_id, False)
        if isinstance(item, RawItem)
        else (None, item.path, item.source, item.default_session_id, item.in_directory)
        for item in items
    ]


def replay_natively(
    core: ModuleType,
    items: Sequence[NativeItem],
    options: Options,
    limits: Limits,
    output: str,
    kvp_keys: Sequence[str],
    columns: Sequence[str] = (),
    threads: int = 1,
) -> list[NativeReplay]:
    """Each item replayed and rendered by one call into the native core, in order (on
    ``threads`` of its worker threads)."""
    answers: list[_native.Replay] = core.replay_batch(
        _raw(items), options, limits, output, list(kvp_keys), list(columns), threads
    )
    return [_replay(answer) for answer in answers]


def replay_sets_natively(
    core: ModuleType,
    items: Sequence[NativeItem],
    option_sets: Sequence[Options],
    limits: Limits,
    threads: int = 1,
) -> list[list[NativeReplay]]:
    """Each item parsed once by the native core and replayed under every option set, each
    rendered as one JSON line: per item, the replays in the order of the sets."""
    answers: list[list[_native.Replay]] = core.replay_sets_batch(
        _raw(items), list(option_sets), limits, threads
    )
    return [[_replay(answer) for answer in per_set] for per_set in answers]


def _replay(answer: _native.Replay) -> NativeReplay:
    return NativeReplay(answer.text, answer.declined, _warnings(answer.warnings))


def _warnings(said: Sequence[_native.NativeWarning]) -> tuple[ChatstatsWarning, ...]:
    """The native core's warnings as the Python engine's."""
    return tuple(
        ChatstatsWarning(WarningCode(w.code), w.message, w.event, w.line, w.names_event)
        for w in said
    )


def sweep_natively(
    core: ModuleType,
    items: Sequence[NativeItem],
    option_sets: Sequence[Options],
    limits: Limits,
    kvp_keys: Sequence[str],
    threads: int = 1,
) -> list[tuple[str, list[_native.Figures]] | str]:
    """Each item parsed once and replayed under every option set by one call into the native
    core: ``(session_id, [figures per set])``; or why the core declined the item."""
    answers: list[_native.Swept] = core.sweep_batch(
        _raw(items), list(option_sets), limits, list(kvp_keys), threads
    )
    return [
        answer.declined if answer.session_id is None else (answer.session_id, answer.figures)
        for answer in answers
    ]


def sweep_tally_natively(
    core: ModuleType,
    items: Sequence[NativeItem],
    option_sets: Sequence[Options],
    limits: Limits,
    threads: int = 1,
) -> _native.SweepSums:
    """The items swept under every option set by one call into the native core, and each
    set's figures summed over them (a sweep without --kvp); the items it declined, by index."""
    sums: _native.SweepSums = core.sweep_tally(_raw(items), list(option_sets), limits, threads)
    return sums


def report_natively(
    core: ModuleType,
    items: Sequence[NativeItem],
    option_sets: Sequence[Options],
    limits: Limits,
    threads: int = 1,
) -> list[tuple[list[_native.Facts], tuple[ChatstatsWarning, ...]] | str]:
    """Each item parsed once and replayed under every option set by one call into the native
    core: its report facts per set and its warnings, or why the core declined it."""
    answers: list[_native.Reported] = core.report_batch(
        _raw(items), list(option_sets), limits, threads
    )
    return [
        answer.declined if answer.declined else (answer.facts, _warnings(answer.warnings))
        for answer in answers
    ]


class NativeRun(NamedTuple):
    """Sessions of a JSON Lines file the native core replayed in a row: their texts joined (the
    format's separator between them), how many, and the warnings of those that have any, by
    source."""

    text: str
    sessions: int
    warned: tuple[tuple[str, tuple[ChatstatsWarning, ...]], ...]


class DeclinedLine(NamedTuple):
    """A line the native core left to the Python engine, and why."""

    item: RawItem
    reason: str


class Handover(NamedTuple):
    """A line the Python reader reads (over the size limit, or unreadable to the core): where it
    starts, and its number."""

    offset: int
    number: int


def stream_json_lines(
    core: ModuleType,
    file: JsonLinesFile,
    offset: int,
    number: int,
    rendering: tuple[Options, Limits, str, Sequence[str], Sequence[str], str],
    threads: int = 1,
) -> Callable[[int], list[NativeRun | DeclinedLine | Handover]]:
    """The native core's reader of a JSON Lines file from byte ``offset`` (where line ``number``
    starts): a function giving the next pieces of up to that many lines, in input order (an
    empty list at the end). ``rendering``: the options, limits, format, --kvp keys, columns of
    csv and infomart, and the format's separator. OSError if the file cannot be opened."""
    from chatstats_core.corpus import inputs

    options, limits, output, kvp_keys, columns, separator = rendering
    stream = core.JsonLinesStream(
        file.path,
        offset,
        number,
        file.source,
        file.stem,
        options,
        limits,
        output,
        list(kvp_keys),
        list(columns),
        separator,
        threads,
    )

    def piece(answer: Any) -> NativeRun | DeclinedLine | Handover:
        if isinstance(answer, core.Run):
            warned = tuple((source, _warnings(said)) for source, said in answer.warned)
            return NativeRun(answer.text, answer.sessions, warned)
        if isinstance(answer, core.Declined):
            item = inputs.RawItem(answer.source, answer.data, answer.default_session_id)
            return DeclinedLine(item, answer.reason)
        return Handover(answer.offset, answer.number)

    def next_pieces(most: int) -> list[NativeRun | DeclinedLine | Handover]:
        return [piece(answer) for answer in stream.next_chunk(most)]

    return next_pieces
