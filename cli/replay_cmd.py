"""``chatstats replay``: each transcript's KVPs and classification, in the format asked for,
streamed to stdout as the sessions come (the table draws them as they come too)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from chatstats_core.render import OutputFormat

if TYPE_CHECKING:
    from chatstats_core import Options
    from chatstats_core.corpus.batch import Outcome
    from chatstats_core.render import Renderer

    from .table import CompactTableSink, TableSink

from .common import (
    BatchOptions,
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
    limits_for,
    load_options,
    run_batch,
    say,
    use_color,
    write_out,
)


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
        OutputFormat | None,
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
    detail: Annotated[
        bool,
        typer.Option(
            "--detail",
            help="The table: every session in full (the default for one transcript file); "
            "otherwise a corpus is one row per session.",
        ),
    ] = False,
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
    from chatstats_core.errors import UsageError
    from chatstats_core.workflows.replay import replay_task

    options = load_options(option, options_file)
    if at is not None and not 0 <= at <= 10**10:  # NaN fails the comparison too
        raise UsageError(
            f"--at must be a number of seconds from 0 to 10000000000, not {at}", source="replay"
        )
    chosen = output_format or (OutputFormat.TABLE if sys.stdout.isatty() else OutputFormat.JSON)
    if chosen is not OutputFormat.TABLE and not quiet:
        _note_attach_none(options)
    compact = chosen is OutputFormat.TABLE and not detail and not _one_transcript_file(files)
    rendered = OutputFormat.JSONL if compact else chosen  # the compact rows read JSON lines
    task = replay_task(options, rendered, limits_for(max_size), at, keys)
    sink = _sink(chosen, keys, compact)
    batch = BatchOptions(jobs, csv_column, quiet, verbose)
    counts = run_batch(files, task, batch, sink.item, "replay")
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


def _one_transcript_file(files: list[str]) -> bool:
    """Whether the inputs are one transcript file (shown in full on a terminal): not a folder,
    a pattern, JSON Lines, a CSV export or stdin, which may hold a corpus."""
    from pathlib import Path

    name = files[0] if len(files) == 1 else ""
    return Path(name).is_file() and not name.endswith((".jsonl", ".jsonl.gz", ".csv"))


def _sink(
    fmt: OutputFormat, keys: tuple[str, ...], compact: bool = False
) -> TableSink | CompactTableSink | _StreamSink:
    """Where results go: the rich table (one row per session for a corpus), or a core
    renderer writing to stdout as it goes."""
    from chatstats_core.render import renderer_for

    if fmt is OutputFormat.TABLE:
        from .table import CompactTableSink, TableSink

        return CompactTableSink(keys) if compact else TableSink()
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
