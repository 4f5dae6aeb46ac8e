"""The JSON contract of behaviour.md section 9, as indented objects or JSON Lines."""

from __future__ import annotations

from typing import Any

import orjson

from chatstats_core.engine import Result
from chatstats_core.errors import warning_texts


def result_to_dict(result: Result) -> dict[str, Any]:
    """One session in the output contract's key order."""
    c = result.classification
    return {
        "session_id": result.session_id,
        "source": result.source,
        "options": result.options.effective(),
        "kvps": result.kvps,
        "classification": {
            "ended_by": c.ended_by,
            "ended_reason": c.ended_reason,
            "ended_agent": c.ended_agent,
            "abandoned": c.abandoned,
            "interaction_stopped": c.interaction_stopped,
        },
        "delivery": result.delivery,
        "reporting_events": [
            {"t": e.t, "at": e.at, "trigger": e.trigger.value, "place": e.place, "kvps": e.kvps}
            for e in result.reporting_events
        ],
        "warnings": warning_texts(result.warnings),
    }


class JsonRenderer:
    """Each session as an indented JSON object, one after another (a stream, like jq's)."""

    separator = ""

    def begin(self) -> str:
        return ""

    def item(self, result: Result) -> str:
        return orjson.dumps(result_to_dict(result), option=orjson.OPT_INDENT_2).decode() + "\n"

    def end(self) -> str:
        return ""


class JsonLinesRenderer(JsonRenderer):
    """Each session as one compact JSON object per line."""

    def item(self, result: Result) -> str:
        return orjson.dumps(result_to_dict(result)).decode() + "\n"
