"""``chatstats convert`` and ``chatstats redact``: write transcripts as JSON or XML."""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated

import typer

from .common import EXIT_TROUBLE, Inputs, fatal, say


class TargetFormat(enum.StrEnum):
    """``--to`` values of convert."""

    json = "json"
    xml = "xml"


OutTarget = Annotated[
    str,
    typer.Option("--out", metavar="DIR|-",
                 help="A folder to write into (same file names), or - for stdout (one file; "
                      "with several JSON files, one per line)."),
]


def _text(transcript, target: TargetFormat, one_line: bool) -> str:
    import orjson

    from chatstats_core.writers import transcript_to_document, transcript_to_xml

    if target is TargetFormat.xml:
        return transcript_to_xml(transcript)
    option = 0 if one_line else orjson.OPT_INDENT_2
    return orjson.dumps(transcript_to_document(transcript), option=option).decode() + "\n"


def _write_all(pairs, out: str, count: int) -> int:
    """Write each (transcript, target) to ``out``; return how many failed."""
    from chatstats_core import ChatstatsError

    to_stdout = out == "-"
    if to_stdout and count > 1 and any(target is TargetFormat.xml for _, target in pairs):
        fatal("error: several XML documents cannot go to stdout; give --out DIR")
    folder = Path(out)
    if not to_stdout:
        folder.mkdir(parents=True, exist_ok=True)
    failed = 0
    for transcript, target in pairs:
        try:
            text = _text(transcript, target, one_line=to_stdout and count > 1)
        except ChatstatsError as exc:
            failed += 1
            say(exc.with_source(transcript.source).one_line())
            continue
        if to_stdout:
            sys.stdout.write(text)
        else:
            name = Path(transcript.source).name.removesuffix(".gz").rsplit(".", 1)[0]
            (folder / f"{name}.{target.value}").write_text(text, encoding="utf-8")
    return failed


def convert(
    files: Annotated[list[str], typer.Argument(metavar="FILE...", help="Transcripts.")],
    to: Annotated[TargetFormat, typer.Option("--to", help="The format to write.")],
    out: OutTarget = "-",
) -> None:
    """Convert transcripts between Genesys XML and canonical JSON (lossless for everything the
    statistics use; XML has no milliseconds, route events or tenant)."""
    inputs = Inputs(files)
    transcripts = list(inputs)
    for transcript in transcripts:
        if to is TargetFormat.xml and transcript.tenant_id is not None:
            say(f"{transcript.source}: warning: XML has no tenant: tenant_id "
                f"{transcript.tenant_id} is not kept (give -o tenant-id= when replaying)")
    failed = _write_all([(t, to) for t in transcripts], out, len(transcripts))
    if inputs.failed or failed:
        raise typer.Exit(EXIT_TROUBLE)


def redact(
    files: Annotated[list[str], typer.Argument(metavar="FILE...", help="Transcripts.")],
    keep: Annotated[str, typer.Option(
        "--keep", metavar="KEY,...", help="More user-data keys whose values are kept.")] = "",
    salt: Annotated[str, typer.Option(
        "--salt", help="Secret mixed into the pseudonyms (same salt, same pseudonyms).")] = "",
    new_session_id: Annotated[bool, typer.Option(
        "--new-session-id", help="Pseudonymise the session id too.")] = False,
    out: OutTarget = "-",
) -> None:
    """Write transcripts safe to share: names, ids, user data and texts replaced, everything the
    statistics use kept (the replay gives the same KVPs). The output keeps each input's format."""
    from chatstats_core.redact import redact as redact_transcript

    if not salt:
        say("redact: note: no --salt: pseudonyms are the same for everybody and short ids can "
            "be guessed; give --salt SECRET before sharing widely")
    kept = [k.strip() for k in keep.split(",") if k.strip()]
    inputs = Inputs(files)
    pairs = []
    for transcript in inputs:
        target = TargetFormat(transcript.source_format)
        pairs.append((redact_transcript(transcript, salt, kept, new_session_id), target))
    failed = _write_all(pairs, out, len(pairs))
    if inputs.failed or failed:
        raise typer.Exit(EXIT_TROUBLE)
