"""The terminal views on an 80-column screen: nothing cut inside a word, ids whole, wrapped lines
indented, yes/no rather than True/False, simulated events marked without colour; --color,
--kvp, and JSON when piped."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from chatstats_cli.app import app
from tests.helpers import ROOT

NARROW = {"COLUMNS": "80", "NO_COLOR": "1"}
REAL_07 = "samples/real/07-bot-set-party-style-then-agent.xml"


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def _table(*args: str, env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(app, [*args], env=env or NARROW)
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def _fits(text: str, excerpts: bool = False) -> None:
    """Every line fits; no word was cut short by a column (``excerpts``: the view shortens
    long message texts itself, with an ellipsis, on purpose)."""
    assert all(len(line) <= 80 for line in text.splitlines()), max(text.splitlines(), key=len)
    if not excerpts:
        assert "…" not in text, "a word was cut"


def test_options_at_80_columns_cut_nothing_and_keep_the_indent():
    text = _table("options", "-f", "table")
    _fits(text)
    assert "non-encountered" in text
    blocks = [line for line in text.splitlines() if line and not line.startswith(" ")]
    assert len(blocks) == 15  # one heading per option
    assert all(
        line.startswith("    ")
        for line in text.splitlines()
        if line and not line.startswith(("settings/", "inactivity-control/", "replay/"))
    )


def test_options_prints_json_when_piped():
    result = CliRunner().invoke(app, ["options"])
    rows = json.loads(result.stdout)
    assert rows[0]["option"] == "settings/attach-session-statistics"


def test_timeline_at_80_columns_keeps_party_ids_whole_and_marks_simulated_events():
    text = _table(
        "timeline",
        REAL_07,
        "-f",
        "table",
        "-o",
        "inactivity-control/enabled=true",
        "-o",
        "timeout-alert=5",
    )
    _fits(text, excerpts=True)
    for party in ("00E55B6227FB011C", "00E55B6227FF011E", "00E55B6227FF011F", "00E55B4FED7D004C"):
        assert text.count(party) == 1  # whole, once, in the legend; the table uses c1, x1...
    assert "c1 = 00E55B6227FB011C (client)" in text and "b1 = 00E55B6227FF011F (bot)" in text
    assert re.search(r"^~\+28s .*inactivity", text, flags=re.M)  # marked without colour
    assert "~ simulated by the replay" in text


def test_sweep_at_80_columns_has_whole_distinct_figure_labels():
    text = _table(
        "sweep",
        "samples/real",
        "-f",
        "table",
        "-q",
        "--vary",
        "stop-abandoned-interaction=never,noanswer,noagents",
        "--vary",
        "inactivity-control/enabled=false,true",
    )
    _fits(text)
    labels = re.findall(r"^(mean \S+)", text, flags=re.M)
    assert "mean cse_CustomerWaitTotalTime" in labels and "mean cse_CustomerWaitMaxTime" in labels
    assert "True" not in text and "False" not in text
    assert re.search(r"┃\s+no\s+┃\s+yes", text)  # yes/no in the headers, split over tables
    assert text.count("figure") == 2  # six combinations: two tables fit 80 columns


def test_explain_at_80_columns_wraps_with_the_indent():
    text = _table(
        "explain",
        "samples/07-async-dormant.json",
        "cse_AgentReplyMaxTime",
        "classification.abandoned",
        "-f",
        "table",
        "-o",
        "attach-session-statistics=all",
    )
    _fits(text)
    lines = text.splitlines()
    start = lines.index(next(line for line in lines if line.startswith("  2s -> 15s")))
    assert lines[start + 1].startswith('      message "Checking, one moment"')
    assert "classification.abandoned = no" in text


def test_fit_at_80_columns_wraps_hints_with_the_indent():
    text = _table(
        "fit",
        "samples/01-answered-chat.json",
        "--expected",
        "samples/reported-log.txt",
        "-f",
        "table",
    )
    _fits(text)
    hint = text.splitlines()[1]
    assert hint.startswith("  hint: ") and text.splitlines()[2].startswith("        ")


def test_color_never_and_always_override_the_terminal_and_no_color():
    args = ["replay", "samples/01-answered-chat.json", "-f", "table", "-q"]
    plain = CliRunner().invoke(app, [*args, "--color", "never"], env={"COLUMNS": "80"})
    assert "\x1b[" not in plain.stdout
    coloured = CliRunner().invoke(
        app, [*args, "--color", "always"], env={"COLUMNS": "80", "NO_COLOR": "1"}
    )
    assert "\x1b[" in coloured.stdout
    default = CliRunner().invoke(app, args, env={"COLUMNS": "80"})
    assert "\x1b[" not in default.stdout  # not a terminal: auto means no colour


def test_replay_kvp_picks_a_few_kvps_in_every_format():
    base = [
        "replay",
        "samples/01-answered-chat.json",
        "-q",
        "-o",
        "attach-session-statistics=all",
        "--kvp",
        "csg_SessionEndedBy",
        "--kvp",
        "cse_CustomerWaitMaxTime",
    ]
    document = json.loads(CliRunner().invoke(app, [*base, "-f", "json"]).stdout)
    assert document["kvps"] == {"csg_SessionEndedBy": "CLIENT", "cse_CustomerWaitMaxTime": 38}
    header = CliRunner().invoke(app, [*base, "-f", "csv"]).stdout.splitlines()[0]
    assert header.endswith(",csg_SessionEndedBy,cse_CustomerWaitMaxTime")
    fact = CliRunner().invoke(app, [*base, "-f", "infomart"]).stdout.splitlines()[0]
    assert fact == "MEDIA_SERVER_IXN_GUID,CUSTOMER_WAIT_MAX_DURATION,ENDED_BY"
    kvp = CliRunner().invoke(app, [*base, "-f", "kvp"]).stdout.splitlines()
    assert kvp[1:] == ["'csg_SessionEndedBy'\t'CLIENT'", "'cse_CustomerWaitMaxTime'\t38"]


def test_replay_kvp_refuses_an_unknown_key_with_a_suggestion():
    result = CliRunner().invoke(
        app, ["replay", "samples/01-answered-chat.json", "--kvp", "csg_SessionEndBy"]
    )
    assert result.exit_code == 2
    assert "did you mean csg_SessionEndedBy?" in result.stderr
