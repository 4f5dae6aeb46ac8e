"""Until-first, with-customer, total, handle and wait/reply durations (seed + behaviour 5, 5.1)."""

from tests.helpers import basic_chat, join, kvps, leave, msg


def test_until_first_agent_zero_means_no_agent_when_agent_count_is_zero():
    """Seed: 0 means 'no agents ever joined the session (if csg_PartiesAsAgentCount=0)'."""
    values = kvps(join(0, "c1", "client"), msg(5, "c1"), leave(60, "c1"))
    assert values["csg_SessionUntilFirstAgentTime"] == 0
    assert values["csg_PartiesAsAgentCount"] == 0
    fired = kvps(join(0, "c1", "client"), msg(5, "c1"), leave(60, "c1"), attach="fired")
    assert "csg_SessionUntilFirstAgentTime" not in fired


def test_until_first_agent_zero_means_immediate_join_when_agent_count_is_positive():
    """Seed: 0 also means 'an agent joined immediately when the session was started'."""
    values = kvps(
        join(0, "c1", "client"), join(0.4, "a1", "agent"), leave(60, "c1"), attach="fired"
    )
    assert values["csg_SessionUntilFirstAgentTime"] == 0
    assert values["csg_PartiesAsAgentCount"] == 1


def test_until_first_agent_ignores_coaches_and_bots():
    values = kvps(
        join(0, "c1", "client"),
        join(3, "b1", "bot"),
        join(5, "s1", "supervisor", "VIP"),
        join(12, "a1", "agent"),
        leave(60, "c1"),
    )
    assert values["csg_SessionUntilFirstAgentTime"] == 12
    assert values["csg_SessionUntilFirstBotTime"] == 3


def test_until_first_bot_counts_only_bots_joining_visible_to_all():
    values = kvps(
        join(0, "c1", "client"), join(2, "b1", "bot", "INT"), join(7, "b2", "bot"), leave(9, "c1")
    )
    assert values["csg_SessionUntilFirstBotTime"] == 7


def test_until_first_reply_is_first_visible_agent_message():
    """basic_chat: the agent joins at 30 and first writes at 42."""
    values = kvps(*basic_chat())
    assert values["csg_SessionUntilFirstAgentTime"] == 30
    assert values["csg_SessionUntilFirstReplyTime"] == 42


def test_durations_truncate_milliseconds_to_whole_seconds():
    """12.999 s is reported as 12 (truncated, not rounded)."""
    values = kvps(join(0, "c1", "client"), join(12.999, "a1", "agent"), leave(20, "c1"))
    assert values["csg_SessionUntilFirstAgentTime"] == 12


def test_with_customer_time_sums_client_presence_intervals():
    """Client present 0-10 and 20-35: 25 s; the session itself lasts until 40."""
    values = kvps(
        join(0, "c1", "client"),
        join(1, "a1", "agent"),
        leave(10, "c1"),
        join(20, "c1", "client"),
        leave(35, "c1"),
        leave(40, "a1"),
    )
    assert values["csg_SessionWithCustomerTime"] == 25
    assert values["csg_SessionTotalTime"] == 40


def test_handle_intervals_count_periods_with_a_visible_agent():
    """Agent 5-20, gap, agent 30-50 (a second overlapping 40-60): two periods, 15 + 30 s."""
    values = kvps(
        join(0, "c1", "client"),
        join(5, "a1", "agent"),
        leave(20, "a1"),
        join(30, "a2", "agent"),
        join(40, "a3", "agent"),
        leave(50, "a2"),
        leave(60, "a3"),
        leave(70, "c1"),
    )
    assert values["cse_SessionHandleTotalCount"] == 2
    assert values["cse_SessionHandleTotalTime"] == 45
    assert values["cse_SessionHandleMaxTime"] == 30


def test_handle_ignores_coaches_monitors_and_bots():
    values = kvps(
        join(0, "c1", "client"),
        join(5, "s1", "supervisor", "VIP"),
        join(6, "b1", "bot"),
        leave(70, "c1"),
    )
    assert values["cse_SessionHandleTotalCount"] == 0
    assert values["cse_SessionHandleTotalTime"] == 0


def test_customer_wait_uses_last_message_of_run():
    """C at 4; A at 42; C at 50 and 55; A at 70 -> waits 38 and 15 (from 55, not 50)."""
    values = kvps(*basic_chat())
    assert values["cse_CustomerWaitTotalCount"] == 2
    assert values["cse_CustomerWaitTotalTime"] == 53
    assert values["cse_CustomerWaitMaxTime"] == 38


def test_agent_reply_uses_first_message_of_customer_run():
    """Replies 42-4 = 38 and 70-50 = 20 (from the first of the run at 50)."""
    values = kvps(*basic_chat())
    assert values["cse_AgentReplyTotalCount"] == 2
    assert values["cse_AgentReplyTotalTime"] == 58
    assert values["cse_AgentReplyMaxTime"] == 38


def test_agent_wait_and_customer_reply_measure_agent_runs_answered_by_customer():
    """A at 10 and 12, C at 30: agent waits 30-12 = 18, customer replies 30-10 = 20."""
    values = kvps(
        join(0, "c1", "client"),
        join(1, "a1", "agent"),
        msg(10, "a1"),
        msg(12, "a1"),
        msg(30, "c1"),
        leave(40, "c1"),
    )
    assert (
        values["cse_AgentWaitTotalCount"],
        values["cse_AgentWaitTotalTime"],
        values["cse_AgentWaitMaxTime"],
    ) == (1, 18, 18)
    assert (
        values["cse_CustomerReplyTotalCount"],
        values["cse_CustomerReplyTotalTime"],
        values["cse_CustomerReplyMaxTime"],
    ) == (1, 20, 20)
    assert values["cse_CustomerWaitTotalCount"] == 0


def test_wait_reply_skips_bot_external_and_non_all_messages():
    """Only C at 5 and A at 20 form runs; the bot, workflow and whisper messages are skipped."""
    values = kvps(
        join(0, "c1", "client"),
        join(1, "b1", "bot"),
        join(1, "w1", "external"),
        join(2, "a1", "agent"),
        msg(5, "c1"),
        msg(8, "b1"),
        msg(9, "w1"),
        msg(10, "a1", "note", "INT"),
        msg(20, "a1"),
        leave(30, "c1"),
    )
    assert values["cse_CustomerWaitTotalCount"] == 1
    assert values["cse_CustomerWaitTotalTime"] == 15


def test_zero_second_reply_counts_once_with_zero_time():
    """A reply in the same second is a wait of 0 s: count 1, total 0 (so total=0 does not
    imply count=0)."""
    values = kvps(
        join(0, "c1", "client"), join(1, "a1", "agent"), msg(5, "c1"), msg(5, "a1"), leave(9, "c1")
    )
    assert values["cse_CustomerWaitTotalCount"] == 1
    assert values["cse_CustomerWaitTotalTime"] == 0


def test_totals_are_summed_in_milliseconds_before_truncating():
    """Waits of 1.6 s and 1.6 s total 3.2 s -> 3 (not 1 + 1 = 2); max 1.6 -> 1."""
    values = kvps(
        join(0, "c1", "client"),
        join(0, "a1", "agent"),
        msg(1, "c1"),
        msg(2.6, "a1"),
        msg(3, "c1"),
        msg(4.6, "a1"),
        leave(9, "c1"),
    )
    assert values["cse_CustomerWaitTotalTime"] == 3
    assert values["cse_CustomerWaitMaxTime"] == 1
