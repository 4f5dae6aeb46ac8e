"""``chatstats convert`` and ``chatstats redact``: each transcript loaded (and, for redact,
redacted) by a batch task, so that they read their inputs as every other command does (the
runner, its limits and its error per input); the command writes each in its target format."""

from __future__ import annotations

from dataclasses import dataclass

from chatstats_core.corpus.batch import Outcome
from chatstats_core.transcript.limits import DEFAULT_LIMITS, Limits
from chatstats_core.transcript.model import Transcript
from chatstats_core.transcript.redact import redact


@dataclass(frozen=True, slots=True)
class ConvertTask:
    """A batch task: the outcome's payload is the transcript as loaded."""

    limits: Limits = DEFAULT_LIMITS

    def handle(self, transcript: Transcript) -> Outcome:
        """The transcript itself."""
        return Outcome(transcript.source, payload=transcript)


@dataclass(frozen=True, slots=True)
class RedactTask:
    """A batch task: the outcome's payload is the transcript redacted with ``salt``, the user
    data keys ``kept`` kept, and the session id pseudonymised unless ``keep_session_id``."""

    salt: str
    kept: tuple[str, ...] = ()
    keep_session_id: bool = False
    limits: Limits = DEFAULT_LIMITS

    def handle(self, transcript: Transcript) -> Outcome:
        """The transcript, redacted."""
        redacted = redact(transcript, self.salt, list(self.kept), not self.keep_session_id)
        return Outcome(transcript.source, payload=redacted)
