"""Files the native core reads itself (``expand(..., deferred=True)``): a JSON Lines file
(``JsonLinesFile``) whatever its lines hold (blank lines, warnings, a line over the size limit,
lines the core declines, lines that are no transcript), and a folder's files (``UnreadFile``)
whatever they are (over the limit, saved output, a FIFO, gzip, XML, a name that is not UTF-8):
the output, the errors and warnings, and the exit code are those of the Python engine reading
them in Python, whatever --jobs and the format."""

from __future__ import annotations

import gzip
import os

import orjson
import pytest
from typer.testing import CliRunner

from chatstats_cli.app import app
from chatstats_core.corpus import native
from tests.helpers import SAMPLES

pytestmark = pytest.mark.skipif(native._built() is None, reason="the native core is not built")

MIB = 1024 * 1024


def _session(name: str, session_id: str) -> bytes:
    document = orjson.loads((SAMPLES / name).read_bytes())
    document["session_id"] = session_id
    return orjson.dumps(document)


def _unknown_party(session_id: str) -> bytes:
    """A session whose party speaks without joining: a warning about that event."""
    document = orjson.loads(_session("01-answered-chat.json", session_id))
    document["events"].insert(2, {"t": 5, "type": "message", "party": "ghost", "text": "boo"})
    return orjson.dumps(document)


def _corpus(tmp_path) -> str:
    lines = [
        _session("01-answered-chat.json", "first"),
        b"   ",
        _unknown_party("warned"),
        b'{"padding": "' + b"x" * (MIB + 10) + b'"}',  # over --max-size 1
        _session("03-agent-left-then-customer-left.json", "after-the-long-line"),
        # a repeated key: the Python loader keeps the last, the native core declines the line
        _session("01-answered-chat.json", "declined")[:-1] + b',"session_id":"repeated"}',
        b'{"format": "chatstats-transcript/1", "events": [}',  # not JSON
        _session("05-conference-coach-monitor-rejoin.json", "last"),
    ]
    path = tmp_path / "corpus.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    return str(path)


def _replay(engine: str, path: str, *args: str):
    return CliRunner().invoke(
        app,
        ["--engine", engine, "replay", path, "-q", "--max-size", "1", *args],
        env={"COLUMNS": "80"},
    )


@pytest.mark.parametrize("output", ["jsonl", "json", "kvp", "csv", "infomart"])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_json_lines_file_read_natively_is_what_the_python_engine_reads(tmp_path, output, jobs):
    path = _corpus(tmp_path)
    options = ["-f", output, "-j", jobs, "-o", "attach-session-statistics=all"]
    python = _replay("python", path, *options)
    streamed = _replay("native", path, *options)
    assert (streamed.exit_code, streamed.stdout, streamed.stderr) == (
        python.exit_code,
        python.stdout,
        python.stderr,
    )
    assert python.exit_code == 2  # two lines failed
    assert "corpus.jsonl:4: error: transcript too large" in python.stderr
    assert "corpus.jsonl:7:49: error: not valid JSON" in python.stderr
    assert "corpus.jsonl:3" in python.stderr and "ghost" in python.stderr  # the warning


def test_every_session_of_the_file_is_output_in_order(tmp_path):
    streamed = _replay("native", _corpus(tmp_path), "-f", "jsonl")
    ids = [orjson.loads(line)["session_id"] for line in streamed.stdout.splitlines()]
    assert ids == ["first", "warned", "after-the-long-line", "repeated", "last"]
    sources = [
        orjson.loads(line)["source"].rsplit(":", 1)[1] for line in streamed.stdout.splitlines()
    ]
    assert sources == ["1", "3", "5", "6", "8"]


def test_the_compact_table_draws_a_row_for_each_session_of_a_run(tmp_path):
    path = _corpus(tmp_path)
    python = _replay("python", path, "-f", "table")
    streamed = _replay("native", path, "-f", "table")
    assert streamed.stdout == python.stdout
    assert (
        sum(line.startswith(("first ", "warned ", "last ")) for line in streamed.stdout.split("\n"))
        == 3
    )


def test_the_native_core_reads_the_file_itself_and_answers_runs(tmp_path):
    """The file reaches the core unread, and comes back as runs of sessions around what it
    left to Python: the over-long line (read here) and the two lines it declined."""
    from chatstats_core.corpus.batch import Outcome, run
    from chatstats_core.corpus.inputs import JsonLinesFile, expand
    from chatstats_core.corpus.native import Engine, NativeRun
    from chatstats_core.engine.options import Options
    from chatstats_core.render import OutputFormat
    from chatstats_core.transcript.limits import Limits
    from chatstats_core.workflows.replay import ReplayTask

    path = _corpus(tmp_path)
    limits = Limits(max_bytes=MIB)
    (item,) = expand([path], None, limits, deferred=True)
    assert isinstance(item, JsonLinesFile)
    task = ReplayTask(Options(), OutputFormat.JSONL, limits)
    found = list(run([item], task, engine=Engine.NATIVE))
    kinds = [
        f"run of {o.sessions}" if isinstance(o, NativeRun) else o.declined or "python"
        for o in found
    ]
    declined = "not a plainly valid transcript"
    assert kinds == ["run of 2", "python", "run of 1", declined, declined, "run of 1"]
    assert all(isinstance(o, NativeRun | Outcome) for o in found)


def _folder(tmp_path) -> str:
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "a-answered.json").write_bytes(_session("01-answered-chat.json", "a"))
    (folder / "b-warned.json").write_bytes(_unknown_party("b"))
    (folder / "c-too-large.json").write_bytes(b'{"padding": "' + b"x" * (MIB + 10) + b'"}')
    saved = _replay("python", str(folder / "a-answered.json"), "-f", "json").stdout
    (folder / "d-saved-output.json").write_text(saved, encoding="utf-8")
    os.mkfifo(folder / "e-fifo.json")
    (folder / "f-compressed.json.gz").write_bytes(
        gzip.compress(_session("03-agent-left-then-customer-left.json", "f"))
    )
    (folder / "g-abandoned.xml").write_bytes(
        (SAMPLES / "02-abandoned-before-agent.xml").read_bytes()
    )
    (folder / "h-notes.txt").write_text("not a transcript", encoding="utf-8")
    (folder / "i-declined.json").write_bytes(
        _session("01-answered-chat.json", "declined")[:-1] + b',"session_id":"repeated"}'
    )
    (folder / "j-broken.json").write_bytes(b'{"format": "chatstats-transcript/1", "events": [}')
    os.makedirs(folder / "k")
    (folder / "k" / os.fsdecode(b"l-\xff.json")).write_bytes(_session("01-answered-chat.json", "l"))
    return str(folder)


@pytest.mark.parametrize("output", ["jsonl", "kvp", "csv"])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_folder_read_natively_is_what_the_python_engine_reads(tmp_path, output, jobs):
    folder = _folder(tmp_path)
    options = ["-f", output, "-j", jobs, "-v", "-o", "attach-session-statistics=all"]
    python = _replay("python", folder, *options)
    native_run = _replay("native", folder, *options)
    assert native_run.exit_code == python.exit_code == 2  # the file over the limit, the broken one
    assert native_run.stdout == python.stdout
    note = "note: the native engine left"  # --verbose counts what the core left to Python
    assert [line for line in native_run.stderr.splitlines() if not line.startswith(note)] == (
        python.stderr.splitlines()
    )
    assert "c-too-large.json: error: transcript too large" in python.stderr
    assert "d-saved-output.json: skipped: saved chatstats output" in python.stderr
    assert "e-fifo.json: skipped: not a regular file" in python.stderr
    assert "h-notes.txt: skipped" in python.stderr
    if output == "jsonl":
        ids = [orjson.loads(line)["session_id"] for line in native_run.stdout.splitlines()]
        assert ids == ["a", "b", "f", "abandoned-before-agent", "repeated", "l"]
