"""The session model both loaders produce: a transcript is a session header plus ordered events.

Times are integer milliseconds from the session's start (``t_ms``); Genesys XML only has whole
seconds, the canonical JSON may carry milliseconds. Every event keeps its index in the
transcript and, when it came from XML, its source line, so errors and explanations can point at
it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from chatstats_core.errors import ChatstatsWarning


class Role(enum.Enum):
    """What a party is in the session (behaviour.md section 2)."""

    __hash__ = object.__hash__  # members are singletons: identity hashing is C-fast

    CLIENT = "client"
    AGENT = "agent"
    SUPERVISOR = "supervisor"
    BOT = "bot"
    EXTERNAL = "external"
    SYSTEM = "system"

    @property
    def is_participant(self) -> bool:
        """Participants keep a session open; external and system parties never do."""
        return self in _PARTICIPANTS

    @property
    def is_human_agent(self) -> bool:
        """An agent or supervisor (bots are never agents)."""
        return self in _HUMAN_AGENTS


_PARTICIPANTS = frozenset({Role.CLIENT, Role.AGENT, Role.SUPERVISOR, Role.BOT})
_HUMAN_AGENTS = frozenset({Role.AGENT, Role.SUPERVISOR})


class Visibility(enum.Enum):
    """Who sees a join, message or notice: everyone, or agents only (VIP, INT)."""

    __hash__ = object.__hash__  # members are singletons: identity hashing is C-fast

    ALL = "ALL"
    VIP = "VIP"
    INT = "INT"


def is_visible_agent(role: Role, visibility: Visibility) -> bool:
    """An agent or supervisor, not a bot, that joined visible to the customer.

    The seed: "an agent means both an agent and a supervisor, when either of those is visible to
    a customer". Every statistic about "agents" counts only these.
    """
    return role in _HUMAN_AGENTS and visibility is Visibility.ALL  # is_human_agent, inlined


class EventKind(enum.Enum):
    """The kinds of transcript event."""

    __hash__ = object.__hash__  # members are singletons: identity hashing is C-fast

    JOIN = "join"
    LEAVE = "leave"
    MESSAGE = "message"
    NOTICE = "notice"
    CLOSE = "close"
    RESTORE = "restore"
    ROUTE = "route"


class AfterAction(enum.Enum):
    """What a leaving party asks of the session (Genesys after-action)."""

    KEEP_ALIVE = "keep-alive"
    CLOSE_IF_NO_AGENTS = "close-if-no-agents"
    FORCE_CLOSE = "force-close"


class LeaveCause(enum.Enum):
    """How a party left."""

    QUIT = "quit"
    DISCONNECT = "disconnect"
    REMOVED = "removed"  # by another party (XML code 4, ``askerId``)
    SERVER = "server"  # by Chat Server itself (XML code 5): caused by SYSTEM

    @property
    def is_own(self) -> bool:
        """The party left on its own (quit or disconnect), not removed by anyone."""
        return self is LeaveCause.QUIT or self is LeaveCause.DISCONNECT


class CloseReason(enum.Enum):
    """Why the system closed a session."""

    INACTIVE = "inactive"
    DB_ERROR = "db_error"


#: Notice types Chat Server itself sends; they never count as activity.
IDLE_CONTROL_ALERT = "IDLE_CONTROL_ALERT"
IDLE_CONTROL_CLOSE = "IDLE_CONTROL_CLOSE"
#: The user notices Genesys defines (the ``all`` notice filter: every one of them).
USER_NOTICE_TYPES = frozenset(
    {
        "USER_CUSTOM",
        "PUSH_URL",
        "TYPING_STARTED",
        "TYPING_STOPPED",
        "NICKNAME_UPDATED",
        "FILE_UPLOADED",
        "FILE_DELETED",
    }
)
#: Every notice type Genesys defines, Chat Server's own too: what a redacted transcript keeps
#: as it is; any other type is free text.
GENESYS_NOTICE_TYPES = USER_NOTICE_TYPES | {IDLE_CONTROL_ALERT, IDLE_CONTROL_CLOSE}


class Event(NamedTuple):
    """One transcript event. Fields that do not apply to its kind keep their defaults.

    A NamedTuple rather than a frozen dataclass: as immutable and as typed, and about three
    times cheaper to build. Loading makes one per event, and a frozen dataclass of sixteen
    fields was most of the loading time of a 100,000-event session (docs/performance.md).
    """

    index: int  # type: ignore[assignment]  # the event's position; shadows tuple.index
    t_ms: int
    kind: EventKind
    party: str = ""
    role: Role | None = None
    visibility: Visibility = Visibility.ALL
    person: str = ""
    nick: str = ""
    text: str = ""
    notice_type: str = ""
    after: AfterAction = AfterAction.KEEP_ALIVE
    cause: LeaveCause = LeaveCause.QUIT
    by: str = ""
    reason: CloseReason | None = None
    line: int | None = None
    column: int | None = None
    event_id: str = ""  # Genesys XML's eventId (real files have gaps): how their users cite it


@dataclass(frozen=True, slots=True)
class Transcript:
    """One chat session as recorded."""

    session_id: str
    started_at: datetime
    events: tuple[Event, ...]
    user_data: dict[str, str] = field(default_factory=dict)
    tenant_id: int | None = None
    source: str = ""
    load_warnings: tuple[ChatstatsWarning, ...] = ()
    source_format: str = "json"  # "xml" or "json": what the transcript was loaded from

    @property
    def is_async(self) -> bool:
        """Async mode is set by ``GCTI_Chat_AsyncMode=true`` in the session's user data."""
        return self.user_data.get("GCTI_Chat_AsyncMode", "").strip().lower() == "true"


def session_id_from_name(name: str) -> str:
    """The session id a file name gives a transcript that names none: the name without its
    folder, ``.gz`` and format suffix (``corpus/S-17.json.gz`` -> ``S-17``)."""
    return strip_suffixes(Path(name).name)


def strip_suffixes(file_name: str) -> str:
    """A file's own name (no folder) without its ``.gz`` and format suffix."""
    return file_name.removesuffix(".gz").rsplit(".", 1)[0]
