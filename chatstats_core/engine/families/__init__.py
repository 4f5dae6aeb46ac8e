"""The KVP families: each a pure function ``(timelines, options) -> list[Stat]``."""

from __future__ import annotations

from chatstats_core.engine.families.ending import Classification, classify, ending_stats
from chatstats_core.engine.families.intervals import interval_stats
from chatstats_core.engine.families.messages import message_stats
from chatstats_core.engine.families.parties import party_stats
from chatstats_core.engine.families.session import session_stats
from chatstats_core.engine.families.waiting import until_first_stats, wait_reply_stats
from chatstats_core.engine.options import Options
from chatstats_core.engine.stats import Stat
from chatstats_core.engine.timelines import Timelines

FAMILIES = (
    session_stats,
    message_stats,
    party_stats,
    until_first_stats,
    wait_reply_stats,
    interval_stats,
)


def compute_stats(timelines: Timelines, options: Options) -> tuple[list[Stat], Classification]:
    """Every KVP that applies to the session (with whether it fired and its evidence), and the
    classification the end-reason KVPs come from."""
    classification = classify(timelines, options)
    stats = ending_stats(classification)
    for family in FAMILIES:
        stats.extend(family(timelines, options))
    return stats, classification


__all__ = ["FAMILIES", "Classification", "classify", "compute_stats"]
