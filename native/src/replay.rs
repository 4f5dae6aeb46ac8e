//! The replay pass, rule for rule as `chatstats_core/engine/replay.py` (the reference): one
//! walk over the events and the timers, producing the timelines the KVP families read.
//!
//! The warnings about events are the Python engine's, word for word (a party that never joined,
//! a leave of a party not present, a party joining twice, a restoration forgetting agents, a
//! forgotten party that acts, a recorded inactivity closure or alert these options would not
//! make, events dropped after the closure); only a party id Python's `repr` would escape
//! declines the session. A session still open is frozen where the transcript ends, and
//! snapshots are kept for the reporting events.

use crate::errors::{Decline, Warning};
use crate::kvps::Kvp;
use crate::model::{
    is_visible_agent, AfterAction, CloseReason, Event, EventKind, LeaveCause, Role, Transcript,
    Visibility,
};
use crate::options::Options;
use crate::stats::union;
use crate::timelines::{
    Closure, ClosureKind, Interval, MessageRecord, Presence, Timelines, TimerName, TimerStage,
};
use crate::timers::{async_idle_timer, inactivity_timer, StagedTimer};
use crate::timestamp::seconds_g;

const CLOSE_TOLERANCE_MS: i64 = 1000;
/// The most warnings about events one session keeps (`replay.MAX_WARNINGS`).
const MAX_WARNINGS: usize = 100;
/// Chat Server's own inactivity alert notice (`model.IDLE_CONTROL_ALERT`).
const IDLE_CONTROL_ALERT: &str = "IDLE_CONTROL_ALERT";

/// Why a reporting event is sent, with its bit of `attach-stats-rep-events`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trigger {
    SessionEnd,
    AsyncHold,
    CustomerMessageDuringHold,
}

impl Trigger {
    pub fn bit(self) -> i64 {
        match self {
            Trigger::SessionEnd => 1,
            Trigger::AsyncHold => 2,
            Trigger::CustomerMessageDuringHold => 4,
        }
    }

    pub fn value(self) -> &'static str {
        match self {
            Trigger::SessionEnd => "session-end",
            Trigger::AsyncHold => "async-hold",
            Trigger::CustomerMessageDuringHold => "customer-message-during-hold",
        }
    }
}

/// A reporting event due during the replay, with the KVPs it carries: computed from the
/// timelines as of its instant (open spans closed there) when it is due, so that memory holds
/// its KVPs, not a copy of every timeline per event.
pub struct Snapshot {
    pub trigger: Trigger,
    pub t_ms: i64,
    pub kvps: Vec<(Kvp, crate::stats::Value)>,
}

/// The KVPs a closing event would not carry yet, left out of the snapshots' reporting events
/// (`rules.CLOSURE_KVPS`).
pub const CLOSURE_KVPS: [Kvp; 5] = [
    Kvp::ChatServerSessionClosedAt,
    Kvp::csg_SessionEndedAgent,
    Kvp::csg_SessionEndedBy,
    Kvp::csg_SessionEndedReason,
    Kvp::csg_SessionTotalTime,
];

/// What one replay produced: the final timelines, the snapshots for reporting events and the
/// replay's warnings (about events, then events dropped after the closure).
pub struct Replay {
    pub timelines: Timelines,
    pub snapshots: Vec<Snapshot>,
    pub warnings: Vec<Warning>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum AsyncState {
    Routing,
    Active,
    Dormant,
}

struct Open {
    party: String,
    role: Role,
    visibility: Visibility,
    person: String,
    start_ms: i64,
    join_event: usize,
}

#[derive(Clone, Copy)]
struct OpenSpan {
    start_ms: i64,
    from_event: Option<usize>,
}

impl OpenSpan {
    fn until(self, t_ms: i64, event: Option<usize>) -> Interval {
        Interval::new(self.start_ms, t_ms, self.from_event, event)
    }
}

pub struct Replayer<'a> {
    transcript: &'a Transcript,
    options: &'a Options,
    /// Present parties in join order (Python's dict order).
    present: Vec<Open>,
    known_roles: Vec<(String, Role, Visibility)>,
    presences: Vec<Presence>,
    messages: Vec<MessageRecord>,
    handle: Vec<Interval>,
    idle_spans: Vec<Interval>,
    dormant: Vec<Interval>,
    until_rejoin: Vec<Interval>,
    async_idle: Vec<Interval>,
    handle_open: Option<OpenSpan>,
    /// The open idle span of each timer, in the order they opened (Python's dict order).
    idle_open: Vec<(TimerName, OpenSpan)>,
    dormant_open: Option<OpenSpan>,
    rejoin_open: Option<OpenSpan>,
    async_idle_open: Option<OpenSpan>,
    visible_agents: usize,
    async_state: AsyncState,
    any_message: bool,
    closure: Option<Closure>,
    timers: Vec<StagedTimer>,
    inactivity: Option<usize>,
    now_ms: i64,
    /// Whether reporting events are wanted (their snapshots cost a freeze each).
    reporting: bool,
    snapshots: Vec<Snapshot>,
    warnings: Vec<Warning>,
    /// Warnings past MAX_WARNINGS, only counted.
    unsaid: usize,
    /// Parties a restoration forgot, as they last joined: (party, role, visibility, person).
    forgotten: Vec<(String, Role, Visibility, String)>,
    /// Events before this index belong to a burst of server removals already looked at.
    burst_checked_until: usize,
}

impl<'a> Replayer<'a> {
    pub fn new(transcript: &'a Transcript, options: &'a Options) -> Self {
        let mut timers = Vec::new();
        let mut inactivity = None;
        if let Some(timer) = inactivity_timer(options) {
            inactivity = Some(timers.len());
            timers.push(timer);
        }
        timers.extend(async_idle_timer(options, transcript.is_async));
        Replayer {
            transcript,
            options,
            present: Vec::new(),
            known_roles: Vec::new(),
            presences: Vec::new(),
            messages: Vec::new(),
            handle: Vec::new(),
            idle_spans: Vec::new(),
            dormant: Vec::new(),
            until_rejoin: Vec::new(),
            async_idle: Vec::new(),
            handle_open: None,
            idle_open: Vec::new(),
            dormant_open: None,
            rejoin_open: None,
            async_idle_open: None,
            visible_agents: 0,
            async_state: AsyncState::Routing,
            any_message: false,
            closure: None,
            timers,
            inactivity,
            now_ms: 0,
            reporting: false,
            snapshots: Vec::new(),
            warnings: Vec::new(),
            unsaid: 0,
            forgotten: Vec::new(),
            burst_checked_until: 0,
        }
    }

    /// Take the snapshots reporting events need (`attach-stats-rep-events`).
    pub fn with_reporting(mut self) -> Self {
        self.reporting = true;
        self
    }

    /// Replay every event and timer to the closure (or the end of the transcript); the
    /// timelines and snapshots, or a decline.
    pub fn run(mut self) -> Result<Replay, Decline> {
        let transcript = self.transcript;
        let mut dropped = 0;
        for event in &transcript.events {
            if self.closure.is_none()
                && self
                    .timers
                    .iter()
                    .any(|t| t.deadline.is_some_and(|d| d < event.t_ms))
            {
                self.run_timers(Some(event.t_ms), false);
            }
            if let Some(closure) = &self.closure {
                let expected = event.t_ms == closure.t_ms
                    && matches!(
                        event.kind,
                        EventKind::Leave | EventKind::Close | EventKind::Restore
                    );
                if !expected {
                    dropped += 1;
                }
                continue;
            }
            self.now_ms = event.t_ms;
            self.apply(event)?;
        }
        if self.closure.is_none() {
            self.run_timers(None, true);
        }
        if self.unsaid > 0 {
            let message = format!("... and {} more warnings about events", self.unsaid);
            self.warnings
                .push(Warning::session("more-event-warnings", message));
        }
        if let (true, Some(closure)) = (dropped > 0, &self.closure) {
            let what = if closure.simulated {
                "simulated closure"
            } else {
                "closure"
            };
            let message = format!(
                "{dropped} events after {what} at t={}s dropped",
                seconds_g(closure.t_ms)
            );
            self.warnings
                .push(Warning::session("events-dropped", message));
        }
        let end_ms = self.closure.as_ref().map_or(self.now_ms, |c| c.t_ms);
        let timelines = self.freeze(end_ms);
        Ok(Replay {
            timelines,
            snapshots: self.snapshots,
            warnings: self.warnings,
        })
    }

    /// A warning about an event; past MAX_WARNINGS only counted (a hostile transcript could
    /// make one per event).
    fn warn(&mut self, event: &Event, code: &'static str, message: String) {
        if self.warnings.len() >= MAX_WARNINGS {
            self.unsaid += 1;
            return;
        }
        self.warnings.push(Warning::about(event, code, message));
    }

    /// The timelines as of `end_ms`: spans still open are closed there (nothing changes).
    fn freeze(&self, end_ms: i64) -> Timelines {
        let mut presences = self.presences.clone();
        presences.extend(self.present.iter().map(|p| Presence {
            party: p.party.clone(),
            role: p.role,
            visibility: p.visibility,
            person: p.person.clone(),
            start_ms: p.start_ms,
            end_ms,
            join_event: p.join_event,
            leave_event: None,
            leave_cause: None,
        }));
        presences.sort_by_key(|p| p.join_event);
        let with_open = |spans: &[Interval], open: Option<OpenSpan>| {
            let mut all = spans.to_vec();
            all.extend(open.map(|span| span.until(end_ms, None)));
            all
        };
        let mut idle_spans = self.idle_spans.clone();
        idle_spans.extend(
            self.idle_open
                .iter()
                .map(|(_, span)| span.until(end_ms, None)),
        );
        idle_spans.sort_by_key(|s| s.start_ms);
        Timelines {
            active_idle: union(&idle_spans),
            presences,
            messages: self.messages.clone(),
            handle: with_open(&self.handle, self.handle_open),
            dormant: with_open(&self.dormant, self.dormant_open),
            until_rejoin: with_open(&self.until_rejoin, self.rejoin_open),
            async_idle: with_open(&self.async_idle, self.async_idle_open),
            closure: self.closure.clone(),
        }
    }

    /// A reporting event is due: its KVPs as of now, if its bit is asked for.
    fn report(&mut self, trigger: Trigger, t_ms: i64) {
        if self.reporting && self.options.attach_stats_rep_events & trigger.bit() != 0 {
            let timelines = self.freeze(t_ms);
            let (stats, _) =
                crate::families::compute_all(self.transcript, &timelines, self.options);
            let mut kvps = crate::session::attach(stats, self.options.attach_session_statistics);
            kvps.retain(|(key, _)| !CLOSURE_KVPS.contains(key));
            self.snapshots.push(Snapshot {
                trigger,
                t_ms,
                kvps,
            });
        }
    }

    fn run_timers(&mut self, limit: Option<i64>, inclusive: bool) {
        while self.closure.is_none() {
            let mut chosen: Option<(usize, i64)> = None;
            for (i, timer) in self.timers.iter().enumerate() {
                if let Some(due) = timer.deadline {
                    if chosen.is_none_or(|(_, best)| due < best) {
                        chosen = Some((i, due));
                    }
                }
            }
            let Some((i, deadline)) = chosen else { return };
            if let Some(limit) = limit {
                if deadline > limit || (deadline == limit && !inclusive) {
                    return;
                }
            }
            self.now_ms = deadline;
            self.fire(i, deadline);
        }
    }

    fn fire(&mut self, i: usize, at: i64) {
        let stage = self.timers[i].fire();
        let name = self.timers[i].name;
        match stage {
            TimerStage::Close => {
                self.close(
                    at,
                    ClosureKind::System,
                    None,
                    Some(CloseReason::Inactive),
                    None,
                );
                if let Some(closure) = &mut self.closure {
                    closure.simulated = true;
                }
            }
            TimerStage::Alert => {
                if self.visible_agents > 0 && !self.idle_open.iter().any(|(t, _)| *t == name) {
                    self.idle_open.push((
                        name,
                        OpenSpan {
                            start_ms: at,
                            from_event: None,
                        },
                    ));
                }
                if name == TimerName::AsyncIdle
                    && self.async_state == AsyncState::Dormant
                    && self.async_idle_open.is_none()
                {
                    self.async_idle_open = Some(OpenSpan {
                        start_ms: at,
                        from_event: None,
                    });
                }
            }
            TimerStage::Alert2 => {}
        }
    }

    fn apply(&mut self, event: &Event) -> Result<(), Decline> {
        match event.kind {
            EventKind::Join => self.join(event),
            EventKind::Leave => self.leave(event),
            EventKind::Message => self.message(event),
            EventKind::Notice => self.notice(event),
            EventKind::Close => self.recorded_close(event),
            EventKind::Restore => self.restore(event),
            EventKind::Route => {
                if self.async_state == AsyncState::Dormant {
                    self.wake(event);
                    // routing after a route event is not excluded from agent reply (5.1)
                    self.end_rejoin_wait(event.t_ms, Some(event.index));
                    self.async_state = AsyncState::Routing;
                }
                Ok(())
            }
        }
    }

    /// The role a party joined with; a party that never joined is taken as external, with a
    /// warning.
    fn role_of(&mut self, event: &Event) -> Result<(Role, Visibility), Decline> {
        if let Some((_, role, visibility)) = self
            .known_roles
            .iter()
            .find(|(party, _, _)| *party == event.party)
        {
            return Ok((*role, *visibility));
        }
        let message = format!(
            "{} from party {} that never joined, taken as external",
            event.kind.value(),
            py_repr(&event.party)?
        );
        self.warn(event, "party-never-joined", message);
        self.known_roles
            .push((event.party.clone(), Role::External, Visibility::All));
        Ok((Role::External, Visibility::All))
    }

    /// A party a restoration forgot acts without joining again: it is taken as joining again
    /// at this event, as it joined before (behaviour.md 4, revision 3).
    fn rejoin_if_forgotten(&mut self, event: &Event) -> Result<(), Decline> {
        let Some(i) = self.forgotten.iter().position(|f| f.0 == event.party) else {
            return Ok(());
        };
        let (party, role, visibility, person) = self.forgotten.remove(i);
        let message = format!(
            "party {party} acts after the session restoration without joining again: taken as \
             rejoined at +{}s",
            seconds_g(event.t_ms)
        );
        self.warn(event, "forgotten-party-acts", message);
        let mut rejoin = event.clone();
        rejoin.kind = EventKind::Join;
        rejoin.role = Some(role);
        rejoin.visibility = visibility;
        rejoin.person = person;
        self.join(&rejoin)
    }

    /// Whether the consecutive server removals at this instant, from this one on, leave no
    /// participant: then they are one closure, at the first (behaviour.md 4, revision 3). Asked
    /// once per burst, at its first removal of a present party (a later one has the same
    /// answer), so the walk stays linear.
    fn server_burst_empties(&mut self, event: &Event) -> bool {
        if event.index < self.burst_checked_until {
            return false;
        }
        let burst: Vec<&str> = self.transcript.events[event.index..]
            .iter()
            .take_while(|later| {
                later.t_ms == event.t_ms
                    && later.kind == EventKind::Leave
                    && later.cause == LeaveCause::Server
            })
            .map(|later| later.party.as_str())
            .collect();
        self.burst_checked_until = event.index + burst.len();
        let mut remaining = self.present.iter().filter(|p| p.role.is_participant());
        let mut any = false;
        let all_removed = remaining.all(|p| {
            any = true;
            burst.contains(&p.party.as_str())
        });
        any && all_removed
    }

    fn present_index(&self, party: &str) -> Option<usize> {
        self.present.iter().position(|p| p.party == party)
    }

    fn join(&mut self, event: &Event) -> Result<(), Decline> {
        let role = event.role.unwrap_or(Role::External);
        self.forgotten.retain(|f| f.0 != event.party);
        if let Some(index) = self.present_index(&event.party) {
            let message = format!(
                "party {} joined again without leaving; its first presence ends here",
                py_repr(&event.party)?
            );
            self.warn(event, "party-joined-again", message);
            self.end_presence(index, event.t_ms, Some(event.index), None);
        }
        self.present.push(Open {
            party: event.party.clone(),
            role,
            visibility: event.visibility,
            person: event.person.clone(),
            start_ms: event.t_ms,
            join_event: event.index,
        });
        match self
            .known_roles
            .iter_mut()
            .find(|(party, _, _)| *party == event.party)
        {
            Some(known) => (known.1, known.2) = (role, event.visibility),
            None => self
                .known_roles
                .push((event.party.clone(), role, event.visibility)),
        }
        if is_visible_agent(role, event.visibility) {
            self.visible_agents += 1;
            if self.visible_agents == 1 {
                self.handle_open = Some(OpenSpan {
                    start_ms: event.t_ms,
                    from_event: Some(event.index),
                });
                self.end_rejoin_wait(event.t_ms, Some(event.index));
            }
            if self.transcript.is_async && self.async_state != AsyncState::Active {
                self.wake(event);
                self.async_state = AsyncState::Active;
            }
        }
        self.activity(event, role, event.visibility, true);
        Ok(())
    }

    fn leave(&mut self, event: &Event) -> Result<(), Decline> {
        self.rejoin_if_forgotten(event)?;
        let Some(index) = self.present_index(&event.party) else {
            let message = format!(
                "leave of party {} that is not present, ignored",
                py_repr(&event.party)?
            );
            self.warn(event, "party-not-present", message);
            return Ok(());
        };
        let (role, visibility) = (self.present[index].role, self.present[index].visibility);
        let was_visible = is_visible_agent(role, visibility);
        let burst_closes = event.cause == LeaveCause::Server && self.server_burst_empties(event);
        self.end_presence(index, event.t_ms, Some(event.index), Some(event.cause));
        let kind = self
            .closure_by_leave(event, role)
            .or(burst_closes.then_some(ClosureKind::System));
        if let Some(kind) = kind {
            // present before this leave: for a burst of server removals, before its first
            let mut before = self.present_parties();
            before.push((role, visibility));
            let remover = if event.by.is_empty() {
                None
            } else {
                self.known_roles
                    .iter()
                    .find(|(p, _, _)| *p == event.by)
                    .map(|(_, r, _)| *r)
            };
            let reason = (kind == ClosureKind::System).then_some(CloseReason::DbError);
            self.closure_with(
                event.t_ms,
                kind,
                Some(event.index),
                reason,
                Some(role),
                Some(event.cause),
                remover,
                Some(before),
            );
            return Ok(());
        }
        if was_visible && self.visible_agents == 0 && self.transcript.is_async {
            self.async_state = AsyncState::Dormant;
            self.dormant_open = Some(OpenSpan {
                start_ms: event.t_ms,
                from_event: Some(event.index),
            });
            self.rejoin_open = Some(OpenSpan {
                start_ms: event.t_ms,
                from_event: Some(event.index),
            });
            self.report(Trigger::AsyncHold, event.t_ms);
        }
        self.activity(event, role, visibility, true);
        Ok(())
    }

    fn closure_by_leave(&self, event: &Event, role: Role) -> Option<ClosureKind> {
        if event.after == AfterAction::ForceClose {
            return Some(ClosureKind::ForceClose);
        }
        if event.after == AfterAction::CloseIfNoAgents
            && role != Role::Client
            && role.is_participant()
            && !self.present.iter().any(|p| p.role.is_human_agent())
        {
            return Some(ClosureKind::CloseIfNoAgents);
        }
        if role.is_participant() && !self.present.iter().any(|p| p.role.is_participant()) {
            return Some(if event.cause == LeaveCause::Server {
                ClosureKind::System
            } else {
                ClosureKind::LastLeft
            });
        }
        None
    }

    fn message(&mut self, event: &Event) -> Result<(), Decline> {
        self.rejoin_if_forgotten(event)?;
        let (role, visibility) = self.role_of(event)?;
        self.messages.push(MessageRecord {
            event_index: event.index,
            t_ms: event.t_ms,
            size: event.text_chars,
            role,
            visible_agent: is_visible_agent(role, visibility),
            visibility: event.visibility,
        });
        self.any_message = true;
        if role == Role::Client
            && event.visibility == Visibility::All
            && self.async_state == AsyncState::Dormant
        {
            self.wake_by_customer(event)?;
        }
        self.activity(event, role, event.visibility, false);
        Ok(())
    }

    fn notice(&mut self, event: &Event) -> Result<(), Decline> {
        self.rejoin_if_forgotten(event)?;
        if event.notice_type == IDLE_CONTROL_ALERT
            && !self.transcript.is_async
            && !self.options.inactivity_enabled
        {
            let message = format!(
                "the transcript records an inactivity alert at +{}s, but inactivity control is \
                 disabled in the options (-o inactivity-control/enabled=true simulates it)",
                seconds_g(event.t_ms)
            );
            self.warn(event, "inactivity-alert-not-simulated", message);
        }
        let (role, _) = self.role_of(event)?;
        if role == Role::Client
            && event.visibility == Visibility::All
            && self.async_state == AsyncState::Dormant
            && self.options.async_idle_notices.counts(&event.notice_type)
        {
            self.wake_by_customer(event)?;
        }
        self.activity(event, role, event.visibility, false);
        Ok(())
    }

    fn recorded_close(&mut self, event: &Event) -> Result<(), Decline> {
        let reason = event.reason.unwrap_or(CloseReason::Inactive);
        if reason == CloseReason::Inactive && !self.options_would_close(event.t_ms) {
            let message = format!(
                "recorded inactivity closure at t={}s kept, although these options would not \
                 close the session then",
                seconds_g(event.t_ms)
            );
            self.warn(event, "inactivity-closure-kept", message);
        }
        self.close(
            event.t_ms,
            ClosureKind::System,
            Some(event.index),
            Some(reason),
            None,
        );
        Ok(())
    }

    fn options_would_close(&self, t_ms: i64) -> bool {
        self.timers.iter().any(|t| {
            t.closes_at()
                .is_some_and(|at| (at - t_ms).abs() <= CLOSE_TOLERANCE_MS)
        })
    }

    fn restore(&mut self, event: &Event) -> Result<(), Decline> {
        if let Some(index) = self.present_index(&event.party) {
            self.end_presence(index, event.t_ms, Some(event.index), None);
        }
        if !self.any_message {
            self.forget_agents(event);
        }
        Ok(())
    }

    /// Session restoration before any message: agent, supervisor and bot joins never were.
    fn forget_agents(&mut self, event: &Event) {
        let forgets = |role: Role| matches!(role, Role::Agent | Role::Supervisor | Role::Bot);
        let last_joins = self
            .presences
            .iter()
            .map(|p| (&p.party, p.role, p.visibility, &p.person))
            .chain(
                self.present
                    .iter()
                    .map(|p| (&p.party, p.role, p.visibility, &p.person)),
            )
            .filter(|(_, role, _, _)| forgets(*role))
            .map(|(party, role, visibility, person)| {
                (party.clone(), role, visibility, person.clone())
            })
            .collect::<Vec<_>>();
        for forgotten in last_joins {
            match self.forgotten.iter_mut().find(|f| f.0 == forgotten.0) {
                Some(known) => *known = forgotten,
                None => self.forgotten.push(forgotten),
            }
        }
        self.present.retain(|p| !forgets(p.role));
        self.presences.retain(|p| !forgets(p.role));
        if self.visible_agents > 0 {
            if let Some(i) = self.inactivity {
                self.timers[i].stop();
            }
        }
        self.visible_agents = 0;
        self.handle.clear();
        self.handle_open = None;
        self.idle_spans.clear();
        self.idle_open.clear();
        self.dormant.clear();
        self.dormant_open = None;
        self.until_rejoin.clear();
        self.rejoin_open = None;
        self.async_idle.clear();
        self.async_idle_open = None;
        self.async_state = AsyncState::Routing;
        self.warn(
            event,
            "restoration-forgets-agents",
            "session restoration before any message: the agent, supervisor and bot joins \
             before it are forgotten"
                .to_string(),
        );
    }

    /// Reset the timers this event counts as activity for, ending their idle spans.
    fn activity(&mut self, event: &Event, role: Role, visibility: Visibility, presence: bool) {
        if role == Role::Bot {
            return;
        }
        for i in 0..self.timers.len() {
            if Some(i) == self.inactivity && self.visible_agents == 0 {
                continue;
            }
            let name = self.timers[i].name;
            if self.qualifies(event, role, visibility, name, presence) {
                self.timers[i].reset(event.t_ms);
                if !self.idle_open.is_empty() || self.async_idle_open.is_some() {
                    self.end_idle(name, event.t_ms, Some(event.index));
                }
            }
        }
    }

    fn qualifies(
        &self,
        event: &Event,
        role: Role,
        visibility: Visibility,
        timer: TimerName,
        presence: bool,
    ) -> bool {
        if role == Role::Bot || visibility != Visibility::All {
            return false;
        }
        if presence {
            return timer == TimerName::Inactivity || role.is_human_agent();
        }
        if event.kind == EventKind::Message {
            return true;
        }
        let filter = if timer == TimerName::Inactivity {
            self.options.include_notices
        } else {
            self.options.async_idle_notices
        };
        filter.counts(&event.notice_type)
    }

    fn end_idle(&mut self, timer: TimerName, t_ms: i64, event: Option<usize>) {
        if let Some(i) = self.idle_open.iter().position(|(t, _)| *t == timer) {
            let (_, span) = self.idle_open.remove(i);
            self.idle_spans.push(span.until(t_ms, event));
        }
        if timer == TimerName::AsyncIdle {
            self.end_async_idle(t_ms, event);
        }
    }

    fn end_async_idle(&mut self, t_ms: i64, event: Option<usize>) {
        if let Some(span) = self.async_idle_open.take() {
            self.async_idle.push(span.until(t_ms, event));
        }
    }

    fn wake_by_customer(&mut self, event: &Event) -> Result<(), Decline> {
        self.wake(event);
        if event.kind != EventKind::Message {
            // Only a customer message makes the time until the agent rejoins excluded (5.1).
            self.end_rejoin_wait(event.t_ms, Some(event.index));
        }
        self.async_state = AsyncState::Routing;
        self.report(Trigger::CustomerMessageDuringHold, event.t_ms);
        Ok(())
    }

    fn end_rejoin_wait(&mut self, t_ms: i64, event: Option<usize>) {
        if let Some(span) = self.rejoin_open.take() {
            self.until_rejoin.push(span.until(t_ms, event));
        }
    }

    fn wake(&mut self, event: &Event) {
        if let Some(span) = self.dormant_open.take() {
            self.dormant.push(span.until(event.t_ms, Some(event.index)));
        }
        self.end_async_idle(event.t_ms, Some(event.index));
    }

    fn end_presence(
        &mut self,
        index: usize,
        t_ms: i64,
        event: Option<usize>,
        cause: Option<LeaveCause>,
    ) {
        let opened = self.present.remove(index);
        let visible = is_visible_agent(opened.role, opened.visibility);
        self.presences.push(Presence {
            party: opened.party,
            role: opened.role,
            visibility: opened.visibility,
            person: opened.person,
            start_ms: opened.start_ms,
            end_ms: t_ms,
            join_event: opened.join_event,
            leave_event: event,
            leave_cause: cause,
        });
        if visible {
            self.visible_agents -= 1;
            if self.visible_agents == 0 {
                self.no_visible_agent(t_ms, event);
            }
        }
    }

    fn no_visible_agent(&mut self, t_ms: i64, event: Option<usize>) {
        if let Some(span) = self.handle_open.take() {
            self.handle.push(span.until(t_ms, event));
        }
        let open: Vec<TimerName> = self.idle_open.iter().map(|(t, _)| *t).collect();
        for timer in open {
            self.end_idle(timer, t_ms, event);
        }
        if self.closure.is_none() {
            if let Some(i) = self.inactivity {
                self.timers[i].stop();
            }
        }
    }

    fn present_parties(&self) -> Vec<(Role, Visibility)> {
        self.present
            .iter()
            .map(|p| (p.role, p.visibility))
            .collect()
    }

    fn close(
        &mut self,
        t_ms: i64,
        kind: ClosureKind,
        event: Option<usize>,
        reason: Option<CloseReason>,
        closer_role: Option<Role>,
    ) {
        self.closure_with(t_ms, kind, event, reason, closer_role, None, None, None);
    }

    #[allow(clippy::too_many_arguments)] // the closure's fields, as Python's keyword arguments
    fn closure_with(
        &mut self,
        t_ms: i64,
        kind: ClosureKind,
        event: Option<usize>,
        reason: Option<CloseReason>,
        closer_role: Option<Role>,
        cause: Option<LeaveCause>,
        remover_role: Option<Role>,
        present_before: Option<Vec<(Role, Visibility)>>,
    ) {
        let present_before = present_before.unwrap_or_else(|| self.present_parties());
        self.closure = Some(Closure {
            t_ms,
            simulated: false,
            kind,
            event,
            closer_role,
            cause,
            reason,
            remover_role,
            present_before,
        });
        while !self.present.is_empty() {
            self.end_presence(0, t_ms, None, None);
        }
        let open: Vec<TimerName> = self.idle_open.iter().map(|(t, _)| *t).collect();
        for timer in open {
            self.end_idle(timer, t_ms, None);
        }
        if let Some(span) = self.dormant_open.take() {
            self.dormant.push(span.until(t_ms, None));
        }
        self.end_rejoin_wait(t_ms, None);
        self.end_async_idle(t_ms, None);
    }
}

/// A party id as Python's `repr` writes it, for ids of printable ASCII (the quotes Python
/// chooses, its backslash escapes); any other id declines the session, since matching Python's
/// idea of a printable character is not worth it for the ids seen in transcripts.
pub fn py_repr(text: &str) -> Result<String, Decline> {
    if !text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Err(Decline::new("a party id Python would escape (a warning)"));
    }
    let quote = if text.contains('\'') && !text.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(text.len() + 2);
    out.push(quote);
    for c in text.chars() {
        if c == '\\' || c == quote {
            out.push('\\');
        }
        out.push(c);
    }
    out.push(quote);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::py_repr;

    #[test]
    fn py_repr_quotes_as_python_does() {
        assert_eq!(py_repr("a1").unwrap(), "'a1'");
        assert_eq!(py_repr("it's").unwrap(), "\"it's\"");
        assert_eq!(py_repr("a'b\"c").unwrap(), "'a\\'b\"c'");
        assert_eq!(py_repr("back\\slash").unwrap(), "'back\\\\slash'");
        assert!(py_repr("gh\u{f6}st").is_err());
        assert!(py_repr("tab\there").is_err());
    }
}
