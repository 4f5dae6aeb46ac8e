"""``chatstats sweep``: option combinations x sessions, as a matrix of summary figures."""

from __future__ import annotations

import enum
from typing import Annotated, assert_never

import typer

from .common import (
    BatchOptions,
    Color,
    ColorChoice,
    CsvColumn,
    Jobs,
    KeepGoing,
    OptionAssignments,
    OptionsFilePath,
    Quiet,
    Verbose,
    exit_for,
    load_options,
    pick_format,
    run_batch,
    use_color,
    write_json,
    write_out,
)


class SweepFormat(enum.StrEnum):
    """``--format`` values of sweep."""

    table = "table"
    json = "json"
    csv = "csv"


def sweep(
    files: Annotated[list[str], typer.Argument(metavar="FILE...", help="Transcripts.")],
    vary: Annotated[
        list[str],
        typer.Option(
            "--vary",
            metavar="[SECTION/]NAME=V1,V2,...",
            help="An option and the values to try (repeatable: the cartesian product is swept).",
        ),
    ],
    option: OptionAssignments = None,
    options_file: OptionsFilePath = None,
    kvp: Annotated[
        list[str] | None,
        typer.Option(
            "--kvp", metavar="KEY", help="Also show this KVP per session per combination."
        ),
    ] = None,
    output_format: Annotated[
        SweepFormat | None,
        typer.Option("--format", "-f", help="[default: table on a terminal, json otherwise]"),
    ] = None,
    max_combinations: Annotated[
        int,
        typer.Option(
            "--max-combinations",
            metavar="N",
            min=1,
            help="Refuse a matrix of more combinations than this (each replays every session).",
        ),
    ] = 1000,
    csv_column: CsvColumn = None,
    jobs: Jobs = 1,
    keep_going: KeepGoing = False,
    quiet: Quiet = False,
    verbose: Verbose = False,
    color: Color = ColorChoice.auto,
) -> None:
    """Replay every session under every combination of the varied options and summarise."""
    use_color(color)
    from chatstats_core.engine.rules import checked_kvp_names
    from chatstats_core.workflows.sweep import (
        SweepTally,
        SweepTask,
        combinations,
        parse_variations,
        sweep_document,
    )

    base = load_options(option, options_file)
    variations = parse_variations(vary, max_combinations)
    kvp = list(checked_kvp_names(kvp or (), "sweep"))
    made = combinations(base, variations)
    task = SweepTask(tuple(options for _, options in made), tuple(kvp or ()))
    tally = SweepTally(variations, [label for label, _ in made], kvp or ())
    batch = BatchOptions(jobs, csv_column, quiet, verbose)
    counts = run_batch(files, task, batch, lambda o: tally.take(o.payload), "sweep")
    result = tally.result()
    chosen = pick_format(output_format, SweepFormat)
    match chosen:
        case SweepFormat.json:
            write_json(sweep_document(result))
        case SweepFormat.csv:
            from chatstats_core.render.summary_csv import sweep_csv

            write_out(sweep_csv(result))
        case SweepFormat.table:
            from .views import print_sweep

            print_sweep(result)
        case _:
            assert_never(chosen)
    exit_for(counts, keep_going)
