"""report: hand-checked figures on the samples, grouping, percentiles and the HTML page."""

from collections import Counter

from chatstats_core import build_options, load_path, read_options_file, replay_session
from chatstats_core.report import GroupBy, build, describe, flat_rows
from chatstats_core.report_html import render_html
from tests.helpers import SAMPLES

NAMES = ["01-answered-chat.json", "02-abandoned-before-agent.xml",
         "03-agent-left-then-customer-left.json", "04-forced-close-by-agent.xml"]


def _results(*extra):
    options = build_options(["stop-abandoned-interaction=noanswer", *extra])
    return [replay_session(load_path(SAMPLES / n), options) for n in NAMES]


def test_headline_figures_are_hand_checked():
    """02 is the only abandoned one; 01 ends CLIENT/DISCONNECT, 02 too, 03 CLIENT/QUIT,
    04 AGENT/FORCE."""
    total = build(_results()).document()["total"]
    assert (total["sessions"], total["abandoned"], total["abandoned %"],
            total["interactions stopped"]) == (4, 1, 25.0, 1)
    assert total["ended"] == {"AGENT/FORCE": 1, "CLIENT/DISCONNECT": 2, "CLIENT/QUIT": 1}
    # agent messages: 01 2 (35 chars), 03 2 (45), 04 3 (69)
    assert (total["messages"]["agents count"], total["messages"]["agents size"]) == (7, 149)


def test_wait_distribution_is_over_individual_waits():
    """Customer waits: 01 38 and 15; 03 22 and 20; 04 5 -> 5 waits, mean 20, median 20, max 38."""
    waits = build(_results()).document()["total"]["distributions"]["customer wait"]
    assert (waits["count"], waits["mean"], waits["median"], waits["max"]) == (5, 20.0, 20, 38)
    assert waits["p90"] == 38
    assert waits["buckets"][:3] == [1, 3, 1]  # 0-10: 5; 10-30: 15, 20, 22; 30-60: 38


def test_describe_quantiles():
    histogram = Counter({1: 1, 2: 1, 3: 1, 4: 1, 100: 1})  # 100 s falls in 60-120 s
    assert describe(histogram) == {"count": 5, "mean": 22.0, "median": 3, "p90": 100,
                                   "max": 100, "buckets": [4, 0, 0, 1, 0, 0, 0, 0]}
    assert describe(Counter())["count"] == 0


def test_group_by_language_and_ended_by():
    by_language = build(_results(), GroupBy.LANGUAGE).document()
    assert [(g["group"], g["sessions"]) for g in by_language["groups"]] == [
        ("-", 2), ("english", 1), ("german", 1)]
    by_end = build(_results(), GroupBy.ENDED_BY).document()
    assert {g["group"]: g["sessions"] for g in by_end["groups"]} == {"AGENT": 1, "CLIENT": 3}


def test_group_by_day_and_hour():
    days = build(_results(), GroupBy.DAY).document()["groups"]
    assert [g["group"] for g in days] == ["2026-01-05", "2026-01-06"]
    hours = build(_results(), GroupBy.HOUR).document()["groups"]
    assert hours[0]["group"] == "2026-01-05T10:00Z"


def test_flat_rows_have_a_total():
    rows = flat_rows(build(_results(), GroupBy.ENDED_BY).document())
    assert [r["group"] for r in rows] == ["AGENT", "CLIENT", "total"]
    assert rows[-1]["customer wait mean"] == 20.0


def test_html_is_self_contained_with_inline_svg():
    page = render_html(build(_results(), GroupBy.LANGUAGE).document())
    assert page.startswith("<!DOCTYPE html>") and page.count("<svg") >= 2
    assert "<script" not in page and "http://" not in page.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
    assert "Chat termination" in page and "english" in page


def test_async_and_idle_figures():
    options = read_options_file((SAMPLES / "07-async-dormant.ini").read_text(), "i").options
    result = replay_session(load_path(SAMPLES / "07-async-dormant.json"), options)
    dormant = build([result]).document()["total"]["distributions"]["async dormant"]
    assert (dormant["count"], dormant["max"]) == (1, 250)  # one session, 250 s dormant in total

