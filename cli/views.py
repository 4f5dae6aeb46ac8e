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
    if isinstance(value, bool):
        return "yes" if value else "no"
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


def _event_label(details: dict[int, dict], index: int | None) -> str:
    if index is None:
        return "closure/now"
    event = details[index]
    role = event["role"] or "?"
    text = f' "{event["excerpt"]}"' if event["excerpt"] else ""
    return f"#{index} {event['party']} {role} {event['kind']}{text}"


def print_explanations(document: dict) -> None:
    """Each explanation: value and rule, then its intervals and events, one per line."""
    out = console()
    details = {d["index"]: d for d in document["event_details"]}
    out.print(Text(document["session_id"], style="bold"))
    for item in document["explanations"]:
        state = "attached" if item["attached"] else "not attached"
        out.print(Text.assemble((item["key"], "bold"), " = ", (str(item["value"]), "cyan"),
                                (f"  ({state})", "dim")))
        out.print(Text("  " + item["rule"], style="italic"), overflow="fold")
        if "timer_spans" in item:
            out.print("  idle spans of each timer:", highlight=False)
            for span in item["timer_spans"]:
                _print_span(out, details, span, f"    {span['timer']}: ",
                            started_by="alert expiry")
            out.print("  idle periods (their union):", highlight=False)
        excluded = item.get("excluded", [])
        for span in item["intervals"]:
            note = (f", {span['excluded_seconds']}s excluded" if "excluded_seconds" in span
                    else "")
            mark = " (the maximum)" if span.get("longest") else ""
            _print_span(out, details, span, "  ", note, mark, started_by=(
                "alert expiry" if "Idle" in item["key"] else "session start"))
            for part in excluded:
                if span["start"] <= part["start"] and part["end"] <= span["end"]:
                    out.print(f"      excluded {part['start']}s -> {part['end']}s = "
                              f"{part['seconds']}s: {part['why']}", overflow="fold",
                              highlight=False, markup=False)
        if item["events"] and not item["intervals"]:
            for index in item["events"]:
                out.print("  " + _event_label(details, index), markup=False, overflow="fold")
    closure = document["closure"]
    if closure:
        present = ", ".join(f"{p['party']} ({p['role']}, {p['visibility']})"
                            for p in closure["present_before"]) or "nobody"
        how = "simulated" if closure["simulated"] else f"event #{closure['event']}"
        out.print(Text(f"closure at {closure['t']}s by {closure['kind']} ({how}); present "
                       f"before it: {present}", style="bold"))
    for timer in document["timers"]:
        out.print(Text(f"timer {timer['timer']} {timer['stage']} at {timer['t']}s", style="dim"))


def _print_span(out: Console, details: dict, span: dict, indent: str, note: str = "",
                mark: str = "", started_by: str = "session start") -> None:
    start = (_event_label(details, span["from_event"]) if span["from_event"] is not None
             else started_by)
    out.print(f"{indent}{span['start']}s -> {span['end']}s = {span['seconds']}s{note}{mark}: "
              f"{start} -> "
              f"{_event_label(details, span['to_event'])}", overflow="fold",
              highlight=False, markup=False)


_STATE_STYLE = {"routing": "yellow", "active": "green", "dormant": "blue", "closed": "dim"}


def print_timeline(document: dict) -> None:
    """A table of entries (simulated ones in italics), then a presence bar per party."""
    out = console()
    out.print(Text.assemble((document["session_id"], "bold"), "  started ",
                            document["started_at"]))
    table = Table(show_edge=False, pad_edge=False)
    for column in ("offset", "at", "state", "event", "party", "detail", "present"):
        table.add_column(column, overflow="fold")
    for e in document["entries"]:
        style = "italic magenta" if e["simulated"] else ""
        party = f"{e['party']} ({e['role']})" if e["role"] else (e["party"] or "")
        table.add_row(f"+{e['t']}s", e["at"][11:19], Text(e["state"], _STATE_STYLE[e["state"]]),
                      Text(e["kind"], style), party, e["text"], ", ".join(e["present"]),
                      style=None)
    out.print(table)
    _print_bars(out, document)


def _print_bars(out: Console, document: dict, width: int = 50) -> None:
    end = max([document["end"], *(p["end"] for p in document["parties"])]) or 1
    label_width = max((len(f"{p['party']} ({p['role']})") for p in document["parties"]),
                      default=0)
    out.print(Text(f"{'presence':<{label_width}} 0s{' ' * (width - 2 - len(str(end)))}{end}s",
                   style="dim"))
    for p in document["parties"]:
        first = round(p["start"] / end * width)
        last = max(first + 1, round(p["end"] / end * width))
        bar = " " * first + "█" * (last - first) + " " * (width - last)
        label = f"{p['party']} ({p['role']})"
        out.print(Text.assemble(f"{label:<{label_width}} ", (bar, "green" if p["visibility"]
                                                             == "ALL" else "cyan")))


def _combination_label(combination: dict) -> str:
    return " ".join(_show(v) for v in combination.values())


def print_sweep(result) -> None:
    """The matrix transposed to fit a terminal: a row per figure (changing ones first, constant
    ones dimmed), a column per option combination."""
    out = console()
    out.print(Text("columns: " + " / ".join(result.varied), style="dim"))
    table = Table(show_edge=False, pad_edge=False)
    table.add_column("figure", style="bold")
    for row in result.rows:
        table.add_column(_combination_label(row.combination), justify="right")
    for column in result.columns:
        style = "" if column in result.changing else "dim"
        table.add_row(column, *(str(row.figures.get(column, 0)) for row in result.rows),
                      style=style)
    out.print(table)
    for key in (result.rows[0].kvps if result.rows else {}):
        kvp_table = Table(title=f"{key} (computed)", title_justify="left", show_edge=False,
                          pad_edge=False)
        kvp_table.add_column("session", style="bold")
        for row in result.rows:
            kvp_table.add_column(_combination_label(row.combination), justify="right")
        for label in result.sessions:
            kvp_table.add_row(label, *(_show(row.kvps[key][label]) for row in result.rows))
        out.print(kvp_table)


def _changes(changes: dict) -> str:
    if not changes:
        return "the Genesys defaults"
    return " ".join(f"-o {k}={str(v).lower() if isinstance(v, bool) else v}"
                    for k, v in changes.items())


_SHOWN_DIFFERENCES = 8


def print_fit(document: dict) -> None:
    """Exact fits, or the closest option sets with what still differs."""
    out = console()
    verdict = ("exact fit found" if document["exact"] else "no exact fit")
    out.print(Text.assemble((document["session_id"], "bold"),
                            f"  {document['tried']} option sets tried, ",
                            (verdict, "green" if document["exact"] else "red")))
    for hint in document["hints"]:
        out.print(Text(f"  hint: {hint}", style="dim"))
    heading = ("option sets that reproduce the report, smallest change first:" if document["exact"]
               else "closest option sets:")
    out.print(heading)
    for number, item in enumerate(document["fits"], 1):
        out.print(f"  {number}. {_changes(item['changes'])}", markup=False, overflow="fold")
        for d in item["differences"][:_SHOWN_DIFFERENCES]:
            out.print(f"       {d['key']}: computed {_show(d['computed'])}, reported "
                      f"{_show(d['reported'])}", markup=False, overflow="fold")
        hidden = len(item["differences"]) - _SHOWN_DIFFERENCES
        if hidden > 0:
            out.print(Text(f"       ... and {hidden} more (--format json lists all)", style="dim"))


def _bar(value: float, top: float, width: int = 24) -> str:
    return "█" * round(width * value / top) if top else ""


def print_report(document: dict) -> None:
    """What made it, then per group: the headline figures, the termination matrix as bars, the
    distributions (a dash where one has no value) and the customer-wait histogram."""
    from chatstats_core.report import bucket_label
    from chatstats_core.report_html import label, number

    out = console()
    _print_made(out, document)
    groups = [("all sessions", document["total"])]
    if document["by"]:
        groups += [(f"{document['by']}: {g['group']}", g) for g in document["groups"]]
    for name, group in groups:
        out.print(Text.assemble((name, "bold"), f"  {number(group['sessions'])} sessions, "
                                f"{number(group['abandoned'])} abandoned "
                                f"({number(group['abandoned_percent'])}%), "
                                f"{number(group['interactions_stopped'])} interactions stopped, "
                                f"{number(group['still_open'])} still open, "
                                f"{number(group['sessions_with_bots'])} with bots"))
        top = max(group["ended"].values(), default=0)
        for reason, count in group["ended"].items():
            out.print(f"  {reason:<22} {number(count):>7} {_bar(count, top)}", highlight=False,
                      markup=False)
        table = Table(show_edge=False, pad_edge=False)
        for column in ("seconds", "count", "mean", "median", "p90", "max"):
            table.add_column(column, justify="left" if column == "seconds" else "right")
        for key, d in group["distributions"].items():
            table.add_row(label(key), *(number(d[k]) for k in ("count", "mean", "median", "p90",
                                                                "max")))
        out.print(table)
        waits = group["distributions"]["customer_wait"]["buckets"]
        peak = max(waits) if waits else 0
        out.print(Text("  customer waits", style="dim"))
        for index, count in enumerate(waits):
            out.print(f"  {bucket_label(index):>10} {number(count):>7} {_bar(count, peak)}",
                      highlight=False)
        messages = ", ".join(f"{label(k)} {number(v)}" for k, v in group["messages"].items())
        out.print(Text(f"  messages: {messages}", style="dim"))
        out.print()


def _print_made(out: Console, document: dict) -> None:
    """One dim line: the version, the inputs, and the options that are not the defaults."""
    from chatstats_core import Options
    from chatstats_core.report import option_text
    from chatstats_core.report_html import number

    made, inputs = document["generated_by"], document["inputs"]
    defaults = Options().effective()
    options = document["options"]
    sides = list(options.items()) if set(options) == {"a", "b"} else [("", options)]
    changed = []
    for side, values in sides:
        settings = " ".join(f"{k}={option_text(v)}" for k, v in values.items()
                            if defaults[k] != v)
        changed.append(f"{side + ': ' if side else ''}{settings or 'the Genesys defaults'}")
    out.print(Text(f"{made['tool']} {made['version']}, {number(inputs['sessions'])} sessions "
                   f"from {' '.join(inputs['given'])}; options {'; '.join(changed)}",
                   style="dim"), overflow="fold")


def print_compared_report(document: dict) -> None:
    """report -a/-b: per group a table of every figure under A and B and the change."""
    from chatstats_core.report import FIGURES
    from chatstats_core.report_html import label, number, signed

    out = console()
    _print_made(out, document)
    groups = [("all sessions", document["total"])]
    if document["by"]:
        groups += [(f"{document['by']}: {g['group']}", g) for g in document["groups"]]
    for name, group in groups:
        a, b, delta = group["a"], group["b"], group["delta"]
        table = Table(title=name, title_justify="left", show_edge=False, pad_edge=False)
        table.add_column("figure")
        for column in ("A", "B", "B - A"):
            table.add_column(column, justify="right")
        for key in FIGURES:
            table.add_row(label(key), number(a[key]), number(b[key]), signed(delta[key]))
        for key, change in delta["ended"].items():
            table.add_row(f"ended {key}", number(a["ended"].get(key, 0)),
                          number(b["ended"].get(key, 0)), signed(change))
        for key, d in a["distributions"].items():
            for stat in ("mean", "p90"):
                table.add_row(f"{label(key)} {stat}", number(d[stat]),
                              number(b["distributions"][key][stat]),
                              signed(delta["distributions"][key][stat]))
        out.print(table)
        out.print()
