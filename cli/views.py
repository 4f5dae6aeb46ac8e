"""Rich views of diff, explain, timeline and sweep results (the terminal side of the CLI)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text


def console() -> Console:
    """A stdout console: colour only on a terminal, NO_COLOR honoured (rich does both)."""
    return Console(highlight=False, soft_wrap=False)


def _show(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items() if k != "kvps") + (
            f", {len(value['kvps'])} KVPs" if "kvps" in value else "")
    return str(value)


def print_diffs(diffs) -> None:
    """A table of differences per session; options that differ shown as context."""
    out = console()
    for diff in diffs:
        title = Text.assemble((diff.session_id, "bold"), "  ",
                              ("different" if diff.is_different else "same",
                               "red" if diff.is_different else "green"))
        out.print(title)
        if diff.options:
            out.print(Text("options: " + "; ".join(
                f"{k}: {_show(a)} -> {_show(b)}" for k, (a, b) in diff.options.items()),
                style="dim"))
        if not diff.differences:
            continue
        table = Table(show_edge=False, pad_edge=False)
        table.add_column("key", style="bold")
        table.add_column("left")
        table.add_column("right")
        with_rules = any(d.rule for d in diff.differences)
        if with_rules:
            table.add_column("rule (computed side)", style="dim", overflow="fold")
        for d in diff.differences:
            row = [d.key, _show(d.left), _show(d.right)]
            if with_rules:
                row.append(d.rule or "")
            table.add_row(*row)
        out.print(table)
