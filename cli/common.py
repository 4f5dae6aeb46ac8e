"""What every command shares: messages on stderr, one error boundary, options and inputs."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, NoReturn

import typer

EXIT_OK = 0
EXIT_DIFFERENT = 1
EXIT_TROUBLE = 2


def say(message: str) -> None:
    """One message line on stderr."""
    sys.stderr.write(message.rstrip("\n") + "\n")


def fatal(message: str) -> NoReturn:
    """Say it and exit 2."""
    say(message)
    raise typer.Exit(EXIT_TROUBLE)


OptionAssignments = Annotated[
    list[str] | None,
    typer.Option("-o", "--option", metavar="[SECTION/]NAME=VALUE",
                 help="Set a Chat Server option, e.g. -o attach-session-statistics=all "
                      "(repeatable; wins over --options-file). See 'chatstats options'."),
]
OptionsFilePath = Annotated[
    Path | None,
    typer.Option("--options-file", metavar="FILE",
                 help="INI exported from Configuration Manager ([settings], "
                      "[inactivity-control]); other sections and options are ignored."),
]


def read_text(path: Path | str, what: str) -> str:
    """A text file's content, or exit 2 naming it."""
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        fatal(f"{path}: error: cannot read {what}: {getattr(exc, 'strerror', None) or exc}")


def load_options(assignments: list[str] | None, options_file: Path | None, base=None):
    """Options from an INI file then ``-o`` assignments, over ``base``; exit 2 when bad."""
    from chatstats_core import ChatstatsError, build_options, read_options_file

    try:
        if options_file is not None:
            loaded = read_options_file(read_text(options_file, "options file"),
                                       str(options_file), base)
            for note in loaded.notes:
                say(note)
            base = loaded.options
        return build_options(assignments or [], base)
    except ChatstatsError as exc:
        fatal(exc.one_line())


class Inputs:
    """Loads the named transcripts one by one, reporting and counting those that fail."""

    def __init__(self, names: list[str], limits=None) -> None:
        from chatstats_core.limits import DEFAULT_LIMITS

        self.names = names
        self.limits = limits or DEFAULT_LIMITS
        self.failed = 0

    def __iter__(self) -> Iterator:
        from chatstats_core import ChatstatsError, load_bytes, load_path

        stdin_used = False
        for name in self.names:
            try:
                if name == "-":
                    if stdin_used:
                        raise ChatstatsError("stdin can be read only once", source="-")
                    stdin_used = True
                    yield load_bytes(sys.stdin.buffer.read(), "-", "stdin", self.limits)
                else:
                    yield load_path(name, self.limits)
            except ChatstatsError as exc:
                self.failed += 1
                say(exc.with_source(name).one_line())

    def fail(self, error) -> None:
        """Report an error met while processing an input that did load."""
        self.failed += 1
        say(error.one_line())


def warn_all(source: str, warnings) -> None:
    """Each warning of a result as ``file: warning: ...``."""
    for warning in warnings:
        say(f"{source}: warning: {warning}")


def pick_format(chosen, choices):
    """The format asked for, else ``table`` on a terminal and ``json`` otherwise."""
    if chosen is not None:
        return chosen
    return choices.table if sys.stdout.isatty() else choices.json


def write_json(document) -> None:
    """An indented JSON document on stdout."""
    import orjson

    sys.stdout.write(orjson.dumps(document, option=orjson.OPT_INDENT_2).decode() + "\n")


def load_one(name: str):
    """The one transcript a command works on, or exit 2 (the error already said)."""
    transcript = next(iter(Inputs([name])), None)
    if transcript is None:
        raise typer.Exit(EXIT_TROUBLE)
    return transcript


MaxSize = Annotated[
    int,
    typer.Option("--max-size", metavar="MIB", min=1,
                 help="Refuse a transcript larger than this many MiB."),
]


def limits_for(max_size_mib: int):
    """The loading limits with the size limit the user chose."""
    from dataclasses import replace

    from chatstats_core.limits import DEFAULT_LIMITS, MIB

    return replace(DEFAULT_LIMITS, max_bytes=max_size_mib * MIB)


def replay_one(name: str, assignments, options_file, at=None, trace: bool = False):
    """Load options and one transcript, replay it, say its warnings; exit 2 on trouble."""
    from chatstats_core import ChatstatsError, replay_session

    options = load_options(assignments, options_file)
    transcript = load_one(name)
    try:
        result = replay_session(transcript, options, at, trace=trace)
    except ChatstatsError as exc:
        fatal(exc.with_source(name).one_line())
    warn_all(transcript.source, result.warnings)
    return result
