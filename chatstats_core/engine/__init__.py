"""The statistics engine: ``replay_session(transcript, options) -> Result`` (``session``), with
the Chat Server options it replays under (``options``), the replay pass (``replay``), its
timelines and timers, and one module per KVP family (``families``). Depends only on transcripts.

Importing the package imports none of them: the names below are imported on first use (PEP
562), so a run the native core does (or ``engine.kvps`` and ``engine.options`` alone) does not
load the Python engine; mypy reads them from the ``TYPE_CHECKING`` imports, so their users are
type-checked (``tests/test_layers.py`` holds the lists equal).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chatstats_core import lazy_export

if TYPE_CHECKING:  # the same names, typed for mypy (at run time __getattr__ imports them)
    from chatstats_core.engine.families import Classification
    from chatstats_core.engine.replay import TraceEntry, Trigger
    from chatstats_core.engine.rules import (
        ALL_KVPS,
        ATTACHED_UNDER_NONE,
        CLOSURE_KVPS,
        RULES,
        STRING_KVPS,
    )
    from chatstats_core.engine.session import (
        STILL_OPEN,
        ReportingEvent,
        Result,
        attach,
        replay_session,
    )
    from chatstats_core.engine.stats import Stat, Value

_EXPORTS = {
    "Classification": "families",
    "TraceEntry": "replay",
    "Trigger": "replay",
    "ALL_KVPS": "rules",
    "ATTACHED_UNDER_NONE": "rules",
    "CLOSURE_KVPS": "rules",
    "RULES": "rules",
    "STRING_KVPS": "rules",
    "STILL_OPEN": "session",
    "ReportingEvent": "session",
    "Result": "session",
    "attach": "session",
    "replay_session": "session",
    "Stat": "stats",
    "Value": "stats",
}

__all__ = [
    "Classification",
    "TraceEntry",
    "Trigger",
    "ALL_KVPS",
    "ATTACHED_UNDER_NONE",
    "CLOSURE_KVPS",
    "RULES",
    "STRING_KVPS",
    "STILL_OPEN",
    "ReportingEvent",
    "Result",
    "attach",
    "replay_session",
    "Stat",
    "Value",
]


def __getattr__(name: str) -> Any:
    return lazy_export("chatstats_core.engine", _EXPORTS, globals(), name)
