"""Interval families: handle, active idle, async dormant and async idle."""

from __future__ import annotations

from chatstats_core.engine import kvps
from chatstats_core.engine.options import Options
from chatstats_core.engine.stats import Stat, triple
from chatstats_core.engine.timelines import Timelines


def interval_stats(timelines: Timelines, options: Options) -> list[Stat]:
    """cse_SessionHandle*, cse_ActiveIdle*, and for async sessions cse_AsyncDormant*/Idle*."""
    stats = triple(kvps.SESSION_HANDLE, timelines.handle)
    stats += triple(kvps.ACTIVE_IDLE, timelines.active_idle)
    if timelines.is_async:
        stats += triple(kvps.ASYNC_DORMANT, timelines.dormant)
        stats += triple(kvps.ASYNC_IDLE, timelines.async_idle)
    return stats
