"""One sentence per KVP and classification field: the rule that produces it.

docs/semantics.md quotes each sentence verbatim (a test checks it), and ``explain`` prints them,
so the rule a user reads is the rule the code states.
"""

from __future__ import annotations

import difflib
import enum
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from chatstats_core.engine import kvps
from chatstats_core.errors import UnknownKvpError

RULES: dict[str, str] = {
    kvps.ChatServerSessionStartedAt: "The session's start instant (the transcript's start), UTC, "
    "whole seconds; attached even under attach-session-statistics=none.",
    kvps.ChatServerSessionClosedAt: "The instant the session closed, UTC, whole seconds; attached "
    "even under none, absent while the session is still open.",
    kvps.csg_ChatSessionID: "The session id; attached unless attach-session-statistics=none.",
    kvps.csg_LanguageName: "The session user data's GCTI_LanguageName, attached only when present.",
    kvps.csg_MediaOrigin: "The session user data's MediaOrigin, attached only when present.",
    kvps.csg_MediaType: "The session user data's MediaType (default chat); attached even "
    "under none.",
    kvps.csg_TenantId: "The transcript's tenant, else the replay/tenant-id option; attached even "
    "under none.",
    kvps.csg_ChatAsyncMode: '"1" for an async session (GCTI_Chat_AsyncMode=true), "0" otherwise; '
    "fired only for async sessions.",
    kvps.csg_SessionTotalTime: "Seconds from the session's creation to its closure.",
    kvps.csg_SessionEndedAgent: "ABSENT if no visible agent ever joined, PRESENT if one was "
    "present immediately before the closing event, VISITED otherwise.",
    kvps.csg_SessionEndedBy: "CLIENT if the client left on its own at or before the closing event; "
    "else the closer's type after a force-close or close-if-no-agents; else the type of the "
    "last participant to leave; else SYSTEM (also when server removals, XML code 5, leave no "
    "participant). A pair outside the seed's table is reported with a warning.",
    kvps.csg_SessionEndedReason: "QUIT or DISCONNECT for how the client or last participant left, "
    "FORCE after a force-close or close-if-no-agents, INACTIVE or DB_ERROR for a system closure.",
    kvps.csg_MessagesFromAgentsCount: "The number of messages with visibility ALL sent by visible "
    "agents.",
    kvps.csg_MessagesFromAgentsSize: "The characters (spaces included) of the messages with "
    "visibility ALL sent by visible agents.",
    kvps.csg_MessagesFromCustomersCount: "The number of messages sent by clients.",
    kvps.csg_MessagesFromCustomersSize: "The characters (spaces included) of the messages sent by "
    "clients.",
    kvps.csg_MessagesFromBotsCount: "The number of messages with visibility ALL sent by bots.",
    kvps.csg_MessagesFromBotsSize: "The characters (spaces included) of the messages with "
    "visibility ALL sent by bots.",
    kvps.csg_PartiesAsAgentCount: "The number of distinct persons that joined as visible agents.",
    kvps.csg_PartiesAsCoachCount: "The number of distinct human agents or supervisors that joined "
    "with the coaching visibility (VIP unless replay/coach-visibility=INT).",
    kvps.csg_PartiesAsMonitorCount: "The number of distinct human agents or supervisors that "
    "joined with the monitoring visibility (INT unless replay/coach-visibility=INT).",
    kvps.csg_PartiesAsBotCount: "The number of bot joins (a bot that joins twice counts twice).",
    kvps.csg_SessionUntilFirstAgentTime: "Seconds from creation until the first visible agent "
    "joined; 0 when none joined.",
    kvps.csg_SessionUntilFirstBotTime: "Seconds from creation until the first bot joined with "
    "visibility ALL; 0 when none did.",
    kvps.csg_SessionUntilFirstReplyTime: "Seconds from creation until the first message with "
    "visibility ALL from a visible agent.",
    kvps.csg_SessionWithCustomerTime: "The length of the union of the clients' presence intervals "
    "(time with two clients present counts once), in seconds.",
    kvps.cse_SessionHandleTotalCount: "The number of intervals with at least one visible agent "
    "present.",
    kvps.cse_SessionHandleTotalTime: "The total seconds of the intervals with at least one visible "
    "agent present.",
    kvps.cse_SessionHandleMaxTime: "The longest interval with at least one visible agent present, "
    "in seconds.",
    kvps.cse_ActiveIdleTotalCount: "The number of idle periods while a visible agent was present: "
    "each timer (inactivity control, and async idle control in an async session) is idle from "
    "its first-alert expiry to the activity that resets it, the last visible agent leaving or "
    "the closure, and overlapping or touching spans of the two timers are one period.",
    kvps.cse_ActiveIdleTotalTime: "The total seconds of those idle periods (their union, so never "
    "more than the handle time).",
    kvps.cse_ActiveIdleMaxTime: "The longest such idle period, in seconds.",
    kvps.cse_CustomerWaitTotalCount: "The number of customer message runs answered by an agent "
    "run.",
    kvps.cse_CustomerWaitTotalTime: "The total seconds from the last message of each customer run "
    "to the first message of the agent run that answers it.",
    kvps.cse_CustomerWaitMaxTime: "The longest such customer wait, in seconds.",
    kvps.cse_AgentReplyTotalCount: "The number of agent message runs that answer a customer run.",
    kvps.cse_AgentReplyTotalTime: "The total seconds from the first message of each customer run "
    "to the first message of the agent run that answers it, less (async) the dormant time, and "
    "after a customer message's wake-up the routing time until a visible agent joined again.",
    kvps.cse_AgentReplyMaxTime: "The longest such agent reply, in seconds, less (async) the "
    "dormant time, and after a customer message's wake-up the routing time until a visible "
    "agent joined again.",
    kvps.cse_AgentWaitTotalCount: "The number of agent message runs answered by a customer run.",
    kvps.cse_AgentWaitTotalTime: "The total seconds from the last message of each agent run to "
    "the first message of the customer run that answers it, less dormant time.",
    kvps.cse_AgentWaitMaxTime: "The longest such agent wait, in seconds, less dormant time.",
    kvps.cse_CustomerReplyTotalCount: "The number of customer message runs that answer an agent "
    "run.",
    kvps.cse_CustomerReplyTotalTime: "The total seconds from the first message of each agent run "
    "to the first message of the customer run that answers it.",
    kvps.cse_CustomerReplyMaxTime: "The longest such customer reply, in seconds.",
    kvps.cse_AsyncDormantTotalCount: "The number of times an async session became dormant (its "
    "last visible agent left while it stayed open); customer activity (a message, or a "
    "qualifying notice), a route event, an agent joining or the closure ends it.",
    kvps.cse_AsyncDormantTotalTime: "The total seconds an async session was dormant, routing time "
    "excluded.",
    kvps.cse_AsyncDormantMaxTime: "The longest dormant period, in seconds.",
    kvps.cse_AsyncIdleTotalCount: "The number of async idle alerts that expired while the session "
    "was dormant.",
    kvps.cse_AsyncIdleTotalTime: "The total seconds from each such alert to the next qualifying "
    "activity, wake-up or closure.",
    kvps.cse_AsyncIdleMaxTime: "The longest such async idle span, in seconds.",
    "classification.ended_by": "The same as csg_SessionEndedBy; null while the session is open.",
    "classification.ended_reason": "The same as csg_SessionEndedReason; null while the session "
    "is open.",
    "classification.ended_agent": "The same as csg_SessionEndedAgent; null while the session is "
    "open.",
    "classification.abandoned": "True when csg_SessionEndedAgent is ABSENT (no visible agent "
    "ever joined).",
    "classification.interaction_stopped": "What stop-abandoned-interaction decides: always yes, "
    "never no, noagents when no human agent was present before the closing event, noanswer "
    "when no visible agent ever joined.",
}

#: The four KVPs Chat Server attaches even under attach-session-statistics=none.
ATTACHED_UNDER_NONE = frozenset(
    {
        kvps.ChatServerSessionStartedAt,
        kvps.ChatServerSessionClosedAt,
        kvps.csg_MediaType,
        kvps.csg_TenantId,
    }
)

#: KVPs that only exist once the session has closed.
CLOSURE_KVPS = frozenset(
    {
        kvps.ChatServerSessionClosedAt,
        kvps.csg_SessionEndedAgent,
        kvps.csg_SessionEndedBy,
        kvps.csg_SessionEndedReason,
        kvps.csg_SessionTotalTime,
    }
)

#: Every KVP chatstats computes (the seed's 50), sorted.
ALL_KVPS: tuple[str, ...] = tuple(sorted(k for k in RULES if not k.startswith("classification.")))

#: KVPs whose values are strings; every other KVP is an integer.
STRING_KVPS = frozenset(
    {
        kvps.ChatServerSessionStartedAt,
        kvps.ChatServerSessionClosedAt,
        kvps.csg_ChatSessionID,
        kvps.csg_LanguageName,
        kvps.csg_MediaOrigin,
        kvps.csg_MediaType,
        kvps.csg_ChatAsyncMode,
        kvps.csg_SessionEndedAgent,
        kvps.csg_SessionEndedBy,
        kvps.csg_SessionEndedReason,
    }
)

#: Where Genesys Info Mart stores each KVP (the seed's "Info Mart Database Target" column), in the
#: seed's order. KVPs the seed marks "Not mapped" are absent.
INFOMART_COLUMNS: dict[str, str] = {
    kvps.ChatServerSessionStartedAt: "CHAT_SESSION_FACT.START_DATE_TIME_KEY",
    kvps.ChatServerSessionClosedAt: "CHAT_SESSION_FACT.END_DATE_TIME_KEY",
    kvps.csg_TenantId: "CHAT_SESSION_FACT.TENANT_KEY",
    kvps.csg_MediaType: "MEDIA_TYPE.MEDIA_NAME_CODE",
    kvps.csg_LanguageName: "CHAT_SESSION_DIM.LANGUAGE_NAME",
    kvps.csg_MediaOrigin: "CHAT_SESSION_DIM.MEDIA_ORIGIN",
    kvps.csg_SessionEndedBy: "CHAT_SESSION_DIM.ENDED_BY",
    kvps.csg_SessionEndedReason: "CHAT_SESSION_DIM.ENDED_REASON",
    kvps.csg_ChatAsyncMode: "CHAT_SESSION_DIM.ASYNC_MODE",
    kvps.cse_ActiveIdleTotalCount: "CHAT_SESSION_FACT.ACTIVE_IDLE_COUNT",
    kvps.cse_ActiveIdleTotalTime: "CHAT_SESSION_FACT.ACTIVE_IDLE_DURATION",
    kvps.cse_SessionHandleTotalCount: "CHAT_SESSION_FACT.HANDLE_COUNT",
    kvps.cse_SessionHandleTotalTime: "CHAT_SESSION_FACT.HANDLE_DURATION",
    kvps.csg_MessagesFromAgentsCount: "CHAT_SESSION_FACT.MSG_FROM_AGENTS_COUNT",
    kvps.csg_MessagesFromAgentsSize: "CHAT_SESSION_FACT.MSG_FROM_AGENTS_SIZE",
    kvps.csg_MessagesFromCustomersCount: "CHAT_SESSION_FACT.MSG_FROM_CUSTOMERS_COUNT",
    kvps.csg_MessagesFromCustomersSize: "CHAT_SESSION_FACT.MSG_FROM_CUSTOMERS_SIZE",
    kvps.csg_PartiesAsAgentCount: "CHAT_SESSION_FACT.AGENTS_COUNT",
    kvps.csg_SessionTotalTime: "CHAT_SESSION_FACT.SESSION_DURATION",
    kvps.csg_SessionUntilFirstAgentTime: "CHAT_SESSION_FACT.UNTIL_FIRST_AGENT_DURATION",
    kvps.csg_SessionUntilFirstReplyTime: "CHAT_SESSION_FACT.UNTIL_FIRST_REPLY_DURATION",
    kvps.cse_AgentReplyMaxTime: "CHAT_SESSION_FACT.AGENT_REPLY_MAX_DURATION",
    kvps.cse_AgentReplyTotalCount: "CHAT_SESSION_FACT.AGENT_REPLY_COUNT",
    kvps.cse_AgentReplyTotalTime: "CHAT_SESSION_FACT.AGENT_REPLY_DURATION",
    kvps.cse_AgentWaitMaxTime: "CHAT_SESSION_FACT.AGENT_WAIT_MAX_DURATION",
    kvps.cse_AgentWaitTotalCount: "CHAT_SESSION_FACT.AGENT_WAIT_COUNT",
    kvps.cse_AgentWaitTotalTime: "CHAT_SESSION_FACT.AGENT_WAIT_DURATION",
    kvps.cse_CustomerReplyMaxTime: "CHAT_SESSION_FACT.CUSTOMER_REPLY_MAX_DURATION",
    kvps.cse_CustomerReplyTotalCount: "CHAT_SESSION_FACT.CUSTOMER_REPLY_COUNT",
    kvps.cse_CustomerReplyTotalTime: "CHAT_SESSION_FACT.CUSTOMER_REPLY_DURATION",
    kvps.cse_CustomerWaitMaxTime: "CHAT_SESSION_FACT.CUSTOMER_WAIT_MAX_DURATION",
    kvps.cse_CustomerWaitTotalCount: "CHAT_SESSION_FACT.CUSTOMER_WAIT_COUNT",
    kvps.cse_CustomerWaitTotalTime: "CHAT_SESSION_FACT.CUSTOMER_WAIT_DURATION",
    kvps.cse_AsyncDormantTotalCount: "CHAT_SESSION_FACT.ASYNC_DORMANT_COUNT",
    kvps.cse_AsyncDormantTotalTime: "CHAT_SESSION_FACT.ASYNC_DORMANT_DURATION",
    kvps.cse_AsyncIdleTotalCount: "CHAT_SESSION_FACT.ASYNC_IDLE_COUNT",
    kvps.cse_AsyncIdleTotalTime: "CHAT_SESSION_FACT.ASYNC_IDLE_DURATION",
}


def checked_kvp_names(
    names: Iterable[str], command: str, known: Collection[str] = ALL_KVPS
) -> tuple[str, ...]:
    """``names``, each once, in the order given; the first that is not a KVP (or, for explain,
    a classification field: ``known``) raises :class:`UnknownKvpError` with a 'did you mean'."""
    for name in names:
        if name not in known:
            near = difflib.get_close_matches(name, list(known), n=1)
            hint = f"; did you mean {near[0]}?" if near else "; 'chatstats explain' lists them"
            raise UnknownKvpError(f"unknown KVP {name!r}{hint}", source=command)
    return tuple(dict.fromkeys(names))


#: The width of an Info Mart DATE_TIME interval: a ``*_DATE_TIME_KEY`` is the start of the
#: 15-minute interval its instant falls in, in seconds since 1970 UTC (GIM's "Time-related
#: tables and fields").
DATE_TIME_INTERVAL_SECONDS = 900


class ColumnForm(enum.Enum):
    """How an Info Mart column holds its KVP."""

    VALUE = "value"  # as attached
    DATE_TIME_KEY = "key"  # a timestamp's 15-minute interval start, seconds since 1970 UTC
    UTC_SECONDS = "seconds"  # a timestamp as seconds since 1970 UTC (GIM's *_TS columns)


@dataclass(frozen=True, slots=True)
class InfomartColumn:
    """One column of ``replay --format infomart``: its name in GIM, the KVP behind it, how."""

    name: str
    kvp: str
    form: ColumnForm = ColumnForm.VALUE

    @property
    def encoded(self) -> str:
        """``form:kvp``, as the native core receives the column."""
        return f"{self.form.value}:{self.kvp}"


def _infomart_row() -> tuple[InfomartColumn, ...]:
    """CHAT_SESSION_FACT as GIM holds it (its keys, then its measures in the seed's order), then
    the dimension attributes a join brings (MEDIA_TYPE, CHAT_SESSION_DIM)."""
    start, end = kvps.ChatServerSessionStartedAt, kvps.ChatServerSessionClosedAt
    head = [
        InfomartColumn("START_DATE_TIME_KEY", start, ColumnForm.DATE_TIME_KEY),
        InfomartColumn("END_DATE_TIME_KEY", end, ColumnForm.DATE_TIME_KEY),
        InfomartColumn("START_TS", start, ColumnForm.UTC_SECONDS),
        InfomartColumn("END_TS", end, ColumnForm.UTC_SECONDS),
    ]
    others = [
        (kvp, target.split(".", 1))
        for kvp, target in INFOMART_COLUMNS.items()
        if kvp not in (start, end)
    ]
    facts = [InfomartColumn(c, k) for k, (table, c) in others if table == "CHAT_SESSION_FACT"]
    dimensions = [InfomartColumn(c, k) for k, (table, c) in others if table != "CHAT_SESSION_FACT"]
    return (*head, *facts, *dimensions)


#: The columns of ``replay --format infomart`` after MEDIA_SERVER_IXN_GUID, in order.
INFOMART_ROW: tuple[InfomartColumn, ...] = _infomart_row()
