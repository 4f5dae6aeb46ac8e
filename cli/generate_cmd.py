"""``chatstats generate``: synthetic sessions for load tests and benchmarks."""

from __future__ import annotations

import gzip
import sys
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from functools import partial
from pathlib import Path
from typing import Annotated, Any, BinaryIO

import typer

from chatstats_core.errors import UsageError

from .convert_cmd import TargetFormat

#: What a file name's suffix makes of the output (anything else with a suffix is refused).
_FILE_KINDS = {
    ".jsonl": "jsonl",
    ".jsonl.gz": "jsonl.gz",
    ".json": "json",
    ".xml": "xml",
    ".csv": "csv",
}


def generate(
    count: Annotated[int, typer.Option("--count", "-n", min=0, help="How many sessions.")],
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same bytes.")] = 0,
    async_share: Annotated[
        float,
        typer.Option(
            "--async-share", min=0.0, max=1.0, help="The share of async sessions (0 to 1)."
        ),
    ] = 0.0,
    bots: Annotated[
        bool, typer.Option("--bots", help="Half the sessions start with a bot.")
    ] = False,
    out: Annotated[
        str,
        typer.Option(
            "--out",
            metavar="DIR|FILE|-",
            help="- for JSON Lines on stdout; a file whose suffix says its format (.jsonl, "
            ".jsonl.gz, .csv with a transcript column; .json or .xml for one session); "
            "anything else is a folder, one file per session.",
        ),
    ] = "-",
    to: Annotated[
        TargetFormat, typer.Option("--to", help="The transcript format in a folder or a .csv.")
    ] = TargetFormat.json,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite files that already exist.")
    ] = False,
) -> None:
    """Write realistic synthetic sessions (queue waits, abandons, bots, transfers, conferences,
    async holds, disconnects, forced closes), reproducible from --seed."""
    from chatstats_core.corpus.generate import generate as sessions

    documents = sessions(count, seed, async_share, bots)
    if out == "-":
        if to == "xml":
            raise UsageError(
                "stdout gets JSON Lines; write XML into a folder, a .csv or a .xml",
                source="generate",
            )
        _write_jsonl(documents, lambda: nullcontext(sys.stdout.buffer))
        return
    kind = _file_kind(out)
    if kind is None:
        _write_folder(documents, Path(out), to, force)
        return
    path = Path(out)
    if kind in ("jsonl", "jsonl.gz") and to == "xml":
        raise UsageError(
            "JSON Lines hold JSON; write XML into a folder, a .csv or a .xml", source="generate"
        )
    if kind in ("json", "xml") and count != 1:
        raise UsageError(
            f"a .{kind} file holds one session, not {count}; write several into a .jsonl, a "
            ".csv or a folder",
            source=out,
        )
    from chatstats_core.corpus.files import open_atomically

    # whole or not at all, never over a file unless --force (chatstats_core.corpus.files)
    with open_atomically(path, force) as stream:
        if kind == "jsonl":
            _write_jsonl(documents, lambda: nullcontext(stream))
        elif kind == "jsonl.gz":
            _write_jsonl(documents, partial(gzip.GzipFile, fileobj=stream, mode="wb"))
        elif kind == "csv":
            _write_csv(documents, stream, to, out)
        else:
            stream.write(_transcript_bytes(next(iter(documents)), out, kind))


def _file_kind(out: str) -> str | None:
    """The format a file name asks for; None for a folder; refuses an unknown suffix."""
    name = out.lower()
    for suffix, kind in _FILE_KINDS.items():
        if name.endswith(suffix):
            return kind
    path = Path(out)
    if path.suffix and not path.is_dir() and not out.endswith(("/", "\\")):
        raise UsageError(
            f"unknown output type {path.suffix!r}; give .jsonl, .jsonl.gz, .csv, .json or .xml, - "
            "for stdout, or a folder name",
            source=out,
        )
    return None


def _write_jsonl(documents: Iterable[dict[str, Any]], opener: Callable[[], Any]) -> None:
    import orjson

    with opener() as handle:
        for document in documents:
            handle.write(orjson.dumps(document) + b"\n")
        handle.flush()


def _transcript_bytes(document: dict[str, Any], source: str, to: str) -> bytes:
    import orjson

    from chatstats_core.transcript.loading import transcript_from_document
    from chatstats_core.transcript.writers import transcript_to_xml

    if to == "json":
        return orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"
    transcript = transcript_from_document(document, source, document["session_id"])
    return transcript_to_xml(transcript).encode("utf-8")


def _write_csv(documents: Iterable[dict[str, Any]], stream: BinaryIO, to: str, name: str) -> None:
    """A UCS-export-like CSV (Windows line ends): ``id`` and ``transcript`` (read back with
    --csv-column)."""
    from chatstats_core.csvtext import row

    stream.write(row(["id", "transcript"], "\r\n").encode("utf-8"))
    for document in documents:
        text = _transcript_bytes(document, name, to).decode("utf-8")
        # chatstats's own transcripts, whose line breaks the export keeps, as UCS's does
        stream.write(row([document["session_id"], text], "\r\n", escape=False).encode("utf-8"))


def _write_folder(documents: Iterable[dict[str, Any]], folder: Path, to: str, force: bool) -> None:
    """One file per session, each through the safe writer (chatstats_core.corpus.files)."""
    from chatstats_core.corpus.files import OutputFolder

    written = OutputFolder(folder, force=force)
    for document in documents:
        name = f"{document['session_id']}.{to}"
        written.write(
            document["session_id"], to, _transcript_bytes(document, str(folder / name), to)
        )
