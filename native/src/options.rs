//! The option values one replay needs, as `chatstats_core.engine.options.Options` holds them.

use crate::errors::Warning;
use crate::model::Visibility;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttachLevel {
    None,
    All,
    Fired,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StopPolicy {
    Always,
    Never,
    NoAgents,
    NoAnswer,
}

/// Which notices count as activity (`include-notices`, `async-idle-notices`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeFilter {
    None,
    Major,
    Major2,
    Typing,
    All,
}

impl NoticeFilter {
    pub fn parse(text: &str) -> Option<NoticeFilter> {
        Some(match text {
            "none" => NoticeFilter::None,
            "major" => NoticeFilter::Major,
            "major2" => NoticeFilter::Major2,
            "typing" => NoticeFilter::Typing,
            "all" => NoticeFilter::All,
            _ => return None,
        })
    }

    /// Whether a notice of this type counts as activity under this filter.
    pub fn counts(self, notice_type: &str) -> bool {
        let major = matches!(notice_type, "PUSH_URL" | "FILE_UPLOADED" | "FILE_DELETED");
        match self {
            NoticeFilter::None => false,
            NoticeFilter::Major => major,
            NoticeFilter::Major2 => major || notice_type == "USER_CUSTOM",
            NoticeFilter::Typing => major || notice_type == "TYPING_STARTED",
            NoticeFilter::All => {
                major
                    || matches!(
                        notice_type,
                        "USER_CUSTOM" | "TYPING_STARTED" | "TYPING_STOPPED" | "NICKNAME_UPDATED"
                    )
            }
        }
    }
}

#[derive(Clone, Debug)]
pub struct Options {
    pub attach_session_statistics: AttachLevel,
    pub stop_abandoned_interaction: StopPolicy,
    pub attach_stats_rep_events: i64,
    pub attach_stats_rep_place: i64,
    pub async_idle_alert: i64,
    pub async_idle_close: i64,
    pub async_idle_notices: NoticeFilter,
    pub inactivity_enabled: bool,
    pub include_notices: NoticeFilter,
    pub timeout_alert: i64,
    pub timeout_alert2: i64,
    pub timeout_close: i64,
    pub tenant_id: i64,
    pub bot_gateway: bool,
    pub coach_visibility: Visibility,
    /// Every option as (`section/name`, its value as JSON), sorted: the output's `options`.
    pub effective: Vec<(String, String)>,
    /// The combinations accepted but probably wrong (`Options.warnings()`, said as Python
    /// words them).
    pub warnings: Vec<Warning>,
}

/// The options the replay pass itself reads (`replay.rs`, `timers.rs`): two option sets with
/// the same key give the same timelines, whatever their other options (those are read after,
/// by the families and the classification).
pub type TimelineKey = (bool, i64, i64, i64, i64, i64, NoticeFilter, NoticeFilter);

impl Options {
    /// This set's [`TimelineKey`].
    pub fn timeline_key(&self) -> TimelineKey {
        (
            self.inactivity_enabled,
            self.timeout_alert,
            self.timeout_alert2,
            self.timeout_close,
            self.async_idle_alert,
            self.async_idle_close,
            self.include_notices,
            self.async_idle_notices,
        )
    }

    /// The join visibility that means monitoring: the one of VIP/INT that is not coaching.
    pub fn monitor_visibility(&self) -> Visibility {
        if self.coach_visibility == Visibility::Vip {
            Visibility::Int
        } else {
            Visibility::Vip
        }
    }
}
