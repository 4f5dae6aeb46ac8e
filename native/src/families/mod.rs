//! The KVP families (`chatstats_core/engine/families/`): each KVP from the timelines of one
//! replay, family by family, in the Python engine's order.

mod ending;
mod intervals;
mod messages;
mod parties;
mod session;
mod waiting;

pub use ending::{classify, seed_table_warning, Classification};
pub use waiting::wait_reply_intervals;

use crate::kvps::Kvp;
use crate::model::Transcript;
use crate::options::Options;
use crate::stats::{text_stat, Stat};
use crate::timelines::Timelines;
use intervals::interval_stats;
use messages::message_stats;
use parties::party_stats;
use session::session_stats;
use waiting::{until_first_stats, wait_reply_stats};

/// Every KVP that applies to the session, fired or not, and the classification (None while
/// the session is open).
pub fn compute_all(
    transcript: &Transcript,
    timelines: &Timelines,
    options: &Options,
) -> (Vec<Stat>, Option<Classification>) {
    let classification = timelines
        .closure
        .as_ref()
        .map(|closure| classify(timelines, closure, options));
    let mut stats = Vec::with_capacity(56);
    if let Some(c) = &classification {
        stats.push(text_stat(Kvp::csg_SessionEndedAgent, c.ended_agent, true));
        stats.push(text_stat(Kvp::csg_SessionEndedBy, c.ended_by, true));
        stats.push(text_stat(Kvp::csg_SessionEndedReason, c.ended_reason, true));
    }
    session_stats(transcript, timelines, options, &mut stats);
    message_stats(timelines, options, &mut stats);
    party_stats(timelines, options, &mut stats);
    until_first_stats(timelines, options, &mut stats);
    wait_reply_stats(timelines, &mut stats);
    interval_stats(transcript, timelines, &mut stats);
    (stats, classification)
}
