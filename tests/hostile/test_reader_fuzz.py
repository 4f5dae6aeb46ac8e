"""One reader for both engines: whatever the Python loader refuses, the native core refuses or
declines (so the Python engine says its own error); whatever both read, they render alike. A
fixed list of malformed XML that quick-xml alone would read, then a differential fuzz of
mutated XML and JSON transcripts, well- and ill-formed."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chatstats_core import build_options
from chatstats_core.corpus.batch import process
from chatstats_core.corpus.inputs import RawItem
from chatstats_core.corpus.native import native_core
from chatstats_core.render import OutputFormat
from chatstats_core.workflows.replay import ReplayTask
from tests.helpers import SAMPLES

CORE = native_core()
pytestmark = pytest.mark.skipif(CORE is None, reason="the native core is not built here")

BASE = (SAMPLES / "04-forced-close-by-agent.xml").read_text()
JSON_BASE = (SAMPLES / "01-answered-chat.json").read_text()
DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'
TEXT_START = '<msgText treatAs="NORMAL">'  # where a message's text begins in sample 04
MALFORMED = {
    "attributes-not-apart": BASE.replace('Z" sessionId=', 'Z"sessionId='),
    "deep-attributes-not-apart": BASE.replace(
        '<userInfo personId=""', '<userInfo personId=""userNick="x"', 1
    ),
    "upper-case-xml-pi": BASE.replace(DECLARATION, '<?XML version="1.0"?>'),
    "mixed-case-xml-pi-in-body": BASE.replace("</chatTranscript>", "<?XmL x?></chatTranscript>"),
    "standalone-maybe": BASE.replace(DECLARATION, '<?xml version="1.0" standalone="maybe"?>'),
    "declaration-junk": BASE.replace(DECLARATION, '<?xml version="1.0" foo="bar"?>'),
    "declaration-out-of-order": BASE.replace(DECLARATION, '<?xml encoding="UTF-8" version="1.0"?>'),
    "declaration-without-version": BASE.replace(DECLARATION, '<?xml encoding="UTF-8"?>'),
    "cdata-end-in-text": BASE.replace(TEXT_START, TEXT_START + "a]]>b", 1),
    "bad-character-reference": BASE.replace(TEXT_START, TEXT_START + "&#+65;", 1),
    "name-starting-with-a-digit": BASE.replace(TEXT_START, TEXT_START + "<1x/>", 1),
    "name-with-a-bang": BASE.replace(TEXT_START, TEXT_START + "<x!y/>", 1),
    "comment-with-double-dash": BASE.replace(TEXT_START, TEXT_START + "<!-- a -- b -->", 1),
    "bare-ampersand": BASE.replace(TEXT_START, TEXT_START + "a & b", 1),
    "text-after-the-root": BASE + "junk",
}
OPTIONS = build_options(["attach-session-statistics=all"])
TASK = ReplayTask(OPTIONS, OutputFormat.JSONL)


def _agree(items: list[RawItem]) -> int:
    """Assert the engines agree on every item; return how many the native core replayed."""
    replayed = 0
    for item, native in zip(items, TASK.natively(CORE, items), strict=True):
        python = process(item, TASK)
        if isinstance(native, str):
            continue  # declined: the Python engine gives its own answer
        replayed += 1
        assert python.error is None, f"{item.source}: the native core read what Python refuses"
        assert native.text == python.text, item.source
    return replayed


@pytest.mark.parametrize("name", MALFORMED)
def test_malformed_xml_the_python_loader_refuses_is_never_read_natively(name):
    item = RawItem(f"{name}.xml", MALFORMED[name].encode(), name)
    assert process(item, TASK).error is not None  # the control: expat refuses it
    assert _agree([item]) == 0


def test_utf8_by_another_name_is_read_alike_with_non_ascii_text():
    """`encoding="utf8"`: expat misread non-ASCII text under it ("not well-formed")."""
    text = BASE.replace('encoding="UTF-8"', 'encoding="utf8"').replace(
        TEXT_START, TEXT_START + "é", 1
    )
    item = RawItem("utf8.xml", text.encode(), "utf8")
    assert process(item, TASK).error is None
    assert _agree([item]) == 1


_SIGNIFICANT = list("<>&;\"'=/![]?-#x: \n") + ["&#65;", "]]>", "<!--", "-->", "<?", "?>", "\x00"]


def _mutated(base: str) -> st.SearchStrategy[bytes]:
    """The base document with a few insertions of significant characters and deletions."""
    edit = st.tuples(st.integers(0, len(base)), st.sampled_from(_SIGNIFICANT), st.integers(0, 3))

    def apply(edits: list[tuple[int, str, int]]) -> bytes:
        text = base
        for position, inserted, deleted in edits:
            position = min(position, len(text))
            text = text[:position] + inserted + text[position + deleted :]
        return text.encode("utf-8", "surrogatepass")

    return st.lists(edit, min_size=1, max_size=4).map(apply)


def _fuzzing(examples: int) -> settings:
    """Hypothesis settings for a reader fuzz test: ``examples`` cases, or CHATSTATS_FUZZ's."""
    return settings(
        max_examples=int(os.environ.get("CHATSTATS_FUZZ", str(examples))),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )


@_fuzzing(examples=300)
@given(data=_mutated(BASE))
def test_mutated_xml_is_refused_or_read_alike_by_both_readers(data):
    _agree([RawItem("fuzz.xml", data, "fuzz")])


@_fuzzing(examples=200)
@given(data=_mutated(JSON_BASE))
def test_mutated_json_is_refused_or_read_alike_by_both_readers(data):
    _agree([RawItem("fuzz.json", data, "fuzz")])
