"""Docs that cannot drift: rules, options, commands and README examples match the code."""

import re
import shlex

import pytest
from typer.testing import CliRunner

from chatstats_cli.app import app
from chatstats_core import OPTION_SPECS, RULES
from tests.helpers import ROOT

SEMANTICS = (ROOT / "docs" / "semantics.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")
CLI_DOC = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("key", sorted(RULES))
def test_semantics_quotes_every_rule_verbatim(key):
    assert f"`{key}`" in SEMANTICS
    assert RULES[key] in SEMANTICS


@pytest.mark.parametrize("spec", OPTION_SPECS, ids=lambda s: s.key)
def test_semantics_lists_every_option_with_its_meaning(spec):
    assert f"`{spec.key}`" in SEMANTICS
    assert spec.meaning in SEMANTICS


@pytest.mark.parametrize(
    "command",
    [
        "replay",
        "options",
        "diff",
        "fit",
        "sweep",
        "explain",
        "timeline",
        "validate",
        "convert",
        "redact",
        "generate",
        "report",
    ],
)
def test_every_command_has_help_and_is_documented(command):
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert f"chatstats {command}" in CLI_DOC
    assert f"chatstats {command}" in README


def test_readme_quickstart_has_exactly_two_setup_commands():
    quickstart = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)\n```", quickstart, flags=re.S)
    assert len(commands) == 2
    assert commands[1].endswith("pytest")


def _readme_examples():
    for block in re.findall(r"```sh\n(.*?)\n```", README, flags=re.S):
        commands = [line.strip() for line in block.splitlines()]
        if all(c.startswith("chatstats ") and "../shared" not in c for c in commands):
            yield commands


def test_no_readme_command_is_broken_over_two_lines():
    """A block is all chatstats commands (run below) or none: a command wrapped onto a second
    line would otherwise drop its block from the examples that run."""
    for block in re.findall(r"```sh\n(.*?)\n```", README, flags=re.S):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        starts = {line.startswith(("chatstats ", "python", "pip ", "cd ", "#")) for line in lines}
        assert starts == {True}, block


@pytest.mark.parametrize("commands", list(_readme_examples()), ids=lambda c: c[0][:60])
def test_readme_examples_run(commands, monkeypatch, tmp_path):
    """Each example, in a scratch folder that links samples/, so outputs land there."""
    (tmp_path / "samples").symlink_to(ROOT / "samples")
    monkeypatch.chdir(tmp_path)
    for command in commands:
        words, _, redirect = command.partition(" > ")
        words = shlex.split(words.replace("--out redacted/", f"--out {tmp_path}/redacted"))[1:]
        expanded = []
        for word in words:
            expanded.extend(
                sorted(str(p.relative_to(tmp_path)) for p in tmp_path.glob(word))
                if "*" in word
                else [word]
            )
        result = CliRunner().invoke(app, expanded)
        # as the README's exit-code table says: diff, fit and validate answer 0 or 1 (what they
        # found), 2 is trouble; every other command succeeds with 0
        allowed = (0, 1) if words[0] in ("diff", "fit", "validate") else (0,)
        assert result.exit_code in allowed, result.stderr
        if redirect:
            (tmp_path / redirect.strip()).write_text(result.stdout)


def _readme_outputs():
    """(command, shown output) for each one-command example followed by its output block."""
    pattern = r"```sh\n(chatstats [^\n]*)\n```\n\n```\n(.*?)```"
    return re.findall(pattern, README, flags=re.S)


@pytest.mark.parametrize("command,shown", _readme_outputs(), ids=lambda c: c[:60])
def test_readme_shows_the_commands_real_output_and_marks_each_cut(command, shown, monkeypatch):
    """Every line shown is the command's own, in order, at 90 columns; lines left out are
    marked by a ``...`` line (a shown block may not skip output silently)."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", "90")
    result = CliRunner().invoke(app, shlex.split(command)[1:])
    real = [line.rstrip() for line in (result.stdout + result.stderr).splitlines()]
    position = 0
    for line in shown.rstrip("\n").split("\n"):
        if line == "...":
            continue
        assert line in real[position:], f"not in the output (after line {position}): {line!r}"
        found = real.index(line, position)
        assert found == position or shown.split(line)[0].rstrip("\n").endswith("..."), (
            f"{found - position} lines left out before {line!r} without a '...'"
        )
        position = found + 1


@pytest.mark.parametrize("key", sorted(k for k in RULES if not k.startswith("classification.")))
def test_semantics_states_the_code_s_info_mart_mapping(key):
    from chatstats_core.engine.rules import INFOMART_COLUMNS

    section = SEMANTICS.split(f"### `{key}`", 1)[1].split("\n### ", 1)[0]
    if key in INFOMART_COLUMNS:
        assert f"Info Mart: {INFOMART_COLUMNS[key]}." in section
    else:
        assert "Info Mart: not mapped." in section or "Info Mart: bot reports." in section


def _app_commands():
    """The commands of the app, as click builds them from the Typer app."""
    import typer

    return typer.main.get_command(app).commands


def _doc_sections() -> dict[str, str]:
    return {
        m.group(1): m.group(0)
        for m in re.finditer(
            r"^## `chatstats (\w+)[^\n]*\n.*?(?=^## |\Z)", CLI_DOC, flags=re.S | re.M
        )
    }


def _common_table() -> dict[str, set[str]]:
    """docs/cli.md's shared-options table: each option's long name -> the commands it lists."""
    section = CLI_DOC.split("## Options many commands share", 1)[1].split("\n## ", 1)[0]
    found = {}
    for row in re.findall(r"^\| (`.*?) \| (.*?) \|", section, flags=re.M):
        names = re.findall(r"--[a-z][a-z-]*", row[0])
        found[names[0]] = set(re.findall(r"\b[a-z]+\b", row[1].split("(")[0]))
    return found


def test_docs_cli_has_a_section_for_exactly_the_commands_of_the_app():
    assert set(_doc_sections()) == set(_app_commands())


@pytest.mark.parametrize("command", sorted(_app_commands()))
def test_docs_cli_names_every_option_of_every_command(command):
    """Each option of the command (from the app, not a list here) is in its section or in the
    shared-options table under this command; every option of the synopsis exists."""
    params = _app_commands()[command].params
    options = {o for p in params for o in getattr(p, "opts", []) if o.startswith("--")}
    options.discard("--help")
    section = _doc_sections()[command]
    common = _common_table()
    for option in sorted(options):
        in_section = re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", section)
        shared = command in common.get(option, set())
        assert in_section or shared, f"{command} {option} is not in docs/cli.md"
    synopsis = section.split("\n", 1)[0]
    assert set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", synopsis)) <= options, synopsis


def test_the_shared_options_table_lists_only_commands_that_take_the_option():
    commands = _app_commands()
    for option, names in _common_table().items():
        for name in names:
            opts = {o for p in commands[name].params for o in getattr(p, "opts", [])}
            assert option in opts, f"docs/cli.md says {name} takes {option}"
