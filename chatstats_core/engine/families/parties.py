"""Party counts: unique visible agents, coaches and monitors by person; bots per join."""

from __future__ import annotations

from collections.abc import Iterable

from chatstats_core.engine import kvps
from chatstats_core.engine.options import Options
from chatstats_core.engine.stats import Stat
from chatstats_core.engine.timelines import Presence, Timelines
from chatstats_core.transcript.model import Role


def _unique_persons(key: str, joins: Iterable[Presence]) -> Stat:
    first_join: dict[str, int] = {}
    for presence in joins:
        first_join.setdefault(presence.person or presence.party, presence.join_event)
    return Stat(key, len(first_join), bool(first_join), events=tuple(first_join.values()))


def party_stats(timelines: Timelines, options: Options) -> list[Stat]:
    """csg_PartiesAs{Agent,Coach,Monitor,Bot}Count; fired when > 0."""
    presences = timelines.presences
    humans = [p for p in presences if p.role.is_human_agent]
    stats = [
        _unique_persons(kvps.csg_PartiesAsAgentCount, (p for p in humans if p.is_visible_agent)),
        _unique_persons(
            kvps.csg_PartiesAsCoachCount,
            (p for p in humans if p.visibility is options.coach_visibility),
        ),
        _unique_persons(
            kvps.csg_PartiesAsMonitorCount,
            (p for p in humans if p.visibility is options.monitor_visibility),
        ),
    ]
    if options.bot_gateway:
        bots = tuple(p.join_event for p in presences if p.role is Role.BOT)
        stats.append(Stat(kvps.csg_PartiesAsBotCount, len(bots), bool(bots), events=bots))
    return stats
