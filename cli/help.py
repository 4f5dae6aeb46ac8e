"""How chatstats's --help looks, whatever Typer's defaults: plain text, rewrapped paragraphs, each
argument and option named by its metavar (never ``<list[str]>`` or ``<bool>``), examples kept as
written, and usage errors in one clean sentence.

Typer renders help through rich markup by default, which eats bracketed text (``[settings]``)
and keeps docstring line breaks mid-sentence; ``rich_markup_mode=None`` on the app turns that off,
and these command classes name parameters the way the docs do. ``tests/cli/test_help.py``
renders every command's help, so a new Typer release cannot silently change it.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import signal
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

import typer
from typer.core import TyperCommand, TyperGroup

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


class Terminated(BaseException):
    """SIGTERM arrived: unwind (workers ended, terminal restored), then exit 143."""


def _on_sigterm(signum: int, frame: Any) -> None:
    raise Terminated


class HelpGroup(TyperGroup):
    """The app, and the one boundary of the process: the core's errors print their one line and
    exit with their status (2); usage errors print one clean line (and the usual hint) and
    exit 2; Ctrl-C says ``interrupted`` and exits 130; SIGTERM exits 143
    after the workers are ended; a closed pipe ends quietly, as ``cat`` does (killed by
    SIGPIPE); stdout that cannot be written (a full disk) is one line and exit 2."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        argv = list(sys.argv[1:] if args is None else args)
        prog_name = prog_name or "chatstats"
        self._main_shell_completion(extra, prog_name, complete_var)
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
        try:
            sys.exit(self._run(argv, prog_name, extra))
        finally:
            signal.signal(signal.SIGTERM, previous)

    def _run(self, args: list[str], prog_name: str, extra: dict[str, Any]) -> int:
        if sys.stdout is None:  # started with stdout closed: nothing could be printed
            sys.stderr.write(
                "chatstats: error: cannot write the output: standard output is closed\n"
            )
            return 2
        try:
            with self.make_context(prog_name, _global_options_first(args), **extra) as ctx:
                self.invoke(ctx)
            sys.stdout.flush()  # here, where a failure can still be reported
            return 0
        except typer.Exit as exc:
            sys.stdout.flush()
            return exc.exit_code
        except typer.Abort:
            sys.stderr.write("Aborted!\n")
            return 1
        except KeyboardInterrupt:
            sys.stderr.write("interrupted\n")
            _leave_now(130)
        except Terminated:
            _leave_now(143)
        except BrokenPipeError:
            _die_of_sigpipe()
            return 141  # not reached outside tests
        except OSError as exc:
            if exc.errno not in (errno.ENOSPC, errno.EBADF, errno.EIO, errno.EPIPE):
                raise
            sys.stderr.write(f"chatstats: error: cannot write the output: {exc.strerror or exc}\n")
            return _quiet_stdout(2)
        except _UsageError as exc:
            sys.stderr.write(_usage_line(exc) + "\n")
            return int(getattr(exc, "exit_code", 2))
        except typer.TyperException as exc:
            show = getattr(exc, "show", None)
            if show is None:
                raise
            if isinstance(getattr(exc, "message", None), str):
                exc.message = clean_message(exc.message)
            show()
            return int(getattr(exc, "exit_code", 2))
        except Exception as exc:
            return _failed(exc)


#: The app's own options that take a value, accepted after the command too (``chatstats replay
#: --engine python``): they are moved before it, where the app reads them.
GLOBAL_VALUE_OPTIONS = ("--engine",)


def _global_options_first(args: list[str]) -> list[str]:
    """``args`` with the global options (and their values) moved to the front; ``--`` ends the
    options, as usual."""
    front: list[str] = []
    rest: list[str] = []
    position = 0
    while position < len(args):
        arg = args[position]
        if arg == "--":
            rest += args[position:]
            break
        if arg in GLOBAL_VALUE_OPTIONS and position + 1 < len(args):
            front += args[position : position + 2]
            position += 2
            continue
        if arg.startswith(tuple(f"{name}=" for name in GLOBAL_VALUE_OPTIONS)):
            front.append(arg)
        else:
            rest.append(arg)
        position += 1
    return front + rest


#: The usage errors of the click that typer bundles (typer exports only this subclass of it).
_UsageError: type[Exception] = typer.BadParameter.__bases__[0]


def _usage_line(exc: Any) -> str:
    """A usage error as one line, like every other error: ``chatstats replay: error: No such
    option: --formt (Possible options: --format); see 'chatstats replay -h'``."""
    command = exc.ctx.command_path if exc.ctx is not None else "chatstats"
    message = " ".join(clean_message(exc.format_message()).split()).rstrip(".")
    return f"{command}: error: {message}; see '{command} -h'"


def _failed(exc: Exception) -> int:
    """The core's errors are said in their one line and exit with their status; anything
    else is a bug of ours: one line, not a trace (CHATSTATS_DEBUG=1: all of it). The core is
    imported only here, where it already is: ``--version`` stays fast."""
    from chatstats_core.errors import ChatstatsError

    if isinstance(exc, ChatstatsError):
        sys.stdout.flush()
        sys.stderr.write(exc.one_line() + "\n")
        return exc.exit_status
    if os.environ.get("CHATSTATS_DEBUG"):
        raise exc
    sys.stderr.write(
        f"chatstats: internal error: {type(exc).__name__}: {exc} (a "
        "chatstats bug: please report it; CHATSTATS_DEBUG=1 shows where)\n"
    )
    return _quiet_stdout(2)


def _quiet_stdout(status: int) -> int:
    """Point stdout at /dev/null, so the interpreter's last flush has nowhere to fail."""
    with contextlib.suppress(OSError, ValueError):
        sys.stdout.flush()
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass  # not a real file (a test runner's buffer): nothing will be flushed to a pipe
    return status


def _leave_now(status: int) -> NoReturn:
    """Exit at once after an interruption, output flushed: the worker pool was torn down under
    its own threads, and the interpreter's exit handlers would wait on them (or trip over their
    closed pipes) instead of leaving."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            stream.flush()
    os._exit(status)


def _die_of_sigpipe() -> None:
    """End the way ``cat`` does when its reader goes away: killed by SIGPIPE (status 141 in a
    shell), with no message. Only for a real stdout (a test runner's buffer never breaks)."""
    _quiet_stdout(0)
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGPIPE)
