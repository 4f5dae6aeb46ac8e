"""The route a command takes through the code: which of the project's files it enters, in order.

Usage: ``python bench/route.py diff -a NAME=VALUE -b NAME=VALUE samples/01-answered-chat.json``

Runs the command in this process under a profiler hook that records each call from one of the
project's files into another (``cli/`` and ``chatstats_core/``; the standard library and the
third-party packages are left out), and prints:

- the files entered, in the order first entered (all of ``engine/`` counts as one, as does all
  of ``transcript/``: the route is about the rooms around the engine; imports are not counted);
- *climbs back up*: calls from a lower layer into a higher one (the layers, top to bottom:
  cli, workflows, corpus and render, engine, transcript; errors, safetext and csvtext are
  leaves every layer uses and are not ranked);
- *returns to a file already left*: calls into a file the route had entered before, from
  another file (each caller-callee pair once): the flow coming back into a room it passed
  through, as a router over workflows does. Returning from a callee to its caller is nesting,
  not counted.

The issue "The house, round 2" (#20) counts the route of ``diff`` and ``replay`` before and
after, with this script.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path
from types import FrameType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = (ROOT / "cli", ROOT / "chatstats_core")
BOXES = ("engine", "transcript")
RANK = {"cli": 0, "workflows": 1, "corpus": 2, "render": 2, "engine": 3, "transcript": 4}


@functools.cache
def _project_file(filename: str) -> str | None:
    """The file's name in the route: its path under the project, or ``engine/`` and
    ``transcript/`` for any file of those two packages (the route is about the rooms around
    them)."""
    path = Path(filename)
    for package in PACKAGES:
        if path.is_relative_to(package):
            relative = path.relative_to(ROOT)
            if relative.parts[1] in BOXES:
                return "/".join(relative.parts[:2]) + "/"
            return str(relative)
    return None


def _importing(frame: FrameType | None) -> bool:
    """Whether the frame runs inside a module's import (its body, or what the body calls)."""
    while frame is not None:
        if frame.f_code.co_name == "<module>" and _project_file(frame.f_code.co_filename):
            return True
        frame = frame.f_back
    return False


def _rank(relative: str) -> int | None:
    parts = Path(relative).parts
    if parts[0] == "cli":
        return RANK["cli"]
    return RANK.get(parts[1].removesuffix(".py").rstrip("/")) if len(parts) > 1 else None


def _nearest_project_file(frame: FrameType | None) -> str | None:
    while frame is not None:
        name = _project_file(frame.f_code.co_filename)
        if name is not None:
            return name
        frame = frame.f_back
    return None


def trace(argv: list[str]) -> tuple[list[str], list[tuple[str, str]], list[tuple[str, str]]]:
    """Run ``chatstats argv``: the files entered in order, the climbs, the returns.

    The route is the sequence of project files the running code is in (a frame outside the
    project counts as the nearest project frame below it), with repeats collapsed; a call
    into a file entered before, from another, is a return to it.
    """
    entered: list[str] = []
    climbs: list[tuple[str, str]] = []
    returns: dict[tuple[str, str], None] = {}  # in the order first made
    here: list[str | None] = [None]

    def move(to: str | None, by_call: bool) -> None:
        now = here[0]
        if to is None or to == now:
            return
        if to not in entered:
            entered.append(to)
        elif now is not None and by_call:
            returns[now, to] = None
        here[0] = to

    def hook(frame: FrameType, event: str, arg: Any) -> None:
        if _importing(frame):
            return
        if event == "call":
            callee = _project_file(frame.f_code.co_filename)
            caller = _nearest_project_file(frame.f_back)
            if callee is not None and caller is not None and callee != caller:
                high, low = _rank(callee), _rank(caller)
                if high is not None and low is not None and high < low:
                    climbs.append((caller, callee))
            move(callee or caller, by_call=True)
        elif event == "return":
            move(_nearest_project_file(frame.f_back), by_call=False)

    from chatstats_cli.app import app

    sys.setprofile(hook)
    try:
        app(argv, standalone_mode=False)
    except SystemExit:
        pass
    finally:
        sys.setprofile(None)
    return entered, climbs, list(returns)


def main() -> None:
    """Print the route of the command given on the command line."""
    os.environ.setdefault("CHATSTATS_ENGINE", "auto")
    entered, climbs, returns = trace(sys.argv[1:])
    sys.stdout.flush()
    out = sys.stderr
    out.write(f"files entered: {len(entered)}\n")
    for name in entered:
        out.write(f"  {name}\n")
    out.write(f"climbs back up: {len(set(climbs))}\n")
    for caller, callee in dict.fromkeys(climbs):  # each once, in the order first made
        out.write(f"  {caller} -> {callee}\n")
    out.write(f"returns to a file already left: {len(returns)}\n")
    for caller, callee in returns:
        out.write(f"  {caller} -> {callee}\n")


if __name__ == "__main__":
    main()
