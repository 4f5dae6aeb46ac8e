"""chatstats core: load Genesys chat transcripts and replay them into reporting statistics.

No terminal, no typer, no rich here: functions return values and raise
:class:`~chatstats_core.errors.ChatstatsError`. The public names below are imported on first
use (PEP 562), so ``chatstats --version`` does not pay for the engine.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "ALL_KVPS": "engine",
    "RULES": "engine",
    "Result": "engine",
    "replay_session": "engine",
    "ChatstatsError": "errors",
    "InputError": "errors",
    "OptionError": "errors",
    "load_bytes": "transcript.loading",
    "load_path": "transcript.loading",
    "Transcript": "transcript.model",
    "OPTION_SPECS": "engine.options",
    "Options": "engine.options",
    "build_options": "engine.options",
    "read_options_file": "engine.options",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'chatstats_core' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"chatstats_core.{module}"), name)
    globals()[name] = value
    return value
