"""Imports run one way: cli -> workflows/corpus -> engine -> transcript; render depends on
results (engine, and the workflows' summaries), never the reverse; the core imports no
terminal library. Read from the source, so a new module is checked the day it is added."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "chatstats_core"

#: What each part of the core may import from the core (itself always).
ALLOWED = {
    "safetext": set(),
    "errors": {"safetext"},
    "csvtext": {"safetext"},
    "transcript": {"errors", "safetext"},
    "engine": {"errors", "safetext", "transcript"},
    "corpus": {"errors", "safetext", "csvtext", "transcript", "engine", "render"},
    "workflows": {"errors", "safetext", "csvtext", "transcript", "engine", "corpus"},
    "render": {"errors", "safetext", "csvtext", "transcript", "engine", "workflows"},
}
TERMINAL = {"rich", "typer", "click", "chatstats_cli"}


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def _part(path: Path) -> str:
    relative = path.relative_to(CORE)
    return relative.parts[0].removesuffix(".py") if relative.parts[0] != "__init__.py" else ""


def test_each_part_of_the_core_imports_only_the_parts_below_it():
    wrong = []
    for path in sorted(CORE.rglob("*.py")):
        part = _part(path)
        if not part:
            continue  # the package's lazy export table
        for name in _imports(path):
            top, _, rest = name.partition(".")
            if top in TERMINAL:
                wrong.append(f"{path.relative_to(CORE)} imports {name}")
            if top == "chatstats_core" and rest:
                other = rest.split(".")[0]
                if other != part and other not in ALLOWED[part]:
                    wrong.append(f"{path.relative_to(CORE)} imports {name}")
    assert wrong == []


def test_every_part_of_the_core_is_in_the_table():
    parts = {_part(path) for path in CORE.rglob("*.py")} - {""}
    assert parts == set(ALLOWED)
