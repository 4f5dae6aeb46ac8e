"""What every command shares: messages on stderr, one error boundary, options and inputs."""

from __future__ import annotations

import enum
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from chatstats_core.errors import ExitStatus

from .invocation import ColorChoice as ColorChoice
from .invocation import invocation

if TYPE_CHECKING:  # the core is imported where it is used: --version stays fast
    from rich.progress import Progress, TaskID

    from chatstats_core import Options, Result
    from chatstats_core.corpus.batch import Outcome, SessionTask
    from chatstats_core.corpus.inputs import OneSession
    from chatstats_core.errors import ChatstatsWarning
    from chatstats_core.transcript.limits import Limits

F = TypeVar("F", bound=enum.Enum)


def say(message: str) -> None:
    """One message line on stderr."""
    sys.stderr.write(message.rstrip("\n") + "\n")


OptionAssignments = Annotated[
    list[str] | None,
    typer.Option(
        "-o",
        "--option",
        metavar="[SECTION/]NAME=VALUE",
        help="Set a Chat Server option, e.g. -o attach-session-statistics=all "
        "(repeatable; wins over --options-file). See 'chatstats options'.",
    ),
]
OptionsFilePath = Annotated[
    Path | None,
    typer.Option(
        "--options-file",
        metavar="FILE",
        help="INI exported from Configuration Manager ([settings], "
        "[inactivity-control]); other sections and options are ignored.",
    ),
]


def load_options(
    assignments: list[str] | None, options_file: Path | None, base: Options | None = None
) -> Options:
    """Options from an INI file then ``-o`` assignments, over ``base``."""
    from chatstats_core.corpus.files import read_text_file
    from chatstats_core.engine.options import build_options, read_options_file

    if options_file is not None:
        loaded = read_options_file(
            read_text_file(options_file, "options file"), str(options_file), base
        )
        for note in loaded.notes:
            say(note)
        base = loaded.options
    return build_options(assignments or [], base)


def warn_all(source: str, warnings: Sequence[ChatstatsWarning]) -> None:
    """Each warning of a result as ``file: warning: ...``."""
    if not warnings:
        return
    from chatstats_core.errors import warning_lines

    for line in warning_lines(source, warnings):
        say(line)


def pick_format(chosen: F | None, choices: type[F]) -> F:
    """The format asked for, else ``table`` on a terminal and ``json`` otherwise."""
    if chosen is not None:
        return chosen
    return choices["table" if sys.stdout.isatty() else "json"]


#: Characters written to stdout at a time: at most 64 KiB of UTF-8, a pipe's capacity.
_STDOUT_PIECE = 16384


def write_out(text: str) -> None:
    """Text on stdout, a large one in pieces: CPython loses the rest of one large write that a
    closing reader cuts short, without an error (the process then exits 0 under ``| head``);
    pieces no larger than a pipe end in BrokenPipeError, and the process in SIGPIPE."""
    if len(text) <= _STDOUT_PIECE:
        sys.stdout.write(text)
        return
    for start in range(0, len(text), _STDOUT_PIECE):
        sys.stdout.write(text[start : start + _STDOUT_PIECE])


def write_json(document: Any) -> None:
    """An indented JSON document on stdout."""
    import orjson

    write_out(orjson.dumps(document, option=orjson.OPT_INDENT_2).decode() + "\n")


def load_one(
    name: str, max_size_mib: int = 64, session_id: str | None = None, max_events: int | None = None
) -> OneSession:
    """The one transcript a command works on (with ``session_id``, the session of that id);
    several sessions without one is an error saying how many and how to pick. ``max_events``
    lowers the events a transcript may hold (explain and timeline keep every event's trace)."""
    from dataclasses import replace

    from chatstats_core.corpus.inputs import one_session

    limits = limits_for(max_size_mib)
    if max_events is not None:
        limits = replace(limits, max_events=min(max_events, limits.max_events))
    return one_session(name, limits, session_id)


SessionChoice = Annotated[
    str | None,
    typer.Option(
        "--session",
        metavar="ID",
        help="The session to work on, by id, when the input holds several (a folder, JSON Lines).",
    ),
]


MaxSize = Annotated[
    int,
    typer.Option(
        "--max-size", metavar="MIB", min=1, help="Refuse a transcript larger than this many MiB."
    ),
]


def limits_for(max_size_mib: int) -> Limits:
    """The loading limits with the size limit the user chose."""
    from dataclasses import replace

    from chatstats_core.transcript.limits import DEFAULT_LIMITS, MIB

    return replace(DEFAULT_LIMITS, max_bytes=max_size_mib * MIB)


def replay_one(
    name: str,
    assignments: list[str] | None,
    options_file: Path | None,
    at: float | None = None,
    trace: bool = False,
    max_size_mib: int = 64,
    session_id: str | None = None,
) -> Result:
    """Load options and one transcript, replay it, say its warnings: for explain and timeline,
    which show every event, so a transcript holds at most ``MAX_TRACED_EVENTS`` of them and
    memory stays bounded."""
    from chatstats_core.engine import replay_session
    from chatstats_core.errors import TooManyEventsError
    from chatstats_core.transcript.limits import DEFAULT_LIMITS
    from chatstats_core.workflows.timeline import MAX_TRACED_EVENTS

    options = load_options(assignments, options_file)
    try:
        transcript = load_one(name, max_size_mib, session_id, MAX_TRACED_EVENTS).transcript
    except TooManyEventsError as exc:
        exc.expected = (
            f"at most {MAX_TRACED_EVENTS} for explain and timeline, which show every event; "
            f"replay and the batch commands read up to {DEFAULT_LIMITS.max_events}"
        )
        raise
    result = replay_session(transcript, options, at, trace=trace)
    warn_all(transcript.source, result.warnings)
    return result


Jobs = Annotated[
    int,
    typer.Option(
        "--jobs",
        "-j",
        min=0,
        help="Workers (0: one per core): the native core's threads, else worker processes; "
        "output order and bytes do not change.",
    ),
]
CsvColumn = Annotated[
    str | None,
    typer.Option(
        "--csv-column",
        metavar="NAME",
        help="Inputs are CSV exports (UCS, say) whose column NAME holds a transcript per row.",
    ),
]
KeepGoing = Annotated[
    bool,
    typer.Option(
        "--keep-going", help="Exit 0 even when some inputs failed (they are still reported)."
    ),
]


Color = Annotated[
    ColorChoice,
    typer.Option(
        "--color",
        metavar="auto|always|never",
        help="Colour in tables: auto (on a terminal, unless NO_COLOR is set), always, or never.",
    ),
]


def use_color(choice: ColorChoice) -> None:
    """Apply --color to every console this command makes."""
    invocation().color = choice


Quiet = Annotated[
    bool,
    typer.Option("--quiet", "-q", help="No progress bar and no summary line."),
]


@dataclass
class Counts:
    """What a batch did."""

    replayed: int = 0
    skipped: int = 0
    failed: int = 0
    declined: Counter[str] = field(default_factory=Counter)  # by the native core, by reason


SideA = Annotated[
    list[str] | None,
    typer.Option(
        "-a",
        metavar="[SECTION/]NAME=VALUE",
        help="An option of the left side, A (repeatable; on top of -o and --options-file).",
    ),
]
SideB = Annotated[
    list[str] | None,
    typer.Option(
        "-b", metavar="[SECTION/]NAME=VALUE", help="An option of the right side, B (repeatable)."
    ),
]
OptionsFileA = Annotated[
    Path | None,
    typer.Option("--options-file-a", metavar="FILE", help="INI options of the left side."),
]
OptionsFileB = Annotated[
    Path | None,
    typer.Option("--options-file-b", metavar="FILE", help="INI options of the right side."),
]
Verbose = Annotated[
    bool,
    typer.Option("--verbose", "-v", help="Also list every file skipped, with the reason."),
]


@dataclass(frozen=True)
class BatchOptions:
    """What every batch command (replay, diff, sweep, report) takes alike: ``--jobs``,
    ``--csv-column``, ``--quiet``, ``--verbose``."""

    jobs: int = 1
    csv_column: str | None = None
    quiet: bool = False
    verbose: bool = False


def run_batch(
    specs: list[str],
    task: SessionTask,
    batch: BatchOptions,
    emit: Callable[[Outcome], None],
    verb: str | None,
) -> Counts:
    """Expand the inputs, replay them (in workers when asked) with the engine this invocation
    chose, hand each success to ``emit``, say errors and warnings as they come, show progress on
    a terminal, and sum up at the end (as ``verb: ...``; with no verb, the caller says its own
    summary)."""
    import time

    from chatstats_core.corpus.batch import Outcome, run
    from chatstats_core.corpus.inputs import SkippedFile, expand, known_count
    from chatstats_core.corpus.native import NativeRun

    workers = worker_count(batch.jobs)
    quiet, verbose = batch.quiet, batch.verbose
    counts = Counts()
    started = time.perf_counter()
    with _progress(quiet, lambda: known_count(specs, batch.csv_column)) as advance:
        items = expand(specs, batch.csv_column, task.limits, deferred=True)
        for outcome in run(items, task, workers, invocation().engine):
            if isinstance(outcome, NativeRun):  # sessions of a JSON Lines file, in a row
                counts.replayed += outcome.sessions
                for source, warnings in outcome.warned:
                    warn_all(source, warnings)
                emit(Outcome("", text=outcome.text))
                advance(counts.failed, outcome.sessions)
                continue
            if isinstance(outcome, SkippedFile):
                counts.skipped += 1
                if verbose:
                    from chatstats_core.errors import format_location

                    say(f"{format_location(outcome.path)}: skipped: {outcome.reason}")
                continue
            if outcome.declined:
                counts.declined[outcome.declined] += 1
            if outcome.error is not None:
                counts.failed += 1
                say(outcome.error)
            else:
                counts.replayed += outcome.sessions
                warn_all(outcome.source, outcome.warnings)
                emit(outcome)
            advance(counts.failed, outcome.sessions)
    if not (counts.replayed or counts.skipped or counts.failed):
        # an empty folder, or a path with a typo that names one: say so, the run is still fine
        from chatstats_core.safetext import listed

        say(f"{verb or 'chatstats'}: warning: no transcript found in {listed(specs)}")
    if verb is not None and not quiet:
        noun = "session" if counts.replayed == 1 else "sessions"
        say(
            f"{verb}: {counts.replayed} {noun} replayed, {counts.skipped} skipped, "
            f"{counts.failed} failed in {time.perf_counter() - started:.2f}s"
        )
    if verbose and counts.declined:
        reasons = ", ".join(f"{n} {why}" for why, n in sorted(counts.declined.items()))
        left = counts.declined.total()
        noun = "session" if left == 1 else "sessions"
        say(f"note: the native engine left {left} {noun} to the Python engine: {reasons}")
    return counts


#: More worker processes than this many per core only cost memory: --jobs is clamped to it.
WORKERS_PER_CORE = 4


def worker_count(jobs: int) -> int:
    """--jobs as worker processes: 0 means one per core; more than WORKERS_PER_CORE per core
    is clamped, with a note (a million processes would exhaust the machine)."""
    import os

    cores = os.cpu_count() or 1
    if jobs == 0:
        return cores
    most = cores * WORKERS_PER_CORE
    if jobs > most:
        say(f"note: --jobs {jobs} clamped to {most} ({WORKERS_PER_CORE} per core on this machine)")
        return most
    return jobs


def exit_for(counts: Counts, keep_going: bool) -> None:
    """Exit 2 when an input failed, unless ``--keep-going``."""
    if counts.failed and not keep_going:
        raise typer.Exit(ExitStatus.TROUBLE)


#: Seconds a batch runs before its progress bar appears: short runs (and a pipe into ``head``
#: that closes at once) never draw one, so no stale ``0/N`` bar is left before the data. The
#: environment variable CHATSTATS_PROGRESS_DELAY changes it (the tests set 0).
PROGRESS_DELAY = 1.0


def _progress_delay() -> float:
    import os

    try:
        return max(0.0, float(os.environ.get("CHATSTATS_PROGRESS_DELAY", PROGRESS_DELAY)))
    except ValueError:
        return PROGRESS_DELAY


@contextmanager
def _progress(
    quiet: bool, count_total: Callable[[], int | None]
) -> Iterator[Callable[[int, int], None]]:
    """A rich progress bar on stderr, only when stderr is a terminal and stdout is not (data on
    the same screen would tear it), without --quiet, and only once the batch has run
    ``PROGRESS_DELAY`` seconds. ``count_total()`` gives the number of sessions when it is known
    (then the bar has an end and a time left)."""
    if quiet or not sys.stderr.isatty() or sys.stdout.isatty():
        yield lambda failed, sessions: None
        return
    bar = _LazyBar(count_total)
    try:
        yield bar.advance
    finally:
        bar.stop()


class _LazyBar:
    """The progress bar, drawn only after ``PROGRESS_DELAY`` seconds, then kept up to date."""

    def __init__(self, count_total: Callable[[], int | None]) -> None:
        import time

        self.count_total = count_total
        self.clock = time.monotonic
        self.started_at = self.clock()
        self.delay = _progress_delay()
        self.done = 0
        self.shown: tuple[Progress, TaskID] | None = None  # the bar, once drawn

    def advance(self, failed: int, sessions: int = 1) -> None:
        """``sessions`` more done, ``failed`` of all so far failed."""
        self.done += sessions
        if self.shown is None:
            if self.clock() - self.started_at < self.delay:
                return
            self.shown = self._start()
        progress, task = self.shown
        speed = progress.tasks[0].speed
        progress.update(
            task,
            completed=self.done,
            failed=failed,
            rate=f"{speed:.0f} sessions/s" if speed else "",
        )

    def _start(self) -> tuple[Progress, TaskID]:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        from .views import console

        total = self.count_total()
        columns = [
            TextColumn("replaying"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TextColumn("[red]{task.fields[failed]} failed"),
            TextColumn("elapsed"),
            TimeElapsedColumn(),
        ]
        if total is not None:
            columns += [TextColumn("left"), TimeRemainingColumn()]
        # stdout carries data: rich must not redirect it into the bar's console (stderr);
        # stderr messages are redirected, so warnings print above the bar instead of tearing it.
        progress = Progress(
            *columns,
            console=console(stderr=True),
            transient=True,
            redirect_stdout=False,
            redirect_stderr=True,
        )
        progress.start()
        task = progress.add_task("replay", total=total, failed=0, rate="")
        # the bar appears after the delay, but the run began before it: elapsed counts from there
        progress.tasks[-1].start_time = self.started_at
        return progress, task

    def stop(self) -> None:
        """Take the bar off the screen (a transient bar leaves nothing behind)."""
        if self.shown is not None:
            self.shown[0].stop()
