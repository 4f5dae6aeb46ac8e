"""Reading the user's side files (a report, an options file, a salt, ``-`` for standard
input) and writing files the user will own: never over something that exists (unless asked),
never over an input, never twice to one name in a run, and never half: each file is written to
a temporary name in the same folder and renamed into place, so an interrupted run leaves either
the whole file or nothing.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from chatstats_core.errors import InputError, WriteError


def read_file_bytes(name: str | Path, what: str = "file") -> bytes:
    """A file's bytes (``-``: standard input), or an :class:`InputError` naming it."""
    try:
        if str(name) == "-":
            return sys.stdin.buffer.read()
        return Path(name).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {what}: {exc.strerror or exc}", source=str(name)) from exc


def read_text_file(name: str | Path, what: str = "file") -> str:
    """A UTF-8 text file's content (``-``: standard input; a BOM is dropped; a file's line
    ends read as ``\\n``), or an :class:`InputError` naming it."""
    try:
        if str(name) == "-":
            return sys.stdin.buffer.read().decode("utf-8-sig")
        return Path(name).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"cannot read {what}: {exc.strerror or exc}", source=str(name)) from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"cannot read {what}: {exc}", source=str(name)) from exc


@contextmanager
def open_atomically(path: Path, force: bool = False) -> Iterator[BinaryIO]:
    """A binary file to write ``path`` through: a temporary file in the same folder, renamed
    into place when the block ends well, removed when it does not (an interrupted or failed
    write leaves nothing). An existing file is an error unless ``force``."""
    if path.exists() and not force:
        raise WriteError("the file exists; --force overwrites it", source=str(path))
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
    except OSError as exc:
        raise WriteError(f"cannot write: {exc.strerror or exc}", source=str(path)) from exc
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
        os.chmod(temporary, 0o666 & ~_umask())  # as open() would have made it, not 0600
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise WriteError(f"cannot write: {exc.strerror or exc}", source=str(path)) from exc
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    """The process's file-creation mask (read by setting it, then set back at once)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomically(path: Path, data: bytes, force: bool = False) -> None:
    """Write ``data`` to ``path`` whole or not at all (see :func:`open_atomically`)."""
    with open_atomically(path, force) as stream:
        stream.write(data)


class OutputFolder:
    """Files written into one folder by one run: none over an input, none over an existing
    file unless ``force``, and two outputs that would share a name get distinct ones
    (``name-2.json``)."""

    def __init__(self, folder: Path, inputs: Iterable[str], force: bool = False) -> None:
        self.folder = folder
        self.force = force
        self.inputs = {os.path.realpath(name) for name in inputs}
        self.used: set[str] = set()

    def write(self, name: str, data: bytes) -> Path:
        """Write one output named ``name`` (or a distinct variant); return where it went."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WriteError(
                f"cannot make the folder: {exc.strerror or exc}", source=str(self.folder)
            ) from exc
        path = self.folder / self._distinct(name)
        if os.path.realpath(path) in self.inputs:
            raise WriteError(
                "this output would replace one of the inputs; write into another folder",
                source=str(path),
            )
        write_atomically(path, data, self.force)
        return path

    def _distinct(self, name: str) -> str:
        stem, dot, suffix = name.partition(".")
        candidate, number = name, 1
        while candidate in self.used:
            number += 1
            candidate = f"{stem}-{number}{dot}{suffix}"
        self.used.add(candidate)
        return candidate
