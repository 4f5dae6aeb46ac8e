"""Each KVP name is written once, in chatstats_core.engine.kvps, named as itself."""

from chatstats_core.engine import ALL_KVPS, kvps
from chatstats_core.engine.rules import RULES
from tests.helpers import basic_chat, run


def test_the_kvp_names_module_has_each_kvp_of_the_rules_named_as_itself():
    constants = {name: value for name, value in vars(kvps).items() if name[:4] in ("csg_", "cse_")}
    constants |= {
        name: value for name, value in vars(kvps).items() if name.startswith("ChatServer")
    }
    assert all(name == value for name, value in constants.items())
    assert sorted(constants) == sorted(k for k in RULES if not k.startswith("classification."))
    assert len(ALL_KVPS) == 50  # the seed's table


def test_every_kvp_a_replay_computes_is_one_of_the_names():
    result = run(*basic_chat(), options=("bot-gateway=true",), async_mode=True)
    assert {s.key for s in result.stats} <= set(ALL_KVPS)
    assert kvps.cse_AsyncDormantTotalCount in result.kvps  # an async family, built from a Triple
