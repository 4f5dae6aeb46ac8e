"""Nothing from a file reaches the terminal raw, and no output can be forged (trust round 3,
hostile input round 3). The same hostile strings (ESC, BEL, an OSC title sequence, a screen
clear, a bidi override, line breaks) in the session id, a party id, a nickname, message texts
and user data go through every text format; each shows them escaped
(chatstats_core.safetext.shown); the kvp format escapes reversibly, and the CSV formula guard is
undone exactly.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chatstats_cli.app import app
from tests.helpers import document, join, leave, msg

EVIL_ID = "evil\x1b]0;pwned\x07\u202eid"
EVIL_PARTY = "c\x1b[31m1"
FORGED = "S\n# session forged (x)\n'csg_SessionEndedBy'\t'SYSTEM'"


def _hostile(
    session_id: str = EVIL_ID, origin: str = "web\u202e", language: str = "en\x07"
) -> dict:
    transcript = document(
        join(0, EVIL_PARTY, "client"),
        msg(4, EVIL_PARTY, "hi\x1b]0;title\x07"),
        join(30, "a1", "agent"),
        msg(42, "a1", "yo\x1b[2J"),
        leave(90, EVIL_PARTY),
        leave(95, "a1"),
        session_id=session_id,
    )
    transcript["user_data"].update(MediaOrigin=origin, GCTI_LanguageName=language)
    transcript["events"][0]["nick"] = "Ann\x1b[2J"
    return transcript


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "evil.jsonl"
    path.write_text(json.dumps(_hostile()) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def single(tmp_path: Path) -> Path:
    path = tmp_path / "evil.json"
    path.write_text(json.dumps(_hostile()), encoding="utf-8")
    return path


def invoke(*args: str, **kwargs):
    return CliRunner().invoke(app, list(args), **kwargs)


def _raw_characters(text: str) -> set[str]:
    return {c for c in text if not c.isprintable() and c not in "\n\t"}


ALL = ("-o", "attach-session-statistics=all")
VARY = ("--vary", "stop-abandoned-interaction=never,always")
SIDES = ("-a", "stop-abandoned-interaction=never", "-b", "stop-abandoned-interaction=always")
CORPUS_COMMANDS = {
    "replay-kvp": ("replay", "-f", "kvp", *ALL),
    "replay-csv": ("replay", "-f", "csv", *ALL),
    "replay-infomart": ("replay", "-f", "infomart", *ALL),
    "replay-table": ("replay", "-f", "table", *ALL),
    "report-csv": ("report", "-f", "csv", "--by", "media-origin", *ALL),
    "report-table": ("report", "-f", "table", "--by", "media-origin", *ALL),
    "sweep-csv": ("sweep", *VARY, "-f", "csv", "--kvp", "csg_MediaOrigin"),
    "sweep-table": ("sweep", *VARY, "-f", "table", "--kvp", "csg_MediaOrigin"),
    "diff-brief": ("diff", *SIDES, "--brief"),
    "diff-table": ("diff", *SIDES, "-f", "table"),
}
SESSION_COMMANDS = {
    "timeline-text": ("timeline", "-f", "text"),
    "timeline-table": ("timeline", "-f", "table"),
    "explain-table": ("explain", "csg_MediaOrigin", "-f", "table", *ALL),
    "validate-text": ("validate",),
}


@pytest.mark.parametrize("name", CORPUS_COMMANDS)
def test_every_text_format_of_a_corpus_shows_control_characters_escaped(name, corpus):
    command, *rest = CORPUS_COMMANDS[name]
    result = invoke(command, str(corpus), *rest)
    assert result.exit_code in (0, 1), result.output
    assert result.stdout
    assert _raw_characters(result.stdout) == set(), name
    assert _raw_characters(result.stderr) == set(), name


@pytest.mark.parametrize("name", SESSION_COMMANDS)
def test_every_text_format_of_one_session_shows_control_characters_escaped(name, single):
    command, *rest = SESSION_COMMANDS[name]
    result = invoke(command, str(single), *rest)
    assert result.exit_code in (0, 1), result.output
    assert _raw_characters(result.stdout) == set(), name


def test_the_kvp_format_reads_back_exactly(corpus, tmp_path):
    """The escapes are read back: a kvp run of the hostile session compared with the same
    replay finds no difference."""
    saved = tmp_path / "run.kvp"
    saved.write_text(invoke("replay", str(corpus), "-f", "kvp", *ALL).stdout, encoding="utf-8")
    result = invoke("diff", str(corpus), "--expected", str(saved), *ALL, "-f", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["different"] == 0


def test_a_session_id_cannot_forge_sessions_or_kvps_in_the_kvp_format(tmp_path):
    corpus = tmp_path / "forged.jsonl"
    corpus.write_text(json.dumps(_hostile(session_id=FORGED)) + "\n", encoding="utf-8")
    text = invoke("replay", str(corpus), "-f", "kvp", *ALL).stdout
    lines = text.splitlines()
    assert [line for line in lines if line.startswith("#")] == [lines[0]]
    assert "'csg_SessionEndedBy'\t'SYSTEM'" not in lines
    saved = tmp_path / "run.kvp"
    saved.write_text(text, encoding="utf-8")
    result = invoke("diff", str(corpus), "--expected", str(saved), *ALL, "-f", "json")
    assert json.loads(result.stdout) == {"compared": 1, "different": 0, "sessions": []}


def test_a_carriage_return_cannot_split_a_csv_row_into_a_formula(tmp_path):
    """`web\\r=1+1`: the line break is shown escaped, so no physical line starts with `=`."""
    corpus = tmp_path / "cr.jsonl"
    corpus.write_text(json.dumps(_hostile(origin="web\r=1+1")) + "\n", encoding="utf-8")
    for args in (("replay", "-f", "csv", *ALL), ("report", "-f", "csv", "--by", "media-origin")):
        text = invoke(args[0], str(corpus), *args[1:]).stdout
        assert not any(line.startswith(("=", "+", "-", "@")) for line in text.split("\r"))
        assert not any(line.startswith(("=", "+", "-", "@")) for line in text.splitlines())


@pytest.mark.parametrize("origin", ["'=1", "=1", "''+x", "-", "'abc"])
def test_the_csv_formula_guard_is_undone_exactly(tmp_path, origin):
    """A genuine value starting with an apostrophe survives the CSV round trip (it used to come
    back as `=1` for `'=1`). The escaping of control characters is one way (documented), so
    this session's other values are plain."""
    corpus = tmp_path / "g.jsonl"
    clean = _hostile(session_id="G1", origin=origin, language="en")
    corpus.write_text(json.dumps(clean) + "\n")
    saved = tmp_path / "run.csv"
    saved.write_text(invoke("replay", str(corpus), "-f", "csv", *ALL).stdout, encoding="utf-8")
    (cells,) = list(csv.DictReader(io.StringIO(saved.read_text())))
    assert not cells["csg_MediaOrigin"].startswith(("=", "+"))
    result = invoke("diff", str(corpus), "--expected", str(saved), *ALL, "-f", "json")
    assert json.loads(result.stdout)["different"] == 0, result.stdout


def test_stdin_s_name_is_not_formula_guarded(single):
    """`-` is the name the user typed for stdin, not a value from a file: no apostrophe."""
    result = invoke("replay", "-", "-f", "csv", *ALL, input=single.read_bytes())
    (cells,) = list(csv.DictReader(io.StringIO(result.stdout)))
    assert cells["source"] == "-:1"  # stdin, read as JSON Lines: its first line
