"""Every attack and broken input in this folder gets a clear ChatstatsError, never a crash, and
nothing is ever fetched from the network."""

import socket
from pathlib import Path

import pytest

from chatstats_core import ChatstatsError, InputError, load_path, replay_session
from chatstats_core.engine.options import Options
from chatstats_core.transcript.limits import Limits

HERE = Path(__file__).parent

REFUSED = {
    "billion_laughs.xml": "refused unsafe XML: a document type declaration (<!DOCTYPE ...>)",
    "quadratic_blowup.xml": "refused unsafe XML: a document type declaration (<!DOCTYPE ...>)",
    "external_entity.xml": "refused unsafe XML: a document type declaration (<!DOCTYPE ...>)",
    "external_dtd.xml": "refused unsafe XML: a document type declaration (<!DOCTYPE ...>)",
    "parameter_entity.xml": "refused unsafe XML: a document type declaration (<!DOCTYPE ...>)",
    "deep_nesting.xml": "elements nested too deeply",
    "long_attribute.xml": "attribute userId of <newParty> too long",
    "gzip_bomb.xml.gz": "transcript too large",
    "not_gzip.json.gz": "not gzip data",
    "truncated.xml.gz": "broken gzip data",
    "truncated.xml": "not well-formed XML",
    "nan.json": "not valid JSON",
    "infinite_number.json": "not valid JSON",
    "huge_integer.json": "wrong type (expected an integer, found a number)",
    "deep_json.json": "not valid JSON",
    "binary_garbage.bin": "neither XML nor JSON",
    "empty.xml": "neither XML nor JSON",
    "wrong_root.xml": "wrong root element (expected <chatTranscript>, found <html>)",
    "replay_output.json": "this is chatstats replay output, not a transcript",
    "unknown_encoding.xml": "cannot decode the document: unknown encoding: ATF-8",
}
LOADS = {
    "utf16_bom.xml": "Grüße",
    "windows1251.xml": "Привет, мир",
    "utf8_bom.json": "naïve",
    "many_events.json": "x",
}


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("chatstats tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_every_file_here_is_covered():
    files = {p.name for p in HERE.iterdir() if p.is_file() and p.suffix != ".py"}
    assert files == set(REFUSED) | set(LOADS)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_hostile_input_is_refused_with_a_clear_error(name):
    with pytest.raises(InputError) as caught:
        load_path(HERE / name)
    line = caught.value.one_line()
    assert line.startswith(str(HERE / name))
    assert REFUSED[name] in line
    assert "\n" not in line


@pytest.mark.parametrize("name", sorted(LOADS))
def test_encodings_and_large_but_legal_inputs_load(name):
    transcript = load_path(HERE / name)
    messages = [e.text for e in transcript.events if e.kind.value == "message"]
    assert messages[-1] == LOADS[name]
    replay_session(transcript, Options())


def test_sizes_count_characters_not_bytes():
    """'Привет, мир' is 11 characters, 20 bytes in UTF-8 and 11 in windows-1251."""
    from chatstats_core import build_options

    result = replay_session(
        load_path(HERE / "windows1251.xml"), build_options(["attach-session-statistics=all"])
    )
    assert result.kvps["csg_MessagesFromCustomersSize"] == 11


def test_a_transcript_with_more_events_than_the_limit_is_refused_with_the_count():
    with pytest.raises(InputError, match="too many events: 1001"):
        load_path(HERE / "many_events.json", Limits(max_events=1000))


def test_size_limit_is_configurable():
    with pytest.raises(InputError, match="transcript too large"):
        load_path(HERE / "quadratic_blowup.xml", Limits(max_bytes=1024))


def test_errors_are_chatstats_errors():
    assert issubclass(InputError, ChatstatsError)
