"""The canonical JSON loader (behaviour.md 1.2) and its agreement with the JSON Schema."""

import copy
import json

import jsonschema
import orjson
import pytest

from chatstats_core import InputError, load_bytes
from chatstats_core.transcript.loading import InputFormat, detect_format, transcript_from_document
from chatstats_core.transcript.model import (
    AfterAction,
    CloseReason,
    EventKind,
    LeaveCause,
    Role,
    Visibility,
)
from tests.helpers import ROOT, SAMPLES, document, join, leave, msg

SCHEMA = json.loads((ROOT / "docs" / "transcript.schema.json").read_text())
GOOD = document(
    join(0, "c1", "client"),
    msg(4, "c1"),
    join(30, "a1", "agent", "VIP", "agent007"),
    leave(95, "a1", "close-if-no-agents"),
    leave(96, "c1", cause="removed", by="a1"),
    {"t": 97, "type": "close", "reason": "db_error"},
    {"t": 98, "type": "route"},
    {"t": 99, "type": "restore", "party": "a1"},
    {"t": 99.5, "type": "notice", "party": "c1", "notice": "TYPING_STARTED"},
    tenant_id=101,
)


def load(doc):
    return transcript_from_document(doc, "t.json", "stem")


def test_json_loads_every_field():
    transcript = load(GOOD)
    assert transcript.tenant_id == 101
    join_event = transcript.events[2]
    assert (join_event.role, join_event.visibility, join_event.person) == (
        Role.AGENT,
        Visibility.VIP,
        "agent007",
    )
    assert transcript.events[3].after is AfterAction.CLOSE_IF_NO_AGENTS
    assert (transcript.events[4].cause, transcript.events[4].by) == (LeaveCause.REMOVED, "a1")
    assert transcript.events[5].reason is CloseReason.DB_ERROR
    assert [e.kind for e in transcript.events[6:8]] == [EventKind.ROUTE, EventKind.RESTORE]
    assert transcript.events[8].t_ms == 99500


def test_json_session_id_defaults_to_file_stem():
    doc = copy.deepcopy(GOOD)
    del doc["session_id"]
    assert load(doc).session_id == "stem"


def test_json_decimal_offsets_keep_milliseconds():
    assert load(document(join(1.234, "c1", "client"))).events[0].t_ms == 1234


def test_json_unknown_key_says_did_you_mean():
    with pytest.raises(InputError) as caught:
        load(
            document({"t": 0, "type": "join", "party": "c1", "role": "client", "visibilty": "ALL"})
        )
    assert caught.value.path == "events[0].visibilty"
    assert "did you mean 'visibility'?" in caught.value.message


def test_json_errors_name_the_path_expected_and_found():
    with pytest.raises(InputError) as caught:
        load(document({"t": "5", "type": "message", "party": "c1", "text": "x"}))
    assert caught.value.one_line() == (
        "t.json:events[0].t: error: wrong type (expected a number of seconds, found a string)"
    )


def test_json_bad_started_at_is_an_error():
    doc = copy.deepcopy(GOOD)
    doc["started_at"] = "last tuesday"
    with pytest.raises(InputError, match="bad timestamp"):
        load(doc)


def test_json_not_json_at_all():
    with pytest.raises(InputError, match="not valid JSON"):
        load_bytes(b'{"format": ', "x.json")


def test_json_nan_is_an_error_not_a_crash():
    with pytest.raises(InputError):
        load_bytes(
            b'{"format": "chatstats-transcript/1", "started_at": "2026-01-05T10:00:00Z",'
            b' "events": [{"t": NaN, "type": "route"}]}',
            "x.json",
        )


def test_format_is_detected_from_content_not_extension():
    assert detect_format(b"\xef\xbb\xbf  \n<chatTranscript/>") is InputFormat.XML
    assert detect_format(b'\n {"format": 1}') is InputFormat.JSON
    with pytest.raises(InputError, match="neither XML nor JSON"):
        detect_format(b"hello")
    with pytest.raises(InputError, match="an empty input"):
        detect_format(b"")


def test_json_with_utf8_bom_loads():
    data = b"\xef\xbb\xbf" + orjson.dumps(GOOD)
    assert load_bytes(data, "bom.json").session_id == "S1"


def _mutated(change):
    doc = copy.deepcopy(GOOD)
    change(doc)
    return doc


BAD_DOCUMENTS = {
    "unknown top key": lambda d: d.update(sessionid="x"),
    "wrong format tag": lambda d: d.update(format="chatstats-transcript/2"),
    "missing started_at": lambda d: d.pop("started_at"),
    "missing events": lambda d: d.pop("events"),
    "tenant not integer": lambda d: d.update(tenant_id="101"),
    "user data value not string": lambda d: d["user_data"].update(MediaType=1),
    "event not object": lambda d: d["events"].append([]),
    "unknown event type": lambda d: d["events"].append({"t": 1, "type": "typing"}),
    "missing t": lambda d: d["events"].append({"type": "route"}),
    "negative t": lambda d: d["events"].append({"t": -1, "type": "route"}),
    "join without role": lambda d: d["events"].append({"t": 1, "type": "join", "party": "x"}),
    "bad role": lambda d: d["events"].append(
        {"t": 1, "type": "join", "party": "x", "role": "boss"}
    ),
    "bad visibility": lambda d: d["events"][1].update(visibility="all"),
    "message without text": lambda d: d["events"][1].pop("text"),
    "removed without by": lambda d: d["events"][4].pop("by"),
    "by without removed": lambda d: d["events"][3].update(by="c1"),
    "bad after": lambda d: d["events"][3].update(after="close"),
    "close without reason": lambda d: d["events"][5].pop("reason"),
    "route with party": lambda d: d["events"][6].update(party="c1"),
    "notice without type": lambda d: d["events"][8].pop("notice"),
}


def test_schema_accepts_what_the_loader_accepts():
    jsonschema.validate(GOOD, SCHEMA)
    load(GOOD)
    for path in sorted(SAMPLES.glob("*.json")):
        if not path.name.endswith(".expected.json"):
            jsonschema.validate(json.loads(path.read_text()), SCHEMA)
            load_bytes(path.read_bytes(), str(path))


@pytest.mark.parametrize("name", sorted(BAD_DOCUMENTS))
def test_schema_and_loader_reject_the_same_documents(name):
    doc = _mutated(BAD_DOCUMENTS[name])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, SCHEMA)
    with pytest.raises(InputError):
        load(doc)


from hypothesis import given  # noqa: E402

from tests.core.strategies import session_documents  # noqa: E402


@given(session_documents())
def test_fast_path_builds_the_same_events_as_the_validator(document):
    """The loader's fast path and its validator agree on every valid event."""
    from chatstats_core.transcript.loading.json_format import _fast_event, _Reader

    reader = _Reader("t.json")
    for index, raw in enumerate(document["events"]):
        assert _fast_event(raw, index) == reader.event(raw, index)
