"""``chatstats report``: a corpus aggregated like GCXI's chat reports."""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated

import typer

from .common import (
    CsvColumn,
    Jobs,
    KeepGoing,
    MaxSize,
    OptionAssignments,
    OptionsFilePath,
    Quiet,
    exit_for,
    limits_for,
    load_options,
    pick_format,
    run_batch,
    write_json,
)


class ReportFormat(enum.StrEnum):
    """``--format`` values of report."""

    table = "table"
    json = "json"
    csv = "csv"


def report(
    files: Annotated[list[str], typer.Argument(metavar="INPUT...", help="Transcripts, folders, "
                                               "globs, JSON Lines or - (as for replay).")],
    option: OptionAssignments = None,
    options_file: OptionsFilePath = None,
    by: Annotated[str | None, typer.Option(
        "--by", metavar="FIELD",
        help="Group by tenant, media-origin, language, media-type, ended-by, day or hour.")
    ] = None,
    output_format: Annotated[ReportFormat | None, typer.Option(
        "--format", "-f", help="[default: table on a terminal, json otherwise]")] = None,
    html: Annotated[Path | None, typer.Option(
        "--html", metavar="FILE", help="Also write one self-contained HTML page.")] = None,
    max_size: MaxSize = 64,
    jobs: Jobs = 1,
    csv_column: CsvColumn = None,
    keep_going: KeepGoing = False,
    quiet: Quiet = False,
) -> None:
    """Aggregate a corpus: abandonment, the ended-by x reason matrix, messages, waits and
    replies (mean, median, p90, max), handle, idle, dormancy and bots."""
    from chatstats_core.report import GroupBy, Report, ReportJob, flat_rows

    try:
        group_by = GroupBy(by) if by else None
    except ValueError:
        choices = ", ".join(g.value for g in GroupBy)
        raise typer.BadParameter(f"{by!r} is not one of {choices}", param_hint="--by") from None
    options = load_options(option, options_file)
    summary = Report(group_by)
    job = ReportJob(options, group_by, limits_for(max_size))
    counts = run_batch(files, job, jobs, csv_column, quiet,
                       lambda outcome: summary.add_facts(outcome.payload), "report")
    document = summary.document()
    if html is not None:
        from chatstats_core.report_html import render_html

        html.write_text(render_html(document), encoding="utf-8")
    chosen = pick_format(output_format, ReportFormat)
    if chosen is ReportFormat.json:
        write_json(document)
    elif chosen is ReportFormat.csv:
        import csv

        rows = flat_rows(document)
        columns = list(dict.fromkeys(k for row in rows for k in row))
        writer = csv.DictWriter(sys.stdout, columns, lineterminator="\n", restval="0")
        writer.writeheader()
        writer.writerows(rows)
    else:
        from .views import print_report

        print_report(document)
    exit_for(counts, keep_going)
