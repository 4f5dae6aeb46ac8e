//! The interval families (`chatstats_core/engine/families/intervals.py`): handle, active idle,
//! and for async sessions dormant and async idle.

use crate::kvps;
use crate::model::Transcript;
use crate::stats::{triple, Stat};
use crate::timelines::Timelines;

/// cse_SessionHandle*, cse_ActiveIdle*, and for async sessions cse_AsyncDormant*/Idle*.
pub(super) fn interval_stats(
    transcript: &Transcript,
    timelines: &Timelines,
    stats: &mut Vec<Stat>,
) {
    triple(kvps::SESSION_HANDLE, &timelines.handle, stats);
    triple(kvps::ACTIVE_IDLE, &timelines.active_idle, stats);
    if transcript.is_async {
        triple(kvps::ASYNC_DORMANT, &timelines.dormant, stats);
        triple(kvps::ASYNC_IDLE, &timelines.async_idle, stats);
    }
}
