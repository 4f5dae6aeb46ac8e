"""generate: reproducible, valid, and covering the scenarios the statistics care about."""

from collections import Counter

import orjson

from chatstats_core import Options, build_options, replay_session
from chatstats_core.corpus.generate import generate, long_async_session, session_document
from chatstats_core.transcript.loading import transcript_from_document
from tests.helpers import said


def _replay(document, options=None):
    transcript = transcript_from_document(document, "gen", document["session_id"])
    return replay_session(transcript, options or Options())


def test_same_seed_same_bytes_and_sessions_are_independent():
    first = b"".join(orjson.dumps(d) for d in generate(50, seed=3, async_share=0.2, bots=True))
    again = b"".join(orjson.dumps(d) for d in generate(50, seed=3, async_share=0.2, bots=True))
    assert first == again
    assert session_document(3, 42, 0.2, True) == list(generate(43, 3, 0.2, True))[42]
    assert session_document(4, 0) != session_document(3, 0)


def test_generated_sessions_are_clean_and_varied():
    options = build_options(["stop-abandoned-interaction=noanswer"])
    endings = Counter()
    for document in generate(400, seed=1, async_share=0.2, bots=True):
        result = _replay(document, options)
        assert said(result.warnings) == ()  # well-formed: no party errors, no events after closure
        c = result.classification
        endings[(c.ended_by, c.ended_reason, c.ended_agent)] += 1
    assert {
        ("CLIENT", "QUIT", "PRESENT"),
        ("CLIENT", "DISCONNECT", "ABSENT"),
        ("AGENT", "FORCE", "PRESENT"),
        ("CLIENT", "QUIT", "VISITED"),
    } <= set(endings)


def test_async_share_and_bots_show_up_in_the_statistics():
    all_options = build_options(["attach-session-statistics=all"])
    results = [_replay(d, all_options) for d in generate(200, seed=2, async_share=0.5, bots=True)]
    assert sum(r.kvps.get("cse_AsyncDormantTotalCount", 0) > 0 for r in results) > 20
    assert sum(r.kvps["csg_PartiesAsBotCount"] > 0 for r in results) > 50


def test_long_async_session_has_about_the_asked_number_of_events():
    document = long_async_session(2000)
    assert 1990 <= len(document["events"]) <= 2100
    result = _replay(document, build_options(["attach-session-statistics=all"]))
    assert result.kvps["cse_AsyncDormantTotalCount"] > 50
