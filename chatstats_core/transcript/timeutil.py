"""Timestamps and durations, the Genesys way: UTC, whole seconds, truncated never rounded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def parse_timestamp(text: str) -> datetime:
    """Parse an ISO-8601 timestamp into an aware UTC datetime (naive means UTC).

    Raises ValueError when the text is not a timestamp, or names an instant whose UTC date
    falls outside years 1-9999 (``0001-01-01T00:00:00+01:00``).
    """
    value = datetime.fromisoformat(text.strip())
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError(f"{text.strip()!r} is outside years 1-9999 in UTC") from None


def format_timestamp(start: datetime, offset_ms: int = 0) -> str:
    """``start + offset`` as ``YYYY-MM-DDTHH:MM:SSZ``, truncated to the whole second; the year
    always has four digits (``0999``, which strftime would write ``999`` on some systems)."""
    t = start + timedelta(milliseconds=offset_ms)
    return f"{t.year:04d}-{t.month:02d}-{t.day:02d}T{t.hour:02d}:{t.minute:02d}:{t.second:02d}Z"


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def epoch_seconds(instant: datetime) -> int:
    """Whole seconds since 1970 UTC, floored (an instant before 1970 is negative)."""
    return (instant - _EPOCH) // timedelta(seconds=1)


def from_epoch_seconds(seconds: int) -> datetime:
    """The instant ``seconds`` after 1970 UTC; ValueError outside years 1-9999."""
    try:
        return _EPOCH + timedelta(seconds=seconds)
    except OverflowError:
        raise ValueError(f"{seconds} seconds since 1970 is outside years 1-9999") from None


def format_start(start: datetime) -> str:
    """A transcript's start for writing back: whole seconds, or milliseconds when it has them
    (``2026-01-05T10:00:00.250Z``), so a converted transcript starts at the same instant."""
    whole = format_timestamp(start)
    millis = start.microsecond // 1000
    return whole if not start.microsecond else f"{whole[:-1]}.{millis:03d}Z"


#: The latest a session may start or an event may fall: timers (at most a few weeks) must still
#: land on a date before year 10000, which no timestamp can show.
LATEST = datetime(9999, 10, 1, tzinfo=UTC)


def whole_seconds(ms: int) -> int:
    """Milliseconds to whole seconds, truncated (the seed's durations are whole seconds)."""
    return ms // 1000


def offset_seconds(ms: int) -> int | float:
    """Milliseconds as seconds for output: an integer when whole, else a decimal (1.234)."""
    return ms // 1000 if ms % 1000 == 0 else ms / 1000
