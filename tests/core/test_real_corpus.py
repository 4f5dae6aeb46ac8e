"""The seven real Genesys transcripts (samples/real, copied from ../shared/corpus/real): each one
loads and replays, and its key figures are the ones read off the file by hand.

Every expected value below was computed from the transcript's events (times are timeShift
seconds from startAt), not copied from the engine's output; the docstrings show the arithmetic.
"""

from __future__ import annotations

import pytest

from chatstats_core import build_options, load_path, replay_session
from tests.helpers import REAL, SHARED_REAL, said

REAL_FILES = sorted(REAL.glob("*.xml"))
ALL = ("attach-session-statistics=all",)
INACTIVITY = (*ALL, "inactivity-control/enabled=true")


def _kvps(name: str, options: tuple[str, ...] = ALL) -> dict:
    return replay_session(load_path(REAL / name), build_options(options)).kvps


def test_the_project_carries_all_seven_real_transcripts():
    assert [p.name[:2] for p in REAL_FILES] == ["01", "02", "03", "04", "05", "06", "07"]


def test_the_copies_match_the_shared_corpus_when_it_is_beside_the_checkout():
    """samples/real is a copy: it must not drift from ../shared/corpus/real."""
    if not SHARED_REAL.is_dir():
        pytest.skip("../shared/corpus/real is not beside this checkout")
    shared = sorted(SHARED_REAL.glob("*.xml"))
    assert [p.name for p in shared] == [p.name for p in REAL_FILES]
    for ours, theirs in zip(REAL_FILES, shared, strict=True):
        assert ours.read_bytes() == theirs.read_bytes(), ours.name


def test_every_copy_keeps_its_provenance_comment():
    for path in REAL_FILES:
        assert b"<!-- A real Genesys Chat Server transcript" in path.read_bytes()[:400], path.name


@pytest.mark.parametrize("options", [ALL, INACTIVITY], ids=["defaults", "inactivity-control"])
@pytest.mark.parametrize("path", REAL_FILES, ids=lambda p: p.name[:2])
def test_every_real_transcript_loads_and_replays_to_a_closure(path, options):
    result = replay_session(load_path(path), build_options(options))
    assert result.classification.ended_by is not None
    if options == ALL:
        assert said(result.warnings) == ()


def test_real_01_bot_by_party_style_then_two_agents_forced_close():
    """01: the client joins at 0; a bot (GCTI_Chat_PartyStyle=BOT) joins at 2 and writes 4
    characters at 13; agent person01 26-178 and person02 180-1107: handle 152 + 927 = 1079.
    person02 force-closes at 1107 and Chat Server removes the client (code 4): AGENT/FORCE,
    PRESENT. Agent messages: 3 of person01 (2+5+8) and 9 of person02 (3+9+2+10+18+16+6+4+15):
    12, 98 characters. Customer waits 43+92+12+56+195+155+65+16 = 634 (max 195)."""
    values = _kvps("01-bot-party-style-disconnect-forced-close.xml")
    assert (values["csg_PartiesAsBotCount"], values["csg_SessionUntilFirstBotTime"]) == (1, 2)
    assert (values["csg_MessagesFromBotsCount"], values["csg_MessagesFromBotsSize"]) == (1, 4)
    assert values["csg_PartiesAsAgentCount"] == 2
    assert (values["csg_SessionUntilFirstAgentTime"], values["csg_SessionUntilFirstReplyTime"]) == (
        26,
        43,
    )
    assert (
        values["cse_SessionHandleTotalCount"],
        values["cse_SessionHandleTotalTime"],
        values["cse_SessionHandleMaxTime"],
    ) == (2, 1079, 927)
    assert (values["csg_MessagesFromAgentsCount"], values["csg_MessagesFromAgentsSize"]) == (12, 98)
    assert (
        values["cse_CustomerWaitTotalCount"],
        values["cse_CustomerWaitTotalTime"],
        values["cse_CustomerWaitMaxTime"],
    ) == (8, 634, 195)
    assert (values["csg_SessionTotalTime"], values["csg_SessionWithCustomerTime"]) == (1107, 1107)
    assert (
        values["csg_SessionEndedBy"],
        values["csg_SessionEndedReason"],
        values["csg_SessionEndedAgent"],
    ) == ("AGENT", "FORCE", "PRESENT")


def test_real_02_three_agents_last_one_closes_if_no_agents():
    """02: agents 5-60 (55), person01 109-192 (83), person02 226-299 (73): handle 211 in 3,
    max 83; 3 distinct agents (the first has no personId: its party id). person02 leaves with
    close-if-no-agents at 299 and the client is removed: AGENT/FORCE. Customer waits
    1+2+2+2+0+61+37+28 = 133 (max 61); agent waits 16+6+6+3+10+6+12+8 = 67 (max 16)."""
    values = _kvps("02-bot-as-agent-transfer-close-if-no-agents.xml")
    assert values["csg_PartiesAsAgentCount"] == 3
    assert (values["csg_SessionUntilFirstAgentTime"], values["csg_SessionUntilFirstReplyTime"]) == (
        5,
        6,
    )
    assert (
        values["cse_SessionHandleTotalCount"],
        values["cse_SessionHandleTotalTime"],
        values["cse_SessionHandleMaxTime"],
    ) == (3, 211, 83)
    assert (values["csg_MessagesFromAgentsCount"], values["csg_MessagesFromAgentsSize"]) == (
        15,
        1526,
    )
    assert (values["csg_MessagesFromCustomersCount"], values["csg_MessagesFromCustomersSize"]) == (
        9,
        167,
    )
    assert (
        values["cse_CustomerWaitTotalCount"],
        values["cse_CustomerWaitTotalTime"],
        values["cse_CustomerWaitMaxTime"],
    ) == (8, 133, 61)
    assert (
        values["cse_AgentWaitTotalCount"],
        values["cse_AgentWaitTotalTime"],
        values["cse_AgentWaitMaxTime"],
    ) == (8, 67, 16)
    assert values["csg_SessionTotalTime"] == 299
    assert (
        values["csg_SessionEndedBy"],
        values["csg_SessionEndedReason"],
        values["csg_SessionEndedAgent"],
    ) == ("AGENT", "FORCE", "PRESENT")


def test_real_03_client_quits_just_before_the_forced_close():
    """03: the client joins at 1, the ESP's 3 prechat messages are not counted, the agent joins
    at 262 and first writes at 347; handle 262-1437 = 1175. The client quits at 1437, then the
    agent force-closes: CLIENT/QUIT. Waits 34+18+66+27+33 = 178 (max 66); agent waits
    269+43+192+74+25 = 603 (max 269). With customer 1-1437 = 1436."""
    values = _kvps("03-external-esp-prechat-agent-forced-close.xml")
    assert (values["csg_SessionUntilFirstAgentTime"], values["csg_SessionUntilFirstReplyTime"]) == (
        262,
        347,
    )
    assert values["cse_SessionHandleTotalTime"] == 1175
    assert values["csg_MessagesFromAgentsCount"] == 11
    assert (
        values["cse_CustomerWaitTotalCount"],
        values["cse_CustomerWaitTotalTime"],
        values["cse_CustomerWaitMaxTime"],
    ) == (5, 178, 66)
    assert (values["cse_AgentWaitTotalTime"], values["cse_AgentWaitMaxTime"]) == (603, 269)
    assert (values["csg_SessionTotalTime"], values["csg_SessionWithCustomerTime"]) == (1437, 1436)
    assert (
        values["csg_SessionEndedBy"],
        values["csg_SessionEndedReason"],
        values["csg_SessionEndedAgent"],
    ) == ("CLIENT", "QUIT", "PRESENT")


def test_real_03_under_inactivity_control_one_alert_after_the_agent_joins():
    """03, inactivity control at its defaults (alert 255, close 45): the timer starts when the
    agent joins at 262 (the ESP's messages at 8 are before any agent). The longest quiet stretch
    is 412 -> 681: alert at 412 + 255 = 667, reset by the client at 681: one idle period of
    14 s. Nothing else exceeds 255 s, so the session still ends as recorded."""
    values = _kvps("03-external-esp-prechat-agent-forced-close.xml", INACTIVITY)
    assert (
        values["cse_ActiveIdleTotalCount"],
        values["cse_ActiveIdleTotalTime"],
        values["cse_ActiveIdleMaxTime"],
    ) == (1, 14, 14)
    assert values["csg_SessionTotalTime"] == 1437


def test_real_04_customer_quits_first_agent_closes_later():
    """04: agent person01 joins at 14, nobody but the ESP writes; the client quits at 62, the
    agent leaves with close-if-no-agents at 196: CLIENT/QUIT, PRESENT (the closer counts).
    Handle 14-196 = 182; with customer 62; no agent reply, so no first-reply time."""
    values = _kvps("04-agent-close-if-no-agents-customer-quit-first.xml")
    assert values["csg_SessionUntilFirstAgentTime"] == 14
    assert "csg_SessionUntilFirstReplyTime" in values  # attached as 0 under all...
    assert (
        _kvps(
            "04-agent-close-if-no-agents-customer-quit-first.xml",
            ("attach-session-statistics=fired",),
        ).get("csg_SessionUntilFirstReplyTime")
        is None
    )
    assert (values["cse_SessionHandleTotalCount"], values["cse_SessionHandleTotalTime"]) == (1, 182)
    assert (values["csg_MessagesFromAgentsCount"], values["csg_MessagesFromCustomersCount"]) == (
        0,
        0,
    )
    assert (values["csg_SessionTotalTime"], values["csg_SessionWithCustomerTime"]) == (196, 62)
    assert (
        values["csg_SessionEndedBy"],
        values["csg_SessionEndedReason"],
        values["csg_SessionEndedAgent"],
    ) == ("CLIENT", "QUIT", "PRESENT")


def test_real_05_short_session_without_messages():
    """05: agent joins at 32, the client quits at 46, the agent closes at 62: handle 30, with
    customer 46, total 62, CLIENT/QUIT, PRESENT."""
    values = _kvps("05-short-chat-no-messages-close-if-no-agents.xml")
    assert values["csg_SessionUntilFirstAgentTime"] == 32
    assert values["cse_SessionHandleTotalTime"] == 30
    assert (values["csg_SessionTotalTime"], values["csg_SessionWithCustomerTime"]) == (62, 46)
    assert (
        values["csg_SessionEndedBy"],
        values["csg_SessionEndedReason"],
        values["csg_SessionEndedAgent"],
    ) == ("CLIENT", "QUIT", "PRESENT")


def test_real_06_two_agents_the_second_leaves_an_hour_later():
    """06: agent (no personId) 4-54 and person01 101-3966: handle 50 + 3865 = 3915 in 2. The
    client quits at 270, the agent closes at 3966: CLIENT/QUIT, PRESENT. Waits 2+1+0 = 3 (max
    2); agent waits 20+8+9+8 = 45 (max 20); messages 5 agent (442 characters), 4 customer (45)."""
    values = _kvps("06-two-agents-agent-leaves-an-hour-later.xml")
    assert values["csg_PartiesAsAgentCount"] == 2
    assert (values["csg_SessionUntilFirstAgentTime"], values["csg_SessionUntilFirstReplyTime"]) == (
        4,
        5,
    )
    assert (
        values["cse_SessionHandleTotalCount"],
        values["cse_SessionHandleTotalTime"],
        values["cse_SessionHandleMaxTime"],
    ) == (2, 3915, 3865)
    assert (
        values["cse_CustomerWaitTotalCount"],
        values["cse_CustomerWaitTotalTime"],
        values["cse_CustomerWaitMaxTime"],
    ) == (3, 3, 2)
    assert (
        values["cse_AgentWaitTotalCount"],
        values["cse_AgentWaitTotalTime"],
        values["cse_AgentWaitMaxTime"],
    ) == (4, 45, 20)
    assert (values["csg_MessagesFromAgentsSize"], values["csg_MessagesFromCustomersSize"]) == (
        442,
        45,
    )
    assert (values["csg_SessionTotalTime"], values["csg_SessionWithCustomerTime"]) == (3966, 270)
    assert (
        values["csg_SessionEndedBy"],
        values["csg_SessionEndedReason"],
        values["csg_SessionEndedAgent"],
    ) == ("CLIENT", "QUIT", "PRESENT")


def test_real_06_under_inactivity_control_the_agent_left_alone_is_closed():
    """06, inactivity control at its defaults: person01 is present from 101; the last activity
    is the client leaving at 270: alert at 525, close at 570 (SYSTEM closes; the client had left
    on its own, so CLIENT/QUIT stays). Idle 525 -> 570 = 45 s; the agent's leave at 3966 is
    dropped."""
    result = replay_session(
        load_path(REAL / "06-two-agents-agent-leaves-an-hour-later.xml"), build_options(INACTIVITY)
    )
    values = result.kvps
    assert values["csg_SessionTotalTime"] == 570
    assert (values["cse_ActiveIdleTotalCount"], values["cse_ActiveIdleTotalTime"]) == (1, 45)
    assert (values["csg_SessionEndedBy"], values["csg_SessionEndedReason"]) == ("CLIENT", "QUIT")
    assert said(result.warnings) == ("1 events after simulated closure at t=570s dropped",)


def test_real_07_bot_marked_only_by_set_party_style():
    """07 (rule 9): the AGENT that joins at 4 carries GCTI_Chat_SetPartyStyle=BOT: a bot. It
    writes 7 messages (37+19+55+54+342+43+38 = 588) and leaves at 21; the human agent joins at
    28: one agent, handle 28-45 = 17, first reply at 35. Runs C15,20,35 | A35 | C37 | A37:
    customer waits 0+0, agent reply 35-15 = 20 and 0, agent wait 2. With customer 1-45 = 44."""
    values = _kvps("07-bot-set-party-style-then-agent.xml")
    assert (values["csg_PartiesAsBotCount"], values["csg_SessionUntilFirstBotTime"]) == (1, 4)
    assert (values["csg_MessagesFromBotsCount"], values["csg_MessagesFromBotsSize"]) == (7, 588)
    assert values["csg_PartiesAsAgentCount"] == 1
    assert (values["csg_SessionUntilFirstAgentTime"], values["csg_SessionUntilFirstReplyTime"]) == (
        28,
        35,
    )
    assert (values["cse_SessionHandleTotalCount"], values["cse_SessionHandleTotalTime"]) == (1, 17)
    assert (values["csg_MessagesFromAgentsCount"], values["csg_MessagesFromAgentsSize"]) == (2, 44)
    assert (values["cse_CustomerWaitTotalCount"], values["cse_CustomerWaitTotalTime"]) == (2, 0)
    assert (values["cse_AgentReplyTotalTime"], values["cse_AgentReplyMaxTime"]) == (20, 20)
    assert values["cse_AgentWaitTotalTime"] == 2
    assert (values["csg_SessionTotalTime"], values["csg_SessionWithCustomerTime"]) == (45, 44)
    assert (
        values["csg_SessionEndedBy"],
        values["csg_SessionEndedReason"],
        values["csg_SessionEndedAgent"],
    ) == ("CLIENT", "QUIT", "PRESENT")


@pytest.mark.parametrize("path", REAL_FILES, ids=lambda p: p.name[:2])
def test_no_real_transcript_is_abandoned_and_none_is_stopped_by_default(path):
    """Every real session had an agent: not abandoned; stop-abandoned-interaction=never."""
    classification = replay_session(load_path(path), build_options(ALL)).classification
    assert (classification.abandoned, classification.interaction_stopped) == (False, False)
