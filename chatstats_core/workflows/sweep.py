"""``chatstats sweep``: every combination of varied options over every session, summarised.

A row per option combination; columns are summary figures (sessions, abandoned, stopped, open,
ended-by x reason counts, means of the wait/reply statistics). Columns whose value changes across
the rows come first. Figures and ``--kvp`` values are the computed statistics, whatever
attach-session-statistics lets through (None where a KVP does not apply, e.g. the closure KVPs
of a session still open).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any, NamedTuple

from chatstats_core.corpus.batch import COUNTED, Counted, Outcome
from chatstats_core.corpus.inputs import RawItem, UnreadFile
from chatstats_core.corpus.native import sweep_natively, sweep_tally_natively
from chatstats_core.engine import Result, kvps, replay_session
from chatstats_core.engine.options import Options, build_options, find_spec
from chatstats_core.errors import OptionError
from chatstats_core.transcript.limits import DEFAULT_LIMITS, Limits
from chatstats_core.transcript.model import Transcript

if TYPE_CHECKING:
    from chatstats_core import _native

MEAN_KVPS = tuple(
    name for family in kvps.WAITS_AND_REPLIES for name in (family.total_time, family.max_time)
)


@dataclass(frozen=True, slots=True)
class Variation:
    """One ``--vary section/name=v1,v2``: the option and its values, as given."""

    key: str
    values: tuple[str, ...]


#: The largest matrix sweep builds unless told otherwise (--max-combinations): every session is
#: replayed once per combination, so a few careless --vary lists could mean days of work.
MAX_COMBINATIONS = 1000


def parse_variations(texts: Sequence[str], most: int = MAX_COMBINATIONS) -> list[Variation]:
    """Parse every ``--vary``; an option varied twice is an error (its rows would be ragged),
    and so is a matrix of more than ``most`` combinations."""
    variations = [parse_vary(text) for text in texts]
    size = math.prod(len(v.values) for v in variations)
    if size > most:
        raise OptionError(
            f"the sweep has {size} combinations, more than {most}; give "
            "--max-combinations N to run it anyway",
            source="options",
        )
    seen: set[str] = set()
    for variation in variations:
        if variation.key in seen:
            raise OptionError(
                f"--vary names {variation.key} twice; give all its values in one "
                "--vary, separated by commas",
                source="options",
            )
        seen.add(variation.key)
    return variations


def parse_vary(text: str) -> Variation:
    """Parse and validate ``[section/]name=v1,v2,...``."""
    name, sep, raw = text.partition("=")
    values = tuple(v.strip() for v in raw.split(",") if v.strip())
    if not sep or not values:
        raise OptionError(
            f"--vary {text!r} is not of the form [section/]name=v1,v2,...", source="options"
        )
    spec = find_spec(name)
    for value in values:
        spec.parse(value)
    return Variation(spec.key, values)


@dataclass(frozen=True, slots=True)
class SweepRow:
    """One option combination and its figures (and the --kvp values per session)."""

    combination: dict[str, object]  # option key -> its value as replay's JSON shows it
    figures: dict[str, float | int]
    kvps: dict[str, dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Sweep:
    """All rows, the figure columns in display order, and which of them change."""

    varied: tuple[str, ...]
    rows: tuple[SweepRow, ...]
    columns: tuple[str, ...]
    changing: frozenset[str]
    sessions: tuple[str, ...]


class SessionFigures(NamedTuple):
    """What one session under one combination adds to that combination's row (a NamedTuple:
    it comes back from the worker processes, and tuples unpickle in C)."""

    abandoned: bool
    stopped: bool
    still_open: bool
    ended: str | None  # "ended BY/REASON", when the session closed
    mean_values: tuple[int, ...]  # the MEAN_KVPS, in order (0 where not computed)
    kvps: tuple[Any, ...]  # the --kvp values, in order


@dataclass(frozen=True, slots=True)
class SweepTask:
    """A batch task (see ``batch.run``): each transcript replayed under every combination; the
    outcome's payload is ``(session_id, figures per combination)``."""

    combinations: tuple[Options, ...]
    kvp_keys: tuple[str, ...] = ()
    limits: Limits = DEFAULT_LIMITS

    def handle(self, transcript: Transcript) -> Outcome:
        """Replay under each combination and keep only the figures a row needs."""
        figures = tuple(
            _session_figures(replay_session(transcript, options), self.kvp_keys)
            for options in self.combinations
        )
        return Outcome(transcript.source, payload=(transcript.session_id, figures))

    def natively(
        self, core: ModuleType, items: Sequence[RawItem | UnreadFile], threads: int = 1
    ) -> list[Outcome | str | Counted]:
        """Each item parsed once by the native core and replayed under every combination
        (or why the core declined it); without --kvp the core sums the chunk itself (rows are
        sums), and the chunk's first counted item carries the sums (:class:`ChunkSums`)."""
        if not self.kvp_keys:
            return self._tallied(core, items, threads)
        answers = sweep_natively(
            core, items, self.combinations, self.limits, self.kvp_keys, threads
        )
        return [
            answer
            if isinstance(answer, str)
            else Outcome(
                item.source,
                payload=(
                    answer[0],
                    tuple(
                        SessionFigures(
                            f.abandoned,
                            f.stopped,
                            f.still_open,
                            f.ended,
                            tuple(f.mean_values),
                            tuple(f.kvps),
                        )
                        for f in answer[1]
                    ),
                ),
            )
            for item, answer in zip(items, answers, strict=True)
        ]

    def _tallied(
        self, core: ModuleType, items: Sequence[RawItem | UnreadFile], threads: int
    ) -> list[Outcome | str | Counted]:
        sums = sweep_tally_natively(core, items, self.combinations, self.limits, threads)
        answers: list[Outcome | str | Counted] = [COUNTED] * len(items)
        for index, reason in sums.declined:
            answers[index] = reason
        first = next((i for i, answer in enumerate(answers) if answer is COUNTED), None)
        if first is not None:
            chunk = ChunkSums(sums.sessions, tuple(sums.sets))
            answers[first] = Outcome(items[first].source, payload=chunk, sessions=sums.sessions)
        return answers


@dataclass(frozen=True, slots=True)
class ChunkSums:
    """What the native core summed over a chunk of sessions: each combination's sums."""

    sessions: int
    sets: tuple[_native.SetSums, ...]


def combinations(
    base: Options, variations: Sequence[Variation]
) -> list[tuple[dict[str, object], Options]]:
    """Every combination of the variations' values (cartesian product, in the order given):
    the varied options' values, typed as replay's JSON shows them, and the options it makes on
    top of ``base``."""
    made: list[tuple[dict[str, object], Options]] = []
    for values in itertools.product(*(v.values for v in variations)):
        options = build_options(
            [f"{v.key}={value}" for v, value in zip(variations, values, strict=True)], base
        )
        effective = options.effective()
        made.append(({v.key: effective[v.key] for v in variations}, options))
    return made


class _RowSums:
    """One combination's running sums."""

    def __init__(self, kvp_keys: Sequence[str]) -> None:
        self.counts: dict[str, int] = {"abandoned": 0, "interactions stopped": 0, "still open": 0}
        self.mean_sums = [0] * len(MEAN_KVPS)
        self.kvps: dict[str, dict[str, Any]] = {key: {} for key in kvp_keys}

    def add(self, figures: SessionFigures, label: str | None) -> None:
        self.counts["abandoned"] += figures.abandoned
        self.counts["interactions stopped"] += figures.stopped
        self.counts["still open"] += figures.still_open
        if figures.ended is not None:
            self.counts[figures.ended] = self.counts.get(figures.ended, 0) + 1
        for i, value in enumerate(figures.mean_values):
            self.mean_sums[i] += value
        if label is not None:
            for key, value in zip(self.kvps, figures.kvps, strict=True):
                self.kvps[key][label] = value

    def add_sums(self, sums: _native.SetSums) -> None:
        """The native core's sums of this combination over a chunk of sessions."""
        self.counts["abandoned"] += sums.abandoned
        self.counts["interactions stopped"] += sums.stopped
        self.counts["still open"] += sums.still_open
        for ended, count in sums.ended:
            self.counts[ended] = self.counts.get(ended, 0) + count
        for i, value in enumerate(sums.mean_sums):
            self.mean_sums[i] += value

    def figures(self, sessions: int) -> dict[str, float | int]:
        means = {
            f"mean {key}": round(total / sessions, 2) if sessions else 0
            for key, total in zip(MEAN_KVPS, self.mean_sums, strict=True)
        }
        return {"sessions": sessions, **self.counts, **means}


class SweepTally:
    """Sums each combination's figures as sessions stream by: memory does not grow with the
    corpus, except for the ``--kvp`` values, which are one per session by nature."""

    def __init__(
        self,
        variations: Sequence[Variation],
        labels: Sequence[dict[str, object]],
        kvp_keys: Sequence[str] = (),
    ) -> None:
        self.varied = tuple(v.key for v in variations)
        self.labels = list(labels)
        self.with_kvps = bool(kvp_keys)
        self.rows = [_RowSums(kvp_keys) for _ in self.labels]
        self.count = 0
        self.sessions: list[str] = []  # the --kvp column names (kept only with --kvp)
        self.seen: dict[str, int] = {}  # times each session id came (only with --kvp)

    def take(self, payload: tuple[str, Sequence[SessionFigures]] | ChunkSums) -> None:
        """A sweep outcome's payload: one session's figures, or a chunk's sums."""
        if isinstance(payload, ChunkSums):
            self.add_sums(payload)
        else:
            self.add(*payload)

    def add_sums(self, chunk: ChunkSums) -> None:
        """The native core's sums over a chunk (a sweep without --kvp)."""
        self.count += chunk.sessions
        for row, sums in zip(self.rows, chunk.sets, strict=True):
            row.add_sums(sums)

    def add(self, session_id: str, figures: Sequence[SessionFigures]) -> None:
        """One session's figures, one per combination (in the labels' order)."""
        self.count += 1
        label = self._label(session_id) if self.with_kvps else None
        for row, one in zip(self.rows, figures, strict=True):
            row.add(one, label)

    def _label(self, session_id: str) -> str:
        """The session's column name: its id, with ``#n`` on the n-th repeat of an id."""
        self.seen[session_id] = seen = self.seen.get(session_id, 0) + 1
        label = session_id if seen == 1 else f"{session_id}#{seen}"
        self.sessions.append(label)
        return label

    def result(self) -> Sweep:
        """The matrix: a row per combination, columns ordered, the changing ones first."""
        rows = tuple(
            SweepRow(label, sums.figures(self.count), sums.kvps)
            for label, sums in zip(self.labels, self.rows, strict=True)
        )
        columns = _ordered_columns(rows)
        changing = frozenset(c for c in columns if len({r.figures.get(c, 0) for r in rows}) > 1)
        ordered = tuple(sorted(columns, key=lambda c: (c not in changing, columns.index(c))))
        return Sweep(self.varied, rows, ordered, changing, tuple(self.sessions))


def _session_figures(result: Result, kvp_keys: Sequence[str]) -> SessionFigures:
    c = result.classification
    computed = {s.key: s.value for s in result.stats}
    return SessionFigures(
        abandoned=c.abandoned is True,
        stopped=c.interaction_stopped is True,
        still_open=result.is_open,
        ended=None if c.termination is None else f"ended {c.termination}",
        mean_values=tuple(int(computed.get(key, 0)) for key in MEAN_KVPS),
        kvps=tuple(computed.get(key) for key in kvp_keys),
    )


def _ordered_columns(rows: Sequence[SweepRow]) -> list[str]:
    columns: list[str] = []
    for row in rows:
        for key in row.figures:
            if key not in columns:
                columns.append(key)
    fixed = [c for c in columns if not c.startswith("ended ")]
    ended = sorted(c for c in columns if c.startswith("ended "))
    return fixed[:4] + ended + fixed[4:]


def sweep_document(result: Sweep) -> dict[str, Any]:
    """The sweep as JSON."""
    return {
        "varied": list(result.varied),
        "columns": list(result.columns),
        "changing": [c for c in result.columns if c in result.changing],
        "rows": [
            {
                "options": row.combination,
                "figures": {c: row.figures.get(c, 0) for c in result.columns},
                **({"kvps": row.kvps} if row.kvps else {}),
            }
            for row in result.rows
        ],
    }
