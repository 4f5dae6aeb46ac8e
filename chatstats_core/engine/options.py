"""Chat Server options that change the statistics, with Genesys names, defaults and valid values.

One table (:data:`OPTION_SPECS`) drives everything: parsing ``section/name=value`` assignments,
reading an INI exported from Configuration Manager, validating values, listing options for
``chatstats options`` and printing the effective options of a replay.
"""

from __future__ import annotations

import configparser
import difflib
import enum
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from typing import Any

from chatstats_core.errors import ChatstatsWarning, OptionError, WarningCode
from chatstats_core.safetext import shown
from chatstats_core.transcript.model import USER_NOTICE_TYPES, Visibility


class AttachLevel(enum.Enum):
    """``settings/attach-session-statistics``."""

    NONE = "none"
    ALL = "all"
    FIRED = "fired"


class StopPolicy(enum.Enum):
    """``settings/stop-abandoned-interaction``."""

    ALWAYS = "always"
    NEVER = "never"
    NOAGENTS = "noagents"
    NOANSWER = "noanswer"


class NoticeFilter(enum.Enum):
    """Which notices count as activity for inactivity and async idle control."""

    __hash__ = object.__hash__  # see model.Role

    NONE = "none"
    MAJOR = "major"
    MAJOR2 = "major2"
    TYPING = "typing"
    ALL = "all"


_MAJOR = frozenset({"PUSH_URL", "FILE_UPLOADED", "FILE_DELETED"})
#: The notice types that count as activity under each ``include-notices`` value.
NOTICE_TYPES: dict[NoticeFilter, frozenset[str]] = {
    NoticeFilter.NONE: frozenset(),
    NoticeFilter.MAJOR: _MAJOR,
    NoticeFilter.MAJOR2: _MAJOR | {"USER_CUSTOM"},
    NoticeFilter.TYPING: _MAJOR | {"TYPING_STARTED"},
    NoticeFilter.ALL: USER_NOTICE_TYPES,
}

#: Legacy values of stop-abandoned-interaction (seed: "false" is never, "true" is noanswer).
_LEGACY_STOP = {"true": StopPolicy.NOANSWER, "false": StopPolicy.NEVER}


@dataclass(frozen=True, slots=True)
class Options:
    """The effective option values of one replay. Defaults are Genesys's."""

    attach_session_statistics: AttachLevel = AttachLevel.NONE
    stop_abandoned_interaction: StopPolicy = StopPolicy.NEVER
    attach_stats_rep_events: int = 0
    attach_stats_rep_place: int = 0
    async_idle_alert: int = 86400
    async_idle_close: int = 3600
    async_idle_notices: NoticeFilter = NoticeFilter.MAJOR
    inactivity_enabled: bool = False
    include_notices: NoticeFilter = NoticeFilter.MAJOR
    timeout_alert: int = 255
    timeout_alert2: int = 0
    timeout_close: int = 45
    tenant_id: int = 1
    bot_gateway: bool = True
    coach_visibility: Visibility = Visibility.VIP

    @property
    def monitor_visibility(self) -> Visibility:
        """The join visibility that means monitoring: the one of VIP/INT that is not coaching."""
        return Visibility.INT if self.coach_visibility is Visibility.VIP else Visibility.VIP

    def effective(self) -> dict[str, object]:
        """Every option as ``{"section/name": value}``, sorted by key, JSON-ready (a copy)."""
        return dict(_effective(self))

    def warnings(self) -> list[ChatstatsWarning]:
        """Combinations that are accepted but probably wrong."""
        if self.attach_stats_rep_events and not self.attach_stats_rep_place:
            return [
                ChatstatsWarning(
                    WarningCode.OPTIONS,
                    "settings/attach-stats-rep-events is set but settings/attach-stats-rep-place "
                    "is 0: reporting events need the DBID of a configured place",
                )
            ]
        return []


@functools.lru_cache(maxsize=256)
def _effective(options: Options) -> dict[str, object]:
    """Computed once per option set: every rendered session shows the same dictionary."""
    values = {spec.key: _to_plain(getattr(options, spec.attr)) for spec in OPTION_SPECS}
    return dict(sorted(values.items()))


def _to_plain(value: object) -> object:
    return value.value if isinstance(value, enum.Enum) else value


@dataclass(frozen=True, slots=True)
class OptionSpec:
    """One option: where it lives, its default, what it accepts and what it means."""

    section: str
    name: str
    attr: str
    valid: str
    meaning: str
    choices: type[enum.Enum] | None = None
    minimum: int | None = None
    maximum: int | None = None
    is_bool: bool = False
    only: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """``section/name``."""
        return f"{self.section}/{self.name}"

    @property
    def default(self) -> object:
        """The Genesys default, as shown to users."""
        return _to_plain(getattr(Options(), self.attr))

    def parse(self, raw: str) -> object:
        """Turn a user string into the option's typed value, or raise :class:`OptionError`."""
        text = raw.strip()
        lowered = text.lower()
        if self.choices is StopPolicy and lowered in _LEGACY_STOP:
            return _LEGACY_STOP[lowered]
        if self.choices is not None:
            for member in self.choices:
                allowed = not self.only or member.value in self.only
                if allowed and member.value.lower() == lowered:
                    return member
        elif self.is_bool:
            if lowered in ("true", "false"):
                return lowered == "true"
        else:
            number = _parse_int(text)
            if number is not None and self._in_range(number):
                return number
        shown_value = repr(_short(raw))
        raise OptionError(
            f"invalid value {shown_value} for option {self.key}",
            source="options",
            expected=self.valid,
            found=shown_value,
        )

    def _in_range(self, number: int) -> bool:
        low_ok = self.minimum is None or number >= self.minimum
        return low_ok and (self.maximum is None or number <= self.maximum)


def _parse_int(text: str) -> int | None:
    sign = text[1:] if text[:1] in "+-" else text
    return int(text) if sign.isdigit() and sign.isascii() else None


_NOTICES = "none, major, major2, typing, all"
OPTION_SPECS: tuple[OptionSpec, ...] = (
    OptionSpec(
        "settings",
        "attach-session-statistics",
        "attach_session_statistics",
        "all, fired, none",
        "Calculate statistics and attach them to the interaction's user data at the end "
        "of the chat session: none, all (encountered and non-encountered) or fired "
        "(encountered only).",
        choices=AttachLevel,
    ),
    OptionSpec(
        "settings",
        "stop-abandoned-interaction",
        "stop_abandoned_interaction",
        "always, never, noagents, noanswer (legacy: true = noanswer, false = never)",
        "How Chat Server handles the interaction when the chat session is finished: "
        "always stop it, never, only if no agents are in the session, or only if no "
        "agent ever joined.",
        choices=StopPolicy,
    ),
    OptionSpec(
        "settings",
        "attach-stats-rep-events",
        "attach_stats_rep_events",
        "integer 0-7 (sum of 1, 2, 4)",
        "Deliver reporting data through custom reporting events: 1 at session end "
        "instead of user data, 2 when an async chat is placed on hold, 4 when a customer "
        "message arrives during the hold.",
        minimum=0,
        maximum=7,
    ),
    OptionSpec(
        "settings",
        "attach-stats-rep-place",
        "attach_stats_rep_place",
        "integer 0-1000000",
        "The DBID of a configured place, required when attach-stats-rep-events is non-zero.",
        minimum=0,
        maximum=1_000_000,
    ),
    OptionSpec(
        "settings",
        "async-idle-alert",
        "async_idle_alert",
        "integer 1-1728000 (seconds)",
        "Async idle control: seconds without activity before the idle alert of an async session.",
        minimum=1,
        maximum=1_728_000,
    ),
    OptionSpec(
        "settings",
        "async-idle-close",
        "async_idle_close",
        "integer 1-1728000 (seconds)",
        "Async idle control: seconds after the idle alert before an idle async session is closed.",
        minimum=1,
        maximum=1_728_000,
    ),
    OptionSpec(
        "settings",
        "async-idle-notices",
        "async_idle_notices",
        _NOTICES,
        "Which notices count as activity for async idle control, and which client notices "
        "wake a dormant async session.",
        choices=NoticeFilter,
    ),
    OptionSpec(
        "inactivity-control",
        "enabled",
        "inactivity_enabled",
        "true, false",
        "Turn on inactivity control: while a visible agent is present, alert, then close a "
        "session without activity.",
        is_bool=True,
    ),
    OptionSpec(
        "inactivity-control",
        "include-notices",
        "include_notices",
        _NOTICES,
        "Which notices count as activity for inactivity control.",
        choices=NoticeFilter,
    ),
    OptionSpec(
        "inactivity-control",
        "timeout-alert",
        "timeout_alert",
        "integer 1-86400 (seconds)",
        "Seconds without activity before the inactivity alert.",
        minimum=1,
        maximum=86400,
    ),
    OptionSpec(
        "inactivity-control",
        "timeout-alert2",
        "timeout_alert2",
        "integer 0-86400 (seconds; 0 = no second alert)",
        "Seconds after the first alert before a second alert (0: none).",
        minimum=0,
        maximum=86400,
    ),
    OptionSpec(
        "inactivity-control",
        "timeout-close",
        "timeout_close",
        "integer 1-86400 (seconds)",
        "Seconds after the last alert before the inactive session is closed.",
        minimum=1,
        maximum=86400,
    ),
    OptionSpec(
        "replay",
        "tenant-id",
        "tenant_id",
        "integer 0-2147483647",
        "chatstats: the csg_TenantId reported when the transcript names no tenant.",
        minimum=0,
        maximum=2_147_483_647,
    ),  # Info Mart's TENANT_KEY is a 32-bit INT
    OptionSpec(
        "replay",
        "bot-gateway",
        "bot_gateway",
        "true, false",
        "chatstats: whether Bot Gateway Server is deployed (bot KVPs are attached only then).",
        is_bool=True,
    ),
    OptionSpec(
        "replay",
        "coach-visibility",
        "coach_visibility",
        "VIP, INT",
        "chatstats: the join visibility that means coaching; the other of VIP/INT means "
        "monitoring.",
        choices=Visibility,
        only=("VIP", "INT"),
    ),
)

_BY_KEY = {spec.key: spec for spec in OPTION_SPECS}
_BY_NAME = {spec.name: spec for spec in OPTION_SPECS}
SECTIONS = frozenset(spec.section for spec in OPTION_SPECS)


def _short(text: str, most: int = 80) -> str:
    """An option name or value as a message shows it: cut at ``most`` characters (``...``), so a
    50 MB name in an options file is not echoed whole."""
    return text if len(text) <= most else text[:most] + "..."


def find_spec(name: str) -> OptionSpec:
    """Look an option up by ``section/name`` or, when unique, by ``name`` alone."""
    key = name.strip().lower()
    spec = _BY_KEY.get(key) or _BY_NAME.get(key)
    if spec is not None:
        return spec
    near = difflib.get_close_matches(key, [*_BY_KEY, *_BY_NAME], n=1)
    hint = f"; did you mean {near[0]}?" if near else "; see 'chatstats options'"
    raise OptionError(f"unknown option {_short(name.strip())!r}{hint}", source="options")


def parse_assignment(text: str) -> tuple[OptionSpec, object]:
    """Parse one ``[section/]name=value`` assignment into its spec and typed value."""
    name, sep, raw = text.partition("=")
    if not sep or not name.strip():
        raise OptionError(
            f"option assignment {text!r} is not of the form [section/]name=value",
            source="options",
        )
    spec = find_spec(name)
    return spec, spec.parse(raw)


def build_options(assignments: Iterable[str], base: Options | None = None) -> Options:
    """Apply ``[section/]name=value`` assignments, in order, to ``base`` (default: Genesys's)."""
    changes: dict[str, Any] = {}
    for text in assignments:
        spec, value = parse_assignment(text)
        changes[spec.attr] = value
    return replace(base or Options(), **changes)


@dataclass(frozen=True, slots=True)
class OptionsFile:
    """What an INI options file contributed: the options and notes on what was ignored."""

    options: Options
    notes: tuple[str, ...]


#: A name in a modeled section this close to an option chatstats models is taken for a typo of
#: it (an error), not for one of the many Chat Server options chatstats does not model (a note).
_TYPO_DISTANCE = 2


def read_options_file(text: str, source: str, base: Options | None = None) -> OptionsFile:
    """Read an INI exported from Configuration Manager (``[settings]``, ``[inactivity-control]``).

    Sections and options chatstats does not model are ignored with a note; a name within two
    edits of one it models (``attach-session-statistic``) is an :class:`OptionError` with a
    suggestion, as the same typo with ``-o`` is; a bad value of a known option is an error.
    Errors name the file and line. A value in double quotes, as Configuration Manager writes
    some, is read without them.
    """
    parser = configparser.ConfigParser(interpolation=None, strict=False, default_section="\0")
    parser.optionxform = str.lower  # type: ignore[assignment,method-assign]
    try:
        parser.read_string(text, source=source)
    except configparser.Error as exc:
        raise OptionError(
            f"not an INI options file: {shown(exc.message.splitlines()[0][:200])}",
            source=source,
            line=getattr(exc, "lineno", None),
        ) from exc
    lines = _option_lines(text)
    notes: list[str] = []
    changes: dict[str, Any] = {}
    for section in parser.sections():
        modeled = section.strip().lower()
        if modeled not in SECTIONS:
            notes.append(
                f"{source}: note: section [{shown(_short(section))}] ignored (no option chatstats "
                "models)"
            )
            continue
        for name, raw in parser.items(section):
            key = f"{modeled}/{name.strip()}"
            line = lines.get(key)
            spec = _BY_KEY.get(key)
            if spec is None:
                near = _typo_of(name.strip(), modeled)
                if near is not None:
                    raise OptionError(
                        f"unknown option {shown(_short(key))!r}; did you mean {near}?",
                        source=source,
                        line=line,
                    )
                shown_key = shown(_short(key))
                notes.append(
                    f"{source}: note: option {shown_key} ignored (chatstats does not model it)"
                )
                continue
            try:
                changes[spec.attr] = spec.parse(_unquoted(raw))
            except OptionError as exc:
                exc.source, exc.line = source, line
                raise
    return OptionsFile(replace(base or Options(), **changes), tuple(notes))


def _unquoted(raw: str) -> str:
    value = raw.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def _option_lines(text: str) -> dict[str, int]:
    """Where each ``section/name`` of an INI text is set (its last line, as the parser keeps
    the last value)."""
    found: dict[str, int] = {}
    section = ""
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("[") and "]" in stripped:
            section = stripped[1 : stripped.index("]")].strip().lower()
        elif stripped and stripped[0] not in "#;":
            name = re.split(r"[=:]", stripped, maxsplit=1)[0].strip().lower()
            found[f"{section}/{name}"] = number
    return found


def _typo_of(name: str, section: str) -> str | None:
    """The modeled option of this section ``name`` is a near miss of, if any."""
    candidates = [spec.name for spec in OPTION_SPECS if spec.section == section]
    best = min(candidates, key=lambda known: _edit_distance(name.lower(), known))
    return best if _edit_distance(name.lower(), best) <= _TYPO_DISTANCE else None


def _edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (names are short)."""
    if abs(len(a) - len(b)) > _TYPO_DISTANCE:
        return _TYPO_DISTANCE + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


__all__ = [
    "OPTION_SPECS",
    "AttachLevel",
    "NoticeFilter",
    "NOTICE_TYPES",
    "OptionSpec",
    "Options",
    "OptionsFile",
    "StopPolicy",
    "build_options",
    "find_spec",
    "parse_assignment",
    "read_options_file",
]

# Every field of Options must have exactly one spec: a cheap guard against drift.
assert {f.name for f in fields(Options)} == {spec.attr for spec in OPTION_SPECS}
