"""``chatstats redact``: a transcript safe to attach to a ticket, with identical statistics.

Nicknames, person ids and party ids are pseudonymised consistently (HMAC-SHA256 with a salt),
so distinct parties stay distinct and one person stays one person; user-data values and message
and notice texts are masked (every non-space character becomes ``x``, so character counts do not
change). Timings, event order, roles, visibilities, notice types and reason codes are kept, and
so are the user-data values the statistics use (MediaType, MediaOrigin, GCTI_LanguageName,
GCTI_Chat_AsyncMode, the party style) plus any the caller names.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable
from dataclasses import replace

from chatstats_core.transcript.model import Event, Transcript

STATISTICS_USER_DATA = frozenset(
    {
        "MediaType",
        "MediaOrigin",
        "GCTI_LanguageName",
        "GCTI_Chat_AsyncMode",
        "GCTI_Chat_PartyStyle",
        "GCTI_Chat_SetPartyStyle",
    }
)
_NON_SPACE = re.compile(r"\S")


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
    """The transcript with personal data replaced and everything the statistics use kept."""
    names = Pseudonyms(salt)
    kept = STATISTICS_USER_DATA | set(keep)
    user_data = {
        key: value if key in kept else mask(value) for key, value in transcript.user_data.items()
    }
    events = tuple(_redact_event(event, names) for event in transcript.events)
    session_id = (
        names("session", transcript.session_id) if new_session_id else (transcript.session_id)
    )
    return replace(transcript, session_id=session_id, user_data=user_data, events=events)


def _redact_event(event: Event, names: Pseudonyms) -> Event:
    # Party ids, person ids and removers share one namespace ("p"): a person id equal to a party
    # id (a person counted by party id when it has no personId) stays equal after redaction.
    return event._replace(
        party=names("p", event.party),
        by=names("p", event.by),
        person=names("p", event.person),
        nick=names("nick", event.nick),
        text=mask(event.text),
    )
