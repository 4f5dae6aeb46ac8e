//! What `report` needs of one transcript (`chatstats_core/workflows/report.py`): parsed once,
//! replayed under every option set, its facts under each.

use pyo3::pyclass;

use crate::errors::{Decline, Warning};
use crate::families;
use crate::kvps::Kvp;
use crate::loading::{load, Limits};
use crate::options::Options;
use crate::replay;
use crate::session::session_warnings;
use crate::stats::Value;
use crate::timestamp;

/// What `report` keeps of one session under one option set (`workflows.report.SessionFacts`,
/// with the group's inputs, `GroupInputs`, in place of the group).
#[pyclass(frozen, get_all, module = "chatstats_core._native")]
#[derive(Clone, Debug)]
pub struct Facts {
    pub tenant: String,
    pub media_origin: Option<String>,
    pub language: Option<String>,
    pub media_type: String,
    pub ended_by: Option<&'static str>,
    /// The start, `YYYY-MM-DDTHH:MM:SSZ`.
    pub started: String,
    pub abandoned: bool,
    pub stopped: bool,
    pub still_open: bool,
    pub is_async: bool,
    pub with_bots: bool,
    /// `BY/REASON`, when the session closed.
    pub ended: Option<String>,
    /// The message counts and sizes of agents, customers and bots (`MESSAGE_KVPS`' order).
    pub messages: Vec<i64>,
    /// The samples of each distribution that fired, by name.
    pub samples: Vec<(&'static str, Vec<i64>)>,
}

/// The distributions of a report and the KVP whose evidence feeds each (`DISTRIBUTIONS`);
/// the first four take every interval, the others the KVP's value.
pub const DISTRIBUTIONS: [(&str, Kvp); 10] = [
    ("customer_wait", Kvp::cse_CustomerWaitTotalCount),
    ("agent_reply", Kvp::cse_AgentReplyTotalCount),
    ("agent_wait", Kvp::cse_AgentWaitTotalCount),
    ("customer_reply", Kvp::cse_CustomerReplyTotalCount),
    ("until_first_agent", Kvp::csg_SessionUntilFirstAgentTime),
    ("until_first_reply", Kvp::csg_SessionUntilFirstReplyTime),
    ("handle", Kvp::cse_SessionHandleTotalTime),
    ("active_idle", Kvp::cse_ActiveIdleTotalTime),
    ("async_dormant", Kvp::cse_AsyncDormantTotalTime),
    ("async_idle", Kvp::cse_AsyncIdleTotalTime),
];

/// The message KVPs a report adds up, in `Facts.messages` order.
pub const MESSAGE_KVPS: [Kvp; 6] = [
    Kvp::csg_MessagesFromAgentsCount,
    Kvp::csg_MessagesFromAgentsSize,
    Kvp::csg_MessagesFromCustomersCount,
    Kvp::csg_MessagesFromCustomersSize,
    Kvp::csg_MessagesFromBotsCount,
    Kvp::csg_MessagesFromBotsSize,
];

/// One transcript, parsed once, replayed under each option set: its report facts, and the
/// warnings of the first set (as `report` says them).
pub fn report_one(
    data: &[u8],
    source: &str,
    default_session_id: &str,
    option_sets: &[&Options],
    limits: Limits,
) -> Result<(Vec<Facts>, Vec<Warning>), Decline> {
    let transcript = load(data, source, default_session_id, limits)?;
    let mut found = Vec::with_capacity(option_sets.len());
    let mut warnings = None;
    for options in option_sets {
        let replay = replay::Replayer::new(&transcript, options).run()?;
        let timelines = &replay.timelines;
        let (stats, c) = families::compute_all(&transcript, timelines, options);
        warnings.get_or_insert_with(|| session_warnings(&replay, c.as_ref(), options));
        let stat = |key: Kvp| stats.iter().find(|s| s.key == key);
        let number = |key: Kvp| match stat(key).map(|s| &s.value) {
            Some(Value::Int(n)) => *n,
            _ => 0,
        };
        let per_interval = families::wait_reply_intervals(timelines);
        let mut samples = Vec::new();
        for (i, (name, key)) in DISTRIBUTIONS.iter().enumerate() {
            if !stat(*key).is_some_and(|s| s.fired) {
                continue;
            }
            let values = match per_interval.get(i) {
                Some(spans) => spans.iter().map(|s| s.ms().div_euclid(1000)).collect(),
                None => vec![number(*key)],
            };
            samples.push((*name, values));
        }
        let tenant = transcript.tenant_id.unwrap_or(options.tenant_id);
        let media_type = transcript.media_type.as_deref().filter(|m| !m.is_empty());
        found.push(Facts {
            tenant: tenant.to_string(),
            media_origin: transcript.media_origin.clone(),
            language: transcript.language_name.clone(),
            media_type: media_type.unwrap_or("chat").to_string(),
            ended_by: c.as_ref().map(|c| c.ended_by),
            started: timestamp::format_timestamp(transcript.started_ms),
            abandoned: c.as_ref().is_some_and(|c| c.abandoned),
            stopped: c.as_ref().is_some_and(|c| c.interaction_stopped),
            still_open: c.is_none(),
            is_async: transcript.is_async,
            with_bots: number(Kvp::csg_PartiesAsBotCount) != 0,
            ended: c
                .as_ref()
                .map(|c| format!("{}/{}", c.ended_by, c.ended_reason)),
            messages: MESSAGE_KVPS.iter().map(|&key| number(key)).collect(),
            samples,
        });
    }
    Ok((found, warnings.unwrap_or_default()))
}
