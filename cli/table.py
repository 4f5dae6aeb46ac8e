"""The terminal view (rich): a table of KVPs per session, classification and warnings.

Colour only when stdout is a terminal; rich itself honours NO_COLOR.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from chatstats_core.corpus.batch import Outcome
from chatstats_core.engine.options import AttachLevel, OptionSpec
from chatstats_core.safetext import shown

NONE_NOTE = (
    "attach-session-statistics=none (the Genesys default) attaches only these 4 KVPs; "
    "add -o attach-session-statistics=all (or fired) to see every statistic."
)


def _console() -> Console:
    from .views import console

    return console()


def _value(value: object) -> Text:
    if isinstance(value, int):
        return Text(str(value), style="cyan")
    return Text(shown(str(value)), style="green")


class TableSink:
    """Prints each session as it comes."""

    def __init__(self) -> None:
        self.console = _console()
        self.count = 0
        self.noted_none = False

    def item(self, outcome: Outcome) -> None:
        result = outcome.result
        assert result is not None  # the table task sends results, not text
        if self.count:
            self.console.print()
        self.count += 1
        header = Text.assemble(
            (shown(result.session_id), "bold"), "  ", (shown(result.source), "dim")
        )
        self.console.print(header, overflow="fold")
        table = Table(show_edge=False, pad_edge=False)
        table.add_column("KVP", style="bold")
        table.add_column("value", overflow="fold")
        for key, value in result.kvps.items():
            table.add_row(key, _value(value))
        self.console.print(table)
        if result.options.attach_session_statistics is AttachLevel.NONE and not self.noted_none:
            self.noted_none = True  # one line for the whole run, not one per session
            self.console.print(Text(NONE_NOTE, style="yellow"))
        c = result.classification
        if c.ended_by is None:
            self.console.print(Text("session still open: no classification", style="yellow"))
        else:
            self.console.print(
                Text.assemble(
                    "ended by ",
                    (c.ended_by, "bold"),
                    f" ({c.ended_reason}), agent ",
                    (c.ended_agent or "", "bold"),
                )
            )
            self.console.print(
                Text.assemble(
                    "abandoned: ",
                    (_yes(c.abandoned), "bold"),
                    ", interaction stopped: ",
                    (_yes(c.interaction_stopped), "bold"),
                )
            )
        self.console.print(
            f"delivery: {result.delivery}"
            + (
                f", {len(result.reporting_events)} reporting events"
                if result.reporting_events
                else ""
            )
        )

    def end(self) -> None:
        return None


def _yes(flag: bool | None) -> str:
    return "yes" if flag else "no"


def print_options(specs: Sequence[OptionSpec]) -> None:
    """``chatstats options``: each option as a heading (name and default), then its valid values
    and meaning, indented, so nothing is cut on an 80-column terminal."""
    from .views import print_indented

    out = _console()
    for index, spec in enumerate(specs):
        if index:
            out.print()
        default = str(spec.default).lower() if isinstance(spec.default, bool) else str(spec.default)
        out.print(Text.assemble((spec.key, "bold"), "  default ", (default, "cyan")))
        print_indented(out, f"valid: {spec.valid}", 4)
        print_indented(out, spec.meaning, 4, style="dim")
