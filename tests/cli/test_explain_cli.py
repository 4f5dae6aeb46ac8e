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
        "closure at 120s by force-close (event eventId 8, line 15); present before it: 01C1 "
        "(client, ALL), 01A1 (agent, ALL)" in text
    )


def test_unknown_key_exits_2_with_a_suggestion():
    result = invoke("samples/01-answered-chat.json", "cse_CustomerWaitMax")
    assert result.exit_code == 2
    assert "did you mean cse_CustomerWaitMaxTime?" in result.stderr


def test_bad_file_exits_2():
    assert invoke("no/such.xml").exit_code == 2


def test_xml_events_are_cited_by_their_eventid_and_line(tmp_path):
    """Real files number their events with gaps: explain cites the file's eventId and line, not
    chatstats's own index (JSON, which has no eventId, keeps `#N`)."""
    path = tmp_path / "gaps.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<chatTranscript startAt="2026-01-05T10:00:00Z" sessionId="G">\n'
        '<newParty userId="C" timeShift="0" eventId="10"><userInfo userType="CLIENT"/></newParty>\n'
        '<newParty userId="A" timeShift="5" eventId="20"><userInfo userType="AGENT"/></newParty>\n'
        '<message userId="A" timeShift="8" eventId="35"><msgText>hi</msgText></message>\n'
        '<partyLeft userId="C" timeShift="9" eventId="41"><reason>left</reason></partyLeft>\n'
        '<partyLeft userId="A" timeShift="9" eventId="42"><reason>left</reason></partyLeft>\n'
        "</chatTranscript>\n"
    )
    result = invoke(str(path), "csg_SessionUntilFirstReplyTime", "-f", "table")
    text = " ".join(result.stdout.split())
    assert "eventId 35 (line 5) A agent message" in text
    assert "(event eventId 42, line 7)" in text
