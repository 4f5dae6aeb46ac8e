"""How chatstats's --help looks, whatever Typer's defaults: plain text, rewrapped paragraphs, each
argument and option named by its metavar (never ``<list[str]>`` or ``<bool>``), examples kept as
written, and usage errors in one clean sentence.

Typer renders help through rich markup by default, which eats bracketed text (``[settings]``)
and keeps docstring line breaks mid-sentence; ``rich_markup_mode=None`` on the app turns that off,
and these command classes name parameters the way the docs do. ``tests/cli/test_help.py``
renders every command's help, so a new Typer release cannot silently change it.
"""

from __future__ import annotations

import re
from typing import Any

from typer.core import TyperCommand

#: Prefixes pydantic puts before a validator's message; a user needs only the message.
_NOISE = ("Value error, ", "Assertion failed, ")

#: Each command's examples, shown at the end of its --help.
EXAMPLES: dict[str, tuple[str, ...]] = {
    "replay": (
        "chatstats replay samples/01-answered-chat.json -o attach-session-statistics=all",
        "chatstats replay samples/real/*.xml -f jsonl -o attach-session-statistics=fired",
        "chatstats replay samples/08-inactivity-closure.json --options-file "
        "samples/08-inactivity-closure.ini",
        "chatstats replay sessions.jsonl --jobs 2 -f csv > sessions.csv",
    ),
    "options": ("chatstats options", "chatstats options -f json"),
    "diff": (
        "chatstats diff samples/real -a stop-abandoned-interaction=never "
        "-b stop-abandoned-interaction=noanswer",
        "chatstats diff samples/01-answered-chat.json --expected samples/reported-log.txt",
        "chatstats diff old.jsonl new.jsonl -q",
    ),
    "explain": (
        "chatstats explain samples/07-async-dormant.json cse_AgentReplyMaxTime",
        "chatstats explain samples/08-inactivity-closure.json cse_ActiveIdleTotalTime "
        "--options-file samples/08-inactivity-closure.ini",
    ),
    "timeline": (
        "chatstats timeline samples/07-async-dormant.json",
        "chatstats timeline samples/real/06-two-agents-agent-leaves-an-hour-later.xml "
        "-o inactivity-control/enabled=true -f text",
    ),
    "sweep": (
        "chatstats sweep samples/real --vary stop-abandoned-interaction=never,noanswer,noagents",
        "chatstats sweep sessions.jsonl --vary timeout-alert=60,120 --vary "
        "inactivity-control/enabled=true -f csv",
    ),
    "fit": ("chatstats fit samples/01-answered-chat.json --expected samples/reported-log.txt",),
    "validate": (
        "chatstats validate samples/real/*.xml",
        "chatstats validate samples/real/*.xml -f json",
    ),
    "convert": (
        "chatstats convert samples/04-forced-close-by-agent.xml --to json",
        "chatstats convert samples/real/*.xml --to json --out converted/",
    ),
    "redact": ("chatstats redact samples/real/*.xml --out redacted/",),
    "generate": (
        "chatstats generate -n 200 --seed 7 --out sessions.jsonl",
        "chatstats generate -n 50 --bots --async-share 0.2 --out corpus/ --to xml",
    ),
    "report": (
        "chatstats report samples/real",
        "chatstats report sessions.jsonl --by day --html report.html",
    ),
}


#: Each command's line in ``chatstats --help`` (short enough not to be cut).
SUMMARIES: dict[str, str] = {
    "replay": "Replay transcripts: the KVPs Chat Server would attach.",
    "options": "List every option: default, valid values, meaning.",
    "diff": "Compare two option sets, computed vs reported, or two runs.",
    "explain": "Explain KVPs: value, rule and the evidence behind it.",
    "timeline": "Show a session as recorded and simulated events.",
    "sweep": "Replay under every combination of varied options.",
    "fit": "Find the option values that reproduce a report.",
    "validate": "Report every problem of each transcript, located.",
    "convert": "Convert between Genesys XML and canonical JSON.",
    "redact": "Write transcripts safe to share, statistics kept.",
    "generate": "Write realistic synthetic sessions, reproducibly.",
    "report": "Aggregate a corpus as the GCXI chat reports do.",
}


def command_help(command: str) -> dict[str, Any]:
    """What ``app.command`` takes for a command's help: its class, summary and examples."""
    return {"cls": HelpCommand, "short_help": SUMMARIES[command], "epilog": epilog(command)}


def epilog(command: str) -> str:
    """The ``Examples:`` block of a command's help (``\\b`` keeps its lines as written)."""
    return "Examples:\n\n\b\n" + "\n".join(f"  {line}" for line in EXAMPLES[command])


def clean_message(message: str) -> str:
    """A usage error's message without the validation library's prefixes."""
    for noise in _NOISE:
        message = message.replace(noise, "")
    return message


#: Typer's type labels (``<int range>``) as the names the docs use.
_TYPE_LABELS = {
    "int": "N",
    "int range": "N",
    "float": "NUMBER",
    "float range": "NUMBER",
    "str": "TEXT",
    "path": "PATH",
    "bool": "",
}
_TYPE_LABEL = re.compile(r" <([^<>]+)>$")


def _option_name(record_name: str) -> str:
    """``-j, --jobs N`` for Typer's ``-j, --jobs <int range>``; choices as ``a|b|c``."""

    def label(match: re.Match[str]) -> str:
        text = match.group(1)
        shown = _TYPE_LABELS.get(text, text)
        return f" {shown}" if shown else ""

    return _TYPE_LABEL.sub(label, record_name)


def _argument_name(param: Any) -> str:
    """``INPUT...`` for a list argument, ``FILE`` for one, from the metavar when there is one."""
    name = (param.metavar or param.name.upper()).removesuffix("...")
    return f"{name}..." if param.nargs != 1 else name


class HelpCommand(TyperCommand):
    """A command whose help names arguments by metavar, in usage and in the argument list."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                name = _argument_name(param)
                pieces.append(name if param.required else f"[{name}]")
        return pieces

    def format_options(self, ctx: Any, formatter: Any) -> None:
        arguments: list[tuple[str, str]] = []
        options: list[tuple[str, str]] = []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "argument":
                arguments.append((_argument_name(param), record[1]))
            else:
                options.append((_option_name(record[0]), record[1]))
        if arguments:
            with formatter.section("Arguments"):
                formatter.write_dl(arguments)
        if options:
            with formatter.section("Options"):
                formatter.write_dl(options)
