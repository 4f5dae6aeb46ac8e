"""The same session loaded from XML and from JSON gives the same model and the same results."""

from dataclasses import replace

import pytest

from chatstats_core import build_options, load_bytes, load_path, replay_session
from chatstats_core.engine.contract import result_to_dict
from chatstats_core.transcript.loading import transcript_from_document
from chatstats_core.transcript.loading.xml_format import LEAVE_REASON_CODES, leave_reason_code
from chatstats_core.transcript.model import AfterAction, EventKind, LeaveCause
from chatstats_core.transcript.writers import WriteError, transcript_to_document, transcript_to_xml
from tests.helpers import REAL, SAMPLES

OPTIONS = build_options(
    [
        "attach-session-statistics=all",
        "attach-stats-rep-events=7",
        "attach-stats-rep-place=5",
        "inactivity-control/enabled=true",
    ]
)
XML_FILES = sorted(SAMPLES.glob("*.xml")) + sorted(REAL.glob("*.xml"))
JSON_FILES = sorted(p for p in SAMPLES.glob("*.json") if not p.name.endswith(".expected.json"))


def _comparable(result):
    document = result_to_dict(result)
    document.pop("source")
    document.pop("options")  # compared runs may echo a different replay/tenant-id
    document["warnings"] = len(document["warnings"])  # XML warnings also name lines
    return document


@pytest.mark.parametrize("path", XML_FILES, ids=lambda p: p.name)
def test_xml_session_as_json_replays_identically(path):
    from_xml = load_path(path)
    from_json = transcript_from_document(transcript_to_document(from_xml), "x.json", "x")
    assert [e.kind for e in from_json.events] == [e.kind for e in from_xml.events]
    assert _comparable(replay_session(from_json, OPTIONS)) == _comparable(
        replay_session(from_xml, OPTIONS)
    )


@pytest.mark.parametrize("path", JSON_FILES, ids=lambda p: p.name)
def test_json_session_as_xml_replays_identically(path):
    from_json = load_path(path)
    try:
        xml = transcript_to_xml(from_json)
    except WriteError:
        pytest.skip("uses what XML cannot express (route events or milliseconds)")
    from_xml = load_bytes(xml.encode("utf-8"), "x.xml")
    # XML has no tenant: the replay/tenant-id option stands in for it.
    xml_options = replace(OPTIONS, tenant_id=from_json.tenant_id or OPTIONS.tenant_id)
    assert _comparable(replay_session(from_xml, xml_options)) == _comparable(
        replay_session(from_json, OPTIONS)
    )


def test_route_has_no_xml_form():
    with pytest.raises(WriteError, match="route"):
        transcript_to_xml(load_path(SAMPLES / "07-async-dormant.json"))


@pytest.mark.parametrize(
    ("cause", "after", "code"),
    [
        (LeaveCause.QUIT, AfterAction.KEEP_ALIVE, None),
        (LeaveCause.QUIT, AfterAction.CLOSE_IF_NO_AGENTS, "1"),
        (LeaveCause.QUIT, AfterAction.FORCE_CLOSE, "2"),
        (LeaveCause.DISCONNECT, AfterAction.KEEP_ALIVE, "3"),
        (LeaveCause.DISCONNECT, AfterAction.FORCE_CLOSE, "3"),  # one code: the cause wins
        (LeaveCause.REMOVED, AfterAction.KEEP_ALIVE, "4"),
        (LeaveCause.SERVER, AfterAction.KEEP_ALIVE, "5"),
    ],
)
def test_leave_reason_code_is_read_back_as_written(cause, after, code):
    """Behaviour 1.1's quit reason codes: the writer picks from the loader's own table."""
    assert leave_reason_code(cause, after) == code
    if code is not None:
        kind, fields = LEAVE_REASON_CODES[code]
        assert kind is EventKind.LEAVE
        assert fields.get("cause", cause) is cause
