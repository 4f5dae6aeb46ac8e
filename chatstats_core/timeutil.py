"""Timestamps and durations, the Genesys way: UTC, whole seconds, truncated never rounded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def parse_timestamp(text: str) -> datetime:
    """Parse an ISO-8601 timestamp into an aware UTC datetime (naive means UTC).

    Raises ValueError when the text is not a timestamp.
    """
    value = datetime.fromisoformat(text.strip())
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def format_timestamp(start: datetime, offset_ms: int = 0) -> str:
    """``start + offset`` as ``YYYY-MM-DDTHH:MM:SSZ``, truncated to the whole second."""
    instant = start + timedelta(milliseconds=offset_ms)
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")


def whole_seconds(ms: int) -> int:
    """Milliseconds to whole seconds, truncated (the seed's durations are whole seconds)."""
    return ms // 1000


def offset_seconds(ms: int) -> int | float:
    """Milliseconds as seconds for output: an integer when whole, else a decimal (1.234)."""
    return ms // 1000 if ms % 1000 == 0 else ms / 1000
