"""The native core mirrors the Python engine by construction: module for module, and with every
constant the two share defined once on each side and checked here (docs/development.md)."""

from __future__ import annotations

import pytest

from chatstats_core import engine
from chatstats_core.corpus.native import native_core
from chatstats_core.engine import kvps, rules
from chatstats_core.workflows import report, sweep
from tests.helpers import ROOT

CORE = native_core()
NATIVE = ROOT / "native" / "src"
ENGINE = ROOT / "chatstats_core" / "engine"
needs_core = pytest.mark.skipif(CORE is None, reason="the native core is not built here")


def test_every_engine_module_has_its_native_twin():
    python_modules = {p.stem for p in ENGINE.glob("*.py")} - {"__init__", "contract", "rules"}
    assert python_modules == {
        "kvps",
        "options",
        "replay",
        "session",
        "stats",
        "timelines",
        "timers",
    }
    for name in python_modules:
        assert (NATIVE / f"{name}.rs").is_file(), name
    families = {p.stem for p in (ENGINE / "families").glob("*.py")} - {"__init__"}
    assert families == {p.stem for p in (NATIVE / "families").glob("*.rs")} - {"mod"}


def test_lib_rs_is_only_the_python_glue():
    glue = (NATIVE / "lib.rs").read_text(encoding="utf-8")
    for rule_word in ("Replayer::new", "compute_all", "fn classify", "Kvp::cs"):
        assert rule_word not in glue, rule_word


def _python_kvp_names() -> list[str]:
    return sorted(value for name, value in vars(kvps).items() if name == value)


@needs_core
def test_native_kvp_names_are_engine_kvps():
    assert CORE is not None
    assert _python_kvp_names() == list(rules.ALL_KVPS)
    assert _python_kvp_names() == CORE.KVP_NAMES  # the same names, in the output's order


@needs_core
def test_native_closure_and_attach_none_kvps_are_the_rules():
    assert CORE is not None
    assert set(CORE.CLOSURE_KVPS) == rules.CLOSURE_KVPS
    assert len(CORE.CLOSURE_KVPS) == len(rules.CLOSURE_KVPS)
    assert set(CORE.ATTACHED_UNDER_NONE) == rules.ATTACHED_UNDER_NONE
    assert len(CORE.ATTACHED_UNDER_NONE) == len(rules.ATTACHED_UNDER_NONE)


@needs_core
def test_native_sweep_and_report_constants_are_the_workflows():
    assert CORE is not None
    assert tuple(CORE.MEAN_KVPS) == sweep.MEAN_KVPS
    assert list(report.DISTRIBUTIONS.items()) == CORE.DISTRIBUTIONS
    sides = [name for side in report._SIDES.values() for name in side]
    assert sides == CORE.MESSAGE_KVPS


@needs_core
def test_native_still_open_warning_is_the_engines():
    assert CORE is not None
    assert engine.STILL_OPEN.message == CORE.STILL_OPEN


@needs_core
def test_the_stub_describes_what_the_native_module_has():
    """chatstats_core/_native.pyi is what mypy checks the native calls against: every class,
    property, function and constant it names is in the built module, and the other way round."""
    import ast

    assert CORE is not None
    stub = ast.parse((ROOT / "chatstats_core" / "_native.pyi").read_text(encoding="utf-8"))
    described: set[str] = set()
    for node in stub.body:
        if isinstance(node, ast.ClassDef):
            described.add(node.name)
            native_class = getattr(CORE, node.name)
            for member in node.body:
                if isinstance(member, ast.FunctionDef) and member.name != "__init__":
                    assert hasattr(native_class, member.name), f"{node.name}.{member.name}"
        elif isinstance(node, ast.FunctionDef):
            described.add(node.name)
            assert callable(getattr(CORE, node.name)), node.name
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            described.add(node.target.id)
            assert hasattr(CORE, node.target.id), node.target.id
    public = {name for name in dir(CORE) if not name.startswith("_")}
    assert public == described
