"""Until-first times, time with the customer, and the wait/reply runs (behaviour.md 5.1)."""

from __future__ import annotations

from chatstats_core.engine import kvps
from chatstats_core.engine.options import Options
from chatstats_core.engine.stats import Coverage, Stat, triple, union
from chatstats_core.engine.timelines import Interval, MessageRecord, Timelines
from chatstats_core.transcript.model import Role, Visibility
from chatstats_core.transcript.timeutil import whole_seconds


def _first_instant(key: str, found: tuple[int, int] | None) -> Stat:
    """A creation -> first-occurrence duration from ``(t_ms, event)``; 0 and not fired if none."""
    if found is None:
        return Stat(key, 0, False)
    t_ms, event = found
    return Stat(key, whole_seconds(t_ms), True, (Interval(0, t_ms, None, event),), (event,))


def until_first_stats(timelines: Timelines, options: Options) -> list[Stat]:
    """csg_SessionUntilFirst{Agent,Bot,Reply}Time and csg_SessionWithCustomerTime."""
    presences = timelines.presences
    agent = next(((p.start_ms, p.join_event) for p in presences if p.is_visible_agent), None)
    reply = next(
        (
            (m.t_ms, m.event_index)
            for m in timelines.messages
            if m.visible_agent and m.visibility is Visibility.ALL
        ),
        None,
    )
    stats = [
        _first_instant(kvps.csg_SessionUntilFirstAgentTime, agent),
        _first_instant(kvps.csg_SessionUntilFirstReplyTime, reply),
    ]
    if options.bot_gateway:
        bot = next(
            (
                (p.start_ms, p.join_event)
                for p in presences
                if p.role is Role.BOT and p.visibility is Visibility.ALL
            ),
            None,
        )
        stats.append(_first_instant(kvps.csg_SessionUntilFirstBotTime, bot))
    # The union: two client parties present at once count that time once.
    with_customer = union(p.interval for p in presences if p.role is Role.CLIENT)
    stats.append(
        Stat(
            kvps.csg_SessionWithCustomerTime,
            whole_seconds(sum(span.ms for span in with_customer)),
            bool(with_customer),
            with_customer,
        )
    )
    return stats


def _runs(messages: tuple[MessageRecord, ...]) -> list[tuple[bool, MessageRecord, MessageRecord]]:
    """Runs of consecutive same-side messages as ``(is_customer, first, last)``."""
    runs: list[tuple[bool, MessageRecord, MessageRecord]] = []
    side: bool | None = None  # the current run's: True for the customer, False for agents
    first = last = None
    for message in messages:
        if message.visibility is not Visibility.ALL:
            continue
        if message.role is Role.CLIENT:
            customer = True
        elif message.visible_agent:
            customer = False
        else:
            continue
        if customer is side:
            last = message
            continue
        if side is not None:
            runs.append((side, first, last))  # type: ignore[arg-type]  # set with side
        side, first, last = customer, message, message
    if side is not None:
        runs.append((side, first, last))  # type: ignore[arg-type]
    return runs


def wait_reply_stats(timelines: Timelines, options: Options) -> list[Stat]:
    """cse_{Customer,Agent}{Wait,Reply}{TotalCount,TotalTime,MaxTime}.

    In async sessions agent reply leaves out, inside its span, the time from the session going
    dormant until a visible agent joined again (dormant and routing after a wake-up), and agent
    wait the dormant time inside its span; customer wait and customer reply leave out nothing.
    """
    dormant = Coverage(timelines.dormant).overlap_ms if timelines.dormant else _no_overlap
    away = Coverage(timelines.until_rejoin).overlap_ms if timelines.until_rejoin else _no_overlap
    customer_wait: list[Interval] = []
    agent_reply: list[Interval] = []
    agent_wait: list[Interval] = []
    customer_reply: list[Interval] = []
    runs = _runs(timelines.messages)
    for (_, first, last), (answer_is_customer, answer, _) in zip(runs, runs[1:], strict=False):
        # waited: from the last message of a run; replied: from its first; both to the answer
        waited_from, replied_from = last.t_ms, first.t_ms
        answered, answer_event = answer.t_ms, answer.event_index
        if answer_is_customer:
            agent_wait.append(
                Interval(
                    waited_from,
                    answered,
                    last.event_index,
                    answer_event,
                    dormant(waited_from, answered),
                )
            )
            customer_reply.append(Interval(replied_from, answered, first.event_index, answer_event))
        else:
            customer_wait.append(Interval(waited_from, answered, last.event_index, answer_event))
            agent_reply.append(
                Interval(
                    replied_from,
                    answered,
                    first.event_index,
                    answer_event,
                    away(replied_from, answered),
                )
            )
    return (
        triple(kvps.CUSTOMER_WAIT, customer_wait)
        + triple(kvps.AGENT_REPLY, agent_reply)
        + triple(kvps.AGENT_WAIT, agent_wait)
        + triple(kvps.CUSTOMER_REPLY, customer_reply)
    )


def _no_overlap(start: int, end: int) -> int:
    return 0
