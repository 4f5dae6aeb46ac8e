"""``chatstats convert`` and ``chatstats redact``: write transcripts as JSON or XML, one file at a
time (the corpus is never held), never over an input or an existing file unless --force."""

from __future__ import annotations

import enum
import itertools
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from chatstats_core.errors import ExitStatus

if TYPE_CHECKING:
    from chatstats_core import Transcript

from .common import Inputs, MaxSize, fatal, limits_for, say, write_out


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


def _write_all(
    pairs: Iterable[tuple[Transcript, TargetFormat]],
    files: list[str],
    out: str,
    force: bool,
    name_of: Callable[[str], str] = str,
) -> int:
    """Write each (transcript, target) as it comes; return how many failed."""
    from chatstats_core import ChatstatsError
    from chatstats_core.corpus.files import OutputFolder, safe_file_stem
    from chatstats_core.corpus.inputs import input_files
    from chatstats_core.safetext import shown

    to_stdout = out == "-"
    one = _one_document(files)
    if files == ["-"]:  # one document on stdin, or JSON Lines: known after two reads
        pairs = iter(pairs)
        head = list(itertools.islice(pairs, 2))
        one = len(head) == 1
        pairs = itertools.chain(head, pairs)
    folder = None if to_stdout else OutputFolder(Path(out), input_files(files), force)
    failed = 0
    for transcript, target in pairs:
        try:
            if to_stdout and target is TargetFormat.xml and not one:
                raise ChatstatsError(
                    "several XML documents cannot go to stdout; give --out DIR",
                    source=transcript.source,
                )
            text = _text(transcript, target, one_line=to_stdout and not one)
            if folder is None:
                write_out(text)
            else:
                stem = _output_name(transcript, name_of)
                written = folder.write(stem, target.value, text.encode("utf-8"))
                asked = f"{stem}.{target.value}"
                if written.name != asked:
                    why = (
                        f"{asked} was already written in this run"
                        if safe_file_stem(stem) == stem
                        else "the session id is not a safe file name"
                    )
                    say(f"{transcript.source}: note: written as {shown(written.name)} ({why})")
        except ChatstatsError as exc:
            failed += 1
            say(exc.with_source(transcript.source).one_line())
    return failed


def convert(
    files: Annotated[list[str], typer.Argument(metavar="FILE...", help="Transcripts.")],
    to: Annotated[TargetFormat, typer.Option("--to", help="The format to write.")],
    out: OutTarget = "-",
    force: Force = False,
    max_size: MaxSize = 64,
) -> None:
    """Convert transcripts between Genesys XML and canonical JSON (lossless for everything the
    statistics use; XML has no milliseconds, route events or tenant)."""
    inputs = Inputs(files, limits_for(max_size))
    first_dropped: Transcript | None = None  # one warning for them all, not one each
    dropped = 0

    def pairs() -> Iterator[tuple[Transcript, TargetFormat]]:
        nonlocal first_dropped, dropped
        for transcript in inputs:
            if to is TargetFormat.xml and transcript.tenant_id is not None:
                dropped += 1
                first_dropped = first_dropped or transcript
            yield transcript, to

    failed = _write_all(pairs(), files, out, force)
    if first_dropped is not None:
        more = f" and {dropped - 1} more sessions" if dropped > 1 else ""
        say(
            f"{first_dropped.source}{more}: warning: XML has no tenant: tenant_id "
            f"{first_dropped.tenant_id} is not kept (give -o tenant-id= when replaying)"
        )
    if inputs.failed or failed:
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
    from chatstats_core.transcript.redact import redact as redact_transcript

    salt = _salt(salt_file)
    kept = [k.strip() for k in keep.split(",") if k.strip()]
    inputs = Inputs(files, limits_for(max_size))
    names = Pseudonyms(salt)

    def pairs() -> Iterator[tuple[Transcript, TargetFormat]]:
        for transcript in inputs:
            target = TargetFormat(transcript.source_format)
            yield redact_transcript(transcript, salt, kept, not keep_session_id), target

    failed = _write_all(pairs(), files, out, force, name_of=lambda stem: names("file", stem))
    if inputs.failed or failed:
        raise typer.Exit(ExitStatus.TROUBLE)


def _salt(salt_file: Path | None) -> str:
    """The salt from --salt-file or CHATSTATS_SALT (a note when there is none)."""
    if salt_file is not None:
        from chatstats_core.corpus.files import read_text_file

        salt = read_text_file(salt_file, "salt file").strip()
        if not salt:
            fatal(f"{salt_file}: error: the salt file is empty")
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
