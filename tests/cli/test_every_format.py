"""Every value a command's --format (and convert's --to) accepts renders: the choices are read
from the command itself, so a member added to a format enum without its case in the command
fails here (pip-audit tests its formats this way)."""

from __future__ import annotations

import enum

import pytest
import typer
from typer.testing import CliRunner

from chatstats_cli.app import app
from tests.helpers import SAMPLES

ANSWERED = str(SAMPLES / "01-answered-chat.json")
VISITED = str(SAMPLES / "03-agent-left-then-customer-left.json")

#: Each command with arguments that give it something to show; the format is appended.
COMMANDS = {
    "replay": ["replay", ANSWERED, "-o", "attach-session-statistics=all"],
    "options": ["options"],
    "diff": ["diff", ANSWERED, VISITED, "-a", "stop-abandoned-interaction=never", "--all"],
    "explain": ["explain", ANSWERED, "cse_CustomerWaitTotalTime"],
    "timeline": ["timeline", ANSWERED],
    "sweep": ["sweep", ANSWERED, VISITED, "--vary", "stop-abandoned-interaction=never,noagents"],
    "fit": ["fit", ANSWERED, "--expected", str(SAMPLES / "01-answered-chat.expected.json")],
    "validate": ["validate", str(SAMPLES / "10-still-open.json")],  # warned: a line to show
    "report": ["report", ANSWERED, VISITED],
    "convert": ["convert", ANSWERED],
    "generate": ["generate", "--count", "2", "--seed", "7"],  # written into a folder
}
#: The option that picks the output of each command, where it is not --format.
FORMAT_OPTION = {"convert": "to", "generate": "to"}


def _choices(command: str) -> list[str]:
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    name = FORMAT_OPTION.get(command, "output_format")
    (param,) = [p for p in group.commands[command].params if p.name == name]
    choice = param.type_descriptor.annotation  # type: ignore[attr-defined]
    assert issubclass(choice, enum.Enum), f"{command} --format is not typed with an enum"
    return [member.value for member in choice]


CASES = [(command, choice) for command in COMMANDS for choice in _choices(command)]


def test_every_command_with_an_output_choice_is_covered():
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    with_format = {
        name
        for name, command in group.commands.items()
        if any(p.name in ("output_format", "to") for p in command.params)
    }
    assert with_format == set(COMMANDS)


@pytest.mark.parametrize(("command", "choice"), CASES, ids=[f"{c}-{f}" for c, f in CASES])
def test_every_format_a_command_accepts_renders(command, choice, tmp_path):
    option = "--to" if command in FORMAT_OPTION else "--format"
    into = ["--out", str(tmp_path / "out")] if command == "generate" else []
    result = CliRunner().invoke(app, [*COMMANDS[command], option, choice, *into])
    assert result.exit_code in (0, 1), result.output  # 1: diff found, fit without exact fit
    if into:
        written = sorted(path.suffix for path in (tmp_path / "out").iterdir())
        assert written == [f".{choice}"] * 2
    else:
        assert result.stdout.strip(), f"{command} {option} {choice} printed nothing"
