"""`chatstats sweep`: formats and exit codes."""

import json

import pytest
from typer.testing import CliRunner

from chatstats_cli.app import app
from tests.helpers import ROOT

FILES = ["samples/01-answered-chat.json", "samples/03-agent-left-then-customer-left.json"]


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def invoke(*args):
    return CliRunner().invoke(app, ["sweep", *args])


def test_json_by_default_when_piped():
    result = invoke(*FILES, "--vary", "stop-abandoned-interaction=never,noagents")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert [row["figures"]["interactions stopped"] for row in document["rows"]] == [0, 1]
    assert document["changing"] == ["interactions stopped"]


def test_the_sweep_table_and_csv_show_each_combination_with_the_asked_kvps():
    table = invoke(
        *FILES,
        "--vary",
        "stop-abandoned-interaction=never,noagents",
        "-f",
        "table",
        "--kvp",
        "csg_SessionEndedAgent",
    )
    assert "interactions stopped" in table.stdout and "VISITED" in table.stdout
    csv_out = invoke(*FILES, "--vary", "stop-abandoned-interaction=never,noagents", "-f", "csv")
    assert csv_out.stdout.splitlines()[1].startswith("never,")


def test_bad_vary_and_unknown_kvp_exit_2():
    assert invoke(*FILES, "--vary", "stop-abandoned-interaction=maybe").exit_code == 2
    assert invoke(*FILES, "--vary", "timeout-alert=5", "--kvp", "nope").exit_code == 2
    assert invoke(*FILES).exit_code == 2  # --vary is required


def test_bad_file_still_sweeps_the_others_and_exits_2():
    result = invoke(FILES[0], "no/such.xml", "--vary", "timeout-alert=5")
    assert result.exit_code == 2
    assert json.loads(result.stdout)["rows"][0]["figures"]["sessions"] == 1


def test_jobs_give_the_same_bytes_and_the_summary_line_counts_sessions():
    args = [
        "samples",
        "--vary",
        "stop-abandoned-interaction=never,noagents,always",
        "--vary",
        "attach-session-statistics=none,all",
        "--kvp",
        "csg_SessionEndedBy",
        "-f",
        "csv",
    ]
    one, two = invoke(*args, "--jobs", "1"), invoke(*args, "--jobs", "2")
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout
    assert len(one.stdout.splitlines()) == 1 + 6  # header and one row per combination
    assert one.stderr.startswith("sweep: 18 sessions replayed, ")


def test_the_streamed_sweep_equals_replaying_each_combination_by_hand():
    from chatstats_core import build_options, load_path, replay_session

    result = json.loads(
        invoke(*FILES, "--vary", "stop-abandoned-interaction=never,always", "-q").stdout
    )
    for row in result["rows"]:
        options = build_options([f"{k}={v}" for k, v in row["options"].items()])
        stopped = sum(
            replay_session(load_path(ROOT / f), options).classification.interaction_stopped is True
            for f in FILES
        )
        assert row["figures"]["interactions stopped"] == stopped
        assert row["figures"]["sessions"] == 2


def test_the_same_option_varied_twice_is_an_error_not_a_ragged_matrix():
    result = CliRunner().invoke(
        app,
        [
            "sweep",
            "samples/01-answered-chat.json",
            "--vary",
            "timeout-alert=30,60",
            "--vary",
            "timeout-alert=90",
        ],
    )
    assert result.exit_code == 2
    assert "--vary names inactivity-control/timeout-alert twice" in result.stderr


def test_sweep_json_gives_option_values_the_types_replay_gives_them():
    """Booleans and integers as JSON booleans and numbers; the legacy true is noanswer."""
    result = CliRunner().invoke(
        app,
        [
            "sweep",
            "samples/01-answered-chat.json",
            "-f",
            "json",
            "--vary",
            "inactivity-control/enabled=true",
            "--vary",
            "timeout-alert=30",
            "--vary",
            "stop-abandoned-interaction=true",
        ],
    )
    assert json.loads(result.stdout)["rows"][0]["options"] == {
        "inactivity-control/enabled": True,
        "inactivity-control/timeout-alert": 30,
        "settings/stop-abandoned-interaction": "noanswer",
    }
