"""Message counts and sizes by sender: visible agents, customers, bots."""

from __future__ import annotations

from chatstats_core.engine import kvps
from chatstats_core.engine.options import Options
from chatstats_core.engine.stats import Stat
from chatstats_core.engine.timelines import Timelines
from chatstats_core.transcript.model import Role, Visibility


def message_stats(timelines: Timelines, options: Options) -> list[Stat]:
    """csg_MessagesFrom{Agents,Customers,Bots}{Count,Size}; fired when the count is > 0.

    Agents: visible agents' messages visible to all. Customers: every client message, whatever
    its visibility. Bots: bots' messages visible to all.
    """
    messages = timelines.messages
    everyone = Visibility.ALL
    senders = [
        (
            kvps.MESSAGES_FROM_AGENTS,
            [m for m in messages if m.visible_agent and m.visibility is everyone],
        ),
        (kvps.MESSAGES_FROM_CUSTOMERS, [m for m in messages if m.role is Role.CLIENT]),
    ]
    if options.bot_gateway:
        senders.append(
            (
                kvps.MESSAGES_FROM_BOTS,
                [m for m in messages if m.role is Role.BOT and m.visibility is everyone],
            )
        )
    stats: list[Stat] = []
    for names, chosen in senders:
        events = tuple(m.event_index for m in chosen)
        fired = bool(chosen)
        stats.append(Stat(names.messages, len(chosen), fired, events=events))
        stats.append(Stat(names.characters, sum(m.size for m in chosen), fired, events=events))
    return stats
