"""The Typer app: parse arguments, call the core, pick the output, map errors to exit codes.

Exit codes: 0 success; 2 bad usage, a bad option, or any input that failed (the other inputs
of a batch are still replayed and printed). stdout carries data; stderr carries messages.
"""

from __future__ import annotations

import enum
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from chatstats_core.errors import ExitStatus

if TYPE_CHECKING:
    from chatstats_core import Options
    from chatstats_core.corpus.batch import Outcome
    from chatstats_core.render import OutputFormat, Renderer

    from .table import TableSink

from chatstats_core import __version__
from chatstats_core.corpus.native import Engine

from . import (
    convert_cmd,
    diff_cmd,
    explain_cmd,
    fit_cmd,
    generate_cmd,
    report_cmd,
    sweep_cmd,
    timeline_cmd,
    validate_cmd,
)
from .boundary import BoundaryGroup
from .common import (
    Color,
    ColorChoice,
    CsvColumn,
    Jobs,
    KeepGoing,
    MaxSize,
    OptionAssignments,
    OptionsFilePath,
    Quiet,
    Verbose,
    exit_for,
    fatal,
    limits_for,
    load_options,
    pick_format,
    run_batch,
    say,
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


class FormatChoice(enum.StrEnum):
    """``--format`` values of replay."""

    table = "table"
    json = "json"
    jsonl = "jsonl"
    kvp = "kvp"
    csv = "csv"
    infomart = "infomart"


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
    from chatstats_core.corpus.native import native_core

    native_core(invocation().engine)  # native asked for and not built: say so now


@app.command("replay", **command_help("replay"))
def replay(
    files: Annotated[
        list[str],
        typer.Argument(
            metavar="INPUT...",
            help="Transcripts (XML or JSON, .gz too), folders (walked), glob patterns, JSON Lines "
            "files (one transcript per line), or - for stdin.",
        ),
    ],
    option: OptionAssignments = None,
    options_file: OptionsFilePath = None,
    output_format: Annotated[
        FormatChoice | None,
        typer.Option(
            "--format", "-f", help="Output format [default: table on a terminal, json otherwise]."
        ),
    ] = None,
    at: Annotated[
        float | None,
        typer.Option(
            "--at",
            metavar="SECONDS",
            min=0,
            help="The statistics as of this many seconds after the session's start.",
        ),
    ] = None,
    kvp: Annotated[
        list[str] | None,
        typer.Option(
            "--kvp", metavar="KEY", help="Show only this KVP (repeatable; in the order given)."
        ),
    ] = None,
    max_size: MaxSize = 64,
    jobs: Jobs = 1,
    csv_column: CsvColumn = None,
    keep_going: KeepGoing = False,
    quiet: Quiet = False,
    verbose: Verbose = False,
    color: Color = ColorChoice.auto,
) -> None:
    """Replay transcripts and print the KVPs Chat Server would attach, with the classification."""
    use_color(color)
    from chatstats_core.engine.rules import checked_kvp_names

    keys = checked_kvp_names(kvp or [], "replay")
    from chatstats_core.render import OutputFormat
    from chatstats_core.workflows.replay import replay_task

    options = load_options(option, options_file)
    if at is not None and not 0 <= at <= 10**10:  # NaN fails the comparison too
        fatal(f"replay: error: --at must be a number of seconds from 0 to 10000000000, not {at}")
    chosen = (
        OutputFormat(output_format.value)
        if output_format
        else (OutputFormat.TABLE if sys.stdout.isatty() else OutputFormat.JSON)
    )
    if chosen is not OutputFormat.TABLE and not quiet:
        _note_attach_none(options)
    task = replay_task(options, chosen, limits_for(max_size), at, keys)
    sink = _sink(chosen, keys)
    counts = run_batch(files, task, jobs, csv_column, quiet, sink.item, "replay", verbose=verbose)
    sink.end()
    exit_for(counts, keep_going)


def _note_attach_none(options: Options) -> None:
    """The Genesys default attaches almost nothing: say so once, with the option to set."""
    from chatstats_core.engine.options import AttachLevel

    if options.attach_session_statistics is AttachLevel.NONE:
        say(
            "replay: note: attach-session-statistics is none (the Genesys default), so only the "
            "four always-attached KVPs are output; set -o attach-session-statistics=fired (what "
            "Genesys recommends for reporting) or =all"
        )


def _sink(fmt: OutputFormat, keys: tuple[str, ...]) -> TableSink | _StreamSink:
    """Where results go: the rich table, or a core renderer writing to stdout as it goes."""
    from chatstats_core.render import OutputFormat, renderer_for

    if fmt is OutputFormat.TABLE:
        from .table import TableSink

        return TableSink()
    return _StreamSink(renderer_for(fmt, keys))


class _StreamSink:
    """Writes rendered sessions to stdout as they come, with the format's header and separator."""

    def __init__(self, renderer: Renderer) -> None:
        self.renderer = renderer
        self.started = False
        self.write = write_out  # once per session: the parent of --jobs is the bottleneck

    def item(self, outcome: Outcome) -> None:
        if not self.started:
            self.write(self.renderer.begin())
            self.started = True
        elif self.renderer.separator:
            self.write(self.renderer.separator)
        self.write(outcome.text or "")

    def end(self) -> None:
        if self.started:
            write_out(self.renderer.end())


@app.command("options", **command_help("options"))
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
