"""``chatstats explain``: each KVP's value, rule and evidence."""

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
)


class ExplainFormat(enum.StrEnum):
    """``--format`` values of explain."""

    table = "table"
    json = "json"


def explain(
    file: Annotated[str, typer.Argument(metavar="FILE", help="A transcript (XML or JSON).")],
    keys: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[KEY...]", help="KVPs or classification.FIELD; all when none given."
        ),
    ] = None,
    option: OptionAssignments = None,
    options_file: OptionsFilePath = None,
    output_format: Annotated[
        ExplainFormat | None,
        typer.Option("--format", "-f", help="[default: table on a terminal, json otherwise]"),
    ] = None,
    max_size: MaxSize = 64,
    session: SessionChoice = None,
    color: Color = ColorChoice.auto,
) -> None:
    """Explain KVPs: value, rule, and the intervals, events, closure and timers behind it."""
    use_color(color)
    from chatstats_core.workflows.explain import explain as explain_result
    from chatstats_core.workflows.explain import explanation_document

    result = replay_one(file, option, options_file, max_size_mib=max_size, session_id=session)
    explanations = explain_result(result, keys or ())
    document = explanation_document(result, explanations)
    chosen = pick_format(output_format, ExplainFormat)
    match chosen:
        case ExplainFormat.json:
            write_json(document)
        case ExplainFormat.table:
            from .views import print_explanations

            print_explanations(document)
        case _:
            assert_never(chosen)
