"""sweep: combinations x sessions, hand-checked figures."""

import pytest

from chatstats_core import OptionError, Options, load_path
from chatstats_core.render.summary_csv import sweep_csv
from chatstats_core.workflows.sweep import parse_vary, sweep_document
from tests.helpers import SAMPLES, sweep_of

FILES = [
    "01-answered-chat.json",
    "02-abandoned-before-agent.xml",
    "03-agent-left-then-customer-left.json",
    "08-inactivity-closure.json",
]


def _transcripts():
    return [load_path(SAMPLES / name) for name in FILES]


def test_vary_parses_and_validates_values():
    assert parse_vary("stop-abandoned-interaction=never, noagents").values == ("never", "noagents")
    assert parse_vary("timeout-alert=5,10").key == "inactivity-control/timeout-alert"
    with pytest.raises(OptionError):
        parse_vary("stop-abandoned-interaction=never,sometimes")
    with pytest.raises(OptionError):
        parse_vary("stop-abandoned-interaction")


def test_rows_are_the_cartesian_product_in_order():
    result = sweep_of(
        _transcripts(),
        Options(),
        [
            parse_vary("stop-abandoned-interaction=never,noanswer"),
            parse_vary("inactivity-control/enabled=false,true"),
        ],
    )
    assert [tuple(r.combination.values()) for r in result.rows] == [
        ("never", False),
        ("never", True),
        ("noanswer", False),
        ("noanswer", True),
    ]


def test_figures_are_hand_checked():
    """02 is abandoned (ABSENT). noanswer stops 02 only; noagents stops 02 and 03 (VISITED).
    08 stays open unless inactivity control closes it (SYSTEM/INACTIVE)."""
    result = sweep_of(
        _transcripts(),
        Options(),
        [
            parse_vary("stop-abandoned-interaction=never,noanswer,noagents"),
            parse_vary("inactivity-control/enabled=false,true"),
        ],
    )
    figures = {tuple(r.combination.values()): r.figures for r in result.rows}
    assert figures[("never", False)]["sessions"] == 4
    assert figures[("never", False)]["abandoned"] == 1
    assert figures[("noanswer", False)]["interactions stopped"] == 1
    assert figures[("noagents", False)]["interactions stopped"] == 2
    assert figures[("never", False)]["still open"] == 1
    assert figures[("never", True)]["still open"] == 0
    assert figures[("never", True)]["ended SYSTEM/INACTIVE"] == 1
    assert figures[("never", False)]["ended CLIENT/DISCONNECT"] == 2  # 01 and 02
    # customer waits: 01 53 s, 03 42 s, 08 13 s, 02 none -> (53 + 42 + 13 + 0) / 4
    assert figures[("never", False)]["mean cse_CustomerWaitTotalTime"] == 27.0


def test_changing_columns_come_first():
    result = sweep_of(
        _transcripts(), Options(), [parse_vary("inactivity-control/enabled=false,true")]
    )
    assert set(result.columns[:2]) == {"still open", "ended SYSTEM/INACTIVE"}
    assert result.changing == frozenset({"still open", "ended SYSTEM/INACTIVE"})
    document = sweep_document(result)
    assert document["changing"] == list(result.columns[:2])


def test_kvp_shows_the_computed_value_per_session_and_combination():
    result = sweep_of(
        _transcripts(),
        Options(),
        [parse_vary("inactivity-control/enabled=false,true")],
        ["csg_SessionTotalTime"],
    )
    closed = [row.kvps["csg_SessionTotalTime"] for row in result.rows]
    assert closed[0]["inactivity-closure"] is None  # still open: no total time
    assert closed[1]["inactivity-closure"] == 330
    assert closed[0]["answered-chat"] == closed[1]["answered-chat"] == 95


def test_csv_has_a_row_per_combination():
    result = sweep_of(
        _transcripts(), Options(), [parse_vary("timeout-alert=60,120")], ["csg_SessionEndedBy"]
    )
    lines = sweep_csv(result).splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("inactivity_control_timeout_alert,")  # identifiers
    assert "kvp_csg_sessionendedby_answered_chat" in lines[0]
