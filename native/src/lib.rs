//! chatstats' native replay core: Genesys XML and canonical JSON transcripts (gzip or not)
//! replayed and rendered as the Python engine (`chatstats_core.engine`, the reference) does,
//! byte for byte, for bulk work. This file is only the PyO3 glue; the modules mirror the
//! Python engine's, file for file (docs/development.md).
//!
//! One coarse call per batch (`replay_batch`, `sweep_batch`, `report_batch`) or per fitted
//! transcript (`replay_sets_batch`): the GIL is released for parsing, replay and rendering, and
//! each session comes back as one typed answer (`Replay`, `Swept`, `Reported`): its rendered
//! text (or figures) and its warnings, or the reason it was declined. The replay's warnings are
//! said here, as the Python engine words them; a declined session is one this core does not
//! handle (anything the Python loader would refuse or warn about while loading, a party id
//! Python's `repr` would escape in a warning, a character of a text format whose printability
//! is not known here): the caller replays it with the Python engine, so the output is the same
//! either way. `chatstats_core/_native.pyi` describes this module to mypy.

pub mod errors;
pub mod families;
pub mod inputs;
pub mod kvps;
pub mod load_json;
pub mod load_xml;
pub mod loading;
pub mod model;
pub mod options;
pub mod render;
pub mod replay;
pub mod report;
pub mod session;
pub mod stats;
pub mod sweep;
pub mod timelines;
pub mod timers;
pub mod timestamp;

use std::borrow::Cow;
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use pyo3::types::{PyBool, PyBytes, PyDict, PyInt, PyString};
use rayon::prelude::*;

use crate::errors::{Decline, Warning};
use crate::inputs::{read_file, Handover, JsonLines, Line, READ_IN_PYTHON};
use crate::kvps::Kvp;
use crate::loading::{load, Limits};
use crate::model::Visibility;
use crate::options::{AttachLevel, NoticeFilter, Options, StopPolicy};
use crate::report::{report_one, Facts};
use crate::session::{replay_loaded, replay_one, Format, Rendering, Replayed};
use crate::stats::Value;
use crate::sweep::{sum_sets, sweep_one, Figures, SetSums};

/// The work's answer, or a decline if it panicked: a bug of this core costs only its session,
/// which the Python engine then replays.
fn guarded<T>(work: impl FnOnce() -> Result<T, Decline>) -> Result<T, Decline> {
    catch_unwind(AssertUnwindSafe(work)).unwrap_or(Err(Decline::new(
        "a native core bug (the Python engine replays it)",
    )))
}

/// An enum option's value (`.value` of the Python enum), parsed.
fn choice<T>(options: &Bound<'_, PyAny>, name: &str, parse: fn(&str) -> Option<T>) -> PyResult<T> {
    let value: String = options.getattr(name)?.getattr("value")?.extract()?;
    parse(&value).ok_or_else(|| PyValueError::new_err(format!("bad {name}: {value}")))
}

fn attach_level(text: &str) -> Option<AttachLevel> {
    Some(match text {
        "none" => AttachLevel::None,
        "all" => AttachLevel::All,
        "fired" => AttachLevel::Fired,
        _ => return None,
    })
}

fn stop_policy(text: &str) -> Option<StopPolicy> {
    Some(match text {
        "always" => StopPolicy::Always,
        "never" => StopPolicy::Never,
        "noagents" => StopPolicy::NoAgents,
        "noanswer" => StopPolicy::NoAnswer,
        _ => return None,
    })
}

/// An option's value as orjson writes it in the output's `options` (a bool, an int or a str).
fn option_json(value: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(flag) = value.downcast::<PyBool>() {
        return Ok(if flag.is_true() { "true" } else { "false" }.to_string());
    }
    if let Ok(number) = value.downcast::<PyInt>() {
        return Ok(number.extract::<i64>()?.to_string());
    }
    let text = value.downcast::<PyString>()?.to_cow()?;
    Ok(render::json_string(&text))
}

impl<'py> FromPyObject<'py> for Options {
    /// Read from `chatstats_core.engine.options.Options` itself: its fields, its `effective()`
    /// values (the output's `options`) and its `warnings()`.
    fn extract_bound(options: &Bound<'py, PyAny>) -> PyResult<Self> {
        let int = |name: &str| options.getattr(name)?.extract::<i64>();
        let flag = |name: &str| options.getattr(name)?.extract::<bool>();
        let effective = options.call_method0("effective")?;
        let effective = effective.downcast::<PyDict>()?;
        let mut shown = Vec::with_capacity(effective.len());
        for (key, value) in effective.iter() {
            shown.push((key.extract::<String>()?, option_json(&value)?));
        }
        let mut warnings = Vec::new();
        for warning in options.call_method0("warnings")?.try_iter()? {
            let warning = warning?;
            let code: String = warning.getattr("code")?.getattr("value")?.extract()?;
            let message: String = warning.getattr("message")?.extract()?;
            let mut said = Warning::session("options", message);
            said.code = Cow::Owned(code);
            warnings.push(said);
        }
        Ok(Options {
            attach_session_statistics: choice(options, "attach_session_statistics", attach_level)?,
            stop_abandoned_interaction: choice(options, "stop_abandoned_interaction", stop_policy)?,
            attach_stats_rep_events: int("attach_stats_rep_events")?,
            attach_stats_rep_place: int("attach_stats_rep_place")?,
            async_idle_alert: int("async_idle_alert")?,
            async_idle_close: int("async_idle_close")?,
            async_idle_notices: choice(options, "async_idle_notices", NoticeFilter::parse)?,
            inactivity_enabled: flag("inactivity_enabled")?,
            include_notices: choice(options, "include_notices", NoticeFilter::parse)?,
            timeout_alert: int("timeout_alert")?,
            timeout_alert2: int("timeout_alert2")?,
            timeout_close: int("timeout_close")?,
            tenant_id: int("tenant_id")?,
            bot_gateway: flag("bot_gateway")?,
            coach_visibility: choice(options, "coach_visibility", Visibility::parse)?,
            effective: shown,
            warnings,
        })
    }
}

impl<'py> FromPyObject<'py> for Limits {
    /// Read from `chatstats_core.transcript.limits.Limits`.
    fn extract_bound(limits: &Bound<'py, PyAny>) -> PyResult<Self> {
        let size = |name: &str| limits.getattr(name)?.extract::<usize>();
        Ok(Limits {
            max_bytes: size("max_bytes")?,
            max_events: size("max_events")?,
            max_depth: size("max_depth")?,
            max_attribute: size("max_attribute")?,
        })
    }
}

/// A warning as Python reads it (`errors.ChatstatsWarning`'s fields).
#[pyclass(frozen, get_all, module = "chatstats_core._native")]
#[derive(Clone, Debug)]
pub struct NativeWarning {
    code: String,
    message: String,
    event: Option<usize>,
    line: Option<usize>,
    names_event: bool,
}

impl From<Warning> for NativeWarning {
    fn from(warning: Warning) -> Self {
        NativeWarning {
            code: warning.code.into_owned(),
            message: warning.message,
            event: warning.event,
            line: warning.line,
            names_event: warning.names_event,
        }
    }
}

fn said(warnings: Vec<Warning>) -> Vec<NativeWarning> {
    warnings.into_iter().map(NativeWarning::from).collect()
}

/// One session replayed and rendered: its text and warnings, or (`text` None) why the native
/// core declined it.
#[pyclass(frozen, get_all, name = "Replay", module = "chatstats_core._native")]
pub struct ReplayAnswer {
    text: Option<String>,
    declined: &'static str,
    warnings: Vec<NativeWarning>,
}

impl From<Result<Replayed, Decline>> for ReplayAnswer {
    fn from(replayed: Result<Replayed, Decline>) -> Self {
        match replayed {
            Ok(replayed) => ReplayAnswer {
                text: Some(replayed.text),
                declined: "",
                warnings: said(replayed.warnings),
            },
            Err(Decline(reason)) => ReplayAnswer {
                text: None,
                declined: reason,
                warnings: vec![],
            },
        }
    }
}

/// One session swept: its id and its figures under each option set, or why it was declined.
#[pyclass(frozen, get_all, name = "Swept", module = "chatstats_core._native")]
pub struct SweptAnswer {
    session_id: Option<String>,
    figures: Vec<Figures>,
    declined: &'static str,
}

impl From<Result<(String, Vec<Figures>), Decline>> for SweptAnswer {
    fn from(swept: Result<(String, Vec<Figures>), Decline>) -> Self {
        match swept {
            Ok((session_id, figures)) => SweptAnswer {
                session_id: Some(session_id),
                figures,
                declined: "",
            },
            Err(Decline(reason)) => SweptAnswer {
                session_id: None,
                figures: vec![],
                declined: reason,
            },
        }
    }
}

/// One session's report facts under each option set and its warnings, or why it was declined.
#[pyclass(frozen, get_all, name = "Reported", module = "chatstats_core._native")]
pub struct ReportedAnswer {
    facts: Vec<Facts>,
    warnings: Vec<NativeWarning>,
    declined: &'static str,
}

impl From<Result<(Vec<Facts>, Vec<Warning>), Decline>> for ReportedAnswer {
    fn from(reported: Result<(Vec<Facts>, Vec<Warning>), Decline>) -> Self {
        match reported {
            Ok((facts, warnings)) => ReportedAnswer {
                facts,
                warnings: said(warnings),
                declined: "",
            },
            Err(Decline(reason)) => ReportedAnswer {
                facts: vec![],
                warnings: vec![],
                declined: reason,
            },
        }
    }
}

impl<'py> IntoPyObject<'py> for Value {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = std::convert::Infallible;

    /// A KVP value as Python holds it: an int or a str.
    fn into_pyobject(self, py: Python<'py>) -> Result<Self::Output, Self::Error> {
        Ok(match self {
            Value::Int(n) => n.into_pyobject(py)?.into_any(),
            Value::Text(text) => text.into_pyobject(py)?.into_any(),
        })
    }
}

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

/// How a batch is rendered: the format (a `replay --format` value), `--kvp` and the KVP
/// columns of csv and infomart.
fn rendering(format: &str, kvp_keys: Vec<String>, columns: Vec<String>) -> PyResult<Rendering> {
    let format = Format::parse(format)
        .ok_or_else(|| PyValueError::new_err(format!("bad format: {format}")))?;
    Ok(Rendering {
        format,
        kvp_keys,
        columns,
    })
}

/// A transcript as the batch hands it over: its bytes, or the file to read them from (found
/// in a folder or not), its source and its default session id.
#[derive(FromPyObject)]
struct Item(Option<PyBackedBytes>, Option<PathBuf>, String, String, bool);

impl Item {
    /// The transcript's bytes (given, or read from its file within the limits, else declined
    /// and the Python reader reads it), its source and its default session id.
    fn read(&self, limits: Limits) -> Result<(Cow<'_, [u8]>, &str, &str), Decline> {
        let data = match (&self.0, &self.1) {
            (Some(data), _) => Cow::Borrowed(&data[..]),
            (None, Some(path)) => Cow::Owned(read_file(path, limits.max_bytes, self.4)?),
            (None, None) => return Err(Decline::new(READ_IN_PYTHON)),
        };
        Ok((data, &self.2, &self.3))
    }
}

/// Replay and render a batch, one `Replay` per item, in order.
#[pyfunction]
#[pyo3(signature = (items, options, limits, format, kvp_keys, columns, threads = 1))]
#[allow(clippy::too_many_arguments)] // the Python call's arguments, each named there
fn replay_batch(
    py: Python<'_>,
    items: Vec<Item>,
    options: Options,
    limits: Limits,
    format: &str,
    kvp_keys: Vec<String>,
    columns: Vec<String>,
    threads: usize,
) -> PyResult<Vec<ReplayAnswer>> {
    let rendering = rendering(format, kvp_keys, columns)?;
    Ok(py.allow_threads(|| {
        in_order(threads, &items, |item| {
            guarded(|| {
                let (data, source, default_id) = item.read(limits)?;
                replay_one(&data, source, default_id, &options, limits, &rendering)
            })
            .into()
        })
    }))
}

/// Each transcript parsed once, replayed under every option set and rendered as one JSON line
/// per set (`diff -a/-b`'s two sides, `fit`'s candidates): per item, one `Replay` per set. A
/// transcript the core cannot load has every set declined with the loading's reason.
#[pyfunction]
#[pyo3(signature = (items, option_sets, limits, threads = 1))]
fn replay_sets_batch(
    py: Python<'_>,
    items: Vec<Item>,
    option_sets: Vec<Options>,
    limits: Limits,
    threads: usize,
) -> Vec<Vec<ReplayAnswer>> {
    let rendering = Rendering::default();
    py.allow_threads(|| {
        in_order(threads, &items, |item| {
            let transcript = item
                .read(limits)
                .and_then(|(data, source, default_id)| load(&data, source, default_id, limits));
            let replayed = |options| match &transcript {
                Ok(loaded) => guarded(|| replay_loaded(loaded, &item.2, options, &rendering)),
                Err(declined) => Err(declined.clone()),
            };
            option_sets
                .iter()
                .map(|options| replayed(options).into())
                .collect()
        })
    })
}

/// Sweep a batch over the option sets, one `Swept` per item: each transcript parsed once,
/// replayed under every set.
#[pyfunction]
#[pyo3(signature = (items, option_sets, limits, kvp_keys, threads = 1))]
fn sweep_batch(
    py: Python<'_>,
    items: Vec<Item>,
    option_sets: Vec<Options>,
    limits: Limits,
    kvp_keys: Vec<String>,
    threads: usize,
) -> Vec<SweptAnswer> {
    py.allow_threads(|| {
        let sets: Vec<&Options> = option_sets.iter().collect();
        in_order(threads, &items, |item| {
            guarded(|| {
                let (data, source, default_id) = item.read(limits)?;
                sweep_one(&data, source, default_id, &sets, limits, &kvp_keys)
            })
            .into()
        })
    })
}

/// One option set's sums over a chunk, as Python reads them (`sweep.rs: SetSums`; `ended` by
/// name, in name order).
#[pyclass(frozen, get_all, name = "SetSums", module = "chatstats_core._native")]
#[derive(Clone)]
pub struct SetSumsAnswer {
    abandoned: i64,
    stopped: i64,
    still_open: i64,
    ended: Vec<(String, i64)>,
    mean_sums: Vec<i64>,
}

impl From<SetSums> for SetSumsAnswer {
    fn from(sums: SetSums) -> Self {
        SetSumsAnswer {
            abandoned: sums.abandoned,
            stopped: sums.stopped,
            still_open: sums.still_open,
            ended: sums.ended.into_iter().collect(),
            mean_sums: sums.mean_sums,
        }
    }
}

/// A chunk swept and summed: how many sessions, each option set's sums over them, and the
/// items declined (their index in the chunk, and why), which the Python engine sweeps.
#[pyclass(frozen, get_all, name = "SweepSums", module = "chatstats_core._native")]
pub struct SweepSumsAnswer {
    sessions: usize,
    sets: Vec<SetSumsAnswer>,
    declined: Vec<(usize, &'static str)>,
}

/// Sweep a batch over the option sets and sum each set's figures over it (a sweep without
/// `--kvp`, whose rows are sums): one `SweepSums` for the whole batch.
#[pyfunction]
#[pyo3(signature = (items, option_sets, limits, threads = 1))]
fn sweep_tally(
    py: Python<'_>,
    items: Vec<Item>,
    option_sets: Vec<Options>,
    limits: Limits,
    threads: usize,
) -> SweepSumsAnswer {
    py.allow_threads(|| {
        let sets: Vec<&Options> = option_sets.iter().collect();
        let swept = in_order(threads, &items, |item| {
            guarded(|| {
                let (data, source, default_id) = item.read(limits)?;
                sweep_one(&data, source, default_id, &sets, limits, &[])
            })
        });
        let (sessions, sums, declined) = sum_sets(swept, sets.len());
        SweepSumsAnswer {
            sessions,
            sets: sums.into_iter().map(SetSumsAnswer::from).collect(),
            declined,
        }
    })
}

/// A batch's report facts, one `Reported` per item: each transcript parsed once, replayed
/// under every option set.
#[pyfunction]
#[pyo3(signature = (items, option_sets, limits, threads = 1))]
fn report_batch(
    py: Python<'_>,
    items: Vec<Item>,
    option_sets: Vec<Options>,
    limits: Limits,
    threads: usize,
) -> Vec<ReportedAnswer> {
    py.allow_threads(|| {
        let sets: Vec<&Options> = option_sets.iter().collect();
        in_order(threads, &items, |item| {
            guarded(|| {
                let (data, source, default_id) = item.read(limits)?;
                report_one(&data, source, default_id, &sets, limits)
            })
            .into()
        })
    })
}

/// Sessions replayed in a row: their texts joined (with the format's separator between them),
/// how many, and the warnings of those that have any, by source.
#[pyclass(frozen, get_all, name = "Run", module = "chatstats_core._native")]
pub struct RunAnswer {
    text: String,
    sessions: usize,
    warned: Vec<(String, Vec<NativeWarning>)>,
}

/// A line the native core declined: the item the Python engine replays in its place.
#[pyclass(frozen, get_all, name = "Declined", module = "chatstats_core._native")]
pub struct DeclinedAnswer {
    source: String,
    data: Py<PyBytes>,
    default_session_id: String,
    reason: &'static str,
}

/// A line the Python reader reads (over the size limit, or unreadable here): where it starts.
#[pyclass(frozen, get_all, name = "Handover", module = "chatstats_core._native")]
pub struct HandoverAnswer {
    offset: u64,
    number: usize,
}

/// One piece of a chunk, before it goes to Python.
enum Piece {
    Run(String, usize, Vec<(String, Vec<NativeWarning>)>),
    Declined(String, Vec<u8>, String, &'static str),
    Handover(Handover),
}

/// A JSON Lines file replayed and rendered by the native core, a chunk at a time, in order:
/// `next_chunk` reads, replays (on `threads` worker threads, the GIL released) and renders up
/// to `most` lines, and answers the chunk's pieces in input order (`Run`, `Declined`,
/// `Handover`); an empty list when the file is done.
#[pyclass(module = "chatstats_core._native")]
pub struct JsonLinesStream {
    lines: Mutex<JsonLines>,
    source: String,
    stem: String,
    options: Options,
    limits: Limits,
    rendering: Rendering,
    separator: String,
    threads: usize,
}

#[pymethods]
impl JsonLinesStream {
    #[new]
    #[pyo3(signature = (path, offset, number, source, stem, options, limits, format, kvp_keys, columns, separator, threads = 1))]
    #[allow(clippy::too_many_arguments)] // the Python call's arguments, each named there
    fn new(
        path: PathBuf,
        offset: u64,
        number: usize,
        source: String,
        stem: String,
        options: Options,
        limits: Limits,
        format: &str,
        kvp_keys: Vec<String>,
        columns: Vec<String>,
        separator: String,
        threads: usize,
    ) -> PyResult<Self> {
        let lines = JsonLines::open(&path, offset, number, limits.max_bytes)?;
        Ok(JsonLinesStream {
            lines: Mutex::new(lines),
            source,
            stem,
            options,
            limits,
            rendering: rendering(format, kvp_keys, columns)?,
            separator,
            threads,
        })
    }

    /// The next chunk's pieces, in input order (see the class).
    fn next_chunk(&self, py: Python<'_>, most: usize) -> PyResult<Vec<PyObject>> {
        let pieces = py.allow_threads(|| self.replay_next(most));
        pieces
            .into_iter()
            .map(|piece| {
                Ok(match piece {
                    Piece::Run(text, sessions, warned) => RunAnswer {
                        text,
                        sessions,
                        warned,
                    }
                    .into_pyobject(py)?
                    .into_any()
                    .unbind(),
                    Piece::Declined(source, data, default_session_id, reason) => DeclinedAnswer {
                        source,
                        data: PyBytes::new(py, &data).unbind(),
                        default_session_id,
                        reason,
                    }
                    .into_pyobject(py)?
                    .into_any()
                    .unbind(),
                    Piece::Handover(at) => HandoverAnswer {
                        offset: at.offset,
                        number: at.number,
                    }
                    .into_pyobject(py)?
                    .into_any()
                    .unbind(),
                })
            })
            .collect()
    }
}

impl JsonLinesStream {
    /// Read up to `most` lines, replay them, and cut the answers into pieces.
    fn replay_next(&self, most: usize) -> Vec<Piece> {
        let (lines, handover) = self
            .lines
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .next_lines(most);
        let named: Vec<(Line, String, String)> = lines
            .into_iter()
            .map(|line| {
                let source = format!("{}:{}", self.source, line.number);
                let default_id = format!("{}-{}", self.stem, line.number);
                (line, source, default_id)
            })
            .collect();
        let replays = in_order(self.threads, &named, |(line, source, default_id)| {
            guarded(|| {
                replay_one(
                    &line.data,
                    source,
                    default_id,
                    &self.options,
                    self.limits,
                    &self.rendering,
                )
            })
        });
        let mut pieces = Vec::new();
        let mut run = (String::new(), 0, Vec::new());
        for ((line, source, default_id), replayed) in named.into_iter().zip(replays) {
            match replayed {
                Ok(replayed) => {
                    if run.1 > 0 {
                        run.0.push_str(&self.separator);
                    }
                    run.0.push_str(&replayed.text);
                    run.1 += 1;
                    if !replayed.warnings.is_empty() {
                        run.2.push((source, said(replayed.warnings)));
                    }
                }
                Err(Decline(reason)) => {
                    if run.1 > 0 {
                        let done = std::mem::take(&mut run);
                        pieces.push(Piece::Run(done.0, done.1, done.2));
                    }
                    pieces.push(Piece::Declined(source, line.data, default_id, reason));
                }
            }
        }
        if run.1 > 0 {
            pieces.push(Piece::Run(run.0, run.1, run.2));
        }
        pieces.extend(handover.map(Piece::Handover));
        pieces
    }
}

fn names(kvps: &[Kvp]) -> Vec<&'static str> {
    kvps.iter().map(|kvp| kvp.name()).collect()
}

#[pymodule]
fn _native(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<NativeWarning>()?;
    module.add_class::<ReplayAnswer>()?;
    module.add_class::<SweptAnswer>()?;
    module.add_class::<ReportedAnswer>()?;
    module.add_class::<Figures>()?;
    module.add_class::<RunAnswer>()?;
    module.add_class::<DeclinedAnswer>()?;
    module.add_class::<HandoverAnswer>()?;
    module.add_class::<JsonLinesStream>()?;
    module.add_class::<Facts>()?;
    module.add_function(wrap_pyfunction!(replay_batch, module)?)?;
    module.add_function(wrap_pyfunction!(sweep_batch, module)?)?;
    module.add_function(wrap_pyfunction!(sweep_tally, module)?)?;
    module.add_class::<SetSumsAnswer>()?;
    module.add_class::<SweepSumsAnswer>()?;
    module.add_function(wrap_pyfunction!(report_batch, module)?)?;
    module.add_function(wrap_pyfunction!(replay_sets_batch, module)?)?;
    module.add("ENGINE", "native")?;
    // The constants the two engines share, for the test that checks them against Python's.
    module.add("KVP_NAMES", names(Kvp::ALL))?;
    module.add("CLOSURE_KVPS", names(&replay::CLOSURE_KVPS))?;
    module.add("ATTACHED_UNDER_NONE", names(&session::ATTACHED_UNDER_NONE))?;
    module.add("MEAN_KVPS", names(&sweep::MEAN_KVPS))?;
    module.add("MESSAGE_KVPS", names(&report::MESSAGE_KVPS))?;
    let distributions: Vec<(&str, &str)> = report::DISTRIBUTIONS
        .iter()
        .map(|(name, kvp)| (*name, kvp.name()))
        .collect();
    module.add("DISTRIBUTIONS", distributions)?;
    module.add("STILL_OPEN", session::STILL_OPEN)?;
    Ok(())
}
