"""explain: the evidence of every KVP of every sample adds up to its value."""

import pytest

from chatstats_core import build_options, load_path, read_options_file, replay_session
from chatstats_core.explain import explain, explanation_document
from chatstats_core.model import EventKind
from chatstats_core.timeutil import whole_seconds
from tests.helpers import SAMPLES, basic_chat, run

TRANSCRIPTS = sorted(p for p in SAMPLES.iterdir()
                     if p.suffix in (".xml", ".json") and not p.name.endswith(".expected.json"))


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
        {"start": 55, "end": 70, "seconds": 15, "from_event": 5, "to_event": 6}]
    details = {d["index"]: d for d in document["event_details"]}
    assert (details[3]["party"], details[3]["role"], details[3]["excerpt"]) == (
        "a1", "agent", "Hi Ann, how can I help?")


def test_dormant_exclusion_is_shown_in_the_evidence():
    result = replay_session(load_path(SAMPLES / "07-async-dormant.json"),
                            build_options(["attach-session-statistics=all"]))
    document = explanation_document(result, explain(result, ["cse_AgentReplyMaxTime"]))
    (span,) = document["explanations"][0]["intervals"]
    assert (span["start"], span["end"], span["seconds"], span["excluded_seconds"]) == (
        18, 80, 22, 40)


def test_classification_evidence_is_the_closing_event_and_who_was_present():
    result = run(*basic_chat())
    document = explanation_document(result, explain(result, ["classification.ended_by"]))
    assert document["explanations"][0]["events"] == [7, 8]  # the client's leave, the closing one
    assert document["closure"]["present_before"] == [
        {"party": "a1", "role": "agent", "visibility": "ALL"}]


def test_timers_that_fired_are_listed():
    result = replay_session(load_path(SAMPLES / "08-inactivity-closure.json"),
                            read_options_file((SAMPLES / "08-inactivity-closure.ini").read_text(),
                                              "ini").options)
    document = explanation_document(result, explain(result, ["cse_ActiveIdleTotalTime"]))
    assert [(t["t"], t["stage"]) for t in document["timers"]] == [
        (150, "alert"), (210, "alert2"), (270, "close")]
    assert document["closure"]["simulated"] is True


def test_unknown_key_raises_key_error():
    with pytest.raises(KeyError):
        explain(run(*basic_chat()), ["cse_Nope"])
