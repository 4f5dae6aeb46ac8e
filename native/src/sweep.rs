//! What `sweep` needs of one transcript (`chatstats_core/workflows/sweep.py`): parsed once,
//! replayed under every option set, its figures under each.

use std::collections::BTreeMap;

use pyo3::pyclass;

use crate::errors::Decline;
use crate::families;
use crate::kvps::Kvp;
use crate::loading::{load, Limits};
use crate::options::{Options, TimelineKey};
use crate::replay;
use crate::stats::{total_and_longest, Value};
use crate::timelines::Timelines;

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
/// Option sets that differ only in what the replay pass does not read share its timelines,
/// and then (the waits and replies depending on the timelines alone) their mean values; with
/// no `--kvp`, only the figures a sweep shows are computed, not every KVP.
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
    let mut replayed: Vec<(TimelineKey, Timelines, Vec<i64>)> = Vec::new();
    for options in option_sets {
        let key = options.timeline_key();
        let at = match replayed.iter().position(|(known, _, _)| *known == key) {
            Some(at) => at,
            None => {
                let timelines = replay::Replayer::new(&transcript, options).run()?.timelines;
                let means = mean_values(&timelines);
                replayed.push((key, timelines, means));
                replayed.len() - 1
            }
        };
        let (_, timelines, means) = &replayed[at];
        let (c, kvps) = if kvp_keys.is_empty() {
            let c = timelines
                .closure
                .as_ref()
                .map(|closure| families::classify(timelines, closure, options));
            (c, Vec::new())
        } else {
            let (stats, c) = families::compute_all(&transcript, timelines, options);
            let value_of = |key: Kvp| stats.iter().find(|s| s.key == key).map(|s| s.value.clone());
            let kvps = kvp_keys
                .iter()
                .map(|key| Kvp::named(key).and_then(value_of))
                .collect();
            (c, kvps)
        };
        found.push(Figures {
            abandoned: c.as_ref().is_some_and(|c| c.abandoned),
            stopped: c.as_ref().is_some_and(|c| c.interaction_stopped),
            still_open: c.is_none(),
            ended: c.map(|c| format!("ended {}/{}", c.ended_by, c.ended_reason)),
            mean_values: means.clone(),
            kvps,
        });
    }
    Ok((transcript.session_id, found))
}

/// The [`MEAN_KVPS`] of a replay: each wait and reply family's total and longest time, as
/// `stats::triple` gives them.
fn mean_values(timelines: &Timelines) -> Vec<i64> {
    let intervals = families::wait_reply_intervals(timelines);
    let mut values = Vec::with_capacity(MEAN_KVPS.len());
    for spans in &intervals {
        let (total, longest) = total_and_longest(spans);
        values.extend([total, longest]);
    }
    values
}

/// One option set's sums over sessions (`workflows.sweep._RowSums` without `--kvp`): how many
/// were abandoned, stopped, still open, ended each way, and the sums of the mean KVPs.
#[derive(Clone, Debug, Default)]
pub struct SetSums {
    pub abandoned: i64,
    pub stopped: i64,
    pub still_open: i64,
    pub ended: BTreeMap<String, i64>,
    pub mean_sums: Vec<i64>,
}

impl SetSums {
    /// One session's figures under this set, added.
    pub fn add(&mut self, figures: &Figures) {
        self.abandoned += i64::from(figures.abandoned);
        self.stopped += i64::from(figures.stopped);
        self.still_open += i64::from(figures.still_open);
        if let Some(ended) = &figures.ended {
            *self.ended.entry(ended.clone()).or_default() += 1;
        }
        if self.mean_sums.is_empty() {
            self.mean_sums = vec![0; figures.mean_values.len()];
        }
        for (sum, value) in self.mean_sums.iter_mut().zip(&figures.mean_values) {
            *sum += value;
        }
    }
}

/// Each option set's sums over a batch's sweeps (in the sets' order), how many sessions were
/// summed, and the index and reason of each one declined.
pub fn sum_sets(
    swept: Vec<Result<(String, Vec<Figures>), Decline>>,
    sets: usize,
) -> (usize, Vec<SetSums>, Vec<(usize, &'static str)>) {
    let mut sums = vec![SetSums::default(); sets];
    let (mut sessions, mut declined) = (0, Vec::new());
    for (index, answer) in swept.into_iter().enumerate() {
        match answer {
            Ok((_, figures)) => {
                sessions += 1;
                for (sum, one) in sums.iter_mut().zip(&figures) {
                    sum.add(one);
                }
            }
            Err(Decline(reason)) => declined.push((index, reason)),
        }
    }
    (sessions, sums, declined)
}
