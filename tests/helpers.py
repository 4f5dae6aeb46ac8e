"""Small builders for hand-written sessions, so each test reads like the scenario it pins."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from chatstats_core import Result, build_options, load_bytes, replay_session
from chatstats_core.engine.options import Options
from chatstats_core.errors import ChatstatsWarning
from chatstats_core.render import OutputFormat, renderer_for
from chatstats_core.transcript.loading import transcript_from_document
from chatstats_core.transcript.model import Transcript
from chatstats_core.workflows.report import GroupBy, Report
from chatstats_core.workflows.sweep import Sweep, SweepTally, SweepTask, Variation, combinations

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
#: The scrubbed real Genesys transcripts, copied from ../shared/corpus/real with their provenance.
REAL = SAMPLES / "real"
SHARED_REAL = ROOT.parent / "shared" / "corpus" / "real"


def join(
    t: float, party: str, role: str, visibility: str = "ALL", person: str | None = None
) -> dict[str, Any]:
    event: dict[str, Any] = {"t": t, "type": "join", "party": party, "role": role}
    if visibility != "ALL":
        event["visibility"] = visibility
    if person is not None:
        event["person"] = person
    return event


def msg(t: float, party: str, text: str = "hello", visibility: str = "ALL") -> dict[str, Any]:
    event: dict[str, Any] = {"t": t, "type": "message", "party": party, "text": text}
    if visibility != "ALL":
        event["visibility"] = visibility
    return event


def notice(t: float, party: str, kind: str, visibility: str = "ALL") -> dict[str, Any]:
    event: dict[str, Any] = {"t": t, "type": "notice", "party": party, "notice": kind}
    if visibility != "ALL":
        event["visibility"] = visibility
    return event


def leave(
    t: float, party: str, after: str | None = None, cause: str | None = None, by: str | None = None
) -> dict[str, Any]:
    event: dict[str, Any] = {"t": t, "type": "leave", "party": party}
    if after:
        event["after"] = after
    if cause:
        event["cause"] = cause
    if by:
        event["by"] = by
    return event


def close(t: float, reason: str = "inactive") -> dict[str, Any]:
    return {"t": t, "type": "close", "reason": reason}


def restore(t: float, party: str | None = None) -> dict[str, Any]:
    return {"t": t, "type": "restore", **({"party": party} if party else {})}


def route(t: float) -> dict[str, Any]:
    return {"t": t, "type": "route"}


def document(*events: dict[str, Any], async_mode: bool = False, **top: Any) -> dict[str, Any]:
    user_data = {"MediaType": "chat"}
    if async_mode:
        user_data["GCTI_Chat_AsyncMode"] = "true"
    return {
        "format": "chatstats-transcript/1",
        "session_id": "S1",
        "started_at": "2026-01-05T10:00:00Z",
        "user_data": user_data,
        "events": list(events),
        **top,
    }


def session(*events: dict[str, Any], async_mode: bool = False, **top: Any) -> Transcript:
    return transcript_from_document(document(*events, async_mode=async_mode, **top), "test", "S1")


def run(
    *events: dict[str, Any],
    options: tuple[str, ...] = (),
    async_mode: bool = False,
    attach: str = "all",
    at: float | None = None,
    trace: bool = False,
    **top: Any,
) -> Result:
    opts = build_options([f"attach-session-statistics={attach}", *options])
    return replay_session(session(*events, async_mode=async_mode, **top), opts, at, trace)


def kvps(*events: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    return run(*events, **kwargs).kvps


def basic_chat() -> tuple[dict[str, Any], ...]:
    """Client waits 30 s for an agent; two exchanges; client quits; agent leaves."""
    return (
        join(0, "c1", "client"),
        msg(4, "c1", "Hello"),
        join(30, "a1", "agent", person="agent007"),
        msg(42, "a1", "Hi Ann, how can I help?"),
        msg(50, "c1", "My router"),
        msg(55, "c1", "is broken"),
        msg(70, "a1", "Let me check"),
        leave(90, "c1"),
        leave(95, "a1"),
    )


def said(warnings: tuple[ChatstatsWarning, ...]) -> tuple[str, ...]:
    """The warnings as people read them (``event 3 (line 9): ...``)."""
    return tuple(warning.text for warning in warnings)


def render_all(fmt: OutputFormat, results: Iterable[Result]) -> str:
    """All of ``results`` in one string, as ``replay --format`` writes them."""
    renderer = renderer_for(fmt)
    body = renderer.separator.join(renderer.item(r) for r in results)
    return renderer.begin() + body + renderer.end()


def report_of(results: Iterable[Result], by: GroupBy | None = None, zone: str = "UTC") -> Report:
    """A report over ``results``, in this process (the CLI runs ReportTask in workers)."""
    report = Report(by, zone)
    for result in results:
        report.add(result)
    return report


def sweep_of(
    transcripts: Iterable[Transcript],
    base: Options,
    variations: Sequence[Variation],
    kvp_keys: Sequence[str] = (),
) -> Sweep:
    """A sweep in this process: the CLI's SweepTask and SweepTally without the batch runner."""
    made = combinations(base, variations)
    task = SweepTask(tuple(options for _, options in made), tuple(kvp_keys))
    tally = SweepTally(variations, [label for label, _ in made], kvp_keys)
    for transcript in transcripts:
        tally.add(*task.handle(transcript).payload)
    return tally.result()


# --- Genesys XML pieces, for rules whose XML form matters ------------------------------------

XML_HEAD = '<?xml version="1.0"?><chatTranscript startAt="2026-01-05T10:00:00Z" sessionId="S5">'
XML_CLIENT_JOIN = (
    '<newParty userId="C" timeShift="0" visibility="ALL" eventId="1"><userInfo '
    'personId="" userNick="c" userType="CLIENT"/></newParty>'
)
XML_AGENT_JOIN = (
    '<newParty userId="A" timeShift="5" visibility="ALL" eventId="2"><userInfo '
    'personId="p" userNick="a" userType="AGENT"/></newParty>'
)


def xml_left(t: int, party: str, code: str | None) -> str:
    """A ``partyLeft`` at ``t`` with a reason code (None: a plain leave)."""
    reason = f'<reason code="{code}">x</reason>' if code else "<reason>left</reason>"
    return (
        f'<partyLeft userId="{party}" timeShift="{t}" visibility="ALL" eventId="9">'
        f"{reason}</partyLeft>"
    )


def xml_run(*body: str, options: tuple[str, ...] = ()) -> Result:
    """Replay a transcript made of these XML elements under attach-session-statistics=all."""
    data = (XML_HEAD + "".join(body) + "</chatTranscript>").encode()
    return replay_session(
        load_bytes(data, "t.xml"), build_options(["attach-session-statistics=all", *options])
    )
