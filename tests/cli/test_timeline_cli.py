"""`chatstats timeline`: formats and exit codes."""

import json

import pytest
from typer.testing import CliRunner

from chatstats_cli.app import app
from tests.helpers import ROOT


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def invoke(*args):
    return CliRunner().invoke(app, ["timeline", *args])


def test_json_when_piped():
    result = invoke("samples/06-bot-then-agent.xml")
    document = json.loads(result.stdout)
    assert document["entries"][1]["role"] == "bot"
    assert document["entries"][-1]["kind"] == "closed"


def test_the_text_time_line_stops_at_the_at_second_it_was_asked_for():
    result = invoke("samples/06-bot-then-agent.xml", "-f", "text", "--at", "10")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "# session bot-then-agent started 2026-01-08T08:00:00Z"
    assert "+10s" in result.stdout and "+11s" not in result.stdout


def test_table_format_draws_presence_bars():
    result = invoke("samples/03-agent-left-then-customer-left.json", "-f", "table")
    assert "presence" in result.stdout and "█" in result.stdout


def test_bad_input_exits_2():
    result = invoke("no/such.json")
    assert result.exit_code == 2
