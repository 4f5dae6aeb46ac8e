"""What the command line chose for this run (the engine, the colour), held for the length of one
invocation (``boundary.BoundaryGroup.main`` opens and closes its scope): no module-level switch
outlives a command or leaks into the next one a test runs in the same process."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from chatstats_core.corpus.native import Engine, engine_from_environment


class ColorChoice(enum.StrEnum):
    """``--color`` values."""

    auto = "auto"
    always = "always"
    never = "never"


@dataclass
class Invocation:
    """The engine ``--engine`` chose (None: ``CHATSTATS_ENGINE``'s), and the command's
    ``--color``."""

    chosen_engine: Engine | None = None
    color: ColorChoice = ColorChoice.auto

    @property
    def engine(self) -> Engine:
        """The engine to run: ``--engine``'s, else the environment's."""
        return engine_from_environment() if self.chosen_engine is None else self.chosen_engine


_CURRENT: ContextVar[Invocation | None] = ContextVar("chatstats_invocation", default=None)


@contextmanager
def invocation_scope() -> Iterator[Invocation]:
    """A fresh invocation for the command line run inside, the previous one back after."""
    made = Invocation()
    token = _CURRENT.set(made)
    try:
        yield made
    finally:
        _CURRENT.reset(token)


def invocation() -> Invocation:
    """The running invocation; outside one (a view drawn by a test), the defaults."""
    return _CURRENT.get() or Invocation()
