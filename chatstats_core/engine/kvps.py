"""Every KVP name Chat Server attaches, written once: a constant named as the KVP itself, so
``grep csg_SessionEndedBy`` finds this line, the rule (``rules.RULES``) and every use
(``kvps.csg_SessionEndedBy``); a misspelt name is a type error, not a silently missing key.
Plain ``str`` constants, not an enum: they are dictionary keys that orjson writes as they are.
"""

from __future__ import annotations

from typing import Final, NamedTuple

# ruff: noqa: N816 (the names are Chat Server's own)

ChatServerSessionStartedAt: Final = "ChatServerSessionStartedAt"
ChatServerSessionClosedAt: Final = "ChatServerSessionClosedAt"
csg_ChatSessionID: Final = "csg_ChatSessionID"
csg_LanguageName: Final = "csg_LanguageName"
csg_MediaOrigin: Final = "csg_MediaOrigin"
csg_MediaType: Final = "csg_MediaType"
csg_TenantId: Final = "csg_TenantId"
csg_ChatAsyncMode: Final = "csg_ChatAsyncMode"
csg_SessionTotalTime: Final = "csg_SessionTotalTime"
csg_SessionEndedAgent: Final = "csg_SessionEndedAgent"
csg_SessionEndedBy: Final = "csg_SessionEndedBy"
csg_SessionEndedReason: Final = "csg_SessionEndedReason"
csg_MessagesFromAgentsCount: Final = "csg_MessagesFromAgentsCount"
csg_MessagesFromAgentsSize: Final = "csg_MessagesFromAgentsSize"
csg_MessagesFromCustomersCount: Final = "csg_MessagesFromCustomersCount"
csg_MessagesFromCustomersSize: Final = "csg_MessagesFromCustomersSize"
csg_MessagesFromBotsCount: Final = "csg_MessagesFromBotsCount"
csg_MessagesFromBotsSize: Final = "csg_MessagesFromBotsSize"
csg_PartiesAsAgentCount: Final = "csg_PartiesAsAgentCount"
csg_PartiesAsCoachCount: Final = "csg_PartiesAsCoachCount"
csg_PartiesAsMonitorCount: Final = "csg_PartiesAsMonitorCount"
csg_PartiesAsBotCount: Final = "csg_PartiesAsBotCount"
csg_SessionUntilFirstAgentTime: Final = "csg_SessionUntilFirstAgentTime"
csg_SessionUntilFirstBotTime: Final = "csg_SessionUntilFirstBotTime"
csg_SessionUntilFirstReplyTime: Final = "csg_SessionUntilFirstReplyTime"
csg_SessionWithCustomerTime: Final = "csg_SessionWithCustomerTime"
cse_SessionHandleTotalCount: Final = "cse_SessionHandleTotalCount"
cse_SessionHandleTotalTime: Final = "cse_SessionHandleTotalTime"
cse_SessionHandleMaxTime: Final = "cse_SessionHandleMaxTime"
cse_ActiveIdleTotalCount: Final = "cse_ActiveIdleTotalCount"
cse_ActiveIdleTotalTime: Final = "cse_ActiveIdleTotalTime"
cse_ActiveIdleMaxTime: Final = "cse_ActiveIdleMaxTime"
cse_CustomerWaitTotalCount: Final = "cse_CustomerWaitTotalCount"
cse_CustomerWaitTotalTime: Final = "cse_CustomerWaitTotalTime"
cse_CustomerWaitMaxTime: Final = "cse_CustomerWaitMaxTime"
cse_AgentReplyTotalCount: Final = "cse_AgentReplyTotalCount"
cse_AgentReplyTotalTime: Final = "cse_AgentReplyTotalTime"
cse_AgentReplyMaxTime: Final = "cse_AgentReplyMaxTime"
cse_AgentWaitTotalCount: Final = "cse_AgentWaitTotalCount"
cse_AgentWaitTotalTime: Final = "cse_AgentWaitTotalTime"
cse_AgentWaitMaxTime: Final = "cse_AgentWaitMaxTime"
cse_CustomerReplyTotalCount: Final = "cse_CustomerReplyTotalCount"
cse_CustomerReplyTotalTime: Final = "cse_CustomerReplyTotalTime"
cse_CustomerReplyMaxTime: Final = "cse_CustomerReplyMaxTime"
cse_AsyncDormantTotalCount: Final = "cse_AsyncDormantTotalCount"
cse_AsyncDormantTotalTime: Final = "cse_AsyncDormantTotalTime"
cse_AsyncDormantMaxTime: Final = "cse_AsyncDormantMaxTime"
cse_AsyncIdleTotalCount: Final = "cse_AsyncIdleTotalCount"
cse_AsyncIdleTotalTime: Final = "cse_AsyncIdleTotalTime"
cse_AsyncIdleMaxTime: Final = "cse_AsyncIdleMaxTime"


class Triple(NamedTuple):
    """The three KVPs of an interval family: how many, how long in all, the longest."""

    total_count: str
    total_time: str
    max_time: str


#: The interval families, each as its (TotalCount, TotalTime, MaxTime) KVPs.
SESSION_HANDLE = Triple(
    cse_SessionHandleTotalCount, cse_SessionHandleTotalTime, cse_SessionHandleMaxTime
)
ACTIVE_IDLE = Triple(cse_ActiveIdleTotalCount, cse_ActiveIdleTotalTime, cse_ActiveIdleMaxTime)
CUSTOMER_WAIT = Triple(
    cse_CustomerWaitTotalCount, cse_CustomerWaitTotalTime, cse_CustomerWaitMaxTime
)
AGENT_REPLY = Triple(cse_AgentReplyTotalCount, cse_AgentReplyTotalTime, cse_AgentReplyMaxTime)
AGENT_WAIT = Triple(cse_AgentWaitTotalCount, cse_AgentWaitTotalTime, cse_AgentWaitMaxTime)
CUSTOMER_REPLY = Triple(
    cse_CustomerReplyTotalCount, cse_CustomerReplyTotalTime, cse_CustomerReplyMaxTime
)
ASYNC_DORMANT = Triple(
    cse_AsyncDormantTotalCount, cse_AsyncDormantTotalTime, cse_AsyncDormantMaxTime
)
ASYNC_IDLE = Triple(cse_AsyncIdleTotalCount, cse_AsyncIdleTotalTime, cse_AsyncIdleMaxTime)

#: The waits and replies between messages, in the order they are computed and shown.
WAITS_AND_REPLIES = (CUSTOMER_WAIT, AGENT_REPLY, AGENT_WAIT, CUSTOMER_REPLY)


class MessageCounts(NamedTuple):
    """The two KVPs of the messages from one kind of party: how many, how many characters."""

    messages: str
    characters: str


#: The messages families, by who sent them (the seed's Agents, Customers, Bots).
MESSAGES_FROM_AGENTS = MessageCounts(csg_MessagesFromAgentsCount, csg_MessagesFromAgentsSize)
MESSAGES_FROM_CUSTOMERS = MessageCounts(
    csg_MessagesFromCustomersCount, csg_MessagesFromCustomersSize
)
MESSAGES_FROM_BOTS = MessageCounts(csg_MessagesFromBotsCount, csg_MessagesFromBotsSize)
