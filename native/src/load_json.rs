//! The canonical JSON transcript (`chatstats-transcript/1`), read as the Python loader reads
//! it. Only documents the Python loader accepts without a word are accepted here; anything
//! else is declined, and the Python engine then reports it with its precise error.

use std::borrow::Cow;
use std::collections::HashMap;

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Number;

use crate::errors::Decline;
use crate::model::{
    AfterAction, CloseReason, Event, EventKind, LeaveCause, Role, Transcript, Visibility,
};
use crate::timestamp::parse_timestamp_ms;

const FORMAT_TAG: &str = "chatstats-transcript/1";
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

/// A key's value that must be there when the key is (JSON `null` is refused, as Python does).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// A string value, borrowed from the input when it has no escapes; `null` is refused.
fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Cow<'de, str>>, D::Error> {
    struct Text;
    impl<'de> Visitor<'de> for Text {
        type Value = Cow<'de, str>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
            Ok(Cow::Borrowed(v))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Cow::Owned(v.to_string()))
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
            Ok(Cow::Owned(v))
        }
    }
    d.deserialize_str(Text).map(Some)
}

/// The top of a transcript document, read straight into borrowed text (no copy of a string
/// without escapes). An unknown or repeated key, or a value of the wrong type, fails to
/// deserialize: the session is then declined (Python reports it, or, for a repeated key,
/// keeps the last value as orjson does).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTranscript<'a> {
    #[serde(borrow)]
    format: Cow<'a, str>,
    #[serde(borrow, default, deserialize_with = "text")]
    session_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    started_at: Cow<'a, str>,
    #[serde(default, deserialize_with = "present")]
    tenant_id: Option<i64>,
    #[serde(default, deserialize_with = "present")]
    user_data: Option<HashMap<String, String>>,
    #[serde(borrow)]
    events: Vec<RawEvent<'a>>,
}

/// One event as written: every key any event type may have; which ones its type allows is
/// checked after.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvent<'a> {
    #[serde(default, deserialize_with = "present")]
    t: Option<Number>,
    #[serde(rename = "type", borrow)]
    kind: Cow<'a, str>,
    #[serde(borrow, default, deserialize_with = "text")]
    party: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "text")]
    role: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "text")]
    nick: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "text")]
    person: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "text")]
    visibility: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "text")]
    text: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "text")]
    notice: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "text")]
    after: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "text")]
    cause: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "text")]
    by: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "text")]
    reason: Option<Cow<'a, str>>,
}

impl RawEvent<'_> {
    /// The keys this event has, besides `t` and `type`.
    fn present_keys(&self) -> impl Iterator<Item = &'static str> + '_ {
        [
            ("party", self.party.is_some()),
            ("role", self.role.is_some()),
            ("nick", self.nick.is_some()),
            ("person", self.person.is_some()),
            ("visibility", self.visibility.is_some()),
            ("text", self.text.is_some()),
            ("notice", self.notice.is_some()),
            ("after", self.after.is_some()),
            ("cause", self.cause.is_some()),
            ("by", self.by.is_some()),
            ("reason", self.reason.is_some()),
        ]
        .into_iter()
        .filter_map(|(key, present)| present.then_some(key))
    }
}

/// Load one transcript from its bytes (no BOM, no gzip: the caller checks).
pub fn load(
    data: &[u8],
    source: &str,
    default_session_id: &str,
    max_events: usize,
) -> Result<Transcript, Decline> {
    let raw: RawTranscript =
        serde_json::from_slice(data).map_err(|_| Decline::new("not a plainly valid transcript"))?;
    if raw.format != FORMAT_TAG {
        return Err(Decline::new("format tag"));
    }
    let started_ms = parse_timestamp_ms(&raw.started_at).ok_or(Decline::new("timestamp form"))?;
    let session_id = match raw.session_id {
        None if default_session_id.is_empty() => source.to_string(),
        None => default_session_id.to_string(),
        Some(id) => id.into_owned(),
    };
    if raw.events.len() > max_events {
        return Err(Decline::new("too many events"));
    }
    let user_data = raw.user_data.unwrap_or_default();
    let text_of = |key: &str| user_data.get(key).cloned();
    let events = raw
        .events
        .into_iter()
        .enumerate()
        .map(|(index, raw)| event(raw, index))
        .collect::<Result<Vec<Event>, Decline>>()?;
    check_order_and_dates(&events, started_ms)?;
    Ok(Transcript {
        session_id,
        started_ms,
        is_async: is_async(user_data.get("GCTI_Chat_AsyncMode").map(String::as_str))?,
        media_type: text_of("MediaType"),
        language_name: text_of("GCTI_LanguageName"),
        media_origin: text_of("MediaOrigin"),
        tenant_id: raw.tenant_id,
        events,
    })
}

/// `GCTI_Chat_AsyncMode` stripped and lower-cased is `true`; a value outside ASCII is
/// declined (Python's notions of white space and case are wider than ASCII's).
pub(crate) fn is_async(value: Option<&str>) -> Result<bool, Decline> {
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

pub(crate) fn check_order_and_dates(events: &[Event], started_ms: i64) -> Result<(), Decline> {
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

fn choice<T>(
    value: &Option<Cow<str>>,
    parse: fn(&str) -> Option<T>,
    default: T,
) -> Result<T, Decline> {
    match value {
        None => Ok(default),
        Some(text) => parse(text).ok_or(Decline::new("unknown choice")),
    }
}

fn offset_ms(value: Option<&Number>) -> Result<i64, Decline> {
    let number = value.ok_or(Decline::new("no offset"))?;
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

fn owned(value: Option<Cow<str>>) -> String {
    value.map(Cow::into_owned).unwrap_or_default()
}

fn event(raw: RawEvent, index: usize) -> Result<Event, Decline> {
    let kind = EventKind::parse(&raw.kind).ok_or(Decline::new("event type"))?;
    let allowed = allowed_keys(kind);
    if raw.present_keys().any(|key| !allowed.contains(&key)) {
        return Err(Decline::new("a key its event type does not have"));
    }
    let present: Vec<&str> = raw.present_keys().collect();
    if required_keys(kind).iter().any(|key| !present.contains(key)) {
        return Err(Decline::new("required key"));
    }
    let t_ms = offset_ms(raw.t.as_ref())?;
    let mut event = Event {
        index,
        t_ms,
        kind,
        role: None,
        visibility: choice(&raw.visibility, Visibility::parse, Visibility::All)?,
        text_chars: raw.text.as_deref().map_or(0, |text| text.chars().count()),
        after: AfterAction::KeepAlive,
        cause: LeaveCause::Quit,
        by_given: raw.by.is_some(),
        reason: None,
        party: String::new(),
        person: String::new(),
        notice_type: String::new(),
        by: String::new(),
        line: None,
    };
    match kind {
        EventKind::Join => event.role = Some(choice(&raw.role, Role::parse, Role::Client)?),
        EventKind::Leave => {
            event.after = choice(&raw.after, AfterAction::parse, AfterAction::KeepAlive)?;
            event.cause = choice(&raw.cause, LeaveCause::parse, LeaveCause::Quit)?;
            if (event.cause == LeaveCause::Removed) != event.by_given {
                return Err(Decline::new("'by' without 'removed'"));
            }
            if event.cause == LeaveCause::Server && event.after != AfterAction::KeepAlive {
                return Err(Decline::new("server removal with after"));
            }
        }
        EventKind::Close => {
            event.reason = Some(choice(
                &raw.reason,
                CloseReason::parse,
                CloseReason::Inactive,
            )?)
        }
        _ => {}
    }
    event.party = owned(raw.party);
    event.person = owned(raw.person);
    event.notice_type = owned(raw.notice);
    event.by = owned(raw.by);
    Ok(event)
}
