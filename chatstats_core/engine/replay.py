"""The replay pass: one walk over the events and the timers, producing timelines.

The clock only moves to the next recorded event or the next timer expiry, whichever is
earlier; a timer expiring at the same instant as a recorded event fires after it. The pass
keeps the session's mechanics (who is present, closure, dormancy, timers) and records the
compact timelines the KVP families read. Nothing here reads a wall clock.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, replace

from chatstats_core.engine.options import NOTICE_TYPES, Options
from chatstats_core.engine.stats import union
from chatstats_core.engine.timelines import (
    Closure,
    ClosureKind,
    IdleSpan,
    Interval,
    MessageRecord,
    Presence,
    PresentParty,
    Timelines,
    TimerFiring,
    TimerName,
    TimerStage,
)
from chatstats_core.engine.timers import StagedTimer, async_idle_timer, inactivity_timer
from chatstats_core.errors import ChatstatsWarning, WarningCode
from chatstats_core.safetext import clipped
from chatstats_core.transcript.model import (
    IDLE_CONTROL_ALERT,
    AfterAction,
    CloseReason,
    Event,
    EventKind,
    LeaveCause,
    Role,
    Transcript,
    Visibility,
    is_visible_agent,
)

#: The most warnings about events one session keeps; the rest are counted in one line.
MAX_WARNINGS = 100
# A recorded inactivity closure this close to the simulated one agrees with the options.
_CLOSE_TOLERANCE_MS = 1000


class AsyncState(enum.Enum):
    """Where an async session is: waiting for an agent, handled, or on hold."""

    ROUTING = "routing"
    ACTIVE = "active"
    DORMANT = "dormant"


class Trigger(enum.Enum):
    """Why a reporting event was sent; each has its bit of attach-stats-rep-events."""

    SESSION_END = "session-end"
    ASYNC_HOLD = "async-hold"
    CUSTOMER_MESSAGE_DURING_HOLD = "customer-message-during-hold"

    @property
    def bit(self) -> int:
        """The bit of ``attach-stats-rep-events`` that asks for this trigger's events."""
        return _TRIGGER_BITS[self]

    def is_asked(self, attach_stats_rep_events: int) -> bool:
        """Whether the option's value asks for this trigger's reporting events."""
        return bool(attach_stats_rep_events & self.bit)


_TRIGGER_BITS = {
    Trigger.SESSION_END: 1,
    Trigger.ASYNC_HOLD: 2,
    Trigger.CUSTOMER_MESSAGE_DURING_HOLD: 4,
}


class TraceKind(enum.Enum):
    """What a line of the time line is: a recorded event (its kind) or what the replay did."""

    JOIN = "join"
    LEAVE = "leave"
    MESSAGE = "message"
    NOTICE = "notice"
    CLOSE = "close"
    RESTORE = "restore"
    ROUTE = "route"
    INACTIVITY_ALERT = "inactivity alert"
    INACTIVITY_ALERT2 = "inactivity alert2"
    INACTIVITY_CLOSE = "inactivity close"
    ASYNC_IDLE_ALERT = "async-idle alert"
    ASYNC_IDLE_CLOSE = "async-idle close"
    INACTIVITY_TIMER_START = "inactivity timer start"
    INACTIVITY_TIMER_STOP = "inactivity timer stop"
    ACTIVE_IDLE_START = "active idle start"
    ACTIVE_IDLE_END = "active idle end"
    ASYNC_IDLE_START = "async idle start"
    ASYNC_IDLE_END = "async idle end"
    DORMANT_START = "dormant start"
    DORMANT_END = "dormant end"
    REPORTING_EVENT = "reporting event"
    AGENTS_FORGOTTEN = "agents forgotten"
    CLOSED = "closed"
    DROPPED = "dropped"

    @classmethod
    def of_event(cls, kind: EventKind) -> TraceKind:
        """The line of a recorded event of this kind."""
        return cls(kind.value)

    @classmethod
    def of_timer(cls, timer: TimerName, stage: TimerStage) -> TraceKind:
        """The line of a timer's stage firing (``inactivity alert2``, ``async-idle close``)."""
        return _TIMER_LINES[timer, stage]


#: The trace line of each stage a timer has (async idle control has no second alert).
_TIMER_LINES = {
    (TimerName.INACTIVITY, TimerStage.ALERT): TraceKind.INACTIVITY_ALERT,
    (TimerName.INACTIVITY, TimerStage.ALERT2): TraceKind.INACTIVITY_ALERT2,
    (TimerName.INACTIVITY, TimerStage.CLOSE): TraceKind.INACTIVITY_CLOSE,
    (TimerName.ASYNC_IDLE, TimerStage.ALERT): TraceKind.ASYNC_IDLE_ALERT,
    (TimerName.ASYNC_IDLE, TimerStage.CLOSE): TraceKind.ASYNC_IDLE_CLOSE,
}


@dataclass(slots=True)
class _Open:
    """A party present now."""

    role: Role
    visibility: Visibility
    person: str
    start_ms: int
    join_event: int

    @property
    def is_visible_agent(self) -> bool:
        return is_visible_agent(self.role, self.visibility)


@dataclass(slots=True)
class _OpenSpan:
    """A span that has started and not yet ended."""

    start_ms: int
    from_event: int | None

    def until(self, t_ms: int, event: int | None) -> Interval:
        """The span, ended at ``t_ms`` by ``event`` (None: the closure or the freeze)."""
        return Interval(self.start_ms, t_ms, self.from_event, event)


@dataclass(frozen=True, slots=True)
class TraceEntry:
    """One line of the session's time line: a recorded event or something the replay did."""

    t_ms: int
    kind: TraceKind
    simulated: bool
    event: int | None
    party: str
    text: str
    present: tuple[str, ...]
    state: str


#: Called when a reporting event is due: (the replayer, why, when).
SnapshotHook = Callable[["Replayer", Trigger, int], None]


class Replayer:
    """Runs one transcript through the clock under one set of options.

    ``snapshot_hook(replayer, trigger, t_ms)`` is called when a reporting event is due, with
    the pass positioned right after the triggering event; ``replayer.freeze`` then gives its
    timelines. (The hook is handed the replayer rather than closing over it, and the event
    handlers live in a class-level table, so a replay makes no reference cycle: its objects are
    freed as soon as the result is dropped, and memory stays flat over a corpus.)
    """

    def __init__(
        self,
        transcript: Transcript,
        options: Options,
        snapshot_hook: SnapshotHook | None = None,
        trace: bool = False,
        log_resets: bool = False,
    ) -> None:
        self.transcript = transcript
        self.trace: list[TraceEntry] | None = [] if trace else None
        # (timer, instant, running after it): each reset (True) and stop (False), for fit
        self.resets: list[tuple[TimerName, int, bool]] | None = [] if log_resets else None
        self.options = options
        self.snapshot_hook = snapshot_hook
        self.is_async = transcript.is_async
        self.present: dict[str, _Open] = {}
        self.shown_presence: tuple[str, ...] | None = None  # the trace's copy of present
        self.known_roles: dict[str, tuple[Role, Visibility]] = {}
        self.presences: list[Presence] = []
        self.messages: list[MessageRecord] = []
        self.handle: list[Interval] = []
        self.idle_spans: list[IdleSpan] = []
        self.dormant: list[Interval] = []
        self.until_rejoin: list[Interval] = []
        self.async_idle: list[Interval] = []
        self.firings: list[TimerFiring] = []
        self.warnings: list[ChatstatsWarning] = []
        self.event_warnings = 0  # of them, those about one event (at most MAX_WARNINGS)
        self.unsaid = 0  # warnings past MAX_WARNINGS, counted only
        self.handle_open: _OpenSpan | None = None
        self.idle_open: dict[TimerName, _OpenSpan] = {}
        self.dormant_open: _OpenSpan | None = None
        self.rejoin_open: _OpenSpan | None = None
        self.async_idle_open: _OpenSpan | None = None
        self.visible_agents = 0
        # parties a restoration forgot: (role, visibility, person), until they join or act
        self.forgotten: dict[str, tuple[Role, Visibility, str]] = {}
        self.async_state = AsyncState.ROUTING
        self.burst_checked_until = 0  # events before this index: a server burst already asked
        self.any_message = False
        self.closure: Closure | None = None
        self.dropped = 0
        self.now_ms = 0
        self.inactivity = inactivity_timer(options)
        self.timers = [
            t for t in (self.inactivity, async_idle_timer(options, self.is_async)) if t is not None
        ]

    # --- the trace (timeline) ----------------------------------------------------------------

    @property
    def state(self) -> str:
        """closed, dormant, active (a visible agent present) or routing."""
        if self.closure is not None:
            return "closed"
        if self.async_state is AsyncState.DORMANT:
            return "dormant"
        return "active" if self.visible_agents else "routing"

    def _present_now(self) -> tuple[str, ...]:
        """Who is present, as one tuple shared by every trace entry until presence changes
        (a time line of n events with p parties present holds n references, not n * p)."""
        if self.shown_presence is None:
            self.shown_presence = tuple(self.present)
        return self.shown_presence

    def _note(
        self,
        t_ms: int,
        kind: TraceKind,
        text: str = "",
        event: Event | None = None,
        simulated: bool = True,
    ) -> None:
        if self.trace is None:
            return
        present = self._present_now() if self.closure is None else ()
        self.trace.append(
            TraceEntry(
                t_ms,
                kind,
                simulated,
                event.index if event else None,
                event.party if event else "",
                text,
                present,
                self.state,
            )
        )

    # --- driving the clock -----------------------------------------------------------------

    def run(self, stop_ms: int | None = None) -> int:
        """Replay up to ``stop_ms`` (everything when None); return the instant reached."""
        timers, handlers = self.timers, _HANDLERS
        for event in self.transcript.events:
            t_ms = event.t_ms
            if stop_ms is not None and t_ms > stop_ms:
                break
            if self.closure is None:
                for timer in timers:
                    if timer.deadline is not None and timer.deadline < t_ms:  # any timer due
                        self._run_timers(t_ms, inclusive=False)
                        break
            if self.closure is not None:
                self._after_closure(event)
                continue
            self.now_ms = t_ms
            if self.trace is None:
                handlers[event.kind](self, event)
            else:
                self._apply_traced(event)
        if self.closure is None:
            self._run_timers(stop_ms, inclusive=True)
        if self.unsaid:
            self.warnings.append(
                ChatstatsWarning(
                    WarningCode.MORE_EVENT_WARNINGS,
                    f"... and {self.unsaid} more warnings about events",
                )
            )
        if self.dropped and self.closure is not None:
            what = "simulated closure" if self.closure.simulated else "closure"
            self.warnings.append(
                ChatstatsWarning(
                    WarningCode.EVENTS_DROPPED,
                    f"{self.dropped} events after {what} "
                    f"at t={self.closure.t_ms / 1000:g}s dropped",
                )
            )
        if self.closure is not None:
            return self.closure.t_ms
        return stop_ms if stop_ms is not None else self.now_ms

    def _run_timers(self, limit: int | None, inclusive: bool) -> None:
        """Fire every timer deadline before ``limit`` (or at it, when inclusive)."""
        while self.closure is None:
            timer, deadline = None, 0
            for candidate in self.timers:  # at most two: no list, no sort on the hot path
                due = candidate.deadline
                if due is not None and (timer is None or due < deadline):
                    timer, deadline = candidate, due
            if timer is None:
                return
            if limit is not None and (deadline > limit or (deadline == limit and not inclusive)):
                return
            self.now_ms = deadline
            self._fire(timer)

    def _fire(self, timer: StagedTimer) -> None:
        at = timer.deadline or 0
        stage = timer.fire()
        self.firings.append(TimerFiring(at, timer.name, stage))
        self._note(at, TraceKind.of_timer(timer.name, stage))
        if stage is TimerStage.CLOSE:
            self._close(at, ClosureKind.SYSTEM, None, simulated=True, reason=CloseReason.INACTIVE)
        elif stage is TimerStage.ALERT:
            if self.visible_agents and timer.name not in self.idle_open:
                self.idle_open[timer.name] = _OpenSpan(at, None)
                self._note(at, TraceKind.ACTIVE_IDLE_START, timer.name.value)
            if (
                timer.name is TimerName.ASYNC_IDLE
                and self.async_state is AsyncState.DORMANT
                and self.async_idle_open is None
            ):
                self.async_idle_open = _OpenSpan(at, None)
                self._note(at, TraceKind.ASYNC_IDLE_START)

    def _after_closure(self, event: Event) -> None:
        """Recorded events after the closure: the departures at its instant are expected."""
        closure = self.closure
        assert closure is not None
        same_instant = event.t_ms == closure.t_ms
        if not (
            same_instant and event.kind in (EventKind.LEAVE, EventKind.CLOSE, EventKind.RESTORE)
        ):
            self.dropped += 1
            self._note(
                event.t_ms, TraceKind.DROPPED, f"{event.kind.value} after the closure", event
            )

    # --- events ----------------------------------------------------------------------------

    def _apply_traced(self, event: Event) -> None:
        """Apply an event; list it before what it caused, all with the state after it."""
        assert self.trace is not None
        mark = len(self.trace)
        self._apply(event)
        caused = self.trace[mark:]
        del self.trace[mark:]
        self._note(
            event.t_ms, TraceKind.of_event(event.kind), _describe(event), event, simulated=False
        )
        after = self.trace[-1]
        self.trace.extend(
            replace(entry, present=after.present, state=after.state) for entry in caused
        )

    def _apply(self, event: Event) -> None:
        _HANDLERS[event.kind](self, event)

    def _role_of(self, event: Event) -> tuple[Role, Visibility]:
        known = self.known_roles.get(event.party)
        if known is None:
            self._warn(
                event,
                WarningCode.PARTY_NEVER_JOINED,
                f"{event.kind.value} from party {event.party!r} that never joined, "
                "taken as external",
            )
            known = (Role.EXTERNAL, Visibility.ALL)
            self.known_roles[event.party] = known
        return known

    def _join(self, event: Event) -> None:
        role = event.role or Role.EXTERNAL
        if self.forgotten:
            self.forgotten.pop(event.party, None)
        if event.party in self.present:
            self._warn(
                event,
                WarningCode.PARTY_JOINED_AGAIN,
                f"party {event.party!r} joined again without leaving; its first presence ends here",
            )
            self._end_presence(event.party, event.t_ms, event.index, None)
        self.shown_presence = None
        self.present[event.party] = _Open(
            role, event.visibility, event.person, event.t_ms, event.index
        )
        self.known_roles[event.party] = (role, event.visibility)
        if is_visible_agent(role, event.visibility):
            self.visible_agents += 1
            if self.visible_agents == 1:
                self.handle_open = _OpenSpan(event.t_ms, event.index)
                self._end_rejoin_wait(event.t_ms, event.index)
                if self.inactivity is not None:  # started, fresh, by the activity below
                    self._note(
                        event.t_ms,
                        TraceKind.INACTIVITY_TIMER_START,
                        "a visible agent is present",
                    )
            if self.is_async and self.async_state is not AsyncState.ACTIVE:
                self._wake(event)
                self.async_state = AsyncState.ACTIVE
        self._activity(event, role, event.visibility, is_presence_change=True)

    def _rejoin_if_forgotten(self, event: Event) -> None:
        """A party a restoration forgot acts without joining again: it is taken as joining
        again at this event, as it joined before (behaviour.md 4, revision 3)."""
        role, visibility, person = self.forgotten.pop(event.party)
        self._warn(
            event,
            WarningCode.FORGOTTEN_PARTY_ACTS,
            f"party {event.party} acts after the session restoration without joining again: "
            f"taken as rejoined at +{event.t_ms / 1000:g}s",
        )
        rejoin = event._replace(
            kind=EventKind.JOIN, role=role, visibility=visibility, person=person
        )
        self._join(rejoin)

    def _server_burst_empties(self, event: Event) -> bool:
        """Whether the consecutive server removals at this instant, from this one on, leave no
        participant: then they are one closure, at the first (behaviour.md 4, revision 3).

        Asked once per burst, at its first removal of a present party: a later removal of the
        same burst has the same answer (nobody joins in between), so the walk stays linear.
        """
        if event.index < self.burst_checked_until:
            return False
        removed = set()
        end = event.index
        for later in self.transcript.events[event.index :]:
            if (
                later.t_ms != event.t_ms
                or later.kind is not EventKind.LEAVE
                or later.cause is not LeaveCause.SERVER
            ):
                break
            removed.add(later.party)
            end += 1
        self.burst_checked_until = end
        remaining = [party for party, p in self.present.items() if p.role.is_participant]
        return bool(remaining) and all(party in removed for party in remaining)

    def _leave(self, event: Event) -> None:
        if self.forgotten and event.party in self.forgotten:
            self._rejoin_if_forgotten(event)
        opened = self.present.get(event.party)
        if opened is None:
            self._warn(
                event,
                WarningCode.PARTY_NOT_PRESENT,
                f"leave of party {event.party!r} that is not present, ignored",
            )
            return
        was_visible = opened.is_visible_agent
        burst_closes = event.cause is LeaveCause.SERVER and self._server_burst_empties(event)
        self._end_presence(event.party, event.t_ms, event.index, event.cause)
        closure_kind = self._closure_by_leave(event, opened.role)
        if closure_kind is None and burst_closes:
            closure_kind = ClosureKind.SYSTEM
        if closure_kind is not None:
            # present before this leave: for a burst of server removals, before its first
            before = self._present_parties() + (
                PresentParty(event.party, opened.role, opened.visibility),
            )
            remover = self.known_roles.get(event.by, (None, None))[0] if event.by else None
            reason = CloseReason.DB_ERROR if closure_kind is ClosureKind.SYSTEM else None
            self._close(
                event.t_ms,
                closure_kind,
                event.index,
                closer=event.party,
                closer_role=opened.role,
                cause=event.cause,
                remover_role=remover,
                present_before=before,
                reason=reason,
            )
            return
        if was_visible and self.visible_agents == 0 and self.is_async:
            self.async_state = AsyncState.DORMANT
            self.dormant_open = _OpenSpan(event.t_ms, event.index)
            self.rejoin_open = _OpenSpan(event.t_ms, event.index)
            self._note(event.t_ms, TraceKind.DORMANT_START)
            self._report(Trigger.ASYNC_HOLD, event.t_ms)
        self._activity(event, opened.role, opened.visibility, is_presence_change=True)

    def _closure_by_leave(self, event: Event, role: Role) -> ClosureKind | None:
        if event.after is AfterAction.FORCE_CLOSE:
            return ClosureKind.FORCE_CLOSE
        if (
            event.after is AfterAction.CLOSE_IF_NO_AGENTS
            and role is not Role.CLIENT
            and role.is_participant
            and not any(p.role.is_human_agent for p in self.present.values())
        ):
            return ClosureKind.CLOSE_IF_NO_AGENTS
        if role.is_participant and not any(p.role.is_participant for p in self.present.values()):
            # Server removals (XML code 5) that leave nobody: a SYSTEM / DB_ERROR closure.
            return ClosureKind.SYSTEM if event.cause is LeaveCause.SERVER else ClosureKind.LAST_LEFT
        return None

    def _message(self, event: Event) -> None:
        if self.forgotten and event.party in self.forgotten:
            self._rejoin_if_forgotten(event)
        known = self.known_roles.get(event.party)
        role, visibility = known if known is not None else self._role_of(event)
        visible_agent = is_visible_agent(role, visibility)
        self.messages.append(
            MessageRecord(
                event.index,
                event.t_ms,
                event.party,
                role,
                visible_agent,
                event.visibility,
                len(event.text),
            )
        )
        self.any_message = True
        if (
            role is Role.CLIENT
            and event.visibility is Visibility.ALL
            and self.async_state is AsyncState.DORMANT
        ):
            self._wake_by_customer(event)
        self._activity(event, role, event.visibility, is_presence_change=False)

    def _notice(self, event: Event) -> None:
        if self.forgotten and event.party in self.forgotten:
            self._rejoin_if_forgotten(event)
        if (
            event.notice_type == IDLE_CONTROL_ALERT
            and not self.is_async
            and not self.options.inactivity_enabled
        ):
            self._warn(
                event,
                WarningCode.INACTIVITY_ALERT_NOT_SIMULATED,
                f"the transcript records an inactivity alert at +{event.t_ms / 1000:g}s, but "
                "inactivity control is disabled in the options "
                "(-o inactivity-control/enabled=true simulates it)",
            )
        role, _ = self._role_of(event)
        if (
            role is Role.CLIENT
            and event.visibility is Visibility.ALL
            and self.async_state is AsyncState.DORMANT
            and event.notice_type in NOTICE_TYPES[self.options.async_idle_notices]
        ):
            self._wake_by_customer(event)
        self._activity(event, role, event.visibility, is_presence_change=False)

    def _recorded_close(self, event: Event) -> None:
        reason = event.reason or CloseReason.INACTIVE
        if reason is CloseReason.INACTIVE and not self._options_would_close(event.t_ms):
            self._warn(
                event,
                WarningCode.INACTIVITY_CLOSURE_KEPT,
                f"recorded inactivity closure at t={event.t_ms / 1000:g}s kept, "
                "although these options would not close the session then",
            )
        self._close(event.t_ms, ClosureKind.SYSTEM, event.index, reason=reason)

    def _options_would_close(self, t_ms: int) -> bool:
        return any(
            t.closes_at is not None and abs(t.closes_at - t_ms) <= _CLOSE_TOLERANCE_MS
            for t in self.timers
        )

    def _restore(self, event: Event) -> None:
        if event.party in self.present:
            self._end_presence(event.party, event.t_ms, event.index, None)
        if not self.any_message:
            self._forget_agents(event)

    def _route(self, event: Event) -> None:
        if self.async_state is AsyncState.DORMANT:
            self._wake(event)
            self._end_rejoin_wait(event.t_ms, event.index)  # routing is not excluded: 5.1
            self.async_state = AsyncState.ROUTING

    # --- mechanics -------------------------------------------------------------------------

    def _activity(
        self, event: Event, role: Role, visibility: Visibility, *, is_presence_change: bool
    ) -> None:
        """Reset the timers this event counts as activity for, ending their idle spans.

        ``visibility`` is the join's for a join or leave, the event's otherwise.
        """
        if role is Role.BOT:  # never activity (as _qualifies says): the common case, made quick
            return
        for timer in self.timers:
            if timer is self.inactivity and not self.visible_agents:
                continue  # regular inactivity control runs only while a visible agent is present
            if self._qualifies(event, role, visibility, timer.name, is_presence_change):
                timer.reset(event.t_ms)
                if self.resets is not None:
                    self.resets.append((timer.name, event.t_ms, True))
                if self.idle_open or self.async_idle_open is not None:  # else nothing to end
                    self._end_idle(timer.name, event.t_ms, event.index)

    def _qualifies(
        self, event: Event, role: Role, visibility: Visibility, timer: TimerName, presence: bool
    ) -> bool:
        """Activity is visible to all and not a bot's; async idle control counts only visible
        agents' joins and leaves ("agent joined or left")."""
        if role is Role.BOT or visibility is not Visibility.ALL:
            return False
        if presence:
            return timer is TimerName.INACTIVITY or role.is_human_agent
        if event.kind is EventKind.MESSAGE:
            return True
        notices = (
            self.options.include_notices
            if timer is TimerName.INACTIVITY
            else self.options.async_idle_notices
        )
        return event.notice_type in NOTICE_TYPES[notices]

    def _end_idle(self, timer: TimerName, t_ms: int, event: int | None) -> None:
        span = self.idle_open.pop(timer, None) if self.idle_open else None
        if span is not None:
            self.idle_spans.append(IdleSpan(timer, span.until(t_ms, event)))
            self._note(t_ms, TraceKind.ACTIVE_IDLE_END, timer.value)
        if timer is TimerName.ASYNC_IDLE and self.async_idle_open is not None:
            self._end_async_idle(t_ms, event)

    def _end_async_idle(self, t_ms: int, event: int | None) -> None:
        if self.async_idle_open is not None:
            self.async_idle.append(self.async_idle_open.until(t_ms, event))
            self.async_idle_open = None
            self._note(t_ms, TraceKind.ASYNC_IDLE_END)

    def _wake_by_customer(self, event: Event) -> None:
        """Customer activity while dormant: GCTI_Chat_AsyncStatus=2, the workflow routes it."""
        self._wake(event)
        if event.kind is not EventKind.MESSAGE:
            # Only a customer message makes the time until the agent rejoins excluded (5.1).
            self._end_rejoin_wait(event.t_ms, event.index)
        self.async_state = AsyncState.ROUTING
        self._report(Trigger.CUSTOMER_MESSAGE_DURING_HOLD, event.t_ms)

    def _end_rejoin_wait(self, t_ms: int, event: int | None) -> None:
        """A visible agent is back (or the session closed): the agent's absence ends."""
        if self.rejoin_open is not None:
            self.until_rejoin.append(self.rejoin_open.until(t_ms, event))
            self.rejoin_open = None

    def _wake(self, event: Event) -> None:
        """End a dormant period (and its async idle span) at this event."""
        if self.dormant_open is not None:
            self.dormant.append(self.dormant_open.until(event.t_ms, event.index))
            self.dormant_open = None
            self._note(event.t_ms, TraceKind.DORMANT_END)
        self._end_async_idle(event.t_ms, event.index)

    def _end_presence(
        self, party: str, t_ms: int, event: int | None, cause: LeaveCause | None
    ) -> None:
        opened = self.present.pop(party)
        self.shown_presence = None
        self.presences.append(
            Presence(
                party,
                opened.role,
                opened.visibility,
                opened.person,
                opened.start_ms,
                t_ms,
                opened.join_event,
                event,
                cause,
            )
        )
        if opened.is_visible_agent:
            self.visible_agents -= 1
            if self.visible_agents == 0:
                self._no_visible_agent(t_ms, event)

    def _no_visible_agent(self, t_ms: int, event: int | None) -> None:
        """The last visible agent left: handling, idle spans and inactivity control stop."""
        if self.handle_open is not None:
            self.handle.append(self.handle_open.until(t_ms, event))
            self.handle_open = None
        for timer in list(self.idle_open):
            self._end_idle(timer, t_ms, event)
        if self.closure is None:
            self._stop_inactivity(t_ms)

    def _stop_inactivity(self, t_ms: int) -> None:
        """Regular inactivity control stops: no visible agent is present any more."""
        if self.inactivity is None:
            return
        self.inactivity.stop()
        if self.resets is not None:
            self.resets.append((TimerName.INACTIVITY, t_ms, False))
        self._note(t_ms, TraceKind.INACTIVITY_TIMER_STOP, "no visible agent is present")

    def _present_parties(self) -> tuple[PresentParty, ...]:
        return tuple(PresentParty(party, p.role, p.visibility) for party, p in self.present.items())

    def _close(
        self,
        t_ms: int,
        kind: ClosureKind,
        event: int | None,
        *,
        simulated: bool = False,
        closer: str = "",
        closer_role: Role | None = None,
        cause: LeaveCause | None = None,
        reason: CloseReason | None = None,
        remover_role: Role | None = None,
        present_before: tuple[PresentParty, ...] | None = None,
    ) -> None:
        before = present_before if present_before is not None else self._present_parties()
        self.closure = Closure(
            t_ms, kind, event, simulated, closer, closer_role, cause, reason, remover_role, before
        )
        self._note(t_ms, TraceKind.CLOSED, kind.value + (f" ({reason.name})" if reason else ""))
        for party in list(self.present):
            self._end_presence(party, t_ms, None, None)
        for timer in list(self.idle_open):
            self._end_idle(timer, t_ms, None)
        if self.dormant_open is not None:
            self.dormant.append(self.dormant_open.until(t_ms, None))
            self.dormant_open = None
        self._end_rejoin_wait(t_ms, None)
        self._end_async_idle(t_ms, None)

    def _forget_agents(self, event: Event) -> None:
        """Session restoration before any message: agent, supervisor and bot joins never were."""
        forgotten = (Role.AGENT, Role.SUPERVISOR, Role.BOT)
        # Every forgotten party, as it last joined: one that acts later is taken as rejoined.
        for gone in self.presences:
            if gone.role in forgotten:
                self.forgotten[gone.party] = (gone.role, gone.visibility, gone.person)
        for party in [p for p, opened in self.present.items() if opened.role in forgotten]:
            opened = self.present.pop(party)
            self.forgotten[party] = (opened.role, opened.visibility, opened.person)
            self.shown_presence = None
        self.presences = [p for p in self.presences if p.role not in forgotten]
        if self.visible_agents:
            self._stop_inactivity(event.t_ms)
        self.visible_agents = 0
        self.handle, self.handle_open = [], None
        self.idle_spans, self.idle_open = [], {}
        self.dormant, self.dormant_open = [], None
        self.until_rejoin, self.rejoin_open = [], None
        self.async_idle, self.async_idle_open = [], None
        self.async_state = AsyncState.ROUTING
        self._note(event.t_ms, TraceKind.AGENTS_FORGOTTEN, "restoration before any message")
        self._warn(
            event,
            WarningCode.RESTORATION_FORGETS_AGENTS,
            "session restoration before any message: the agent, supervisor and bot "
            "joins before it are forgotten",
        )

    def _warn(self, event: Event, code: WarningCode, message: str) -> None:
        """A warning about an event (its text starts ``event N (line L):``). Past MAX_WARNINGS a
        session's warnings are only counted (a hostile transcript could make one per event),
        and one more says how many there were."""
        if self.event_warnings >= MAX_WARNINGS:
            self.unsaid += 1
            return
        self.event_warnings += 1
        self.warnings.append(
            ChatstatsWarning(code, message, event.index, event.line, names_event=True)
        )

    def _report(self, trigger: Trigger, t_ms: int) -> None:
        if self.snapshot_hook is not None and trigger.is_asked(
            self.options.attach_stats_rep_events
        ):
            self.snapshot_hook(self, trigger, t_ms)
            self._note(t_ms, TraceKind.REPORTING_EVENT, trigger.value)

    # --- results ---------------------------------------------------------------------------

    def freeze(self, end_ms: int) -> Timelines:
        """The timelines as of ``end_ms``: spans still open are closed there (nothing changes)."""
        presences = list(self.presences)
        presences += [
            Presence(party, p.role, p.visibility, p.person, p.start_ms, end_ms, p.join_event)
            for party, p in self.present.items()
        ]
        presences.sort(key=lambda p: p.join_event)
        handle = _with_open(self.handle, self.handle_open, end_ms)
        idle_spans = [
            *self.idle_spans,
            *(IdleSpan(timer, span.until(end_ms, None)) for timer, span in self.idle_open.items()),
        ]
        idle_spans.sort(key=lambda s: s.interval.start_ms)
        return Timelines(
            transcript=self.transcript,
            end_ms=end_ms,
            presences=tuple(presences),
            messages=tuple(self.messages),
            handle=handle,
            idle_spans=tuple(idle_spans),
            active_idle=union(s.interval for s in idle_spans),
            dormant=_with_open(self.dormant, self.dormant_open, end_ms),
            until_rejoin=_with_open(self.until_rejoin, self.rejoin_open, end_ms),
            async_idle=_with_open(self.async_idle, self.async_idle_open, end_ms),
            firings=tuple(self.firings),
            closure=self.closure,
        )


_HANDLERS = {
    EventKind.JOIN: Replayer._join,
    EventKind.LEAVE: Replayer._leave,
    EventKind.MESSAGE: Replayer._message,
    EventKind.NOTICE: Replayer._notice,
    EventKind.CLOSE: Replayer._recorded_close,
    EventKind.RESTORE: Replayer._restore,
    EventKind.ROUTE: Replayer._route,
}


def quiet_stretches(
    transcript: Transcript, options: Options, timer: TimerName
) -> list[tuple[int, int | None]]:
    """The stretches in which ``timer`` ran without activity under ``options`` (its timeouts set
    so long that nothing fires): from each reset to the next reset or stop, ``None`` when it ran
    on to the end. Used by ``fit`` to find candidate timeouts.

    Async idle control runs from the session's creation; regular inactivity control only while a
    visible agent is present, so its stretches start at agent joins and activity, and end at
    activity or the last visible agent leaving.
    """
    replayer = Replayer(transcript, options, log_resets=True)
    replayer.run()
    log = [(0, True)] if timer is TimerName.ASYNC_IDLE else []
    log += [(t, running) for name, t, running in replayer.resets or () if name is timer]
    return [
        (t, following[0] if following else None)
        for (t, running), following in zip(log, [*log[1:], None], strict=True)
        if running
    ]


def _with_open(
    spans: list[Interval], open_span: _OpenSpan | None, end_ms: int
) -> tuple[Interval, ...]:
    if open_span is None:
        return tuple(spans)
    return (*spans, open_span.until(end_ms, None))


def _describe(event: Event) -> str:
    if event.kind is EventKind.JOIN:
        role = event.role.value if event.role else "?"
        return f"{role}, {event.visibility.value}" + (f", {event.person}" if event.person else "")
    if event.kind is EventKind.LEAVE:
        by = f" by {event.by}" if event.by else ""
        return f"{event.cause.value}{by}, {event.after.value}"
    if event.kind is EventKind.CLOSE and event.reason is not None:
        return event.reason.value
    text = " ".join((event.text or event.notice_type).split())
    return clipped(text, 60)
