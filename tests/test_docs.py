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


@pytest.mark.parametrize("key", sorted(k for k in RULES if not k.startswith("classification.")))
def test_semantics_states_the_code_s_info_mart_mapping(key):
    from chatstats_core.engine.rules import INFOMART_COLUMNS

    section = SEMANTICS.split(f"### `{key}`", 1)[1].split("\n### ", 1)[0]
    if key in INFOMART_COLUMNS:
        assert f"Info Mart: {INFOMART_COLUMNS[key]}." in section
    else:
        assert "Info Mart: not mapped." in section or "Info Mart: bot reports." in section
