"""chatstats core: load Genesys chat transcripts and replay them into reporting statistics.

No terminal, no typer, no rich here: functions return values and raise
:class:`~chatstats_core.errors.ChatstatsError`.
"""

from __future__ import annotations

from .engine import ALL_KVPS, RULES, Result, replay_session
from .errors import ChatstatsError, InputError, OptionError
from .loading import load_bytes, load_path
from .model import Transcript
from .options import OPTION_SPECS, Options, build_options, read_options_file

__version__ = "0.1.0"

__all__ = [
    "ALL_KVPS",
    "OPTION_SPECS",
    "RULES",
    "ChatstatsError",
    "InputError",
    "OptionError",
    "Options",
    "Result",
    "Transcript",
    "__version__",
    "build_options",
    "load_bytes",
    "load_path",
    "read_options_file",
    "replay_session",
]
