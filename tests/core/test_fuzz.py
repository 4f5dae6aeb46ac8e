"""Fuzzing the loaders and the replay: mutated real inputs give a result or a ChatstatsError,
never another exception. Seeds: every sample and every corpus file."""

import copy
import os

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chatstats_core import ChatstatsError, Options, load_bytes, replay_session
from chatstats_core.workflows.validate import validate_bytes
from tests.helpers import REAL, SAMPLES

SEEDS = [
    p.read_bytes()
    for p in sorted(SAMPLES.iterdir())
    if p.suffix in (".xml", ".json") and not p.name.endswith(".expected.json")
]
SEEDS += [p.read_bytes() for p in sorted(REAL.glob("*.xml"))]
# Several thousand examples in CI (each takes about a millisecond), fewer locally.
FUZZ = settings(
    max_examples=1500 if os.environ.get("CI") else 200,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@st.composite
def mutated(draw):
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 4))):
        operation = draw(st.sampled_from(["flip", "cut", "duplicate", "reorder", "insert"]))
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        if operation == "flip":
            data[at] = draw(st.integers(0, 255))
        elif operation == "cut":
            del data[at : at + draw(st.integers(1, 200))]
        elif operation == "duplicate":
            data[at:at] = data[at : at + draw(st.integers(1, 200))]
        elif operation == "insert":
            data[at:at] = draw(
                st.sampled_from(
                    [
                        b"<",
                        b">",
                        b'"',
                        b"&amp;",
                        b"{",
                        b"}",
                        b",",
                        b'<message userId="x" timeShift="1">',
                        b"\x00",
                        b"\xff\xfe",
                        b"-1",
                        b"1e999",
                    ]
                )
            )
        else:
            lines = bytes(data).split(b"\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            data = bytearray(b"\n".join(lines))
    return bytes(data)


def _replay_or_error(data: bytes) -> None:
    try:
        transcript = load_bytes(data, "fuzz")
    except ChatstatsError:
        return
    replay_session(transcript, Options())


@FUZZ
@given(mutated())
def test_mutated_inputs_give_a_result_or_a_chatstats_error(data):
    _replay_or_error(data)


@FUZZ
@given(st.binary(max_size=2048))
def test_random_bytes_give_a_result_or_a_chatstats_error(data):
    _replay_or_error(data)


@FUZZ
@given(mutated())
def test_validate_never_raises(data):
    report = validate_bytes(data, "fuzz")
    assert all(p.message for p in report.problems)


JSON_SEEDS = [orjson.loads(seed) for seed in SEEDS if seed.lstrip().startswith(b"{")]
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
    | st.sampled_from(["ALL", "VIP", "client", "agent", "removed", "force-close", "inactive"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)
EVENT_KEYS = [
    "t",
    "type",
    "party",
    "role",
    "nick",
    "person",
    "visibility",
    "text",
    "notice",
    "after",
    "cause",
    "by",
    "reason",
]


@st.composite
def retyped(draw):
    """A valid JSON transcript with one event field set to any JSON value (lists and objects
    too: they do not even hash, so a look-up table keyed by the field would crash on them)."""
    document = copy.deepcopy(draw(st.sampled_from(JSON_SEEDS)))
    event = draw(st.sampled_from(document["events"]))
    event[draw(st.sampled_from(EVENT_KEYS))] = draw(JSON_VALUES)
    return orjson.dumps(document)


@FUZZ
@given(retyped())
def test_any_value_in_any_event_field_gives_a_result_or_a_chatstats_error(data):
    _replay_or_error(data)
