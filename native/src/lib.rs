//! chatstats' native replay core: Genesys XML and canonical JSON transcripts (gzip or not)
//! replayed and rendered as the Python engine (`chatstats_core.engine`, the reference) does,
//! byte for byte, for bulk work.
//!
//! One coarse call per batch (`replay_batch`, `sweep_batch`, `report_batch`) or per fitted
//! transcript (`replay_sets_batch`): the GIL is released for parsing, replay and rendering, and each
//! session comes back as its rendered text (or figures) and its warnings, or as the reason it
//! was declined. The replay's warnings are said here, as the Python engine words them; a
//! declined session is one this core does not handle (anything the Python loader would refuse
//! or warn about while loading, a party id Python's `repr` would escape in a warning, a
//! character of a text format whose printability is not known here): the caller replays it
//! with the Python engine, so the output is the same either way.

pub mod families;
pub mod load_json;
pub mod load_xml;
pub mod model;
pub mod options;
pub mod render;
pub mod replay;
pub mod timestamp;

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex, OnceLock};

use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use rayon::prelude::*;

use crate::model::Visibility;
use crate::options::{AttachLevel, NoticeFilter, Options, StopPolicy};

/// A warning the Python engine would give (`errors.ChatstatsWarning`): its `WarningCode` value,
/// its message, the event it is about and that event's source line, and whether its text names
/// the event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub code: &'static str,
    pub message: String,
    pub event: Option<usize>,
    pub line: Option<usize>,
    pub names_event: bool,
}

/// A warning as it goes to Python: `(code, message, event, line, names_event)`.
pub type WarningTuple = (&'static str, String, Option<usize>, Option<usize>, bool);

impl Warning {
    /// A warning about the session, naming no event.
    pub fn session(code: &'static str, message: String) -> Self {
        Warning {
            code,
            message,
            event: None,
            line: None,
            names_event: false,
        }
    }

    /// A warning about one event: its text starts `event N (line L): `.
    pub fn about(event: &model::Event, code: &'static str, message: String) -> Self {
        Warning {
            code,
            message,
            event: Some(event.index),
            line: event.line,
            names_event: true,
        }
    }

    /// The warning as people read it, as `ChatstatsWarning.text` gives it.
    pub fn text(&self) -> String {
        match (self.names_event, self.event, self.line) {
            (true, event, Some(line)) => {
                format!(
                    "event {} (line {line}): {}",
                    event.unwrap_or(0),
                    self.message
                )
            }
            (true, event, None) => format!("event {}: {}", event.unwrap_or(0), self.message),
            (false, _, Some(line)) => format!("line {line}: {}", self.message),
            (false, _, None) => self.message.clone(),
        }
    }

    fn into_tuple(self) -> WarningTuple {
        (
            self.code,
            self.message,
            self.event,
            self.line,
            self.names_event,
        )
    }
}

/// One replayed session: its text and its warnings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replayed {
    pub text: String,
    pub warnings: Vec<Warning>,
}

/// The work's answer, or a decline if it panicked: a bug of this core costs only its session,
/// which the Python engine then replays.
fn guarded<T>(work: impl FnOnce() -> Result<T, Decline>) -> Result<T, Decline> {
    catch_unwind(AssertUnwindSafe(work)).unwrap_or(Err(Decline::new(
        "a native core bug (the Python engine replays it)",
    )))
}

/// Why the native core left a session to the Python engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decline(pub &'static str);

impl Decline {
    pub fn new(reason: &'static str) -> Self {
        Decline(reason)
    }
}

/// The reading limits that decide whether a session is plainly within bounds.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_bytes: usize,
    pub max_events: usize,
    pub max_depth: usize,
    pub max_attribute: usize,
}

impl From<(usize, usize, usize, usize)> for Limits {
    /// Python's `Limits`: max_bytes, max_events, max_depth, max_attribute.
    fn from(
        (max_bytes, max_events, max_depth, max_attribute): (usize, usize, usize, usize),
    ) -> Self {
        Limits {
            max_bytes,
            max_events,
            max_depth,
            max_attribute,
        }
    }
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
    fn parse(text: &str) -> Option<Format> {
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
fn replay_loaded(
    transcript: &model::Transcript,
    source: &str,
    options: &Options,
    rendering: &Rendering,
) -> Result<Replayed, Decline> {
    let replay = replay::Replayer::new(transcript, options)
        .with_reporting()
        .run()?;
    let timelines = &replay.timelines;
    let mut outcome = families::compute(transcript, timelines, options);
    let warnings = session_warnings(&replay, outcome.classification.as_ref(), options);
    let reporting = reporting_events(transcript, &replay, &outcome, options);
    if !rendering.kvp_keys.is_empty() {
        outcome.kvps = rendering
            .kvp_keys
            .iter()
            .filter_map(|key| outcome.kvps.iter().find(|(k, _)| k == key).cloned())
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
fn reporting_events(
    transcript: &model::Transcript,
    replay: &replay::Replay,
    outcome: &families::Outcome,
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

/// The warnings of a session the native core replays, in the Python engine's order
/// (`engine.replay_session`): the options', the replay's (about events, dropped events), an
/// ended-by / reason pair outside the seed's table, a session still open.
fn session_warnings(
    replay: &replay::Replay,
    classification: Option<&families::Classification>,
    options: &Options,
) -> Vec<Warning> {
    let mut warnings = Vec::new();
    if options.attach_stats_rep_events != 0 && options.attach_stats_rep_place == 0 {
        warnings.push(Warning::session(
            "options",
            "settings/attach-stats-rep-events is set but settings/attach-stats-rep-place is 0: \
             reporting events need the DBID of a configured place"
                .to_string(),
        ));
    }
    warnings.extend(replay.warnings.iter().cloned());
    let timelines = &replay.timelines;
    match classification {
        Some(found) => warnings.extend(families::seed_table_warning(found, timelines)),
        None => warnings.push(Warning::session(
            "still-open",
            "session still open at end of transcript".to_string(),
        )),
    }
    warnings
}

/// Load one transcript as the Python loader would, or decline it.
pub fn load(
    data: &[u8],
    source: &str,
    default_session_id: &str,
    limits: Limits,
) -> Result<model::Transcript, Decline> {
    let unpacked;
    let data = if data.starts_with(GZIP_MAGIC) || source.ends_with(".gz") {
        unpacked = gunzip(data, limits.max_bytes)?;
        &unpacked[..]
    } else {
        data
    };
    if data.len() > limits.max_bytes {
        return Err(Decline::new("over the size limit"));
    }
    let unmarked = data.strip_prefix(b"\xef\xbb\xbf").unwrap_or(data);
    let start = unmarked
        .iter()
        .position(|b| !b" \t\r\n\x0b\x0c".contains(b));
    match start.map(|i| unmarked[i]) {
        Some(b'{') => load_json::load(unmarked, source, default_session_id, limits.max_events),
        Some(b'<') => load_xml::load(data, limits),
        _ => Err(Decline::new("neither JSON nor XML")),
    }
}

const GZIP_MAGIC: &[u8] = b"\x1f\x8b";

/// A gzip stream's content, inflated at most one byte past the size limit (a bomb stops
/// there, and the Python engine then says it is too large); anything not plainly gzip, or
/// broken, is declined.
fn gunzip(data: &[u8], max_bytes: usize) -> Result<Vec<u8>, Decline> {
    use std::io::Read;

    if !data.starts_with(GZIP_MAGIC) {
        return Err(Decline::new("named .gz, not gzip"));
    }
    let mut unpacked = Vec::new();
    flate2::read::MultiGzDecoder::new(data)
        .take(max_bytes as u64 + 1)
        .read_to_end(&mut unpacked)
        .map_err(|_| Decline::new("broken gzip data"))?;
    Ok(unpacked)
}

/// What `sweep` keeps of one session under one option set (`workflows.sweep.SessionFigures`):
/// abandoned, interaction stopped, `ended BY/REASON`, the mean KVPs and the `--kvp` values.
pub struct Figures {
    pub abandoned: bool,
    pub stopped: bool,
    pub still_open: bool,
    pub ended: Option<String>,
    pub mean_values: Vec<i64>,
    pub kvps: Vec<Option<families::Value>>,
}

/// The KVPs a sweep averages, in `workflows.sweep.MEAN_KVPS` order.
const MEAN_KVPS: [&str; 8] = [
    "cse_CustomerWaitTotalTime",
    "cse_CustomerWaitMaxTime",
    "cse_AgentReplyTotalTime",
    "cse_AgentReplyMaxTime",
    "cse_AgentWaitTotalTime",
    "cse_AgentWaitMaxTime",
    "cse_CustomerReplyTotalTime",
    "cse_CustomerReplyMaxTime",
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
        let value_of = |key: &str| stats.iter().find(|s| s.key == key).map(|s| s.value.clone());
        let number = |key: &str| match value_of(key) {
            Some(families::Value::Int(n)) => n,
            _ => 0,
        };
        found.push(Figures {
            abandoned: c.as_ref().is_some_and(|c| c.abandoned),
            stopped: c.as_ref().is_some_and(|c| c.interaction_stopped),
            still_open: c.is_none(),
            ended: c.map(|c| format!("ended {}/{}", c.ended_by, c.ended_reason)),
            mean_values: MEAN_KVPS.iter().map(|key| number(key)).collect(),
            kvps: kvp_keys.iter().map(|key| value_of(key)).collect(),
        });
    }
    Ok((transcript.session_id, found))
}

/// The option values of one replay, made once per option set from Python's `Options`.
#[pyclass(frozen, name = "Options", module = "chatstats_core._native")]
pub struct PyOptions(Options);

fn parsed<T>(value: &str, parse: fn(&str) -> Option<T>, name: &str) -> PyResult<T> {
    parse(value)
        .ok_or_else(|| pyo3::exceptions::PyValueError::new_err(format!("bad {name}: {value}")))
}

#[pymethods]
impl PyOptions {
    #[new]
    #[pyo3(signature = (*, attach_session_statistics, stop_abandoned_interaction, attach_stats_rep_events, attach_stats_rep_place, async_idle_alert, async_idle_close, async_idle_notices, inactivity_enabled, include_notices, timeout_alert, timeout_alert2, timeout_close, tenant_id, bot_gateway, coach_visibility, effective))]
    #[allow(clippy::too_many_arguments)] // one per option, by keyword
    fn new(
        attach_session_statistics: &str,
        stop_abandoned_interaction: &str,
        attach_stats_rep_events: i64,
        attach_stats_rep_place: i64,
        async_idle_alert: i64,
        async_idle_close: i64,
        async_idle_notices: &str,
        inactivity_enabled: bool,
        include_notices: &str,
        timeout_alert: i64,
        timeout_alert2: i64,
        timeout_close: i64,
        tenant_id: i64,
        bot_gateway: bool,
        coach_visibility: &str,
        effective: Vec<(String, String)>,
    ) -> PyResult<Self> {
        let attach = |text: &str| match text {
            "none" => Some(AttachLevel::None),
            "all" => Some(AttachLevel::All),
            "fired" => Some(AttachLevel::Fired),
            _ => None,
        };
        let stop = |text: &str| match text {
            "always" => Some(StopPolicy::Always),
            "never" => Some(StopPolicy::Never),
            "noagents" => Some(StopPolicy::NoAgents),
            "noanswer" => Some(StopPolicy::NoAnswer),
            _ => None,
        };
        Ok(PyOptions(Options {
            attach_session_statistics: parsed(attach_session_statistics, attach, "attach")?,
            stop_abandoned_interaction: parsed(stop_abandoned_interaction, stop, "stop")?,
            attach_stats_rep_events,
            attach_stats_rep_place,
            async_idle_alert,
            async_idle_close,
            async_idle_notices: parsed(async_idle_notices, NoticeFilter::parse, "notices")?,
            inactivity_enabled,
            include_notices: parsed(include_notices, NoticeFilter::parse, "notices")?,
            timeout_alert,
            timeout_alert2,
            timeout_close,
            tenant_id,
            bot_gateway,
            coach_visibility: parsed(coach_visibility, Visibility::parse, "visibility")?,
            effective,
        }))
    }
}

/// A batch's answer, item by item: the rendered text (None where declined), the reason it was
/// declined ("" where it was not), and its warnings (see `WarningTuple`).
type BatchAnswer = (
    Vec<Option<String>>,
    Vec<&'static str>,
    Vec<Vec<WarningTuple>>,
);

/// `work` applied to every item, the answers in the items' order: on this thread, or with
/// `threads` > 1 on a pool of that many worker threads (`--jobs N` when the native core runs;
/// the output does not depend on N).
fn in_order<T: Sync, R: Send>(
    threads: usize,
    items: &[T],
    work: impl Fn(&T) -> R + Sync + Send,
) -> Vec<R> {
    if threads <= 1 || items.len() < 2 {
        return items.iter().map(work).collect();
    }
    thread_pool(threads).install(|| items.par_iter().map(work).collect())
}

/// One pool per number of threads, made on first use and kept: a batch calls in once per
/// chunk, and making a pool each time would cost more than a chunk's work.
fn thread_pool(threads: usize) -> Arc<rayon::ThreadPool> {
    static POOLS: OnceLock<Mutex<HashMap<usize, Arc<rayon::ThreadPool>>>> = OnceLock::new();
    let mut pools = POOLS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    pools
        .entry(threads)
        .or_insert_with(|| {
            Arc::new(
                rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .expect("a thread pool"),
            )
        })
        .clone()
}

/// Replay a batch of `(bytes, source, default_session_id)` (see `BatchAnswer`).
#[pyfunction]
#[pyo3(signature = (items, options, limits, format, kvp_keys, columns, threads = 1))]
#[allow(clippy::too_many_arguments)] // the Python call's arguments, each named there
fn replay_batch(
    py: Python<'_>,
    items: Vec<(PyBackedBytes, String, String)>,
    options: &PyOptions,
    limits: (usize, usize, usize, usize),
    format: &str,
    kvp_keys: Vec<String>,
    columns: Vec<String>,
    threads: usize,
) -> PyResult<BatchAnswer> {
    let limits = Limits::from(limits);
    let format = Format::parse(format)
        .ok_or_else(|| pyo3::exceptions::PyValueError::new_err(format!("bad format: {format}")))?;
    let rendering = Rendering {
        format,
        kvp_keys,
        columns,
    };
    let options = &options.0;
    Ok(py.allow_threads(|| {
        let replays = in_order(threads, &items, |(data, source, default_id)| {
            guarded(|| replay_one(data, source, default_id, options, limits, &rendering))
        });
        let mut answer: BatchAnswer = (vec![], vec![], vec![]);
        for replayed in replays {
            push_answer(&mut answer, replayed);
        }
        answer
    }))
}

/// One replay's answer appended to a `BatchAnswer`.
fn push_answer(answer: &mut BatchAnswer, replayed: Result<Replayed, Decline>) {
    match replayed {
        Ok(replayed) => {
            answer.0.push(Some(replayed.text));
            answer.1.push("");
            let said = replayed.warnings.into_iter().map(Warning::into_tuple);
            answer.2.push(said.collect());
        }
        Err(Decline(reason)) => {
            answer.0.push(None);
            answer.1.push(reason);
            answer.2.push(vec![]);
        }
    }
}

/// What `report` keeps of one session under one option set (`workflows.report.SessionFacts`,
/// with the group's inputs in place of the group): the tenant, media origin, language, media
/// type, ended-by and start (for `--by`), abandoned, stopped, still open, async, with bots,
/// `BY/REASON`, the message counts and sizes (agents, customers, bots) and the samples of each
/// distribution.
type FactsTuple = (
    String,
    Option<String>,
    Option<String>,
    String,
    Option<&'static str>,
    String,
    (bool, bool, bool, bool, bool),
    Option<String>,
    Vec<i64>,
    Vec<(&'static str, Vec<i64>)>,
);

/// The distributions of a report and the KVP whose evidence feeds each (`DISTRIBUTIONS`);
/// the first four take every interval, the others the KVP's value.
const DISTRIBUTIONS: [(&str, &str); 10] = [
    ("customer_wait", "cse_CustomerWaitTotalCount"),
    ("agent_reply", "cse_AgentReplyTotalCount"),
    ("agent_wait", "cse_AgentWaitTotalCount"),
    ("customer_reply", "cse_CustomerReplyTotalCount"),
    ("until_first_agent", "csg_SessionUntilFirstAgentTime"),
    ("until_first_reply", "csg_SessionUntilFirstReplyTime"),
    ("handle", "cse_SessionHandleTotalTime"),
    ("active_idle", "cse_ActiveIdleTotalTime"),
    ("async_dormant", "cse_AsyncDormantTotalTime"),
    ("async_idle", "cse_AsyncIdleTotalTime"),
];

const MESSAGE_KVPS: [&str; 6] = [
    "csg_MessagesFromAgentsCount",
    "csg_MessagesFromAgentsSize",
    "csg_MessagesFromCustomersCount",
    "csg_MessagesFromCustomersSize",
    "csg_MessagesFromBotsCount",
    "csg_MessagesFromBotsSize",
];

/// One transcript, parsed once, replayed under each option set: its report facts, and the
/// warnings of the first set (as `report` says them).
pub fn report_one(
    data: &[u8],
    source: &str,
    default_session_id: &str,
    option_sets: &[&Options],
    limits: Limits,
) -> Result<(Vec<FactsTuple>, Vec<Warning>), Decline> {
    let transcript = load(data, source, default_session_id, limits)?;
    let mut found = Vec::with_capacity(option_sets.len());
    let mut warnings = None;
    for options in option_sets {
        let replay = replay::Replayer::new(&transcript, options).run()?;
        let timelines = &replay.timelines;
        let (stats, c) = families::compute_all(&transcript, timelines, options);
        warnings.get_or_insert_with(|| session_warnings(&replay, c.as_ref(), options));
        let stat = |key: &str| stats.iter().find(|s| s.key == key);
        let number = |key: &str| match stat(key).map(|s| &s.value) {
            Some(families::Value::Int(n)) => *n,
            _ => 0,
        };
        let per_interval = families::wait_reply_intervals(timelines);
        let mut samples = Vec::new();
        for (i, (name, key)) in DISTRIBUTIONS.iter().enumerate() {
            if !stat(key).is_some_and(|s| s.fired) {
                continue;
            }
            let values = match per_interval.get(i) {
                Some(spans) => spans.iter().map(|s| s.ms().div_euclid(1000)).collect(),
                None => vec![number(key)],
            };
            samples.push((*name, values));
        }
        let tenant = transcript.tenant_id.unwrap_or(options.tenant_id);
        let media_type = transcript.media_type.as_deref().filter(|m| !m.is_empty());
        found.push((
            tenant.to_string(),
            transcript.media_origin.clone(),
            transcript.language_name.clone(),
            media_type.unwrap_or("chat").to_string(),
            c.as_ref().map(|c| c.ended_by),
            timestamp::format_timestamp(transcript.started_ms),
            (
                c.as_ref().is_some_and(|c| c.abandoned),
                c.as_ref().is_some_and(|c| c.interaction_stopped),
                c.is_none(),
                transcript.is_async,
                number("csg_PartiesAsBotCount") != 0,
            ),
            c.as_ref()
                .map(|c| format!("{}/{}", c.ended_by, c.ended_reason)),
            MESSAGE_KVPS.iter().map(|key| number(key)).collect(),
            samples,
        ));
    }
    Ok((found, warnings.unwrap_or_default()))
}

/// A batch's report facts (see `FactsTuple`), each transcript parsed once, replayed under
/// every option set; or why it was declined.
#[pyfunction]
#[pyo3(signature = (items, option_sets, limits, threads = 1))]
fn report_batch(
    py: Python<'_>,
    items: Vec<(PyBackedBytes, String, String)>,
    option_sets: Vec<PyRef<'_, PyOptions>>,
    limits: (usize, usize, usize, usize),
    threads: usize,
) -> Vec<ReportAnswer> {
    let limits = Limits::from(limits);
    let sets: Vec<Options> = option_sets.iter().map(|o| o.0.clone()).collect();
    py.allow_threads(|| {
        let sets: Vec<&Options> = sets.iter().collect();
        in_order(threads, &items, |(data, source, default_id)| {
            let reported = guarded(|| report_one(data, source, default_id, &sets, limits));
            match reported {
                Ok((facts, warnings)) => {
                    let said = warnings.into_iter().map(Warning::into_tuple).collect();
                    (Some((facts, said)), "")
                }
                Err(Decline(reason)) => (None, reason),
            }
        })
    })
}

/// One item's report answer: its facts per option set and warnings, or why it was declined.
type ReportAnswer = (Option<(Vec<FactsTuple>, Vec<WarningTuple>)>, &'static str);

/// Each transcript, parsed once, replayed under every option set and rendered as one JSON line
/// per set (`diff -a/-b`'s two sides, `fit`'s candidates): per item, a `BatchAnswer` over the
/// sets. A transcript the core cannot load has every set declined with the loading's reason.
#[pyfunction]
#[pyo3(signature = (items, option_sets, limits, threads = 1))]
fn replay_sets_batch(
    py: Python<'_>,
    items: Vec<(PyBackedBytes, String, String)>,
    option_sets: Vec<PyRef<'_, PyOptions>>,
    limits: (usize, usize, usize, usize),
    threads: usize,
) -> Vec<BatchAnswer> {
    let limits = Limits::from(limits);
    let sets: Vec<Options> = option_sets.iter().map(|o| o.0.clone()).collect();
    let rendering = Rendering::default();
    py.allow_threads(|| {
        in_order(threads, &items, |(data, source, default_id)| {
            let mut answer: BatchAnswer = (vec![], vec![], vec![]);
            let transcript = load(data, source, default_id, limits);
            for options in &sets {
                let replayed = match &transcript {
                    Ok(loaded) => guarded(|| replay_loaded(loaded, source, options, &rendering)),
                    Err(declined) => Err(declined.clone()),
                };
                push_answer(&mut answer, replayed);
            }
            answer
        })
    })
}

/// One session's sweep figures as Python takes them: `(session_id, [(abandoned, stopped,
/// ended, mean values, --kvp values), ...])`, or the reason it was declined.
type SweepAnswer = Result<SweepFound, &'static str>;
type SweepFound = (String, Vec<FiguresTuple>);
type FiguresTuple = (bool, bool, bool, Option<String>, Vec<i64>, Vec<PyValue>);

/// A KVP value on its way to Python: an int, a str, or None.
#[derive(IntoPyObject)]
enum PyValue {
    Int(i64),
    Text(String),
    Absent(Option<i64>),
}

/// Sweep a batch of `(bytes, source, default_session_id)` over the option sets (see
/// `SweepAnswer`): each transcript parsed once, replayed under every set.
#[pyfunction]
#[pyo3(signature = (items, option_sets, limits, kvp_keys, threads = 1))]
fn sweep_batch(
    py: Python<'_>,
    items: Vec<(PyBackedBytes, String, String)>,
    option_sets: Vec<PyRef<'_, PyOptions>>,
    limits: (usize, usize, usize, usize),
    kvp_keys: Vec<String>,
    threads: usize,
) -> Vec<(Option<SweepFound>, &'static str)> {
    let limits = Limits::from(limits);
    let sets: Vec<Options> = option_sets.iter().map(|o| o.0.clone()).collect();
    let answers: Vec<SweepAnswer> = py.allow_threads(|| {
        let sets: Vec<&Options> = sets.iter().collect();
        in_order(threads, &items, |(data, source, default_id)| {
            let swept = guarded(|| sweep_one(data, source, default_id, &sets, limits, &kvp_keys));
            let (session_id, figures) = swept.map_err(|Decline(reason)| reason)?;
            Ok((session_id, figures.into_iter().map(figures_tuple).collect()))
        })
    });
    answers
        .into_iter()
        .map(|answer| match answer {
            Ok(found) => (Some(found), ""),
            Err(reason) => (None, reason),
        })
        .collect()
}

fn figures_tuple(f: Figures) -> FiguresTuple {
    let kvps = f
        .kvps
        .into_iter()
        .map(|value| match value {
            Some(families::Value::Int(n)) => PyValue::Int(n),
            Some(families::Value::Text(text)) => PyValue::Text(text),
            None => PyValue::Absent(None),
        })
        .collect();
    (
        f.abandoned,
        f.stopped,
        f.still_open,
        f.ended,
        f.mean_values,
        kvps,
    )
}

#[pymodule]
fn _native(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<PyOptions>()?;
    module.add_function(wrap_pyfunction!(replay_batch, module)?)?;
    module.add_function(wrap_pyfunction!(sweep_batch, module)?)?;
    module.add_function(wrap_pyfunction!(report_batch, module)?)?;
    module.add_function(wrap_pyfunction!(replay_sets_batch, module)?)?;
    module.add("ENGINE", "native")?;
    Ok(())
}
