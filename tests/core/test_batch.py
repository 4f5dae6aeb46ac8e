"""The batch runner: order, and the two things that keep memory flat over a corpus."""

from __future__ import annotations

import gc

import orjson
import pytest

from chatstats_core import InputError, build_options, engine, load_bytes, replay_session
from chatstats_core.corpus import batch
from chatstats_core.corpus.batch import run
from chatstats_core.corpus.generate import generate
from chatstats_core.corpus.inputs import BadItem, RawItem
from chatstats_core.corpus.native import Engine
from chatstats_core.render import OutputFormat
from chatstats_core.workflows.replay import ReplayTask

OPTIONS = build_options(
    [
        "attach-session-statistics=all",
        "attach-stats-rep-events=7",
        "inactivity-control/enabled=true",
        "timeout-alert=30",
        "timeout-close=90",
        "async-idle-alert=60",
        "async-idle-close=600",
    ]
)


def _corpus(count: int) -> list[bytes]:
    return [orjson.dumps(d) for d in generate(count, seed=7, async_share=0.5, bots=True)]


@pytest.fixture
def saved_garbage():
    """gc with automatic collection off and every unreachable object kept in gc.garbage."""
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        yield gc.garbage
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


def test_a_replay_leaves_no_reference_cycles(saved_garbage):
    # Cycles would keep each session's events alive until a collection: memory would grow
    # with the corpus between collections. Reporting events (the snapshot hook), timers and
    # traces are all exercised here.
    for data in _corpus(60):
        replay_session(load_bytes(data, "s"), OPTIONS, trace=True)
    gc.collect()
    assert [type(x).__name__ for x in saved_garbage] == []


def test_batch_runs_a_full_collection_once_per_period_with_automatic_ones_paused(monkeypatch):
    collections = []
    monkeypatch.setattr(batch, "SESSIONS_PER_COLLECTION", 10)
    monkeypatch.setattr(batch.gc, "collect", lambda: collections.append(gc.isenabled()))
    items = [RawItem(f"s{i}", data, f"s{i}") for i, data in enumerate(_corpus(25))]
    enabled_while_running = []
    # the Python engine: the native core makes no garbage to count
    for outcome in run(items, ReplayTask(OPTIONS, OutputFormat.JSONL), engine=Engine.PYTHON):
        enabled_while_running.append(gc.isenabled())
        assert outcome.source == f"s{len(enabled_while_running) - 1}"
    assert enabled_while_running == [False] * 25
    assert collections == [False, False]  # after sessions 10 and 20
    assert gc.isenabled()  # restored at the end


def test_pausing_restores_a_collector_that_was_off():
    gc.disable()
    try:
        with batch.GarbageSchedule().paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_an_unexpected_exception_costs_only_its_own_transcript(monkeypatch):
    real_replay = engine.replay_session

    def replay_failing_on_s1(transcript, options, at_seconds=None):
        if transcript.source == "s1":
            raise KeyError("boom")
        return real_replay(transcript, options, at_seconds)

    monkeypatch.setattr(engine, "replay_session", replay_failing_on_s1)
    items = [RawItem(f"s{i}", data, f"s{i}") for i, data in enumerate(_corpus(3))]
    # the Python engine's boundary is tested
    outcomes = list(run(items, ReplayTask(OPTIONS, OutputFormat.JSONL), engine=Engine.PYTHON))
    assert [o.error is None for o in outcomes] == [True, False, True]
    assert outcomes[1].error == (
        "s1: internal error: KeyError: 'boom' (a chatstats bug: please "
        "report it with this transcript)"
    )


def test_chunks_start_small_and_double_up_to_the_maximum():
    sizes = [len(chunk) for chunk in batch._chunks(range(1000))]
    assert sizes == [8, 16, 32, 64, 128, 256, 256, 240]


def test_workers_give_the_single_process_outcomes_in_order():
    items = [RawItem(f"s{i}", data, f"s{i}") for i, data in enumerate(_corpus(40))]
    task = ReplayTask(OPTIONS, OutputFormat.JSONL)
    assert list(run(items, task, jobs=2)) == list(run(items, task, jobs=1))


def test_ending_the_workers_puts_the_threads_exception_hook_back():
    """Process-wide state is restored after use: the quiet hook for a torn-down pool's pipe
    errors is there only until the pool's thread has ended."""
    import threading

    before = threading.excepthook
    pool = batch._pool(1)
    assert pool.submit(int, "7").result() == 7
    batch._end_workers(pool)
    assert threading.excepthook is before


@pytest.mark.skipif(
    batch.native_core() is None, reason="the native core is not built here, or not chosen"
)
def test_jobs_are_native_threads_in_one_process_with_declines_and_errors_in_their_place(
    monkeypatch,
):
    """With the native core, --jobs 2 starts no worker process; a session it declines (XML
    with a DTD, which the Python loader refuses with an error) and an unreadable input keep
    their places among the rest, as with one job."""

    def no_processes(jobs):
        raise AssertionError("a process pool was started")

    monkeypatch.setattr(batch, "_pool", no_processes)
    monkeypatch.setattr(batch, "THREADED_FIRST_CHUNK", 4)  # several chunks in flight
    good = [RawItem(f"s{i}", data, f"s{i}") for i, data in enumerate(_corpus(30))]
    declined = RawItem("dtd.xml", b'<?xml version="1.0"?><!DOCTYPE x []><chatTranscript/>', "d")
    items = [
        *good[:7],
        declined,
        *good[7:20],
        BadItem(InputError("gone", source="gone")),
        *good[20:],
    ]
    task = ReplayTask(OPTIONS, OutputFormat.JSONL)
    threaded = list(run(items, task, jobs=2))
    assert [o.source for o in threaded] == [
        i.source if isinstance(i, RawItem) else "gone" for i in items
    ]
    assert threaded == list(run(items, task, jobs=1))
    assert threaded[7].declined and threaded[7].error is not None
