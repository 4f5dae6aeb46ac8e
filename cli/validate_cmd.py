"""``chatstats validate``: every problem of each input; exit 0 clean, 1 warnings, 2 errors."""

from __future__ import annotations

import enum
from typing import Annotated, assert_never

import typer

from chatstats_core.errors import ExitStatus

from .common import (
    CsvColumn,
    MaxSize,
    OptionAssignments,
    OptionsFilePath,
    limits_for,
    load_options,
    say,
    write_json,
    write_out,
)


class ValidateFormat(enum.StrEnum):
    """``--format`` values of validate."""

    text = "text"
    json = "json"


def validate(
    files: Annotated[
        list[str],
        typer.Argument(
            metavar="INPUT...", help="Transcripts, folders, globs, JSON Lines or - (as for replay)."
        ),
    ],
    option: OptionAssignments = None,
    options_file: OptionsFilePath = None,
    max_size: MaxSize = 64,
    csv_column: CsvColumn = None,
    output_format: Annotated[
        ValidateFormat,
        typer.Option(
            "--format", "-f", help="text: one problem per line on stdout; json: a document."
        ),
    ] = ValidateFormat.text,
) -> None:
    """Report every structural and semantic problem of each transcript, with its location.
    Exit 0 when all are clean, 1 when there are only warnings, 2 when there is an error."""
    from chatstats_core.workflows.validate import (
        validate_inputs,
        validation_document,
        validation_summary,
        validation_text,
    )

    options = load_options(option, options_file)
    reports = list(validate_inputs(files, options, limits_for(max_size), csv_column))
    match output_format:
        case ValidateFormat.json:
            write_json(validation_document(reports))
        case ValidateFormat.text:
            write_out(validation_text(reports))
        case _:
            assert_never(output_format)
    say(validation_summary(reports))
    errors = sum(r.errors for r in reports)
    warnings = sum(r.warnings for r in reports)
    raise typer.Exit(
        ExitStatus.TROUBLE if errors else ExitStatus.DIFFERENT if warnings else ExitStatus.OK
    )
