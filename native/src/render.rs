//! The JSON contract of behaviour.md section 9, byte for byte as `orjson` writes the Python
//! engine's `result_to_dict`: compact (`--format jsonl`) or indented by two (`--format json`).

use crate::errors::{Decline, Warning};
use crate::kvps::Kvp;
use crate::options::Options;
use crate::session::Outcome;
use crate::stats::Value;
use std::borrow::Cow;
use std::fmt::Write;

/// Which bytes orjson escapes: quotes, backslashes and control characters.
const NEEDS_ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = true;
        byte += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

/// A string as orjson escapes it: quotes, backslashes and control characters only.
fn write_str(out: &mut String, text: &str) {
    out.push('"');
    let bytes = text.as_bytes();
    let mut plain_from = 0;
    while let Some(offset) = bytes[plain_from..]
        .iter()
        .position(|&byte| NEEDS_ESCAPE[byte as usize])
    {
        let at = plain_from + offset;
        // every byte escaped is ASCII, so the runs between them are whole characters
        out.push_str(&text[plain_from..at]);
        match bytes[at] {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\x08' => out.push_str("\\b"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\x0c' => out.push_str("\\f"),
            b'\r' => out.push_str("\\r"),
            byte => {
                let _ = write!(out, "\\u{byte:04x}");
            }
        }
        plain_from = at + 1;
    }
    out.push_str(&text[plain_from..]);
    out.push('"');
}

/// A string as a JSON string, as orjson writes it.
pub fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    write_str(&mut out, text);
    out
}

/// A JSON document written straight into a buffer as orjson writes it, compact or indented by
/// two spaces a level: a key (or an array's element) first, then its value.
struct JsonOut<'o> {
    out: &'o mut String,
    indented: bool,
    level: usize,
    /// Nothing written yet in the innermost object or array.
    first: bool,
}

impl<'o> JsonOut<'o> {
    fn new(out: &'o mut String, indented: bool) -> Self {
        JsonOut {
            out,
            indented,
            level: 0,
            first: true,
        }
    }

    fn newline(&mut self) {
        if self.indented {
            self.out.push('\n');
            for _ in 0..self.level {
                self.out.push_str("  ");
            }
        }
    }

    /// Before an array's element.
    fn element(&mut self) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        self.newline();
    }

    /// Before an object member's value.
    fn key(&mut self, key: &str) {
        self.element();
        write_str(self.out, key);
        self.out.push_str(if self.indented { ": " } else { ":" });
    }

    fn open(&mut self, bracket: char) {
        self.out.push(bracket);
        self.level += 1;
        self.first = true;
    }

    /// An empty object or array closes where it opened: `{}`, `[]`.
    fn close(&mut self, bracket: char) {
        self.level -= 1;
        if !self.first {
            self.newline();
        }
        self.out.push(bracket);
        self.first = false;
    }

    fn str(&mut self, text: &str) {
        write_str(self.out, text);
    }

    fn int(&mut self, n: i64) {
        let _ = write!(self.out, "{n}");
    }

    fn bool(&mut self, flag: bool) {
        self.out.push_str(if flag { "true" } else { "false" });
    }

    /// Already JSON (an option's value, from Python's own encoder).
    fn raw(&mut self, json: &str) {
        self.out.push_str(json);
    }

    fn null(&mut self) {
        self.out.push_str("null");
    }

    /// KVPs as an object, in their order.
    fn kvps(&mut self, kvps: &[(Kvp, Value)]) {
        self.open('{');
        for (key, value) in kvps {
            self.key(key.name());
            match value {
                Value::Int(n) => self.int(*n),
                Value::Text(text) => self.str(text),
            }
        }
        self.close('}');
    }
}

/// A reporting event as the contract shows it (`attach-stats-rep-events`).
pub struct ReportingEvent {
    pub t: i64,
    pub at: String,
    pub trigger: &'static str,
    pub place: i64,
    pub kvps: Vec<(Kvp, Value)>,
}

/// One session as the output contract has it, then a line end.
pub fn result_json(
    session_id: &str,
    source: &str,
    options: &Options,
    outcome: &Outcome,
    reporting: &[ReportingEvent],
    warnings: &[Warning],
    indented: bool,
) -> String {
    let mut text = String::with_capacity(if indented { 4096 } else { 2560 });
    let mut out = JsonOut::new(&mut text, indented);
    out.open('{');
    out.key("session_id");
    out.str(session_id);
    out.key("source");
    out.str(source);
    out.key("options");
    out.open('{');
    for (key, value) in &options.effective {
        out.key(key);
        out.raw(value);
    }
    out.close('}');
    out.key("kvps");
    out.kvps(&outcome.kvps);
    out.key("classification");
    classification(&mut out, outcome.classification.as_ref());
    out.key("delivery");
    out.str(if options.attach_stats_rep_events & 1 != 0 {
        "reporting-event"
    } else {
        "userdata"
    });
    out.key("reporting_events");
    out.open('[');
    for event in reporting {
        out.element();
        out.open('{');
        out.key("t");
        out.int(event.t);
        out.key("at");
        out.str(&event.at);
        out.key("trigger");
        out.str(event.trigger);
        out.key("place");
        out.int(event.place);
        out.key("kvps");
        out.kvps(&event.kvps);
        out.close('}');
    }
    out.close(']');
    out.key("warnings");
    out.open('[');
    for warning in warnings {
        out.element();
        out.str(&warning.text());
    }
    out.close(']');
    out.close('}');
    text.push('\n');
    text
}

/// The classification object: who ended the session and how, abandoned, stopped (all null
/// while the session is open).
fn classification(out: &mut JsonOut, found: Option<&crate::families::Classification>) {
    out.open('{');
    let texts = [
        ("ended_by", found.map(|c| c.ended_by)),
        ("ended_reason", found.map(|c| c.ended_reason)),
        ("ended_agent", found.map(|c| c.ended_agent)),
    ];
    for (key, text) in texts {
        out.key(key);
        match text {
            Some(text) => out.str(text),
            None => out.null(),
        }
    }
    let flags = [
        ("abandoned", found.map(|c| c.abandoned)),
        ("interaction_stopped", found.map(|c| c.interaction_stopped)),
    ];
    for (key, flag) in flags {
        out.key(key);
        match flag {
            Some(flag) => out.bool(flag),
            None => out.null(),
        }
    }
    out.close('}');
}

/// A value as Genesys logs print user data: ints bare, strings quoted, escaped as
/// `safetext.kvp_quoted` does.
fn kvp_value(value: &Value) -> Result<String, Decline> {
    Ok(match value {
        Value::Int(n) => n.to_string(),
        Value::Text(text) => format!("'{}'", kvp_escaped(text, Some('\''))?),
    })
}

/// `safetext.kvp_escaped`: `\` (and the quote) backslash-escaped, the rest as `shown`.
fn kvp_escaped(text: &str, quote: Option<char>) -> Result<String, Decline> {
    let mut escaped = text.replace('\\', "\\\\");
    if let Some(quote) = quote {
        escaped = escaped.replace(quote, &format!("\\{quote}"));
    }
    Ok(shown(&escaped)?.into_owned())
}

/// `safetext.shown`: every character Python's `str.isprintable` rejects, escaped as Python's
/// `unicode_escape` writes it (`\x1b`, `\n`). Python's idea of printable is known here for
/// ASCII and the Latin ranges up to U+02FF; any other character declines the session.
pub fn shown(text: &str) -> Result<Cow<'_, str>, Decline> {
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Ok(Cow::Borrowed(text));
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            ' '..='~' | '\u{a1}'..='\u{ac}' | '\u{ae}'..='\u{2ff}' => out.push(c),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\0'..='\u{ff}' => out.push_str(&format!("\\x{:02x}", c as u32)),
            _ => {
                return Err(Decline::new(
                    "a character not known printable or not (a text format)",
                ))
            }
        }
    }
    Ok(Cow::Owned(out))
}

/// `replay --format kvp`: a `# session` header line, then one `'key'<TAB>value` per KVP.
pub fn result_kvp(session_id: &str, source: &str, outcome: &Outcome) -> Result<String, Decline> {
    let mut out = format!(
        "# session {} ({})\n",
        kvp_escaped(session_id, Some('('))?,
        kvp_escaped(source, None)?
    );
    for (key, value) in &outcome.kvps {
        out.push_str(&format!("'{key}'\t{}\n", kvp_value(value)?));
    }
    Ok(out)
}

/// One CSV cell as `chatstats_core.csvtext.cell` makes it and Python's csv writer writes it.
enum Cell<'a> {
    Text(&'a str),
    Int(i64),
    Bool(bool),
    Empty,
}

fn push_cell(out: &mut String, cell: &Cell) -> Result<(), Decline> {
    match cell {
        Cell::Empty => {}
        Cell::Int(n) => out.push_str(&n.to_string()),
        Cell::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Cell::Text(text) => {
            let text = shown(text)?;
            let stdin_name = text.strip_prefix('-').is_some_and(|rest| {
                rest.is_empty()
                    || rest
                        .strip_prefix(':')
                        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            });
            let is_formula = !stdin_name
                && text
                    .trim_start_matches('\'')
                    .starts_with(['=', '+', '-', '@', '\t', '\r']);
            let guarded = if is_formula {
                format!("'{text}")
            } else {
                text.into_owned()
            };
            if guarded.contains([',', '"']) {
                out.push('"');
                out.push_str(&guarded.replace('"', "\"\""));
                out.push('"');
            } else {
                out.push_str(&guarded);
            }
        }
    }
    Ok(())
}

fn csv_row(cells: &[Cell]) -> Result<String, Decline> {
    let mut out = String::with_capacity(512);
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_cell(&mut out, cell)?;
    }
    out.push('\n');
    Ok(out)
}

fn kvp_cell<'a>(outcome: &'a Outcome, key: &str) -> Cell<'a> {
    match outcome.kvps.iter().find(|(k, _)| k.name() == key) {
        Some((_, Value::Int(n))) => Cell::Int(*n),
        Some((_, Value::Text(text))) => Cell::Text(text),
        None => Cell::Empty,
    }
}

/// `replay --format csv`: identity, classification, then the KVP columns.
pub fn result_csv(
    session_id: &str,
    source: &str,
    outcome: &Outcome,
    columns: &[String],
) -> Result<String, Decline> {
    let mut cells = vec![Cell::Text(session_id), Cell::Text(source)];
    match &outcome.classification {
        Some(c) => cells.extend([
            Cell::Text(c.ended_by),
            Cell::Text(c.ended_reason),
            Cell::Text(c.ended_agent),
            Cell::Bool(c.abandoned),
            Cell::Bool(c.interaction_stopped),
        ]),
        None => cells.extend([
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
        ]),
    }
    cells.extend(columns.iter().map(|key| kvp_cell(outcome, key)));
    csv_row(&cells)
}

/// The width of an Info Mart DATE_TIME interval (`rules.DATE_TIME_INTERVAL_SECONDS`).
const DATE_TIME_INTERVAL_SECONDS: i64 = 900;

/// `replay --format infomart`: the session id, then the Info Mart columns. Each column comes
/// as `form:kvp` (`rules.InfomartColumn.encoded`): `value` as attached, `key` a timestamp's
/// 15-minute interval start and `seconds` the timestamp, both in seconds since 1970 UTC.
pub fn result_infomart(
    session_id: &str,
    outcome: &Outcome,
    columns: &[String],
) -> Result<String, Decline> {
    let mut cells = vec![Cell::Text(session_id)];
    for column in columns {
        let (form, key) = column.split_once(':').unwrap_or(("value", column));
        let cell = kvp_cell(outcome, key);
        cells.push(match (form, cell) {
            ("key" | "seconds", Cell::Text(text)) => {
                let seconds = crate::timestamp::parse_timestamp_ms(text)
                    .ok_or(Decline::new("an Info Mart timestamp that is not one"))?
                    .div_euclid(1000);
                Cell::Int(if form == "key" {
                    seconds - seconds.rem_euclid(DATE_TIME_INTERVAL_SECONDS)
                } else {
                    seconds
                })
            }
            (_, cell) => cell,
        });
    }
    csv_row(&cells)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_as_orjson_escapes_them() {
        let mut out = String::new();
        write_str(&mut out, "a\"\\\x01\x08\t\n\x0c\r\x1f \x7f\u{2028}é/");
        assert_eq!(
            out,
            "\"a\\\"\\\\\\u0001\\b\\t\\n\\f\\r\\u001f \x7f\u{2028}é/\""
        );
    }

    #[test]
    fn an_indented_object_has_two_spaces_a_level() {
        let mut text = String::new();
        let mut out = JsonOut::new(&mut text, true);
        out.open('{');
        out.key("a");
        out.open('[');
        out.close(']');
        out.key("b");
        out.open('{');
        out.key("c");
        out.int(1);
        out.close('}');
        out.key("d");
        out.open('[');
        out.element();
        out.null();
        out.close(']');
        out.close('}');
        assert_eq!(
            text,
            "{\n  \"a\": [],\n  \"b\": {\n    \"c\": 1\n  },\n  \"d\": [\n    null\n  ]\n}"
        );
    }

    #[test]
    fn a_compact_object_has_no_space() {
        let mut text = String::new();
        let mut out = JsonOut::new(&mut text, false);
        out.open('{');
        out.key("a");
        out.open('{');
        out.close('}');
        out.key("b");
        out.open('[');
        out.element();
        out.bool(true);
        out.element();
        out.str("x");
        out.close(']');
        out.close('}');
        assert_eq!(text, "{\"a\":{},\"b\":[true,\"x\"]}");
    }
}
