//! One session's replay, as `chatstats_core/engine/session.py` does it: the replay, the KVP
//! families, `attach-session-statistics`, the reporting events and the warnings, then the
//! rendering the batch asked for.

use crate::errors::{Decline, Warning};
use crate::families::{self, compute_all, Classification};
use crate::kvps::Kvp;
use crate::loading::{load, Limits};
use crate::model::{self, Transcript};
use crate::options::{AttachLevel, Options};
use crate::render;
use crate::replay;
use crate::stats::{Stat, Value};
use crate::timelines::Timelines;
use crate::timestamp;

/// What one replay attaches: the KVPs (sorted by key) and the classification (None while the
/// session is open).
pub struct Outcome {
    pub kvps: Vec<(Kvp, Value)>,
    pub classification: Option<Classification>,
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

/// The KVPs attached even under `attach-session-statistics=none` (`rules.ATTACHED_UNDER_NONE`).
pub const ATTACHED_UNDER_NONE: [Kvp; 4] = [
    Kvp::ChatServerSessionStartedAt,
    Kvp::ChatServerSessionClosedAt,
    Kvp::csg_MediaType,
    Kvp::csg_TenantId,
];

pub fn attach(stats: Vec<Stat>, level: AttachLevel) -> Vec<(Kvp, Value)> {
    let mut chosen: Vec<(Kvp, Value)> = stats
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

/// One replayed session: its text and its warnings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replayed {
    pub text: String,
    pub warnings: Vec<Warning>,
}

/// The `replay --format` values the native core renders.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    #[default]
    Jsonl,
    Json,
    Kvp,
    Csv,
    Infomart,
}

impl Format {
    pub fn parse(text: &str) -> Option<Format> {
        Some(match text {
            "jsonl" => Format::Jsonl,
            "json" => Format::Json,
            "kvp" => Format::Kvp,
            "csv" => Format::Csv,
            "infomart" => Format::Infomart,
            _ => return None,
        })
    }
}

/// How one batch is rendered: the format, `--kvp` keys, and the KVP columns of csv and
/// infomart (the Python renderer's, passed in so the two never differ).
#[derive(Clone, Debug, Default)]
pub struct Rendering {
    pub format: Format,
    pub kvp_keys: Vec<String>,
    pub columns: Vec<String>,
}

/// Replay one transcript's bytes and render it; the text, or why it is left to Python.
pub fn replay_one(
    data: &[u8],
    source: &str,
    default_session_id: &str,
    options: &Options,
    limits: Limits,
    rendering: &Rendering,
) -> Result<Replayed, Decline> {
    let transcript = load(data, source, default_session_id, limits)?;
    replay_loaded(&transcript, source, options, rendering)
}

/// Replay a loaded transcript and render it.
pub fn replay_loaded(
    transcript: &model::Transcript,
    source: &str,
    options: &Options,
    rendering: &Rendering,
) -> Result<Replayed, Decline> {
    let replay = replay::Replayer::new(transcript, options)
        .with_reporting()
        .run()?;
    let timelines = &replay.timelines;
    let mut outcome = compute(transcript, timelines, options);
    let warnings = session_warnings(&replay, outcome.classification.as_ref(), options);
    let reporting = reporting_events(transcript, &replay, &outcome, options);
    if !rendering.kvp_keys.is_empty() {
        outcome.kvps = rendering
            .kvp_keys
            .iter()
            .filter_map(|key| outcome.kvps.iter().find(|(k, _)| k.name() == key).cloned())
            .collect();
    }
    let session_id = &transcript.session_id;
    let text = match rendering.format {
        Format::Jsonl | Format::Json => {
            let indented = rendering.format == Format::Json;
            render::result_json(
                session_id, source, options, &outcome, &reporting, &warnings, indented,
            )
        }
        Format::Kvp => render::result_kvp(session_id, source, &outcome)?,
        Format::Csv => render::result_csv(session_id, source, &outcome, &rendering.columns)?,
        Format::Infomart => render::result_infomart(session_id, &outcome, &rendering.columns)?,
    };
    Ok(Replayed { text, warnings })
}

/// The reporting events (`attach-stats-rep-events`): one per snapshot taken during the
/// replay, with the KVPs as of then, and the session-end one with the final KVPs.
pub fn reporting_events(
    transcript: &model::Transcript,
    replay: &replay::Replay,
    outcome: &Outcome,
    options: &Options,
) -> Vec<render::ReportingEvent> {
    let event = |trigger: replay::Trigger, t_ms: i64, kvps| render::ReportingEvent {
        t: t_ms.div_euclid(1000),
        at: timestamp::format_timestamp(transcript.started_ms + t_ms),
        trigger: trigger.value(),
        place: options.attach_stats_rep_place,
        kvps,
    };
    let mut found: Vec<render::ReportingEvent> = replay
        .snapshots
        .iter()
        .map(|snapshot| event(snapshot.trigger, snapshot.t_ms, snapshot.kvps.clone()))
        .collect();
    let session_end = replay::Trigger::SessionEnd;
    if let Some(closure) = &replay.timelines.closure {
        if options.attach_stats_rep_events & session_end.bit() != 0 {
            found.push(event(session_end, closure.t_ms, outcome.kvps.clone()));
        }
    }
    found
}

/// The warning of a session still open at the end of its transcript (`engine.STILL_OPEN`).
pub const STILL_OPEN: &str = "session still open at end of transcript";

/// The warnings of a session the native core replays, in the Python engine's order
/// (`engine.replay_session`): the options', the replay's (about events, dropped events), an
/// ended-by / reason pair outside the seed's table, a session still open.
pub fn session_warnings(
    replay: &replay::Replay,
    classification: Option<&families::Classification>,
    options: &Options,
) -> Vec<Warning> {
    let mut warnings = options.warnings.clone();
    warnings.extend(replay.warnings.iter().cloned());
    let timelines = &replay.timelines;
    match classification {
        Some(found) => warnings.extend(families::seed_table_warning(found, timelines)),
        None => warnings.push(Warning::session("still-open", STILL_OPEN.to_string())),
    }
    warnings
}
