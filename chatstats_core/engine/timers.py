"""The replay clock's timers: staged countdowns reset by activity.

A timer has stages (alert, optional alert2, close); each stage's delay counts from the previous
expiry. The replay asks for the next deadline and fires it; nothing here reads a wall clock.
"""

from __future__ import annotations

from chatstats_core.engine.options import Options
from chatstats_core.engine.timelines import TimerName, TimerStage


class StagedTimer:
    """One inactivity-style timer: ``reset`` on activity, ``fire`` at ``deadline``."""

    __slots__ = ("name", "stages", "stage", "deadline")

    def __init__(
        self, name: TimerName, stages: tuple[tuple[TimerStage, int], ...], running: bool = True
    ) -> None:
        self.name = name
        self.stages = stages
        self.stage = 0
        self.deadline: int | None = stages[0][1] if running else None

    def reset(self, t_ms: int) -> None:
        """Activity at ``t_ms`` (or a start): run again from the first stage."""
        self.stage = 0
        self.deadline = t_ms + self.stages[0][1]

    def stop(self) -> None:
        """Cancel the countdown until the next ``reset``."""
        self.stage = 0
        self.deadline = None

    def fire(self) -> TimerStage:
        """Expire the current stage; return its name and arm the next one (if any)."""
        assert self.deadline is not None
        name = self.stages[self.stage][0]
        fired_at = self.deadline
        self.stage += 1
        self.deadline = (
            fired_at + self.stages[self.stage][1] if self.stage < len(self.stages) else None
        )
        return name

    @property
    def closes_at(self) -> int | None:
        """The instant this timer would close the session, if no activity came first."""
        if self.deadline is None:
            return None
        return self.deadline + sum(delay for _, delay in self.stages[self.stage + 1 :])


def inactivity_timer(options: Options) -> StagedTimer | None:
    """Inactivity control's timer, when ``inactivity-control/enabled`` is true.

    It starts stopped: regular inactivity control runs only while a visible agent is present,
    and the replay starts it when one joins.
    """
    if not options.inactivity_enabled:
        return None
    stages = [(TimerStage.ALERT, options.timeout_alert * 1000)]
    if options.timeout_alert2:
        stages.append((TimerStage.ALERT2, options.timeout_alert2 * 1000))
    stages.append((TimerStage.CLOSE, options.timeout_close * 1000))
    return StagedTimer(TimerName.INACTIVITY, tuple(stages), running=False)


def async_idle_timer(options: Options, is_async: bool) -> StagedTimer | None:
    """Async idle control's timer, for async sessions."""
    if not is_async:
        return None
    return StagedTimer(
        TimerName.ASYNC_IDLE,
        (
            (TimerStage.ALERT, options.async_idle_alert * 1000),
            (TimerStage.CLOSE, options.async_idle_close * 1000),
        ),
    )
