"""Reference revision 3: the five corrections, each with hand-checked values (behaviour.md top).

Where the order of two lines at one instant is the point, both orders are replayed; where the
XML form exists, it is replayed as well as the JSON one.
"""

import pytest

from tests.core.test_reference_revision2 import REFERENCE_EXAMPLE
from tests.helpers import (
    XML_AGENT_JOIN,
    XML_CLIENT_JOIN,
    close,
    join,
    kvps,
    leave,
    msg,
    notice,
    restore,
    route,
    run,
    said,
    xml_left,
    xml_run,
)


def _said(t: int, party: str) -> str:
    return (
        f'<message userId="{party}" timeShift="{t}" visibility="ALL" eventId="8">'
        "<msgText>hi</msgText></message>"
    )


def _ending(result) -> tuple[str, str, str, bool]:
    found = result.classification
    return (found.ended_by, found.ended_reason, found.ended_agent, found.interaction_stopped)


def _triple(values, family: str) -> tuple[int, int, int]:
    return tuple(values[f"{family}{part}"] for part in ("TotalCount", "TotalTime", "MaxTime"))


# --- 1. a burst of server removals is one closure ---------------------------------------------

NOAGENTS = ("stop-abandoned-interaction=noagents",)


@pytest.mark.parametrize(
    "first, second", [("A", "C"), ("C", "A")], ids=["agent-first", "client-first"]
)
def test_rule1_a_burst_of_server_removals_is_one_closure_whatever_the_order_xml(first, second):
    """Sample 11's shape: the client from 0, the agent from 5; Chat Server removes both at 30
    (code 5), in either order. One SYSTEM / DB_ERROR closure at 30; the agent was present before
    the burst: PRESENT, so `noagents` does not stop the interaction. Handle 5-30 = 25 s, with the
    customer 0-30 = 30 s, total 30 s; no warning."""
    result = xml_run(
        XML_CLIENT_JOIN,
        XML_AGENT_JOIN,
        xml_left(30, first, "5"),
        xml_left(30, second, "5"),
        options=NOAGENTS,
    )
    assert _ending(result) == ("SYSTEM", "DB_ERROR", "PRESENT", False)
    values = result.kvps
    assert values["cse_SessionHandleTotalTime"] == 25
    assert values["csg_SessionWithCustomerTime"] == 30
    assert values["csg_SessionTotalTime"] == 30
    assert said(result.warnings) == ()


@pytest.mark.parametrize("first, second", [("a1", "c1"), ("c1", "a1")])
def test_rule1_a_burst_gives_exactly_what_a_db_error_close_event_gives_json(first, second):
    """The same session written three ways (removals in both orders, and a `close` / `db_error`
    event): identical KVPs and classification, async dormancy included: the agent's removal
    does not make the session dormant for an instant (cse_AsyncDormantTotalCount = 0)."""
    head = (join(0, "c1", "client"), join(5, "a1", "agent"), msg(8, "a1"), msg(20, "c1"))
    burst = run(
        *head,
        leave(30, first, cause="server"),
        leave(30, second, cause="server"),
        options=NOAGENTS,
        async_mode=True,
    )
    closed = run(*head, close(30, "db_error"), options=NOAGENTS, async_mode=True)
    assert burst.kvps == closed.kvps
    assert _ending(burst) == _ending(closed) == ("SYSTEM", "DB_ERROR", "PRESENT", False)
    assert burst.kvps["cse_AsyncDormantTotalCount"] == 0


def test_rule1_removals_at_different_instants_stay_separate_leaves():
    """The agent removed at 30, the client at 31: the session went on for a second without an
    agent, so the closure at 31 finds nobody but the client: VISITED, stopped under noagents."""
    result = xml_run(
        XML_CLIENT_JOIN,
        XML_AGENT_JOIN,
        xml_left(30, "A", "5"),
        xml_left(31, "C", "5"),
        options=NOAGENTS,
    )
    assert _ending(result) == ("SYSTEM", "DB_ERROR", "VISITED", True)
    assert result.kvps["csg_SessionTotalTime"] == 31


def test_rule1_a_burst_that_leaves_a_participant_is_no_closure():
    """Agent and first client removed at 30; a second client stays, writes at 40 and quits at
    50: the session closes at 50 by that quit: CLIENT / QUIT, VISITED; with the customers the
    union 0-50 = 50 s."""
    result = run(
        join(0, "c1", "client"),
        join(2, "c2", "client"),
        join(5, "a1", "agent"),
        leave(30, "a1", cause="server"),
        leave(30, "c1", cause="server"),
        msg(40, "c2"),
        leave(50, "c2"),
    )
    assert _ending(result)[:3] == ("CLIENT", "QUIT", "VISITED")
    assert result.kvps["csg_SessionWithCustomerTime"] == 50
    assert result.kvps["csg_MessagesFromCustomersCount"] == 1


# --- 2. agent reply after a wake-up ------------------------------------------------------------


def test_rule2_a_customer_messages_wake_up_excludes_the_routing_until_the_agent_rejoins():
    """Reference 5.1, first example: the agent writes at 20 and leaves at 100 (dormant); the
    customer writes at 400 (wake-up); the agent rejoins at 700 and replies at 710. Agent reply
    400 -> 710 = 310, less the routing 400-700: 10."""
    values = kvps(*REFERENCE_EXAMPLE, async_mode=True)
    assert _triple(values, "cse_AgentReply") == (1, 10, 10)


@pytest.mark.parametrize(
    "wake",
    [route(300), notice(300, "c1", "PUSH_URL")],
    ids=["route-event", "client-notice"],
)
def test_rule2_a_route_or_notice_wake_up_excludes_the_dormant_time_only(wake):
    """Reference 5.1, second example: the customer's last message at 90, the agent leaves at
    100 (dormant), a route event (or a client PUSH_URL notice, which `major` counts) ends the
    dormancy at 300, the agent rejoins at 700 and replies at 710: 710 - 90 = 620, less the
    dormant 100-300 = 420. Agent wait 20 -> 90 = 70 (never dormant)."""
    values = kvps(
        join(0, "c1", "client"),
        join(10, "a1", "agent"),
        msg(20, "a1"),
        msg(90, "c1"),
        leave(100, "a1"),
        wake,
        join(700, "a1", "agent"),
        msg(710, "a1"),
        leave(720, "c1"),
        leave(721, "a1"),
        async_mode=True,
    )
    assert _triple(values, "cse_AgentReply") == (1, 420, 420)
    assert _triple(values, "cse_AgentWait") == (1, 70, 70)
    assert _triple(values, "cse_AsyncDormant") == (1, 200, 200)


# --- 3. CLIENT whenever a client left first ----------------------------------------------------


@pytest.mark.parametrize("returning", ["c1", "c2"], ids=["same-party-id", "new-party-id"])
def test_rule3_a_client_that_left_first_ended_the_session_even_if_it_came_back(returning):
    """The client quits at 20 and joins again at 30 (with its old party id or a new one); the
    agent force-closes at 50: CLIENT / QUIT either way (the seed: "whenever a client leaves the
    chat session first"); the agent was present: PRESENT."""
    result = run(
        join(0, "c1", "client"),
        join(5, "a1", "agent"),
        leave(20, "c1"),
        join(30, returning, "client"),
        leave(50, "a1", after="force-close"),
    )
    assert _ending(result)[:3] == ("CLIENT", "QUIT", "PRESENT")
    assert result.kvps["csg_SessionWithCustomerTime"] == 40  # 0-20 and 30-50


def test_rule3_the_same_in_xml_with_a_disconnect():
    """XML: the client disconnects at 20 (code 3), joins again at 30 with the same userId; the
    agent force-closes at 50 (code 2): CLIENT / DISCONNECT."""
    rejoin = XML_CLIENT_JOIN.replace('timeShift="0"', 'timeShift="30"')
    result = xml_run(
        XML_CLIENT_JOIN, XML_AGENT_JOIN, xml_left(20, "C", "3"), rejoin, xml_left(50, "A", "2")
    )
    assert _ending(result)[:3] == ("CLIENT", "DISCONNECT", "PRESENT")


# --- 4. a forgotten party that acts ------------------------------------------------------------

REJOINED_AT_20 = (
    "party a1 acts after the session restoration without joining again: taken as rejoined at +20s"
)


def test_rule4_a_forgotten_agent_that_writes_is_taken_as_rejoined_at_its_message():
    """The agent joins at 5; a restoration at 10 before any message forgets it; it writes at 20
    without joining again: taken as joining at 20. The client quits at 30; the agent leaves at
    40 with close-if-no-agents, which closes the session. One agent (joined at 20: until first
    agent 20, first reply 20), handle 20-40 = 20 s, one agent message; CLIENT / QUIT (the
    client left first), PRESENT (the closer), total 40 s."""
    result = run(
        join(0, "c1", "client"),
        join(5, "a1", "agent"),
        restore(10),
        msg(20, "a1", "hi"),
        leave(30, "c1"),
        leave(40, "a1", after="close-if-no-agents"),
    )
    values = result.kvps
    assert _ending(result)[:3] == ("CLIENT", "QUIT", "PRESENT")
    assert (values["csg_PartiesAsAgentCount"], values["csg_SessionUntilFirstAgentTime"]) == (1, 20)
    assert values["csg_SessionUntilFirstReplyTime"] == 20
    assert (values["csg_MessagesFromAgentsCount"], values["csg_MessagesFromAgentsSize"]) == (1, 2)
    assert _triple(values, "cse_SessionHandle") == (1, 20, 20)
    assert values["csg_SessionTotalTime"] == 40
    assert said(result.warnings) == (
        "event 2: session restoration before any message: the agent, supervisor and bot joins "
        "before it are forgotten",
        f"event 3: {REJOINED_AT_20}",
    )


def test_rule4_the_same_in_xml_with_reason_code_8():
    """XML: the agent's partyLeft code 8 at 10 is its leave plus the restoration; it writes at 20,
    the client quits at 30 (code 0), the agent leaves at 40 with code 1: as in JSON."""
    result = xml_run(
        XML_CLIENT_JOIN,
        XML_AGENT_JOIN,
        xml_left(10, "A", "8"),
        _said(20, "A"),
        xml_left(30, "C", None),
        xml_left(40, "A", "1"),
    )
    values = result.kvps
    assert _ending(result)[:3] == ("CLIENT", "QUIT", "PRESENT")
    assert (values["csg_PartiesAsAgentCount"], values["csg_SessionUntilFirstAgentTime"]) == (1, 20)
    assert _triple(values, "cse_SessionHandle") == (1, 20, 20)
    assert values["csg_SessionTotalTime"] == 40
    assert any("party A acts after the session restoration" in w for w in said(result.warnings))


def test_rule4_a_forgotten_agent_that_force_closes_ends_the_session_as_agent():
    """The forgotten agent's first act is a force-close leave at 30: taken as rejoined at 30, then
    it force-closes. The client never left: AGENT / FORCE, PRESENT (the closer counts as
    present); one agent, handle 30-30 = 0 s (count 1), total 30 s."""
    result = run(
        join(0, "c1", "client"),
        join(5, "a1", "agent"),
        restore(10),
        leave(30, "a1", after="force-close"),
    )
    values = result.kvps
    assert _ending(result)[:3] == ("AGENT", "FORCE", "PRESENT")
    assert values["csg_PartiesAsAgentCount"] == 1
    assert _triple(values, "cse_SessionHandle") == (1, 0, 0)
    assert values["csg_SessionTotalTime"] == 30


def test_rule4_a_forgotten_party_keeps_its_visibility_and_person():
    """A coaching (VIP) supervisor forgotten at 10 sends a VIP notice at 15: taken as rejoined,
    still VIP and the same person: one coach, no agent. The client quits at 20 (the supervisor,
    a participant, keeps the session open); the supervisor's plain leave at 25 leaves nobody:
    CLIENT / QUIT (the client left first), ABSENT (no visible agent ever), total 25 s."""
    result = run(
        join(0, "c1", "client"),
        join(5, "s1", "supervisor", visibility="VIP", person="sup-7"),
        restore(10),
        notice(15, "s1", "TYPING_STARTED", visibility="VIP"),
        leave(20, "c1"),
        leave(25, "s1"),
    )
    values = result.kvps
    assert (values["csg_PartiesAsCoachCount"], values["csg_PartiesAsAgentCount"]) == (1, 0)
    assert _ending(result)[:3] == ("CLIENT", "QUIT", "ABSENT")
    assert values["csg_SessionTotalTime"] == 25


def test_rule4_a_forgotten_party_that_joins_again_is_no_warning():
    """Joining again after the restoration is the ordinary case: no rejoin warning."""
    result = run(
        join(0, "c1", "client"),
        join(5, "a1", "agent"),
        restore(10),
        join(12, "a1", "agent"),
        msg(13, "a1"),
        leave(30, "c1"),
    )
    assert not any("acts after the session restoration" in w for w in said(result.warnings))


# --- 5. recorded inactivity alerts -------------------------------------------------------------

SYSTEM_JOIN = (
    '<newParty userId="S" timeShift="6" visibility="ALL" eventId="3"><userInfo '
    'personId="" userNick="system" userType="SYSTEM"/></newParty>'
)
ALERT_AT_130 = (
    '<notice userId="S" timeShift="130" visibility="ALL" eventId="7">'
    '<noticeText noticeType="IDLE_CONTROL_ALERT">are you there?</noticeText></notice>'
)
ALERT_WARNING = (
    "the transcript records an inactivity alert at +130s, but inactivity control is disabled "
    "in the options (-o inactivity-control/enabled=true simulates it)"
)


def test_rule5_a_recorded_inactivity_alert_without_inactivity_control_is_warned_about():
    """A regular session with a recorded IDLE_CONTROL_ALERT notice at 130 (XML line 1, event 3),
    replayed with inactivity control disabled (the default): kept as a notice, warned about."""
    result = xml_run(
        XML_CLIENT_JOIN,
        XML_AGENT_JOIN,
        SYSTEM_JOIN,
        ALERT_AT_130,
        xml_left(200, "C", None),
        xml_left(201, "A", None),
    )
    assert f"event 3 (line 1): {ALERT_WARNING}" in said(result.warnings)
    assert result.kvps["csg_SessionTotalTime"] == 201


def test_rule5_no_warning_when_inactivity_control_is_enabled_or_the_session_is_async():
    """With inactivity control enabled the options simulate alerts; an async session has async
    idle control's own alerts: neither is warned about."""
    body = (XML_CLIENT_JOIN, XML_AGENT_JOIN, SYSTEM_JOIN, ALERT_AT_130, xml_left(140, "C", None))
    enabled = xml_run(*body, options=("inactivity-control/enabled=true",))
    assert not any("records an inactivity alert" in w for w in said(enabled.warnings))
    async_run = run(
        join(0, "c1", "client"),
        join(5, "x1", "external"),
        notice(130, "x1", "IDLE_CONTROL_ALERT"),
        leave(140, "c1"),
        async_mode=True,
    )
    assert not any("records an inactivity alert" in w for w in said(async_run.warnings))


def test_rule5_the_json_form_is_warned_about_too():
    """JSON: an external (workflow) party's IDLE_CONTROL_ALERT notice at 130, event 2."""
    result = run(
        join(0, "c1", "client"),
        join(5, "x1", "external"),
        notice(130, "x1", "IDLE_CONTROL_ALERT"),
        leave(140, "c1"),
    )
    assert said(result.warnings) == (f"event 2: {ALERT_WARNING}",)
