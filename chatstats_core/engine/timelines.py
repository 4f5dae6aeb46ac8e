"""The compact timelines one replay pass produces; every KVP is a pure function of these.

All times are milliseconds from the session's start. Event references are indexes into the
transcript's events (``None`` where the end of an interval was the closure or the instant the
statistics were taken).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import NamedTuple

from chatstats_core.transcript.model import (
    CloseReason,
    LeaveCause,
    Role,
    Transcript,
    Visibility,
    is_visible_agent,
)


class Interval(NamedTuple):
    """A span of time, the events at its ends, and time inside it that does not count.

    A NamedTuple rather than a frozen dataclass: it is as immutable, and the replay makes one
    per wait, reply and presence, where tuple construction is several times cheaper.
    """

    start_ms: int
    end_ms: int
    from_event: int | None = None
    to_event: int | None = None
    excluded_ms: int = 0

    @property
    def ms(self) -> int:
        """The counted length: end - start - excluded."""
        return self.end_ms - self.start_ms - self.excluded_ms


@dataclass(frozen=True, slots=True)
class Presence:
    """One join of a party, until it left, the session closed, or the statistics were taken."""

    party: str
    role: Role
    visibility: Visibility
    person: str
    start_ms: int
    end_ms: int
    join_event: int
    leave_event: int | None = None
    leave_cause: LeaveCause | None = None

    @property
    def is_visible_agent(self) -> bool:
        """A human agent or supervisor that joined visible to the customer."""
        return is_visible_agent(self.role, self.visibility)

    @property
    def interval(self) -> Interval:
        """The presence as an interval."""
        return Interval(self.start_ms, self.end_ms, self.join_event, self.leave_event)


class MessageRecord(NamedTuple):
    """One message, with what its sender was when it was sent (a NamedTuple, as Interval)."""

    event_index: int
    t_ms: int
    party: str
    role: Role
    visible_agent: bool
    visibility: Visibility
    size: int


class ClosureKind(enum.Enum):
    """What closed the session (behaviour.md section 4)."""

    FORCE_CLOSE = "force-close"
    CLOSE_IF_NO_AGENTS = "close-if-no-agents"
    SYSTEM = "system"
    LAST_LEFT = "last-participant-left"


@dataclass(frozen=True, slots=True)
class PresentParty:
    """A party present immediately before the closing event."""

    party: str
    role: Role
    visibility: Visibility

    @property
    def is_visible_agent(self) -> bool:
        """A human agent or supervisor that joined visible to the customer."""
        return is_visible_agent(self.role, self.visibility)


@dataclass(frozen=True, slots=True)
class Closure:
    """How and when the session closed."""

    t_ms: int
    kind: ClosureKind
    event: int | None
    simulated: bool
    closer: str = ""
    closer_role: Role | None = None
    cause: LeaveCause | None = None
    reason: CloseReason | None = None
    remover_role: Role | None = None
    present_before: tuple[PresentParty, ...] = ()


class TimerName(enum.Enum):
    """The two timer families of Chat Server."""

    __hash__ = object.__hash__  # see model.Role

    INACTIVITY = "inactivity"
    ASYNC_IDLE = "async-idle"


class TimerStage(enum.Enum):
    """A stage of a timer (``native/src/timers.rs`` has the same): the first alert, inactivity
    control's optional second alert, and the closure."""

    __hash__ = object.__hash__  # see model.Role

    ALERT = "alert"
    ALERT2 = "alert2"
    CLOSE = "close"


@dataclass(frozen=True, slots=True)
class TimerFiring:
    """A simulated timer expiry, at one of its stages."""

    t_ms: int
    timer: TimerName
    stage: TimerStage


@dataclass(frozen=True, slots=True)
class IdleSpan:
    """One timer's idle span while a visible agent was present: from its first-alert expiry to
    the activity that reset it, the last visible agent leaving, or closure."""

    timer: TimerName
    interval: Interval


@dataclass(frozen=True, slots=True)
class Timelines:
    """Everything the KVP families need, frozen at ``end_ms``."""

    transcript: Transcript
    end_ms: int
    presences: tuple[Presence, ...]
    messages: tuple[MessageRecord, ...]
    handle: tuple[Interval, ...]
    idle_spans: tuple[IdleSpan, ...]  # both timers' spans, by start
    active_idle: tuple[Interval, ...]  # the union of idle_spans: the ActiveIdle periods
    dormant: tuple[Interval, ...]
    until_rejoin: tuple[Interval, ...]  # going dormant -> next visible agent join (async)
    async_idle: tuple[Interval, ...]
    firings: tuple[TimerFiring, ...]
    closure: Closure | None

    @property
    def is_async(self) -> bool:
        """Whether the session runs in async mode."""
        return self.transcript.is_async
