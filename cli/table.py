"""The terminal view (rich): a table of KVPs per session, classification and warnings.

Colour only when stdout is a terminal; rich itself honours NO_COLOR.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from chatstats_core.corpus.batch import Outcome
from chatstats_core.engine.options import AttachLevel, OptionSpec
from chatstats_core.safetext import clipped, shown

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


#: The KVPs a corpus's compact table shows when --kvp names none, with their headings: the
#: longest customer wait and agent reply, on which GCXI's chat reports are built (a row then
#: fits 80 columns).
COMPACT_KVPS = {"cse_CustomerWaitMaxTime": "cust wait", "cse_AgentReplyMaxTime": "agent reply"}
ATTACH_KEY = "settings/attach-session-statistics"
COMPACT_NONE_NOTE = (
    "attach-session-statistics=none (the Genesys default) attaches no statistic, hence the "
    "dashes; add -o attach-session-statistics=all (or fired) to see them."
)
_FIXED_WIDTHS = (16, 17, 9, 7)  # a Genesys session id; CLIENT/DISCONNECT; abandoned; stopped


class CompactTableSink:
    """A corpus on a terminal: one row per session, as the sessions come (the widths are fixed,
    so nothing waits for the last one): the session, who ended it and why, abandoned, stopped,
    then the KVPs asked for with --kvp (else :data:`COMPACT_KVPS`), "-" where one is not
    attached. Each row is a replay's JSON line read back, so the native core draws it as fast
    as ``-f jsonl``."""

    def __init__(self, keys: Sequence[str]) -> None:
        self.console = _console()
        self.keys = tuple(keys) or tuple(COMPACT_KVPS)
        self.headings = [COMPACT_KVPS.get(key) or _short(key) for key in self.keys]
        self.widths = [*_FIXED_WIDTHS, *(max(len(h), 6) for h in self.headings)]
        self.started = False
        self.noted_none = False

    def item(self, outcome: Outcome) -> None:
        """One row per JSON line of the outcome (a run of sessions has several)."""
        import orjson

        if not self.started:
            self.started = True
            names = ["session", "ended", "abandoned", "stopped", *self.headings]
            self._print(Text(self._row(names), style="bold"))
        for line in (outcome.text or "").split("\n"):  # not splitlines: U+2028 stays in a line
            if line:
                self._session(orjson.loads(line))

    def _session(self, document: dict[str, Any]) -> None:
        if not self.noted_none and document["options"][ATTACH_KEY] == AttachLevel.NONE.value:
            self.noted_none = True  # one line for the whole run
            self.console.print(Text(COMPACT_NONE_NOTE, style="yellow"))
        c = document["classification"]
        ended = f"{c['ended_by']}/{c['ended_reason']}" if c["ended_by"] else "still open"
        cells = [
            shown(document["session_id"]),
            ended,
            _yes(c["abandoned"]),
            _yes(c["interaction_stopped"]),
            *(_cell(document["kvps"].get(key)) for key in self.keys),
        ]
        self._print(Text(self._row(cells)))

    def _print(self, row: Text) -> None:
        self.console.print(row, overflow="ellipsis", no_wrap=True)  # a narrow terminal cuts

    def _row(self, cells: Sequence[str]) -> str:
        """The cells in their columns: text left, the KVP values (after the first four) right."""
        fitted = [clipped(cell, width) for cell, width in zip(cells, self.widths, strict=True)]
        return "  ".join(
            cell.rjust(width) if index >= len(_FIXED_WIDTHS) else cell.ljust(width)
            for index, (cell, width) in enumerate(zip(fitted, self.widths, strict=True))
        )

    def end(self) -> None:
        return None


def _short(key: str) -> str:
    """A KVP's name as a column heading: without its ``csg_``/``cse_`` family prefix."""
    return key.removeprefix("csg_").removeprefix("cse_")


def _cell(value: object) -> str:
    return "-" if value is None else shown(str(value))


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
