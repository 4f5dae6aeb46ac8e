"""The Typer app: parse arguments, call the core, pick the output, map errors to exit codes.

Exit codes: 0 success; 2 bad usage, a bad option, or any input that failed (the other inputs
of a batch are still replayed and printed). stdout carries data; stderr carries messages.
"""

from __future__ import annotations

import enum
import sys
from typing import Annotated

import typer

from chatstats_core import __version__
from chatstats_core.corpus.native import Engine
from chatstats_core.errors import ExitStatus

from . import (
    convert_cmd,
    diff_cmd,
    explain_cmd,
    fit_cmd,
    generate_cmd,
    replay_cmd,
    report_cmd,
    sweep_cmd,
    timeline_cmd,
    validate_cmd,
)
from .boundary import BoundaryGroup
from .common import (
    Color,
    ColorChoice,
    pick_format,
    use_color,
    write_out,
)
from .help import command_help
from .invocation import invocation

app = typer.Typer(
    name="chatstats",
    cls=BoundaryGroup,
    help="Replay Genesys Chat Server transcripts and recompute their reporting statistics.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: rich markup ate [settings] and broke lines (cli/help.py)
    context_settings={"help_option_names": ["-h", "--help"]},
)


class ListFormat(enum.StrEnum):
    """``--format`` values of options."""

    table = "table"
    json = "json"


def _engine(value: Engine | None) -> None:
    """--engine (else CHATSTATS_ENGINE) chooses the engine of this invocation; the batch runner
    takes it from there (its worker processes are told which engine runs)."""
    invocation().chosen_engine = value


def _version(value: bool) -> None:
    if value:
        from chatstats_core.corpus.native import resolved

        engine = resolved(invocation().engine)
        sys.stdout.write(f"chatstats {__version__} (engine: {engine.value})\n")
        raise typer.Exit(ExitStatus.OK)


@app.callback()
def _root(
    engine: Annotated[
        Engine | None,
        typer.Option(
            "--engine",
            callback=_engine,
            is_eager=True,
            help="Which engine replays in bulk: native (the Rust core, when built), python, or "
            "auto (native when built) [default: CHATSTATS_ENGINE, else auto].",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            callback=_version,
            is_eager=True,
            help="Print the version and the engine, and exit.",
        ),
    ] = False,
) -> None:
    """Replay Genesys Chat Server transcripts and recompute their reporting statistics."""
    from chatstats_core.corpus.native import resolved

    # once for the run: native asked for and not built is said now, and `auto` is settled
    invocation().chosen_engine = resolved(invocation().engine)


def list_options(
    output_format: Annotated[
        ListFormat | None,
        typer.Option("--format", "-f", help="[default: table on a terminal, json otherwise]"),
    ] = None,
    color: Color = ColorChoice.auto,
) -> None:
    """List every option chatstats models: default, valid values and meaning."""
    use_color(color)
    from chatstats_core import OPTION_SPECS

    if pick_format(output_format, ListFormat) is ListFormat.json:
        import orjson

        rows = [
            {"option": s.key, "default": s.default, "valid": s.valid, "meaning": s.meaning}
            for s in OPTION_SPECS
        ]
        write_out(orjson.dumps(rows, option=orjson.OPT_INDENT_2).decode() + "\n")
        return
    from .table import print_options

    print_options(OPTION_SPECS)


app.command("replay", **command_help("replay"))(replay_cmd.replay)
app.command("options", **command_help("options"))(list_options)
app.command("diff", **command_help("diff"))(diff_cmd.diff)
app.command("explain", **command_help("explain"))(explain_cmd.explain)
app.command("timeline", **command_help("timeline"))(timeline_cmd.timeline)
app.command("sweep", **command_help("sweep"))(sweep_cmd.sweep)
app.command("fit", **command_help("fit"))(fit_cmd.fit)
app.command("validate", **command_help("validate"))(validate_cmd.validate)
app.command("convert", **command_help("convert"))(convert_cmd.convert)
app.command("redact", **command_help("redact"))(convert_cmd.redact)
app.command("generate", **command_help("generate"))(generate_cmd.generate)
app.command("report", **command_help("report"))(report_cmd.report)


def main() -> None:
    """Console-script entry point (the process boundary is ``boundary.BoundaryGroup.main``)."""
    app()
