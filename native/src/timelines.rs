//! What one replay leaves for the KVP families to read (`chatstats_core/engine/timelines.py`):
//! intervals, presences, messages, the closure.

use crate::model::{is_visible_agent, CloseReason, LeaveCause, Role, Visibility};

/// A timer's stages, in the order they fire (`TimerStage`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TimerStage {
    Alert,
    Alert2,
    Close,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Interval {
    pub start_ms: i64,
    pub end_ms: i64,
    pub from_event: Option<usize>,
    pub to_event: Option<usize>,
    pub excluded_ms: i64,
}

impl Interval {
    pub fn new(
        start_ms: i64,
        end_ms: i64,
        from_event: Option<usize>,
        to_event: Option<usize>,
    ) -> Self {
        Interval {
            start_ms,
            end_ms,
            from_event,
            to_event,
            excluded_ms: 0,
        }
    }

    /// The counted length: end - start - excluded.
    pub fn ms(&self) -> i64 {
        self.end_ms - self.start_ms - self.excluded_ms
    }
}

#[derive(Clone, Debug)]
pub struct Presence {
    pub party: String,
    pub role: Role,
    pub visibility: Visibility,
    pub person: String,
    pub start_ms: i64,
    pub end_ms: i64,
    pub join_event: usize,
    pub leave_event: Option<usize>,
    pub leave_cause: Option<LeaveCause>,
}

impl Presence {
    pub fn is_visible_agent(&self) -> bool {
        is_visible_agent(self.role, self.visibility)
    }
}

#[derive(Clone, Copy, Debug)]
pub struct MessageRecord {
    pub event_index: usize,
    pub t_ms: i64,
    pub size: usize,
    pub role: Role,
    pub visible_agent: bool,
    pub visibility: Visibility,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClosureKind {
    ForceClose,
    CloseIfNoAgents,
    System,
    LastLeft,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimerName {
    Inactivity,
    AsyncIdle,
}

#[derive(Clone, Debug)]
pub struct Closure {
    pub t_ms: i64,
    pub simulated: bool,
    pub kind: ClosureKind,
    pub event: Option<usize>,
    pub closer_role: Option<Role>,
    pub cause: Option<LeaveCause>,
    pub reason: Option<CloseReason>,
    pub remover_role: Option<Role>,
    /// (role, visibility) of each party present immediately before the closing event.
    pub present_before: Vec<(Role, Visibility)>,
}

/// Everything the KVP families need, at the end of the replay.
pub struct Timelines {
    pub presences: Vec<Presence>,
    pub messages: Vec<MessageRecord>,
    pub handle: Vec<Interval>,
    pub active_idle: Vec<Interval>,
    pub dormant: Vec<Interval>,
    pub until_rejoin: Vec<Interval>,
    pub async_idle: Vec<Interval>,
    /// None while the session is open (a snapshot, or a transcript that ends open).
    pub closure: Option<Closure>,
}
