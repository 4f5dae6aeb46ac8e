"""Message and party KVPs (behaviour.md section 5, seed 'General transcript statistics')."""

from tests.helpers import basic_chat, join, kvps, leave, msg


def test_agent_messages_count_visible_agents_with_visibility_all_only():
    """A coach's message and an agent's INT whisper are not 'visible to customer'."""
    values = kvps(
        join(0, "c1", "client"),
        join(1, "a1", "agent"),
        join(2, "s1", "supervisor", "VIP"),
        msg(3, "a1", "hi"),
        msg(4, "a1", "psst", "INT"),
        msg(5, "s1", "coach says", "ALL"),
        leave(9, "c1"),
    )
    assert values["csg_MessagesFromAgentsCount"] == 1
    assert values["csg_MessagesFromAgentsSize"] == 2


def test_supervisor_visible_to_customer_counts_as_agent():
    """Seed: 'an agent means both an agent and a supervisor, when either of those is visible'."""
    values = kvps(
        join(0, "c1", "client"), join(1, "s1", "supervisor"), msg(3, "s1", "abc"), leave(9, "c1")
    )
    assert values["csg_MessagesFromAgentsCount"] == 1
    assert values["csg_PartiesAsAgentCount"] == 1


def test_message_size_counts_characters_with_spaces_not_bytes():
    """Size = code points of the text as parsed: ' é ü ' is 5 characters (7 UTF-8 bytes)."""
    values = kvps(join(0, "c1", "client"), msg(1, "c1", " é ü "), msg(2, "c1", ""), leave(3, "c1"))
    assert values["csg_MessagesFromCustomersCount"] == 2
    assert values["csg_MessagesFromCustomersSize"] == 5


def test_basic_chat_message_counts_and_sizes():
    """Hand count: agent 'Hi Ann, how can I help?' (23) + 'Let me check' (12); client 5+9+9."""
    values = kvps(*basic_chat())
    assert values["csg_MessagesFromAgentsCount"] == 2
    assert values["csg_MessagesFromAgentsSize"] == 35
    assert values["csg_MessagesFromCustomersCount"] == 3
    assert values["csg_MessagesFromCustomersSize"] == 23


def test_bot_messages_count_separately_and_never_as_agent_messages():
    values = kvps(
        join(0, "c1", "client"),
        join(1, "b1", "bot"),
        msg(2, "b1", "I am a bot"),
        msg(3, "b1", "internal", "INT"),
        leave(4, "b1"),
        leave(5, "c1"),
    )
    assert values["csg_MessagesFromBotsCount"] == 1
    assert values["csg_MessagesFromBotsSize"] == 10
    assert values["csg_MessagesFromAgentsCount"] == 0


def test_external_party_messages_count_in_no_statistic():
    values = kvps(
        join(0, "c1", "client"),
        join(1, "w1", "external"),
        msg(2, "w1", "queue msg"),
        leave(5, "c1"),
    )
    assert values["csg_MessagesFromAgentsCount"] == 0
    assert values["csg_MessagesFromCustomersCount"] == 0
    assert values["csg_MessagesFromBotsCount"] == 0


def test_parties_as_agent_counts_unique_persons_across_rejoins():
    """The same person joining twice (two party ids) counts once; a second person once more."""
    values = kvps(
        join(0, "c1", "client"),
        join(1, "a1", "agent", person="p1"),
        leave(5, "a1"),
        join(6, "a2", "agent", person="p1"),
        join(7, "a3", "agent", person="p2"),
        leave(9, "c1"),
    )
    assert values["csg_PartiesAsAgentCount"] == 2


def test_parties_without_person_are_counted_by_party_id():
    values = kvps(
        join(0, "c1", "client"), join(1, "a1", "agent"), join(2, "a2", "agent"), leave(9, "c1")
    )
    assert values["csg_PartiesAsAgentCount"] == 2


def test_coach_is_vip_and_monitor_is_int_by_default():
    """Seed: coaching 'joins with the VIP visibility', monitoring 'join with the INT visibility'."""
    values = kvps(
        join(0, "c1", "client"),
        join(1, "a1", "agent"),
        join(2, "s1", "supervisor", "VIP", person="boss"),
        join(3, "s2", "supervisor", "INT", person="qa"),
        join(4, "s3", "supervisor", "INT", person="qa"),
        leave(9, "c1"),
    )
    assert values["csg_PartiesAsCoachCount"] == 1
    assert values["csg_PartiesAsMonitorCount"] == 1
    assert values["csg_PartiesAsAgentCount"] == 1


def test_coach_visibility_int_swaps_coach_and_monitor():
    events = (
        join(0, "c1", "client"),
        join(1, "s1", "supervisor", "VIP"),
        join(2, "s2", "supervisor", "INT"),
        join(3, "s3", "agent", "INT"),
        leave(9, "c1"),
    )
    values = kvps(*events, options=("replay/coach-visibility=INT",))
    assert values["csg_PartiesAsCoachCount"] == 2
    assert values["csg_PartiesAsMonitorCount"] == 1


def test_bots_are_counted_per_join_not_per_party():
    """Bot Gateway: a bot that connects several times counts as a separate participant each time."""
    values = kvps(
        join(0, "c1", "client"),
        join(1, "b1", "bot"),
        leave(2, "b1"),
        join(3, "b1", "bot"),
        leave(4, "b1"),
        leave(5, "c1"),
    )
    assert values["csg_PartiesAsBotCount"] == 2


def test_bot_gateway_false_attaches_no_bot_kvps():
    values = kvps(
        join(0, "c1", "client"),
        join(1, "b1", "bot"),
        msg(2, "b1", "x"),
        leave(5, "c1"),
        options=("bot-gateway=false",),
    )
    for key in (
        "csg_MessagesFromBotsCount",
        "csg_MessagesFromBotsSize",
        "csg_PartiesAsBotCount",
        "csg_SessionUntilFirstBotTime",
    ):
        assert key not in values
