"""The two engines can never drift: whatever the native core replays, it renders byte for byte
as the Python engine (the reference) does, in every format it renders, for every sample, every
real transcript, 10,000 generated sessions and random ones, under option sets that together
set every option. A divergence names the session, the option set and the first differing KVP.
"""

from __future__ import annotations

import gzip
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings

from chatstats_core import build_options, load_path, replay_session
from chatstats_core.corpus.batch import Outcome, process, run
from chatstats_core.corpus.generate import generate
from chatstats_core.corpus.inputs import RawItem, expand
from chatstats_core.corpus.native import Engine, native_core
from chatstats_core.engine.options import Options
from chatstats_core.render import OutputFormat
from chatstats_core.transcript.loading import transcript_from_document
from chatstats_core.transcript.writers import transcript_to_xml
from chatstats_core.workflows.compare import KeyFilter, OptionSetsTask
from chatstats_core.workflows.fit import fit
from chatstats_core.workflows.replay import ReplayTask
from chatstats_core.workflows.report import ComparedReportTask, GroupBy, ReportTask
from chatstats_core.workflows.reported import Reported
from chatstats_core.workflows.sweep import SweepTally, SweepTask, sweep_document
from tests.core.strategies import OPTION_SETS, session_documents
from tests.helpers import REAL, ROOT, SAMPLES

#: The transcripts of reference revision 3's five changes (tests/core/test_reference_revision3).
REVISION3 = ROOT / "tests" / "fixtures" / "revision3"

#: The native core, when it is built and chosen (the tests below are skipped otherwise).
CORE = native_core()

pytestmark = pytest.mark.skipif(
    CORE is None,
    reason="the native core is not built here, or CHATSTATS_ENGINE=python (CI builds and tests it)",
)

#: Together they set every option to a value other than its default at least once.
OPTION_SETS_USED = {
    "defaults": [],
    "all-always-inactivity": [
        "attach-session-statistics=all",
        "stop-abandoned-interaction=always",
        "inactivity-control/enabled=true",
        "timeout-alert=60",
        "timeout-close=30",
        "include-notices=all",
        "tenant-id=7",
    ],
    "fired-noagents-alert2": [
        "attach-session-statistics=fired",
        "stop-abandoned-interaction=noagents",
        "inactivity-control/enabled=true",
        "timeout-alert=30",
        "timeout-alert2=20",
        "timeout-close=15",
        "include-notices=none",
        "async-idle-alert=600",
        "async-idle-close=300",
        "async-idle-notices=typing",
        "bot-gateway=false",
    ],
    "all-noanswer-int-coach": [
        "attach-session-statistics=all",
        "stop-abandoned-interaction=noanswer",
        "coach-visibility=INT",
        "async-idle-notices=all",
        "include-notices=major2",
        "async-idle-alert=120",
        "async-idle-close=60",
    ],
    "reporting-events": [
        "attach-session-statistics=all",
        "attach-stats-rep-events=7",
        "attach-stats-rep-place=3",
    ],
    "fired-never-notices-none": [
        "attach-session-statistics=fired",
        "inactivity-control/enabled=true",
        "async-idle-notices=none",
        "tenant-id=42",
    ],
}
FORMATS = (
    OutputFormat.JSONL,
    OutputFormat.JSON,
    OutputFormat.KVP,
    OutputFormat.CSV,
    OutputFormat.INFOMART,
)


def _first_difference(python: str, native: str) -> str:
    """The first KVP (or other field) in which two renderings of one session differ (for the
    text formats, the first line that differs)."""
    try:
        left, right = orjson.loads(python), orjson.loads(native)
    except orjson.JSONDecodeError:
        pairs = zip(python.splitlines(), native.splitlines(), strict=False)
        return next((f"python {a!r}, native {b!r}" for a, b in pairs if a != b), "line ends")
    for part in ("kvps", "classification", "options"):
        for key in [*left.get(part, {}), *right.get(part, {})]:
            a, b = left.get(part, {}).get(key), right.get(part, {}).get(key)
            if a != b:
                return f"{part}.{key}: python {a!r}, native {b!r}"
    for key in left.keys() | right.keys():
        if left.get(key) != right.get(key):
            return f"{key}: python {left.get(key)!r}, native {right.get(key)!r}"
    return "the same values, other bytes (order, spacing or escaping)"


def compare_engines(
    items: Sequence[RawItem], name: str, options: Options, output: OutputFormat
) -> Counter[str]:
    """Assert the native text equals the Python engine's for every item the native core
    replays; return how many it declined, by reason."""
    task = ReplayTask(options, output)
    declined: Counter[str] = Counter()
    for item, native in zip(items, task.natively(CORE, items), strict=True):
        if isinstance(native, str):
            declined[native] += 1
            continue
        assert native.text is not None
        python = process(item, task)
        assert python.text is not None, f"{item.source}: native replayed what Python refuses"
        if native.text != python.text:
            pytest.fail(
                f"{item.source} under {name} ({output.value}): the engines differ; first "
                f"difference: {_first_difference(python.text, native.text)}"
            )
        assert native.warnings == python.warnings, item.source
    return declined


def _raw(paths: list[str]) -> list[RawItem]:
    return [item for item in expand(paths) if isinstance(item, RawItem)]


def _generated_xml(count: int) -> list[RawItem]:
    return [
        RawItem(
            f"generated-{i}.xml",
            transcript_to_xml(transcript_from_document(document, "g", "g")).encode(),
            f"generated-{i}",
        )
        for i, document in enumerate(generate(count, seed=12, async_share=0.3, bots=True))
    ]


def _generated(count: int) -> list[RawItem]:
    return [
        RawItem(f"generated-{i}.json", orjson.dumps(document), f"generated-{i}")
        for i, document in enumerate(generate(count, seed=11, async_share=0.3, bots=True))
    ]


@pytest.mark.parametrize("name", OPTION_SETS_USED)
@pytest.mark.parametrize("output", FORMATS, ids=lambda f: f.value)
def test_samples_and_real_transcripts_render_the_same_in_both_engines(name, output):
    items = _raw([str(SAMPLES), str(REAL), str(REVISION3)])
    assert len(items) >= 30
    declined = compare_engines(items, name, build_options(OPTION_SETS_USED[name]), output)
    assert declined == Counter(), declined  # every sample replays natively


@pytest.mark.parametrize("name", OPTION_SETS_USED)
def test_ten_thousand_generated_sessions_render_the_same_in_both_engines(name):
    items = _generated(10_000)
    options = build_options(OPTION_SETS_USED[name])
    declined = compare_engines(items, name, options, OutputFormat.JSONL)
    for output in FORMATS[1:]:
        compare_engines(items[:500], name, options, output)
    assert declined.total() <= len(items) // 20, declined  # declines stay rare


@pytest.mark.parametrize("name", OPTION_SETS_USED)
def test_generated_xml_transcripts_render_the_same_in_both_engines(name):
    items = _generated_xml(2_000)
    declined = compare_engines(items, name, build_options(OPTION_SETS_USED[name]), FORMATS[0])
    assert declined.total() <= len(items) // 20, declined


def test_gzip_transcripts_render_the_same_in_both_engines():
    items = [
        RawItem(item.source + ".gz", gzip.compress(item.data, mtime=0), item.default_session_id)
        for item in _raw([str(SAMPLES), str(REAL)])
    ]
    options = build_options(OPTION_SETS_USED["all-always-inactivity"])
    declined = compare_engines(items, "gzip", options, OutputFormat.JSONL)
    assert declined == Counter(), declined


def test_hostile_inputs_are_refused_by_python_or_rendered_the_same():
    """Every hostile file either gets the Python engine's own error (the native core declines
    it) or, where Python reads it, the same bytes."""
    hostile = Path(__file__).parent / "hostile"
    items = _raw([str(p) for p in sorted(hostile.iterdir()) if p.suffix != ".py"])
    options = build_options(["attach-session-statistics=all"])
    task = ReplayTask(options, OutputFormat.JSONL)
    read_cleanly_but_declined = []
    for item, native in zip(items, task.natively(CORE, items), strict=True):
        python = process(item, task)
        if isinstance(native, str):  # declined: the Python engine says what it says
            if python.error is None and not python.warnings:
                read_cleanly_but_declined.append((item.source, native))
            continue
        assert python.error is None and native.text == python.text, item.source
    assert read_cleanly_but_declined == []  # declining everything would not pass


def _stranger(party: str) -> RawItem:
    """A session in which a party that never joined writes."""
    document = {
        "format": "chatstats-transcript/1",
        "started_at": "2026-01-05T10:00:00Z",
        "events": [
            {"t": 0, "type": "join", "party": "c1", "role": "client"},
            {"t": 5, "type": "message", "party": party, "text": "hi"},
            {"t": 9, "type": "leave", "party": "c1"},
        ],
    }
    return RawItem("stranger.json", orjson.dumps(document), "stranger")


def test_the_native_core_replays_warnings_about_events_itself():
    """Restorations that forget agents, forgotten parties that act, strangers, recorded alerts:
    replayed natively with the Python engine's warnings, word for word (revision 3)."""
    items = _raw([str(SAMPLES / "09-session-restoration.xml"), str(REVISION3)])
    items.append(_stranger("ghost"))
    options = build_options(["attach-session-statistics=all"])
    assert compare_engines(items, "all", options, OutputFormat.JSONL) == Counter()


def test_the_native_core_declines_a_party_id_python_would_escape_in_a_warning():
    """Python's repr of a non-ASCII or control-character id is not worth copying: declined."""
    options = build_options(["attach-session-statistics=all"])
    assert compare_engines([_stranger("gh\u00f6st")], "all", options, OutputFormat.JSONL) == (
        Counter({"a party id Python would escape (a warning)": 1})
    )


def assert_declines_rare(tally: Counter[str]) -> None:
    """A differential run must compare: at most a tenth of what it was given declined."""
    declined = tally.total() - tally["compared"]
    assert tally["compared"] > 0 and declined <= tally.total() // 10, tally


def test_random_xml_sessions_render_the_same_in_both_engines():
    tally: Counter[str] = Counter()

    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(document=session_documents(xml_safe=True), assignments=OPTION_SETS)
    def check(document, assignments):
        xml = transcript_to_xml(transcript_from_document(document, "r", "r")).encode()
        declined = compare_engines(
            [RawItem("random.xml", xml, "random")],
            " ".join(assignments),
            build_options(assignments),
            FORMATS[0],
        )
        tally.update(declined or {"compared": 1})

    check()
    assert_declines_rare(tally)


def test_random_sessions_render_the_same_in_both_engines():
    tally: Counter[str] = Counter()

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(document=session_documents(), assignments=OPTION_SETS)
    def check(document, assignments):
        item = RawItem("random.json", orjson.dumps(document), "random")
        options = build_options(assignments)
        for output in FORMATS:
            declined = compare_engines([item], " ".join(assignments), options, output)
            tally.update(declined or {"compared": 1})

    check()
    assert_declines_rare(tally)


def compare_task(task: Any, items: Sequence[RawItem]) -> Counter[str]:
    """Assert that every outcome the native core gives a task (sweep figures, diff payloads,
    report facts) equals the Python engine's, warnings included; return the declines."""
    declined: Counter[str] = Counter()
    for item, native in zip(items, task.natively(CORE, items), strict=True):
        if isinstance(native, str):
            declined[native] += 1
            continue
        python = process(item, task)
        assert (native.payload, native.text, native.warnings) == (
            python.payload,
            python.text,
            python.warnings,
        ), item.source
    return declined


def compare_sweeps(items: Sequence[RawItem], assignments: list[list[str]]) -> Counter[str]:
    """The sweep figures of both engines (each session parsed once, replayed under every
    option set), with two --kvp columns."""
    task = SweepTask(
        tuple(build_options(a) for a in assignments), ("csg_SessionEndedBy", "csg_MediaType")
    )
    return compare_task(task, items)


def test_sweep_figures_are_the_same_in_both_engines():
    sets = [OPTION_SETS_USED[name] for name in OPTION_SETS_USED]
    items = _raw([str(SAMPLES), str(REAL)]) + _generated(2_000)
    declined = compare_sweeps(items, sets)
    assert declined.total() <= len(items) // 10, declined


def _swept_rows(items: Sequence[RawItem], sets: list[list[str]], engine: Engine) -> dict:
    """The sweep document of the items under the sets (no --kvp), run through the batch
    runner with ``engine``: natively, each chunk summed by the core."""
    task = SweepTask(tuple(build_options(a) for a in sets))
    tally = SweepTally([], [{"set": i} for i in range(len(sets))])
    for outcome in run(items, task, engine=engine):
        assert isinstance(outcome, Outcome) and outcome.error is None, outcome
        tally.take(outcome.payload)
    return sweep_document(tally.result())


def test_sweep_rows_without_kvp_are_the_same_in_both_engines():
    """Without --kvp the native core sums each chunk itself and replays a session once for
    the option sets that differ only in what the replay pass does not read (here the stop
    policies, the attach levels, the tenant): the rows are still the Python engine's."""
    sets = [OPTION_SETS_USED[name] for name in OPTION_SETS_USED]
    inactive = OPTION_SETS_USED["all-always-inactivity"]
    for policy in ("never", "noagents", "noanswer", "always"):
        sets.append([*inactive, f"stop-abandoned-interaction={policy}"])
        sets.append([f"stop-abandoned-interaction={policy}", "tenant-id=3"])
    changes = ("timeout-alert=20", "timeout-alert=300", "timeout-close=5", "enabled=false")
    sets.extend([*inactive, changed] for changed in changes)  # one replay option apart
    items = _raw([str(SAMPLES), str(REAL)]) + _generated(3_000) + _generated_xml(300)
    native_rows = _swept_rows(items, sets, Engine.NATIVE)
    assert native_rows == _swept_rows(items, sets, Engine.PYTHON)
    assert native_rows["rows"][0]["figures"]["sessions"] == len(items)


def test_random_sessions_sweep_the_same_in_both_engines():
    tally: Counter[str] = Counter()

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(document=session_documents(), first=OPTION_SETS, second=OPTION_SETS)
    def check(document, first, second):
        item = RawItem("random.json", orjson.dumps(document), "random")
        tally.update(compare_sweeps([item], [first, second]) or {"compared": 1})

    check()
    assert_declines_rare(tally)


def test_diffs_of_two_option_sets_are_the_same_in_both_engines():
    items = _raw([str(SAMPLES), str(REAL)]) + _generated(1_000) + _generated_xml(300)
    keys = KeyFilter()
    for left_name, right_name in [
        ("defaults", "all-always-inactivity"),
        ("fired-noagents-alert2", "all-noanswer-int-coach"),
        ("all-always-inactivity", "fired-never-notices-none"),
    ]:
        task = OptionSetsTask(
            build_options(OPTION_SETS_USED[left_name]),
            build_options(OPTION_SETS_USED[right_name]),
            keys,
        )
        declined = compare_task(task, items)
        assert declined.total() <= len(items) // 10, declined


@pytest.mark.parametrize("by", [None, *GroupBy], ids=lambda b: getattr(b, "value", "all"))
def test_report_facts_are_the_same_in_both_engines(by):
    items = _raw([str(SAMPLES), str(REAL)]) + _generated(200) + _generated_xml(50)
    tasks = [
        ReportTask(build_options(OPTION_SETS_USED["all-always-inactivity"]), by),
        ComparedReportTask(
            build_options(OPTION_SETS_USED["defaults"]),
            build_options(OPTION_SETS_USED["fired-noagents-alert2"]),
            by,
        ),
    ]
    for task in tasks:
        declined = compare_task(task, items)
        assert declined.total() <= len(items) // 10, declined


@pytest.mark.parametrize("name", ["all-always-inactivity", "fired-noagents-alert2"])
def test_fit_finds_the_same_candidates_in_both_engines(name):
    """Each sample and real transcript, with a report made under the option set: fit's
    result (every candidate tried, exact or closest) is the same with either engine."""
    options = build_options(OPTION_SETS_USED[name])
    paths = sorted(
        p for p in [*SAMPLES.iterdir(), *REAL.iterdir()] if p.suffix in (".json", ".xml")
    )
    for path in paths:
        if path.name.endswith(".expected.json"):
            continue
        (item,) = _raw([str(path)])
        transcript = load_path(path)
        computed = replay_session(transcript, options)
        reported = Reported(computed.session_id, computed.kvps, {})
        native_fit = fit(transcript, reported, raw=item, engine=Engine.NATIVE)
        python_fit = fit(transcript, reported, raw=item, engine=Engine.PYTHON)
        assert native_fit == python_fit, path.name


@pytest.mark.parametrize("output", FORMATS, ids=lambda f: f.value)
def test_control_characters_are_escaped_alike_in_both_engines(output):
    """ESC, BEL, a line break, C1 controls, NBSP, soft hyphen and Latin letters in ids and user
    data: the text formats escape them byte for byte as the Python engine does (a character
    beyond U+02FF, whose printability the native core does not know, is declined)."""
    from tests.hostile.test_terminal_text import _hostile

    sessions = [
        _hostile("ctl\x1b]0;t\x07\n\x85\xa0\xad", "web\r=1+1", "fr-\xe9\u0153"),
        _hostile("S\n# session forged (x)", "'=1", "en"),
        _hostile("bidi\u202e", "-", "en"),
    ]
    items = [
        RawItem(f"hostile-{i}.json", orjson.dumps(session), f"hostile-{i}")
        for i, session in enumerate(sessions)
    ]
    options = build_options(["attach-session-statistics=all"])
    declined = compare_engines(items, "all", options, output)
    assert declined.total() <= 1, declined
