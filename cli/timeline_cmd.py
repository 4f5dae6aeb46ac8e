"""``chatstats timeline``: every recorded and simulated event, with presence and state."""

from __future__ import annotations

import enum
from typing import Annotated, assert_never

import typer

from .common import (
    Color,
    ColorChoice,
    MaxSize,
    OptionAssignments,
    OptionsFilePath,
    SessionChoice,
    pick_format,
    replay_one,
    use_color,
    write_json,
    write_out,
)


class TimelineFormat(enum.StrEnum):
    """``--format`` values of timeline."""

    table = "table"
    text = "text"
    json = "json"


def timeline(
    file: Annotated[str, typer.Argument(metavar="FILE", help="A transcript (XML or JSON).")],
    option: OptionAssignments = None,
    options_file: OptionsFilePath = None,
    at: Annotated[
        float | None,
        typer.Option("--at", metavar="SECONDS", min=0, help="Stop the time line at this offset."),
    ] = None,
    output_format: Annotated[
        TimelineFormat | None,
        typer.Option("--format", "-f", help="[default: table on a terminal, json otherwise]"),
    ] = None,
    max_size: MaxSize = 64,
    session: SessionChoice = None,
    color: Color = ColorChoice.auto,
) -> None:
    """Show the session as a time line: recorded events, timers, dormancy, idle spans, closure."""
    use_color(color)
    from chatstats_core.workflows.timeline import timeline_document, timeline_text

    result = replay_one(
        file, option, options_file, at, trace=True, max_size_mib=max_size, session_id=session
    )
    document = timeline_document(result)
    chosen = pick_format(output_format, TimelineFormat)
    match chosen:
        case TimelineFormat.json:
            write_json(document)
        case TimelineFormat.text:
            write_out(timeline_text(document))
        case TimelineFormat.table:
            from .views import print_timeline

            print_timeline(document)
        case _:
            assert_never(chosen)
