"""Determinism: byte-identical output across runs, hash seeds and input orders (subprocesses)."""

import os
import subprocess
import sys

import orjson

from tests.helpers import ROOT

FILES = sorted(
    str(p.relative_to(ROOT))
    for p in (ROOT / "samples").iterdir()
    if p.suffix in (".xml", ".json") and not p.name.endswith(".expected.json")
)
OPTIONS = [
    "-o",
    "attach-session-statistics=all",
    "-o",
    "attach-stats-rep-events=7",
    "-o",
    "attach-stats-rep-place=3",
    "-o",
    "inactivity-control/enabled=true",
]


def _run(files, seed="0", fmt="jsonl", jobs="1"):
    env = dict(os.environ, PYTHONHASHSEED=seed)
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "chatstats_cli",
            "replay",
            *files,
            "--format",
            fmt,
            *OPTIONS,
            "--jobs",
            jobs,
        ],
        capture_output=True,
        cwd=ROOT,
        env=env,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


def test_same_input_twice_gives_byte_identical_output():
    assert _run(FILES, fmt="json") == _run(FILES, fmt="json")


def test_hash_seed_does_not_change_the_output():
    assert _run(FILES, seed="1") == _run(FILES, seed="98765")


def test_input_order_does_not_change_any_session():
    forward = _run(FILES).splitlines()
    backward = _run(list(reversed(FILES))).splitlines()
    assert forward == list(reversed(backward))  # output order follows input order
    by_id = {orjson.loads(line)["session_id"]: line for line in forward}
    assert by_id == {orjson.loads(line)["session_id"]: line for line in backward}


def test_csv_and_kvp_are_deterministic_too():
    for fmt in ("csv", "kvp"):
        assert _run(FILES, seed="7", fmt=fmt) == _run(FILES, seed="8", fmt=fmt)


def test_jobs_do_not_change_the_output():
    """Many more sessions than one chunk, so several workers really share the work."""
    many = FILES * 12
    assert _run(many, jobs="1") == _run(many, jobs="2") == _run(many, jobs="3")
