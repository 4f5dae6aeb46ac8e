"""explain: the evidence of every KVP of every sample adds up to its value."""

import pytest

from chatstats_core import build_options, load_path, read_options_file, replay_session
from chatstats_core.engine.rules import RULES, checked_kvp_names
from chatstats_core.errors import UnknownKvpError
from chatstats_core.transcript.model import EventKind
from chatstats_core.transcript.timeutil import whole_seconds
from chatstats_core.workflows.explain import explain, explanation_document
from tests.helpers import SAMPLES, basic_chat, run

TRANSCRIPTS = sorted(
    p
    for p in SAMPLES.iterdir()
    if p.suffix in (".xml", ".json") and not p.name.endswith(".expected.json")
)


def _replay(path):
    options = read_options_file(path.with_suffix(".ini").read_text(), "ini").options
    return replay_session(load_path(path), options)


def _check(explanation, transcript):
    """The value follows from the evidence alone, by the KVP's kind."""
    key, value = explanation.key, explanation.value
    spans, events = explanation.intervals, explanation.events
    if key.endswith("TotalCount"):
        assert value == len(spans)
    elif key.endswith("MaxTime"):
        assert value == whole_seconds(max((s.ms for s in spans), default=0))
    elif key.endswith(("TotalTime", "WithCustomerTime")) or "UntilFirst" in key:
        assert value == whole_seconds(sum(s.ms for s in spans))
    elif key.endswith("Count"):  # messages and parties
        assert value == len(events)
    elif key.endswith("Size"):
        assert value == sum(len(transcript.events[i].text) for i in events)
        assert all(transcript.events[i].kind is EventKind.MESSAGE for i in events)
    else:
        return False
    return True


@pytest.mark.parametrize("path", TRANSCRIPTS, ids=lambda p: p.name)
def test_evidence_adds_up_to_every_kvp_of_every_sample(path):
    result = _replay(path)
    checked = 0
    for explanation in explain(result):
        checked += _check(explanation, result.timelines.transcript)
    assert checked >= 30  # every numeric KVP was checked


def test_explanations_cover_every_kvp_and_the_classification():
    result = run(*basic_chat())
    keys = [e.key for e in explain(result)]
    assert "cse_CustomerWaitTotalTime" in keys and "classification.ended_by" in keys
    assert len(keys) == len(result.stats) + 5


def test_explanation_says_whether_the_kvp_is_attached():
    result = run(*basic_chat(), attach="none")
    (wait,) = explain(result, ["cse_CustomerWaitMaxTime"])
    assert (wait.value, wait.attached) == (38, False)


def test_customer_wait_evidence_names_the_messages_at_each_end():
    """basic_chat: waits 4 -> 42 (events 1 -> 3) and 55 -> 70 (events 5 -> 6)."""
    result = run(*basic_chat())
    document = explanation_document(result, explain(result, ["cse_CustomerWaitTotalTime"]))
    (item,) = document["explanations"]
    assert item["intervals"] == [
        {"start": 4, "end": 42, "seconds": 38, "from_event": 1, "to_event": 3},
        {"start": 55, "end": 70, "seconds": 15, "from_event": 5, "to_event": 6},
    ]
    details = {d["index"]: d for d in document["event_details"]}
    assert (details[3]["party"], details[3]["role"], details[3]["excerpt"]) == (
        "a1",
        "agent",
        "Hi Ann, how can I help?",
    )


def test_explain_agent_reply_shows_the_excluded_span_and_why():
    """Sample 07: the reply 18 -> 80 loses the dormant 20 -> 60 (a1 left at 20; the route event
    at 60 woke it, so the routing 60 -> 70 is kept): 62 - 40 = 22 s, the maximum; the reply
    300 -> 320 loses 300 -> 310 (dormant since a2 left at 90, the customer's message woke it at
    300, a1 rejoined at 310): 10 s. The first, 2 -> 15 = 13 s, loses nothing (routing before
    the first agent is not excluded)."""
    result = replay_session(
        load_path(SAMPLES / "07-async-dormant.json"),
        build_options(["attach-session-statistics=all"]),
    )
    document = explanation_document(result, explain(result, ["cse_AgentReplyMaxTime"]))
    (item,) = document["explanations"]
    assert [
        (s["start"], s["end"], s["seconds"], s.get("excluded_seconds"), s.get("longest"))
        for s in item["intervals"]
    ] == [(2, 15, 13, None, None), (18, 80, 22, 40, True), (300, 320, 10, 10, None)]
    assert [
        (s["start"], s["end"], s["seconds"], s["from_event"], s["to_event"])
        for s in item["excluded"]
    ] == [(20, 60, 40, 5, 6), (300, 310, 10, 9, 11)]
    assert item["excluded"][0]["why"].startswith(
        "no visible agent from the session going dormant at 20s until a route event woke it at 60s"
    )
    assert item["excluded"][1]["why"].startswith(
        "no visible agent from the session going dormant at 90s until a visible agent joined at "
        "310s"
    )


def test_explain_agent_wait_shows_the_dormant_span_it_leaves_out():
    """Sample 07: the wait 80 -> 300 loses the dormant 90 -> 300 (a2 left at 90, the customer's
    message woke it at 300): 220 - 210 = 10 s."""
    result = replay_session(
        load_path(SAMPLES / "07-async-dormant.json"),
        build_options(["attach-session-statistics=all"]),
    )
    document = explanation_document(result, explain(result, ["cse_AgentWaitTotalTime"]))
    (item,) = document["explanations"]
    assert [(s["start"], s["end"], s["seconds"]) for s in item["excluded"]] == [(90, 300, 210)]
    assert "dormant" in item["excluded"][0]["why"]


def test_explain_of_a_max_time_lists_every_interval_and_marks_the_maximum():
    """basic_chat: customer waits 4 -> 42 (38 s, the maximum) and 55 -> 70 (15 s)."""
    result = run(*basic_chat())
    document = explanation_document(result, explain(result, ["cse_CustomerWaitMaxTime"]))
    (item,) = document["explanations"]
    assert item["value"] == 38
    assert [(s["seconds"], s.get("longest", False)) for s in item["intervals"]] == [
        (38, True),
        (15, False),
    ]


def test_classification_evidence_is_the_closing_event_and_who_was_present():
    result = run(*basic_chat())
    document = explanation_document(result, explain(result, ["classification.ended_by"]))
    assert document["explanations"][0]["events"] == [7, 8]  # the client's leave, the closing one
    assert document["closure"]["present_before"] == [
        {"party": "a1", "role": "agent", "visibility": "ALL"}
    ]


def test_timers_that_fired_are_listed():
    result = replay_session(
        load_path(SAMPLES / "08-inactivity-closure.json"),
        read_options_file((SAMPLES / "08-inactivity-closure.ini").read_text(), "ini").options,
    )
    document = explanation_document(result, explain(result, ["cse_ActiveIdleTotalTime"]))
    assert [(t["t"], t["stage"]) for t in document["timers"]] == [
        (150, "alert"),
        (210, "alert2"),
        (270, "close"),
    ]
    assert document["closure"]["simulated"] is True


def test_unknown_key_raises_unknown_kvp_error_with_a_did_you_mean():
    with pytest.raises(UnknownKvpError) as caught:
        explain(run(*basic_chat()), ["cse_AgentWaitMaxTim"])
    assert caught.value.one_line() == (
        "explain: error: unknown KVP 'cse_AgentWaitMaxTim'; did you mean cse_AgentWaitMaxTime?"
    )
    assert caught.value.exit_status == 2


def test_kvp_names_are_checked_the_same_way_by_replay_sweep_and_explain():
    assert checked_kvp_names(["csg_SessionTotalTime", "csg_SessionTotalTime"], "replay") == (
        "csg_SessionTotalTime",
    )
    with pytest.raises(UnknownKvpError, match="'chatstats explain' lists them"):
        checked_kvp_names(["zzz"], "sweep")
    with pytest.raises(UnknownKvpError):  # a classification field is explain's only
        checked_kvp_names(["classification.ended_by"], "replay")
    assert checked_kvp_names(["classification.ended_by"], "explain", RULES)
