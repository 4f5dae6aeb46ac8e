"""Limits that keep a hostile or broken transcript from exhausting the machine.

Each limit is checked where the input is read, and exceeding it is an :class:`InputError` that
says which limit and how to raise it.
"""

from __future__ import annotations

from dataclasses import dataclass

MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """How much one transcript may hold."""

    max_bytes: int = 64 * MIB
    max_events: int = 1_000_000
    max_depth: int = 32
    max_attribute: int = 64 * 1024


DEFAULT_LIMITS = Limits()
