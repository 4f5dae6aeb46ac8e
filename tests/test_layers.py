"""Imports run one way, a straight line: cli -> workflows -> {corpus, render} -> engine ->
transcript, with errors, safetext and csvtext below them all, and nothing back; the core imports
no terminal library. Read from the source (every import, those under TYPE_CHECKING and inside
functions too), so a new module is checked the day it is added."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "chatstats_core"

#: The layers of the core, top first, and the parts in each: a part may import the parts of
#: the layers below its own, never of its own layer (corpus and render know nothing of each
#: other) nor above.
LAYERS = (
    {"workflows"},
    {"corpus", "render"},
    {"engine"},
    {"transcript"},
    {"errors", "csvtext"},
    {"safetext"},
)
#: What each part of the core may import from the core (itself always).
ALLOWED = {
    part: set().union(*LAYERS[depth + 1 :]) for depth, layer in enumerate(LAYERS) for part in layer
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
        part = _part(path)  # "" for the package root, which re-exports names of every part
        for name in _imports(path):
            top, _, rest = name.partition(".")
            if top in TERMINAL:
                wrong.append(f"{path.relative_to(CORE)} imports {name}")
            if top == "chatstats_core" and rest and part:
                other = rest.split(".")[0]
                if other != part and other not in ALLOWED[part]:
                    wrong.append(f"{path.relative_to(CORE)} imports {name}")
    assert wrong == []


def test_every_part_of_the_core_is_in_the_table():
    parts = {_part(path) for path in CORE.rglob("*.py")} - {""}
    assert parts == set(ALLOWED)


def test_the_layers_are_the_straight_line_the_docs_draw():
    """The line of docs/development.md, checked here so that the table above cannot drift
    into allowing a loop: the runner (corpus) and the renderers know no workflow."""
    assert (
        ALLOWED["corpus"]
        == ALLOWED["render"]
        == {
            "engine",
            "transcript",
            "errors",
            "csvtext",
            "safetext",
        }
    )
    assert "workflows" not in set().union(*ALLOWED.values())
    assert ALLOWED["errors"] == {"safetext"}


def _typed_and_exported(package: Path, module: object) -> tuple[set[str], set[str], set[str]]:
    tree = ast.parse((package / "__init__.py").read_text(encoding="utf-8"))
    typed = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING"
        for child in node.body
        if isinstance(child, ast.ImportFrom)
        for alias in child.names
    }
    exported = set(module.__all__) - {"__version__"}  # type: ignore[attr-defined]
    return exported, set(module._EXPORTS), typed  # type: ignore[attr-defined]


def test_the_package_root_exports_typed_names_it_imports_lazily():
    """Each name of ``__all__`` is in the lazy table and imported under TYPE_CHECKING (which is
    what mypy reads), so ``from chatstats_core import Options`` is typed, not Any."""
    import chatstats_core

    exported, lazy, typed = _typed_and_exported(CORE, chatstats_core)
    assert exported == lazy == typed
    for name in exported:  # and each resolves, from the module the table names
        assert getattr(chatstats_core, name) is not None


def test_the_engine_package_exports_typed_names_it_imports_lazily():
    """The same for ``chatstats_core.engine``: importing it (for ``engine.kvps`` or
    ``engine.options``, as a native run does) loads no part of the Python engine."""
    import subprocess
    import sys

    from chatstats_core import engine

    exported, lazy, typed = _typed_and_exported(CORE / "engine", engine)
    assert exported == lazy == typed
    for name in exported:
        assert getattr(engine, name) is not None
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, chatstats_core.engine.options, chatstats_core.engine"
            ".kvps; print(sorted(m for m in sys.modules if m.startswith('chatstats_core.engine')))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert loaded.strip() == (
        "['chatstats_core.engine', 'chatstats_core.engine.kvps', 'chatstats_core.engine.options']"
    )
