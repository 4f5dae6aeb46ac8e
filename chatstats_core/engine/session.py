"""One session's replay: ``replay_session(transcript, options) -> Result``.

A pure function with picklable inputs and outputs: it replays the transcript through the
deterministic clock, computes every KVP family from the resulting timelines, applies
``attach-session-statistics``, classifies the closure and collects the reporting events.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass

from chatstats_core.engine.families import Classification, compute_stats
from chatstats_core.engine.families.ending import seed_table_warning
from chatstats_core.engine.options import AttachLevel, Options
from chatstats_core.engine.replay import Replayer, TraceEntry, Trigger
from chatstats_core.engine.rules import (
    ATTACHED_UNDER_NONE,
    CLOSURE_KVPS,
)
from chatstats_core.engine.stats import Stat, Value
from chatstats_core.engine.timelines import Timelines
from chatstats_core.errors import ChatstatsWarning, WarningCode
from chatstats_core.transcript.model import Transcript
from chatstats_core.transcript.timeutil import format_timestamp, whole_seconds

#: The warning for a transcript that ends with the session open.
STILL_OPEN = ChatstatsWarning(WarningCode.STILL_OPEN, "session still open at end of transcript")


@dataclass(frozen=True, slots=True)
class ReportingEvent:
    """A custom reporting event (attach-stats-rep-events) and the KVPs it carries."""

    t: int
    at: str
    trigger: Trigger
    place: int
    kvps: dict[str, Value]


@dataclass(frozen=True, slots=True)
class Result:
    """Everything one replay produced. ``kvps`` is what Chat Server would attach, sorted."""

    session_id: str
    source: str
    options: Options
    kvps: dict[str, Value]
    classification: Classification
    delivery: str
    reporting_events: tuple[ReportingEvent, ...]
    warnings: tuple[ChatstatsWarning, ...]
    stats: tuple[Stat, ...]
    timelines: Timelines
    trace: tuple[TraceEntry, ...] = ()

    @property
    def is_open(self) -> bool:
        """Whether the session had not closed by the end of the replay."""
        return self.timelines.closure is None


_BY_KEY = operator.attrgetter("key")


def attach(stats: list[Stat], level: AttachLevel) -> dict[str, Value]:
    """The KVPs ``attach-session-statistics`` lets through, sorted by key."""
    if level is AttachLevel.NONE:
        chosen = [s for s in stats if s.key in ATTACHED_UNDER_NONE]
    elif level is AttachLevel.FIRED:
        chosen = [s for s in stats if s.fired]
    else:
        chosen = stats
    return {s.key: s.value for s in sorted(chosen, key=_BY_KEY)}


def replay_session(
    transcript: Transcript, options: Options, at_seconds: float | None = None, trace: bool = False
) -> Result:
    """Replay one transcript under ``options``; with ``at_seconds``, the statistics as of then.

    With ``trace``, the result also holds the time line of recorded and simulated events.
    """
    reporting: list[ReportingEvent] = []

    def on_report(replayer: Replayer, trigger: Trigger, t_ms: int) -> None:
        stats, _ = compute_stats(replayer.freeze(t_ms), options)
        kvps = attach(stats, options.attach_session_statistics)
        reporting.append(
            _reporting_event(
                transcript,
                options,
                trigger,
                t_ms,
                {k: v for k, v in kvps.items() if k not in CLOSURE_KVPS},
            )
        )

    replayer = Replayer(transcript, options, on_report, trace)
    stop_ms = None if at_seconds is None else round(at_seconds * 1000)
    end_ms = replayer.run(stop_ms)
    timelines = replayer.freeze(end_ms)
    stats, classification = compute_stats(timelines, options)
    kvps = attach(stats, options.attach_session_statistics)
    warnings = [*transcript.load_warnings, *options.warnings(), *replayer.warnings]
    outside_table = seed_table_warning(classification, timelines)
    if outside_table is not None:
        warnings.append(outside_table)
    if timelines.closure is None:
        warnings.append(
            STILL_OPEN
            if stop_ms is None
            else ChatstatsWarning(
                WarningCode.OPEN_AT_STOP,
                f"statistics as of t={end_ms / 1000:g}s: the session is still open then",
            )
        )
    elif Trigger.SESSION_END.is_asked(options.attach_stats_rep_events):
        reporting.append(
            _reporting_event(transcript, options, Trigger.SESSION_END, timelines.closure.t_ms, kvps)
        )
    return Result(
        session_id=transcript.session_id,
        source=transcript.source,
        options=options,
        kvps=kvps,
        classification=classification,
        delivery="reporting-event"
        if Trigger.SESSION_END.is_asked(options.attach_stats_rep_events)
        else "userdata",
        reporting_events=tuple(reporting),
        warnings=tuple(warnings),
        stats=tuple(stats),
        timelines=timelines,
        trace=tuple(replayer.trace or ()),
    )


def _reporting_event(
    transcript: Transcript, options: Options, trigger: Trigger, t_ms: int, kvps: dict[str, Value]
) -> ReportingEvent:
    return ReportingEvent(
        whole_seconds(t_ms),
        format_timestamp(transcript.started_at, t_ms),
        trigger,
        options.attach_stats_rep_place,
        dict(kvps),
    )


__all__ = [
    "STILL_OPEN",
    "ReportingEvent",
    "Result",
    "attach",
    "replay_session",
]
