//! Every KVP name Chat Server attaches, written once, as `chatstats_core/engine/kvps.py` writes
//! them: a [`Kvp`] each, named as the KVP itself, so `grep csg_SessionEndedBy` finds this line
//! and every use, and a misspelt name does not compile. They are declared in the byte order of
//! their names, so ordering KVPs (the output's order) compares integers; `_native.KVP_NAMES`
//! lists them, and a test checks that list against `engine.kvps`.

macro_rules! kvps {
    ($($name:ident),* $(,)?) => {
        /// One KVP Chat Server attaches.
        #[allow(non_camel_case_types)] // the names are Chat Server's own
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Kvp {
            $($name),*
        }

        impl Kvp {
            /// Every KVP, in the order of their names.
            pub const ALL: &'static [Kvp] = &[$(Kvp::$name),*];

            /// The KVP's name, as it is attached.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Kvp::$name => stringify!($name)),*
                }
            }
        }
    };
}

kvps!(
    ChatServerSessionClosedAt,
    ChatServerSessionStartedAt,
    cse_ActiveIdleMaxTime,
    cse_ActiveIdleTotalCount,
    cse_ActiveIdleTotalTime,
    cse_AgentReplyMaxTime,
    cse_AgentReplyTotalCount,
    cse_AgentReplyTotalTime,
    cse_AgentWaitMaxTime,
    cse_AgentWaitTotalCount,
    cse_AgentWaitTotalTime,
    cse_AsyncDormantMaxTime,
    cse_AsyncDormantTotalCount,
    cse_AsyncDormantTotalTime,
    cse_AsyncIdleMaxTime,
    cse_AsyncIdleTotalCount,
    cse_AsyncIdleTotalTime,
    cse_CustomerReplyMaxTime,
    cse_CustomerReplyTotalCount,
    cse_CustomerReplyTotalTime,
    cse_CustomerWaitMaxTime,
    cse_CustomerWaitTotalCount,
    cse_CustomerWaitTotalTime,
    cse_SessionHandleMaxTime,
    cse_SessionHandleTotalCount,
    cse_SessionHandleTotalTime,
    csg_ChatAsyncMode,
    csg_ChatSessionID,
    csg_LanguageName,
    csg_MediaOrigin,
    csg_MediaType,
    csg_MessagesFromAgentsCount,
    csg_MessagesFromAgentsSize,
    csg_MessagesFromBotsCount,
    csg_MessagesFromBotsSize,
    csg_MessagesFromCustomersCount,
    csg_MessagesFromCustomersSize,
    csg_PartiesAsAgentCount,
    csg_PartiesAsBotCount,
    csg_PartiesAsCoachCount,
    csg_PartiesAsMonitorCount,
    csg_SessionEndedAgent,
    csg_SessionEndedBy,
    csg_SessionEndedReason,
    csg_SessionTotalTime,
    csg_SessionUntilFirstAgentTime,
    csg_SessionUntilFirstBotTime,
    csg_SessionUntilFirstReplyTime,
    csg_SessionWithCustomerTime,
    csg_TenantId,
);

impl std::fmt::Display for Kvp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Kvp {
    /// The KVP of this name, if Chat Server attaches one.
    pub fn named(name: &str) -> Option<Kvp> {
        Kvp::ALL.iter().copied().find(|kvp| kvp.name() == name)
    }
}

use Kvp::*;

/// The three KVPs of an interval family: how many, how long in all, the longest.
pub type Triple = [Kvp; 3];

pub const SESSION_HANDLE: Triple = [
    cse_SessionHandleTotalCount,
    cse_SessionHandleTotalTime,
    cse_SessionHandleMaxTime,
];
pub const ACTIVE_IDLE: Triple = [
    cse_ActiveIdleTotalCount,
    cse_ActiveIdleTotalTime,
    cse_ActiveIdleMaxTime,
];
pub const CUSTOMER_WAIT: Triple = [
    cse_CustomerWaitTotalCount,
    cse_CustomerWaitTotalTime,
    cse_CustomerWaitMaxTime,
];
pub const AGENT_REPLY: Triple = [
    cse_AgentReplyTotalCount,
    cse_AgentReplyTotalTime,
    cse_AgentReplyMaxTime,
];
pub const AGENT_WAIT: Triple = [
    cse_AgentWaitTotalCount,
    cse_AgentWaitTotalTime,
    cse_AgentWaitMaxTime,
];
pub const CUSTOMER_REPLY: Triple = [
    cse_CustomerReplyTotalCount,
    cse_CustomerReplyTotalTime,
    cse_CustomerReplyMaxTime,
];
pub const ASYNC_DORMANT: Triple = [
    cse_AsyncDormantTotalCount,
    cse_AsyncDormantTotalTime,
    cse_AsyncDormantMaxTime,
];
pub const ASYNC_IDLE: Triple = [
    cse_AsyncIdleTotalCount,
    cse_AsyncIdleTotalTime,
    cse_AsyncIdleMaxTime,
];

/// The waits and replies between messages, in the order they are computed and shown.
pub const WAITS_AND_REPLIES: [Triple; 4] = [CUSTOMER_WAIT, AGENT_REPLY, AGENT_WAIT, CUSTOMER_REPLY];

/// The two KVPs of the messages from one kind of party: how many, how many characters.
pub type MessageCounts = [Kvp; 2];

pub const MESSAGES_FROM_AGENTS: MessageCounts =
    [csg_MessagesFromAgentsCount, csg_MessagesFromAgentsSize];
pub const MESSAGES_FROM_CUSTOMERS: MessageCounts = [
    csg_MessagesFromCustomersCount,
    csg_MessagesFromCustomersSize,
];
pub const MESSAGES_FROM_BOTS: MessageCounts = [csg_MessagesFromBotsCount, csg_MessagesFromBotsSize];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kvps_are_declared_in_the_order_of_their_names() {
        let names: Vec<&str> = Kvp::ALL.iter().map(|kvp| kvp.name()).collect();
        assert!(names.windows(2).all(|pair| pair[0] < pair[1]));
        assert_eq!(Kvp::named("csg_SessionEndedBy"), Some(csg_SessionEndedBy));
        assert_eq!(Kvp::named("csg_Nothing"), None);
    }
}
