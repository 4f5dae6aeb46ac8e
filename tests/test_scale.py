"""docs/scale.md's Dask script, saved and run on a local two-process cluster: its parts, in
order, are the CLI's JSON Lines output byte for byte; and the partitions it maps over."""

import io
import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from chatstats_cli.app import app
from chatstats_core import build_options
from chatstats_core.corpus.native import Engine
from chatstats_core.workflows.scale import (
    Partition,
    _cuts,
    jsonl_partitions,
    jsonl_text,
    replay_line,
    replay_partitions,
)
from tests.helpers import ROOT

OPTIONS = ["-o", "attach-session-statistics=fired", "-o", "stop-abandoned-interaction=noanswer"]


def _corpus(count: int, seed: int) -> str:
    return CliRunner().invoke(app, ["generate", "-n", str(count), "--seed", str(seed)]).stdout


def _cli_lines(path: str) -> str:
    return (
        CliRunner()
        .invoke(app, ["replay", path, "-f", "jsonl", "-q", "--keep-going", *OPTIONS])
        .stdout
    )


def test_partitions_end_at_line_ends_and_know_their_first_line():
    """Lines of 4, 2, 6 and 3 bytes (0-3, 4-5, 6-11, 12-14) cut at blocksize 5: the first
    partition must reach byte 4 (its 5th), which ends line 2 at byte 5 -> [0, 6); the next
    from 6 must reach byte 10, in line 3 -> [6, 12); the rest -> [12, 15)."""
    stream = io.BytesIO(b"abc\nd\nefghi\njk\n")
    assert list(_cuts(stream, 5)) == [(0, 6, 1), (6, 12, 3), (12, 15, 4)]
    assert list(_cuts(io.BytesIO(b"abc"), 5)) == [(0, 3, 1)]  # no line end at the end
    assert list(_cuts(io.BytesIO(b""), 5)) == []


def test_partitions_of_any_size_give_the_clis_output_in_order(tmp_path):
    """Cut small or not at all, the partitions' lines, in order, are `replay -f jsonl`'s
    stdout, each session named FILE:LINE; a bad line is an error in its place."""
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(_corpus(30, 3) + "\n" + '{"nope": 1}\n' + _corpus(5, 4))
    expected = _cli_lines(str(corpus))
    options = build_options([OPTIONS[1], OPTIONS[3]])
    for blocksize in (1, 5000, 10**9):
        for engine in (Engine.AUTO, Engine.PYTHON):
            partitions = jsonl_partitions(str(corpus), blocksize)
            replayed = replay_partitions(partitions, options, engine)
            assert "".join(r.text + "\n" for r in replayed if r.text is not None) == expected
            (bad,) = [r for r in replayed if r.error is not None]
            assert bad.source == f"{corpus}:32" and "unknown key 'nope'" in bad.error
    partitions = jsonl_partitions(str(corpus), 1)
    assert len(partitions) == 35 + 2  # one per line, blank ones too
    # the partition of the bad line alone, as to_textfiles is given it: nothing, not a line end
    assert jsonl_text(replay_partitions([partitions[31]], options)) == [""]


def test_the_docs_script_runs_as_written_and_its_parts_are_the_clis_output(tmp_path):
    """docs/scale.md's example, saved to a file and run with python in the corpus's folder on
    a two-worker LocalCluster: out/part-*.jsonl in part order is the CLI's output."""
    pytest.importorskip("dask.distributed")
    text = (ROOT / "docs" / "scale.md").read_text()
    (script,) = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    (tmp_path / "replay_corpus.py").write_text(script)
    (tmp_path / "corpus.jsonl").write_text(_corpus(60, 2))
    completed = subprocess.run(
        [sys.executable, "replay_corpus.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert re.search(r"^replayed: 60 failed: 0$", completed.stdout, flags=re.M)
    parts = sorted((tmp_path / "out").glob("part-*.jsonl"), key=lambda p: int(p.stem.split("-")[1]))
    written = "".join(p.read_text() for p in parts)
    assert written == _cli_lines_in(tmp_path, "corpus.jsonl")


def _cli_lines_in(folder, name: str) -> str:
    """The CLI's output for the corpus named as the script names it (relative, in its folder)."""
    completed = subprocess.run(
        [sys.executable, "-m", "chatstats_cli", "replay", name, "-f", "jsonl", "-q", *OPTIONS],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return completed.stdout


def test_replay_line_takes_str_or_bytes():
    line = _corpus(1, 1)
    assert (
        replay_line(line, build_options([]))["kvps"]
        == replay_line(line.encode(), build_options([]))["kvps"]
    )


def test_a_partition_is_a_small_picklable_value():
    import pickle

    partition = Partition("corpus.jsonl", 0, 10, 1)
    assert pickle.loads(pickle.dumps(partition)) == partition
