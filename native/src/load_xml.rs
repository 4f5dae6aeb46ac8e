//! The Genesys chat transcript XML, read with quick-xml as `transcript/loading/xml_format.py`
//! reads it with defusedxml and expat: `newParty` -> join, `partyLeft` -> leave / close /
//! restore by reason code, `message` -> message (its `msgText`), `notice` -> notice.
//!
//! Only documents the Python loader reads without a word are read here. A document type
//! declaration, an entity other than the five predefined ones and character references, an
//! encoding other than UTF-8, namespaces, XML 1.1, a character XML forbids, anything malformed,
//! and whatever the Python loader would warn about (an unknown element, user type or reason
//! code) are declined: the Python engine then refuses or reads the file with its own words.

use std::borrow::Cow;

use quick_xml::events::attributes::Attributes;
use quick_xml::events::{BytesRef, Event as Xml};
use quick_xml::reader::Reader;

use crate::errors::Decline;
use crate::loading::Limits;
use crate::model::{
    AfterAction, CloseReason, Event, EventKind, LeaveCause, Role, Transcript, Visibility,
};
use crate::timestamp::parse_timestamp_ms;

const TOO_LARGE_OFFSET_DIGITS: usize = 10;
const IDLE_CONTROL_CLOSE: &str = "IDLE_CONTROL_CLOSE";

fn decline(reason: &'static str) -> Decline {
    Decline::new(reason)
}

/// An element's attributes, names and values, borrowed from the document where they can be.
type Attrs<'a> = Vec<(Cow<'a, str>, Cow<'a, str>)>;

/// `part` as a slice of `text` when it is one (quick-xml hands out slices of the document
/// it reads): then it lives as long as the document, not as the event it came with.
fn within<'a>(text: &'a str, part: &str) -> Cow<'a, str> {
    let start = (part.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
    match text.get(start..start.wrapping_add(part.len())) {
        Some(slice) if slice.as_ptr() == part.as_ptr() => Cow::Borrowed(slice),
        _ => Cow::Owned(part.to_string()),
    }
}

/// Attributes of one element, values normalised as expat normalises them (white space to
/// spaces, references resolved) and then stripped, as the Python loader strips them.
fn attributes<'a>(text: &'a str, attrs: Attributes, limits: Limits) -> Result<Attrs<'a>, Decline> {
    let mut found = Vec::new();
    for attr in attrs {
        let attr = attr.map_err(|_| decline("malformed attribute"))?;
        let key = std::str::from_utf8(attr.key.as_ref()).map_err(|_| decline("attribute name"))?;
        if key.contains(':') || key == "xmlns" {
            return Err(decline("XML namespaces"));
        }
        check_name(key)?;
        let raw = std::str::from_utf8(&attr.value).map_err(|_| decline("attribute value"))?;
        if raw.contains('<') {
            return Err(decline("'<' in an attribute value"));
        }
        let value: Cow<str> = if raw.contains(['\r', '\n', '\t', '&']) {
            let spaced = raw.replace("\r\n", " ").replace(['\r', '\n', '\t'], " ");
            Cow::Owned(unescape(&spaced)?)
        } else {
            Cow::Borrowed(raw) // nothing to normalise: most values
        };
        // a value of no more bytes than the limit has no more characters either
        if value.len() > limits.max_attribute && value.chars().count() > limits.max_attribute {
            return Err(decline("attribute over the limit"));
        }
        let value = match value {
            Cow::Borrowed(raw) => within(text, python_strip(raw)?),
            Cow::Owned(normalised) => Cow::Owned(python_strip(&normalised)?.to_string()),
        };
        found.push((within(text, key), value));
    }
    Ok(found)
}

/// `&name;` and `&#n;` in an attribute value: the five predefined entities and legal characters.
fn unescape(text: &str) -> Result<String, Decline> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('&') {
        out.push_str(&rest[..start]);
        let end = rest[start..].find(';').ok_or(decline("a bare &"))? + start;
        out.push(resolve(&rest[start + 1..end])?);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

fn resolve(name: &str) -> Result<char, Decline> {
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "apos" => '\'',
        "quot" => '"',
        _ => {
            let number = name
                .strip_prefix('#')
                .ok_or(decline("an entity (refused)"))?;
            // digits only: Rust's parsers take a sign (`&#+65;`), XML does not
            let (digits, radix) = match number.strip_prefix('x') {
                Some(hex) => (hex, 16),
                None => (number, 10),
            };
            if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
                return Err(decline("a bad character reference"));
            }
            let code = u32::from_str_radix(digits, radix)
                .map_err(|_| decline("a bad character reference"))?;
            char::from_u32(code).ok_or(decline("a bad character reference"))?
        }
    };
    if !is_xml_char(c) {
        return Err(decline("a character XML forbids"));
    }
    Ok(c)
}

fn resolve_ref(reference: &BytesRef) -> Result<char, Decline> {
    let name = reference.decode().map_err(|_| decline("a reference"))?;
    resolve(&name)
}

/// An element, attribute or processing-instruction name as XML's Name production has it, for
/// ASCII names (quick-xml reads `<1x>` and `<x!y>`; expat does not); a non-ASCII name declines.
fn check_name(name: &str) -> Result<(), Decline> {
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':');
    if !first_ok || !chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':'))
    {
        return Err(decline("a name XML does not allow (or not ASCII)"));
    }
    Ok(())
}

fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// `str.strip()` as Python does it, for text whose ends are ASCII; other ends are declined
/// (Python's idea of white space is wider than ASCII's).
fn python_strip(text: &str) -> Result<&str, Decline> {
    let space = |c: char| {
        matches!(
            c,
            ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c' | '\x1c'..='\x1f'
        )
    };
    let stripped = text.trim_matches(space);
    let ends_ok =
        |c: Option<char>| c.is_none_or(|c| c.is_ascii() || !c.is_whitespace() && c != '\u{85}');
    if !ends_ok(stripped.chars().next()) || !ends_ok(stripped.chars().last()) {
        return Err(decline("non-ASCII white space at an attribute's end"));
    }
    Ok(stripped)
}

fn get<'a, K: AsRef<str>, V: AsRef<str>>(attrs: &'a [(K, V)], key: &str) -> Option<&'a str> {
    // the last of repeated names cannot happen: quick-xml refuses duplicates
    attrs
        .iter()
        .find(|(k, _)| k.as_ref() == key)
        .map(|(_, v)| v.as_ref())
}

/// A top-level event element being read.
#[derive(Default)]
struct Pending<'a> {
    tag: String,
    /// The line its start tag begins on.
    line: usize,
    attrs: Attrs<'a>,
    user_type: Option<String>,
    person: String,
    user_data: Vec<(String, String)>,
    bot_style: bool,
    text_attrs: Attrs<'a>,
    text: String,
}

#[derive(Default)]
struct Builder<'a> {
    depth: usize,
    root_attrs: Option<Attrs<'a>>,
    root_done: bool,
    pending: Option<Pending<'a>>,
    in_text: bool,
    in_user_data: bool,
    item_path: Vec<String>,
    item_text: String,
    events: Vec<Event>,
    session_user_data: Option<Vec<(String, String)>>,
}

/// The element whose text an event keeps.
fn text_element(tag: &str) -> Option<&'static str> {
    match tag {
        "message" => Some("msgText"),
        "notice" => Some("noticeText"),
        "partyLeft" => Some("reason"),
        _ => None,
    }
}

impl<'a> Builder<'a> {
    fn start(
        &mut self,
        tag: &str,
        attrs: Attrs<'a>,
        line: usize,
        limits: Limits,
    ) -> Result<(), Decline> {
        self.depth += 1;
        if self.depth > limits.max_depth {
            return Err(decline("nested over the limit"));
        }
        match self.depth {
            1 => {
                if tag != "chatTranscript" || self.root_done {
                    return Err(decline("wrong or second root element"));
                }
                self.root_attrs = Some(attrs);
            }
            2 => {
                if !matches!(tag, "newParty" | "message" | "notice" | "partyLeft") {
                    return Err(decline("an unknown element (a warning)"));
                }
                self.pending = Some(Pending {
                    tag: tag.to_string(),
                    line,
                    attrs,
                    ..Pending::default()
                });
            }
            depth => {
                let Some(pending) = self.pending.as_mut() else {
                    return Ok(());
                };
                if depth == 3 && tag == "userInfo" {
                    pending.user_type = Some(get(&attrs, "userType").unwrap_or("").to_uppercase());
                    pending.person = get(&attrs, "personId").unwrap_or("").to_string();
                } else if depth == 3 && (tag == "userData" || tag == "eventAttributes") {
                    self.in_user_data = tag == "userData";
                } else if tag == "item" && depth >= 4 {
                    self.item_path
                        .push(get(&attrs, "key").unwrap_or("").to_string());
                    self.item_text.clear();
                } else if depth == 3 && Some(tag) == text_element(&pending.tag) {
                    pending.text_attrs = attrs;
                    self.in_text = true;
                }
            }
        }
        Ok(())
    }

    fn end(&mut self, tag: &str, limits: Limits) -> Result<(), Decline> {
        if self.depth == 2 {
            if let Some(pending) = self.pending.take() {
                self.finish_event(pending, limits)?;
            }
        } else if self.depth == 1 {
            self.root_done = true;
        } else if let Some(pending) = self.pending.as_mut() {
            if tag == "item" && !self.item_path.is_empty() {
                let value = std::mem::take(&mut self.item_text);
                let is_style = if self.in_user_data {
                    self.item_path.len() == 1
                        && matches!(
                            self.item_path[0].as_str(),
                            "GCTI_Chat_PartyStyle" | "GCTI_Chat_SetPartyStyle"
                        )
                } else {
                    self.item_path == ["GCTI_SYSTEM", "party-info", "style"]
                };
                if self.in_user_data && self.item_path.len() == 1 {
                    let key = self.item_path[0].clone();
                    match pending.user_data.iter_mut().find(|(k, _)| *k == key) {
                        Some(entry) => entry.1 = value.clone(),
                        None => pending.user_data.push((key, value.clone())),
                    }
                }
                if is_style && python_strip(&value)?.to_uppercase() == "BOT" {
                    pending.bot_style = true;
                }
                self.item_path.pop();
            } else if self.depth == 3 {
                self.in_text = false;
                self.in_user_data = false;
            }
        }
        self.depth -= 1;
        Ok(())
    }

    fn text(&mut self, text: &str) -> Result<(), Decline> {
        if self.depth == 0 || self.root_done {
            if !text.chars().all(|c| matches!(c, ' ' | '\t' | '\n' | '\r')) {
                return Err(decline("text outside the root element"));
            }
            return Ok(());
        }
        if let (true, Some(pending)) = (self.in_text, self.pending.as_mut()) {
            pending.text.push_str(text);
        } else if !self.item_path.is_empty() {
            self.item_text.push_str(text);
        }
        Ok(())
    }

    fn finish_event(&mut self, pending: Pending, limits: Limits) -> Result<(), Decline> {
        if self.events.len() >= limits.max_events {
            return Err(decline("too many events"));
        }
        let shift = get(&pending.attrs, "timeShift").ok_or(decline("no timeShift"))?;
        if shift.is_empty() || !shift.bytes().all(|b| b.is_ascii_digit()) {
            return Err(decline("bad timeShift"));
        }
        if shift.trim_start_matches('0').len() > TOO_LARGE_OFFSET_DIGITS {
            return Err(decline("timeShift too large"));
        }
        let seconds: i64 = shift.parse().map_err(|_| decline("bad timeShift"))?;
        let visibility_text = get(&pending.attrs, "visibility")
            .unwrap_or("ALL")
            .to_uppercase();
        let visibility = if visibility_text.is_empty() {
            Visibility::All
        } else {
            Visibility::parse(&visibility_text).ok_or(decline("bad visibility"))?
        };
        let mut event = Event {
            index: self.events.len(),
            t_ms: seconds * 1000,
            kind: EventKind::Join,
            party: get(&pending.attrs, "userId").unwrap_or("").to_string(),
            role: None,
            visibility,
            person: String::new(),
            text_chars: 0,
            notice_type: String::new(),
            after: AfterAction::KeepAlive,
            cause: LeaveCause::Quit,
            by: String::new(),
            by_given: false,
            reason: None,
            line: Some(pending.line),
        };
        match pending.tag.as_str() {
            "newParty" => {
                let mut role = match pending.user_type.as_deref().unwrap_or("") {
                    "CLIENT" => Role::Client,
                    "AGENT" => Role::Agent,
                    "SUPERVISOR" => Role::Supervisor,
                    "EXTERNAL" => Role::External,
                    "SYSTEM" => Role::System,
                    _ => return Err(decline("an unknown userType (a warning)")),
                };
                if role.is_human_agent() && pending.bot_style {
                    role = Role::Bot;
                }
                if role == Role::Client && self.session_user_data.is_none() {
                    self.session_user_data = Some(pending.user_data);
                }
                event.role = Some(role);
                event.person = pending.person;
            }
            "message" => {
                event.kind = EventKind::Message;
                event.text_chars = pending.text.chars().count();
            }
            "notice" => {
                let notice_type = get(&pending.text_attrs, "noticeType").unwrap_or("");
                if notice_type == IDLE_CONTROL_CLOSE {
                    event.kind = EventKind::Close;
                    event.reason = Some(CloseReason::Inactive);
                } else {
                    event.kind = EventKind::Notice;
                }
                event.notice_type = notice_type.to_string();
                event.text_chars = pending.text.chars().count();
            }
            _ => {
                let code = get(&pending.text_attrs, "code")
                    .filter(|c| !c.is_empty())
                    .unwrap_or("0");
                event.kind = EventKind::Leave;
                match code {
                    "0" => {}
                    "1" => event.after = AfterAction::CloseIfNoAgents,
                    "2" => event.after = AfterAction::ForceClose,
                    "3" | "6" => event.cause = LeaveCause::Disconnect,
                    "4" => {
                        event.cause = LeaveCause::Removed;
                        event.by = get(&pending.attrs, "askerId").unwrap_or("").to_string();
                        event.by_given = true;
                    }
                    "5" => event.cause = LeaveCause::Server,
                    "7" => {
                        event.kind = EventKind::Close;
                        event.reason = Some(CloseReason::Inactive);
                    }
                    "8" => event.kind = EventKind::Restore,
                    _ => return Err(decline("an unknown reason code (a warning)")),
                }
            }
        }
        self.events.push(event);
        Ok(())
    }
}

/// The names of UTF-8 the Python loader reads as UTF-8 (Python's codecs aliases of it).
const UTF8_NAMES: [&[u8]; 6] = [b"utf-8", b"utf8", b"utf_8", b"u8", b"utf", b"cp65001"];

/// The XML declaration as expat takes it: `version`, then optionally `encoding`, then optionally
/// `standalone` (`yes` or `no`), each a quoted value after white space; anything else declines.
fn check_declaration(decl: &quick_xml::events::BytesDecl) -> Result<(), Decline> {
    let content = std::str::from_utf8(decl.as_ref()).map_err(|_| decline("declaration"))?;
    let mut rest = content.strip_prefix("xml").ok_or(decline("declaration"))?;
    let mut order = ["version", "encoding", "standalone"].iter();
    while !rest.trim_start().is_empty() {
        let trimmed = rest.trim_start_matches([' ', '\t', '\r', '\n']);
        if trimmed.len() == rest.len() {
            return Err(decline("declaration pseudo-attributes not apart"));
        }
        let (name, after) = trimmed.split_once('=').ok_or(decline("declaration"))?;
        let name = name.trim_end_matches([' ', '\t', '\r', '\n']);
        if !order.any(|expected| *expected == name) {
            return Err(decline("a declaration pseudo-attribute expat refuses"));
        }
        let after = after.trim_start_matches([' ', '\t', '\r', '\n']);
        let quote = after.chars().next().ok_or(decline("declaration"))?;
        if quote != '"' && quote != '\'' {
            return Err(decline("declaration"));
        }
        let end = after[1..].find(quote).ok_or(decline("declaration"))? + 1;
        let value = &after[1..end];
        if name == "standalone" && value != "yes" && value != "no" {
            return Err(decline("standalone neither yes nor no"));
        }
        rest = &after[end + 1..];
    }
    Ok(())
}

/// Attributes of a start tag apart from each other, as XML requires and expat checks
/// (`a="1"b="2"` is not well-formed; quick-xml would read it).
fn check_attribute_spacing(start: &quick_xml::events::BytesStart) -> Result<(), Decline> {
    let raw: &[u8] = start.as_ref();
    let mut quote: Option<u8> = None;
    for (i, &byte) in raw.iter().enumerate() {
        match quote {
            Some(q) if byte == q => {
                quote = None;
                let next = raw.get(i + 1).copied().unwrap_or(b' ');
                if !matches!(next, b' ' | b'\t' | b'\r' | b'\n' | b'/') {
                    return Err(decline("attributes not apart"));
                }
            }
            Some(_) => {}
            None if byte == b'"' || byte == b'\'' => quote = Some(byte),
            None => {}
        }
    }
    Ok(())
}

/// Whether the text holds a character XML 1.0 forbids (`is_xml_char`), read a byte at a time:
/// in valid UTF-8 the only ones are the ASCII controls but tab, line feed and carriage return,
/// and U+FFFE and U+FFFF (`EF BF BE`, `EF BF BF`).
fn has_forbidden_char(text: &str) -> bool {
    let bytes = text.as_bytes();
    let control = bytes
        .iter()
        .any(|&byte| byte < 0x20 && !matches!(byte, b'\t' | b'\n' | b'\r'));
    control
        || bytes
            .windows(3)
            .any(|w| w[0] == 0xEF && w[1] == 0xBF && (w[2] == 0xBE || w[2] == 0xBF))
}

/// The line of a position in the text, counted on from the last position asked (positions
/// only grow): line breaks are `\n`, `\r\n` and a lone `\r`, as expat counts them.
#[derive(Default)]
struct LineCounter {
    at: usize,
    line: usize,
}

impl LineCounter {
    fn line_at(&mut self, text: &str, at: usize) -> usize {
        let bytes = text.as_bytes();
        let end = at.min(bytes.len());
        let start = self.at.min(end);
        let span = &bytes[start..end];
        self.line += span.iter().filter(|&&byte| byte == b'\n').count();
        if span.contains(&b'\r') {
            // a carriage return not followed by a line feed is a break of its own
            let lone =
                (start..end).filter(|&i| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
            self.line += lone.count();
        }
        self.at = end;
        self.line + 1
    }
}

/// Load one transcript from XML bytes (no gzip: the caller checks).
pub fn load(data: &[u8], limits: Limits) -> Result<Transcript, Decline> {
    let data = data.strip_prefix(b"\xef\xbb\xbf").unwrap_or(data);
    let text = std::str::from_utf8(data).map_err(|_| decline("not UTF-8"))?;
    if has_forbidden_char(text) {
        return Err(decline("a character XML forbids"));
    }
    let mut reader = Reader::from_str(text);
    let config = reader.config_mut();
    config.check_end_names = true;
    config.expand_empty_elements = true;
    config.check_comments = true;
    let mut builder = Builder::default();
    let mut seen_anything = false;
    let mut lines = LineCounter::default();
    loop {
        let at = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = reader
            .read_event()
            .map_err(|_| decline("not well-formed XML"))?;
        match event {
            Xml::Decl(decl) => {
                if seen_anything {
                    return Err(decline("a late XML declaration"));
                }
                if decl.version().map_err(|_| decline("version"))?.as_ref() != b"1.0" {
                    return Err(decline("not XML 1.0"));
                }
                check_declaration(&decl)?;
                if let Some(encoding) = decl.encoding() {
                    let encoding = encoding.map_err(|_| decline("encoding"))?;
                    if !UTF8_NAMES
                        .iter()
                        .any(|name| encoding.eq_ignore_ascii_case(name))
                    {
                        return Err(decline("an encoding other than UTF-8"));
                    }
                }
            }
            Xml::DocType(_) => return Err(decline("a document type declaration (refused)")),
            Xml::Start(start) => {
                let qname = start.name();
                let name =
                    std::str::from_utf8(qname.as_ref()).map_err(|_| decline("element name"))?;
                if name.contains(':') {
                    return Err(decline("XML namespaces"));
                }
                check_name(name)?;
                check_attribute_spacing(&start)?;
                let attrs = attributes(text, start.attributes(), limits)?;
                let line = lines.line_at(text, at);
                builder.start(name, attrs, line, limits)?;
            }
            Xml::End(end) => {
                let qname = end.name();
                let name =
                    std::str::from_utf8(qname.as_ref()).map_err(|_| decline("element name"))?;
                check_name(name)?;
                builder.end(name, limits)?;
            }
            Xml::Empty(_) => unreachable!("empty elements are expanded"),
            Xml::Text(text) => {
                if text.as_ref().windows(3).any(|w| w == b"]]>") {
                    return Err(decline("]]> in text"));
                }
                let content = text.xml10_content().map_err(|_| decline("text"))?;
                builder.text(&content)?;
            }
            Xml::CData(data) => {
                let content = data.xml10_content().map_err(|_| decline("CDATA"))?;
                if builder.depth == 0 || builder.root_done {
                    return Err(decline("CDATA outside the root element"));
                }
                builder.text(&content)?;
            }
            Xml::GeneralRef(reference) => {
                let c = resolve_ref(&reference)?;
                builder.text(c.encode_utf8(&mut [0; 4]))?;
            }
            Xml::PI(pi) => {
                // expat refuses a processing instruction named xml in any case but the
                // declaration itself, which quick-xml reads as a Decl
                if pi.target().eq_ignore_ascii_case(b"xml") {
                    return Err(decline("a processing instruction named xml"));
                }
                let target = std::str::from_utf8(pi.target()).map_err(|_| decline("PI name"))?;
                if target.contains(':') {
                    return Err(decline("a colon in a processing instruction's name"));
                }
                check_name(target)?;
            }
            Xml::Comment(_) => {}
            Xml::Eof => break,
        }
        seen_anything = true;
    }
    if !builder.root_done {
        return Err(decline("no whole root element"));
    }
    let root = builder.root_attrs.take().unwrap_or_default();
    let start = get(&root, "startAt")
        .filter(|s| !s.is_empty())
        .ok_or(decline("no startAt"))?;
    let started_ms = parse_timestamp_ms(start).ok_or(decline("timestamp form"))?;
    let session_id = get(&root, "sessionId")
        .filter(|s| !s.is_empty())
        .ok_or(decline("no sessionId"))?;
    let user_data = builder.session_user_data.unwrap_or_default();
    let text_of = |key: &str| get(&user_data, key).map(str::to_string);
    let is_async = crate::load_json::is_async(get(&user_data, "GCTI_Chat_AsyncMode"))?;
    crate::load_json::check_order_and_dates(&builder.events, started_ms)?;
    Ok(Transcript {
        session_id: session_id.to_string(),
        started_ms,
        media_type: text_of("MediaType"),
        language_name: text_of("GCTI_LanguageName"),
        media_origin: text_of("MediaOrigin"),
        tenant_id: None,
        is_async,
        events: builder.events,
    })
}

#[cfg(test)]
mod tests {
    use super::{has_forbidden_char, is_xml_char, LineCounter};

    #[test]
    fn forbidden_characters_are_found_byte_by_byte_as_char_by_char() {
        for text in [
            "plain",
            "tab\there",
            "\u{1}",
            "\u{1f}",
            "\u{7f}",
            "\u{85}",
            "\u{FFFD}",
            "\u{FFFE}",
            "\u{FFFF}",
            "\u{10000}",
            "\u{EFBF}",
            "é\u{FFFE}x",
            "😀",
        ] {
            let by_char = text.chars().any(|c| !is_xml_char(c));
            assert_eq!(has_forbidden_char(text), by_char, "{text:?}");
        }
    }

    #[test]
    fn lines_are_counted_as_expat_counts_them() {
        let text = "a\nb\r\nc\rd<";
        let mut lines = LineCounter::default();
        assert_eq!(lines.line_at(text, 0), 1);
        assert_eq!(lines.line_at(text, 2), 2);
        assert_eq!(lines.line_at(text, 4), 2); // between \r and \n: one break, counted at \n
        assert_eq!(lines.line_at(text, 7), 4);
        assert_eq!(lines.line_at(text, text.len()), 4);
    }
}
