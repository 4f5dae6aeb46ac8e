"""report: hand-checked figures on the samples, grouping, percentiles and the HTML page."""

from collections import Counter

from chatstats_core import build_options, load_path, read_options_file, replay_session
from chatstats_core.render.report_html import render_html
from chatstats_core.render.summaries import flat_rows
from chatstats_core.workflows.report import GroupBy, describe
from tests.helpers import SAMPLES, report_of

NAMES = [
    "01-answered-chat.json",
    "02-abandoned-before-agent.xml",
    "03-agent-left-then-customer-left.json",
    "04-forced-close-by-agent.xml",
]


def _results(*extra):
    options = build_options(["stop-abandoned-interaction=noanswer", *extra])
    return [replay_session(load_path(SAMPLES / n), options) for n in NAMES]


def test_headline_figures_are_hand_checked():
    """02 is the only abandoned one; 01 ends CLIENT/DISCONNECT, 02 too, 03 CLIENT/QUIT,
    04 AGENT/FORCE."""
    total = report_of(_results()).document()["total"]
    assert (
        total["sessions"],
        total["abandoned"],
        total["abandoned_percent"],
        total["interactions_stopped"],
    ) == (4, 1, 25.0, 1)
    assert total["ended"] == {"AGENT/FORCE": 1, "CLIENT/DISCONNECT": 2, "CLIENT/QUIT": 1}
    # agent messages: 01 2 (35 chars), 03 2 (45), 04 3 (69)
    assert (total["messages"]["agents_count"], total["messages"]["agents_size"]) == (7, 149)


def test_wait_distribution_is_over_individual_waits():
    """Customer waits: 01 38 and 15; 03 22 and 20; 04 5 -> 5 waits, mean 20, median 20, max 38."""
    waits = report_of(_results()).document()["total"]["distributions"]["customer_wait"]
    assert (waits["count"], waits["mean"], waits["median"], waits["max"]) == (5, 20.0, 20, 38)
    assert waits["p90"] == 38
    # 0-10: 5; 10-30: 15, 20, 22; 30-60: 38
    assert [b["count"] for b in waits["buckets"][:3]] == [1, 3, 1]


def _buckets(counts: list[int]) -> list[dict[str, int | None]]:
    bounds = [0, 10, 30, 60, 120, 300, 900, 3600, None]
    return [
        {"from": low, "to": high, "count": n}
        for low, high, n in zip(bounds[:-1], bounds[1:], counts, strict=True)
    ]


def test_a_distribution_has_the_nearest_rank_median_and_p90_and_no_values_when_empty():
    histogram = Counter({1: 1, 2: 1, 3: 1, 4: 1, 100: 1})  # 100 s falls in 60-120 s
    assert describe(histogram) == {
        "count": 5,
        "mean": 22.0,
        "median": 3,
        "p90": 100,
        "max": 100,
        "buckets": _buckets([4, 0, 0, 1, 0, 0, 0, 0]),
    }
    assert describe(Counter()) == {
        "count": 0,
        "mean": None,
        "median": None,
        "p90": None,
        "max": None,
        "buckets": _buckets([0] * 8),
    }


def test_group_by_language_and_ended_by():
    by_language = report_of(_results(), GroupBy.LANGUAGE).document()
    assert [(g["group"], g["sessions"]) for g in by_language["groups"]] == [
        ("-", 2),
        ("english", 1),
        ("german", 1),
    ]
    by_end = report_of(_results(), GroupBy.ENDED_BY).document()
    assert {g["group"]: g["sessions"] for g in by_end["groups"]} == {"AGENT": 1, "CLIENT": 3}


def test_group_by_day_and_hour():
    days = report_of(_results(), GroupBy.DAY).document()["groups"]
    assert [g["group"] for g in days] == ["2026-01-05", "2026-01-06"]
    hours = report_of(_results(), GroupBy.HOUR).document()["groups"]
    assert hours[0]["group"] == "2026-01-05T10:00Z"


def test_flat_rows_have_a_total():
    rows = flat_rows(report_of(_results(), GroupBy.ENDED_BY).document())
    assert [r["group"] for r in rows] == ["AGENT", "CLIENT", "total"]
    assert rows[-1]["customer_wait_mean"] == 20.0


def test_html_is_self_contained_with_inline_svg():
    page = render_html(report_of(_results(), GroupBy.LANGUAGE).document())
    assert page.startswith("<!DOCTYPE html>") and page.count("<svg") >= 2
    assert "<script" not in page and "http://" not in page.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    assert "Chat termination" in page and "english" in page


def test_async_and_idle_figures():
    options = read_options_file((SAMPLES / "07-async-dormant.ini").read_text(), "i").options
    result = replay_session(load_path(SAMPLES / "07-async-dormant.json"), options)
    dormant = report_of([result]).document()["total"]["distributions"]["async_dormant"]
    assert (dormant["count"], dormant["max"]) == (1, 250)  # one session, 250 s dormant in total


def test_without_grouping_the_total_is_the_only_row():
    """No duplicate 'all' group beside the total."""
    document = report_of(_results()).document()
    assert document["groups"] == []
    assert [r["group"] for r in flat_rows(document)] == ["total"]


def test_json_keys_are_identifiers():
    total = report_of(_results(), GroupBy.LANGUAGE).document()["total"]
    keys = [
        *total,
        *total["messages"],
        *total["distributions"],
        *total["distributions"]["customer_wait"],
    ]
    assert all(key.isidentifier() for key in keys), keys


def test_a_report_says_what_made_it_and_holds_no_clock():
    """Version, options in effect, the inputs as given and a digest of the sources, in order."""
    from chatstats_core import __version__
    from chatstats_core.workflows.report import InputDigest, Report

    options = build_options(["stop-abandoned-interaction=noanswer"])
    digest = InputDigest(["samples"])
    report = Report(None)
    for result in _results():
        digest.add(result.source)
        report.add(result)
    document = report.document(options, digest)
    assert document["generated_by"] == {"tool": "chatstats", "version": __version__}
    assert document["options"]["settings/stop-abandoned-interaction"] == "noanswer"
    assert document["inputs"]["given"] == ["samples"] and document["inputs"]["sessions"] == 4
    assert document["inputs"]["digest"].startswith("sha256:")
    again = InputDigest(["samples"])
    for result in _results():
        again.add(result.source)
    assert again.document()["digest"] == document["inputs"]["digest"]
    assert "20" not in str(document["generated_by"])  # no date anywhere near it


def test_compared_reports_give_b_minus_a_for_every_number():
    """02 abandoned: noanswer stops it (1 stopped) where never stops none: delta +1; an empty
    distribution's statistics stay None on both sides and in the delta."""
    from chatstats_core.workflows.report import compare_documents

    never = report_of(_results("stop-abandoned-interaction=never")).document()
    noanswer = report_of(_results()).document()
    compared = compare_documents(never, noanswer)["total"]
    assert (
        compared["a"]["interactions_stopped"],
        compared["b"]["interactions_stopped"],
        compared["delta"]["interactions_stopped"],
    ) == (0, 1, 1)
    assert compared["delta"]["ended"] == {
        "AGENT/FORCE": 0,
        "CLIENT/DISCONNECT": 0,
        "CLIENT/QUIT": 0,
    }
    assert compared["delta"]["distributions"]["async_idle"]["mean"] is None


def test_html_has_thousands_separators_dashes_and_what_made_it():
    from chatstats_core.render.summaries import number, signed

    assert (number(3915), number(1234.56), number(None), signed(-3704), signed(2)) == (
        "3,915",
        "1,234.6",
        "-",
        "-3,704",
        "+2",
    )
    page = render_html(report_of(_results()).document())
    assert "made by" in page and "sha256:" in page
