"""timeline: the replay's own trace, recorded and simulated events in order."""

from chatstats_core import build_options, load_path, read_options_file, replay_session
from chatstats_core.workflows.timeline import timeline_document, timeline_text
from tests.helpers import SAMPLES, basic_chat, run


def _sample(name, *extra):
    path = SAMPLES / name
    base = read_options_file(path.with_suffix(".ini").read_text(), "ini").options
    return replay_session(load_path(path), build_options(extra, base), trace=True)


def test_recorded_events_come_before_what_they_caused_with_the_state_after():
    entries = timeline_document(_sample("07-async-dormant.json"))["entries"]
    leave = next(i for i, e in enumerate(entries) if e["kind"] == "leave")
    assert [(e["kind"], e["simulated"], e["state"]) for e in entries[leave : leave + 3]] == [
        ("leave", False, "dormant"),
        ("dormant start", True, "dormant"),
        ("reporting event", True, "dormant"),
    ]
    wake = next(e for e in entries if e["kind"] == "route")
    assert wake["state"] == "routing"


def test_simulated_timers_closure_and_dropped_events_are_listed():
    entries = timeline_document(_sample("08-inactivity-closure.json"))["entries"]
    simulated = [(e["t"], e["kind"]) for e in entries if e["simulated"]]
    assert simulated == [
        (10, "inactivity timer start"),
        (150, "inactivity alert"),
        (150, "active idle start"),
        (210, "inactivity alert2"),
        (270, "inactivity close"),
        (270, "closed"),
        (270, "active idle end"),
        (400, "dropped"),
        (410, "dropped"),
    ]


def test_each_entry_lists_who_is_present_and_each_party_has_its_span():
    document = timeline_document(run(*basic_chat(), trace=True))
    assert document["entries"][2]["present"] == ["c1", "a1"]
    assert document["parties"] == [
        {"party": "c1", "role": "client", "visibility": "ALL", "start": 0, "end": 90},
        {"party": "a1", "role": "agent", "visibility": "ALL", "start": 30, "end": 95},
    ]


def test_at_stops_the_time_line():
    document = timeline_document(run(*basic_chat(), at=45, trace=True))
    assert max(e["t"] for e in document["entries"]) <= 45
    assert document["end"] == 45


def test_no_trace_unless_asked():
    assert run(*basic_chat()).trace == ()


def test_text_form_marks_simulated_lines():
    text = timeline_text(timeline_document(_sample("08-inactivity-closure.json")))
    assert "~+270s\t2026-01-10T16:04:30Z\tactive\tinactivity close" in text
    assert " +0s\t2026-01-10T16:00:00Z\trouting\tjoin c1 (client): client, ALL\tpresent: c1" in text


def test_every_event_kind_has_its_line_on_the_time_line():
    from chatstats_core.engine.replay import TraceKind
    from chatstats_core.transcript.model import EventKind

    assert [TraceKind.of_event(kind).value for kind in EventKind] == [k.value for k in EventKind]


def test_each_stage_a_timer_can_reach_has_its_own_trace_line():
    """Inactivity control fires alert, alert2 and close; async idle control alert and close:
    each (timer, stage) is one TraceKind, found by value, not by joining names."""
    from chatstats_core.engine.options import Options
    from chatstats_core.engine.replay import TraceKind
    from chatstats_core.engine.timelines import TimerName, TimerStage
    from chatstats_core.engine.timers import async_idle_timer, inactivity_timer

    options = Options(inactivity_enabled=True, timeout_alert2=30)
    timers = [inactivity_timer(options), async_idle_timer(options, is_async=True)]
    lines = {
        (timer.name, stage): TraceKind.of_timer(timer.name, stage)
        for timer in timers
        if timer is not None
        for stage, _ in timer.stages
    }
    assert lines == {
        (TimerName.INACTIVITY, TimerStage.ALERT): TraceKind.INACTIVITY_ALERT,
        (TimerName.INACTIVITY, TimerStage.ALERT2): TraceKind.INACTIVITY_ALERT2,
        (TimerName.INACTIVITY, TimerStage.CLOSE): TraceKind.INACTIVITY_CLOSE,
        (TimerName.ASYNC_IDLE, TimerStage.ALERT): TraceKind.ASYNC_IDLE_ALERT,
        (TimerName.ASYNC_IDLE, TimerStage.CLOSE): TraceKind.ASYNC_IDLE_CLOSE,
    }
