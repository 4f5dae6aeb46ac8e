"""The JSON contract of behaviour.md section 9, as indented objects or JSON Lines."""

from __future__ import annotations

from typing import TYPE_CHECKING

import orjson

if TYPE_CHECKING:  # a renderer is made for every run; only the Python engine's results need these
    from chatstats_core.engine import Result


class JsonRenderer:
    """Each session as an indented JSON object, one after another (a stream, like jq's)."""

    separator = ""

    def begin(self) -> str:
        return ""

    def item(self, result: Result) -> str:
        from chatstats_core.engine.contract import result_to_dict

        return orjson.dumps(result_to_dict(result), option=orjson.OPT_INDENT_2).decode() + "\n"

    def end(self) -> str:
        return ""


class JsonLinesRenderer(JsonRenderer):
    """Each session as one compact JSON object per line."""

    def item(self, result: Result) -> str:
        from chatstats_core.engine.contract import result_to_dict

        return orjson.dumps(result_to_dict(result)).decode() + "\n"
