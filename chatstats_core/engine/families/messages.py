"""Message counts and sizes by sender: visible agents, customers, bots."""

from __future__ import annotations

from collections.abc import Callable

from ...model import Role, Visibility
from ...options import Options
from ..stats import Stat
from ..timelines import MessageRecord, Timelines


def _from_agents(m: MessageRecord) -> bool:
    return m.visible_agent and m.visibility is Visibility.ALL


def _from_customers(m: MessageRecord) -> bool:
    return m.role is Role.CLIENT


def _from_bots(m: MessageRecord) -> bool:
    return m.role is Role.BOT and m.visibility is Visibility.ALL


def message_stats(timelines: Timelines, options: Options) -> list[Stat]:
    """csg_MessagesFrom{Agents,Customers,Bots}{Count,Size}; fired when the count is > 0."""
    senders: list[tuple[str, Callable[[MessageRecord], bool]]] = [
        ("Agents", _from_agents), ("Customers", _from_customers)]
    if options.bot_gateway:
        senders.append(("Bots", _from_bots))
    stats: list[Stat] = []
    for name, accepts in senders:
        chosen = [m for m in timelines.messages if accepts(m)]
        events = tuple(m.event_index for m in chosen)
        fired = bool(chosen)
        stats.append(Stat(f"csg_MessagesFrom{name}Count", len(chosen), fired, events=events))
        stats.append(Stat(f"csg_MessagesFrom{name}Size", sum(m.size for m in chosen), fired,
                          events=events))
    return stats
