"""Trust round 3 and hostile input round 3: nothing the user owns is replaced, and outputs stay
where they are sent. Every file a command writes (`report --html`, `convert`/`redact --out`,
`generate --out`) goes through one path (chatstats_core.corpus.files): refused over an input
(whatever its spelling, a symbolic or a hard link), over a symbolic link or anything but a
regular file, over an existing file without --force; created exclusively; named after input
only through a safe file-name stem.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chatstats_cli.app import app
from chatstats_core.corpus.files import (
    MAX_NAME_STEM,
    OutputFolder,
    open_atomically,
    safe_file_stem,
)
from chatstats_core.corpus.inputs import input_files
from chatstats_core.errors import WriteError
from tests.helpers import SAMPLES, document, join, leave

ANSWERED = SAMPLES / "01-answered-chat.json"


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "sessions.jsonl"
    path.write_bytes(ANSWERED.read_bytes().replace(b"\n", b"") + b"\n")
    return path


def test_report_html_over_its_own_corpus_is_refused_and_the_corpus_kept(corpus):
    before = corpus.read_bytes()
    result = invoke("report", str(corpus), "--html", str(corpus), "-f", "json", "-q")
    assert result.exit_code == 2
    assert "would replace one of the inputs" in result.stderr
    assert corpus.read_bytes() == before


@pytest.mark.parametrize("spelling", ["dotted", "symlink", "hardlink"])
def test_report_html_over_an_input_by_another_name_is_refused(corpus, spelling):
    if spelling == "dotted":
        target = corpus.parent / "." / ".." / corpus.parent.name / corpus.name
    elif spelling == "symlink":
        target = corpus.parent / "link.html"
        target.symlink_to(corpus)
    else:
        target = corpus.parent / "hard.html"
        os.link(corpus, target)
    before = corpus.read_bytes()
    result = invoke("report", str(corpus), "--html", str(target), "--force", "-f", "json", "-q")
    assert result.exit_code == 2, result.output
    assert corpus.read_bytes() == before


def test_report_html_over_an_existing_file_needs_force(corpus, tmp_path):
    page = tmp_path / "mine.html"
    page.write_text("my notes")
    refused = invoke("report", str(corpus), "--html", str(page), "-f", "json", "-q")
    assert refused.exit_code == 2
    assert "--force overwrites it" in refused.stderr
    assert refused.stdout == ""  # refused before the corpus was read
    assert page.read_text() == "my notes"
    forced = invoke("report", str(corpus), "--html", str(page), "--force", "-f", "json", "-q")
    assert forced.exit_code == 0, forced.output
    assert page.read_text().startswith("<!DOCTYPE html>")


def test_report_html_through_a_symlink_or_into_a_fifo_is_refused(corpus, tmp_path):
    elsewhere = tmp_path / "elsewhere.html"
    elsewhere.write_text("keep")
    link = tmp_path / "link.html"
    link.symlink_to(elsewhere)
    fifo = tmp_path / "pipe.html"
    os.mkfifo(fifo)
    for target, words in ((link, "symbolic link"), (fifo, "not a regular file")):
        result = invoke("report", str(corpus), "--html", str(target), "--force", "-f", "json")
        assert result.exit_code == 2
        assert words in result.stderr
    assert elsewhere.read_text() == "keep"
    assert link.is_symlink()


def test_the_input_check_expands_names_as_reading_does(tmp_path, monkeypatch):
    """`a[1].json` exists: it is a file, not a pattern, for the input check as for reading (the
    check used to glob it, match nothing, and let `convert --force` replace the input)."""
    monkeypatch.chdir(tmp_path)
    shutil.copy(ANSWERED, tmp_path / "a[1].json")
    assert input_files(["a[1].json"]).holds(tmp_path / "a[1].json")
    before = (tmp_path / "a[1].json").read_bytes()
    result = invoke("convert", "a[1].json", "--to", "json", "--out", ".", "--force")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "a[1].json").read_bytes() == before


def test_convert_over_its_own_input_is_refused_even_with_force(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(ANSWERED, tmp_path / "answered.json")
    before = (tmp_path / "answered.json").read_bytes()
    result = invoke("convert", "answered.json", "--to", "json", "--out", ".", "--force")
    assert result.exit_code == 2
    assert "would replace one of the inputs" in result.stderr
    assert (tmp_path / "answered.json").read_bytes() == before


@pytest.mark.parametrize(
    "session_id",
    ["../escaped", "/tmp/chatstats-absolute", "x" * 300, "nul\x00byte", ".hidden", "-dash"],
    ids=["dotdot", "absolute", "too-long", "nul", "dot", "dash"],
)
def test_convert_names_outputs_after_session_ids_only_inside_out(tmp_path, session_id):
    line = json.dumps(document(join(0, "c1", "client"), leave(5, "c1"), session_id=session_id))
    corpus = tmp_path / "in.jsonl"
    corpus.write_text(line + "\n")
    out = tmp_path / "out"
    result = invoke("convert", str(corpus), "--to", "json", "--out", str(out))
    assert result.exit_code == 0, result.output
    (written,) = out.iterdir()
    assert written.parent == out and written.name.endswith(".json")
    assert len(written.name) <= MAX_NAME_STEM + 16
    assert "note: written as" in result.stderr
    assert not (tmp_path / "escaped.json").exists()
    assert not Path("/tmp/chatstats-absolute.json").exists()


def test_safe_stems_of_different_ids_never_collide():
    assert safe_file_stem("S-17") == "S-17"
    assert safe_file_stem("a/b") != safe_file_stem("a_b")
    assert "/" not in safe_file_stem("../../etc/passwd")
    assert safe_file_stem("x" * 300).startswith("x" * MAX_NAME_STEM + "-")


def test_a_second_run_into_the_same_folder_does_not_overwrite_the_first(tmp_path):
    first = OutputFolder(tmp_path)
    first.write("S1", "json", b"first")
    second = OutputFolder(tmp_path)
    with pytest.raises(WriteError, match="exists"):
        second.write("S1", "json", b"second")
    assert (tmp_path / "S1.json").read_bytes() == b"first"


def test_a_name_taken_while_writing_is_not_overwritten(tmp_path):
    """The exists check passes, then another writer takes the name before the move: the move
    is exclusive, so the other writer's file stays and this write fails cleanly."""
    target = tmp_path / "S1.json"
    with pytest.raises(WriteError, match="exists"), open_atomically(target) as stream:
        stream.write(b"mine")
        target.write_bytes(b"theirs")
    assert target.read_bytes() == b"theirs"
    assert [p.name for p in tmp_path.iterdir()] == ["S1.json"]  # no temporary left
