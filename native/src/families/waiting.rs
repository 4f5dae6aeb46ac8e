//! The waiting family (`chatstats_core/engine/families/waiting.py`): the waits until the first agent, bot and reply; the waits and replies
//! between messages.

use crate::kvps::{self, Kvp};
use crate::model::{Role, Visibility};
use crate::options::Options;
use crate::stats::{stat, triple, union, whole_seconds, Coverage, Stat};
use crate::timelines::{Interval, MessageRecord, Timelines};

fn first_instant(key: Kvp, found: Option<i64>, stats: &mut Vec<Stat>) {
    match found {
        Some(t_ms) => stats.push(stat(key, whole_seconds(t_ms), true)),
        None => stats.push(stat(key, 0, false)),
    }
}

pub(super) fn until_first_stats(timelines: &Timelines, options: &Options, stats: &mut Vec<Stat>) {
    let presences = &timelines.presences;
    first_instant(
        Kvp::csg_SessionUntilFirstAgentTime,
        presences
            .iter()
            .find(|p| p.is_visible_agent())
            .map(|p| p.start_ms),
        stats,
    );
    let reply = timelines
        .messages
        .iter()
        .find(|m| m.visible_agent && m.visibility == Visibility::All);
    first_instant(
        Kvp::csg_SessionUntilFirstReplyTime,
        reply.map(|m| m.t_ms),
        stats,
    );
    if options.bot_gateway {
        let bot = presences
            .iter()
            .find(|p| p.role == Role::Bot && p.visibility == Visibility::All);
        first_instant(
            Kvp::csg_SessionUntilFirstBotTime,
            bot.map(|p| p.start_ms),
            stats,
        );
    }
    let client_spans: Vec<Interval> = presences
        .iter()
        .filter(|p| p.role == Role::Client)
        .map(|p| Interval::new(p.start_ms, p.end_ms, Some(p.join_event), p.leave_event))
        .collect();
    let with_customer = union(&client_spans);
    let total: i64 = with_customer.iter().map(Interval::ms).sum();
    stats.push(stat(
        Kvp::csg_SessionWithCustomerTime,
        whole_seconds(total),
        !with_customer.is_empty(),
    ));
}

/// The waits and replies between message runs: customer wait, agent reply, agent wait and
/// customer reply intervals, in that order (agent reply and agent wait less their excluded
/// time, in `excluded_ms`).
pub fn wait_reply_intervals(timelines: &Timelines) -> [Vec<Interval>; 4] {
    let dormant = Coverage::new(&timelines.dormant);
    let away = Coverage::new(&timelines.until_rejoin);
    let runs = runs(&timelines.messages);
    let (mut customer_wait, mut agent_reply, mut agent_wait, mut customer_reply) =
        (vec![], vec![], vec![], vec![]);
    for pair in runs.windows(2) {
        let ((_, first, last), (answer_is_customer, answer, _)) = (pair[0], pair[1]);
        let (waited_from, replied_from, answered) = (last.t_ms, first.t_ms, answer.t_ms);
        let answer_event = Some(answer.event_index);
        if answer_is_customer {
            let mut wait =
                Interval::new(waited_from, answered, Some(last.event_index), answer_event);
            wait.excluded_ms = dormant.overlap_ms(waited_from, answered);
            agent_wait.push(wait);
            customer_reply.push(Interval::new(
                replied_from,
                answered,
                Some(first.event_index),
                answer_event,
            ));
        } else {
            customer_wait.push(Interval::new(
                waited_from,
                answered,
                Some(last.event_index),
                answer_event,
            ));
            let mut reply = Interval::new(
                replied_from,
                answered,
                Some(first.event_index),
                answer_event,
            );
            reply.excluded_ms = away.overlap_ms(replied_from, answered);
            agent_reply.push(reply);
        }
    }
    [customer_wait, agent_reply, agent_wait, customer_reply]
}

pub(super) fn wait_reply_stats(timelines: &Timelines, stats: &mut Vec<Stat>) {
    let intervals = wait_reply_intervals(timelines);
    for (keys, spans) in kvps::WAITS_AND_REPLIES.into_iter().zip(&intervals) {
        triple(keys, spans, stats);
    }
}

/// Runs of consecutive same-side messages as (is_customer, first, last).
fn runs(messages: &[MessageRecord]) -> Vec<(bool, MessageRecord, MessageRecord)> {
    let mut found = Vec::new();
    let mut current: Option<(bool, MessageRecord, MessageRecord)> = None;
    for message in messages {
        if message.visibility != Visibility::All {
            continue;
        }
        let customer = if message.role == Role::Client {
            true
        } else if message.visible_agent {
            false
        } else {
            continue;
        };
        match &mut current {
            Some((side, _, last)) if *side == customer => *last = *message,
            _ => {
                if let Some(run) = current.take() {
                    found.push(run);
                }
                current = Some((customer, *message, *message));
            }
        }
    }
    found.extend(current);
    found
}
