"""One sentence per KVP and classification field: the rule that produces it.

docs/semantics.md quotes each sentence verbatim (a test checks it), and ``explain`` prints them,
so the rule a user reads is the rule the code states.
"""

from __future__ import annotations

RULES: dict[str, str] = {
    "ChatServerSessionStartedAt": "The session's start instant (the transcript's start), UTC, "
    "whole seconds; attached even under attach-session-statistics=none.",
    "ChatServerSessionClosedAt": "The instant the session closed, UTC, whole seconds; attached "
    "even under none, absent while the session is still open.",
    "csg_ChatSessionID": "The session id; attached unless attach-session-statistics=none.",
    "csg_LanguageName": "The session user data's GCTI_LanguageName, attached only when present.",
    "csg_MediaOrigin": "The session user data's MediaOrigin, attached only when present.",
    "csg_MediaType": "The session user data's MediaType (default chat); attached even under none.",
    "csg_TenantId": "The transcript's tenant, else the replay/tenant-id option; attached even "
    "under none.",
    "csg_ChatAsyncMode": '"1" for an async session (GCTI_Chat_AsyncMode=true), "0" otherwise; '
    "fired only for async sessions.",
    "csg_SessionTotalTime": "Seconds from the session's creation to its closure.",
    "csg_SessionEndedAgent": "ABSENT if no visible agent ever joined, PRESENT if one was present "
    "immediately before the closing event, VISITED otherwise.",
    "csg_SessionEndedBy": "CLIENT if the client left on its own at or before the closing event; "
    "else the closer's type after a force-close or close-if-no-agents; else the type of the "
    "last participant to leave; else SYSTEM (also when server removals, XML code 5, leave no "
    "participant). A pair outside the seed's table is reported with a warning.",
    "csg_SessionEndedReason": "QUIT or DISCONNECT for how the client or last participant left, "
    "FORCE after a force-close or close-if-no-agents, INACTIVE or DB_ERROR for a system closure.",
    "csg_MessagesFromAgentsCount": "The number of messages with visibility ALL sent by visible "
    "agents.",
    "csg_MessagesFromAgentsSize": "The characters (spaces included) of the messages with "
    "visibility ALL sent by visible agents.",
    "csg_MessagesFromCustomersCount": "The number of messages sent by clients.",
    "csg_MessagesFromCustomersSize": "The characters (spaces included) of the messages sent by "
    "clients.",
    "csg_MessagesFromBotsCount": "The number of messages with visibility ALL sent by bots.",
    "csg_MessagesFromBotsSize": "The characters (spaces included) of the messages with "
    "visibility ALL sent by bots.",
    "csg_PartiesAsAgentCount": "The number of distinct persons that joined as visible agents.",
    "csg_PartiesAsCoachCount": "The number of distinct human agents or supervisors that joined "
    "with the coaching visibility (VIP unless replay/coach-visibility=INT).",
    "csg_PartiesAsMonitorCount": "The number of distinct human agents or supervisors that "
    "joined with the monitoring visibility (INT unless replay/coach-visibility=INT).",
    "csg_PartiesAsBotCount": "The number of bot joins (a bot that joins twice counts twice).",
    "csg_SessionUntilFirstAgentTime": "Seconds from creation until the first visible agent "
    "joined; 0 when none joined.",
    "csg_SessionUntilFirstBotTime": "Seconds from creation until the first bot joined with "
    "visibility ALL; 0 when none did.",
    "csg_SessionUntilFirstReplyTime": "Seconds from creation until the first message with "
    "visibility ALL from a visible agent.",
    "csg_SessionWithCustomerTime": "The length of the union of the clients' presence intervals "
    "(time with two clients present counts once), in seconds.",
    "cse_SessionHandleTotalCount": "The number of intervals with at least one visible agent "
    "present.",
    "cse_SessionHandleTotalTime": "The total seconds of the intervals with at least one visible "
    "agent present.",
    "cse_SessionHandleMaxTime": "The longest interval with at least one visible agent present, "
    "in seconds.",
    "cse_ActiveIdleTotalCount": "The number of idle periods while a visible agent was present: "
    "each timer (inactivity control, and async idle control in an async session) is idle from "
    "its first-alert expiry to the activity that resets it, the last visible agent leaving or "
    "the closure, and overlapping or touching spans of the two timers are one period.",
    "cse_ActiveIdleTotalTime": "The total seconds of those idle periods (their union, so never "
    "more than the handle time).",
    "cse_ActiveIdleMaxTime": "The longest such idle period, in seconds.",
    "cse_CustomerWaitTotalCount": "The number of customer message runs answered by an agent run.",
    "cse_CustomerWaitTotalTime": "The total seconds from the last message of each customer run "
    "to the first message of the agent run that answers it.",
    "cse_CustomerWaitMaxTime": "The longest such customer wait, in seconds.",
    "cse_AgentReplyTotalCount": "The number of agent message runs that answer a customer run.",
    "cse_AgentReplyTotalTime": "The total seconds from the first message of each customer run "
    "to the first message of the agent run that answers it, less (async) the time from the "
    "session going dormant until a visible agent joined again.",
    "cse_AgentReplyMaxTime": "The longest such agent reply, in seconds, less (async) the time "
    "from the session going dormant until a visible agent joined again.",
    "cse_AgentWaitTotalCount": "The number of agent message runs answered by a customer run.",
    "cse_AgentWaitTotalTime": "The total seconds from the last message of each agent run to "
    "the first message of the customer run that answers it, less dormant time.",
    "cse_AgentWaitMaxTime": "The longest such agent wait, in seconds, less dormant time.",
    "cse_CustomerReplyTotalCount": "The number of customer message runs that answer an agent run.",
    "cse_CustomerReplyTotalTime": "The total seconds from the first message of each agent run "
    "to the first message of the customer run that answers it.",
    "cse_CustomerReplyMaxTime": "The longest such customer reply, in seconds.",
    "cse_AsyncDormantTotalCount": "The number of times an async session became dormant (its "
    "last visible agent left while it stayed open); customer activity (a message, or a "
    "qualifying notice), a route event, an agent joining or the closure ends it.",
    "cse_AsyncDormantTotalTime": "The total seconds an async session was dormant, routing time "
    "excluded.",
    "cse_AsyncDormantMaxTime": "The longest dormant period, in seconds.",
    "cse_AsyncIdleTotalCount": "The number of async idle alerts that expired while the session "
    "was dormant.",
    "cse_AsyncIdleTotalTime": "The total seconds from each such alert to the next qualifying "
    "activity, wake-up or closure.",
    "cse_AsyncIdleMaxTime": "The longest such async idle span, in seconds.",
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
    {"ChatServerSessionStartedAt", "ChatServerSessionClosedAt", "csg_MediaType", "csg_TenantId"}
)

#: KVPs that only exist once the session has closed.
CLOSURE_KVPS = frozenset(
    {
        "ChatServerSessionClosedAt",
        "csg_SessionEndedAgent",
        "csg_SessionEndedBy",
        "csg_SessionEndedReason",
        "csg_SessionTotalTime",
    }
)

#: Every KVP chatstats computes (the seed's 50), sorted.
ALL_KVPS: tuple[str, ...] = tuple(sorted(k for k in RULES if not k.startswith("classification.")))

#: KVPs whose values are strings; every other KVP is an integer.
STRING_KVPS = frozenset(
    {
        "ChatServerSessionStartedAt",
        "ChatServerSessionClosedAt",
        "csg_ChatSessionID",
        "csg_LanguageName",
        "csg_MediaOrigin",
        "csg_MediaType",
        "csg_ChatAsyncMode",
        "csg_SessionEndedAgent",
        "csg_SessionEndedBy",
        "csg_SessionEndedReason",
    }
)

#: Where Genesys Info Mart stores each KVP (the seed's "Info Mart Database Target" column), in the
#: seed's order. KVPs the seed marks "Not mapped" are absent.
INFOMART_COLUMNS: dict[str, str] = {
    "ChatServerSessionStartedAt": "CHAT_SESSION_FACT.START_DATE_TIME_KEY",
    "ChatServerSessionClosedAt": "CHAT_SESSION_FACT.END_DATE_TIME_KEY",
    "csg_TenantId": "CHAT_SESSION_FACT.TENANT_KEY",
    "csg_MediaType": "MEDIA_TYPE.MEDIA_NAME_CODE",
    "csg_LanguageName": "CHAT_SESSION_DIM.LANGUAGE_NAME",
    "csg_MediaOrigin": "CHAT_SESSION_DIM.MEDIA_ORIGIN",
    "csg_SessionEndedBy": "CHAT_SESSION_DIM.ENDED_BY",
    "csg_SessionEndedReason": "CHAT_SESSION_DIM.ENDED_REASON",
    "csg_ChatAsyncMode": "CHAT_SESSION_DIM.ASYNC_MODE",
    "cse_ActiveIdleTotalCount": "CHAT_SESSION_FACT.ACTIVE_IDLE_COUNT",
    "cse_ActiveIdleTotalTime": "CHAT_SESSION_FACT.ACTIVE_IDLE_DURATION",
    "cse_SessionHandleTotalCount": "CHAT_SESSION_FACT.HANDLE_COUNT",
    "cse_SessionHandleTotalTime": "CHAT_SESSION_FACT.HANDLE_DURATION",
    "csg_MessagesFromAgentsCount": "CHAT_SESSION_FACT.MSG_FROM_AGENTS_COUNT",
    "csg_MessagesFromAgentsSize": "CHAT_SESSION_FACT.MSG_FROM_AGENTS_SIZE",
    "csg_MessagesFromCustomersCount": "CHAT_SESSION_FACT.MSG_FROM_CUSTOMERS_COUNT",
    "csg_MessagesFromCustomersSize": "CHAT_SESSION_FACT.MSG_FROM_CUSTOMERS_SIZE",
    "csg_PartiesAsAgentCount": "CHAT_SESSION_FACT.AGENTS_COUNT",
    "csg_SessionTotalTime": "CHAT_SESSION_FACT.SESSION_DURATION",
    "csg_SessionUntilFirstAgentTime": "CHAT_SESSION_FACT.UNTIL_FIRST_AGENT_DURATION",
    "csg_SessionUntilFirstReplyTime": "CHAT_SESSION_FACT.UNTIL_FIRST_REPLY_DURATION",
    "cse_AgentReplyMaxTime": "CHAT_SESSION_FACT.AGENT_REPLY_MAX_DURATION",
    "cse_AgentReplyTotalCount": "CHAT_SESSION_FACT.AGENT_REPLY_COUNT",
    "cse_AgentReplyTotalTime": "CHAT_SESSION_FACT.AGENT_REPLY_DURATION",
    "cse_AgentWaitMaxTime": "CHAT_SESSION_FACT.AGENT_WAIT_MAX_DURATION",
    "cse_AgentWaitTotalCount": "CHAT_SESSION_FACT.AGENT_WAIT_COUNT",
    "cse_AgentWaitTotalTime": "CHAT_SESSION_FACT.AGENT_WAIT_DURATION",
    "cse_CustomerReplyMaxTime": "CHAT_SESSION_FACT.CUSTOMER_REPLY_MAX_DURATION",
    "cse_CustomerReplyTotalCount": "CHAT_SESSION_FACT.CUSTOMER_REPLY_COUNT",
    "cse_CustomerReplyTotalTime": "CHAT_SESSION_FACT.CUSTOMER_REPLY_DURATION",
    "cse_CustomerWaitMaxTime": "CHAT_SESSION_FACT.CUSTOMER_WAIT_MAX_DURATION",
    "cse_CustomerWaitTotalCount": "CHAT_SESSION_FACT.CUSTOMER_WAIT_COUNT",
    "cse_CustomerWaitTotalTime": "CHAT_SESSION_FACT.CUSTOMER_WAIT_DURATION",
    "cse_AsyncDormantTotalCount": "CHAT_SESSION_FACT.ASYNC_DORMANT_COUNT",
    "cse_AsyncDormantTotalTime": "CHAT_SESSION_FACT.ASYNC_DORMANT_DURATION",
    "cse_AsyncIdleTotalCount": "CHAT_SESSION_FACT.ASYNC_IDLE_COUNT",
    "cse_AsyncIdleTotalTime": "CHAT_SESSION_FACT.ASYNC_IDLE_DURATION",
}
