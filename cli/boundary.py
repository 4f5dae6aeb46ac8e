"""The one boundary of the process: every way a run can end becomes its exit status here.

The core's errors print their one line and exit with their status; usage errors print one clean
line (and the usual hint); Ctrl-C says ``interrupted``; SIGTERM ends the workers first; a closed
pipe ends quietly, as ``cat`` does (killed by SIGPIPE); stdout that cannot be written (a full
disk) is one line. The statuses are :class:`~chatstats_core.errors.ExitStatus`. Help texts live
apart, in ``help.py``.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import signal
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

import typer
from typer.core import TyperGroup

from chatstats_core.errors import ExitStatus

from .help import clean_message
from .invocation import invocation_scope


class Terminated(BaseException):
    """SIGTERM arrived: unwind (workers ended, terminal restored), then exit 143."""


def _on_sigterm(signum: int, frame: Any) -> None:
    raise Terminated


class BoundaryGroup(TyperGroup):
    """The app's group, run inside the boundary (see the module's docstring)."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        with invocation_scope():  # what this command line chose, gone when it ends
            return self._main(
                args, prog_name, complete_var, standalone_mode, windows_expand_args, **extra
            )

    def _main(
        self,
        args: Sequence[str] | None,
        prog_name: str | None,
        complete_var: str | None,
        standalone_mode: bool,
        windows_expand_args: bool,
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
            return ExitStatus.TROUBLE
        try:
            with self.make_context(prog_name, _global_options_first(args), **extra) as ctx:
                self.invoke(ctx)
            sys.stdout.flush()  # here, where a failure can still be reported
            return ExitStatus.OK
        except typer.Exit as exc:
            sys.stdout.flush()
            return exc.exit_code
        except typer.Abort:
            sys.stderr.write("Aborted!\n")
            return ExitStatus.DIFFERENT
        except KeyboardInterrupt:
            sys.stderr.write("interrupted\n")
            _leave_now(ExitStatus.INTERRUPTED)
        except Terminated:
            _leave_now(ExitStatus.TERMINATED)
        except BrokenPipeError:
            _die_of_sigpipe()
            return ExitStatus.PIPE_CLOSED  # not reached outside tests
        except OSError as exc:
            if exc.errno not in (errno.ENOSPC, errno.EBADF, errno.EIO, errno.EPIPE):
                raise
            sys.stderr.write(f"chatstats: error: cannot write the output: {exc.strerror or exc}\n")
            return _quiet_stdout(ExitStatus.TROUBLE)
        except _UsageError as exc:
            sys.stderr.write(_usage_line(exc) + "\n")
            return int(getattr(exc, "exit_code", ExitStatus.TROUBLE))
        except typer.TyperException as exc:
            show = getattr(exc, "show", None)
            if show is None:
                raise
            if isinstance(getattr(exc, "message", None), str):
                exc.message = clean_message(exc.message)
            show()
            return int(getattr(exc, "exit_code", ExitStatus.TROUBLE))
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
    return _quiet_stdout(ExitStatus.TROUBLE)


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
