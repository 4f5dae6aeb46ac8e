"""``chatstats redact``: a transcript safe to attach to a ticket, with the same statistics.

Only what the statistics need survives, in the form they read it:

* timings, event order, roles, visibilities and reason codes, as they are;
* notice types Genesys defines (``GENESYS_NOTICE_TYPES``); any other type is free text and is
  pseudonymised (it qualifies under no notice filter either way);
* user data the statistics read: ``GCTI_Chat_AsyncMode`` as ``true`` or ``false``, the party
  style as ``BOT`` or masked, and ``MediaType``, ``MediaOrigin``, ``GCTI_LanguageName`` (which
  become KVPs) as they are when they are plain words (letters, digits, space, ``. _ -``, at most
  64), else pseudonymised (a MediaOrigin URL carrying an address, say: then that KVP differs);
* user-data keys the caller names (``keep``), with their values.

Everything else is replaced: nicknames, person ids and party ids by consistent pseudonyms
(HMAC-SHA256 with a salt: distinct parties stay distinct, one person stays one person), other
user-data keys by pseudonyms and their values, message and notice texts masked (every non-space
character becomes ``x``, so character counts do not change). The session id is pseudonymised
with ``new_session_id``.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable
from dataclasses import replace

from chatstats_core.transcript.model import GENESYS_NOTICE_TYPES, Event, Transcript

_NON_SPACE = re.compile(r"\S")
_PLAIN = re.compile(r"[A-Za-z0-9 _.-]{1,64}")
#: User data that become KVPs as they are: kept when plain words, else pseudonymised.
_REPORTED_AS_IS = frozenset({"MediaType", "MediaOrigin", "GCTI_LanguageName"})


def mask(text: str) -> str:
    """Every non-space character replaced by ``x``: same length, same spacing."""
    return _NON_SPACE.sub("x", text)


class Pseudonyms:
    """Stable pseudonyms: the same value and salt always give the same name, and two different
    values never share one (a pseudonym that would repeat another's is lengthened)."""

    def __init__(self, salt: str) -> None:
        self.key = salt.encode("utf-8")
        self.given: dict[tuple[str, str], str] = {}
        self.owners: dict[str, tuple[str, str]] = {}

    def __call__(self, kind: str, value: str) -> str:
        """``kind-<10 hex>``; an empty value stays empty (it means "none")."""
        if not value:
            return value
        known = self.given.get((kind, value))
        if known is not None:
            return known
        digest = hmac.new(self.key, f"{kind}\0{value}".encode(), hashlib.sha256).hexdigest()
        for length in range(10, len(digest) + 1, 2):
            name = f"{kind}-{digest[:length]}"
            if self.owners.setdefault(name, (kind, value)) == (kind, value):
                break
        self.given[(kind, value)] = name
        return name


def redact(
    transcript: Transcript, salt: str = "", keep: Iterable[str] = (), new_session_id: bool = False
) -> Transcript:
    """The transcript with what the statistics do not need replaced (see the module)."""
    names = Pseudonyms(salt)
    kept = set(keep)
    user_data = dict(
        _redacted_user_data(key, value, names, kept) for key, value in transcript.user_data.items()
    )
    events = tuple(_redact_event(event, names) for event in transcript.events)
    session_id = (
        names("session", transcript.session_id) if new_session_id else (transcript.session_id)
    )
    return replace(transcript, session_id=session_id, user_data=user_data, events=events)


def _redacted_user_data(key: str, value: str, names: Pseudonyms, kept: set[str]) -> tuple[str, str]:
    """One user-data pair in the form the statistics read it, or pseudonymised and masked."""
    if key in kept:
        return key, value
    if key == "GCTI_Chat_AsyncMode":
        return key, "true" if value.strip().lower() == "true" else "false"
    if key in ("GCTI_Chat_PartyStyle", "GCTI_Chat_SetPartyStyle"):
        return key, "BOT" if value.strip().upper() == "BOT" else mask(value)
    if key in _REPORTED_AS_IS:
        return key, value if _PLAIN.fullmatch(value) else names("value", value)
    return names("key", key), mask(value)


def _redact_event(event: Event, names: Pseudonyms) -> Event:
    # Party ids, person ids and removers share one namespace ("p"): a person id equal to a party
    # id (a person counted by party id when it has no personId) stays equal after redaction.
    return event._replace(
        party=names("p", event.party),
        by=names("p", event.by),
        person=names("p", event.person),
        nick=names("nick", event.nick),
        text=mask(event.text),
        notice_type=(
            event.notice_type
            if not event.notice_type or event.notice_type in GENESYS_NOTICE_TYPES
            else names("notice", event.notice_type)
        ),
    )
