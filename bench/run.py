"""chatstats benchmarks: speed and memory, measured in one run, printed as a report.

    python bench/run.py                      # the full set (1M sessions for RSS: minutes)
    python bench/run.py --quick              # small sizes, to check the script itself

What it measures, on sessions from ``chatstats generate`` (seed 1, 10% async, bots):
- replay time (load + replay + render JSON Lines, in process, through the batch runner the CLI
  uses) against the time to merely parse
  the same inputs (orjson for JSON; defusedxml, which a safe tool must use, and the C
  ElementTree for XML), for each size, JSON and XML;
- sessions per second per core;
- the speed-up of ``replay --jobs 2`` over ``--jobs 1`` (whole CLI runs);
- ``diff -a/-b``, ``report`` and ``sweep`` over a 200,000-session corpus with ``--jobs 2``;
- the peak RSS of ``replay`` for several corpus sizes (streamed from ``generate`` on a pipe);
- the floor: what the least Python work per event (reading three fields, building one tuple)
  costs against the bare parse, which bounds any pure-Python replay;
- the time of one 100,000-event async session;
- the start-up time of ``chatstats --version``;
- the engines (``engines``): whole ``chatstats replay DIR -f jsonl`` processes over one file per
  session, native and Python, best of three, against a process that only parses the same
  files (``bench/parse_only.py``); ``sweep`` over 16 option sets against one replay; and how
  many sessions the native core declines.
Not a test: timings belong here, never in the test suite.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.etree import ElementTree

import orjson
from defusedxml.ElementTree import fromstring as defused_fromstring

from chatstats_core import build_options, load_bytes, replay_session
from chatstats_core.corpus.batch import GarbageSchedule, run
from chatstats_core.corpus.generate import generate, long_async_session
from chatstats_core.corpus.inputs import RawItem
from chatstats_core.render import OutputFormat
from chatstats_core.transcript.loading import transcript_from_document
from chatstats_core.transcript.writers import transcript_to_xml
from chatstats_core.workflows.replay import ReplayTask

OPTIONS = build_options(["attach-session-statistics=fired"])
CLI = [sys.executable, "-m", "chatstats_cli"]


def _timed(function, items) -> float:
    started = time.perf_counter()
    for item in items:
        function(item)
    return time.perf_counter() - started


JOB = ReplayTask(OPTIONS, OutputFormat.JSONL)


def _replay_all(inputs: list[bytes]) -> float:
    """Seconds to load, replay and render ``inputs`` as ``chatstats replay`` does (batch.run)."""
    items = [RawItem(f"s{i}", data, f"s{i}") for i, data in enumerate(inputs)]
    started = time.perf_counter()
    for outcome in run(items, JOB):
        assert outcome.text is not None, outcome
    return time.perf_counter() - started


def speed(count: int) -> list[str]:
    """Replay against bare parsing, JSON and XML, in this process."""
    documents = list(generate(count, seed=1, async_share=0.1, bots=True))
    as_json = [orjson.dumps(d) for d in documents]
    as_xml = [transcript_to_xml(transcript_from_document(d, "b", "b")).encode() for d in documents]
    events = sum(len(d["events"]) for d in documents)
    del documents
    lines = [f"{count:,} sessions ({events / count:.0f} events each on average):"]
    bare_json = _timed(orjson.loads, as_json)
    for engine in ("native", "python"):
        os.environ["CHATSTATS_ENGINE"] = engine
        replay_json = _replay_all(as_json)
        lines.append(
            f"  JSON  bare orjson parse {bare_json:6.2f} s | replay, {engine} engine "
            f"{replay_json:6.2f} s = {replay_json / bare_json:5.1f}x bare | "
            f"{count / replay_json:,.0f} sessions/s"
        )
    os.environ.pop("CHATSTATS_ENGINE")
    bare_defused = _timed(defused_fromstring, as_xml)
    bare_c = _timed(ElementTree.fromstring, as_xml)
    replay_xml = _replay_all(as_xml)
    lines.append(
        f"  XML   bare defusedxml parse {bare_defused:6.2f} s (C ElementTree "
        f"{bare_c:.2f} s) | replay {replay_xml:6.2f} s = "
        f"{replay_xml / bare_defused:4.1f}x defusedxml, {replay_xml / bare_c:4.1f}x C "
        f"| {count / replay_xml:,.0f} sessions/s"
    )
    return lines


def floor(count: int) -> list[str]:
    """What the least Python work per event costs, against the bare orjson parse: the budget
    a pure-Python replay has under the 2.0x target."""
    as_json = [orjson.dumps(d) for d in generate(count, seed=1, async_share=0.1, bots=True)]
    bare = _timed(orjson.loads, as_json)

    def read_three_fields(data: bytes) -> None:
        for event in orjson.loads(data)["events"]:
            event.get("type"), event.get("t"), event.get("party")

    def one_tuple_per_event(data: bytes) -> None:
        [tuple(event.values()) for event in orjson.loads(data)["events"]]

    def parse_and_dump(data: bytes) -> None:
        orjson.dumps(orjson.loads(data))

    steps = [
        ("read 3 fields of each event", read_three_fields),
        ("build one tuple per event", one_tuple_per_event),
        ("dump the parsed document back", parse_and_dump),
    ]
    return [
        f"  floor: parse + {label}: {_timed(step, as_json) / bare:4.2f}x bare parse"
        for label, step in steps
    ]


def _generate(out: Path, count: int, seed: int, async_share: float, *extra: str) -> None:
    """``chatstats generate`` of ``count`` sessions with bots into ``out``."""
    words = ["generate", "-n", str(count), "--seed", str(seed), "--async-share", str(async_share)]
    subprocess.run([*CLI, *words, "--bots", *extra, "--out", str(out)], check=True)


def jobs_speedup(count: int, folder: Path) -> list[str]:
    """Whole CLI runs over one JSON Lines file, --jobs 1 against --jobs 2."""
    corpus = folder / "corpus.jsonl"
    _generate(corpus, count, seed=1, async_share=0.1)
    times = {}
    for jobs in (1, 2):
        started = time.perf_counter()
        subprocess.run(
            [
                *CLI,
                "replay",
                str(corpus),
                "-f",
                "jsonl",
                "-q",
                "--jobs",
                str(jobs),
                "-o",
                "attach-session-statistics=fired",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        times[jobs] = time.perf_counter() - started
    return [
        f"--jobs on {count:,} sessions ({os.cpu_count()} cores): --jobs 1 {times[1]:.1f} s, "
        f"--jobs 2 {times[2]:.1f} s, speed-up {times[1] / times[2]:.2f}x"
    ]


def corpus_commands(count: int, folder: Path) -> list[str]:
    """Whole CLI runs over one generated corpus with --jobs 2, as QA would run them: two option
    sets compared, the GCXI-style report, a three-value sweep. Wall time, and the peak RSS of
    the largest process (the parent or a worker)."""
    corpus = folder / "corpus.jsonl"
    _generate(corpus, count, seed=3, async_share=0.1)
    size = corpus.stat().st_size / 2**20
    runs = {
        "diff -a never -b noanswer --format jsonl": [
            "diff",
            "-a",
            "stop-abandoned-interaction=never",
            "-b",
            "stop-abandoned-interaction=noanswer",
            "-f",
            "jsonl",
        ],
        "report --by day": ["report", "--by", "day", "-f", "json"],
        "sweep --vary stop-abandoned-interaction=never,noagents,noanswer": [
            "sweep",
            "--vary",
            "stop-abandoned-interaction=never,noagents,noanswer",
            "-f",
            "csv",
        ],
    }
    lines = [f"a corpus of {count:,} sessions ({size:,.0f} MiB of JSON Lines), --jobs 2:"]
    for label, words in runs.items():
        started = time.perf_counter()
        process = subprocess.Popen(
            [*CLI, *words, str(corpus), "--jobs", "2", "-q"], stdout=subprocess.DEVNULL
        )
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) not in (0, 1):  # diff says 1 when sessions differ
            raise SystemExit(f"{label} failed")
        lines.append(f"  {label}: {elapsed:.1f} s, peak RSS {usage.ru_maxrss / 1024:.1f} MiB")
    return lines


def peak_rss(count: int) -> tuple[float, float]:
    """Peak RSS (MiB) of ``replay -`` fed ``count`` sessions by ``generate`` on a pipe.

    Measured from a small helper process: on Linux a forked child's ru_maxrss starts from its
    parent's RSS, so forking straight from this (large) process would report our own memory.
    """
    completed = subprocess.run(
        [sys.executable, __file__, "--rss-child", str(count)],
        check=True,
        capture_output=True,
        text=True,
    )
    rss, elapsed = completed.stdout.split()
    return float(rss), float(elapsed)


def _rss_child(count: int) -> None:
    """Run in a fresh, small process: start generate | replay and print replay's peak RSS."""
    generator = subprocess.Popen(
        [*CLI, "generate", "-n", str(count), "--seed", "1", "--async-share", "0.1", "--bots"],
        stdout=subprocess.PIPE,
    )
    started = time.perf_counter()
    replayer = subprocess.Popen(
        [*CLI, "replay", "-", "-f", "jsonl", "-q", "-o", "attach-session-statistics=fired"],
        stdin=generator.stdout,
        stdout=subprocess.DEVNULL,
    )
    assert generator.stdout is not None
    generator.stdout.close()
    _, status, usage = os.wait4(replayer.pid, 0)
    generator.wait()
    if status:
        raise SystemExit(f"replay failed on {count} sessions")
    print(usage.ru_maxrss / 1024, time.perf_counter() - started)


def long_session() -> str:
    """One async session of 100,000 events: load, replay and render, as the CLI does; and the
    load and replay parts alone (under the batch's collection policy, as in the CLI)."""
    data = orjson.dumps(long_async_session(100_000))
    os.environ["CHATSTATS_ENGINE"] = "native"
    native = _replay_all([data])
    os.environ["CHATSTATS_ENGINE"] = "python"
    whole = _replay_all([data])
    os.environ.pop("CHATSTATS_ENGINE")
    with GarbageSchedule().paused():
        started = time.perf_counter()
        transcript = load_bytes(data, "long")
        loaded = time.perf_counter()
        replay_session(transcript, OPTIONS)
        done = time.perf_counter()
    return (
        f"one 100,000-event async session: native engine {native:.2f} s; Python engine "
        f"{whole:.2f} s (load {loaded - started:.2f} s, replay {done - loaded:.2f} s, the rest "
        "rendering)"
    )


def startup() -> str:
    """Median of 10 runs of ``chatstats --version``."""
    times = []
    for _ in range(10):
        started = time.perf_counter()
        subprocess.run([*CLI, "--version"], check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return f"chatstats --version: median {statistics.median(times) * 1000:.0f} ms over 10 runs"


def _best_of_three(words: list[str], engine: str) -> float:
    """The least wall time of three runs of a command (stdout discarded)."""
    environment = {**os.environ, "CHATSTATS_ENGINE": engine}
    times = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run(words, check=True, stdout=subprocess.DEVNULL, env=environment)
        times.append(time.perf_counter() - started)
    return min(times)


SWEEP_16 = [
    "--vary",
    "inactivity-control/timeout-alert=30,60,120,240",
    "--vary",
    "inactivity-control/timeout-close=15,30,45,60",
    "-o",
    "inactivity-control/enabled=true",
]


def engines(count: int, folder: Path) -> list[str]:
    """Whole processes over ``count`` files, one session each: replay by each engine and sweep,
    against a process that only parses the files."""
    lines = [f"engines, whole processes over {count:,} files of one session each (best of 3):"]
    for kind in ("json", "xml"):
        where = folder / kind
        _generate(where, count, 1, 0.1, "--to", kind)
        bare = _best_of_three(
            [sys.executable, str(Path(__file__).parent / "parse_only.py"), str(where)], "python"
        )
        replay = [
            *CLI,
            "replay",
            str(where),
            "-f",
            "jsonl",
            "-q",
            "-o",
            "attach-session-statistics=fired",
        ]
        parser = "orjson" if kind == "json" else "defusedxml"
        lines.append(f"  {kind.upper()}: parse only ({parser}) {bare:.2f} s")
        for engine in ("native", "python"):
            took = _best_of_three(replay, engine)
            lines.append(
                f"    replay, {engine} engine: {took:.2f} s = {took / bare:.2f}x parse only"
            )
        if kind == "json":
            sweep = [*CLI, "sweep", str(where), *SWEEP_16, "-f", "csv", "-q"]
            one = _best_of_three(replay, "native")
            took = _best_of_three(sweep, "native")
            lines.append(
                f"    sweep of 16 option sets: {took:.2f} s = {took / one:.2f}x one replay"
            )
    generated = folder / "declines.jsonl"
    _generate(generated, count, seed=2, async_share=0.3)
    for options in ([], ["-o", "inactivity-control/enabled=true", "-o", "timeout-alert=60"]):
        completed = subprocess.run(
            [*CLI, "replay", str(generated), "-f", "jsonl", "-v", *options],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        said = [line for line in completed.stderr.splitlines() if "native engine left" in line]
        label = " ".join(options[1::2]) or "default options"
        lines.append(
            f"  declines, {count:,} generated sessions, {label}: "
            + (said[0].split(": ", 1)[1] if said else "none")
        )
    return lines


def main() -> None:
    """Run every measurement and print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes only")
    parser.add_argument(
        "--only",
        default="speed,engines,floor,jobs,corpus,rss,long,startup",
        help="comma-separated parts to run",
    )
    parser.add_argument("--rss-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rss_child is not None:
        _rss_child(args.rss_child)
        return
    parts = set(args.only.split(","))
    speed_sizes = (1_000,) if args.quick else (10_000, 100_000)
    rss_sizes = (1_000, 10_000) if args.quick else (1_000, 100_000, 1_000_000)
    jobs_size = 2_000 if args.quick else 100_000
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.platform()}"
    )
    if "rss" in parts:  # first, while this process is still small
        for size in rss_sizes:
            rss, elapsed = peak_rss(size)
            print(
                f"peak RSS of replay over {size:,} streamed sessions: {rss:.1f} MiB "
                f"({elapsed:.1f} s)",
                flush=True,
            )
    if "jobs" in parts:
        with tempfile.TemporaryDirectory() as folder:
            print("\n".join(jobs_speedup(jobs_size, Path(folder))), flush=True)
    if "corpus" in parts:
        with tempfile.TemporaryDirectory() as folder:
            print(
                "\n".join(corpus_commands(2_000 if args.quick else 200_000, Path(folder))),
                flush=True,
            )
    if "engines" in parts:
        with tempfile.TemporaryDirectory() as folder:
            print("\n".join(engines(2_000 if args.quick else 20_000, Path(folder))), flush=True)
    if "speed" in parts:
        for size in speed_sizes:
            print("\n".join(speed(size)), flush=True)
    if "floor" in parts:
        print("\n".join(floor(speed_sizes[0])), flush=True)
    if "long" in parts:
        print(long_session())
    if "startup" in parts:
        print(startup())


if __name__ == "__main__":
    main()
