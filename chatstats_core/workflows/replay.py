"""``chatstats replay``'s work on each transcript: replay it under the options and render it.

Two tasks for the batch runner (``corpus.batch.run``): :class:`ReplayTask`, a whole session in
a text format, which the native core can do for whole chunks; and :class:`ResultReplayTask`,
the Python engine's Result (for the terminal table) or the statistics as of ``--at``, which only
the Python engine computes. :func:`replay_task` picks the one the output needs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import ModuleType

from chatstats_core.corpus.batch import Outcome
from chatstats_core.corpus.inputs import JsonLinesFile, RawItem, UnreadFile
from chatstats_core.corpus.native import (
    DeclinedLine,
    Handover,
    NativeRun,
    replay_natively,
    stream_json_lines,
)
from chatstats_core.engine.options import Options
from chatstats_core.render import OutputFormat, only_kvps, renderer_for
from chatstats_core.transcript.limits import DEFAULT_LIMITS, Limits
from chatstats_core.transcript.model import Transcript


@dataclass(frozen=True, slots=True)
class ResultReplayTask:
    """Replay each transcript and render it (a Result for the table): the options, the output
    format, limits, ``--at``; by the Python engine."""

    options: Options
    output: OutputFormat
    limits: Limits = DEFAULT_LIMITS
    at_seconds: float | None = None
    kvp_keys: tuple[str, ...] = ()  # replay --kvp: only these KVPs, in this order

    def handle(self, transcript: Transcript) -> Outcome:
        """Replay under the options and render in the output format (a Result for the table)."""
        from chatstats_core.engine import replay_session

        result = only_kvps(replay_session(transcript, self.options, self.at_seconds), self.kvp_keys)
        if self.output is OutputFormat.TABLE:
            return Outcome(transcript.source, result=result, warnings=result.warnings)
        return Outcome(
            transcript.source,
            text=renderer_for(self.output, self.kvp_keys).item(result),
            warnings=result.warnings,
        )


@dataclass(frozen=True, slots=True)
class ReplayTask(ResultReplayTask):
    """A whole session rendered in a text format: the native core does it where it runs."""

    def _columns(self) -> tuple[str, ...]:
        """The KVP columns of csv and infomart, as the Python renderer has them (the JSON
        renderers, which have none, are not made: they would load the Python engine)."""
        if self.output not in (OutputFormat.CSV, OutputFormat.INFOMART):
            return ()
        return tuple(getattr(renderer_for(self.output, self.kvp_keys), "columns", ()))

    def natively(
        self, core: ModuleType, items: Sequence[RawItem | UnreadFile], threads: int = 1
    ) -> list[Outcome | str]:
        """Each item's outcome from the native core, or why it declined the item."""
        replays = replay_natively(
            core,
            items,
            self.options,
            self.limits,
            self.output.value,
            self.kvp_keys,
            self._columns(),
            threads,
        )
        return [
            replay.declined
            if replay.text is None
            else Outcome(item.source, text=replay.text, warnings=replay.warnings)
            for item, replay in zip(items, replays, strict=True)
        ]

    def json_lines(
        self, core: ModuleType, file: JsonLinesFile, offset: int, number: int, threads: int = 1
    ) -> Callable[[int], list[NativeRun | DeclinedLine | Handover]]:
        """The native core's reader of a JSON Lines file: runs of sessions rendered as
        :meth:`natively` renders them, joined with the format's separator."""
        separator = renderer_for(self.output, self.kvp_keys).separator
        rendering = (
            self.options,
            self.limits,
            self.output.value,
            self.kvp_keys,
            self._columns(),
            separator,
        )
        return stream_json_lines(core, file, offset, number, rendering, threads)


def replay_task(
    options: Options,
    output: OutputFormat,
    limits: Limits = DEFAULT_LIMITS,
    at_seconds: float | None = None,
    kvp_keys: tuple[str, ...] = (),
) -> ResultReplayTask:
    """The task for this replay: the table and ``--at`` need the Python engine's Result; every
    other output of a whole session the native core can render."""
    if output is OutputFormat.TABLE or at_seconds is not None:
        return ResultReplayTask(options, output, limits, at_seconds, kvp_keys)
    return ReplayTask(options, output, limits, at_seconds, kvp_keys)
