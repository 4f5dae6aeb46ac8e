//! The JSON contract of behaviour.md section 9, byte for byte as `orjson` writes the Python
//! engine's `result_to_dict`: compact (`--format jsonl`) or indented by two (`--format json`).

use crate::errors::{Decline, Warning};
use crate::kvps::Kvp;
use crate::options::Options;
use crate::session::Outcome;
use crate::stats::Value;
use std::borrow::Cow;
use std::fmt::Write;

/// A JSON value as the renderer writes it (only the shapes the contract has).
enum Json<'a> {
    Str(&'a str),
    Int(i64),
    Bool(bool),
    /// Already JSON (an option value, from Python's own encoder).
    Raw(&'a str),
    Null,
    Object(Vec<(&'a str, Json<'a>)>),
    Array(Vec<Json<'a>>),
}

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

/// A line break and the indentation of ``level``, when indenting.
fn newline(out: &mut String, level: Option<usize>) {
    if let Some(level) = level {
        out.push('\n');
        out.push_str(&" ".repeat(2 * level));
    }
}

fn write(out: &mut String, value: &Json, indent: Option<usize>) {
    match value {
        Json::Str(text) => write_str(out, text),
        Json::Int(n) => {
            let _ = write!(out, "{n}");
        }
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Raw(text) => out.push_str(text),
        Json::Null => out.push_str("null"),
        Json::Object(members) if members.is_empty() => out.push_str("{}"),
        Json::Array(items) if items.is_empty() => out.push_str("[]"),
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent.map(|level| level + 1));
                write(out, item, indent.map(|level| level + 1));
            }
            newline(out, indent);
            out.push(']');
        }
        Json::Object(members) => {
            out.push('{');
            for (i, (key, member)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent.map(|level| level + 1));
                write_str(out, key);
                out.push(':');
                if indent.is_some() {
                    out.push(' ');
                }
                write(out, member, indent.map(|level| level + 1));
            }
            newline(out, indent);
            out.push('}');
        }
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

fn kvps_json<'a>(kvps: &'a [(Kvp, Value)]) -> Json<'a> {
    Json::Object(
        kvps.iter()
            .map(|(key, value)| {
                (
                    key.name(),
                    match value {
                        Value::Int(n) => Json::Int(*n),
                        Value::Text(text) => Json::Str(text),
                    },
                )
            })
            .collect(),
    )
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
    let c = outcome.classification.as_ref();
    let text = |f: fn(&crate::families::Classification) -> &'static str| {
        c.map_or(Json::Null, |c| Json::Str(f(c)))
    };
    let flag = |f: fn(&crate::families::Classification) -> bool| {
        c.map_or(Json::Null, |c| Json::Bool(f(c)))
    };
    let events = reporting
        .iter()
        .map(|e| {
            Json::Object(vec![
                ("t", Json::Int(e.t)),
                ("at", Json::Str(&e.at)),
                ("trigger", Json::Str(e.trigger)),
                ("place", Json::Int(e.place)),
                ("kvps", kvps_json(&e.kvps)),
            ])
        })
        .collect();
    let said: Vec<String> = warnings.iter().map(Warning::text).collect();
    let delivery = if options.attach_stats_rep_events & 1 != 0 {
        "reporting-event"
    } else {
        "userdata"
    };
    let document = Json::Object(vec![
        ("session_id", Json::Str(session_id)),
        ("source", Json::Str(source)),
        (
            "options",
            Json::Object(
                options
                    .effective
                    .iter()
                    .map(|(k, v)| (k.as_str(), Json::Raw(v)))
                    .collect(),
            ),
        ),
        ("kvps", kvps_json(&outcome.kvps)),
        (
            "classification",
            Json::Object(vec![
                ("ended_by", text(|c| c.ended_by)),
                ("ended_reason", text(|c| c.ended_reason)),
                ("ended_agent", text(|c| c.ended_agent)),
                ("abandoned", flag(|c| c.abandoned)),
                ("interaction_stopped", flag(|c| c.interaction_stopped)),
            ]),
        ),
        ("delivery", Json::Str(delivery)),
        ("reporting_events", Json::Array(events)),
        (
            "warnings",
            Json::Array(said.iter().map(|text| Json::Str(text)).collect()),
        ),
    ]);
    let mut out = String::with_capacity(2048);
    write(&mut out, &document, indented.then_some(0));
    out.push('\n');
    out
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
        let mut out = String::new();
        let value = Json::Object(vec![
            ("a", Json::Array(vec![])),
            ("b", Json::Object(vec![("c", Json::Int(1))])),
        ]);
        write(&mut out, &value, Some(0));
        assert_eq!(out, "{\n  \"a\": [],\n  \"b\": {\n    \"c\": 1\n  }\n}");
    }
}
