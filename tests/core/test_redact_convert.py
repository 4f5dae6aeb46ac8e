"""redact and convert: what the statistics use survives, everything personal does not."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chatstats_core import build_options, load_bytes, load_path, replay_session
from chatstats_core.engine.contract import result_to_dict
from chatstats_core.errors import WriteError
from chatstats_core.transcript.loading import transcript_from_document
from chatstats_core.transcript.redact import mask, redact
from chatstats_core.transcript.writers import transcript_to_document, transcript_to_xml
from tests.core.strategies import awkward_documents, session_documents
from tests.helpers import REAL, SAMPLES

OPTIONS = build_options(
    [
        "attach-session-statistics=all",
        "attach-stats-rep-events=7",
        "attach-stats-rep-place=9",
        "inactivity-control/enabled=true",
    ]
)
FILES = sorted(
    p
    for p in SAMPLES.iterdir()
    if p.suffix in (".xml", ".json") and not p.name.endswith(".expected.json")
) + sorted(REAL.glob("*.xml"))


def _written(transcript):
    """Write the transcript in its own format and load it back, as the CLI output would be."""
    if transcript.source_format == "xml":
        return load_bytes(transcript_to_xml(transcript).encode(), "out.xml")
    import orjson

    return load_bytes(orjson.dumps(transcript_to_document(transcript)), "out.json")


def _comparable(result, *drop):
    """The result's JSON without where it came from, its warnings' wording, and ``drop``."""
    document = result_to_dict(result)
    for key in ("source", "warnings", *drop):
        document.pop(key)
    return document


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_redacted_transcript_replays_identically(path):
    original = load_path(path)
    redacted = _written(redact(original, salt="pepper"))
    assert _comparable(replay_session(redacted, OPTIONS)) == _comparable(
        replay_session(original, OPTIONS)
    )


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_new_session_id_changes_only_the_session_id(path):
    original = load_path(path)
    redacted = _written(redact(original, salt="pepper", new_session_id=True))
    left = replay_session(redacted, OPTIONS)
    right = replay_session(original, OPTIONS)
    assert left.kvps["csg_ChatSessionID"] != right.kvps["csg_ChatSessionID"]
    for result in (left, right):
        result.kvps.pop("csg_ChatSessionID")
        for event in result.reporting_events:
            event.kvps.pop("csg_ChatSessionID", None)
    assert _comparable(left, "session_id") == _comparable(right, "session_id")


def test_redaction_replaces_names_ids_texts_and_user_data():
    original = load_path(REAL / "01-bot-party-style-disconnect-forced-close.xml")
    redacted = redact(original, salt="pepper")
    old_ids = {e.party for e in original.events} | {e.person for e in original.events if e.person}
    new_ids = {e.party for e in redacted.events} | {e.person for e in redacted.events if e.person}
    assert not old_ids & new_ids
    assert len({e.party for e in redacted.events}) == len({e.party for e in original.events})
    assert all(set(e.text) <= {"x", " ", "\n"} for e in redacted.events)
    assert redacted.user_data["MediaType"] == "chat"
    assert "agreementId" not in redacted.user_data  # a key can be personal too: pseudonymised
    assert "xxxxxxxx" in redacted.user_data.values()
    assert [e.t_ms for e in redacted.events] == [e.t_ms for e in original.events]


def test_redaction_keeps_only_the_forms_the_statistics_read():
    """User-data keys, free-text notice types and the statistics keys' other values are
    personal data too: only what a rule reads survives, in the form it reads it."""
    original = transcript_from_document(
        {
            "format": "chatstats-transcript/1",
            "session_id": "S1",
            "started_at": "2026-01-05T10:00:00Z",
            "user_data": {
                "ann@x.example": "hello",
                "GCTI_Chat_PartyStyle": "ann@x.example",
                "GCTI_Chat_AsyncMode": " TRUE ",
                "MediaOrigin": "https://shop.example/?email=ann@x.example",
                "MediaType": "chat",
            },
            "events": [
                {"t": 0, "type": "join", "party": "c1", "role": "client"},
                {"t": 1, "type": "notice", "party": "c1", "notice": "Ann Smith typed"},
                {"t": 2, "type": "notice", "party": "c1", "notice": "PUSH_URL"},
                {"t": 3, "type": "leave", "party": "c1"},
            ],
        },
        "t",
        "S1",
    )
    redacted = redact(original, salt="pepper")
    kept = "\n".join([*redacted.user_data, *redacted.user_data.values()])
    assert "ann@x.example" not in kept and "Ann Smith" not in kept
    assert redacted.user_data["GCTI_Chat_AsyncMode"] == "true"
    assert redacted.user_data["GCTI_Chat_PartyStyle"] == "xxxxxxxxxxxxx"
    assert redacted.user_data["MediaOrigin"].startswith("value-")
    assert redacted.user_data["MediaType"] == "chat"
    assert [e.notice_type for e in redacted.events[1:3]] == [
        redacted.events[1].notice_type,
        "PUSH_URL",
    ]
    assert redacted.events[1].notice_type.startswith("notice-")


def test_kept_keys_stay_and_the_same_salt_gives_the_same_pseudonyms():
    original = load_path(SAMPLES / "01-answered-chat.json")
    assert redact(original, keep=["MediaType"]).user_data["GCTI_LanguageName"] == "english"
    assert redact(original, salt="a") == redact(original, salt="a")
    assert redact(original, salt="a").events[0].party != redact(original, salt="b").events[0].party


def test_mask_keeps_length_and_spacing():
    assert mask(" Привет, мир!\n ok ") == " xxxxxxx xxxx\n xx "


@pytest.mark.parametrize(
    "path", sorted(SAMPLES.glob("*.xml")) + sorted(REAL.glob("*.xml")), ids=lambda p: p.name
)
def test_xml_to_json_to_xml_replays_identically(path):
    original = load_path(path)
    json_doc = transcript_to_document(original)
    back = load_bytes(
        transcript_to_xml(transcript_from_document(json_doc, "x.json", "x")).encode(), "back.xml"
    )
    assert _comparable(replay_session(back, OPTIONS)) == _comparable(
        replay_session(original, OPTIONS)
    )


@given(session_documents(xml_safe=True))
def test_json_to_xml_to_json_gives_back_the_same_json(document):
    canonical = transcript_to_document(transcript_from_document(document, "g.json", "g"))
    xml = transcript_to_xml(transcript_from_document(canonical, "g.json", "g"))
    assert transcript_to_document(load_bytes(xml.encode(), "g.xml")) == canonical


@given(session_documents(xml_safe=True))
def test_xml_to_json_to_xml_is_stable_for_generated_sessions(document):
    xml = transcript_to_xml(transcript_from_document(document, "g.json", "g"))
    once = load_bytes(xml.encode(), "g.xml")
    again = load_bytes(
        transcript_to_xml(
            transcript_from_document(transcript_to_document(once), "g.json", "g")
        ).encode(),
        "g.xml",
    )
    assert transcript_to_xml(again) == xml


def _same_replay(left, right, *drop):
    assert _comparable(replay_session(left, OPTIONS), *drop) == _comparable(
        replay_session(right, OPTIONS), *drop
    )


@given(awkward_documents())
def test_convert_keeps_the_statistics_exactly_or_refuses(document):
    """replay(convert(x)) == replay(x): to JSON always; to XML, or a one-line WriteError for
    what XML cannot hold (milliseconds, control characters, user data without a client...)."""
    import orjson

    original = transcript_from_document(document, "g.json", "g")
    as_json = load_bytes(orjson.dumps(transcript_to_document(original)), "g.json")
    _same_replay(as_json, original)
    try:
        xml = transcript_to_xml(original)
    except WriteError as exc:
        assert "\n" not in exc.one_line()
        return
    _same_replay(load_bytes(xml.encode(), "g.xml"), original)


@given(awkward_documents(), st.sampled_from(["", "pepper"]))
def test_redact_keeps_the_statistics_exactly(document, salt):
    """replay(redact(x)) == replay(x), written in JSON and read back; a person id equal to
    another party's id stays equal, so unique counts do not move."""
    import orjson

    original = transcript_from_document(document, "g.json", "g")
    redacted = load_bytes(orjson.dumps(transcript_to_document(redact(original, salt))), "g.json")
    _same_replay(redacted, original)


def test_pseudonyms_never_collide():
    """Two values whose short pseudonyms would be equal get longer ones."""
    from chatstats_core.transcript.redact import Pseudonyms

    names = Pseudonyms("s")
    names.owners["p-" + "0" * 10] = ("p", "somebody else")  # as if a collision had happened
    names.given[("p", "somebody else")] = "p-" + "0" * 10
    first = names("p", "a")
    assert first != names("p", "b") and names("p", "a") == first


def test_years_below_1000_are_written_with_four_digits():
    original = transcript_from_document(
        {
            "format": "chatstats-transcript/1",
            "started_at": "0999-03-01T00:00:00Z",
            "events": [{"t": 0, "type": "join", "party": "c", "role": "client"}],
        },
        "y.json",
        "y",
    )
    assert transcript_to_document(original)["started_at"] == "0999-03-01T00:00:00Z"
    assert 'startAt="0999-03-01T00:00:00Z"' in transcript_to_xml(original)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_sample_and_real_transcript_converts_with_the_same_statistics(path):
    """replay(convert(x)) == replay(x) both ways, or (to XML) a WriteError for what XML cannot
    hold (route events, milliseconds)."""
    import orjson

    original = load_path(path)
    as_json = load_bytes(orjson.dumps(transcript_to_document(original)), "x.json")
    _same_replay(as_json, original)
    try:
        as_xml = load_bytes(transcript_to_xml(original).encode(), "x.xml")
    except WriteError:
        assert path.suffix == ".json"
        return
    from dataclasses import replace

    _same_replay(as_xml, replace(original, tenant_id=None))  # XML has no tenant (a warning)
