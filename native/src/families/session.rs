//! The session family (`chatstats_core/engine/families/session.py`): the session's own KVPs.

use crate::kvps::Kvp;
use crate::model::Transcript;
use crate::options::Options;
use crate::stats::{stat, text_stat, whole_seconds, Stat};
use crate::timelines::Timelines;
use crate::timestamp::format_timestamp;

pub(super) fn session_stats(
    transcript: &Transcript,
    timelines: &Timelines,
    options: &Options,
    stats: &mut Vec<Stat>,
) {
    let media_type = transcript
        .media_type
        .as_deref()
        .filter(|m| !m.is_empty())
        .unwrap_or("chat");
    stats.push(text_stat(
        Kvp::ChatServerSessionStartedAt,
        &format_timestamp(transcript.started_ms),
        true,
    ));
    stats.push(text_stat(
        Kvp::csg_ChatSessionID,
        &transcript.session_id,
        true,
    ));
    stats.push(text_stat(Kvp::csg_MediaType, media_type, true));
    stats.push(stat(
        Kvp::csg_TenantId,
        transcript.tenant_id.unwrap_or(options.tenant_id),
        true,
    ));
    stats.push(text_stat(
        Kvp::csg_ChatAsyncMode,
        if transcript.is_async { "1" } else { "0" },
        transcript.is_async,
    ));
    if let Some(language) = &transcript.language_name {
        stats.push(text_stat(Kvp::csg_LanguageName, language, true));
    }
    if let Some(origin) = &transcript.media_origin {
        stats.push(text_stat(Kvp::csg_MediaOrigin, origin, true));
    }
    if let Some(closure) = &timelines.closure {
        let closed = closure.t_ms;
        stats.push(text_stat(
            Kvp::ChatServerSessionClosedAt,
            &format_timestamp(transcript.started_ms + closed),
            true,
        ));
        stats.push(stat(Kvp::csg_SessionTotalTime, whole_seconds(closed), true));
    }
}
