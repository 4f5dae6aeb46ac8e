"""Session characteristics: start, closure, ids, media, tenant, async mode, total time."""

from __future__ import annotations

from chatstats_core.engine import kvps
from chatstats_core.engine.options import Options
from chatstats_core.engine.stats import Stat
from chatstats_core.engine.timelines import Interval, Timelines
from chatstats_core.transcript.timeutil import format_timestamp, whole_seconds


def session_stats(timelines: Timelines, options: Options) -> list[Stat]:
    """The session-characteristic KVPs that apply to this session."""
    transcript = timelines.transcript
    start = transcript.started_at
    user_data = transcript.user_data
    tenant = transcript.tenant_id if transcript.tenant_id is not None else options.tenant_id
    stats = [
        Stat(kvps.ChatServerSessionStartedAt, format_timestamp(start), True),
        Stat(kvps.csg_ChatSessionID, transcript.session_id, True),
        Stat(kvps.csg_MediaType, user_data.get("MediaType") or "chat", True),
        Stat(kvps.csg_TenantId, tenant, True),
        Stat(kvps.csg_ChatAsyncMode, "1" if timelines.is_async else "0", timelines.is_async),
    ]
    for user_key, kvp in (
        ("GCTI_LanguageName", kvps.csg_LanguageName),
        ("MediaOrigin", kvps.csg_MediaOrigin),
    ):
        if user_key in user_data:
            stats.append(Stat(kvp, user_data[user_key], True))
    closure = timelines.closure
    if closure is not None:
        events = (closure.event,) if closure.event is not None else ()
        stats.append(
            Stat(
                kvps.ChatServerSessionClosedAt,
                format_timestamp(start, closure.t_ms),
                True,
                events=events,
            )
        )
        stats.append(
            Stat(
                kvps.csg_SessionTotalTime,
                whole_seconds(closure.t_ms),
                True,
                (Interval(0, closure.t_ms, None, closure.event),),
                events,
            )
        )
    return stats
