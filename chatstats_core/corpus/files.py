"""Reading the user's side files (a report, an options file, a salt, ``-`` for standard
input) and writing files the user will own, all through one path (:func:`open_atomically`):
never over an input (by any spelling or link), never through a symbolic link or over a device,
never over something that exists (unless asked), never twice to one name in a run, never
outside the folder asked, and never half: each file is written to a temporary name in the same
folder and moved into place, so an interrupted run leaves either the whole file or nothing.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from chatstats_core.errors import InputError, WriteError
from chatstats_core.transcript.limits import DEFAULT_LIMITS, MIB, read_bounded

#: The most a side file (a report, an options file, a salt) may hold: a transcript's limit.
SIDE_FILE_LIMIT = DEFAULT_LIMITS.max_bytes


def read_file_bytes(name: str | Path, what: str = "file", limit: int = SIDE_FILE_LIMIT) -> bytes:
    """A file's bytes (``-``: standard input), read within ``limit`` (``/dev/zero`` or an
    endless stdin costs at most the limit), or an :class:`InputError` naming it."""
    try:
        if str(name) == "-":
            return read_bounded(sys.stdin.buffer, limit, "-")
        with open(name, "rb") as stream:
            return read_bounded(stream, limit, str(name))
    except OSError as exc:
        raise InputError(f"cannot read {what}: {exc.strerror or exc}", source=str(name)) from exc
    except InputError:  # over the limit: said as what it is, not as a transcript
        raise InputError(
            f"{what} too large", source=str(name), expected=f"at most {limit // MIB} MiB"
        ) from None


def read_text_file(name: str | Path, what: str = "file", limit: int = SIDE_FILE_LIMIT) -> str:
    """A UTF-8 text file's content (``-``: standard input; a BOM is dropped; line ends read as
    ``\\n``), read within ``limit``, or an :class:`InputError` naming it."""
    data = read_file_bytes(name, what, limit)
    try:
        return data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as exc:
        raise InputError(f"cannot read {what}: {exc}", source=str(name)) from exc


@dataclass(frozen=True, slots=True)
class InputFiles:
    """The files a run reads, by real path and by file identity (device, inode), so that an
    output is recognised as one of them whatever its spelling, a symbolic link or a hard link."""

    real_paths: frozenset[str] = frozenset()
    identities: frozenset[tuple[int, int]] = frozenset()

    @classmethod
    def of(cls, names: Iterable[str]) -> InputFiles:
        """The inputs named (each name a file; what cannot be looked at is left out)."""
        real_paths, identities = set(), set()
        for name in names:
            real_paths.add(os.path.realpath(name))
            try:
                info = os.stat(name)
            except OSError:
                continue
            identities.add((info.st_dev, info.st_ino))
        return cls(frozenset(real_paths), frozenset(identities))

    def holds(self, path: Path) -> bool:
        """Whether writing ``path`` would replace one of the inputs."""
        if os.path.realpath(path) in self.real_paths:
            return True
        try:
            info = os.stat(path)
        except OSError:
            return False
        return (info.st_dev, info.st_ino) in self.identities


NO_INPUTS = InputFiles()


def check_target(path: Path, force: bool = False, inputs: InputFiles = NO_INPUTS) -> None:
    """Refuse, before any work, an output that would replace an input, go through a symbolic
    link, replace something that is not a regular file (a device, a FIFO, a folder), or replace
    an existing file without ``force``."""
    if inputs.holds(path):
        raise WriteError(
            "this output would replace one of the inputs; write it somewhere else",
            source=str(path),
        )
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise WriteError(f"cannot write: {exc.strerror or exc}", source=str(path)) from exc
    if stat.S_ISLNK(info.st_mode):
        raise WriteError(
            "is a symbolic link; name the file it points to if you mean it", source=str(path)
        )
    if not stat.S_ISREG(info.st_mode):
        raise WriteError("is not a regular file; chatstats writes only files", source=str(path))
    if not force:
        raise WriteError("the file exists; --force overwrites it", source=str(path))


@contextmanager
def open_atomically(
    path: Path, force: bool = False, inputs: InputFiles = NO_INPUTS
) -> Iterator[BinaryIO]:
    """A binary file to write ``path`` through: a temporary file in the same folder, moved
    into place when the block ends well, removed when it does not (an interrupted or failed
    write leaves nothing). What :func:`check_target` refuses is refused; without ``force`` the
    move is exclusive (a hard link that fails if the name was taken meanwhile, as by another
    run into the same folder)."""
    check_target(path, force, inputs)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
    except OSError as exc:
        raise WriteError(f"cannot write: {exc.strerror or exc}", source=str(path)) from exc
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
        os.chmod(temporary, 0o666 & ~_umask())  # as open() would have made it, not 0600
        if force:
            check_target(path, force, inputs)  # not replaced by a link or a device meanwhile
            os.replace(temporary, path)
        else:
            _move_exclusively(temporary, path)
    except FileExistsError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise WriteError("the file exists; --force overwrites it", source=str(path)) from exc
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise WriteError(f"cannot write: {exc.strerror or exc}", source=str(path)) from exc
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _move_exclusively(temporary: str, path: Path) -> None:
    """Give the written file its name only if nobody has it (FileExistsError otherwise)."""
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: reserve the name, then replace it
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        os.replace(temporary, path)
        return
    os.unlink(temporary)


def _umask() -> int:
    """The process's file-creation mask (read by setting it, then set back at once)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomically(
    path: Path, data: bytes, force: bool = False, inputs: InputFiles = NO_INPUTS
) -> None:
    """Write ``data`` to ``path`` whole or not at all (see :func:`open_atomically`)."""
    with open_atomically(path, force, inputs) as stream:
        stream.write(data)


#: The most characters of an output name taken from an input (a session id), before the hash.
MAX_NAME_STEM = 80
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def safe_file_stem(stem: str) -> str:
    """A name from an input (a session id) as one harmless file-name component: letters,
    digits, ``.``, ``_`` and ``-``, not starting with a dot or a dash, at most
    :data:`MAX_NAME_STEM` characters. Anything else is replaced and a short hash of the
    original added, so two ids never share a name by being cleaned alike; never a path."""
    if _SAFE_NAME.fullmatch(stem) and len(stem) <= MAX_NAME_STEM:
        return stem
    cleaned = re.sub(r"[^A-Za-z0-9._-]", "_", stem).lstrip("._-")[:MAX_NAME_STEM] or "session"
    digest = hashlib.sha256(stem.encode("utf-8", "surrogateescape")).hexdigest()[:10]
    return f"{cleaned}-{digest}"


class OutputFolder:
    """Files written into one folder by one run: none over an input, none over an existing
    file unless ``force`` (created exclusively), none outside the folder whatever the name
    asked, and two outputs that would share a name get distinct ones (``name-2.json``)."""

    def __init__(self, folder: Path, inputs: InputFiles = NO_INPUTS, force: bool = False) -> None:
        self.folder = folder
        self.force = force
        self.inputs = inputs
        self.used: set[str] = set()

    def write(self, stem: str, suffix: str, data: bytes) -> Path:
        """Write one output named after ``stem`` (made safe, and distinct within the run) with
        ``suffix`` (``json``); return where it went."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WriteError(
                f"cannot make the folder: {exc.strerror or exc}", source=str(self.folder)
            ) from exc
        path = self.folder / self._distinct(safe_file_stem(stem), suffix)
        write_atomically(path, data, self.force, self.inputs)
        return path

    def _distinct(self, stem: str, suffix: str) -> str:
        candidate, number = f"{stem}.{suffix}", 1
        while candidate in self.used:
            number += 1
            candidate = f"{stem}-{number}.{suffix}"
        self.used.add(candidate)
        return candidate
