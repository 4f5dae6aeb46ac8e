"""``chatstats convert`` and ``chatstats redact``: write transcripts as JSON or XML, one file at a
time (the corpus is never held), never over an input or an existing file unless --force."""

from __future__ import annotations

import enum
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from chatstats_core.errors import ExitStatus

if TYPE_CHECKING:
    from chatstats_core import Transcript
    from chatstats_core.corpus.batch import Outcome, SessionTask

from chatstats_core.errors import InputError, WriteError

from .common import BatchOptions, MaxSize, limits_for, run_batch, say, write_out


class TargetFormat(enum.StrEnum):
    """``--to`` values of convert."""

    json = "json"
    xml = "xml"


OutTarget = Annotated[
    str,
    typer.Option(
        "--out",
        metavar="DIR|-",
        help="A folder to write into (one file per session), or - for stdout (one "
        "file: pretty JSON or XML; several: JSON Lines).",
    ),
]
Force = Annotated[bool, typer.Option("--force", help="Overwrite files that already exist.")]


def _text(transcript: Transcript, target: TargetFormat, one_line: bool) -> str:
    import orjson

    from chatstats_core.transcript.writers import transcript_to_document, transcript_to_xml

    if target is TargetFormat.xml:
        return transcript_to_xml(transcript)
    option = 0 if one_line else orjson.OPT_INDENT_2
    return orjson.dumps(transcript_to_document(transcript), option=option).decode() + "\n"


def _one_document(files: list[str]) -> bool:
    """Whether the inputs are one plain transcript file (then stdout gets it pretty, as it gets
    the one transcript of a stdin that holds one)."""
    return (
        len(files) == 1
        and Path(files[0]).is_file()
        and not files[0].endswith((".jsonl", ".jsonl.gz"))
    )


def _output_name(transcript: Transcript, name_of: Callable[[str], str]) -> str:
    """The output's stem: the input file's, or the session id for a JSON Lines record or
    stdin (whose source names no file of its own)."""
    from chatstats_core.transcript.model import session_id_from_name

    source = transcript.source
    if source == "-" or ":" in Path(source).name:
        return name_of(transcript.session_id)
    return name_of(session_id_from_name(source))


class _Writer:
    """Writes each (transcript, target) as it comes, to stdout or into a folder; counts what it
    could not write. On stdin, whether it holds one document (written pretty) or JSON Lines is
    known at the second transcript or the end: the first is held until then."""

    def __init__(
        self, files: list[str], out: str, force: bool, name_of: Callable[[str], str] = str
    ) -> None:
        from chatstats_core.corpus.files import OutputFolder
        from chatstats_core.corpus.inputs import input_files

        self.to_stdout = out == "-"
        self.one = _one_document(files)
        self.held: list[tuple[Transcript, TargetFormat]] | None = [] if files == ["-"] else None
        self.folder = None if self.to_stdout else OutputFolder(Path(out), input_files(files), force)
        self.name_of = name_of
        self.failed = 0

    def add(self, transcript: Transcript, target: TargetFormat) -> None:
        """Write one transcript (or hold the first of stdin)."""
        if self.held is not None:
            if not self.held:
                self.held.append((transcript, target))
                return
            (first,) = self.held
            self.held, self.one = None, False
            self._write(*first)
        self._write(transcript, target)

    def end(self) -> None:
        """Write what is held: stdin's only transcript, as one document."""
        if self.held:
            self.one = True
            self._write(*self.held[0])
        self.held = None

    def _write(self, transcript: Transcript, target: TargetFormat) -> None:
        from chatstats_core import ChatstatsError
        from chatstats_core.corpus.files import safe_file_stem
        from chatstats_core.safetext import shown

        try:
            if self.to_stdout and target is TargetFormat.xml and not self.one:
                raise WriteError(
                    "several XML documents cannot go to stdout; give --out DIR",
                    source=transcript.source,
                )
            text = _text(transcript, target, one_line=self.to_stdout and not self.one)
            if self.folder is None:
                write_out(text)
                return
            stem = _output_name(transcript, self.name_of)
            written = self.folder.write(stem, target.value, text.encode("utf-8"))
            asked = f"{stem}.{target.value}"
            if written.name != asked:
                why = (
                    f"{asked} was already written in this run"
                    if safe_file_stem(stem) == stem
                    else "the session id is not a safe file name"
                )
                say(f"{transcript.source}: note: written as {shown(written.name)} ({why})")
        except ChatstatsError as exc:
            self.failed += 1
            say(exc.with_source(transcript.source).one_line())


def _run(
    files: list[str],
    task: SessionTask,
    writer: _Writer,
    target: Callable[[Transcript], TargetFormat],
) -> int:
    """Read every input through the batch runner and write each transcript; how many failed
    (to read or to write)."""

    def write(outcome: Outcome) -> None:
        writer.add(outcome.payload, target(outcome.payload))

    counts = run_batch(files, task, BatchOptions(quiet=True), write, None)
    writer.end()
    return counts.failed + writer.failed


def convert(
    files: Annotated[list[str], typer.Argument(metavar="FILE...", help="Transcripts.")],
    to: Annotated[TargetFormat, typer.Option("--to", help="The format to write.")],
    out: OutTarget = "-",
    force: Force = False,
    max_size: MaxSize = 64,
) -> None:
    """Convert transcripts between Genesys XML and canonical JSON (lossless for everything the
    statistics use; XML has no milliseconds, route events or tenant)."""
    from chatstats_core.workflows.convert import ConvertTask

    first_dropped: Transcript | None = None  # one warning for them all, not one each
    dropped = 0

    def target(transcript: Transcript) -> TargetFormat:
        nonlocal first_dropped, dropped
        if to is TargetFormat.xml and transcript.tenant_id is not None:
            dropped += 1
            first_dropped = first_dropped or transcript
        return to

    failed = _run(files, ConvertTask(limits_for(max_size)), _Writer(files, out, force), target)
    if first_dropped is not None:
        more = f" and {dropped - 1} more sessions" if dropped > 1 else ""
        say(
            f"{first_dropped.source}{more}: warning: XML has no tenant: tenant_id "
            f"{first_dropped.tenant_id} is not kept (give -o tenant-id= when replaying)"
        )
    if failed:
        raise typer.Exit(ExitStatus.TROUBLE)


def redact(
    files: Annotated[list[str], typer.Argument(metavar="FILE...", help="Transcripts.")],
    keep: Annotated[
        str,
        typer.Option(
            "--keep", metavar="KEY,...", help="More user-data keys whose values are kept."
        ),
    ] = "",
    salt_file: Annotated[
        Path | None,
        typer.Option(
            "--salt-file",
            metavar="FILE",
            help="A file whose content is the secret mixed into the pseudonyms (same salt, same "
            "pseudonyms); or set CHATSTATS_SALT. Never on the command line: ps shows it.",
        ),
    ] = None,
    keep_session_id: Annotated[
        bool,
        typer.Option(
            "--keep-session-id",
            help="Keep the session id (it is pseudonymised by default), to match a report.",
        ),
    ] = False,
    new_session_id: Annotated[
        bool, typer.Option("--new-session-id", hidden=True, help="The default now; accepted.")
    ] = False,
    out: OutTarget = "-",
    force: Force = False,
    max_size: MaxSize = 64,
) -> None:
    """Write transcripts safe to share: names, ids (the session id too, unless
    --keep-session-id), user data and texts replaced, everything the statistics use kept. The
    output keeps each input's format, and its file names are pseudonyms too."""
    from chatstats_core.transcript.redact import Pseudonyms
    from chatstats_core.workflows.convert import RedactTask

    salt = _salt(salt_file)
    kept = tuple(k.strip() for k in keep.split(",") if k.strip())
    names = Pseudonyms(salt)
    task = RedactTask(salt, kept, keep_session_id, limits_for(max_size))
    writer = _Writer(files, out, force, name_of=lambda stem: names("file", stem))
    if _run(files, task, writer, lambda transcript: TargetFormat(transcript.source_format)):
        raise typer.Exit(ExitStatus.TROUBLE)


def _salt(salt_file: Path | None) -> str:
    """The salt from --salt-file or CHATSTATS_SALT (a note when there is none)."""
    if salt_file is not None:
        from chatstats_core.corpus.files import read_text_file

        salt = read_text_file(salt_file, "salt file").strip()
        if not salt:
            raise InputError("the salt file is empty", source=str(salt_file))
        return salt
    salt = os.environ.get("CHATSTATS_SALT", "")
    if not salt:
        import secrets

        salt = secrets.token_hex(16)
        say(
            "redact: note: no salt given: a random one was used, so these pseudonyms match no "
            "other run's and cannot be reversed by guessing; to keep them stable across runs, put "
            "a secret in a file and give --salt-file FILE (or set CHATSTATS_SALT)"
        )
    return salt
