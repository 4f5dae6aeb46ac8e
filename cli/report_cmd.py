"""``chatstats report``: a corpus aggregated like GCXI's chat reports."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, assert_never

import typer

from chatstats_core.workflows.choices import GroupBy

if TYPE_CHECKING:
    from chatstats_core.corpus.files import InputFiles

from .common import (
    BatchOptions,
    Color,
    ColorChoice,
    CsvColumn,
    Jobs,
    KeepGoing,
    MaxSize,
    OptionAssignments,
    OptionsFileA,
    OptionsFileB,
    OptionsFilePath,
    Quiet,
    SideA,
    SideB,
    Verbose,
    exit_for,
    limits_for,
    load_options,
    pick_format,
    run_batch,
    say,
    use_color,
    write_json,
    write_out,
)


class ReportFormat(enum.StrEnum):
    """``--format`` values of report."""

    table = "table"
    json = "json"
    csv = "csv"


def report(
    files: Annotated[
        list[str],
        typer.Argument(
            metavar="INPUT...", help="Transcripts, folders, globs, JSON Lines or - (as for replay)."
        ),
    ],
    option: OptionAssignments = None,
    options_file: OptionsFilePath = None,
    side_a: SideA = None,
    side_b: SideB = None,
    options_file_a: OptionsFileA = None,
    options_file_b: OptionsFileB = None,
    by: Annotated[
        GroupBy | None,
        typer.Option("--by", help="Group the sessions: one row (and a point of the trend) each."),
    ] = None,
    tz: Annotated[
        str,
        typer.Option(
            "--tz",
            metavar="ZONE",
            help="The time zone of --by day/hour: an IANA name (Europe/Paris), UTC or +05:30.",
        ),
    ] = "UTC",
    output_format: Annotated[
        ReportFormat | None,
        typer.Option("--format", "-f", help="[default: table on a terminal, json otherwise]"),
    ] = None,
    html: Annotated[
        Path | None,
        typer.Option("--html", metavar="FILE", help="Also write one self-contained HTML page."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Let --html replace a file that exists.")
    ] = False,
    max_size: MaxSize = 64,
    jobs: Jobs = 1,
    csv_column: CsvColumn = None,
    keep_going: KeepGoing = False,
    quiet: Quiet = False,
    verbose: Verbose = False,
    color: Color = ColorChoice.auto,
) -> None:
    """Aggregate a corpus: abandonment, the ended-by x reason matrix, messages, waits and
    replies (mean, median, p90, max), handle, idle, dormancy and bots; with -a/-b, the same
    corpus under two option sets side by side, with the deltas."""
    use_color(color)
    from chatstats_core.workflows.report import ReportTally, time_zone

    try:
        time_zone(tz)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--tz") from None
    options = load_options(option, options_file)
    protected = _checked_html_target(html, force, files)
    sides = None
    if side_a or side_b or options_file_a or options_file_b:
        sides = (
            load_options(side_a, options_file_a, options),
            load_options(side_b, options_file_b, options),
        )
    tally = ReportTally(files, options, by, tz, sides)
    batch = BatchOptions(jobs, csv_column, quiet, verbose)
    counts = run_batch(files, tally.task(limits_for(max_size)), batch, tally.add, "report")
    document = tally.document(counts.failed)
    if html is not None:
        _write_html(html, document, force, protected)
    _print(document, pick_format(output_format, ReportFormat))
    exit_for(counts, keep_going)


def _checked_html_target(html: Path | None, force: bool, files: list[str]) -> InputFiles:
    """The inputs --html must not replace, after refusing a target it cannot write, before the
    corpus is read (a refusal after an hour's replay would waste the hour)."""
    from chatstats_core.corpus.files import NO_INPUTS, check_target
    from chatstats_core.corpus.inputs import input_files

    if html is None:
        return NO_INPUTS
    protected = input_files(files)
    check_target(html, force, protected)
    return protected


def _write_html(path: Path, document: dict[str, Any], force: bool, inputs: InputFiles) -> None:
    """The page, written whole or not at all, never over an input, over an existing file only
    with --force."""
    from chatstats_core.corpus.files import write_atomically
    from chatstats_core.render.report_html import render_html

    write_atomically(path, render_html(document).encode("utf-8"), force, inputs)


def _print(document: dict[str, Any], chosen: ReportFormat) -> None:
    match chosen:
        case ReportFormat.json:
            write_json(document)
        case ReportFormat.csv:
            from chatstats_core.render.summary_csv import report_csv, report_provenance

            for line in report_provenance(document):  # the CSV itself starts with its header
                say(f"report: {line}")
            write_out(report_csv(document))
        case ReportFormat.table:
            from .views import print_compared_report, print_report

            (print_compared_report if "a" in document["total"] else print_report)(document)
        case _:
            assert_never(chosen)
