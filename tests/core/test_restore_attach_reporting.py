"""Restoration, attach-session-statistics, reporting events, --at and session KVPs."""

from tests.core.test_async import ASYNC_SCENARIO
from tests.helpers import basic_chat, join, kvps, leave, msg, restore, run, said


def test_restoration_before_any_message_forgets_agent_joins_giving_absent():
    """Seed note: an agent joins before restoration and does not re-join, no messages before
    restoration -> csg_SessionEndedAgent=ABSENT."""
    result = run(
        join(0, "c1", "client"),
        join(5, "a1", "agent"),
        restore(10, "a1"),
        msg(20, "c1"),
        leave(30, "c1"),
    )
    values = result.kvps
    assert values["csg_SessionEndedAgent"] == "ABSENT"
    assert values["csg_PartiesAsAgentCount"] == 0
    assert values["csg_SessionUntilFirstAgentTime"] == 0
    assert values["cse_SessionHandleTotalCount"] == 0
    assert result.classification.abandoned is True
    assert "session restoration before any message" in said(result.warnings)[0]


def test_restoration_after_a_message_changes_nothing():
    values = kvps(
        join(0, "c1", "client"),
        join(5, "a1", "agent"),
        msg(6, "a1"),
        restore(10),
        leave(30, "c1"),
        leave(40, "a1"),
    )
    assert values["csg_SessionEndedAgent"] == "PRESENT"
    assert values["csg_PartiesAsAgentCount"] == 1
    assert values["cse_SessionHandleTotalTime"] == 35


def test_restored_agent_that_rejoins_is_counted_from_its_new_join():
    values = kvps(
        join(0, "c1", "client"),
        join(5, "a1", "agent"),
        restore(10, "a1"),
        join(12, "a1", "agent"),
        msg(13, "a1"),
        leave(30, "c1"),
    )
    assert values["csg_SessionUntilFirstAgentTime"] == 12
    assert values["csg_PartiesAsAgentCount"] == 1


BASIC_FIRED = {
    "ChatServerSessionClosedAt",
    "ChatServerSessionStartedAt",
    "csg_ChatSessionID",
    "csg_MediaType",
    "csg_TenantId",
    "csg_SessionTotalTime",
    "csg_SessionEndedAgent",
    "csg_SessionEndedBy",
    "csg_SessionEndedReason",
    "csg_MessagesFromAgentsCount",
    "csg_MessagesFromAgentsSize",
    "csg_MessagesFromCustomersCount",
    "csg_MessagesFromCustomersSize",
    "csg_PartiesAsAgentCount",
    "csg_SessionUntilFirstAgentTime",
    "csg_SessionUntilFirstReplyTime",
    "csg_SessionWithCustomerTime",
    *(f"cse_SessionHandle{s}" for s in ("TotalCount", "TotalTime", "MaxTime")),
    *(
        f"cse_{w}{s}"
        for w in ("CustomerWait", "AgentReply", "AgentWait", "CustomerReply")
        for s in ("TotalCount", "TotalTime", "MaxTime")
    ),
}


def test_attach_none_all_fired_on_the_same_session():
    none = kvps(*basic_chat(), attach="none")
    fired = kvps(*basic_chat(), attach="fired")
    every = kvps(*basic_chat(), attach="all")
    assert set(none) == {
        "ChatServerSessionStartedAt",
        "ChatServerSessionClosedAt",
        "csg_MediaType",
        "csg_TenantId",
    }
    assert set(fired) == BASIC_FIRED
    assert len(every) == 42  # 50 less the 6 async and the 2 absent user-data KVPs
    assert every["cse_ActiveIdleTotalCount"] == 0
    assert every["csg_PartiesAsCoachCount"] == 0
    assert every["csg_MessagesFromBotsCount"] == 0
    assert every["csg_ChatAsyncMode"] == "0"
    assert {k: every[k] for k in fired} == fired


def test_language_and_media_origin_only_when_in_user_data():
    absent = kvps(join(0, "c1", "client"), leave(5, "c1"))
    assert "csg_LanguageName" not in absent and "csg_MediaOrigin" not in absent
    present = kvps(
        join(0, "c1", "client"),
        leave(5, "c1"),
        user_data={"GCTI_LanguageName": "english", "MediaOrigin": "web"},
    )
    assert (present["csg_LanguageName"], present["csg_MediaOrigin"]) == ("english", "web")
    assert present["csg_MediaType"] == "chat"  # default when user data has no MediaType


def test_tenant_from_transcript_else_option():
    assert kvps(join(0, "c1", "client"), leave(5, "c1"), tenant_id=101)["csg_TenantId"] == 101
    assert (
        kvps(join(0, "c1", "client"), leave(5, "c1"), options=("tenant-id=7",))["csg_TenantId"] == 7
    )


def test_timestamps_are_utc_whole_seconds():
    values = kvps(join(0, "c1", "client"), leave(95.9, "c1"))
    assert values["ChatServerSessionStartedAt"] == "2026-01-05T10:00:00Z"
    assert values["ChatServerSessionClosedAt"] == "2026-01-05T10:01:35Z"


def test_reporting_event_bit_1_replaces_userdata_at_session_end():
    result = run(*basic_chat(), options=("attach-stats-rep-events=1", "attach-stats-rep-place=555"))
    assert result.delivery == "reporting-event"
    (event,) = result.reporting_events
    assert (event.trigger.value, event.t, event.at, event.place) == (
        "session-end",
        95,
        "2026-01-05T10:01:35Z",
        555,
    )
    assert event.kvps == result.kvps


def test_no_reporting_events_by_default():
    result = run(*basic_chat())
    assert result.delivery == "userdata"
    assert result.reporting_events == ()


def test_reporting_events_bits_2_and_4_in_async_sessions():
    """Holds at 20 and 90, a customer message during the hold at 300, then the end at 331."""
    result = run(
        *ASYNC_SCENARIO,
        async_mode=True,
        options=("attach-stats-rep-events=7", "attach-stats-rep-place=101"),
    )
    assert [(e.trigger.value, e.t) for e in result.reporting_events] == [
        ("async-hold", 20),
        ("async-hold", 90),
        ("customer-message-during-hold", 300),
        ("session-end", 331),
    ]
    first = result.reporting_events[0].kvps
    assert "ChatServerSessionClosedAt" not in first and "csg_SessionTotalTime" not in first
    assert first["cse_SessionHandleTotalTime"] == 10  # a1 present 10-20
    assert first["cse_AsyncDormantTotalCount"] == 1  # the hold that triggered it, 0 s long
    wake = result.reporting_events[2].kvps
    assert (wake["cse_AsyncDormantTotalCount"], wake["cse_AsyncDormantTotalTime"]) == (2, 250)


def test_reporting_events_bit_2_only():
    result = run(
        *ASYNC_SCENARIO,
        async_mode=True,
        options=("attach-stats-rep-events=2", "attach-stats-rep-place=1"),
    )
    assert [e.trigger.value for e in result.reporting_events] == ["async-hold", "async-hold"]
    assert result.delivery == "userdata"


def test_intermediate_reporting_events_follow_attach_level():
    result = run(
        *ASYNC_SCENARIO,
        async_mode=True,
        attach="none",
        options=("attach-stats-rep-events=4", "attach-stats-rep-place=1"),
    )
    (event,) = result.reporting_events
    assert set(event.kvps) == {"ChatServerSessionStartedAt", "csg_MediaType", "csg_TenantId"}


def test_rep_events_without_place_warns():
    result = run(*basic_chat(), options=("attach-stats-rep-events=1",))
    assert any("attach-stats-rep-place is 0" in w for w in said(result.warnings))


def test_statistics_as_of_an_instant():
    """At 45 s: one customer wait (4 -> 42), handle 30-45, client present 0-45, still open."""
    result = run(*basic_chat(), at=45)
    assert "ChatServerSessionClosedAt" not in result.kvps
    assert result.kvps["cse_CustomerWaitTotalTime"] == 38
    assert result.kvps["cse_SessionHandleTotalTime"] == 15
    assert result.kvps["csg_SessionWithCustomerTime"] == 45
    assert result.classification.ended_by is None
    assert said(result.warnings) == ("statistics as of t=45s: the session is still open then",)


def test_statistics_as_of_after_closure_are_the_final_ones():
    assert run(*basic_chat(), at=500).kvps == run(*basic_chat()).kvps


def test_attach_stats_rep_events_bits_are_session_end_1_async_hold_2_customer_message_4():
    from chatstats_core.engine.replay import Trigger

    assert [t.bit for t in Trigger] == [1, 2, 4]
    assert [t for t in Trigger if t.is_asked(5)] == [
        Trigger.SESSION_END,
        Trigger.CUSTOMER_MESSAGE_DURING_HOLD,
    ]
