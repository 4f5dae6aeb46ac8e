"""Comparisons behind ``chatstats diff``: flatten results into keyed values and list differences.

Three forms share one shape: two option sets on the same sessions, computed vs reported, and
one saved run vs another. Differences are KVPs, ``classification.<field>``, ``delivery`` and
``reporting_events[i]``; option values that differ are context, never counted.
"""

from __future__ import annotations

import fnmatch
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import orjson

from chatstats_core.corpus.batch import Outcome
from chatstats_core.corpus.files import read_file_bytes
from chatstats_core.corpus.inputs import RawItem, UnreadFile, is_saved_output
from chatstats_core.corpus.native import replay_sets_natively
from chatstats_core.engine import ALL_KVPS, RULES, Result, replay_session
from chatstats_core.engine.contract import result_to_dict
from chatstats_core.engine.families.ending import CLASSIFICATION_FIELDS
from chatstats_core.engine.options import Options
from chatstats_core.engine.rules import DATE_TIME_INTERVAL_SECONDS, INFOMART_COLUMNS, INFOMART_ROW
from chatstats_core.errors import InputError
from chatstats_core.safetext import shown
from chatstats_core.transcript.limits import DEFAULT_LIMITS, Limits
from chatstats_core.transcript.model import Transcript
from chatstats_core.transcript.timeutil import (
    epoch_seconds,
    format_timestamp,
    from_epoch_seconds,
    parse_timestamp,
)
from chatstats_core.workflows.reported import Reported, ReportedSet, parse_reported

PARTS = ("kvps", "classification", "delivery", "reporting_events")


@dataclass(frozen=True, slots=True)
class Difference:
    """One key whose values differ; ``presence`` says when one side has no value at all."""

    key: str
    left: Any
    right: Any
    presence: str = "both"
    rule: str | None = None


@dataclass(frozen=True, slots=True)
class SessionDiff:
    """The differences of one session, and the options that differ between the two sides."""

    session_id: str
    differences: tuple[Difference, ...]
    options: dict[str, tuple[Any, Any]]

    @property
    def is_different(self) -> bool:
        """Whether anything (not counting options) differs."""
        return bool(self.differences)


@dataclass(frozen=True, slots=True)
class KeyFilter:
    """Which keys take part: globs to ignore, and optionally only the right side's keys."""

    ignore: tuple[str, ...] = ()
    only_right_keys: bool = False

    def keeps(self, key: str, right: dict[str, Any]) -> bool:
        """Whether ``key`` is compared."""
        if self.only_right_keys and key not in right:
            return False
        return not any(fnmatch.fnmatchcase(key, pattern) for pattern in self.ignore)


#: Every key a diff compares: the KVPs, the classification, and a session's presence.
COMPARED_KEYS = (
    *ALL_KVPS,
    *(f"classification.{name}" for name in CLASSIFICATION_FIELDS),
    "session",
)


#: Every name an Info Mart column goes by, with its KVP: the seed's ``TABLE.COLUMN``, the bare
#: column, and the row's derived columns (``START_TS``).
_INFOMART_NAMES = tuple(
    dict.fromkeys(
        [(k, c.upper()) for k, c in INFOMART_COLUMNS.items()]
        + [(k, c.rsplit(".", 1)[-1].upper()) for k, c in INFOMART_COLUMNS.items()]
        + [(c.kvp, c.name) for c in INFOMART_ROW]
    )
)


def ignoring(patterns: Sequence[str], only_right_keys: bool = False) -> tuple[KeyFilter, list[str]]:
    """The key filter for ``--ignore`` patterns, and the patterns that match nothing. A pattern
    matches KVP names and ``classification.*`` fields (a glob, case-sensitive, as the names are
    written), or Info Mart columns (``HANDLE_DURATION``, ``CHAT_SESSION_FACT.HANDLE_*``, case
    aside): those ignore the KVPs mapped to them."""
    globs: list[str] = []
    unmatched = []
    for pattern in patterns:
        by_name = [key for key in COMPARED_KEYS if fnmatch.fnmatchcase(key, pattern)]
        by_column = [
            key for key, column in _INFOMART_NAMES if fnmatch.fnmatch(column, pattern.upper())
        ]
        if by_name:
            globs.append(pattern)
        globs += by_column
        if not (by_name or by_column):
            unmatched.append(pattern)
    return KeyFilter(tuple(dict.fromkeys(globs)), only_right_keys), unmatched


def flatten(document: dict[str, Any], parts: Iterable[str] = PARTS) -> dict[str, Any]:
    """A replay JSON document (or a reported one) as ``{key: value}``."""
    wanted = set(parts)
    flat: dict[str, Any] = {}
    if "kvps" in wanted:
        flat.update(document.get("kvps", {}))
    if "classification" in wanted and "classification" in document:
        for name, value in document["classification"].items():
            flat[f"classification.{name}"] = value
    if "delivery" in wanted and "delivery" in document:
        flat["delivery"] = document["delivery"]
    if "reporting_events" in wanted and "reporting_events" in document:
        for index, event in enumerate(document["reporting_events"]):
            flat[f"reporting_events[{index}]"] = event
    return flat


def differences(
    left: dict[str, Any], right: dict[str, Any], keys: KeyFilter, with_rules: bool = False
) -> tuple[Difference, ...]:
    """Every key of either side whose values differ, sorted by key."""
    found = []
    for key in sorted(set(left) | set(right)):
        if not keys.keeps(key, right):
            continue
        in_left, in_right = key in left, key in right
        if in_left and in_right and left[key] == right[key]:
            continue
        presence = "both" if in_left and in_right else ("left-only" if in_left else "right-only")
        rule = RULES.get(key) if with_rules else None
        found.append(Difference(key, left.get(key), right.get(key), presence, rule))
    return tuple(found)


def option_context(left: dict[str, Any], right: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The options whose values differ between two runs."""
    return {
        key: (left.get(key), right.get(key))
        for key in sorted(set(left) | set(right))
        if left.get(key) != right.get(key)
    }


def diff_option_sets(left: Result, right: Result, keys: KeyFilter) -> SessionDiff:
    """The same session replayed under two option sets."""
    return diff_documents(result_to_dict(left), result_to_dict(right), keys)


def diff_documents(a: dict[str, Any], b: dict[str, Any], keys: KeyFilter) -> SessionDiff:
    """The same session's replay documents (the JSON contract) under two option sets."""
    return SessionDiff(
        str(a["session_id"]),
        differences(flatten(a), flatten(b), keys),
        option_context(a["options"], b["options"]),
    )


@dataclass(frozen=True, slots=True)
class OptionSetsTask:
    """A batch task (see ``batch.run``): each transcript under two option sets, compared; the
    outcome's payload is its :class:`SessionDiff`."""

    left: Options
    right: Options
    keys: KeyFilter
    limits: Limits = DEFAULT_LIMITS

    def handle(self, transcript: Transcript) -> Outcome:
        """Replay under both sides and compare."""
        diff = diff_option_sets(
            replay_session(transcript, self.left), replay_session(transcript, self.right), self.keys
        )
        return Outcome(transcript.source, payload=diff)

    def natively(
        self, core: ModuleType, items: Sequence[RawItem | UnreadFile], threads: int = 1
    ) -> list[Outcome | str]:
        """Each item parsed once and replayed under both option sets by the native core (its
        JSON lines read back and compared here), or why the core declined one side."""
        both = replay_sets_natively(core, items, (self.left, self.right), self.limits, threads)
        found: list[Outcome | str] = []
        for item, (a, b) in zip(items, both, strict=True):
            if a.text is None or b.text is None:
                found.append(a.declined or b.declined)
                continue
            diff = diff_documents(orjson.loads(a.text), orjson.loads(b.text), self.keys)
            found.append(Outcome(item.source, payload=diff))
        return found


def diff_reported_document(
    document: dict[str, Any], reported: Reported, keys: KeyFilter
) -> SessionDiff:
    """A replay's document (the JSON contract) against what a report says."""
    parts = ["kvps", *(part for part in PARTS[1:] if part in reported.extra)]
    right = flatten({"kvps": reported.kvps, **reported.extra}, parts)
    left = flatten(document, parts)
    if reported.covers is not None:  # a format that stores only some KVPs (Info Mart's)
        computed_kvps = document["kvps"]
        left = {k: v for k, v in left.items() if k in reported.covers or k not in computed_kvps}
    for key, start in reported.date_time_keys.items():
        right[key] = _at_key_granularity(left.get(key), start)
    context = (
        option_context(document["options"], reported.extra.get("options", {}))
        if ("options" in reported.extra)
        else {}
    )
    return SessionDiff(
        str(document["session_id"]), differences(left, right, keys, with_rules=True), context
    )


def _at_key_granularity(computed: Any, interval_start: int) -> str:
    """A reported Info Mart ``*_DATE_TIME_KEY`` as a comparable value: the computed instant
    itself when it falls in that 15-minute interval (10:07:12 matches a key for 10:00:00), else
    the interval, ``2026-01-05T10:00:00Z/PT15M`` (ISO 8601's start/duration)."""
    start = from_epoch_seconds(interval_start)
    if isinstance(computed, str):
        try:
            offset = epoch_seconds(parse_timestamp(computed)) - interval_start
        except ValueError:
            offset = -1
        if 0 <= offset < DATE_TIME_INTERVAL_SECONDS:
            return computed
    return f"{format_timestamp(start)}/PT{DATE_TIME_INTERVAL_SECONDS // 60}M"


@dataclass(frozen=True, slots=True)
class ExpectedTask:
    """A batch task for ``diff --expected``: each transcript replayed under the options; the
    outcome's payload is its replay document (the JSON contract), which the parent compares
    with the transcript's own session of the report (:class:`AgainstReport`), in input order."""

    options: Options
    limits: Limits = DEFAULT_LIMITS

    def handle(self, transcript: Transcript) -> Outcome:
        """Replay under the options."""
        result = replay_session(transcript, self.options)
        return Outcome(transcript.source, payload=result_to_dict(result), warnings=result.warnings)

    def natively(
        self, core: ModuleType, items: Sequence[RawItem | UnreadFile], threads: int = 1
    ) -> list[Outcome | str]:
        """Each item replayed by the native core (its JSON line read back), or why it declined."""
        replays = replay_sets_natively(core, items, (self.options,), self.limits, threads)
        return [
            replay.declined
            if replay.text is None
            else Outcome(item.source, payload=orjson.loads(replay.text), warnings=replay.warnings)
            for item, (replay,) in zip(items, replays, strict=True)
        ]


class AgainstReport:
    """Computed sessions, as they come, against their own sessions of a report (by id, then by
    the file the report names); a session on one side only is a difference of its own."""

    def __init__(self, reported: ReportedSet, keys: KeyFilter) -> None:
        self.reported = reported
        self.keys = keys
        self.matcher = reported.matcher()
        self.met = 0
        self.computed_only: list[str] = []  # the ids of computed sessions the report lacks

    def diff(self, document: dict[str, Any], source: str) -> SessionDiff:
        """One computed session (its replay document) against its reported session."""
        session_id = document["session_id"]
        index = self.matcher.take(session_id, source)
        if index is None:
            self.computed_only.append(session_id)
            return _one_sided(session_id, left=True)
        self.met += 1
        return diff_reported_document(document, self.reported.sessions[index], self.keys)

    def unmatched(self) -> list[SessionDiff]:
        """The report's sessions no computed session met, in the report's order."""
        return [
            _one_sided(self.reported.sessions[index].session_id or "?", left=False)
            for index in self.matcher.untaken()
        ]

    def no_id_matched(self) -> bool:
        """Whether computed sessions and reported ones both exist but none met by id (a report
        that names sessions by another id, say)."""
        return not self.met and bool(self.computed_only) and bool(self.reported.sessions)


def diff_against_report(
    results: Iterable[Result], reported: ReportedSet, keys: KeyFilter
) -> Iterator[SessionDiff]:
    """Each computed session against its own session of the report; the report's unmatched
    sessions last, in the report's order."""
    against = AgainstReport(reported, keys)
    for result in results:
        yield against.diff(result_to_dict(result), result.source)
    yield from against.unmatched()


def _one_sided(session_id: str, left: bool) -> SessionDiff:
    """A session that only one side has."""
    here = "present"
    difference = Difference(
        "session",
        here if left else None,
        None if left else here,
        "left-only" if left else "right-only",
    )
    return SessionDiff(session_id, (difference,), {})


def diff_runs(
    old: Sequence[dict[str, Any]], new: Sequence[dict[str, Any]], keys: KeyFilter
) -> list[SessionDiff]:
    """Two saved runs, sessions matched by id (and by order among equal ids)."""
    old_by_id = _keyed(old)
    new_by_id = _keyed(new)
    found = []
    for match in [*old_by_id, *(k for k in new_by_id if k not in old_by_id)]:
        session_id = match[0]
        left, right = old_by_id.get(match), new_by_id.get(match)
        if left is None or right is None:
            found.append(_one_sided(session_id, left=right is None))
            continue
        found.append(
            SessionDiff(
                session_id,
                differences(flatten(left), flatten(right), keys),
                option_context(left.get("options", {}), right.get("options", {})),
            )
        )
    return found


def _keyed(documents: Sequence[dict[str, Any]]) -> dict[tuple[str, int], dict[str, Any]]:
    seen: Counter[str] = Counter()
    keyed = {}
    for document in documents:
        session_id = str(document["session_id"])
        keyed[(session_id, seen[session_id])] = document
        seen[session_id] += 1
    return keyed


def diff_saved_runs(old: str, new: str, keys: KeyFilter) -> list[SessionDiff]:
    """Two saved replay outputs (file names, ``-`` for standard input), compared."""
    return diff_runs(_saved_run(old), _saved_run(new), keys)


def _saved_run(name: str) -> list[dict[str, Any]]:
    data = read_file_bytes(name)
    if not is_saved_output(data):
        raise InputError(
            "not a saved replay output; to compare option sets give -a/-b, to compare with a "
            "report give --expected",
            source=name,
        )
    return load_run(data, name)


def load_run(data: bytes, source: str) -> list[dict[str, Any]]:
    """Saved replay output (JSON Lines, or json's stream of objects) as documents."""
    text = data.decode("utf-8-sig")
    documents: list[dict[str, Any]] = []
    for line_number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            document = orjson.loads(line)
        except orjson.JSONDecodeError:
            break  # not JSON Lines: indented json output
        if not isinstance(document, dict) or "session_id" not in document:
            raise InputError(
                "not a chatstats replay line",
                source=source,
                line=line_number,
                expected="an object with session_id and kvps",
            )
        documents.append(document)
    else:
        return documents
    reported = parse_reported(text, source)  # indented json: a stream of objects
    return [{"session_id": r.session_id, "kvps": r.kvps, **r.extra} for r in reported.sessions]


@dataclass(frozen=True, slots=True)
class DiffSummary:
    """What the summary line says: how many compared, how many differ, which keys most."""

    compared: int
    different: int
    top_keys: tuple[tuple[str, int], ...]

    def line(self) -> str:
        """``diff: M of N sessions differ; most often different: k (n), ...``."""
        noun = "session" if self.compared == 1 else "sessions"
        verb = "differs" if self.different == 1 else "differ"
        text = f"diff: {self.different} of {self.compared} {noun} {verb}"
        if self.top_keys:
            text += "; most often different: " + ", ".join(f"{k} ({n})" for k, n in self.top_keys)
        return text


class DiffTally:
    """The summary of sessions compared so far, kept as they stream by."""

    def __init__(self) -> None:
        self.compared = 0
        self.different = 0
        self.keys: Counter[str] = Counter()

    def add(self, diff: SessionDiff) -> None:
        """Count one compared session."""
        self.compared += 1
        self.different += diff.is_different
        self.keys.update(d.key for d in diff.differences)

    def summary(self, top: int = 5) -> DiffSummary:
        """The counts, and the ``top`` keys that differ most often (ties by name)."""
        ranked = sorted(self.keys.items(), key=lambda item: (-item[1], item[0]))[:top]
        return DiffSummary(self.compared, self.different, tuple(ranked))


def diffs_to_document(diffs: Sequence[SessionDiff], summary: DiffSummary) -> dict[str, Any]:
    """The JSON shape: ``{"compared": N, "different": M, "sessions": [...]}``; ``sessions``
    holds the sessions shown (the differing ones unless ``--all``)."""
    return {
        "compared": summary.compared,
        "different": summary.different,
        "sessions": [session_to_dict(s) for s in diffs],
    }


def brief_line(diff: SessionDiff, most: int = 5) -> str:
    """``diff --brief``: ``ID: k1, k2, ... (+N more)``, one line per differing session."""
    keys = [d.key for d in diff.differences]
    more = f" (+{len(keys) - most} more)" if len(keys) > most else ""
    return f"{shown(diff.session_id)}: {', '.join(shown(k) for k in keys[:most])}{more}"


def session_to_dict(diff: SessionDiff) -> dict[str, Any]:
    """One session's differences as JSON."""
    items = []
    for d in diff.differences:
        item: dict[str, Any] = {"key": d.key, "left": d.left, "right": d.right}
        if d.presence != "both":
            item["presence"] = d.presence
        if d.rule:
            item["rule"] = d.rule
        items.append(item)
    return {
        "session_id": diff.session_id,
        "differences": items,
        "options": {k: {"left": v[0], "right": v[1]} for k, v in diff.options.items()},
    }
