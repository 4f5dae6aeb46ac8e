//! What `sweep` needs of one transcript (`chatstats_core/workflows/sweep.py`): parsed once,
//! replayed under every option set, its figures under each.

use pyo3::pyclass;

use crate::errors::Decline;
use crate::families;
use crate::kvps::Kvp;
use crate::loading::{load, Limits};
use crate::options::Options;
use crate::replay;
use crate::stats::Value;

/// What `sweep` keeps of one session under one option set (`workflows.sweep.SessionFigures`):
/// abandoned, interaction stopped, `ended BY/REASON`, the mean KVPs and the `--kvp` values.
#[pyclass(frozen, get_all, module = "chatstats_core._native")]
#[derive(Clone, Debug)]
pub struct Figures {
    pub abandoned: bool,
    pub stopped: bool,
    pub still_open: bool,
    pub ended: Option<String>,
    pub mean_values: Vec<i64>,
    pub kvps: Vec<Option<Value>>,
}

/// The KVPs a sweep averages, in `workflows.sweep.MEAN_KVPS` order.
pub const MEAN_KVPS: [Kvp; 8] = [
    Kvp::cse_CustomerWaitTotalTime,
    Kvp::cse_CustomerWaitMaxTime,
    Kvp::cse_AgentReplyTotalTime,
    Kvp::cse_AgentReplyMaxTime,
    Kvp::cse_AgentWaitTotalTime,
    Kvp::cse_AgentWaitMaxTime,
    Kvp::cse_CustomerReplyTotalTime,
    Kvp::cse_CustomerReplyMaxTime,
];

/// One transcript, parsed once, replayed under every option set: its session id and figures.
pub fn sweep_one(
    data: &[u8],
    source: &str,
    default_session_id: &str,
    option_sets: &[&Options],
    limits: Limits,
    kvp_keys: &[String],
) -> Result<(String, Vec<Figures>), Decline> {
    let transcript = load(data, source, default_session_id, limits)?;
    let mut found = Vec::with_capacity(option_sets.len());
    for options in option_sets {
        let timelines = replay::Replayer::new(&transcript, options).run()?.timelines;
        let (stats, c) = families::compute_all(&transcript, &timelines, options);
        let value_of = |key: Kvp| stats.iter().find(|s| s.key == key).map(|s| s.value.clone());
        let number = |key: Kvp| match value_of(key) {
            Some(Value::Int(n)) => n,
            _ => 0,
        };
        found.push(Figures {
            abandoned: c.as_ref().is_some_and(|c| c.abandoned),
            stopped: c.as_ref().is_some_and(|c| c.interaction_stopped),
            still_open: c.is_none(),
            ended: c.map(|c| format!("ended {}/{}", c.ended_by, c.ended_reason)),
            mean_values: MEAN_KVPS.iter().map(|&key| number(key)).collect(),
            kvps: kvp_keys
                .iter()
                .map(|key| Kvp::named(key).and_then(value_of))
                .collect(),
        });
    }
    Ok((transcript.session_id, found))
}
