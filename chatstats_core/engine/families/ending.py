"""End reason codes and the classification (behaviour.md section 7)."""

from __future__ import annotations

from dataclasses import dataclass

from chatstats_core.engine import kvps
from chatstats_core.engine.options import Options, StopPolicy
from chatstats_core.engine.stats import Stat
from chatstats_core.engine.timelines import Closure, ClosureKind, Timelines
from chatstats_core.errors import ChatstatsWarning, WarningCode
from chatstats_core.transcript.model import LeaveCause, Role

_TYPES = {
    Role.CLIENT: "CLIENT",
    Role.AGENT: "AGENT",
    Role.SUPERVISOR: "SUPERVISOR",
    Role.BOT: "BOT",
}


def participant_type(role: Role | None) -> str:
    """The csg_SessionEndedBy value for a role: external, system and unknown are SYSTEM."""
    return _TYPES.get(role, "SYSTEM") if role is not None else "SYSTEM"


#: The classification's fields, in the order every output shows them.
CLASSIFICATION_FIELDS = (
    "ended_by",
    "ended_reason",
    "ended_agent",
    "abandoned",
    "interaction_stopped",
)


@dataclass(frozen=True, slots=True)
class Classification:
    """The closure as Info Mart classifies it; every field is None while the session is open."""

    ended_by: str | None = None
    ended_reason: str | None = None
    ended_agent: str | None = None
    abandoned: bool | None = None
    interaction_stopped: bool | None = None
    evidence_events: tuple[int, ...] = ()

    @property
    def termination(self) -> str | None:
        """``BY/REASON`` (a cell of the Chat Termination report's matrix); None while open."""
        return None if self.ended_by is None else f"{self.ended_by}/{self.ended_reason}"


def _how(cause: LeaveCause | None) -> str:
    return "DISCONNECT" if cause is LeaveCause.DISCONNECT else "QUIT"


def _ended_by(timelines: Timelines, closure: Closure) -> tuple[str, str, tuple[int, ...]]:
    """``(ended_by, ended_reason, events)`` for a closed session."""
    limit = closure.event if closure.event is not None else len(timelines.transcript.events)
    self_leaves = [
        p
        for p in timelines.presences
        if p.role is Role.CLIENT
        and p.leave_event is not None
        and p.leave_event <= limit
        and p.leave_cause is not None
        and p.leave_cause.is_own
    ]
    # "whenever a client leaves the chat session first", whether or not it joined again
    closing = (closure.event,) if closure.event is not None else ()
    if self_leaves:
        first = min(self_leaves, key=lambda p: p.leave_event or 0)
        return "CLIENT", _how(first.leave_cause), (first.leave_event or 0, *closing)
    if closure.kind in (ClosureKind.FORCE_CLOSE, ClosureKind.CLOSE_IF_NO_AGENTS):
        return participant_type(closure.closer_role), "FORCE", closing
    if closure.kind is ClosureKind.LAST_LEFT:
        if closure.cause is LeaveCause.REMOVED:
            return participant_type(closure.remover_role), "QUIT", closing
        return participant_type(closure.closer_role), _how(closure.cause), closing
    reason = closure.reason.name if closure.reason is not None else "INACTIVE"
    return "SYSTEM", reason, closing


def classify(timelines: Timelines, options: Options) -> Classification:
    """The classification of the session (all None while it is open)."""
    closure = timelines.closure
    if closure is None:
        return Classification()
    ended_by, reason, events = _ended_by(timelines, closure)
    any_visible = any(p.is_visible_agent for p in timelines.presences)
    if not any_visible:
        agent = "ABSENT"
    elif any(p.is_visible_agent for p in closure.present_before):
        agent = "PRESENT"
    else:
        agent = "VISITED"
    policy = options.stop_abandoned_interaction
    stopped = {
        StopPolicy.ALWAYS: True,
        StopPolicy.NEVER: False,
        StopPolicy.NOAGENTS: not any(p.role.is_human_agent for p in closure.present_before),
        StopPolicy.NOANSWER: not any_visible,
    }[policy]
    return Classification(ended_by, reason, agent, agent == "ABSENT", stopped, events)


_ACTORS = ("AGENT", "SUPERVISOR", "BOT")
#: The reasons the seed's csg_SessionEndedReason table allows with each csg_SessionEndedBy.
SEED_REASONS: dict[str, tuple[str, ...]] = {
    "CLIENT": ("QUIT", "DISCONNECT"),
    **{actor: ("QUIT", "DISCONNECT", "FORCE") for actor in _ACTORS},
    "SYSTEM": ("INACTIVE", "DB_ERROR"),
}


def seed_table_warning(found: Classification, timelines: Timelines) -> ChatstatsWarning | None:
    """The warning for an ended-by / reason pair the seed's table does not allow, else None.

    The seed reports AGENT, SUPERVISOR or BOT only for a force or close-if-no-agents closure,
    or for a session that never had a customer; so such a party's QUIT or DISCONNECT is outside
    the table when a client took part.
    """
    by, reason = found.ended_by, found.ended_reason
    if by is None or reason is None:
        return None
    allowed = SEED_REASONS.get(by, ())
    if reason not in allowed:
        rule = (
            f"{by} goes only with " + " or ".join(allowed)
            if allowed
            else f"{by} is not a value of csg_SessionEndedBy"
        )
    elif (
        by in _ACTORS
        and reason != "FORCE"
        and any(p.role is Role.CLIENT for p in timelines.presences)
    ):
        rule = (
            f"{by} ends a session only by force or close-if-no-agents, or when the session "
            "never had a customer"
        )
    else:
        return None
    closing = timelines.closure.event if timelines.closure is not None else None
    return ChatstatsWarning(
        WarningCode.OUTSIDE_SEED_TABLE,
        f"ended-by/reason {by}/{reason} is outside the seed's table: {rule}",
        event=closing,  # where validate shows it; the text does not name the event
    )


def ending_stats(found: Classification) -> list[Stat]:
    """csg_SessionEnded{Agent,By,Reason} from the classification, once the session has closed."""
    if found.ended_by is None:
        return []
    events = found.evidence_events
    return [
        Stat(kvps.csg_SessionEndedAgent, found.ended_agent or "", True, events=events),
        Stat(kvps.csg_SessionEndedBy, found.ended_by, True, events=events),
        Stat(kvps.csg_SessionEndedReason, found.ended_reason or "", True, events=events),
    ]
