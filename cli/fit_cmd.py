"""``chatstats fit``: which option values reproduce a customer's reported statistics."""

from __future__ import annotations

import enum
from typing import Annotated, assert_never

import typer

from chatstats_core.errors import ExitStatus

from .common import (
    Color,
    ColorChoice,
    MaxSize,
    OptionAssignments,
    OptionsFilePath,
    SessionChoice,
    load_one,
    load_options,
    pick_format,
    say,
    use_color,
    write_json,
)
from .invocation import invocation


class FitFormat(enum.StrEnum):
    """``--format`` values of fit."""

    table = "table"
    json = "json"


def fit(
    file: Annotated[str, typer.Argument(metavar="FILE", help="The session's transcript.")],
    expected: Annotated[
        str,
        typer.Option(
            "--expected",
            metavar="REPORTED",
            help="Reported values (- for standard input): JSON KVPs, any replay output but the "
            "table, key=value lines or a Genesys log paste.",
        ),
    ],
    option: OptionAssignments = None,
    options_file: OptionsFilePath = None,
    top: Annotated[int, typer.Option("--top", min=1, help="How many option sets to show.")] = 5,
    only_reported: Annotated[
        bool,
        typer.Option(
            "--only-reported",
            help="The report is partial: compare only its keys (automatic when "
            "it lacks an always-attached KVP).",
        ),
    ] = False,
    output_format: Annotated[
        FitFormat | None,
        typer.Option("--format", "-f", help="[default: table on a terminal, json otherwise]"),
    ] = None,
    max_size: MaxSize = 64,
    session: SessionChoice = None,
    color: Color = ColorChoice.auto,
) -> None:
    """Find option values under which the replay reproduces the report. Options given with -o
    or --options-file stay fixed. Exit 0 when an exact fit exists, 1 when none does."""
    use_color(color)
    from chatstats_core.workflows.fit import fit as run_fit
    from chatstats_core.workflows.fit import fit_document, fixed_attributes, reported_session
    from chatstats_core.workflows.reported import read_reported

    base = load_options(option, options_file)
    reported = read_reported(expected)
    fixed = fixed_attributes(option or [], whole_file=options_file is not None)
    for note in reported.notes:
        say(note)
    session_read = load_one(file, max_size, session)
    result = run_fit(
        session_read.transcript,
        reported_session(reported, session_read.transcript, expected),
        base,
        fixed,
        keep=top,
        only_reported=only_reported,
        raw=session_read.item,
        engine=invocation().engine,
    )
    document = fit_document(result)
    chosen = pick_format(output_format, FitFormat)
    match chosen:
        case FitFormat.json:
            write_json(document)
        case FitFormat.table:
            from .views import print_fit

            print_fit(document)
        case _:
            assert_never(chosen)
    raise typer.Exit(ExitStatus.OK if result.exact else ExitStatus.DIFFERENT)
