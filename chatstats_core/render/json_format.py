"""The JSON contract of behaviour.md section 9, as indented objects or JSON Lines."""

from __future__ import annotations

import orjson

from chatstats_core.engine import Result
from chatstats_core.engine.contract import result_to_dict


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
