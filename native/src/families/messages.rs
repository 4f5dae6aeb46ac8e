//! The messages family (`chatstats_core/engine/families/messages.py`): the message counts and sizes by kind of party.

use crate::kvps::{self, MessageCounts};
use crate::model::{Role, Visibility};
use crate::options::Options;
use crate::stats::{stat, Stat};
use crate::timelines::{MessageRecord, Timelines};

/// csg_MessagesFrom{Agents,Customers,Bots}{Count,Size}.
pub(super) fn message_stats(timelines: &Timelines, options: &Options, stats: &mut Vec<Stat>) {
    let count =
        |keys: MessageCounts, chosen: &dyn Fn(&MessageRecord) -> bool, stats: &mut Vec<Stat>| {
            let (mut n, mut size) = (0, 0);
            for message in timelines.messages.iter().filter(|m| chosen(m)) {
                n += 1;
                size += message.size as i64;
            }
            stats.push(stat(keys[0], n, n > 0));
            stats.push(stat(keys[1], size, n > 0));
        };
    let everyone = Visibility::All;
    count(
        kvps::MESSAGES_FROM_AGENTS,
        &|m| m.visible_agent && m.visibility == everyone,
        stats,
    );
    count(
        kvps::MESSAGES_FROM_CUSTOMERS,
        &|m| m.role == Role::Client,
        stats,
    );
    if options.bot_gateway {
        count(
            kvps::MESSAGES_FROM_BOTS,
            &|m| m.role == Role::Bot && m.visibility == everyone,
            stats,
        );
    }
}
