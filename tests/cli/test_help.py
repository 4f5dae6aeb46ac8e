"""--help renders the way the docs show it with the Typer and click we pin: plain text, whole
sentences, parameters named by their metavar, examples that run."""

from __future__ import annotations

import re
import shlex

import pytest
from typer.testing import CliRunner

from chatstats_cli.app import app
from chatstats_cli.help import EXAMPLES, SUMMARIES
from chatstats_core import __version__
from tests.helpers import ROOT

COMMANDS = sorted(EXAMPLES)
RUNNER = CliRunner()


def _help(*args: str) -> str:
    result = RUNNER.invoke(app, [*args, "--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_every_command_of_the_app_has_a_summary_and_examples():
    """The tables in cli/help.py cover exactly the commands the app has."""
    top = _help()
    listed = re.findall(r"^  (\w+)\s{2,}", top.split("Commands:", 1)[1], flags=re.M)
    assert sorted(listed) == COMMANDS == sorted(SUMMARIES)


@pytest.mark.parametrize("command", COMMANDS)
def test_help_names_parameters_plainly_and_keeps_brackets(command):
    text = _help(command)
    assert text.startswith(f"Usage: chatstats {command} [OPTIONS]")
    assert not re.search(r"<[a-z][^>]*>", text), "a <type> label is shown"
    assert "{" not in text.split("\n", 1)[0]  # no {INPUT}... in the usage line
    assert "Value error" not in text
    assert "Examples:" in text and f"chatstats {command}" in text.split("Examples:", 1)[1]
    if "--options-file" in text:
        assert "([settings], [inactivity-control])" in " ".join(text.split())


@pytest.mark.parametrize("command", COMMANDS)
def test_the_description_is_rewrapped_not_broken_mid_sentence(command):
    """Docstring line breaks must not survive: every line of a paragraph but its last fills
    most of an 80-column terminal."""
    text = _help(command)
    description = text.split("\n\n", 2)[1]
    lines = description.splitlines()
    assert all(len(line) >= 55 for line in lines[:-1]), lines


def test_the_top_level_help_lists_each_command_on_one_uncut_line():
    top = _help()
    for command, summary in SUMMARIES.items():
        assert f"  {command}" in top and summary in top
    assert "..." not in top.split("Commands:", 1)[1]


def test_short_help_and_version_flags():
    assert RUNNER.invoke(app, ["replay", "-h"]).stdout.startswith("Usage: chatstats replay")
    for flag in ("-V", "--version"):
        result = RUNNER.invoke(app, [flag])
        assert result.exit_code == 0
        assert result.stdout in (
            f"chatstats {__version__} (engine: native)\n",
            f"chatstats {__version__} (engine: python)\n",
        )


def test_usage_errors_are_one_line_with_the_hint_on_it():
    """As every other error: `command: error: ...`, one line (click printed three)."""
    result = RUNNER.invoke(app, ["replay", "samples/01-answered-chat.json", "-f", "nope"])
    assert result.exit_code == 2
    assert result.stderr == (
        "chatstats replay: error: Invalid value for '--format' / '-f': 'nope' is not one of "
        "'table', 'json', 'jsonl', 'kvp', 'csv', 'infomart'; see 'chatstats replay -h'\n"
    )
    assert "Value error" not in result.stderr


def test_shell_completion_is_offered_and_completes_commands_and_choices():
    top = _help()
    assert "--install-completion" in top and "--show-completion" in top
    commands = RUNNER.invoke(
        app,
        [],
        env={
            "_CHATSTATS_COMPLETE": "complete_bash",
            "COMP_WORDS": "chatstats rep",
            "COMP_CWORD": "1",
        },
    )
    assert commands.stdout.split() == ["replay", "report"]
    formats = RUNNER.invoke(
        app,
        [],
        env={
            "_CHATSTATS_COMPLETE": "complete_bash",
            "COMP_WORDS": "chatstats replay --format ",
            "COMP_CWORD": "3",
        },
    )
    assert formats.stdout.split() == ["table", "json", "jsonl", "kvp", "csv", "infomart"]


def test_install_completion_writes_a_script_for_the_shell(tmp_path):
    result = RUNNER.invoke(
        app, ["--install-completion", "bash"], env={"HOME": str(tmp_path), "SHELL": "/bin/bash"}
    )
    assert result.exit_code == 0, (result.output, repr(result.exception))
    script = tmp_path / ".bash_completions" / "chatstats.sh"
    assert "_CHATSTATS_COMPLETE=complete_bash" in script.read_text()
    assert str(script) in (tmp_path / ".bashrc").read_text()


@pytest.fixture
def example_folder(tmp_path, monkeypatch):
    """A scratch folder with samples/ linked and the files the examples name."""
    (tmp_path / "samples").symlink_to(ROOT / "samples")
    monkeypatch.chdir(tmp_path)
    assert (
        RUNNER.invoke(
            app, ["generate", "-n", "30", "--seed", "1", "--out", "sessions.jsonl"]
        ).exit_code
        == 0
    )
    for name, extra in (
        ("old.jsonl", []),
        ("new.jsonl", ["-o", "timeout-alert=20", "-o", "inactivity-control/enabled=true"]),
    ):
        run = RUNNER.invoke(app, ["replay", "sessions.jsonl", "-f", "jsonl", *extra])
        (tmp_path / name).write_text(run.stdout)
    return tmp_path


@pytest.mark.parametrize("command", COMMANDS)
def test_every_example_in_the_help_runs(command, example_folder):
    """Each example exits 0, or 1 where the command says 1 means 'something differs'."""
    for line in EXAMPLES[command]:
        words, _, redirect = line.partition(" > ")
        expanded: list[str] = []
        for arg in shlex.split(words)[1:]:  # the shell's glob expansion
            matches = sorted(example_folder.glob(arg)) if "*" in arg else []
            expanded += [str(p.relative_to(example_folder)) for p in matches] or [arg]
        if command == "generate":  # the fixture made sessions.jsonl already
            expanded += ["--force"]
        result = RUNNER.invoke(app, expanded)
        allowed = (0, 1) if command in ("diff", "fit", "validate") else (0,)
        assert result.exit_code in allowed, (line, result.output)
        if redirect:
            (example_folder / redirect).write_text(result.stdout)
