"""Warnings are values: a code, the event or line they are about, and the message; their text
is made only when they are said."""

from chatstats_core import load_bytes
from chatstats_core.errors import ChatstatsWarning, WarningCode, warning_lines
from tests.helpers import join, leave, msg, run


def test_a_warning_about_an_event_carries_its_index_and_names_it_in_its_text():
    result = run(join(0, "c1", "client"), msg(5, "ghost"), leave(10, "c1"))
    (warning,) = result.warnings
    assert warning.code is WarningCode.PARTY_NEVER_JOINED
    assert warning.event == 1
    assert warning.message == "message from party 'ghost' that never joined, taken as external"
    assert warning.text == f"event 1: {warning.message}"


def test_a_session_warning_may_point_at_the_closing_event_without_naming_it():
    """AGENT/QUIT with a customer is outside the seed's table: validate shows it at the
    closing event (index 3), replay says the message alone."""
    result = run(
        join(0, "c1", "client"),
        join(5, "a1", "agent"),
        leave(20, "c1", cause="removed", by="a1"),
        leave(30, "a1"),
    )
    (warning,) = result.warnings
    assert (warning.code, warning.event, warning.names_event) == (
        WarningCode.OUTSIDE_SEED_TABLE,
        3,
        False,
    )
    assert warning.text == warning.message


def test_a_load_warning_carries_its_source_line():
    data = (
        b'<chatTranscript sessionId="S" startAt="2024-01-01T00:00:00Z">\n'
        b'<newParty userId="c1" timeShift="0" visibility="ALL">'
        b'<userInfo userType="CLIENT"/></newParty>\n'
        b'<odd timeShift="1"/>\n'
        b"</chatTranscript>\n"
    )
    (warning,) = load_bytes(data, "t.xml").load_warnings
    assert (warning.code, warning.line) == (WarningCode.UNKNOWN_ELEMENT, 3)
    assert warning.text == "line 3: unknown element <odd> skipped"


def test_still_open_and_statistics_as_of_a_time_are_told_apart_by_code():
    open_at_end = run(join(0, "c1", "client"))
    as_of = run(join(0, "c1", "client"), leave(100, "c1"), at=45)
    assert [w.code for w in open_at_end.warnings] == [WarningCode.STILL_OPEN]
    assert [w.code for w in as_of.warnings] == [WarningCode.OPEN_AT_STOP]


def test_warning_lines_say_the_file_and_escape_control_characters():
    warning = ChatstatsWarning(WarningCode.OPTIONS, "odd\x1b[31m value")
    assert warning_lines("f.json", [warning]) == ("f.json: warning: odd\\x1b[31m value",)
