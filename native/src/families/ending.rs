//! The ending family (`chatstats_core/engine/families/ending.py`): who ended the session, how, whether it was abandoned and stopped; the
//! seed's ended-by/reason table.

use crate::errors::Warning;
use crate::model::{LeaveCause, Role};
use crate::options::{Options, StopPolicy};
use crate::timelines::{Closure, ClosureKind, Timelines};

pub struct Classification {
    pub ended_by: &'static str,
    pub ended_reason: &'static str,
    pub ended_agent: &'static str,
    pub abandoned: bool,
    pub interaction_stopped: bool,
}

fn how(cause: Option<LeaveCause>) -> &'static str {
    if cause == Some(LeaveCause::Disconnect) {
        "DISCONNECT"
    } else {
        "QUIT"
    }
}

fn ended_by(timelines: &Timelines, closure: &Closure) -> (&'static str, &'static str) {
    let limit = closure.event.unwrap_or(usize::MAX); // no event: every leave counts
                                                     // "whenever a client leaves the chat session first", whether or not it joined again
    let first_self_leave = timelines
        .presences
        .iter()
        .filter(|p| {
            p.role == Role::Client
                && p.leave_event.is_some_and(|e| e <= limit)
                && matches!(
                    p.leave_cause,
                    Some(LeaveCause::Quit | LeaveCause::Disconnect)
                )
        })
        .min_by_key(|p| p.leave_event.unwrap_or(0)); // the first of equals, as Python's min
    if let Some(first) = first_self_leave {
        return ("CLIENT", how(first.leave_cause));
    }
    match closure.kind {
        ClosureKind::ForceClose | ClosureKind::CloseIfNoAgents => {
            (Role::participant_type(closure.closer_role), "FORCE")
        }
        ClosureKind::LastLeft if closure.cause == Some(LeaveCause::Removed) => {
            (Role::participant_type(closure.remover_role), "QUIT")
        }
        ClosureKind::LastLeft => (
            Role::participant_type(closure.closer_role),
            how(closure.cause),
        ),
        ClosureKind::System => ("SYSTEM", closure.reason.map_or("INACTIVE", |r| r.name())),
    }
}

pub fn classify(timelines: &Timelines, closure: &Closure, options: &Options) -> Classification {
    let (by, reason) = ended_by(timelines, closure);
    let any_visible = timelines.presences.iter().any(|p| p.is_visible_agent());
    let agent = if !any_visible {
        "ABSENT"
    } else if closure
        .present_before
        .iter()
        .any(|(r, v)| crate::model::is_visible_agent(*r, *v))
    {
        "PRESENT"
    } else {
        "VISITED"
    };
    let stopped = match options.stop_abandoned_interaction {
        StopPolicy::Always => true,
        StopPolicy::Never => false,
        StopPolicy::NoAgents => !closure
            .present_before
            .iter()
            .any(|(r, _)| r.is_human_agent()),
        StopPolicy::NoAnswer => !any_visible,
    };
    Classification {
        ended_by: by,
        ended_reason: reason,
        ended_agent: agent,
        abandoned: agent == "ABSENT",
        interaction_stopped: stopped,
    }
}

/// An ended-by / reason pair outside the seed's table makes the Python engine warn: declined.
/// The warning for an ended-by / reason pair the seed's table does not allow
/// (`ending.seed_table_warning`), else None.
pub fn seed_table_warning(found: &Classification, timelines: &Timelines) -> Option<Warning> {
    let (by, reason) = (found.ended_by, found.ended_reason);
    let actor = matches!(by, "AGENT" | "SUPERVISOR" | "BOT");
    let allowed: &[&str] = match by {
        "CLIENT" => &["QUIT", "DISCONNECT"],
        "SYSTEM" => &["INACTIVE", "DB_ERROR"],
        _ if actor => &["QUIT", "DISCONNECT", "FORCE"],
        _ => &[],
    };
    let had_client = timelines.presences.iter().any(|p| p.role == Role::Client);
    let rule = if !allowed.contains(&reason) {
        if allowed.is_empty() {
            format!("{by} is not a value of csg_SessionEndedBy")
        } else {
            format!("{by} goes only with {}", allowed.join(" or "))
        }
    } else if actor && reason != "FORCE" && had_client {
        format!(
            "{by} ends a session only by force or close-if-no-agents, or when the session \
             never had a customer"
        )
    } else {
        return None;
    };
    Some(Warning {
        code: std::borrow::Cow::Borrowed("outside-seed-table"),
        message: format!("ended-by/reason {by}/{reason} is outside the seed's table: {rule}"),
        event: timelines.closure.as_ref().and_then(|c| c.event),
        line: None,
        names_event: false,
    })
}
