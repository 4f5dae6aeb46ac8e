"""chatstats core: load Genesys chat transcripts and replay them into reporting statistics.

No terminal, no typer, no rich here: functions return values and raise
:class:`~chatstats_core.errors.ChatstatsError`. The public names below are imported on first
use (PEP 562), so ``chatstats --version`` does not pay for the engine; mypy reads them from the
``TYPE_CHECKING`` imports, so their users are type-checked (a test holds the two lists equal).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the same names, typed for mypy (at run time __getattr__ imports them)
    from chatstats_core.engine import ALL_KVPS, RULES, Result, replay_session
    from chatstats_core.engine.options import (
        OPTION_SPECS,
        Options,
        build_options,
        read_options_file,
    )
    from chatstats_core.errors import ChatstatsError, InputError, OptionError
    from chatstats_core.transcript.loading import load_bytes, load_path
    from chatstats_core.transcript.model import Transcript

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

__all__ = [
    "__version__",
    "ALL_KVPS",
    "RULES",
    "Result",
    "replay_session",
    "ChatstatsError",
    "InputError",
    "OptionError",
    "load_bytes",
    "load_path",
    "Transcript",
    "OPTION_SPECS",
    "Options",
    "build_options",
    "read_options_file",
]


def lazy_export(package: str, exports: dict[str, str], namespace: dict[str, Any], name: str) -> Any:
    """A package's ``__getattr__`` (PEP 562): ``name`` imported from the module of ``package``
    that ``exports`` names for it, and kept in the package's ``namespace`` for next time;
    AttributeError for a name it does not export (then ``from package import submodule``
    imports the submodule)."""
    module = exports.get(name)
    if module is None:
        raise AttributeError(f"module {package!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{package}.{module}"), name)
    namespace[name] = value
    return value


def __getattr__(name: str) -> Any:
    return lazy_export("chatstats_core", _EXPORTS, globals(), name)
