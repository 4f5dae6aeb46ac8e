//! The replay clock's timers (`chatstats_core/engine/timers.py`): staged countdowns reset by
//! activity. A timer has stages (alert, optional alert2, close); each stage's delay counts from
//! the previous expiry. The replay asks for the next deadline and fires it; nothing here reads
//! a wall clock.

use crate::options::Options;
use crate::timelines::{TimerName, TimerStage};

/// One inactivity-style timer: `reset` on activity, `fire` at `deadline`.
pub struct StagedTimer {
    pub name: TimerName,
    stages: Vec<(TimerStage, i64)>,
    stage: usize,
    pub deadline: Option<i64>,
}

impl StagedTimer {
    fn new(name: TimerName, stages: Vec<(TimerStage, i64)>, running: bool) -> Self {
        let deadline = running.then(|| stages[0].1);
        StagedTimer {
            name,
            stages,
            stage: 0,
            deadline,
        }
    }

    /// Activity at `t_ms` (or a start): run again from the first stage.
    pub fn reset(&mut self, t_ms: i64) {
        self.stage = 0;
        self.deadline = Some(t_ms + self.stages[0].1);
    }

    /// Cancel the countdown until the next `reset`.
    pub fn stop(&mut self) {
        self.stage = 0;
        self.deadline = None;
    }

    /// Expire the current stage; return its name and arm the next one (if any).
    pub fn fire(&mut self) -> TimerStage {
        let fired_at = self.deadline.expect("fired while stopped");
        let name = self.stages[self.stage].0;
        self.stage += 1;
        self.deadline = self
            .stages
            .get(self.stage)
            .map(|(_, delay)| fired_at + delay);
        name
    }

    /// The instant this timer would close the session, if no activity came first.
    pub fn closes_at(&self) -> Option<i64> {
        let deadline = self.deadline?;
        Some(
            deadline
                + self.stages[self.stage + 1..]
                    .iter()
                    .map(|(_, d)| d)
                    .sum::<i64>(),
        )
    }
}

/// Inactivity control's timer, when `inactivity-control/enabled` is true. It starts stopped:
/// regular inactivity control runs only while a visible agent is present, and the replay
/// starts it when one joins.
pub fn inactivity_timer(options: &Options) -> Option<StagedTimer> {
    if !options.inactivity_enabled {
        return None;
    }
    let mut stages = vec![(TimerStage::Alert, options.timeout_alert * 1000)];
    if options.timeout_alert2 != 0 {
        stages.push((TimerStage::Alert2, options.timeout_alert2 * 1000));
    }
    stages.push((TimerStage::Close, options.timeout_close * 1000));
    Some(StagedTimer::new(TimerName::Inactivity, stages, false))
}

/// Async idle control's timer, for async sessions.
pub fn async_idle_timer(options: &Options, is_async: bool) -> Option<StagedTimer> {
    if !is_async {
        return None;
    }
    let stages = vec![
        (TimerStage::Alert, options.async_idle_alert * 1000),
        (TimerStage::Close, options.async_idle_close * 1000),
    ];
    Some(StagedTimer::new(TimerName::AsyncIdle, stages, true))
}
