"""The nine changes of behaviour reference revision 2, one group of tests per rule.

Each expected value is worked out by hand in the test's docstring (times in seconds).
"""

from __future__ import annotations

import orjson

from chatstats_core import load_bytes
from chatstats_core.engine import Trigger
from chatstats_core.engine.replay import TraceKind
from chatstats_core.engine.timelines import TimerName, TimerStage
from chatstats_core.transcript.model import EventKind, LeaveCause, Role
from tests.helpers import (
    XML_AGENT_JOIN,
    XML_CLIENT_JOIN,
    XML_HEAD,
    join,
    kvps,
    leave,
    msg,
    notice,
    route,
    run,
    said,
    xml_left,
    xml_run,
)

INACTIVITY = ("inactivity-control/enabled=true", "timeout-alert=60", "timeout-close=30")


def _triple(values: dict, prefix: str) -> tuple[int, int, int]:
    return (values[f"{prefix}TotalCount"], values[f"{prefix}TotalTime"], values[f"{prefix}MaxTime"])


# --- 1. async AgentReply excludes the time until the agent rejoins ----------------------------

#: The reference's rule 1 example: the agent writes at 20 and leaves at 100; the customer writes
#: at 400; the agent rejoins at 700 and replies at 710.
REFERENCE_EXAMPLE = (
    join(0, "c1", "client"),
    join(10, "a1", "agent"),
    msg(20, "a1"),
    leave(100, "a1"),
    msg(400, "c1"),
    join(700, "a1", "agent"),
    msg(710, "a1"),
    leave(720, "c1"),
    leave(730, "a1"),
)


def test_rule1_agent_reply_worked_example_of_the_reference():
    """The reference's example: the agent writes at 20 and leaves at 100 (dormant); the customer
    writes at 400 (wake-up, routing); the agent rejoins at 700 and replies at 710. Agent reply
    = 710 - 400 - (700 - 400) = 10, not 310. Agent wait 400 - 20 = 380 less dormant 100-400
    (300) = 80. Customer wait and reply exclude nothing: 310 and 380."""
    values = kvps(*REFERENCE_EXAMPLE, async_mode=True)
    assert _triple(values, "cse_AgentReply") == (1, 10, 10)
    assert _triple(values, "cse_AgentWait") == (1, 80, 80)
    assert _triple(values, "cse_CustomerWait") == (1, 310, 310)
    assert _triple(values, "cse_CustomerReply") == (1, 380, 380)
    assert _triple(values, "cse_AsyncDormant") == (1, 300, 300)


def test_rule1_routing_before_the_first_agent_join_is_not_excluded():
    """The customer writes at 5; the first agent joins at 60 and replies at 70: the session was
    never dormant, so agent reply = 70 - 5 = 65."""
    values = kvps(
        join(0, "c1", "client"),
        msg(5, "c1"),
        join(60, "a1", "agent"),
        msg(70, "a1"),
        leave(80, "c1"),
        leave(81, "a1"),
        async_mode=True,
    )
    assert _triple(values, "cse_AgentReply") == (1, 65, 65)


def test_rule1_agent_wait_excludes_only_the_dormant_time_not_the_routing_after_it():
    """The agent writes at 20 and leaves at 100 (dormant); a route event wakes the session at
    300; the customer answers at 500 while it is routing. Agent wait = 480 - dormant 200 = 280;
    the agent reply that follows (500 -> 610, agent rejoined at 600) loses nothing: the session
    was not dormant inside it, and a route event's wake-up excludes no routing time
    (revision 3): 110."""
    values = kvps(
        join(0, "c1", "client"),
        join(10, "a1", "agent"),
        msg(20, "a1"),
        leave(100, "a1"),
        route(300),
        msg(500, "c1"),
        join(600, "a2", "agent"),
        msg(610, "a2"),
        leave(620, "c1"),
        leave(621, "a2"),
        async_mode=True,
    )
    assert _triple(values, "cse_AgentWait") == (1, 280, 280)
    assert _triple(values, "cse_AgentReply") == (1, 110, 110)


def test_rule1_a_regular_session_excludes_nothing():
    """The same events without async mode: agent reply 710 - 400 = 310."""
    values = kvps(*REFERENCE_EXAMPLE)
    assert _triple(values, "cse_AgentReply") == (1, 310, 310)


# --- 2. XML reason code 5 removes one party ----------------------------------------------------


def test_rule2_code_5_is_one_partys_leave_caused_by_system():
    transcript = load_bytes(
        (
            XML_HEAD
            + XML_CLIENT_JOIN
            + XML_AGENT_JOIN
            + xml_left(30, "A", "5")
            + "</chatTranscript>"
        ).encode(),
        "t.xml",
    )
    event = transcript.events[-1]
    assert (event.kind, event.cause, event.party) == (EventKind.LEAVE, LeaveCause.SERVER, "A")


def test_rule2_the_session_goes_on_after_a_server_removal_and_later_events_are_kept():
    """The agent is removed by the server at 30; the client writes at 40 and quits at 50: the
    message counts, the session closes at 50 by the client's leave: CLIENT/QUIT, VISITED;
    handle 5-30 = 25."""
    message = (
        '<message userId="C" timeShift="40" visibility="ALL" eventId="4"><msgText>'
        "still there?</msgText></message>"
    )
    result = xml_run(
        XML_CLIENT_JOIN, XML_AGENT_JOIN, xml_left(30, "A", "5"), message, xml_left(50, "C", None)
    )
    values = result.kvps
    assert values["csg_MessagesFromCustomersCount"] == 1
    assert values["csg_SessionTotalTime"] == 50
    assert (
        values["csg_SessionEndedBy"],
        values["csg_SessionEndedReason"],
        values["csg_SessionEndedAgent"],
    ) == ("CLIENT", "QUIT", "VISITED")
    assert values["cse_SessionHandleTotalTime"] == 25
    assert said(result.warnings) == ()


def test_rule2_removals_that_leave_nobody_close_as_system_db_error():
    """The client is removed at 30 (the agent stays), then the agent at 35: nobody remains, so
    SYSTEM/DB_ERROR at 35; the agent was present before the closing removal: PRESENT."""
    result = xml_run(
        XML_CLIENT_JOIN, XML_AGENT_JOIN, xml_left(30, "C", "5"), xml_left(35, "A", "5")
    )
    values = result.kvps
    assert (
        values["csg_SessionEndedBy"],
        values["csg_SessionEndedReason"],
        values["csg_SessionEndedAgent"],
    ) == ("SYSTEM", "DB_ERROR", "PRESENT")
    assert (values["csg_SessionTotalTime"], values["csg_SessionWithCustomerTime"]) == (35, 30)
    assert said(result.warnings) == ()


def test_rule2_a_client_that_left_on_its_own_before_still_ended_the_session():
    """The client quits at 20; the server removes the agent at 30 (nobody left): the closure is
    a system one, but the client left first: CLIENT/QUIT."""
    values = xml_run(
        XML_CLIENT_JOIN, XML_AGENT_JOIN, xml_left(20, "C", None), xml_left(30, "A", "5")
    ).kvps
    assert (values["csg_SessionEndedBy"], values["csg_SessionEndedReason"]) == ("CLIENT", "QUIT")
    assert values["csg_SessionTotalTime"] == 30


def test_rule2_json_cause_server_is_the_same_as_xml_code_5():
    """JSON `cause: server`: the client removed at 30 and the agent at 35: SYSTEM/DB_ERROR."""
    values = kvps(
        join(0, "c1", "client"),
        join(5, "a1", "agent"),
        leave(30, "c1", cause="server"),
        leave(35, "a1", cause="server"),
    )
    assert (values["csg_SessionEndedBy"], values["csg_SessionEndedReason"]) == (
        "SYSTEM",
        "DB_ERROR",
    )


# --- 3. regular inactivity control runs only while a visible agent is present -----------------


def test_rule3_a_customer_waiting_in_the_queue_is_never_closed_by_inactivity():
    """Alert 60 / close 30, but no agent until 500: no timer runs; the agent joins at 500 and
    writes at 510; the client leaves at 520 and the agent at 530."""
    result = run(
        join(0, "c1", "client"),
        msg(3, "c1"),
        join(500, "a1", "agent"),
        msg(510, "a1"),
        leave(520, "c1"),
        leave(530, "a1"),
        options=INACTIVITY,
    )
    assert result.timelines.firings == ()
    assert result.kvps["csg_SessionTotalTime"] == 530


def test_rule3_a_customer_with_a_bot_is_never_closed_by_inactivity():
    """A bot answers the client at 0; nobody writes for 1000 s; the client quits at 1000 and
    the bot leaves at 1001."""
    result = run(
        join(0, "c1", "client"),
        join(0, "b1", "bot"),
        msg(0, "b1"),
        leave(1000, "c1"),
        leave(1001, "b1"),
        options=INACTIVITY,
    )
    assert result.timelines.firings == ()
    assert result.kvps["csg_SessionEndedBy"] == "CLIENT"


def test_rule3_the_timer_starts_fresh_when_a_visible_agent_joins():
    """The agent joins at 500 (the join is activity): alert 560, close 590: SYSTEM/INACTIVE at
    590, one idle period 560-590 = 30 s."""
    result = run(join(0, "c1", "client"), join(500, "a1", "agent"), options=INACTIVITY)
    assert [(f.t_ms, f.stage) for f in result.timelines.firings] == [
        (560_000, TimerStage.ALERT),
        (590_000, TimerStage.CLOSE),
    ]
    values = result.kvps
    assert values["csg_SessionTotalTime"] == 590
    assert (values["csg_SessionEndedBy"], values["csg_SessionEndedReason"]) == (
        "SYSTEM",
        "INACTIVE",
    )
    assert _triple(values, "cse_ActiveIdle") == (1, 30, 30)


def test_rule3_the_timer_stops_when_the_last_visible_agent_leaves():
    """The agent is present 0-50 (last activity its leave at 50); the client stays until 1000:
    no alert after 50, the client's leave closes the session."""
    result = run(
        join(0, "c1", "client"),
        join(0, "a1", "agent"),
        leave(50, "a1"),
        leave(1000, "c1"),
        options=INACTIVITY,
    )
    assert result.timelines.firings == ()
    assert result.kvps["csg_SessionTotalTime"] == 1000


def test_rule3_the_timeline_shows_the_timer_starting_and_stopping_with_agents():
    result = run(
        join(0, "c1", "client"),
        join(10, "a1", "agent"),
        leave(50, "a1"),
        join(70, "a2", "agent"),
        leave(80, "c1"),
        options=INACTIVITY,
        trace=True,
    )
    timer = {TraceKind.INACTIVITY_TIMER_START, TraceKind.INACTIVITY_TIMER_STOP}
    changes = [(e.t_ms // 1000, e.kind) for e in result.trace if e.kind in timer]
    assert changes == [
        (10, TraceKind.INACTIVITY_TIMER_START),
        (50, TraceKind.INACTIVITY_TIMER_STOP),
        (70, TraceKind.INACTIVITY_TIMER_START),
    ]


def test_rule3_async_idle_control_still_runs_from_the_sessions_creation():
    """An async customer alone: async-idle-alert 100, close 50: SYSTEM/INACTIVE at 150."""
    values = kvps(
        join(0, "c1", "client"),
        async_mode=True,
        options=("async-idle-alert=100", "async-idle-close=50"),
    )
    assert values["csg_SessionTotalTime"] == 150
    assert values["csg_SessionEndedReason"] == "INACTIVE"


# --- 4. ActiveIdle is the union of both timers' idle spans ------------------------------------

BOTH_TIMERS = (
    "inactivity-control/enabled=true",
    "timeout-alert=60",
    "timeout-close=1000",
    "async-idle-alert=30",
    "async-idle-close=1000",
)


def test_rule4_overlapping_spans_of_the_two_timers_count_once():
    """Async, both timers reset by the agent's join at 0. Async alert at 30, inactivity alert at
    60: spans 30-100 and 60-100, both ended by the client's message at 100: one period of 70
    (revision 1 counted 2 and 110). Then the async alert at 130, its span ended by the agent
    leaving (the closure) at 170: 40 (the client's leave at 150 resets only inactivity, whose
    next alert would be at 210). Periods 70 and 40: count 2, total 110, max 70."""
    result = run(
        join(0, "c1", "client"),
        join(0, "a1", "agent"),
        msg(100, "c1"),
        leave(150, "c1"),
        leave(170, "a1"),
        async_mode=True,
        options=BOTH_TIMERS,
    )
    values = result.kvps
    assert _triple(values, "cse_ActiveIdle") == (2, 110, 70)
    spans = [
        (s.timer, s.interval.start_ms // 1000, s.interval.end_ms // 1000)
        for s in result.timelines.idle_spans
    ]
    assert spans == [
        (TimerName.ASYNC_IDLE, 30, 100),
        (TimerName.INACTIVITY, 60, 100),
        (TimerName.ASYNC_IDLE, 130, 170),
    ]
    assert values["cse_ActiveIdleTotalTime"] <= values["cse_SessionHandleTotalTime"] == 170


def test_rule4_spans_that_touch_are_one_period():
    """include-notices=all, async-idle-notices=none. Inactivity alert at 40 (from the join at
    0); the client's TYPING_STARTED at 100 resets only inactivity (span 40-100); the async alert
    is due at 100 too and fires after the event: span 100-150, ended by the client's message.
    The spans touch: one period 40-150 = 110."""
    options = (
        "inactivity-control/enabled=true",
        "timeout-alert=40",
        "timeout-close=1000",
        "include-notices=all",
        "async-idle-alert=100",
        "async-idle-close=1000",
        "async-idle-notices=none",
    )
    values = kvps(
        join(0, "c1", "client"),
        join(0, "a1", "agent"),
        notice(100, "c1", "TYPING_STARTED"),
        msg(150, "c1"),
        leave(160, "c1"),
        leave(170, "a1"),
        async_mode=True,
        options=options,
    )
    assert _triple(values, "cse_ActiveIdle") == (1, 110, 110)


def test_rule4_idle_time_ends_when_the_last_visible_agent_leaves():
    """Async: the agent joins at 0 and leaves at 100 (the session stays open: dormant). Async
    alert 30 -> idle 30-100 while the agent is present: 70; after 100 the session is dormant, so
    the next alerts are async idle (cse_AsyncIdle), not active idle."""
    values = kvps(
        join(0, "c1", "client"),
        join(0, "a1", "agent"),
        leave(100, "a1"),
        leave(200, "c1"),
        async_mode=True,
        options=("async-idle-alert=30", "async-idle-close=1000"),
    )
    assert _triple(values, "cse_ActiveIdle") == (1, 70, 70)
    assert _triple(values, "cse_AsyncIdle") == (1, 70, 70)  # alert 130, closure 200


# --- 5. VIP and INT joins and leaves are not inactivity activity -----------------------------


def test_rule5_coach_and_monitor_joins_and_leaves_do_not_reset_inactivity():
    """The agent writes at 10: alert 70, close 100. A VIP supervisor joins at 40 and leaves at
    65, an INT one joins at 50: none of it is activity, so the session still closes at 100."""
    values = kvps(
        join(0, "c1", "client"),
        join(0, "a1", "agent"),
        msg(10, "a1"),
        join(40, "s1", "supervisor", "VIP"),
        join(50, "s2", "supervisor", "INT"),
        leave(65, "s1"),
        options=INACTIVITY,
    )
    assert values["csg_SessionTotalTime"] == 100


def test_rule5_a_visible_join_still_resets_inactivity():
    """The same with a supervisor joining ALL at 40: alert 100, close 130."""
    values = kvps(
        join(0, "c1", "client"),
        join(0, "a1", "agent"),
        msg(10, "a1"),
        join(40, "s1", "supervisor"),
        options=INACTIVITY,
    )
    assert values["csg_SessionTotalTime"] == 130


def test_rule5_coach_joins_are_not_async_idle_activity_either():
    """Async, a lone client; async alert 100 / close 50 from 0. A VIP agent joins at 80: not an
    agent joining visibly, so the close stays at 150."""
    values = kvps(
        join(0, "c1", "client"),
        join(80, "a9", "agent", "VIP"),
        async_mode=True,
        options=("async-idle-alert=100", "async-idle-close=50"),
    )
    assert values["csg_SessionTotalTime"] == 150


# --- 6. csg_SessionWithCustomerTime is the union of client presence ----------------------------


def test_rule6_two_clients_present_at_once_count_that_time_once():
    """c1 0-100, c2 50-150 (the agent until 160): union 0-150 = 150, not 100 + 100 = 200."""
    values = kvps(
        join(0, "c1", "client"),
        join(0, "a1", "agent"),
        join(50, "c2", "client"),
        leave(100, "c1"),
        leave(150, "c2"),
        leave(160, "a1"),
    )
    assert values["csg_SessionWithCustomerTime"] == 150


def test_rule6_separate_client_presences_add_up():
    """c1 0-40, c2 60-100: 40 + 40 = 80."""
    values = kvps(
        join(0, "c1", "client"),
        join(0, "a1", "agent"),
        leave(40, "c1"),
        join(60, "c2", "client"),
        leave(100, "c2"),
        leave(110, "a1"),
    )
    assert values["csg_SessionWithCustomerTime"] == 80


# --- 7. a qualifying client notice wakes a dormant async session ------------------------------


def _dormant_then(*events, options=()):
    return run(
        join(0, "c1", "client"),
        join(10, "a1", "agent"),
        leave(20, "a1"),
        *events,
        leave(300, "c1"),
        async_mode=True,
        options=("attach-stats-rep-events=4", "attach-stats-rep-place=7", *options),
    )


def test_rule7_a_major_client_notice_wakes_the_session_and_sends_the_bit_4_event():
    """Dormant from 20; the client's PUSH_URL (major) at 50 wakes it: dormant 30 s, one bit-4
    event at 50 with trigger customer-message-during-hold."""
    result = _dormant_then(notice(50, "c1", "PUSH_URL"))
    assert _triple(result.kvps, "cse_AsyncDormant") == (1, 30, 30)
    assert [(e.t, e.trigger) for e in result.reporting_events] == [
        (50, Trigger.CUSTOMER_MESSAGE_DURING_HOLD)
    ]


def test_rule7_a_notice_that_async_idle_notices_does_not_count_leaves_it_dormant():
    """TYPING_STARTED is not a major notice: the session stays dormant until the closure at 300
    (280 s), and no bit-4 event is sent."""
    result = _dormant_then(notice(50, "c1", "TYPING_STARTED"))
    assert _triple(result.kvps, "cse_AsyncDormant") == (1, 280, 280)
    assert result.reporting_events == ()


def test_rule7_async_idle_notices_decides_which_notices_wake():
    """With async-idle-notices=typing, TYPING_STARTED at 50 wakes it: dormant 30 s."""
    result = _dormant_then(
        notice(50, "c1", "TYPING_STARTED"), options=("async-idle-notices=typing",)
    )
    assert _triple(result.kvps, "cse_AsyncDormant") == (1, 30, 30)


def test_rule7_an_internal_client_notice_does_not_wake():
    result = _dormant_then(notice(50, "c1", "PUSH_URL", "INT"))
    assert _triple(result.kvps, "cse_AsyncDormant") == (1, 280, 280)


# --- 8. pairs outside the seed's table are warned about ----------------------------------------

OUTSIDE = "is outside the seed's table"


def test_rule8_an_agents_plain_leave_after_the_client_was_removed_warns():
    """The agent removes the client at 20 (code 4) and leaves plainly at 30, the last
    participant: AGENT/QUIT, which the seed reports only without a customer."""
    result = run(
        join(0, "c1", "client"),
        join(5, "a1", "agent"),
        leave(20, "c1", cause="removed", by="a1"),
        leave(30, "a1"),
    )
    assert (result.kvps["csg_SessionEndedBy"], result.kvps["csg_SessionEndedReason"]) == (
        "AGENT",
        "QUIT",
    )
    assert said(result.warnings) == (
        "ended-by/reason AGENT/QUIT is outside the seed's table: AGENT ends a session only by "
        "force or close-if-no-agents, or when the session never had a customer",
    )


def test_rule8_a_client_removed_by_a_workflow_party_warns_system_quit():
    """An ESP party removes the client, the last participant: the remover's type, SYSTEM, with
    QUIT, a pair the seed does not have."""
    result = run(
        join(0, "c1", "client"),
        join(1, "w1", "external"),
        leave(20, "c1", cause="removed", by="w1"),
    )
    assert (result.kvps["csg_SessionEndedBy"], result.kvps["csg_SessionEndedReason"]) == (
        "SYSTEM",
        "QUIT",
    )
    assert said(result.warnings) == (
        "ended-by/reason SYSTEM/QUIT is outside the seed's table: SYSTEM "
        "goes only with INACTIVE or DB_ERROR",
    )


def test_rule8_an_agent_ending_a_session_without_a_customer_is_in_the_table():
    result = run(join(0, "a1", "agent"), leave(30, "a1"))
    assert result.kvps["csg_SessionEndedBy"] == "AGENT"
    assert said(result.warnings) == ()


def test_rule8_ordinary_endings_do_not_warn():
    for events in [
        (join(0, "c1", "client"), leave(10, "c1")),
        (join(0, "c1", "client"), join(1, "a1", "agent"), leave(10, "a1", after="force-close")),
    ]:
        assert said(run(*events).warnings) == ()


# --- 9. GCTI_Chat_SetPartyStyle=BOT marks a bot -------------------------------------------------


def test_rule9_set_party_style_bot_marks_a_bot():
    bot = (
        '<newParty userId="B" timeShift="3" visibility="ALL" eventId="2"><userInfo '
        'personId="" userNick="b" userType="AGENT"/><userData><item '
        'key="GCTI_Chat_SetPartyStyle" type="string">BOT</item></userData></newParty>'
    )
    transcript = load_bytes(
        (XML_HEAD + XML_CLIENT_JOIN + bot + "</chatTranscript>").encode(), "t.xml"
    )
    assert transcript.events[1].role is Role.BOT


def test_rule9_another_set_party_style_value_is_still_an_agent():
    agent = (
        '<newParty userId="B" timeShift="3" visibility="ALL" eventId="2"><userInfo '
        'personId="" userNick="b" userType="AGENT"/><userData><item '
        'key="GCTI_Chat_SetPartyStyle" type="string">AGENT</item></userData></newParty>'
    )
    transcript = load_bytes(
        (XML_HEAD + XML_CLIENT_JOIN + agent + "</chatTranscript>").encode(), "t.xml"
    )
    assert transcript.events[1].role is Role.AGENT


def test_rule8_validate_reports_the_pair_at_the_closing_event():
    """validate and replay agree: the warning is located at the agent's closing leave."""
    from chatstats_core.workflows.validate import validate_bytes
    from tests.helpers import document

    data = orjson.dumps(
        document(
            join(0, "c1", "client"),
            join(5, "a1", "agent"),
            leave(20, "c1", cause="removed", by="a1"),
            leave(30, "a1"),
        )
    )
    (problem,) = validate_bytes(data, "r8.json").problems
    assert (problem.path, problem.severity.value) == ("events[3]", "warning")
    assert problem.message.startswith("ended-by/reason AGENT/QUIT is outside the seed's table")
