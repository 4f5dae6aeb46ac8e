"""Interval families: handle, active idle, async dormant and async idle."""

from __future__ import annotations

from chatstats_core.engine.options import Options
from chatstats_core.engine.stats import Stat, triple
from chatstats_core.engine.timelines import Timelines


def interval_stats(timelines: Timelines, options: Options) -> list[Stat]:
    """cse_SessionHandle*, cse_ActiveIdle*, and for async sessions cse_AsyncDormant*/Idle*."""
    stats = triple("cse_SessionHandle", timelines.handle)
    stats += triple("cse_ActiveIdle", timelines.active_idle)
    if timelines.is_async:
        stats += triple("cse_AsyncDormant", timelines.dormant)
        stats += triple("cse_AsyncIdle", timelines.async_idle)
    return stats
