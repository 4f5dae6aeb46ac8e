"""What GCXI users expect of a report (issue 22): buckets with bounds, the date range, --tz, one
row per group, h:mm:ss, and the what-if page's pictures."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from chatstats_cli.app import app
from chatstats_core import build_options, load_path, replay_session
from chatstats_core.render.report_html import page_title, render_html
from chatstats_core.render.summaries import duration_text, hms
from chatstats_core.workflows.report import (
    GroupBy,
    GroupInputs,
    InputDigest,
    compare_documents,
    group_of,
    time_zone,
)
from tests.helpers import SAMPLES, report_of

#: Starts 10:00, 11:00 and 12:00 on 2026-01-05 and 09:30 on 2026-01-06 (UTC).
NAMES = [
    "01-answered-chat.json",
    "02-abandoned-before-agent.xml",
    "03-agent-left-then-customer-left.json",
    "04-forced-close-by-agent.xml",
]


def _results(stop: str = "noanswer"):
    options = build_options([f"stop-abandoned-interaction={stop}"])
    return [replay_session(load_path(SAMPLES / n), options) for n in NAMES]


def _document(stop: str, by: GroupBy | None = None):
    """The report of the four samples under stop-abandoned-interaction=``stop``, with its
    options and inputs as the CLI gives them."""
    results = _results(stop)
    inputs = InputDigest(["samples"])
    for result in results:
        inputs.add(result.source)
    options = build_options([f"stop-abandoned-interaction={stop}"])
    return report_of(results, by).document(options, inputs)


def _compared(by: GroupBy | None = None):
    return compare_documents(_document("never", by), _document("noanswer", by))


def test_every_bucket_carries_its_bounds():
    """Customer waits 5, 15, 20, 22, 38: one in [0, 10), three in [10, 30), one in [30, 60)."""
    buckets = report_of(_results()).document()["total"]["distributions"]["customer_wait"]["buckets"]
    assert buckets[:3] == [
        {"from": 0, "to": 10, "count": 1},
        {"from": 10, "to": 30, "count": 3},
        {"from": 30, "to": 60, "count": 1},
    ]
    assert buckets[-1] == {"from": 3600, "to": None, "count": 0}


def test_a_bucket_delta_keeps_the_bounds_and_subtracts_the_counts():
    delta = _compared()["total"]["delta"]["distributions"]["customer_wait"]["buckets"]
    assert delta[1] == {"from": 10, "to": 30, "count": 0}


def test_a_report_says_the_first_and_last_session_start():
    total = report_of(_results()).document()["total"]
    assert total["started"] == {"first": "2026-01-05T10:00:00Z", "last": "2026-01-06T09:30:00Z"}
    assert report_of([]).document()["total"]["started"] == {"first": None, "last": None}


def test_hours_and_days_are_those_of_the_zone_named():
    """Paris is UTC+1 in January: 10:00, 11:00, 12:00 UTC are 11:00, 12:00, 13:00 there."""
    report = report_of(_results(), GroupBy.HOUR, "Europe/Paris").document()
    assert report["tz"] == "Europe/Paris"
    assert [g["group"] for g in report["groups"]] == [
        "2026-01-05T11:00+01:00",
        "2026-01-05T12:00+01:00",
        "2026-01-05T13:00+01:00",
        "2026-01-06T10:00+01:00",
    ]
    # at -10:00 the 09:30 UTC start of 04 is still 2026-01-05 (23:30 the day before)
    days = report_of(_results(), GroupBy.DAY, "-10:00").document()["groups"]
    assert [(g["group"], g["sessions"]) for g in days] == [("2026-01-05", 4)]


def test_the_hour_a_clock_goes_back_through_is_two_groups_in_time_order():
    """On 2026-10-25 Paris goes from +02:00 to +01:00 at 01:00 UTC: 00:30 UTC is 02:30+02:00 and
    01:30 UTC is 02:30+01:00, the same clock hour twice, the earlier first."""

    def hour_of(instant: str) -> str:
        return group_of(
            GroupBy.HOUR, GroupInputs("1", None, None, "chat", None, instant), "Europe/Paris"
        )

    assert hour_of("2026-10-25T00:30:00Z") == "2026-10-25T02:00+02:00"
    assert hour_of("2026-10-25T01:30:00Z") == "2026-10-25T02:00+01:00"
    from chatstats_core.workflows.report import _group_order

    assert _group_order(GroupBy.HOUR, ["2026-10-25T02:00+01:00", "2026-10-25T02:00+02:00"]) == [
        "2026-10-25T02:00+02:00",
        "2026-10-25T02:00+01:00",
    ]


@pytest.mark.parametrize("name", ["Mars/Olympus", "../../etc/passwd", "+24:00", "Europe/"])
def test_a_zone_that_is_not_one_is_refused(name):
    with pytest.raises(ValueError):
        time_zone(name)


def test_offsets_and_names_are_zones():
    instant = datetime(2026, 1, 5, 10, tzinfo=UTC)
    assert instant.astimezone(time_zone("+05:30")).utcoffset() == timedelta(hours=5, minutes=30)
    assert instant.astimezone(time_zone("America/New_York")).utcoffset() == timedelta(hours=-5)


def test_durations_read_as_h_mm_ss_from_a_minute_up():
    assert (hms(1107), hms(59), hms(3915), hms(-75)) == (
        "0:18:27",
        "0:00:59",
        "1:05:15",
        "-0:01:15",
    )
    assert (duration_text(1107), duration_text(38), duration_text(None)) == (
        "1,107 (0:18:27)",
        "38",
        "-",
    )


def test_the_what_if_title_says_which_options_change_over_which_sessions():
    title = page_title(_compared())
    assert title == (
        "What if stop-abandoned-interaction never to noanswer: 4 sessions, 2026-01-05 to 2026-01-06"
    )
    assert page_title(_document("noanswer")) == (
        "Chat session report: 4 sessions, 2026-01-05 to 2026-01-06"
    )


def _figures(page: str) -> list[str]:
    return re.findall(r"<figcaption>(.*?)(?:<br>|</figcaption>)", page)


def test_the_what_if_page_draws_both_matrices_their_change_shares_and_both_histograms():
    page = render_html(_compared())
    assert _figures(page) == [
        "Chat termination under A",
        "Chat termination under B",
        "Change, B - A",
        "Abandoned and stopped, % of sessions",
        "Customer waits (seconds), A and B",
        "Agent replies (seconds), A and B",
    ]
    # the one abandoned session of four is stopped under noanswer: 0% then 25% stopped
    shares = page[page.index('aria-label="Abandoned and stopped') :]
    shares = shares[: shares.index("</svg>")]
    assert re.findall(r">(\d+%)</text>", shares) == ["25%", "25%", "0%", "25%"]
    # 2 of the 4 closed sessions ended CLIENT/DISCONNECT under both: 50.0% in each matrix
    assert page.count(">50.0%</text>") == 2
    assert "<mark>settings/stop-abandoned-interaction: never &rarr; noanswer</mark>" in page
    assert "<script" not in page


def test_the_plain_page_draws_the_matrix_and_both_histograms():
    page = render_html(report_of(_results()).document())
    assert _figures(page) == [
        "Chat termination: ended by x reason",
        "Customer waits (seconds)",
        "Agent replies (seconds)",
    ]
    assert "% of 4 closed sessions" in page


@pytest.mark.parametrize("compared", [False, True], ids=["report", "what-if"])
def test_by_gives_one_row_per_group_and_a_trend_not_a_section_each(compared):
    by = GroupBy.HOUR
    document = _compared(by) if compared else report_of(_results(), by).document()
    page = render_html(document)
    assert page.count("<h2>") == 2  # all sessions, then the groups
    assert "By hour (UTC): 4 groups" in page
    assert "Sessions and abandoned % by hour (UTC)" in page
    table = page[page.index("By hour (UTC)") :]
    assert table.count("<tr>") == 1 + 4  # the heading row and a row per group
    assert page.count("<polyline") == (2 if compared else 1)


def test_the_terminal_report_shows_one_row_per_group():
    result = CliRunner().invoke(
        app,
        ["report", *(str(SAMPLES / n) for n in NAMES), "--by", "hour", "-f", "table", "-q"],
        env={"COLUMNS": "80"},
    )
    assert result.exit_code == 0, result.output
    assert "by hour (UTC): 4 groups" in result.stdout
    assert result.stdout.count("all sessions") == 1
    assert "hour: " not in result.stdout  # no section per group
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_report_tz_refuses_an_unknown_zone_in_one_line():
    result = CliRunner().invoke(app, ["report", str(SAMPLES / NAMES[0]), "--tz", "Mars/Base"])
    assert result.exit_code == 2
    assert "not a time zone" in result.stderr and "Traceback" not in result.stderr
