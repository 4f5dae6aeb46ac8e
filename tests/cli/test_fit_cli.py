"""`chatstats fit`: formats and exit codes."""

import json

import pytest
from typer.testing import CliRunner

from chatstats_cli.app import app
from tests.helpers import ROOT

SAMPLE = "samples/08-inactivity-closure.json"


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def invoke(*args):
    return CliRunner().invoke(app, ["fit", *args])


def test_exact_fit_from_a_genesys_log_paste_exits_0(tmp_path):
    report = tmp_path / "log.txt"
    report.write_text(
        CliRunner()
        .invoke(
            app,
            ["replay", SAMPLE, "--options-file", "samples/08-inactivity-closure.ini", "-f", "kvp"],
        )
        .stdout
    )
    result = invoke(SAMPLE, "--expected", str(report), "-f", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["exact"] is True
    assert document["fits"][0]["changes"]["inactivity-control/timeout-alert"] == 120


def test_no_fit_exits_1_and_table_lists_differences(tmp_path):
    report = tmp_path / "kv.txt"
    report.write_text("csg_SessionEndedBy=BOT\n")
    result = invoke(SAMPLE, "--expected", str(report), "-f", "table")
    assert result.exit_code == 1
    assert "csg_SessionEndedBy: computed" in result.stdout and "reported BOT" in result.stdout


def test_missing_report_or_session_exits_2(tmp_path):
    assert invoke(SAMPLE, "--expected", "no/such.txt").exit_code == 2
    other = tmp_path / "other.json"
    other.write_text((ROOT / "samples/01-answered-chat.expected.json").read_text())
    result = invoke(SAMPLE, "--expected", str(other))
    assert result.exit_code == 2 and "no reported values for session" in result.stderr
