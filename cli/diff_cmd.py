"""``chatstats diff``: two option sets, computed vs reported, or one saved run vs another."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Annotated, assert_never

import typer

from chatstats_core.errors import ExitStatus

if TYPE_CHECKING:
    from chatstats_core.corpus.batch import Outcome
    from chatstats_core.engine.options import Options
    from chatstats_core.workflows.compare import KeyFilter, SessionDiff
    from chatstats_core.workflows.reported import ReportedSet

from .common import (
    BatchOptions,
    Color,
    ColorChoice,
    CsvColumn,
    Jobs,
    KeepGoing,
    OptionAssignments,
    OptionsFileA,
    OptionsFileB,
    OptionsFilePath,
    Quiet,
    SideA,
    SideB,
    Verbose,
    load_options,
    pick_format,
    run_batch,
    say,
    use_color,
    write_json,
    write_out,
)


class DiffFormat(enum.StrEnum):
    """``--format`` values of diff."""

    table = "table"
    json = "json"
    jsonl = "jsonl"


def diff(
    files: Annotated[
        list[str],
        typer.Argument(
            metavar="FILE...", help="Transcripts; or two saved 'replay --format jsonl' outputs."
        ),
    ],
    side_a: SideA = None,
    side_b: SideB = None,
    options_file_a: OptionsFileA = None,
    options_file_b: OptionsFileB = None,
    expected: Annotated[
        str | None,
        typer.Option(
            "--expected",
            metavar="REPORTED",
            help="Reported values (- for standard input): JSON KVPs, any replay output but the "
            "table, key=value lines or a Genesys log paste; several sessions are matched by "
            "id.",
        ),
    ] = None,
    option: OptionAssignments = None,
    options_file: OptionsFilePath = None,
    only_reported: Annotated[
        bool, typer.Option("--only-reported", help="Compare only the keys the report has.")
    ] = False,
    ignore: Annotated[
        list[str] | None,
        typer.Option(
            "--ignore", metavar="PATTERN", help="Skip keys matching this glob (repeatable)."
        ),
    ] = None,
    id_column: Annotated[
        str | None,
        typer.Option(
            "--id-column",
            metavar="NAME",
            help="The column of an Info Mart export that names each session (by default "
            "SESSION_ID or MEDIA_SERVER_IXN_GUID, in any case).",
        ),
    ] = None,
    output_format: Annotated[
        DiffFormat | None,
        typer.Option("--format", "-f", help="[default: table on a terminal, json otherwise]"),
    ] = None,
    show_all: Annotated[
        bool, typer.Option("--all", help="Show the sessions that do not differ too.")
    ] = False,
    brief: Annotated[
        bool,
        typer.Option(
            "--brief", help="One line per differing session: its id and the keys that differ."
        ),
    ] = False,
    csv_column: CsvColumn = None,
    jobs: Jobs = 1,
    keep_going: KeepGoing = False,
    quiet: Quiet = False,
    color: Color = ColorChoice.auto,
    verbose: Verbose = False,
) -> None:
    """Compare statistics: two option sets (-a/-b), computed vs reported (--expected), or two
    saved runs. Like GNU diff, only what differs is shown (--all shows every session); a summary
    goes to stderr. Exit 0 when nothing differs, 1 when something does, 2 on trouble."""
    use_color(color)
    from chatstats_core.errors import UsageError
    from chatstats_core.safetext import shown
    from chatstats_core.workflows.compare import OptionSetsTask, ignoring
    from chatstats_core.workflows.reported import read_reported

    keys, unmatched = ignoring(ignore or (), only_reported)
    for pattern in unmatched:
        say(
            f"diff: warning: --ignore {shown(pattern)!r} matches no KVP, classification field "
            "or Info Mart column (see 'chatstats explain' for the names)"
        )
    two_sides = bool(side_a or side_b or options_file_a or options_file_b)
    if expected is not None and two_sides:
        raise UsageError("give either -a/-b or --expected, not both", source="diff")
    if jobs != 1 and not (two_sides or expected is not None):
        say("diff: note: --jobs applies to transcripts; two saved runs are compared in one process")
    sink = _Sink(pick_format(output_format, DiffFormat), show_all, brief)
    batch = BatchOptions(jobs, csv_column, quiet, verbose)
    base = load_options(option, options_file)
    if expected is not None:
        reported = read_reported(expected, id_column)
        failed = _computed_vs_reported(files, batch, reported, base, keys, sink)
    elif two_sides:
        task = OptionSetsTask(
            load_options(side_a, options_file_a, base),
            load_options(side_b, options_file_b, base),
            keys,
        )
        failed = run_batch(files, task, batch, lambda o: sink.add(o.payload), verb=None).failed
    else:
        failed = _run_vs_run(files, keys, sink)
    sink.finish()
    if not quiet:
        say(sink.tally.summary().line())
    if failed and not keep_going:
        raise typer.Exit(ExitStatus.TROUBLE)
    raise typer.Exit(ExitStatus.DIFFERENT if sink.tally.different else ExitStatus.OK)


class _Sink:
    """Takes each session's differences as they come: JSON Lines are written at once (memory
    stays flat over a corpus); the JSON document and the table need them all, at the end."""

    def __init__(self, chosen: DiffFormat, show_all: bool, brief: bool) -> None:
        from chatstats_core.workflows.compare import DiffTally

        self.chosen = chosen
        self.show_all = show_all
        self.brief = brief
        self.tally = DiffTally()
        self.kept: list[SessionDiff] = []

    def add(self, diff: SessionDiff) -> None:
        self.tally.add(diff)
        if not (diff.is_different or self.show_all):
            return
        if self.brief:
            from chatstats_core.workflows.compare import brief_line

            if diff.is_different:
                write_out(brief_line(diff) + "\n")
            return
        match self.chosen:
            case DiffFormat.jsonl:  # written at once: memory stays flat over a corpus
                import orjson

                from chatstats_core.workflows.compare import session_to_dict

                write_out(orjson.dumps(session_to_dict(diff)).decode() + "\n")
            case DiffFormat.json | DiffFormat.table:
                self.kept.append(diff)
            case _:
                assert_never(self.chosen)

    def finish(self) -> None:
        if self.brief:
            return
        match self.chosen:
            case DiffFormat.table:
                from .views import print_diffs

                print_diffs(self.kept)
            case DiffFormat.json:
                from chatstats_core.workflows.compare import diffs_to_document

                write_json(diffs_to_document(self.kept, self.tally.summary()))
            case DiffFormat.jsonl:
                pass  # each line was written as it came
            case _:
                assert_never(self.chosen)


def _computed_vs_reported(
    files: list[str],
    batch: BatchOptions,
    reported: ReportedSet,
    options: Options,
    keys: KeyFilter,
    sink: _Sink,
) -> int:
    from chatstats_core.engine import ATTACHED_UNDER_NONE
    from chatstats_core.engine.options import AttachLevel
    from chatstats_core.workflows.compare import AgainstReport, ExpectedTask

    for note in reported.notes:
        say(note)
    beyond = {key for r in reported.sessions for key in r.kvps} - ATTACHED_UNDER_NONE
    if options.attach_session_statistics is AttachLevel.NONE and beyond:
        # else every one of them is a "right-only" line, and nothing says why
        say(
            "diff: note: attach-session-statistics is none (the Genesys default), so the computed "
            f"side attaches only the four always-attached KVPs, and the report has {len(beyond)} "
            "more: give -o attach-session-statistics=fired (or =all), as the customer's Chat "
            "Server must have had"
        )
    for problem in reported.problems:  # rows of the report that could not be read
        say(problem)
    against = AgainstReport(reported, keys)

    def emit(outcome: Outcome) -> None:
        sink.add(against.diff(outcome.payload, outcome.source))

    counts = run_batch(files, ExpectedTask(options), batch, emit, verb=None)
    for diff in against.unmatched():
        sink.add(diff)
    if against.no_id_matched():
        _say_no_id_matched(against.computed_only, reported)
    return counts.failed + len(reported.problems)


def _say_no_id_matched(computed: list[str], reported: ReportedSet) -> None:
    """No session met its report: the ids each side has, so a wrong id column is visible."""
    from chatstats_core.safetext import listed

    theirs = [r.session_id or "?" for r in reported.sessions]
    say(
        f"diff: warning: no session of the report matched a transcript by id: the transcripts "
        f"have {listed(computed)}; the report has {listed(theirs)} (an Info Mart export may name "
        "sessions by another id: give --id-column)"
    )


def _run_vs_run(files: list[str], keys: KeyFilter, sink: _Sink) -> int:
    from chatstats_core.workflows.compare import diff_saved_runs

    if len(files) != 2:
        from chatstats_core.errors import UsageError

        raise UsageError(
            "say what to compare: -a/-b option sets, --expected REPORTED, or two saved replay "
            "outputs (OLD.jsonl NEW.jsonl)",
            source="diff",
        )
    for diff in diff_saved_runs(files[0], files[1], keys):
        sink.add(diff)
    return 0
