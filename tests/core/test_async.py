"""Async sessions: dormancy, routing, async idle control, dormant exclusion (behaviour 4, 5.1)."""

import pytest

from tests.helpers import join, kvps, leave, msg, notice, route, run

# Hand-computed scenario (seconds):
#   0 client joins; 2 C; 10 a1 joins (routing 0-10 is not dormant); 15 A; 18 C;
#   20 a1 leaves -> dormant; 60 route -> dormant 20-60 (40 s), routing; 70 a2 joins; 80 A;
#   90 a2 leaves -> dormant; 300 C wakes it -> dormant 90-300 (210 s); 310 a1 joins; 320 A;
#   330 client quits; 331 a1 leaves -> closure.
ASYNC_SCENARIO = (
    join(0, "c1", "client"),
    msg(2, "c1"),
    join(10, "a1", "agent", person="p1"),
    msg(15, "a1"),
    msg(18, "c1"),
    leave(20, "a1"),
    route(60),
    join(70, "a2", "agent"),
    msg(80, "a2"),
    leave(90, "a2"),
    msg(300, "c1"),
    join(310, "a1", "agent", person="p1"),
    msg(320, "a1"),
    leave(330, "c1"),
    leave(331, "a1"),
)


def test_dormant_periods_run_from_last_agent_leave_to_wake_up():
    values = kvps(*ASYNC_SCENARIO, async_mode=True)
    assert (
        values["cse_AsyncDormantTotalCount"],
        values["cse_AsyncDormantTotalTime"],
        values["cse_AsyncDormantMaxTime"],
    ) == (2, 250, 210)
    assert values["csg_ChatAsyncMode"] == "1"


def test_dormant_time_excluded_from_agent_reply_and_agent_wait_but_not_customer_wait():
    """Runs: C2 | A15 | C18 | A80 | C300 | A320. Dormant: 20-60 (ended by a route event) and
    90-300 (ended by the customer's message); routing after that message until a1 rejoins:
    300-310 (revision 3: only a customer message's wake-up excludes the routing time).
    CustomerWait: 15-2=13, 80-18=62 (dormant 20-60 inside, kept), 320-300=20 -> 95, max 62.
    AgentReply:   13 (routing before the first join is not excluded), 80-18-40 (dormant 20-60;
                  the routing 60-70 after the route event is kept) =22, 320-300-10 (routing
                  300-310 after the customer's message) =10 -> 45, max 22.
    AgentWait:    18-15=3, 300-80-210=10 -> 13, max 10.
    CustomerReply: 18-15=3, 300-80=220 (dormant kept) -> 223, max 220."""
    values = kvps(*ASYNC_SCENARIO, async_mode=True)
    assert (
        values["cse_CustomerWaitTotalCount"],
        values["cse_CustomerWaitTotalTime"],
        values["cse_CustomerWaitMaxTime"],
    ) == (3, 95, 62)
    assert (
        values["cse_AgentReplyTotalCount"],
        values["cse_AgentReplyTotalTime"],
        values["cse_AgentReplyMaxTime"],
    ) == (3, 45, 22)
    assert (
        values["cse_AgentWaitTotalCount"],
        values["cse_AgentWaitTotalTime"],
        values["cse_AgentWaitMaxTime"],
    ) == (2, 13, 10)
    assert (
        values["cse_CustomerReplyTotalCount"],
        values["cse_CustomerReplyTotalTime"],
        values["cse_CustomerReplyMaxTime"],
    ) == (2, 223, 220)


def test_the_same_transcript_without_async_mode_excludes_nothing():
    values = kvps(*ASYNC_SCENARIO)
    assert values["cse_AgentReplyTotalTime"] == 95
    assert "cse_AsyncDormantTotalCount" not in values
    assert values["csg_ChatAsyncMode"] == "0"


def test_async_handle_and_parties():
    """Handle 10-20, 70-90, 310-331: 51 s in 3 spans; p1 twice + a2 = 2 persons."""
    values = kvps(*ASYNC_SCENARIO, async_mode=True)
    assert (
        values["cse_SessionHandleTotalCount"],
        values["cse_SessionHandleTotalTime"],
        values["cse_SessionHandleMaxTime"],
    ) == (3, 51, 21)
    assert values["csg_PartiesAsAgentCount"] == 2
    assert (values["csg_SessionEndedBy"], values["csg_SessionEndedAgent"]) == ("CLIENT", "PRESENT")


def test_async_idle_counts_alerts_while_dormant_and_closes_idle_session():
    """Alert 30 s, close 100 s. a1 leaves at 10 (dormant; the agent leave resets the timer):
    alert at 40 opens async idle; the client wakes it at 100 (idle 60 s, dormant 90 s) and resets
    the timer: alert 130 (routing: not counted), close 230 -> SYSTEM/INACTIVE, VISITED."""
    result = run(
        join(0, "c1", "client"),
        join(1, "a1", "agent"),
        msg(5, "c1"),
        msg(6, "a1"),
        leave(10, "a1"),
        msg(100, "c1"),
        async_mode=True,
        options=("async-idle-alert=30", "async-idle-close=100"),
    )
    values = result.kvps
    assert (
        values["cse_AsyncIdleTotalCount"],
        values["cse_AsyncIdleTotalTime"],
        values["cse_AsyncIdleMaxTime"],
    ) == (1, 60, 60)
    assert (values["cse_AsyncDormantTotalCount"], values["cse_AsyncDormantTotalTime"]) == (1, 90)
    assert values["csg_SessionTotalTime"] == 230
    assert (
        values["csg_SessionEndedBy"],
        values["csg_SessionEndedReason"],
        values["csg_SessionEndedAgent"],
    ) == ("SYSTEM", "INACTIVE", "VISITED")
    assert values["cse_ActiveIdleTotalCount"] == 0


def test_async_idle_alert_with_agent_present_counts_as_active_idle():
    """Alert 30 s: last activity at 5, alert at 35 with a1 present; a1 writes at 50: 15 s."""
    values = kvps(
        join(0, "c1", "client"),
        join(1, "a1", "agent"),
        msg(5, "c1"),
        msg(50, "a1"),
        leave(60, "a1"),
        leave(61, "c1"),
        async_mode=True,
        options=("async-idle-alert=30",),
    )
    assert (values["cse_ActiveIdleTotalCount"], values["cse_ActiveIdleTotalTime"]) == (1, 15)
    assert values["cse_AsyncIdleTotalCount"] == 0


def test_async_idle_ignores_client_joins_and_leaves():
    """Async idle control counts joins and leaves of agents only: alert 30, close 30, the
    session dormant from 10 closes at 70 although a second client joined at 50."""
    values = kvps(
        join(0, "c1", "client"),
        join(1, "a1", "agent"),
        leave(10, "a1"),
        join(50, "c2", "client"),
        async_mode=True,
        options=("async-idle-alert=30", "async-idle-close=30"),
    )
    assert values["csg_SessionTotalTime"] == 70


def test_async_families_absent_for_regular_sessions_even_under_all():
    values = kvps(join(0, "c1", "client"), leave(5, "c1"))
    assert not any(k.startswith("cse_Async") for k in values)
    assert values["csg_ChatAsyncMode"] == "0"
    fired = kvps(join(0, "c1", "client"), leave(5, "c1"), attach="fired")
    assert "csg_ChatAsyncMode" not in fired


def test_async_family_attached_under_all_with_zero_values():
    values = kvps(join(0, "c1", "client"), leave(5, "c1"), async_mode=True)
    assert values["cse_AsyncDormantTotalCount"] == 0
    assert values["cse_AsyncIdleTotalTime"] == 0


@pytest.mark.parametrize(
    ("notices", "closes_at"),
    [("none", 80), ("major", 80), ("major2", 80), ("typing", 130), ("all", 130)],
)
def test_async_idle_notices_decides_which_notices_reset_async_idle(notices, closes_at):
    """Alert 30 s, close 40 s. The agent leaves at 10 (a reset): alert 40, close 80. A client
    TYPING_STARTED at 60 counts only under typing and all: alert 90, close 130."""
    values = kvps(
        join(0, "c1", "client"),
        join(1, "a1", "agent"),
        leave(10, "a1"),
        notice(60, "c1", "TYPING_STARTED"),
        async_mode=True,
        options=("async-idle-alert=30", "async-idle-close=40", f"async-idle-notices={notices}"),
    )
    assert values["csg_SessionTotalTime"] == closes_at
