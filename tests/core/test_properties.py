"""Invariants over generated sessions and option sets (hypothesis)."""

from hypothesis import given
from hypothesis import strategies as st

from chatstats_core import build_options, load_bytes, replay_session
from chatstats_core.engine import ALL_KVPS
from chatstats_core.engine.contract import result_to_dict
from chatstats_core.render import OutputFormat
from chatstats_core.transcript.loading import transcript_from_document
from chatstats_core.transcript.timeutil import whole_seconds
from chatstats_core.transcript.writers import transcript_to_document, transcript_to_xml
from tests.core.strategies import OPTION_SETS, session_documents
from tests.helpers import render_all

TRIPLES = sorted({k[: -len("TotalCount")] for k in ALL_KVPS if k.endswith("TotalCount")})


def _replay(document, assignments):
    transcript = transcript_from_document(document, "gen.json", "gen")
    return replay_session(transcript, build_options(assignments))


@given(session_documents(), OPTION_SETS)
def test_every_triple_has_max_at_most_total_and_no_time_without_count(document, assignments):
    """Max <= Total; Count = 0 implies Total = Max = 0 (Total = 0 with Count > 0 happens:
    a reply in the same second)."""
    result = _replay(document, assignments)
    for kvps in [result.kvps, *(e.kvps for e in result.reporting_events)]:
        for prefix in TRIPLES:
            if f"{prefix}TotalCount" not in kvps:
                continue
            count, total, longest = (
                kvps[f"{prefix}{s}"] for s in ("TotalCount", "TotalTime", "MaxTime")
            )
            assert 0 <= longest <= total
            if count == 0:
                assert total == 0 and longest == 0


@given(session_documents(), OPTION_SETS)
def test_evidence_intervals_add_up_to_the_values(document, assignments):
    result = _replay(document, assignments)
    for stat in result.stats:
        if not stat.key.startswith(tuple(TRIPLES)):
            continue
        if stat.key.endswith("TotalCount"):
            assert stat.value == len(stat.intervals)
        elif stat.key.endswith("TotalTime"):
            assert stat.value == whole_seconds(sum(i.ms for i in stat.intervals))
        elif stat.key.endswith("MaxTime"):
            assert stat.value == whole_seconds(max((i.ms for i in stat.intervals), default=0))


@given(session_documents(), OPTION_SETS)
def test_session_level_durations_are_consistent(document, assignments):
    result = _replay(document, assignments)
    kvps = result.kvps
    if result.is_open:
        assert result.classification.ended_by is None
        assert "ChatServerSessionClosedAt" not in kvps
        return
    total = kvps["csg_SessionTotalTime"]
    assert kvps["csg_SessionWithCustomerTime"] <= total  # a union of client presence (rule 6)
    assert kvps["cse_SessionHandleTotalTime"] <= total
    assert kvps["csg_SessionUntilFirstAgentTime"] <= total
    assert result.classification.abandoned == (kvps["csg_SessionEndedAgent"] == "ABSENT")
    assert kvps["csg_SessionEndedAgent"] in ("ABSENT", "PRESENT", "VISITED")
    assert (kvps["csg_SessionEndedAgent"] == "ABSENT") == (kvps["csg_PartiesAsAgentCount"] == 0)


@given(session_documents(), OPTION_SETS)
def test_replaying_twice_gives_byte_identical_json(document, assignments):
    first = render_all(OutputFormat.JSON, [_replay(document, assignments)])
    second = render_all(OutputFormat.JSON, [_replay(document, assignments)])
    assert first == second


@given(session_documents(xml_safe=True), OPTION_SETS)
def test_xml_and_json_versions_of_a_session_agree(document, assignments):
    options = build_options(assignments)
    from_json = replay_session(transcript_from_document(document, "gen.json", "gen"), options)
    xml = transcript_to_xml(transcript_from_document(document, "gen.json", "gen"))
    from_xml = replay_session(load_bytes(xml.encode("utf-8"), "gen.xml"), options)
    left, right = result_to_dict(from_json), result_to_dict(from_xml)
    for side in (left, right):
        side.pop("source")
        side.pop("warnings")
    assert left == right
    assert len(from_json.warnings) == len(from_xml.warnings)


@given(session_documents())
def test_json_document_round_trips_through_the_model(document):
    transcript = transcript_from_document(document, "gen.json", "gen")
    again = transcript_from_document(transcript_to_document(transcript), "gen.json", "gen")
    assert again.events == transcript.events
    assert again.user_data == transcript.user_data


@given(session_documents(), OPTION_SETS)
def test_results_are_picklable_for_worker_processes(document, assignments):
    import pickle

    result = _replay(document, assignments)
    again = pickle.loads(pickle.dumps(result))
    assert result_to_dict(again) == result_to_dict(result)


@given(
    st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50)), max_size=8),
    st.integers(0, 2000),
    st.integers(0, 2000),
)
def test_coverage_agrees_with_a_plain_scan(gaps, start, length):
    """The bisecting Coverage gives what summing the overlap of every span gives."""
    from chatstats_core.engine.stats import Coverage
    from chatstats_core.engine.timelines import Interval

    def overlap_ms(start, end, spans):  # the plain scan Coverage replaced
        return sum(max(0, min(end, s.end_ms) - max(start, s.start_ms)) for s in spans)

    spans, t = [], 0
    for gap, size in gaps:  # sorted, disjoint spans (possibly touching, possibly empty)
        spans.append(Interval(t + gap, t + gap + size))
        t += gap + size
    end = start + length
    assert Coverage(spans).overlap_ms(start, end) == overlap_ms(start, end, spans)


@given(session_documents(), OPTION_SETS)
def test_active_idle_never_exceeds_handle_time(document, assignments):
    """Rule 4: idle periods are a union clipped to visible-agent presence, so they fit inside
    the handle intervals: in time and one by one."""
    result = _replay(document, assignments)
    for kvps in [result.kvps, *(e.kvps for e in result.reporting_events)]:
        if "cse_ActiveIdleTotalTime" in kvps:
            assert kvps["cse_ActiveIdleTotalTime"] <= kvps["cse_SessionHandleTotalTime"]
    handle = result.timelines.handle
    for period in result.timelines.active_idle:
        assert any(h.start_ms <= period.start_ms and period.end_ms <= h.end_ms for h in handle)
    periods = result.timelines.active_idle
    assert all(
        a.end_ms < b.start_ms  # disjoint and apart
        for a, b in zip(periods, periods[1:], strict=False)
    )


@given(session_documents(), OPTION_SETS)
def test_every_wait_and_reply_interval_is_non_negative(document, assignments):
    result = _replay(document, assignments)
    for stat in result.stats:
        if stat.key.startswith(
            ("cse_CustomerWait", "cse_AgentReply", "cse_AgentWait", "cse_CustomerReply")
        ):
            assert all(interval.ms >= 0 for interval in stat.intervals), stat.key


@given(session_documents(), OPTION_SETS)
def test_under_fired_a_triple_is_attached_exactly_when_its_count_is_positive(document, assignments):
    """TotalCount = 0 exactly when TotalTime and MaxTime are absent under fired."""
    result = _replay(document, [*assignments, "attach-session-statistics=fired"])
    for prefix in TRIPLES:
        attached = [f"{prefix}{s}" in result.kvps for s in ("TotalCount", "TotalTime", "MaxTime")]
        assert attached in ([True] * 3, [False] * 3), prefix
        if attached[0]:
            assert result.kvps[f"{prefix}TotalCount"] > 0
