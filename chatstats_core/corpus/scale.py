"""Replaying a corpus beyond one machine: small picklable functions for Dask (or any map).

``replay_session`` is already a pure function of picklable values; these wrap it for the shape
a distributed map sees: one line of JSON Lines in, one replay-JSON dictionary out. See
docs/scale.md for a Dask bag example.
"""

from __future__ import annotations

from typing import Any

from chatstats_core.engine import replay_session
from chatstats_core.engine.contract import result_to_dict
from chatstats_core.engine.options import Options
from chatstats_core.errors import ChatstatsError
from chatstats_core.transcript.loading import load_bytes


def replay_line(line: str | bytes, options: Options, source: str = "line") -> dict[str, Any]:
    """One canonical JSON transcript (a JSON Lines line) replayed, as the replay JSON document.

    A transcript that cannot be read gives ``{"source": ..., "error": "<one line>"}`` instead,
    so one bad line does not stop a distributed job.
    """
    data = line.encode("utf-8") if isinstance(line, str) else line
    try:
        return result_to_dict(replay_session(load_bytes(data, source, "line"), options))
    except ChatstatsError as exc:
        return {"source": source, "error": exc.one_line()}
