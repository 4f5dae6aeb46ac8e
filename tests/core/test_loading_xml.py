"""The Genesys transcript XML loader (behaviour.md 1.1 and 2)."""

import pytest

from chatstats_core import InputError, build_options, load_bytes, replay_session
from chatstats_core.transcript.model import (
    AfterAction,
    CloseReason,
    EventKind,
    LeaveCause,
    Role,
    Visibility,
)
from tests.helpers import said

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<chatTranscript startAt="2022-03-05T07:09:33Z" sessionId="S9">\n'
CLIENT = (
    '<newParty userId="C" timeShift="0" visibility="ALL" eventId="1"><userInfo personId="" '
    'userNick="ann" userType="CLIENT"/><userData><item key="MediaType" type="string">chat'
    '</item><item key="GCTI_LanguageName" type="string">english</item></userData></newParty>\n'
)


def xml(*body: str) -> bytes:
    return (HEAD + CLIENT + "".join(body) + "</chatTranscript>\n").encode()


def agent(
    t: int = 5,
    party: str = "A",
    user_type: str = "AGENT",
    extra: str = "",
    visibility: str = "ALL",
    person: str = "p1",
) -> str:
    return (
        f'<newParty userId="{party}" timeShift="{t}" visibility="{visibility}" eventId="2">'
        f'<userInfo personId="{person}" userNick="bob" userType="{user_type}"/>{extra}'
        "</newParty>\n"
    )


def left(t: int, party: str, code: str | None, asker: str = "") -> str:
    reason = f'<reason code="{code}">x</reason>' if code is not None else "<reason>left</reason>"
    return f'<partyLeft userId="{party}" timeShift="{t}" askerId="{asker}">{reason}</partyLeft>\n'


def test_xml_session_header_and_user_data_from_first_client():
    transcript = load_bytes(xml(), "t.xml")
    assert transcript.session_id == "S9"
    assert transcript.started_at.isoformat() == "2022-03-05T07:09:33+00:00"
    assert transcript.user_data == {"MediaType": "chat", "GCTI_LanguageName": "english"}


def test_xml_new_party_maps_to_join_with_role_person_and_visibility():
    transcript = load_bytes(xml(agent(7, visibility="VIP", user_type="SUPERVISOR")), "t.xml")
    event = transcript.events[1]
    assert (event.kind, event.role, event.t_ms, event.person, event.visibility, event.line) == (
        EventKind.JOIN,
        Role.SUPERVISOR,
        7000,
        "p1",
        Visibility.VIP,
        4,
    )


def test_xml_bot_detected_by_party_style_user_data():
    extra = '<userData><item key="GCTI_Chat_PartyStyle" type="string">BOT</item></userData>'
    assert load_bytes(xml(agent(extra=extra)), "t.xml").events[1].role is Role.BOT


def test_xml_bot_detected_by_event_attributes_party_info_style():
    extra = (
        '<eventAttributes><item key="GCTI_SYSTEM" type="kvlist"><item key="party-info" '
        'type="kvlist"><item key="style" type="string">BOT</item></item></item>'
        "</eventAttributes>"
    )
    assert load_bytes(xml(agent(extra=extra)), "t.xml").events[1].role is Role.BOT


def test_xml_unmarked_bot_is_an_agent():
    assert load_bytes(xml(agent()), "t.xml").events[1].role is Role.AGENT


def test_xml_external_and_system_user_types():
    transcript = load_bytes(
        xml(agent(party="W", user_type="EXTERNAL"), agent(party="S", user_type="SYSTEM")), "t.xml"
    )
    assert [e.role for e in transcript.events[1:]] == [Role.EXTERNAL, Role.SYSTEM]


def test_xml_message_text_is_the_msgtext_text_only():
    body = (
        '<message userId="C" timeShift="3" visibility="ALL"><msgText msgType="text"> x y '
        "</msgText>\n1.\n2.\n</message>\n"
    )
    event = load_bytes(xml(body), "t.xml").events[1]
    assert (event.kind, event.text, event.t_ms) == (EventKind.MESSAGE, " x y ", 3000)


def test_xml_message_text_keeps_non_ascii_characters():
    body = '<message userId="C" timeShift="3"><msgText>Привет, мир</msgText></message>\n'
    assert load_bytes(xml(body), "t.xml").events[1].text == "Привет, мир"


def test_xml_notice_type_and_idle_control_close():
    body = (
        '<notice userId="C" timeShift="3" visibility="ALL"><noticeText noticeType="TYPING_STARTED"/></notice>\n'
        '<notice userId="C" timeShift="9" visibility="ALL"><noticeText noticeType="IDLE_CONTROL_CLOSE">bye</noticeText></notice>\n'
    )
    events = load_bytes(xml(body), "t.xml").events
    assert (events[1].kind, events[1].notice_type) == (EventKind.NOTICE, "TYPING_STARTED")
    assert (events[2].kind, events[2].reason) == (EventKind.CLOSE, CloseReason.INACTIVE)


def test_xml_strips_stray_whitespace_and_line_breaks_in_attributes():
    body = (
        agent()
        + '<partyLeft userId="\nA" timeShift="\n9 " askerId="\nA">\n<reason code="2">x</reason></partyLeft>\n'
    )
    event = load_bytes(xml(body), "t.xml").events[2]
    assert (event.party, event.t_ms, event.after) == ("A", 9000, AfterAction.FORCE_CLOSE)


@pytest.mark.parametrize(
    ("code", "kind", "field", "value"),
    [
        (None, EventKind.LEAVE, "after", AfterAction.KEEP_ALIVE),
        ("0", EventKind.LEAVE, "cause", LeaveCause.QUIT),
        ("1", EventKind.LEAVE, "after", AfterAction.CLOSE_IF_NO_AGENTS),
        ("2", EventKind.LEAVE, "after", AfterAction.FORCE_CLOSE),
        ("3", EventKind.LEAVE, "cause", LeaveCause.DISCONNECT),
        ("4", EventKind.LEAVE, "cause", LeaveCause.REMOVED),
        ("5", EventKind.LEAVE, "cause", LeaveCause.SERVER),
        ("6", EventKind.LEAVE, "cause", LeaveCause.DISCONNECT),
        ("7", EventKind.CLOSE, "reason", CloseReason.INACTIVE),
        ("8", EventKind.RESTORE, "party", "A"),
    ],
)
def test_xml_party_left_reason_codes(code, kind, field, value):
    event = load_bytes(xml(agent(), left(9, "A", code, asker="C")), "t.xml").events[2]
    assert event.kind is kind
    assert getattr(event, field) == value
    if code == "4":
        assert event.by == "C"


def test_xml_unknown_reason_code_is_a_plain_leave_with_warning():
    transcript = load_bytes(xml(agent(), left(9, "A", "42")), "t.xml")
    assert transcript.events[2].kind is EventKind.LEAVE
    assert "unknown partyLeft reason code '42'" in said(transcript.load_warnings)[0]


def test_xml_unknown_element_is_skipped_with_warning():
    transcript = load_bytes(xml('<whatever timeShift="1"><x/></whatever>\n', agent()), "t.xml")
    assert len(transcript.events) == 2
    assert said(transcript.load_warnings) == ("line 4: unknown element <whatever> skipped",)


def test_xml_namespaced_names_are_shown_as_elementtree_shows_them():
    transcript = load_bytes(xml('<w:odd xmlns:w="urn:w" timeShift="1"/>\n', agent()), "t.xml")
    assert said(transcript.load_warnings) == ("line 4: unknown element <{urn:w}odd> skipped",)
    with pytest.raises(InputError) as caught:
        load_bytes(b'<h:html xmlns:h="urn:h"/>', "t.xml")
    assert "found <{urn:h}html>" in caught.value.one_line()


def test_xml_code_5_closes_as_system_db_error():
    result = replay_session(
        load_bytes(xml(agent(), left(30, "A", "5"), left(30, "C", "5")), "t.xml"),
        build_options(["attach-session-statistics=all"]),
    )
    assert (result.kvps["csg_SessionEndedBy"], result.kvps["csg_SessionEndedReason"]) == (
        "SYSTEM",
        "DB_ERROR",
    )
    assert said(result.warnings) == ()


def test_xml_code_7_closes_as_system_inactive():
    result = replay_session(
        load_bytes(xml(agent(), left(30, "C", "7")), "t.xml"),
        build_options(
            [
                "attach-session-statistics=all",
                "inactivity-control/enabled=true",
                "timeout-alert=20",
                "timeout-close=5",
            ]
        ),
    )
    assert (result.kvps["csg_SessionEndedBy"], result.kvps["csg_SessionEndedReason"]) == (
        "SYSTEM",
        "INACTIVE",
    )


@pytest.mark.parametrize(
    ("data", "message", "line"),
    [
        (
            b"<chatTranscript startAt='2022-03-05T07:09:33Z' sessionId='S'><message></chatTranscript>",
            "not well-formed XML",
            1,
        ),
        (b"<?xml version='1.0'?>\n<transcript/>", "wrong root element", 2),
        (b"<chatTranscript sessionId='S'/>", "has no startAt", 1),
        (b"<chatTranscript startAt='yesterday' sessionId='S'/>", "bad startAt", 1),
        (b"<chatTranscript startAt='2022-03-05T07:09:33Z'/>", "has no sessionId", 1),
    ],
)
def test_xml_structural_errors_name_the_line(data, message, line):
    with pytest.raises(InputError) as caught:
        load_bytes(data, "bad.xml")
    assert message in caught.value.message
    assert caught.value.line == line
    assert caught.value.one_line().startswith(f"bad.xml:{line}")


def test_xml_bad_time_shift_names_line_expected_and_found():
    body = '<message userId="C" timeShift="1.5"><msgText>x</msgText></message>\n'
    with pytest.raises(InputError) as caught:
        load_bytes(xml(body), "bad.xml")
    assert caught.value.one_line() == (
        "bad.xml:4: error: bad timeShift on <message> (expected a "
        "non-negative whole number of seconds, found '1.5')"
    )


def test_xml_decreasing_offsets_are_an_error_naming_both():
    body = agent(20) + '<message userId="C" timeShift="10"><msgText>x</msgText></message>\n'
    with pytest.raises(InputError) as caught:
        load_bytes(xml(body), "bad.xml")
    assert "offset 10s after 20s" in caught.value.message
    assert caught.value.line == 5


def test_xml_dtd_and_entities_are_refused():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
        b"<chatTranscript startAt='2022-03-05T07:09:33Z' sessionId='S'>&lol2;</chatTranscript>"
    )
    with pytest.raises(InputError, match="refused unsafe XML"):
        load_bytes(bomb, "bomb.xml")


def test_xml_utf16_with_bom_loads():
    data = (HEAD.replace("UTF-8", "UTF-16") + CLIENT + "</chatTranscript>").encode("utf-16")
    assert load_bytes(data, "t.xml").user_data["GCTI_LanguageName"] == "english"
