"""``chatstats fit``: find the option values under which the engine reproduces a report.

The search is exhaustive over small, report-driven candidate sets rather than blind:

* attach-session-statistics, bot-gateway, coach-visibility and stop-abandoned-interaction are
  tried only where the report can tell them apart (stop needs a reported classification, the
  coach visibility a reported coach or monitor count, bot-gateway the absence of bot KVPs);
* timeouts come from the session itself: the activity gaps of the transcript (an alert fires
  in a gap only when it is shorter than the gap), the reported cse_ActiveIdleMaxTime and
  cse_AsyncIdleMaxTime (alert = gap - max idle), and a reported inactivity closure (close =
  closure - last activity - alert).

Every candidate is verified by a full replay, so a reported fit is an exact one. timeout-alert2
only shifts the closure, as timeout-close does, so fits keep it at 0.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

import orjson

from chatstats_core.corpus.inputs import RawItem
from chatstats_core.corpus.native import Engine, native_core, replay_sets_natively
from chatstats_core.engine import ATTACHED_UNDER_NONE, kvps, replay_session
from chatstats_core.engine.contract import result_to_dict
from chatstats_core.engine.options import AttachLevel, NoticeFilter, Options, StopPolicy
from chatstats_core.engine.replay import quiet_stretches
from chatstats_core.engine.timelines import TimerName
from chatstats_core.errors import InputError
from chatstats_core.transcript.limits import DEFAULT_LIMITS
from chatstats_core.transcript.model import Transcript, Visibility
from chatstats_core.workflows.compare import Difference, KeyFilter, diff_reported_document
from chatstats_core.workflows.reported import Reported, ReportedSet

_LONG = 86400
_NOTICE_ORDER = (
    NoticeFilter.MAJOR,
    NoticeFilter.NONE,
    NoticeFilter.MAJOR2,
    NoticeFilter.TYPING,
    NoticeFilter.ALL,
)
_BOT_KVPS = (
    kvps.csg_MessagesFromBotsCount,
    kvps.csg_MessagesFromBotsSize,
    kvps.csg_PartiesAsBotCount,
    kvps.csg_SessionUntilFirstBotTime,
)


@dataclass(frozen=True, slots=True)
class Candidate:
    """An option set tried, and what still differs from the report under it."""

    options: Options
    differences: tuple[Difference, ...]

    @property
    def changes(self) -> dict[str, Any]:
        """The options that differ from Genesys's defaults."""
        defaults = Options().effective()
        return {k: v for k, v in self.options.effective().items() if defaults[k] != v}


@dataclass(frozen=True, slots=True)
class FitResult:
    """Exact fits (smallest change first), or the closest candidates when there is none."""

    session_id: str
    exact: tuple[Candidate, ...]
    closest: tuple[Candidate, ...]
    tried: int
    hints: tuple[str, ...]
    unknown: frozenset[str] = frozenset()


def fit(
    transcript: Transcript,
    reported: Reported,
    base: Options | None = None,
    fixed: frozenset[str] = frozenset(),
    keep: int = 10,
    only_reported: bool = False,
    raw: RawItem | None = None,
    engine: Engine | None = None,
) -> FitResult:
    """Search option values that reproduce ``reported``; ``fixed`` attrs are not searched.
    With ``raw``, the transcript as it was read, the native core (when ``engine`` chooses it)
    parses it once and replays every candidate.

    A report that lacks one of the always-attached KVPs cannot be a whole attachment: it is
    taken as partial (as with ``only_reported``), only its keys are compared, and
    attach-session-statistics is not searched.
    """
    base = base or Options()
    hints: list[str] = []
    values = reported.kvps
    missing = sorted(ATTACHED_UNDER_NONE - set(values))
    if missing and not only_reported:
        hints.append(
            f"the report lacks {missing[0]}, which is always attached: taken as partial, "
            "only its keys are compared"
        )
        only_reported = True
    keys = KeyFilter(only_right_keys=only_reported)
    if only_reported:
        fixed = fixed | {"attach_session_statistics"}
        base = replace(base, attach_session_statistics=AttachLevel.ALL)
    candidates = list(
        dict.fromkeys(
            options
            for timer_options in _timer_configs(transcript, reported, base, fixed, hints)
            for options in _post_configs(timer_options, reported, fixed, hints)
        )
    )
    tried = {
        options: Candidate(options, diff_reported_document(document, reported, keys).differences)
        for options, document in zip(
            candidates,
            _replay_documents(transcript, candidates, None if raw is None else (raw, engine)),
            strict=True,
        )
    }
    ranked = sorted(
        tried.values(),
        key=lambda c: (len(c.differences), len(c.changes), sorted(c.changes.items(), key=str)),
    )
    exact = tuple(_minimal([c for c in ranked if not c.differences])[:keep])
    closest = () if exact else tuple(_minimal(ranked)[:keep])
    if kvps.cse_ActiveIdleTotalCount in values and not exact:
        hints.append(
            "no candidate reproduced the idle figures: the report may come from other "
            "timeouts than the gaps suggest, or from a transcript that differs"
        )
    unknown = frozenset({"settings/attach-session-statistics"} if only_reported else ())
    return FitResult(
        transcript.session_id, exact, closest, len(tried), tuple(dict.fromkeys(hints)), unknown
    )


def _minimal(candidates: list[Candidate]) -> list[Candidate]:
    """Drop candidates that only add changes to another one with the same differences (the
    extra changes made no difference)."""
    kept: list[Candidate] = []
    for candidate in candidates:
        changes = set(candidate.changes.items())
        if not any(
            set(other.changes.items()) < changes and other.differences == candidate.differences
            for other in kept
        ):
            kept.append(candidate)
    return kept


def _replay_documents(
    transcript: Transcript,
    candidates: list[Options],
    natively: tuple[RawItem, Engine | None] | None,
) -> list[dict[str, Any]]:
    """The transcript replayed under every candidate, as replay documents: by the native core
    when there is one and the transcript as read (it parses it once), by the Python engine
    otherwise and for what the core declines."""
    texts: list[str | None] = [None] * len(candidates)
    core = None if natively is None else native_core(natively[1])
    if natively is not None and core is not None:
        (replays,) = replay_sets_natively(core, [natively[0]], candidates, DEFAULT_LIMITS)
        texts = [replay.text for replay in replays]
    return [
        orjson.loads(text)
        if text is not None
        else result_to_dict(replay_session(transcript, options))
        for options, text in zip(candidates, texts, strict=True)
    ]


def _post_configs(
    options: Options, reported: Reported, fixed: frozenset[str], hints: list[str]
) -> Iterator[Options]:
    """Options that change only what is attached or how it is classified."""
    values = reported.kvps
    attach = (
        _attach_levels(values, hints)
        if "attach_session_statistics" not in fixed
        else [options.attach_session_statistics]
    )
    stops = [options.stop_abandoned_interaction]
    if "classification" in reported.extra and "stop_abandoned_interaction" not in fixed:
        stops = list(dict.fromkeys([options.stop_abandoned_interaction, *StopPolicy]))
    coaches = [options.coach_visibility]
    if {kvps.csg_PartiesAsCoachCount, kvps.csg_PartiesAsMonitorCount} & set(
        values
    ) and "coach_visibility" not in fixed:
        coaches = [Visibility.VIP, Visibility.INT]
    bots = [options.bot_gateway]
    if not set(_BOT_KVPS) & set(values) and "bot_gateway" not in fixed:
        bots = [True, False]
    for level, stop, coach, bot in itertools.product(attach, stops, coaches, bots):
        yield replace(
            options,
            attach_session_statistics=level,
            stop_abandoned_interaction=stop,
            coach_visibility=coach,
            bot_gateway=bot,
        )


def _attach_levels(values: dict[str, Any], hints: list[str]) -> list[AttachLevel]:
    if set(values) <= ATTACHED_UNDER_NONE:
        hints.append("only the four always-attached KVPs: attach-session-statistics=none")
        return [AttachLevel.NONE]
    zero_counts = [k for k, v in values.items() if k.endswith("Count") and v == 0]
    if zero_counts:
        hints.append(f"zero-valued {zero_counts[0]} is attached: attach-session-statistics=all")
        return [AttachLevel.ALL]
    hints.append("no zero-valued counts attached: attach-session-statistics=fired most likely")
    return [AttachLevel.FIRED, AttachLevel.ALL]


def _timer_configs(
    transcript: Transcript,
    reported: Reported,
    base: Options,
    fixed: frozenset[str],
    hints: list[str],
) -> Iterator[Options]:
    """The base, then inactivity control on with candidate timeouts, then async idle ones."""
    values = reported.kvps
    idle_reported = _positive(values.get(kvps.cse_ActiveIdleTotalCount))
    inactive_close = values.get(kvps.csg_SessionEndedReason) == "INACTIVE"
    if idle_reported:
        hints.append(
            "cse_ActiveIdle* counted: inactivity control (or async idle control) raised alerts"
        )
    if inactive_close:
        hints.append("ended INACTIVE: a timer closed the session unless the transcript records it")
    async_idle = _positive(values.get(kvps.cse_AsyncIdleTotalCount))
    if not (idle_reported and not transcript.is_async) or base.inactivity_enabled:
        yield base
    if not (idle_reported or inactive_close or async_idle):
        return  # without alerts or an idle closure, timers on are never a smaller change
    if not {"inactivity_enabled", "timeout_alert", "timeout_close"} & fixed:
        yield from _inactivity_configs(transcript, reported, base, hints)
    if transcript.is_async and not {"async_idle_alert", "async_idle_close"} & fixed:
        yield from _async_configs(transcript, reported, base, hints)


def _positive(value: Any) -> bool:
    return isinstance(value, int) and value > 0


def _closure_ms(reported: Reported) -> int | None:
    total = reported.kvps.get(kvps.csg_SessionTotalTime)
    return total * 1000 if isinstance(total, int) else None


def _gaps(stretches: Sequence[tuple[int, int | None]], end_ms: int) -> list[int]:
    """The whole seconds of each quiet stretch that starts before ``end_ms``, cut there."""
    return [
        (min(end_ms, end if end is not None else end_ms) - start) // 1000
        for start, end in stretches
        if start < end_ms
    ]


#: The most distinct activity gaps whose alert candidates fit tries (the longest ones: an alert
#: fires only in a gap longer than it). Candidates grow with the square of the gaps, so a
#: transcript with hundreds of gaps took minutes; the cut is said in a hint.
MAX_FIT_GAPS = 24


def _alert_candidates(gaps: Sequence[int], max_idle: Any, default: int) -> list[int]:
    found = {default}
    for gap in _longest(gaps):
        found.update((gap - 1, gap))
        if isinstance(max_idle, int) and max_idle > 0:
            found.add(gap - max_idle)
    return sorted(a for a in found if 1 <= a <= _LONG)


def _longest(gaps: Sequence[int]) -> list[int]:
    """The distinct gaps, at most :data:`MAX_FIT_GAPS` of them, the longest first."""
    return sorted(set(gaps), reverse=True)[:MAX_FIT_GAPS]


def _gap_hint(gaps: Sequence[int], hints: list[str], timer: str) -> None:
    distinct = len(set(gaps))
    if distinct > MAX_FIT_GAPS:
        hints.append(
            f"{distinct} distinct {timer} gaps: alerts were tried for the {MAX_FIT_GAPS} longest "
            "only (an alert fires only in a gap longer than it)"
        )


def _close_candidates(
    stretches: Sequence[tuple[int, int | None]],
    gaps: Sequence[int],
    alert: int,
    closure_ms: int | None,
    default: int,
) -> list[int]:
    found = {default}
    if closure_ms is not None:
        last = max((start for start, _ in stretches if start < closure_ms), default=0)
        found.add((closure_ms - last) // 1000 - alert)
    found.add(max([1, *(gap - alert for gap in _longest(gaps))]))
    return sorted(c for c in found if 1 <= c <= _LONG)


def _end_ms(transcript: Transcript, base: Options, reported: Reported) -> int:
    """Where the last gap ends: the reported closure (a timer may have cut the session short),
    else where the session ends without timers."""
    closure = _closure_ms(reported)
    if closure is not None:
        return closure
    result = replay_session(
        transcript,
        replace(
            base, inactivity_enabled=False, async_idle_alert=1_728_000, async_idle_close=1_728_000
        ),
    )
    return result.timelines.end_ms


def _inactivity_configs(
    transcript: Transcript, reported: Reported, base: Options, hints: list[str]
) -> Iterator[Options]:
    end_ms = _end_ms(transcript, base, reported)
    seen: set[tuple[tuple[int, int | None], ...]] = set()
    for notices in _NOTICE_ORDER:
        probe = replace(
            base,
            inactivity_enabled=True,
            include_notices=notices,
            timeout_alert=_LONG,
            timeout_alert2=0,
            timeout_close=_LONG,
        )
        stretches = quiet_stretches(transcript, probe, TimerName.INACTIVITY)
        if tuple(stretches) in seen:
            continue  # the same activity as an earlier notice filter: the same results
        seen.add(tuple(stretches))
        gaps = _gaps(stretches, end_ms)
        _gap_hint(gaps, hints, "inactivity")
        max_idle = reported.kvps.get(kvps.cse_ActiveIdleMaxTime)
        for alert in _alert_candidates(gaps, max_idle, 255):
            for close in _close_candidates(stretches, gaps, alert, _closure_ms(reported), 45):
                yield replace(probe, timeout_alert=alert, timeout_close=close)


def _async_configs(
    transcript: Transcript, reported: Reported, base: Options, hints: list[str]
) -> Iterator[Options]:
    end_ms = _end_ms(transcript, base, reported)
    seen: set[tuple[tuple[int, int | None], ...]] = set()
    for notices in _NOTICE_ORDER:
        probe = replace(
            base, async_idle_notices=notices, async_idle_alert=1_728_000, async_idle_close=1_728_000
        )
        stretches = quiet_stretches(transcript, probe, TimerName.ASYNC_IDLE)
        if tuple(stretches) in seen:
            continue
        seen.add(tuple(stretches))
        gaps = _gaps(stretches, end_ms)
        _gap_hint(gaps, hints, "async idle")
        max_idle = reported.kvps.get(kvps.cse_AsyncIdleMaxTime) or reported.kvps.get(
            kvps.cse_ActiveIdleMaxTime
        )
        for alert in _alert_candidates(gaps, max_idle, 86400):
            for close in _close_candidates(stretches, gaps, alert, _closure_ms(reported), 3600):
                yield replace(probe, async_idle_alert=alert, async_idle_close=close)


def fixed_attributes(assignments: Sequence[str], whole_file: bool = False) -> frozenset[str]:
    """The Options attributes fit does not search: those ``-o`` assignments name, or every one
    when a whole options file was given (it is the customer's configuration)."""
    from chatstats_core.engine.options import OPTION_SPECS, find_spec

    if whole_file:
        return frozenset(spec.attr for spec in OPTION_SPECS)
    return frozenset(find_spec(text.partition("=")[0]).attr for text in assignments)


def reported_session(reported: ReportedSet, transcript: Transcript, where: str) -> Reported:
    """The session of the report ``where`` that the transcript is (by id, then by file); an
    InputError when it has none."""
    index = reported.for_session(transcript.session_id, transcript.source)
    if index is None:
        raise InputError(f"no reported values for session {transcript.session_id}", source=where)
    return reported.sessions[index]


def fit_document(result: FitResult) -> dict[str, Any]:
    """The fit as JSON."""

    def candidate(c: Candidate) -> dict[str, Any]:
        changes = {k: v for k, v in c.changes.items() if k not in result.unknown}
        return {
            "changes": changes,
            "differences": [
                {"key": d.key, "computed": d.left, "reported": d.right} for d in c.differences
            ],
        }

    return {
        "session_id": result.session_id,
        "exact": bool(result.exact),
        "tried": result.tried,
        "hints": list(result.hints),
        "not_determined": sorted(result.unknown),
        "fits": [candidate(c) for c in (result.exact or result.closest)],
    }


__all__ = ["Candidate", "FitResult", "fit", "fit_document", "fixed_attributes"]
