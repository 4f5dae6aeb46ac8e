//! The transcript model, as `chatstats_core.transcript.model` has it: parties' roles and
//! visibilities, the seven event kinds, and one session's events.

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    Client,
    Agent,
    Supervisor,
    Bot,
    External,
    System,
}

impl Role {
    pub fn parse(text: &str) -> Option<Role> {
        Some(match text {
            "client" => Role::Client,
            "agent" => Role::Agent,
            "supervisor" => Role::Supervisor,
            "bot" => Role::Bot,
            "external" => Role::External,
            "system" => Role::System,
            _ => return None,
        })
    }

    /// Participants keep a session open; external and system parties never do.
    pub fn is_participant(self) -> bool {
        matches!(
            self,
            Role::Client | Role::Agent | Role::Supervisor | Role::Bot
        )
    }

    /// An agent or supervisor (bots are never agents).
    pub fn is_human_agent(self) -> bool {
        matches!(self, Role::Agent | Role::Supervisor)
    }

    /// The csg_SessionEndedBy value for a role: external and system are SYSTEM.
    pub fn participant_type(role: Option<Role>) -> &'static str {
        match role {
            Some(Role::Client) => "CLIENT",
            Some(Role::Agent) => "AGENT",
            Some(Role::Supervisor) => "SUPERVISOR",
            Some(Role::Bot) => "BOT",
            _ => "SYSTEM",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Visibility {
    All,
    Vip,
    Int,
}

impl Visibility {
    pub fn parse(text: &str) -> Option<Visibility> {
        Some(match text {
            "ALL" => Visibility::All,
            "VIP" => Visibility::Vip,
            "INT" => Visibility::Int,
            _ => return None,
        })
    }
}

/// An agent or supervisor, not a bot, that joined visible to the customer.
pub fn is_visible_agent(role: Role, visibility: Visibility) -> bool {
    role.is_human_agent() && visibility == Visibility::All
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    Join,
    Leave,
    Message,
    Notice,
    Close,
    Restore,
    Route,
}

impl EventKind {
    /// The kind as the JSON format (and Python's `EventKind.value`) names it.
    pub fn value(self) -> &'static str {
        match self {
            EventKind::Join => "join",
            EventKind::Leave => "leave",
            EventKind::Message => "message",
            EventKind::Notice => "notice",
            EventKind::Close => "close",
            EventKind::Restore => "restore",
            EventKind::Route => "route",
        }
    }

    pub fn parse(text: &str) -> Option<EventKind> {
        Some(match text {
            "join" => EventKind::Join,
            "leave" => EventKind::Leave,
            "message" => EventKind::Message,
            "notice" => EventKind::Notice,
            "close" => EventKind::Close,
            "restore" => EventKind::Restore,
            "route" => EventKind::Route,
            _ => return None,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AfterAction {
    KeepAlive,
    CloseIfNoAgents,
    ForceClose,
}

impl AfterAction {
    pub fn parse(text: &str) -> Option<AfterAction> {
        Some(match text {
            "keep-alive" => AfterAction::KeepAlive,
            "close-if-no-agents" => AfterAction::CloseIfNoAgents,
            "force-close" => AfterAction::ForceClose,
            _ => return None,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LeaveCause {
    Quit,
    Disconnect,
    Removed,
    Server,
}

impl LeaveCause {
    pub fn parse(text: &str) -> Option<LeaveCause> {
        Some(match text {
            "quit" => LeaveCause::Quit,
            "disconnect" => LeaveCause::Disconnect,
            "removed" => LeaveCause::Removed,
            "server" => LeaveCause::Server,
            _ => return None,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CloseReason {
    Inactive,
    DbError,
}

impl CloseReason {
    pub fn parse(text: &str) -> Option<CloseReason> {
        Some(match text {
            "inactive" => CloseReason::Inactive,
            "db_error" => CloseReason::DbError,
            _ => return None,
        })
    }

    /// The enum member's name, as csg_SessionEndedReason shows it.
    pub fn name(self) -> &'static str {
        match self {
            CloseReason::Inactive => "INACTIVE",
            CloseReason::DbError => "DB_ERROR",
        }
    }
}

/// One transcript event; fields that do not apply to its kind keep their defaults.
#[derive(Clone, Debug)]
pub struct Event {
    pub index: usize,
    pub t_ms: i64,
    pub kind: EventKind,
    pub party: String,
    pub role: Option<Role>,
    pub visibility: Visibility,
    pub person: String,
    pub text_chars: usize,
    pub notice_type: String,
    pub after: AfterAction,
    pub cause: LeaveCause,
    pub by: String,
    pub by_given: bool,
    pub reason: Option<CloseReason>,
    /// The source line its element starts on (XML only), as warnings name it.
    pub line: Option<usize>,
}

/// One chat session as recorded.
#[derive(Debug)]
pub struct Transcript {
    pub session_id: String,
    /// Milliseconds from 1970-01-01T00:00:00Z (may be negative).
    pub started_ms: i64,
    pub events: Vec<Event>,
    pub media_type: Option<String>,
    pub language_name: Option<String>,
    pub media_origin: Option<String>,
    pub tenant_id: Option<i64>,
    pub is_async: bool,
}
