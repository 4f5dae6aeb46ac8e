"""The JSON contract of behaviour.md section 9: a replay's :class:`Result` as plain data, in
the contract's key order. Every JSON output, the comparison of runs and the scale checks read
a result through it, so there is one shape to keep.
"""

from __future__ import annotations

from typing import Any

from chatstats_core.engine import Result
from chatstats_core.engine.families.ending import CLASSIFICATION_FIELDS
from chatstats_core.errors import warning_texts


def result_to_dict(result: Result) -> dict[str, Any]:
    """One session in the output contract's key order."""
    c = result.classification
    return {
        "session_id": result.session_id,
        "source": result.source,
        "options": result.options.effective(),
        "kvps": result.kvps,
        "classification": {name: getattr(c, name) for name in CLASSIFICATION_FIELDS},
        "delivery": result.delivery,
        "reporting_events": [
            {"t": e.t, "at": e.at, "trigger": e.trigger.value, "place": e.place, "kvps": e.kvps}
            for e in result.reporting_events
        ],
        "warnings": warning_texts(result.warnings),
    }
