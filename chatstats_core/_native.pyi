"""The native replay core (``native/src/lib.rs``), as mypy sees it.

Built from Rust by maturin when a toolchain is there (``chatstats_core/corpus/native.py`` says
how the engine is chosen); each function takes whole batches of ``(bytes, source, default
session id)`` and answers one typed object per item, in order. ``options`` are the Python
engine's own ``Options`` (read field by field), ``limits`` its ``Limits``.
"""

from collections.abc import Sequence

from chatstats_core.engine.options import Options
from chatstats_core.transcript.limits import Limits

ENGINE: str
KVP_NAMES: list[str]
CLOSURE_KVPS: list[str]
ATTACHED_UNDER_NONE: list[str]
MEAN_KVPS: list[str]
MESSAGE_KVPS: list[str]
DISTRIBUTIONS: list[tuple[str, str]]
STILL_OPEN: str

#: A transcript: its bytes, or the file to read them from; its source, default session id, and
#: whether it was found in a folder (then saved output is left to the Python reader).
Item = tuple[bytes | None, str | None, str, str, bool]

class NativeWarning:
    """A warning's fields, as ``errors.ChatstatsWarning`` has them."""

    @property
    def code(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def event(self) -> int | None: ...
    @property
    def line(self) -> int | None: ...
    @property
    def names_event(self) -> bool: ...

class Replay:
    """One session replayed and rendered, or (``text`` None) why it was declined."""

    @property
    def text(self) -> str | None: ...
    @property
    def declined(self) -> str: ...
    @property
    def warnings(self) -> list[NativeWarning]: ...

class Figures:
    """What ``sweep`` keeps of one session under one option set."""

    @property
    def abandoned(self) -> bool: ...
    @property
    def stopped(self) -> bool: ...
    @property
    def still_open(self) -> bool: ...
    @property
    def ended(self) -> str | None: ...
    @property
    def mean_values(self) -> list[int]: ...
    @property
    def kvps(self) -> list[int | str | None]: ...

class Swept:
    """One session's id and figures per option set, or (``session_id`` None) why it was
    declined."""

    @property
    def session_id(self) -> str | None: ...
    @property
    def figures(self) -> list[Figures]: ...
    @property
    def declined(self) -> str: ...

class Facts:
    """What ``report`` keeps of one session under one option set."""

    @property
    def tenant(self) -> str: ...
    @property
    def media_origin(self) -> str | None: ...
    @property
    def language(self) -> str | None: ...
    @property
    def media_type(self) -> str: ...
    @property
    def ended_by(self) -> str | None: ...
    @property
    def started(self) -> str: ...
    @property
    def abandoned(self) -> bool: ...
    @property
    def stopped(self) -> bool: ...
    @property
    def still_open(self) -> bool: ...
    @property
    def is_async(self) -> bool: ...
    @property
    def with_bots(self) -> bool: ...
    @property
    def ended(self) -> str | None: ...
    @property
    def messages(self) -> list[int]: ...
    @property
    def samples(self) -> list[tuple[str, list[int]]]: ...

class Reported:
    """One session's facts per option set and its warnings, or (``declined`` not empty) why
    it was declined."""

    @property
    def facts(self) -> list[Facts]: ...
    @property
    def warnings(self) -> list[NativeWarning]: ...
    @property
    def declined(self) -> str: ...

def replay_batch(
    items: Sequence[Item],
    options: Options,
    limits: Limits,
    format: str,
    kvp_keys: Sequence[str],
    columns: Sequence[str],
    threads: int = 1,
) -> list[Replay]: ...
def replay_sets_batch(
    items: Sequence[Item], option_sets: Sequence[Options], limits: Limits, threads: int = 1
) -> list[list[Replay]]: ...
def sweep_batch(
    items: Sequence[Item],
    option_sets: Sequence[Options],
    limits: Limits,
    kvp_keys: Sequence[str],
    threads: int = 1,
) -> list[Swept]: ...
def report_batch(
    items: Sequence[Item], option_sets: Sequence[Options], limits: Limits, threads: int = 1
) -> list[Reported]: ...

class Run:
    """Sessions of a JSON Lines file replayed in a row: their texts joined (with the format's
    separator between them), how many, and the warnings of those that have any, by source."""

    @property
    def text(self) -> str: ...
    @property
    def sessions(self) -> int: ...
    @property
    def warned(self) -> list[tuple[str, list[NativeWarning]]]: ...

class Declined:
    """A line the native core left to the Python engine: the item to replay in its place."""

    @property
    def source(self) -> str: ...
    @property
    def data(self) -> bytes: ...
    @property
    def default_session_id(self) -> str: ...
    @property
    def reason(self) -> str: ...

class Handover:
    """A line the Python reader reads: where it starts, and its number."""

    @property
    def offset(self) -> int: ...
    @property
    def number(self) -> int: ...

class JsonLinesStream:
    """A JSON Lines file read, replayed and rendered by the native core, chunk after chunk."""

    def __init__(
        self,
        path: str,
        offset: int,
        number: int,
        source: str,
        stem: str,
        options: Options,
        limits: Limits,
        format: str,
        kvp_keys: Sequence[str],
        columns: Sequence[str],
        separator: str,
        threads: int = 1,
    ) -> None: ...
    def next_chunk(self, most: int) -> list[Run | Declined | Handover]:
        """The pieces of up to ``most`` lines, in input order; an empty list at the end."""

class SetSums:
    """One option set's sums over a chunk of sessions."""

    @property
    def abandoned(self) -> int: ...
    @property
    def stopped(self) -> int: ...
    @property
    def still_open(self) -> int: ...
    @property
    def ended(self) -> list[tuple[str, int]]: ...
    @property
    def mean_sums(self) -> list[int]: ...

class SweepSums:
    """A chunk swept and summed: how many sessions, each option set's sums, what was declined
    (index in the chunk, reason)."""

    @property
    def sessions(self) -> int: ...
    @property
    def sets(self) -> list[SetSums]: ...
    @property
    def declined(self) -> list[tuple[int, str]]: ...

def sweep_tally(
    items: Sequence[Item], option_sets: Sequence[Options], limits: Limits, threads: int = 1
) -> SweepSums: ...
