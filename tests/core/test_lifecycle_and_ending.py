"""Session closure (behaviour.md 4) and end reason codes / classification (section 7)."""

import pytest

from tests.helpers import basic_chat, close, join, kvps, leave, msg, run, said


def test_force_close_closes_the_session_at_once():
    result = run(join(0, "c1", "client"), join(5, "a1", "agent"), leave(20, "a1", "force-close"))
    assert result.kvps["csg_SessionTotalTime"] == 20
    assert result.kvps["csg_SessionWithCustomerTime"] == 20  # the client leaves at the closure
    assert (result.kvps["csg_SessionEndedBy"], result.kvps["csg_SessionEndedReason"]) == (
        "AGENT",
        "FORCE",
    )
    assert result.kvps["csg_SessionEndedAgent"] == "PRESENT"  # the closer counts as present


def test_close_if_no_agents_waits_while_another_human_agent_remains():
    values = kvps(
        join(0, "c1", "client"),
        join(5, "a1", "agent"),
        join(6, "a2", "agent"),
        leave(10, "a1", "close-if-no-agents"),
        leave(30, "a2", "close-if-no-agents"),
    )
    assert values["csg_SessionTotalTime"] == 30
    assert (values["csg_SessionEndedBy"], values["csg_SessionEndedReason"]) == ("AGENT", "FORCE")


def test_close_if_no_agents_ignores_bots_still_present():
    values = kvps(
        join(0, "c1", "client"),
        join(1, "b1", "bot"),
        join(5, "a1", "agent"),
        leave(10, "a1", "close-if-no-agents"),
    )
    assert values["csg_SessionTotalTime"] == 10


def test_coach_counts_as_human_agent_for_close_if_no_agents():
    """Session mechanics use any human agent party, whatever its visibility."""
    values = kvps(
        join(0, "c1", "client"),
        join(5, "a1", "agent"),
        join(6, "s1", "supervisor", "VIP"),
        leave(10, "a1", "close-if-no-agents"),
        leave(40, "c1"),
        leave(41, "s1"),
    )
    assert values["csg_SessionTotalTime"] == 41


@pytest.mark.parametrize(("role", "expected"), [("supervisor", "SUPERVISOR"), ("bot", "BOT")])
def test_ended_by_names_the_closer_type(role, expected):
    values = kvps(join(0, "c1", "client"), join(5, "x1", role), leave(20, "x1", "force-close"))
    assert (values["csg_SessionEndedBy"], values["csg_SessionEndedReason"]) == (expected, "FORCE")


def test_last_participant_leaving_closes_the_session():
    values = kvps(
        join(0, "c1", "client"),
        join(5, "a1", "agent"),
        leave(10, "c1", cause="disconnect"),
        leave(20, "a1"),
    )
    assert values["csg_SessionTotalTime"] == 20


def test_external_parties_never_keep_the_session_open():
    values = kvps(join(0, "c1", "client"), join(1, "w1", "external"), leave(10, "c1"))
    assert values["csg_SessionTotalTime"] == 10


def test_client_is_ended_by_when_it_left_before_the_agent_closed():
    """Seed: CLIENT 'will be set when a client leaves while the session continues due to the
    presence of an agent and ended later by an agent'."""
    values = kvps(
        join(0, "c1", "client"),
        join(5, "a1", "agent"),
        leave(10, "c1"),
        leave(20, "a1", "force-close"),
    )
    assert (values["csg_SessionEndedBy"], values["csg_SessionEndedReason"]) == ("CLIENT", "QUIT")
    assert values["csg_SessionTotalTime"] == 20


def test_client_disconnect_gives_reason_disconnect():
    values = kvps(join(0, "c1", "client"), leave(10, "c1", cause="disconnect"))
    assert (values["csg_SessionEndedBy"], values["csg_SessionEndedReason"]) == (
        "CLIENT",
        "DISCONNECT",
    )


def test_removed_client_is_not_the_one_who_ended_the_session():
    values = kvps(
        join(0, "c1", "client"),
        join(5, "a1", "agent"),
        leave(10, "c1", cause="removed", by="a1"),
        leave(20, "a1"),
    )
    assert (values["csg_SessionEndedBy"], values["csg_SessionEndedReason"]) == ("AGENT", "QUIT")


def test_force_close_then_removal_of_client_at_same_instant_is_silent():
    """The real corpus pattern: agent force-closes, Chat Server removes the client."""
    result = run(
        join(0, "c1", "client"),
        join(5, "a1", "agent"),
        leave(20, "a1", "force-close"),
        leave(20, "c1", cause="removed", by="a1"),
    )
    assert (result.classification.ended_by, result.classification.ended_reason) == (
        "AGENT",
        "FORCE",
    )
    assert said(result.warnings) == ()


def test_events_after_closure_are_dropped_with_a_warning():
    result = run(
        join(0, "c1", "client"),
        join(5, "a1", "agent"),
        leave(20, "a1", "force-close"),
        msg(25, "c1", "anyone?"),
    )
    assert result.kvps["csg_MessagesFromCustomersCount"] == 0
    assert said(result.warnings) == ("1 events after closure at t=20s dropped",)


def test_system_closure_inactive_and_db_error():
    inactive = kvps(
        join(0, "c1", "client"),
        join(5, "a1", "agent"),
        close(30),
        options=("inactivity-control/enabled=true", "timeout-alert=20", "timeout-close=5"),
    )
    assert (inactive["csg_SessionEndedBy"], inactive["csg_SessionEndedReason"]) == (
        "SYSTEM",
        "INACTIVE",
    )
    db_error = run(join(0, "c1", "client"), join(5, "a1", "agent"), close(30, "db_error"))
    assert (db_error.kvps["csg_SessionEndedBy"], db_error.kvps["csg_SessionEndedReason"]) == (
        "SYSTEM",
        "DB_ERROR",
    )
    assert said(db_error.warnings) == ()


def test_recorded_inactivity_close_is_kept_with_warning_when_options_disabled_it():
    result = run(join(0, "c1", "client"), close(30))
    assert result.kvps["csg_SessionTotalTime"] == 30
    assert "recorded inactivity closure at t=30s kept" in said(result.warnings)[0]


def test_session_still_open_at_end_of_transcript():
    result = run(join(0, "c1", "client"), join(5, "a1", "agent"), msg(8, "a1"), msg(12, "c1"))
    for key in (
        "ChatServerSessionClosedAt",
        "csg_SessionEndedAgent",
        "csg_SessionEndedBy",
        "csg_SessionEndedReason",
        "csg_SessionTotalTime",
    ):
        assert key not in result.kvps
    assert result.classification.ended_by is None
    assert result.classification.abandoned is None
    assert result.classification.interaction_stopped is None
    assert result.kvps["csg_SessionWithCustomerTime"] == 12  # up to the last event
    assert result.kvps["cse_SessionHandleTotalTime"] == 7
    assert said(result.warnings) == ("session still open at end of transcript",)


def test_ended_agent_absent_present_visited():
    absent = run(join(0, "c1", "client"), msg(2, "c1"), leave(60, "c1"))
    assert absent.kvps["csg_SessionEndedAgent"] == "ABSENT"
    assert absent.classification.abandoned is True
    present = run(*basic_chat())
    assert present.kvps["csg_SessionEndedAgent"] == "PRESENT"
    assert present.classification.abandoned is False
    visited = run(join(0, "c1", "client"), join(5, "a1", "agent"), leave(20, "a1"), leave(30, "c1"))
    assert visited.kvps["csg_SessionEndedAgent"] == "VISITED"
    assert visited.classification.abandoned is False


def test_ended_agent_ignores_coaches_and_bots():
    """Only visible human agents count: a coach or a bot alone leaves the session ABSENT."""
    values = kvps(
        join(0, "c1", "client"),
        join(1, "s1", "supervisor", "VIP"),
        join(2, "b1", "bot"),
        leave(9, "c1"),
        leave(10, "s1"),
        leave(11, "b1"),
    )
    assert values["csg_SessionEndedAgent"] == "ABSENT"


@pytest.mark.parametrize(
    ("policy", "abandoned_stop", "visited_stop", "answered_stop"),
    [
        ("always", True, True, True),
        ("never", False, False, False),
        ("noagents", True, True, False),
        ("noanswer", True, False, False),
        ("true", True, False, False),  # legacy: true = noanswer
        ("false", False, False, False),  # legacy: false = never
    ],
)
def test_stop_abandoned_interaction_policies(policy, abandoned_stop, visited_stop, answered_stop):
    option = (f"stop-abandoned-interaction={policy}",)
    abandoned = run(join(0, "c1", "client"), leave(60, "c1"), options=option)
    visited = run(
        join(0, "c1", "client"),
        join(5, "a1", "agent"),
        leave(20, "a1"),
        leave(30, "c1"),
        options=option,
    )
    answered = run(*basic_chat(), options=option)
    assert abandoned.classification.interaction_stopped is abandoned_stop
    assert visited.classification.interaction_stopped is visited_stop
    assert answered.classification.interaction_stopped is answered_stop


def test_bots_are_not_agents_for_stop_abandoned_interaction():
    """Seed: 'it ignores the presence of bot participants when evaluating this option'."""
    events = (
        join(0, "c1", "client"),
        join(1, "b1", "bot"),
        msg(2, "b1", "hi"),
        leave(10, "b1", "force-close"),
    )
    noagents = run(*events, options=("stop-abandoned-interaction=noagents",))
    noanswer = run(*events, options=("stop-abandoned-interaction=noanswer",))
    assert noagents.classification.interaction_stopped is True
    assert noanswer.classification.interaction_stopped is True


def test_noagents_counts_a_coach_present_before_closure():
    events = (
        join(0, "c1", "client"),
        join(1, "s1", "supervisor", "VIP"),
        leave(10, "c1"),
        leave(11, "s1"),
    )
    result = run(*events, options=("stop-abandoned-interaction=noagents",))
    assert result.classification.interaction_stopped is False
    noanswer = run(*events, options=("stop-abandoned-interaction=noanswer",))
    assert noanswer.classification.interaction_stopped is True


def test_stop_never_removes_kvps():
    """8.5.107: statistics are attached before the stop."""
    stopped = run(
        join(0, "c1", "client"), leave(60, "c1"), options=("stop-abandoned-interaction=always",)
    )
    kept = run(join(0, "c1", "client"), leave(60, "c1"))
    assert stopped.kvps == kept.kvps


def test_no_client_session_ended_by_last_participant_type():
    values = kvps(join(0, "a1", "agent"), msg(3, "a1"), leave(10, "a1", cause="disconnect"))
    assert (values["csg_SessionEndedBy"], values["csg_SessionEndedReason"]) == (
        "AGENT",
        "DISCONNECT",
    )
