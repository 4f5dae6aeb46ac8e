//! The KVP families, classification and attach, as `chatstats_core/engine/families/` and
//! `engine/__init__.py` compute them: each KVP from the timelines of one replay.

use crate::model::LeaveCause;
use crate::model::{Role, Transcript, Visibility};
use crate::options::{AttachLevel, Options, StopPolicy};
use crate::replay::{union, Closure, ClosureKind, Interval, MessageRecord, Timelines};
use crate::timestamp::format_timestamp;
use crate::Warning;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Int(i64),
    Text(String),
}

pub struct Stat {
    pub key: &'static str,
    pub value: Value,
    pub fired: bool,
}

fn stat(key: &'static str, value: i64, fired: bool) -> Stat {
    Stat {
        key,
        value: Value::Int(value),
        fired,
    }
}

fn text_stat(key: &'static str, value: &str, fired: bool) -> Stat {
    Stat {
        key,
        value: Value::Text(value.to_string()),
        fired,
    }
}

/// Milliseconds to whole seconds, truncated (the seed's durations are whole seconds).
fn whole_seconds(ms: i64) -> i64 {
    ms.div_euclid(1000)
}

pub struct Classification {
    pub ended_by: &'static str,
    pub ended_reason: &'static str,
    pub ended_agent: &'static str,
    pub abandoned: bool,
    pub interaction_stopped: bool,
}

/// What one replay attaches: the KVPs (sorted by key) and the classification (None while the
/// session is open).
pub struct Outcome {
    pub kvps: Vec<(&'static str, Value)>,
    pub classification: Option<Classification>,
}

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
        stats.push(text_stat("csg_SessionEndedAgent", c.ended_agent, true));
        stats.push(text_stat("csg_SessionEndedBy", c.ended_by, true));
        stats.push(text_stat("csg_SessionEndedReason", c.ended_reason, true));
    }
    session_stats(transcript, timelines, options, &mut stats);
    message_stats(timelines, options, &mut stats);
    party_stats(timelines, options, &mut stats);
    until_first_stats(timelines, options, &mut stats);
    wait_reply_stats(timelines, &mut stats);
    triple(
        [
            "cse_SessionHandleTotalCount",
            "cse_SessionHandleTotalTime",
            "cse_SessionHandleMaxTime",
        ],
        &timelines.handle,
        &mut stats,
    );
    triple(
        [
            "cse_ActiveIdleTotalCount",
            "cse_ActiveIdleTotalTime",
            "cse_ActiveIdleMaxTime",
        ],
        &timelines.active_idle,
        &mut stats,
    );
    if transcript.is_async {
        triple(
            [
                "cse_AsyncDormantTotalCount",
                "cse_AsyncDormantTotalTime",
                "cse_AsyncDormantMaxTime",
            ],
            &timelines.dormant,
            &mut stats,
        );
        triple(
            [
                "cse_AsyncIdleTotalCount",
                "cse_AsyncIdleTotalTime",
                "cse_AsyncIdleMaxTime",
            ],
            &timelines.async_idle,
            &mut stats,
        );
    }
    (stats, classification)
}

/// What one replay attaches: its KVPs under `attach-session-statistics`, and the
/// classification.
pub fn compute(transcript: &Transcript, timelines: &Timelines, options: &Options) -> Outcome {
    let (stats, classification) = compute_all(transcript, timelines, options);
    Outcome {
        kvps: attach(stats, options.attach_session_statistics),
        classification,
    }
}

const ATTACHED_UNDER_NONE: [&str; 4] = [
    "ChatServerSessionStartedAt",
    "ChatServerSessionClosedAt",
    "csg_MediaType",
    "csg_TenantId",
];

pub fn attach(stats: Vec<Stat>, level: AttachLevel) -> Vec<(&'static str, Value)> {
    let mut chosen: Vec<(&'static str, Value)> = stats
        .into_iter()
        .filter(|s| match level {
            AttachLevel::None => ATTACHED_UNDER_NONE.contains(&s.key),
            AttachLevel::Fired => s.fired,
            AttachLevel::All => true,
        })
        .map(|s| (s.key, s.value))
        .collect();
    chosen.sort_by_key(|(key, _)| *key);
    chosen
}

fn how(cause: Option<LeaveCause>) -> &'static str {
    if cause == Some(LeaveCause::Disconnect) {
        "DISCONNECT"
    } else {
        "QUIT"
    }
}

fn ended_by(timelines: &Timelines, closure: &Closure) -> (&'static str, &'static str) {
    let limit = closure.event.unwrap_or(usize::MAX); // no event: every leave counts
                                                     // "whenever a client leaves the chat session first", whether or not it joined again
    let first_self_leave = timelines
        .presences
        .iter()
        .filter(|p| {
            p.role == Role::Client
                && p.leave_event.is_some_and(|e| e <= limit)
                && matches!(
                    p.leave_cause,
                    Some(LeaveCause::Quit | LeaveCause::Disconnect)
                )
        })
        .min_by_key(|p| p.leave_event.unwrap_or(0)); // the first of equals, as Python's min
    if let Some(first) = first_self_leave {
        return ("CLIENT", how(first.leave_cause));
    }
    match closure.kind {
        ClosureKind::ForceClose | ClosureKind::CloseIfNoAgents => {
            (Role::participant_type(closure.closer_role), "FORCE")
        }
        ClosureKind::LastLeft if closure.cause == Some(LeaveCause::Removed) => {
            (Role::participant_type(closure.remover_role), "QUIT")
        }
        ClosureKind::LastLeft => (
            Role::participant_type(closure.closer_role),
            how(closure.cause),
        ),
        ClosureKind::System => ("SYSTEM", closure.reason.map_or("INACTIVE", |r| r.name())),
    }
}

fn classify(timelines: &Timelines, closure: &Closure, options: &Options) -> Classification {
    let (by, reason) = ended_by(timelines, closure);
    let any_visible = timelines.presences.iter().any(|p| p.is_visible_agent());
    let agent = if !any_visible {
        "ABSENT"
    } else if closure
        .present_before
        .iter()
        .any(|(r, v)| crate::model::is_visible_agent(*r, *v))
    {
        "PRESENT"
    } else {
        "VISITED"
    };
    let stopped = match options.stop_abandoned_interaction {
        StopPolicy::Always => true,
        StopPolicy::Never => false,
        StopPolicy::NoAgents => !closure
            .present_before
            .iter()
            .any(|(r, _)| r.is_human_agent()),
        StopPolicy::NoAnswer => !any_visible,
    };
    Classification {
        ended_by: by,
        ended_reason: reason,
        ended_agent: agent,
        abandoned: agent == "ABSENT",
        interaction_stopped: stopped,
    }
}

/// An ended-by / reason pair outside the seed's table makes the Python engine warn: declined.
/// The warning for an ended-by / reason pair the seed's table does not allow
/// (`ending.seed_table_warning`), else None.
pub fn seed_table_warning(found: &Classification, timelines: &Timelines) -> Option<Warning> {
    let (by, reason) = (found.ended_by, found.ended_reason);
    let actor = matches!(by, "AGENT" | "SUPERVISOR" | "BOT");
    let allowed: &[&str] = match by {
        "CLIENT" => &["QUIT", "DISCONNECT"],
        "SYSTEM" => &["INACTIVE", "DB_ERROR"],
        _ if actor => &["QUIT", "DISCONNECT", "FORCE"],
        _ => &[],
    };
    let had_client = timelines.presences.iter().any(|p| p.role == Role::Client);
    let rule = if !allowed.contains(&reason) {
        if allowed.is_empty() {
            format!("{by} is not a value of csg_SessionEndedBy")
        } else {
            format!("{by} goes only with {}", allowed.join(" or "))
        }
    } else if actor && reason != "FORCE" && had_client {
        format!(
            "{by} ends a session only by force or close-if-no-agents, or when the session \
             never had a customer"
        )
    } else {
        return None;
    };
    Some(Warning {
        code: "outside-seed-table",
        message: format!("ended-by/reason {by}/{reason} is outside the seed's table: {rule}"),
        event: timelines.closure.as_ref().and_then(|c| c.event),
        line: None,
        names_event: false,
    })
}

fn session_stats(
    transcript: &Transcript,
    timelines: &Timelines,
    options: &Options,
    stats: &mut Vec<Stat>,
) {
    let media_type = transcript
        .media_type
        .as_deref()
        .filter(|m| !m.is_empty())
        .unwrap_or("chat");
    stats.push(text_stat(
        "ChatServerSessionStartedAt",
        &format_timestamp(transcript.started_ms),
        true,
    ));
    stats.push(text_stat("csg_ChatSessionID", &transcript.session_id, true));
    stats.push(text_stat("csg_MediaType", media_type, true));
    stats.push(stat(
        "csg_TenantId",
        transcript.tenant_id.unwrap_or(options.tenant_id),
        true,
    ));
    stats.push(text_stat(
        "csg_ChatAsyncMode",
        if transcript.is_async { "1" } else { "0" },
        transcript.is_async,
    ));
    if let Some(language) = &transcript.language_name {
        stats.push(text_stat("csg_LanguageName", language, true));
    }
    if let Some(origin) = &transcript.media_origin {
        stats.push(text_stat("csg_MediaOrigin", origin, true));
    }
    if let Some(closure) = &timelines.closure {
        let closed = closure.t_ms;
        stats.push(text_stat(
            "ChatServerSessionClosedAt",
            &format_timestamp(transcript.started_ms + closed),
            true,
        ));
        stats.push(stat("csg_SessionTotalTime", whole_seconds(closed), true));
    }
}

fn message_stats(timelines: &Timelines, options: &Options, stats: &mut Vec<Stat>) {
    let count = |keys: [&'static str; 2],
                 chosen: &dyn Fn(&MessageRecord) -> bool,
                 stats: &mut Vec<Stat>| {
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
        ["csg_MessagesFromAgentsCount", "csg_MessagesFromAgentsSize"],
        &|m| m.visible_agent && m.visibility == everyone,
        stats,
    );
    count(
        [
            "csg_MessagesFromCustomersCount",
            "csg_MessagesFromCustomersSize",
        ],
        &|m| m.role == Role::Client,
        stats,
    );
    if options.bot_gateway {
        count(
            ["csg_MessagesFromBotsCount", "csg_MessagesFromBotsSize"],
            &|m| m.role == Role::Bot && m.visibility == everyone,
            stats,
        );
    }
}

fn party_stats(timelines: &Timelines, options: &Options, stats: &mut Vec<Stat>) {
    let unique = |key: &'static str,
                  chosen: &dyn Fn(&crate::replay::Presence) -> bool,
                  stats: &mut Vec<Stat>| {
        let mut persons: Vec<&str> = Vec::new();
        for p in timelines
            .presences
            .iter()
            .filter(|p| p.role.is_human_agent() && chosen(p))
        {
            let who = if p.person.is_empty() {
                p.party.as_str()
            } else {
                p.person.as_str()
            };
            if !persons.contains(&who) {
                persons.push(who);
            }
        }
        stats.push(stat(key, persons.len() as i64, !persons.is_empty()));
    };
    unique("csg_PartiesAsAgentCount", &|p| p.is_visible_agent(), stats);
    unique(
        "csg_PartiesAsCoachCount",
        &|p| p.visibility == options.coach_visibility,
        stats,
    );
    unique(
        "csg_PartiesAsMonitorCount",
        &|p| p.visibility == options.monitor_visibility(),
        stats,
    );
    if options.bot_gateway {
        let bots = timelines
            .presences
            .iter()
            .filter(|p| p.role == Role::Bot)
            .count() as i64;
        stats.push(stat("csg_PartiesAsBotCount", bots, bots > 0));
    }
}

fn first_instant(key: &'static str, found: Option<i64>, stats: &mut Vec<Stat>) {
    match found {
        Some(t_ms) => stats.push(stat(key, whole_seconds(t_ms), true)),
        None => stats.push(stat(key, 0, false)),
    }
}

fn until_first_stats(timelines: &Timelines, options: &Options, stats: &mut Vec<Stat>) {
    let presences = &timelines.presences;
    first_instant(
        "csg_SessionUntilFirstAgentTime",
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
        "csg_SessionUntilFirstReplyTime",
        reply.map(|m| m.t_ms),
        stats,
    );
    if options.bot_gateway {
        let bot = presences
            .iter()
            .find(|p| p.role == Role::Bot && p.visibility == Visibility::All);
        first_instant(
            "csg_SessionUntilFirstBotTime",
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
        "csg_SessionWithCustomerTime",
        whole_seconds(total),
        !with_customer.is_empty(),
    ));
}

/// How much of [start, end] sorted, disjoint spans cover.
struct Coverage {
    starts: Vec<i64>,
    ends: Vec<i64>,
    prefix: Vec<i64>,
}

impl Coverage {
    fn new(spans: &[Interval]) -> Self {
        let mut prefix = vec![0];
        for span in spans {
            prefix.push(prefix[prefix.len() - 1] + span.end_ms - span.start_ms);
        }
        Coverage {
            starts: spans.iter().map(|s| s.start_ms).collect(),
            ends: spans.iter().map(|s| s.end_ms).collect(),
            prefix,
        }
    }

    fn overlap_ms(&self, start: i64, end: i64) -> i64 {
        let first = self.ends.partition_point(|&e| e <= start); // bisect_right
        let last = self.starts.partition_point(|&s| s < end); // bisect_left
        if first >= last {
            return 0;
        }
        let mut covered = self.prefix[last] - self.prefix[first];
        covered -= (start - self.starts[first]).max(0);
        covered -= (self.ends[last - 1] - end).max(0);
        covered
    }
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

fn wait_reply_stats(timelines: &Timelines, stats: &mut Vec<Stat>) {
    let [customer_wait, agent_reply, agent_wait, customer_reply] = wait_reply_intervals(timelines);
    triple(
        [
            "cse_CustomerWaitTotalCount",
            "cse_CustomerWaitTotalTime",
            "cse_CustomerWaitMaxTime",
        ],
        &customer_wait,
        stats,
    );
    triple(
        [
            "cse_AgentReplyTotalCount",
            "cse_AgentReplyTotalTime",
            "cse_AgentReplyMaxTime",
        ],
        &agent_reply,
        stats,
    );
    triple(
        [
            "cse_AgentWaitTotalCount",
            "cse_AgentWaitTotalTime",
            "cse_AgentWaitMaxTime",
        ],
        &agent_wait,
        stats,
    );
    triple(
        [
            "cse_CustomerReplyTotalCount",
            "cse_CustomerReplyTotalTime",
            "cse_CustomerReplyMaxTime",
        ],
        &customer_reply,
        stats,
    );
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

/// An interval family's TotalCount, TotalTime and MaxTime; fired when any.
fn triple(keys: [&'static str; 3], spans: &[Interval], stats: &mut Vec<Stat>) {
    let fired = !spans.is_empty();
    let total: i64 = spans.iter().map(Interval::ms).sum();
    let longest = spans.iter().map(Interval::ms).max().unwrap_or(0);
    stats.push(stat(keys[0], spans.len() as i64, fired));
    stats.push(stat(keys[1], whole_seconds(total), fired));
    stats.push(stat(
        keys[2],
        if fired { whole_seconds(longest) } else { 0 },
        fired,
    ));
}
