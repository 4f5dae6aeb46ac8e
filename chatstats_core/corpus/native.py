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
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any, NamedTuple

from chatstats_core.errors import ChatstatsError, ChatstatsWarning, WarningCode

if TYPE_CHECKING:  # imported where used: `chatstats --version` asks only which engine runs
    from chatstats_core.corpus.inputs import RawItem
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


@functools.lru_cache(maxsize=64)
def native_options(core: ModuleType, options: Options) -> Any:
    """The native core's copy of one option set (made once per set)."""
    import orjson

    return core.Options(
        attach_session_statistics=options.attach_session_statistics.value,
        stop_abandoned_interaction=options.stop_abandoned_interaction.value,
        attach_stats_rep_events=options.attach_stats_rep_events,
        attach_stats_rep_place=options.attach_stats_rep_place,
        async_idle_alert=options.async_idle_alert,
        async_idle_close=options.async_idle_close,
        async_idle_notices=options.async_idle_notices.value,
        inactivity_enabled=options.inactivity_enabled,
        include_notices=options.include_notices.value,
        timeout_alert=options.timeout_alert,
        timeout_alert2=options.timeout_alert2,
        timeout_close=options.timeout_close,
        tenant_id=options.tenant_id,
        bot_gateway=options.bot_gateway,
        coach_visibility=options.coach_visibility.value,
        effective=[
            (key, orjson.dumps(value).decode()) for key, value in options.effective().items()
        ],
    )


class NativeReplay(NamedTuple):
    """What the native core made of one transcript: its text and warnings, or why it left the
    transcript to the Python engine."""

    text: str | None
    declined: str
    warnings: tuple[ChatstatsWarning, ...]


def _call_inputs(
    core: ModuleType, items: Sequence[RawItem], option_sets: Sequence[Options]
) -> tuple[list[tuple[bytes, str, str]], list[Any]]:
    """The items as the native core takes them, and its copies of the option sets."""
    raw = [(item.data, item.source, item.default_session_id) for item in items]
    return raw, [native_options(core, options) for options in option_sets]


def _limits(limits: Limits) -> tuple[int, int, int, int]:
    return (limits.max_bytes, limits.max_events, limits.max_depth, limits.max_attribute)


def replay_natively(
    core: ModuleType,
    items: Sequence[RawItem],
    options: Options,
    limits: Limits,
    output: str,
    kvp_keys: Sequence[str],
    columns: Sequence[str] = (),
    threads: int = 1,
) -> list[NativeReplay]:
    """Each item replayed and rendered by one call into the native core, in order (on
    ``threads`` of its worker threads)."""
    (raw, (native,)) = _call_inputs(core, items, (options,))
    answer = core.replay_batch(
        raw,
        native,
        _limits(limits),
        output,
        list(kvp_keys),
        list(columns),
        threads,
    )
    return _replays(answer)


def replay_sets_natively(
    core: ModuleType,
    items: Sequence[RawItem],
    option_sets: Sequence[Options],
    limits: Limits,
    threads: int = 1,
) -> list[list[NativeReplay]]:
    """Each item parsed once by the native core and replayed under every option set, each
    rendered as one JSON line: per item, the replays in the order of the sets."""
    raw, sets = _call_inputs(core, items, option_sets)
    return [
        _replays(answer) for answer in core.replay_sets_batch(raw, sets, _limits(limits), threads)
    ]


#: A warning as the native core gives it: (code, message, event, line, names_event).
WarningTuple = tuple[str, str, int | None, int | None, bool]


def _replays(
    answer: tuple[list[str | None], list[str], list[list[WarningTuple]]],
) -> list[NativeReplay]:
    """The native core's answer (texts, decline reasons, warnings) as one NativeReplay each."""
    texts, reasons, warnings = answer
    return [
        NativeReplay(text, reason, tuple(_warning(*warning) for warning in said))
        for text, reason, said in zip(texts, reasons, warnings, strict=True)
    ]


def _warning(
    code: str, message: str, event: int | None, line: int | None, names_event: bool
) -> ChatstatsWarning:
    return ChatstatsWarning(WarningCode(code), message, event, line, names_event)


def sweep_natively(
    core: ModuleType,
    items: Sequence[RawItem],
    option_sets: Sequence[Options],
    limits: Limits,
    kvp_keys: Sequence[str],
    threads: int = 1,
) -> list[tuple[str, list[tuple[Any, ...]]] | str]:
    """Each item parsed once and replayed under every option set by one call into the native
    core: ``(session_id, [figures per set])``, each figures ``(abandoned, stopped, still open,
    ended, mean values, --kvp values)``; or why the core declined the item."""
    raw, sets = _call_inputs(core, items, option_sets)
    answers = core.sweep_batch(raw, sets, _limits(limits), list(kvp_keys), threads)
    return [found if found is not None else reason for found, reason in answers]


def report_natively(
    core: ModuleType,
    items: Sequence[RawItem],
    option_sets: Sequence[Options],
    limits: Limits,
    threads: int = 1,
) -> list[tuple[list[tuple[Any, ...]], tuple[ChatstatsWarning, ...]] | str]:
    """Each item parsed once and replayed under every option set by one call into the native
    core: its report facts per set and its warnings (see ``native/src/lib.rs: FactsTuple``),
    or why the core declined it."""
    raw, sets = _call_inputs(core, items, option_sets)
    answers = core.report_batch(raw, sets, _limits(limits), threads)
    return [
        reason if found is None else (found[0], tuple(_warning(*warning) for warning in found[1]))
        for found, reason in answers
    ]
