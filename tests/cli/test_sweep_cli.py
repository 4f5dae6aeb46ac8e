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


def test_table_and_csv():
    table = invoke(*FILES, "--vary", "stop-abandoned-interaction=never,noagents", "-f", "table",
                   "--kvp", "csg_SessionEndedAgent")
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
