"""Profile the hot path with pyinstrument: where the time of a replay goes.

    pip install -e '.[bench]'
    python bench/profile.py                  # 3,000 typical sessions (JSON), as `replay` runs them
    python bench/profile.py --xml            # the same sessions as Genesys XML
    python bench/profile.py --long           # one 100,000-event async session

It replays through the batch runner the CLI uses (load, replay, render JSON Lines) and prints
pyinstrument's call tree. Not a test, and not a timing: profilers slow what they watch, so read
the shares, and take timings from bench/run.py.
"""

from __future__ import annotations

import argparse

import orjson
from pyinstrument import Profiler

from chatstats_core import build_options
from chatstats_core.corpus.batch import run
from chatstats_core.corpus.generate import generate, long_async_session
from chatstats_core.corpus.inputs import RawItem
from chatstats_core.render import OutputFormat
from chatstats_core.transcript.loading import transcript_from_document
from chatstats_core.transcript.writers import transcript_to_xml
from chatstats_core.workflows.replay import ReplayTask

JOB = ReplayTask(build_options(["attach-session-statistics=fired"]), OutputFormat.JSONL)


def _inputs(long: bool, xml: bool, count: int) -> list[bytes]:
    if long:
        return [orjson.dumps(long_async_session(100_000))]
    documents = generate(count, seed=1, async_share=0.1, bots=True)
    if xml:
        return [
            transcript_to_xml(transcript_from_document(d, "p", "p")).encode() for d in documents
        ]
    return [orjson.dumps(d) for d in documents]


def main() -> None:
    """Profile one run and print the call tree."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--long", action="store_true", help="one 100,000-event async session")
    parser.add_argument("--xml", action="store_true", help="Genesys XML instead of JSON")
    parser.add_argument("--count", type=int, default=3000, help="typical sessions to replay")
    args = parser.parse_args()
    items = [
        RawItem(f"s{i}", data, f"s{i}")
        for i, data in enumerate(_inputs(args.long, args.xml, args.count))
    ]
    profiler = Profiler(interval=0.0002)
    profiler.start()
    for outcome in run(items, JOB):
        assert outcome.error is None, outcome.error
    profiler.stop()
    print(profiler.output_text(unicode=True, color=False))


if __name__ == "__main__":
    main()
