//! The canonical JSON transcript (`chatstats-transcript/1`), read as the Python loader reads
//! it. Only documents the Python loader accepts without a word are accepted here; anything
//! else is declined, and the Python engine then reports it with its precise error.

use serde_json::{Map, Value};

use crate::model::{
    AfterAction, CloseReason, Event, EventKind, LeaveCause, Role, Transcript, Visibility,
};
use crate::timestamp::parse_timestamp_ms;
use crate::Decline;

const FORMAT_TAG: &str = "chatstats-transcript/1";
const TOP_KEYS: [&str; 6] = [
    "format",
    "session_id",
    "started_at",
    "tenant_id",
    "user_data",
    "events",
];
const MAX_OFFSET_S: f64 = 1e10;
/// The latest instant a session may reach: 9999-10-01T00:00:00Z, in ms from the epoch.
const LATEST_MS: i64 = 253_394_352_000_000;

fn allowed_keys(kind: EventKind) -> &'static [&'static str] {
    match kind {
        EventKind::Join => &["t", "type", "party", "role", "nick", "person", "visibility"],
        EventKind::Leave => &["t", "type", "party", "after", "cause", "by"],
        EventKind::Message => &["t", "type", "party", "text", "visibility"],
        EventKind::Notice => &["t", "type", "party", "notice", "text", "visibility"],
        EventKind::Close => &["t", "type", "reason", "party"],
        EventKind::Restore => &["t", "type", "party"],
        EventKind::Route => &["t", "type"],
    }
}

fn required_keys(kind: EventKind) -> &'static [&'static str] {
    match kind {
        EventKind::Join => &["party", "role"],
        EventKind::Leave => &["party"],
        EventKind::Message => &["party", "text"],
        EventKind::Notice => &["party", "notice"],
        EventKind::Close => &["reason"],
        EventKind::Restore | EventKind::Route => &[],
    }
}

/// Load one transcript from its bytes (no BOM, no gzip: the caller checks).
pub fn load(
    data: &[u8],
    source: &str,
    default_session_id: &str,
    max_events: usize,
) -> Result<Transcript, Decline> {
    let document: Value =
        serde_json::from_slice(data).map_err(|_| Decline::new("not plainly valid JSON"))?;
    let top = document.as_object().ok_or(Decline::new("not an object"))?;
    if top.keys().any(|key| !TOP_KEYS.contains(&key.as_str())) {
        return Err(Decline::new("unknown top-level key"));
    }
    if top.get("format").and_then(Value::as_str) != Some(FORMAT_TAG) {
        return Err(Decline::new("format tag"));
    }
    let started = top
        .get("started_at")
        .and_then(Value::as_str)
        .ok_or(Decline::new("started_at"))?;
    let started_ms = parse_timestamp_ms(started).ok_or(Decline::new("timestamp form"))?;
    let session_id = match top.get("session_id") {
        None => if default_session_id.is_empty() {
            source
        } else {
            default_session_id
        }
        .to_string(),
        Some(value) => value
            .as_str()
            .ok_or(Decline::new("session_id"))?
            .to_string(),
    };
    let tenant_id = match top.get("tenant_id") {
        None => None,
        Some(value) => Some(value.as_i64().ok_or(Decline::new("tenant_id"))?),
    };
    let empty = Map::new();
    let user_data = match top.get("user_data") {
        None => &empty,
        Some(value) => value.as_object().ok_or(Decline::new("user_data"))?,
    };
    if user_data.values().any(|v| !v.is_string()) {
        return Err(Decline::new("user_data value"));
    }
    let text_of = |key: &str| {
        user_data
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let raw_events = top
        .get("events")
        .and_then(Value::as_array)
        .ok_or(Decline::new("events"))?;
    if raw_events.len() > max_events {
        return Err(Decline::new("too many events"));
    }
    let events = raw_events
        .iter()
        .enumerate()
        .map(|(index, raw)| event(raw, index))
        .collect::<Result<Vec<Event>, Decline>>()?;
    check_order_and_dates(&events, started_ms)?;
    Ok(Transcript {
        session_id,
        started_ms,
        is_async: is_async(text_of("GCTI_Chat_AsyncMode").as_deref())?,
        media_type: text_of("MediaType"),
        language_name: text_of("GCTI_LanguageName"),
        media_origin: text_of("MediaOrigin"),
        tenant_id,
        events,
    })
}

/// `GCTI_Chat_AsyncMode` stripped and lower-cased is `true`; a value outside ASCII is
/// declined (Python's notions of white space and case are wider than ASCII's).
fn is_async(value: Option<&str>) -> Result<bool, Decline> {
    let Some(text) = value else { return Ok(false) };
    if !text.is_ascii() {
        return Err(Decline::new("non-ASCII async mode"));
    }
    let python_space = |c: char| {
        matches!(
            c,
            ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c' | '\x1c'..='\x1f'
        )
    };
    Ok(text.trim_matches(python_space).eq_ignore_ascii_case("true"))
}

fn check_order_and_dates(events: &[Event], started_ms: i64) -> Result<(), Decline> {
    if events.windows(2).any(|pair| pair[1].t_ms < pair[0].t_ms) {
        return Err(Decline::new("offsets go back in time"));
    }
    let latest = events.iter().map(|e| e.t_ms).max().unwrap_or(0);
    if started_ms
        .checked_add(latest)
        .is_none_or(|end| end > LATEST_MS)
    {
        return Err(Decline::new("past year 9999"));
    }
    Ok(())
}

fn text(raw: &Map<String, Value>, key: &str) -> Result<String, Decline> {
    match raw.get(key) {
        None => Ok(String::new()),
        Some(value) => value
            .as_str()
            .map(str::to_string)
            .ok_or(Decline::new("not a string")),
    }
}

fn choice<T>(
    raw: &Map<String, Value>,
    key: &str,
    parse: fn(&str) -> Option<T>,
    default: T,
) -> Result<T, Decline> {
    match raw.get(key) {
        None => Ok(default),
        Some(value) => value
            .as_str()
            .and_then(parse)
            .ok_or(Decline::new("unknown choice")),
    }
}

fn offset_ms(raw: &Map<String, Value>) -> Result<i64, Decline> {
    let value = raw.get("t").ok_or(Decline::new("no offset"))?;
    let number = match value {
        Value::Number(number) => number,
        _ => return Err(Decline::new("offset type")),
    };
    if let Some(whole) = number.as_u64() {
        if whole as f64 > MAX_OFFSET_S {
            return Err(Decline::new("offset range"));
        }
        return Ok(whole as i64 * 1000);
    }
    if number.is_i64() {
        return Err(Decline::new("negative offset"));
    }
    let seconds = number.as_f64().ok_or(Decline::new("offset"))?;
    if !(0.0..=MAX_OFFSET_S).contains(&seconds) {
        return Err(Decline::new("offset range"));
    }
    Ok((seconds * 1000.0).round_ties_even() as i64) // Python's round(): half to even
}

fn event(raw: &Value, index: usize) -> Result<Event, Decline> {
    let raw = raw.as_object().ok_or(Decline::new("event not an object"))?;
    let kind = raw
        .get("type")
        .and_then(Value::as_str)
        .and_then(EventKind::parse)
        .ok_or(Decline::new("event type"))?;
    let allowed = allowed_keys(kind);
    if raw.keys().any(|key| !allowed.contains(&key.as_str())) {
        return Err(Decline::new("unknown event key"));
    }
    for key in required_keys(kind) {
        if !raw.get(*key).is_some_and(Value::is_string) {
            return Err(Decline::new("required key"));
        }
    }
    let t_ms = offset_ms(raw)?;
    let mut event = Event {
        index,
        t_ms,
        kind,
        party: text(raw, "party")?,
        role: None,
        visibility: choice(raw, "visibility", Visibility::parse, Visibility::All)?,
        person: text(raw, "person")?,
        text_chars: text(raw, "text")?.chars().count(),
        notice_type: text(raw, "notice")?,
        after: AfterAction::KeepAlive,
        cause: LeaveCause::Quit,
        by: text(raw, "by")?,
        by_given: raw.contains_key("by"),
        reason: None,
    };
    text(raw, "nick")?; // checked to be a string, never used
    match kind {
        EventKind::Join => event.role = Some(choice(raw, "role", Role::parse, Role::Client)?),
        EventKind::Leave => {
            event.after = choice(raw, "after", AfterAction::parse, AfterAction::KeepAlive)?;
            event.cause = choice(raw, "cause", LeaveCause::parse, LeaveCause::Quit)?;
            if (event.cause == LeaveCause::Removed) != event.by_given {
                return Err(Decline::new("'by' without 'removed'"));
            }
            if event.cause == LeaveCause::Server && event.after != AfterAction::KeepAlive {
                return Err(Decline::new("server removal with after"));
            }
        }
        EventKind::Close => {
            event.reason = Some(choice(
                raw,
                "reason",
                CloseReason::parse,
                CloseReason::Inactive,
            )?)
        }
        _ => {}
    }
    Ok(event)
}
