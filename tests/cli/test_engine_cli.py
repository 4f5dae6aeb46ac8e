"""Choosing the engine: --engine and CHATSTATS_ENGINE, --version naming it, a clean error for
a value that is not an engine or a native engine that is not built, and the same output
either way."""

from __future__ import annotations

import os

import pytest
from typer.testing import CliRunner

from chatstats_cli.app import app
from chatstats_core import __version__
from chatstats_core.corpus import native
from tests.helpers import REAL, SAMPLES

BUILT = native._built() is not None


def invoke(*args: str, engine: str | None = None):
    env = {"CHATSTATS_ENGINE": engine} if engine is not None else {}
    return CliRunner().invoke(app, list(args), env=env)


def test_the_engine_option_chooses_for_the_invocation_and_leaves_the_environment_alone():
    """--engine is a value the command line hands to the batch runner (and its workers), not
    an environment variable written for the rest of the process."""
    before = os.environ.get("CHATSTATS_ENGINE")
    result = invoke("--engine", "python", "replay", str(SAMPLES / "01-answered-chat.json"))
    assert result.exit_code == 0, result.output
    assert os.environ.get("CHATSTATS_ENGINE") == before


def test_version_names_the_engine_that_was_asked_for():
    result = invoke("--engine", "python", "--version")
    assert (result.exit_code, result.stdout) == (0, f"chatstats {__version__} (engine: python)\n")


def test_an_unknown_engine_in_the_environment_is_one_clean_error():
    result = invoke("--version", engine="turbo")
    assert result.exit_code == 2
    assert result.stderr == (
        "chatstats: error: unknown engine 'turbo' in CHATSTATS_ENGINE "
        "(expected one of auto, native, python)\n"
    )


def test_asking_for_a_native_engine_that_is_not_built_is_one_clean_error(monkeypatch):
    monkeypatch.setattr(native, "_built", lambda: None)
    result = invoke("replay", str(SAMPLES / "01-answered-chat.json"), engine="native")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "chatstats: error: the native engine is not built in this installation"
    )


@pytest.mark.skipif(not BUILT, reason="the native core is not built here")
@pytest.mark.parametrize("output", ["json", "jsonl"])
def test_both_engines_print_the_same_bytes_for_the_samples_and_the_real_transcripts(output):
    args = (
        "replay",
        str(SAMPLES),
        str(REAL),
        "-q",
        "-f",
        output,
        "-o",
        "attach-session-statistics=all",
    )
    native_run, python_run = invoke(*args, engine="native"), invoke(*args, engine="python")
    assert native_run.exit_code == python_run.exit_code
    assert native_run.stdout == python_run.stdout
    assert native_run.stderr == python_run.stderr


@pytest.mark.skipif(not BUILT, reason="the native core is not built here")
def test_verbose_counts_the_sessions_the_native_engine_left_to_python(tmp_path):
    """A warning that would quote a non-ASCII party id is left to the Python engine."""
    stranger = tmp_path / "stranger.json"
    stranger.write_text(
        '{"format": "chatstats-transcript/1", "started_at": "2026-01-05T10:00:00Z", "events": ['
        '{"t": 0, "type": "join", "party": "c1", "role": "client"},'
        '{"t": 5, "type": "message", "party": "gh\u00f6st", "text": "hi"},'
        '{"t": 9, "type": "leave", "party": "c1"}]}',
        encoding="utf-8",
    )
    result = invoke("replay", str(stranger), "-f", "jsonl", "-v", engine="native")
    assert result.exit_code == 0
    assert (
        "note: the native engine left 1 session to the Python engine: "
        "1 a party id Python would escape (a warning)\n"
    ) in result.stderr
