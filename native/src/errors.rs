//! The warnings the Python engine gives (`chatstats_core/errors.py`) and the native core's
//! declines: why a session is left to the Python engine.

use std::borrow::Cow;

use crate::model;

/// A warning the Python engine would give (`errors.ChatstatsWarning`): its `WarningCode` value,
/// its message, the event it is about and that event's source line, and whether its text names
/// the event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// Its `WarningCode` value: the native core's own, or an option warning's, from Python.
    pub code: Cow<'static, str>,
    pub message: String,
    pub event: Option<usize>,
    pub line: Option<usize>,
    pub names_event: bool,
}

impl Warning {
    /// A warning about the session, naming no event.
    pub fn session(code: &'static str, message: String) -> Self {
        Warning {
            code: Cow::Borrowed(code),
            message,
            event: None,
            line: None,
            names_event: false,
        }
    }

    /// A warning about one event: its text starts `event N (line L): `.
    pub fn about(event: &model::Event, code: &'static str, message: String) -> Self {
        Warning {
            code: Cow::Borrowed(code),
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
}

/// Why the native core left a session to the Python engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decline(pub &'static str);

impl Decline {
    pub fn new(reason: &'static str) -> Self {
        Decline(reason)
    }
}
