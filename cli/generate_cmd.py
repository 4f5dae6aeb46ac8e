"""``chatstats generate``: synthetic sessions for load tests and benchmarks."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer

from .common import fatal


def generate(
    count: Annotated[int, typer.Option("--count", "-n", min=0, help="How many sessions.")],
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same bytes.")] = 0,
    async_share: Annotated[float, typer.Option(
        "--async-share", min=0.0, max=1.0, help="The share of async sessions (0 to 1).")] = 0.0,
    bots: Annotated[bool, typer.Option("--bots", help="Half the sessions start with a bot.")
                    ] = False,
    out: Annotated[str, typer.Option(
        "--out", metavar="DIR|FILE.jsonl|-",
        help="A folder (one file per session), a .jsonl file, or - for JSON Lines on stdout.")
    ] = "-",
    to: Annotated[str, typer.Option(
        "--to", metavar="json|xml", help="The file format when writing into a folder.")] = "json",
) -> None:
    """Write realistic synthetic sessions (queue waits, abandons, bots, transfers, conferences,
    async holds, disconnects, forced closes), reproducible from --seed."""
    import orjson

    from chatstats_core.generate import generate as sessions
    from chatstats_core.loading import transcript_from_document
    from chatstats_core.writers import transcript_to_xml

    if to not in ("json", "xml"):
        fatal(f"generate: error: --to must be json or xml, not {to!r}")
    documents = sessions(count, seed, async_share, bots)
    if out == "-" or out.endswith(".jsonl"):
        if to == "xml":
            fatal("generate: error: JSON Lines hold JSON; write XML into a folder (--out DIR)")
        # entered on the next line, whichever of the two it is
        target = nullcontext(sys.stdout.buffer) if out == "-" else Path(out).open("wb")  # noqa: SIM115
        with target as handle:
            for document in documents:
                handle.write(orjson.dumps(document) + b"\n")
            handle.flush()
        return
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    for document in documents:
        path = folder / f"{document['session_id']}.{to}"
        if to == "json":
            path.write_bytes(orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n")
        else:
            transcript = transcript_from_document(document, str(path), document["session_id"])
            path.write_text(transcript_to_xml(transcript), encoding="utf-8")
