"""Rich views of diff, explain, timeline and sweep results (the terminal side of the CLI)."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from chatstats_core.safetext import shown

from .invocation import ColorChoice, invocation

if TYPE_CHECKING:
    from chatstats_core.workflows.compare import SessionDiff
    from chatstats_core.workflows.sweep import Sweep, SweepRow


class _Console(Console):
    """rich's console, but a reader that goes away ends the process as for every other output
    (killed by SIGPIPE, status 141, at the one boundary), not with rich's exit status 1."""

    def on_broken_pipe(self) -> None:
        raise BrokenPipeError


def console(stderr: bool = False) -> Console:
    """A console on stdout (or stderr) that follows the command's --color and NO_COLOR: "auto"
    colours on a terminal unless NO_COLOR is set (rich does both); "always" even into a pipe or
    a pager, and over NO_COLOR (the flag is the more explicit); with ``never``, or NO_COLOR set
    under ``auto``, no escape code at all (no bold or dim either), as the NO_COLOR convention
    asks of a program's styling."""
    choice = invocation().color
    if choice is ColorChoice.always:
        return _Console(
            highlight=False,
            soft_wrap=False,
            stderr=stderr,
            force_terminal=True,
            no_color=False,
            color_system="standard",
        )
    if choice is ColorChoice.never or os.environ.get("NO_COLOR"):
        return _Console(
            highlight=False, soft_wrap=False, stderr=stderr, no_color=True, color_system=None
        )
    return _Console(highlight=False, soft_wrap=False, stderr=stderr)


def print_indented(
    out: Console, text: str, indent: int, style: str = "", first: int | None = None
) -> None:
    """Print ``text`` wrapped at word boundaries to the console's width, every line indented by
    ``indent`` (the first by ``first`` when given): wrapped lines keep their indent."""
    import textwrap

    lines = textwrap.wrap(
        text,
        width=max(20, out.width),
        initial_indent=" " * (indent if first is None else first),
        subsequent_indent=" " * indent,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [""]
    for line in lines:
        out.print(Text(line, style=style), overflow="fold", highlight=False)


def safe(document: Any) -> Any:
    """A document with every string from the input made safe to show on a terminal (control
    characters escaped, see chatstats_core.errors.shown). Views print through Text, so markup
    in an id or a text (``[bold]``) is shown as written, never applied."""
    if isinstance(document, str):
        return shown(document)
    if isinstance(document, dict):
        return {safe(key): safe(value) for key, value in document.items()}
    if isinstance(document, list | tuple):
        return [safe(value) for value in document]
    return document


def _show(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return shown(
            ", ".join(f"{k}={v}" for k, v in value.items() if k != "kvps")
            + (f", {len(value['kvps'])} KVPs" if "kvps" in value else "")
        )
    return shown(str(value))


def print_diffs(diffs: Sequence[SessionDiff]) -> None:
    """A table of differences per session; options that differ shown as context."""
    out = console()
    for diff in diffs:
        title = Text.assemble(
            (shown(diff.session_id), "bold"),
            "  ",
            ("different" if diff.is_different else "same", "red" if diff.is_different else "green"),
        )
        out.print(title)
        if diff.options:
            out.print(
                Text(
                    "options: "
                    + "; ".join(
                        f"{k}: {_show(a)} -> {_show(b)}" for k, (a, b) in diff.options.items()
                    ),
                    style="dim",
                )
            )
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
            row = [Text(shown(d.key)), Text(_show(d.left)), Text(_show(d.right))]
            if with_rules:
                row.append(Text(d.rule or ""))
            table.add_row(*row)
        out.print(table)


def _event_label(details: dict[int, dict[str, Any]], index: int | None) -> str:
    if index is None:
        return "closure/now"
    event = details[index]
    role = event["role"] or "?"
    text = f' "{event["excerpt"]}"' if event["excerpt"] else ""
    return f"{_event_number(details, index)} {event['party']} {role} {event['kind']}{text}"


def _event_number(details: dict[int, dict[str, Any]], index: int, inline: bool = False) -> str:
    """``#3`` (chatstats's index); for Genesys XML, which numbers its events itself (with gaps),
    its ``eventId`` and line, as the file and its readers cite them (``eventId 33 (line 40)``,
    or ``eventId 33, line 40`` ``inline`` in a parenthesis)."""
    event = details.get(index, {})
    if "event_id" in event:
        line = f", line {event['line']}" if inline else f" (line {event['line']})"
        return f"eventId {event['event_id']}{line}"
    return f"#{index}"


def print_explanations(document: dict[str, Any]) -> None:
    """Each explanation: value and rule, then its intervals and events, one per entry; wrapped
    lines keep their indent. Then the closure and the timers that fired."""
    document = safe(document)
    out = console()
    details = {d["index"]: d for d in document["event_details"]}
    out.print(Text(document["session_id"], style="bold"))
    for item in document["explanations"]:
        _print_explanation(out, details, item)
    if document["closure"]:
        _print_closure(out, details, document["closure"])
    for timer in document["timers"]:
        out.print(Text(f"timer {timer['timer']} {timer['stage']} at {timer['t']}s", style="dim"))


def _print_explanation(
    out: Console, details: dict[int, dict[str, Any]], item: dict[str, Any]
) -> None:
    """One KVP: its value and whether attached, its rule, its spans (or its events)."""
    state = "attached" if item["attached"] else "not attached"
    out.print(
        Text.assemble(
            (item["key"], "bold"), " = ", (_show(item["value"]), "cyan"), (f"  ({state})", "dim")
        )
    )
    print_indented(out, item["rule"], 2, style="italic")
    if "timer_spans" in item:
        print_indented(out, "idle spans of each timer:", 2)
        for span in item["timer_spans"]:
            _print_span(out, details, span, 4, f"{span['timer']}: ", started_by="alert expiry")
        print_indented(out, "idle periods (their union):", 2)
    started_by = "alert expiry" if "Idle" in item["key"] else "session start"
    for span in item["intervals"]:
        note = f", {span['excluded_seconds']}s excluded" if "excluded_seconds" in span else ""
        mark = " (the maximum)" if span.get("longest") else ""
        _print_span(out, details, span, 2, "", note + mark, started_by=started_by)
        for part in item.get("excluded", []):
            if span["start"] <= part["start"] and part["end"] <= span["end"]:
                print_indented(
                    out,
                    f"excluded {part['start']}s -> {part['end']}s = "
                    f"{part['seconds']}s: {part['why']}",
                    8,
                    first=6,
                )
    if item["events"] and not item["intervals"]:
        for index in item["events"]:
            print_indented(out, _event_label(details, index), 4, first=2)


def _print_closure(
    out: Console, details: dict[int, dict[str, Any]], closure: dict[str, Any]
) -> None:
    """How the session closed, and who was present just before."""
    present = (
        ", ".join(
            f"{p['party']} ({p['role']}, {p['visibility']})" for p in closure["present_before"]
        )
        or "nobody"
    )
    how = (
        "simulated"
        if closure["simulated"]
        else f"event {_event_number(details, closure['event'], inline=True)}"
    )
    print_indented(
        out,
        f"closure at {closure['t']}s by {closure['kind']} ({how}); present before it: {present}",
        2,
        style="bold",
        first=0,
    )


def _print_span(
    out: Console,
    details: dict[int, dict[str, Any]],
    span: dict[str, Any],
    indent: int,
    label: str = "",
    note: str = "",
    started_by: str = "session start",
) -> None:
    start = (
        _event_label(details, span["from_event"]) if span["from_event"] is not None else started_by
    )
    print_indented(
        out,
        f"{label}{span['start']}s -> {span['end']}s = {span['seconds']}s{note}: "
        f"{start} -> {_event_label(details, span['to_event'])}",
        indent + 4,
        first=indent,
    )


_STATE_STYLE = {"routing": "yellow", "active": "green", "dormant": "blue", "closed": "dim"}


_ROLE_LETTERS = {
    "client": "c",
    "agent": "a",
    "supervisor": "s",
    "bot": "b",
    "external": "x",
    "system": "y",
}


def party_labels(document: dict[str, Any]) -> dict[str, str]:
    """Short labels for the parties of a time line: their ids when every id is short, else a
    letter for the role and a number in order of arrival (c1, a1, a2, b1, x1...)."""
    parties = list(dict.fromkeys(p["party"] for p in document["parties"]))
    parties += [e["party"] for e in document["entries"] if e["party"] and e["party"] not in parties]
    if all(len(party) <= 8 for party in parties):
        return {party: party for party in parties}
    roles = {p["party"]: p["role"] for p in document["parties"]}
    counts: dict[str, int] = {}
    labels = {}
    for party in parties:
        letter = _ROLE_LETTERS.get(roles.get(party, ""), "p")
        counts[letter] = counts.get(letter, 0) + 1
        labels[party] = f"{letter}{counts[letter]}"
    return labels


def print_timeline(document: dict[str, Any]) -> None:
    """The parties (with short labels when their ids are long), a table of entries (simulated
    ones marked ``~``, in italics where there is colour), then a presence bar per party."""
    document = safe(document)
    out = console()
    out.print(Text.assemble((document["session_id"], "bold"), "  started ", document["started_at"]))
    labels = party_labels(document)
    roles = {p["party"]: p["role"] for p in document["parties"]}
    if any(label != party for party, label in labels.items()):
        for party, label in labels.items():
            out.print(Text(f"  {label} = {party} ({roles.get(party, '?')})", style="dim"))
    wide = out.width >= 100  # the clock time only where it does not squeeze the detail
    table = Table(show_edge=False, pad_edge=False)
    table.add_column("offset", no_wrap=True)
    if wide:
        table.add_column("at", no_wrap=True)
    table.add_column("state", no_wrap=True)
    table.add_column("event", max_width=12 if not wide else None)
    table.add_column("party", no_wrap=True)
    table.add_column("detail", ratio=1, min_width=16)
    table.add_column("present", max_width=16 if not wide else None)
    for e in document["entries"]:
        marker = "~" if e["simulated"] else " "
        party = labels.get(e["party"], e["party"] or "")
        clock = [e["at"][11:19]] if wide else []
        table.add_row(
            f"{marker}+{e['t']}s",
            *clock,
            Text(e["state"], _STATE_STYLE[e["state"]]),
            Text(e["kind"], "italic magenta" if e["simulated"] else ""),
            Text(party),
            Text(e["text"]),
            Text(" ".join(labels.get(p, p) for p in e["present"])),
        )
    out.print(table)
    out.print(
        Text(
            "~ simulated by the replay (timers, dormancy, closure); the others are recorded",
            style="dim",
        )
    )
    _print_bars(out, document, labels)


def _print_bars(
    out: Console, document: dict[str, Any], labels: dict[str, str], width: int = 50
) -> None:
    end = max([document["end"], *(p["end"] for p in document["parties"])]) or 1
    names = [f"{labels.get(p['party'], p['party'])} ({p['role']})" for p in document["parties"]]
    label_width = max((len(name) for name in names), default=0)
    width = max(10, min(width, out.width - label_width - 2))
    out.print(
        Text(
            f"{'presence':<{label_width}} 0s{' ' * (width - 2 - len(str(end)))}{end}s", style="dim"
        )
    )
    for name, p in zip(names, document["parties"], strict=True):
        first = round(p["start"] / end * width)
        last = max(first + 1, round(p["end"] / end * width))
        bar = " " * first + "█" * (last - first) + " " * (width - last)
        out.print(
            Text.assemble(
                f"{name:<{label_width}} ", (bar, "green" if p["visibility"] == "ALL" else "cyan")
            )
        )


def print_sweep(result: Sweep) -> None:
    """The matrix transposed to fit a terminal: a row per figure (changing ones first, constant
    ones dimmed), a column per option combination (one header line per varied option), split
    into as many tables as the width needs, so no figure name is cut."""
    out = console()
    out.print(Text("columns: " + " / ".join(result.varied), style="dim"))
    rows = list(result.rows)
    figures = [
        (column, [_show(row.figures.get(column, 0)) for row in rows]) for column in result.columns
    ]
    _print_matrix(out, "figure", figures, rows, dim=lambda c: c not in result.changing)
    for key in rows[0].kvps if rows else {}:
        out.print(Text(f"{key} (computed)", style="bold"))
        values = [
            (shown(label), [_show(row.kvps[key][label]) for row in rows])
            for label in result.sessions
        ]
        _print_matrix(out, "session", values, rows, dim=lambda _: False)


def _print_matrix(
    out: Console,
    first: str,
    lines: list[tuple[str, list[str]]],
    rows: Sequence[SweepRow],
    dim: Callable[[str], bool],
) -> None:
    """Rows of values under one column per combination, in chunks that fit the console."""
    label_width = max([len(first), *(len(name) for name, _ in lines)])
    headers = ["\n".join(_show(v) for v in row.combination.values()) for row in rows]
    widths = [
        max(
            [
                *(len(part) for part in header.split("\n")),
                *(len(values[index]) for _, values in lines),
            ]
        )
        for index, header in enumerate(headers)
    ]
    chunks: list[list[int]] = [[]]
    used = label_width
    for index, width in enumerate(widths):
        if chunks[-1] and used + width + 3 > out.width:
            chunks.append([])
            used = label_width
        chunks[-1].append(index)
        used += width + 3
    for chunk in chunks:
        table = Table(show_edge=False, pad_edge=False)
        table.add_column(first, style="bold", no_wrap=True)
        for index in chunk:
            table.add_column(headers[index], justify="right", no_wrap=True)
        for name, values in lines:
            table.add_row(
                name, *(values[index] for index in chunk), style="dim" if dim(name) else ""
            )
        out.print(table)


def _changes(changes: dict[str, Any]) -> str:
    if not changes:
        return "the Genesys defaults"
    return " ".join(
        f"-o {k}={str(v).lower() if isinstance(v, bool) else v}" for k, v in changes.items()
    )


_SHOWN_DIFFERENCES = 8


def print_fit(document: dict[str, Any]) -> None:
    """Exact fits, or the closest option sets with what still differs."""
    document = safe(document)
    out = console()
    verdict = "exact fit found" if document["exact"] else "no exact fit"
    out.print(
        Text.assemble(
            (document["session_id"], "bold"),
            f"  {document['tried']} option sets tried, ",
            (verdict, "green" if document["exact"] else "red"),
        )
    )
    for hint in document["hints"]:
        print_indented(out, f"hint: {hint}", 8, style="dim", first=2)
    heading = (
        "option sets that reproduce the report, smallest change first:"
        if document["exact"]
        else "closest option sets:"
    )
    out.print(heading)
    for number, item in enumerate(document["fits"], 1):
        print_indented(out, f"{number}. {_changes(item['changes'])}", 8, first=2)
        for d in item["differences"][:_SHOWN_DIFFERENCES]:
            print_indented(
                out,
                f"{d['key']}: computed {_show(d['computed'])}, reported {_show(d['reported'])}",
                9,
                first=7,
            )
        hidden = len(item["differences"]) - _SHOWN_DIFFERENCES
        if hidden > 0:
            out.print(Text(f"       ... and {hidden} more (--format json lists all)", style="dim"))


def _bar(value: float, top: float, width: int = 24) -> str:
    return "█" * round(width * value / top) if top else ""


def print_report(document: dict[str, Any]) -> None:
    """What made it, then all sessions: the headline figures, the termination matrix as bars,
    the distributions (a dash where one has no value, h:mm:ss from a minute up) and the
    customer-wait histogram; with --by, one row per group."""
    document = safe(document)
    from chatstats_core.render.summaries import bucket_label, duration_text, label, number

    out = console()
    _print_made(out, document)
    group = document["total"]
    out.print(Text("all sessions", style="bold"))
    print_indented(
        out,
        f"{number(group['sessions'])} sessions, "
        f"{number(group['abandoned'])} abandoned "
        f"({number(group['abandoned_percent'])}%), "
        f"{number(group['interactions_stopped'])} interactions stopped, "
        f"{number(group['still_open'])} still open, "
        f"{number(group['sessions_with_bots'])} with bots",
        4,
        first=2,
    )
    top = max(group["ended"].values(), default=0)
    for reason, count in group["ended"].items():
        out.print(
            f"  {reason:<22} {number(count):>7} {_bar(count, top)}",
            highlight=False,
            markup=False,
        )
    table = Table(show_edge=False, pad_edge=False)
    for column in ("seconds", "count", "mean", "median", "p90", "max"):
        table.add_column(column, justify="left" if column == "seconds" else "right")
    for key, d in group["distributions"].items():
        table.add_row(
            label(key),
            number(d["count"]),
            *(duration_text(d[k]) for k in ("mean", "median", "p90", "max")),
        )
    out.print(table)
    waits = group["distributions"]["customer_wait"]["buckets"]
    peak = max((b["count"] for b in waits), default=0)
    out.print(Text("  customer waits", style="dim"))
    for bucket in waits:
        out.print(
            f"  {bucket_label(bucket):>10} {number(bucket['count']):>7} "
            f"{_bar(bucket['count'], peak)}",
            highlight=False,
        )
    messages = ", ".join(f"{label(k)} {number(v)}" for k, v in group["messages"].items())
    print_indented(out, f"messages: {messages}", 4, style="dim", first=2)
    out.print()
    if document["by"]:
        _print_groups(out, document, compared=False)


def _print_groups(out: Console, document: dict[str, Any], compared: bool) -> None:
    """--by: one row per group (abandoned and stopped under A and B for report -a/-b)."""
    from chatstats_core.render.summaries import grouping, number

    heading = f"by {grouping(document)}: {len(document['groups']):,} groups"
    table = Table(title=heading, title_justify="left", show_edge=False)
    table.add_column(document["by"], no_wrap=True)
    figures: tuple[str, ...]
    if compared:
        figures = ("abandoned", "interactions_stopped")
        headings = ["sessions", "abandoned A", "abandoned B", "stopped A", "stopped B"]
    else:
        figures = ("abandoned", "abandoned_percent", "interactions_stopped", "still_open")
        headings = ["sessions", "abandoned", "abandoned %", "stopped", "still open"]
    for heading in headings:
        table.add_column(heading, justify="right")
    for group in document["groups"]:
        sides = (group["a"], group["b"]) if compared else (group,)
        table.add_row(
            group["group"],
            number(sides[0]["sessions"]),
            *(number(side[key]) for key in figures for side in sides),
        )
    out.print(table)
    out.print()


def _print_made(out: Console, document: dict[str, Any]) -> None:
    """One dim line: the version, the inputs, and the options that are not the defaults."""
    from chatstats_core import Options
    from chatstats_core.render.summaries import number, option_text

    made, inputs = document["generated_by"], document["inputs"]
    defaults = Options().effective()
    options = document["options"]
    sides = list(options.items()) if set(options) == {"a", "b"} else [("", options)]
    changed = []
    for side, values in sides:
        settings = " ".join(f"{k}={option_text(v)}" for k, v in values.items() if defaults[k] != v)
        changed.append(f"{side + ': ' if side else ''}{settings or 'the Genesys defaults'}")
    print_indented(
        out,
        f"{made['tool']} {made['version']}, {number(inputs['sessions'])} "
        f"sessions from {' '.join(inputs['given'])}; options "
        f"{'; '.join(changed)}",
        2,
        style="dim",
        first=0,
    )


def print_compared_report(document: dict[str, Any]) -> None:
    """report -a/-b: a table of every figure under A and B and the change over all sessions;
    with --by, one row per group."""
    document = safe(document)
    from chatstats_core.render.summaries import FIGURES, duration_text, label, number, signed

    out = console()
    _print_made(out, document)
    group = document["total"]
    a, b, delta = group["a"], group["b"], group["delta"]
    table = Table(title="all sessions", title_justify="left", show_edge=False, pad_edge=False)
    table.add_column("figure")
    for column in ("A", "B", "B - A"):
        table.add_column(column, justify="right")
    for key in FIGURES:
        table.add_row(label(key), number(a[key]), number(b[key]), signed(delta[key]))
    for key, change in delta["ended"].items():
        table.add_row(
            f"ended {key}",
            number(a["ended"].get(key, 0)),
            number(b["ended"].get(key, 0)),
            signed(change),
        )
    for key, d in a["distributions"].items():
        for stat in ("mean", "p90"):
            table.add_row(
                f"{label(key)} {stat}",
                duration_text(d[stat]),
                duration_text(b["distributions"][key][stat]),
                signed(delta["distributions"][key][stat]),
            )
    out.print(table)
    out.print()
    if document["by"]:
        _print_groups(out, document, compared=True)
