"""`chatstats explain`: formats and exit codes."""

import json

import pytest
from typer.testing import CliRunner

from chatstats_cli.app import app
from tests.helpers import ROOT


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def invoke(*args):
    return CliRunner().invoke(app, ["explain", *args])


def test_json_has_the_contract_shape():
    result = invoke("samples/01-answered-chat.json", "cse_CustomerWaitMaxTime", "-f", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["session_id"] == "answered-chat"
    (item,) = document["explanations"]
    assert set(item) == {"key", "value", "attached", "rule", "intervals", "events"}
    assert item["value"] == 38
    assert item["intervals"][0]["to_event"] == 3


def test_all_keys_by_default_in_table_form():
    result = invoke("samples/04-forced-close-by-agent.xml", "-f", "table")
    assert result.exit_code == 0
    assert "classification.interaction_stopped" in result.stdout
    text = " ".join(result.stdout.split())
    assert (
        "closure at 120s by force-close (event #7); present before it: 01C1 (client, ALL), 01A1 (agent, ALL)"
        in text
    )


def test_unknown_key_exits_2_with_a_suggestion():
    result = invoke("samples/01-answered-chat.json", "cse_CustomerWaitMax")
    assert result.exit_code == 2
    assert "did you mean cse_CustomerWaitMaxTime?" in result.stderr


def test_bad_file_exits_2():
    assert invoke("no/such.xml").exit_code == 2
