"""Reported statistics are parsed per session, in every form diff --expected accepts."""

from __future__ import annotations

import pytest

from chatstats_core import ChatstatsError, build_options, load_path, replay_session
from chatstats_core.render import OutputFormat
from chatstats_core.workflows.compare import KeyFilter, diff_against_report
from chatstats_core.workflows.reported import parse_reported
from tests.helpers import REAL, SAMPLES, render_all

TRANSCRIPTS = sorted(
    p
    for p in SAMPLES.iterdir()
    if p.suffix in (".xml", ".json") and not p.name.endswith(".expected.json")
)
TRANSCRIPTS += sorted(REAL.glob("*.xml"))
BULK_FORMATS = [f for f in OutputFormat if f is not OutputFormat.TABLE]

LOG_TWO_BLOCKS = """\
2026-01-05T10:01:35.120 Trc 04542 RequestAttachUserData sent
\tAttributeInteractionId\t'0001KaCMQ2YR00BH'
\tAttributeUserData\t[118] 00 02 00 00..
\t\t'csg_ChatSessionID'\t'S-1'
\t\t'csg_SessionEndedBy'\t'CLIENT'
\t\t'cse_CustomerWaitMaxTime'\t38
2026-01-05T10:02:10.004 Trc 04542 RequestAttachUserData sent
\tAttributeInteractionId\t'0001KaCMQ2YR00BJ'
\t\t'csg_ChatSessionID'\t'S-2'
\t\t'csg_SessionEndedBy'\t'AGENT'
\t\t'cse_CustomerWaitMaxTime'\t5
"""


def _results(options: tuple[str, ...]):
    return [replay_session(load_path(path), build_options(options)) for path in TRANSCRIPTS]


@pytest.mark.parametrize("attach", ["all", "fired", "none"])
@pytest.mark.parametrize("fmt", BULK_FORMATS, ids=lambda f: f.value)
def test_every_replay_format_read_back_as_a_report_has_no_differences(fmt, attach):
    """replay -f FORMAT over every sample and real transcript, then diff --expected that output:
    each session meets its own (not a blend of all), and nothing differs."""
    options = (f"attach-session-statistics={attach}", "stop-abandoned-interaction=noanswer")
    results = _results(options)
    reported = parse_reported(render_all(fmt, results), "report")
    assert len(reported.sessions) == len(results)
    diffs = list(diff_against_report(results, reported, KeyFilter()))
    assert [d.session_id for d in diffs] == [r.session_id for r in results]
    assert [(d.session_id, d.differences) for d in diffs if d.is_different] == []


def test_a_log_paste_of_several_blocks_is_split_per_session_by_its_id():
    reported = parse_reported(LOG_TWO_BLOCKS, "log.txt")
    assert [
        (r.session_id, r.kvps["csg_SessionEndedBy"], r.kvps["cse_CustomerWaitMaxTime"])
        for r in reported.sessions
    ] == [("S-1", "CLIENT", 38), ("S-2", "AGENT", 5)]


def test_several_sessions_without_ids_are_an_error_not_a_blend():
    text = "csg_SessionEndedBy=CLIENT\ncsg_SessionTotalTime=5\ncsg_SessionEndedBy=AGENT\n"
    with pytest.raises(ChatstatsError, match="holds 2 sessions and 2 of them name no session"):
        parse_reported(text, "r.txt")


def test_kvp_headers_name_the_session_and_its_file():
    text = (
        "# session A (x/a.xml)\n'csg_SessionTotalTime'\t5\n\n"
        "# session A (y/a.xml)\n'csg_SessionTotalTime'\t7\n"
    )
    reported = parse_reported(text, "r.txt")
    assert [(r.session_id, r.source, r.kvps) for r in reported.sessions] == [
        ("A", "x/a.xml", {"csg_SessionTotalTime": 5}),
        ("A", "y/a.xml", {"csg_SessionTotalTime": 7}),
    ]
    assert reported.for_session("A", "y/a.xml") == 1  # the same id: the file tells them apart
    assert reported.for_session("A", "z/a.xml", taken={0}) == 1


def test_kvp_values_with_quotes_and_backslashes_read_back_exactly():
    reported = parse_reported("'csg_MediaOrigin'\t'it\\'s a \\\\ test'\n", "r.txt")
    assert reported.sessions[0].kvps["csg_MediaOrigin"] == "it's a \\ test"


def test_a_single_unnamed_report_meets_only_the_first_session():
    """One unnamed session can only be one transcript's: a second is reported as missing."""
    results = _results(("attach-session-statistics=all",))[:2]
    reported = parse_reported("csg_SessionEndedBy=CLIENT\n", "r.txt")
    diffs = list(diff_against_report(results, reported, KeyFilter(only_right_keys=True)))
    assert [d.differences[0].presence if d.differences else "matched" for d in diffs] == [
        "matched",
        "left-only",
    ]


def test_infomart_reports_compare_only_the_kvps_info_mart_stores():
    results = _results(("attach-session-statistics=all",))[:1]
    reported = parse_reported(render_all(OutputFormat.INFOMART, results), "fact.csv")
    assert "csg_ChatSessionID" not in reported.sessions[0].kvps  # not mapped: no column
    assert not next(diff_against_report(results, reported, KeyFilter())).is_different
