"""`chatstats validate`, `convert` and `redact`: formats, outputs and exit codes."""

import json

import pytest
from typer.testing import CliRunner

from chatstats_cli.app import app
from chatstats_core import build_options, load_path, replay_session
from tests.helpers import ROOT

CLEAN = "samples/01-answered-chat.json"
WARNS = "samples/10-still-open.json"


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def invoke(*args):
    return CliRunner().invoke(app, list(args))


def test_validate_clean_exits_0():
    result = invoke("validate", CLEAN, "samples/04-forced-close-by-agent.xml")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "validate: 2 transcripts, 2 clean, 0 errors, 0 warnings\n"


def test_validate_warnings_only_exits_1():
    result = invoke("validate", CLEAN, WARNS)
    assert result.exit_code == 1
    assert result.stdout == f"{WARNS}: warning: session still open at end of transcript\n"


def test_validate_reports_every_problem_and_exits_2(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "format": "chatstats-transcript/1",
                "started_at": "2026-01-05T10:00:00Z",
                "events": [
                    {"t": 5, "type": "join", "party": "a1", "role": "agent"},
                    {"t": 3, "type": "message", "party": "zz", "text": "x"},
                    {"t": 7, "type": "join", "party": "a1", "role": "agent"},
                    {"t": 6, "type": "leave", "party": "a1", "cause": "removed", "by": "ghost"},
                ],
            }
        )
    )
    result = invoke("validate", str(bad), "-f", "json")
    assert result.exit_code == 2
    problems = json.loads(result.stdout)["files"][0]["problems"]
    messages = [(p["severity"], p["path"], p["message"]) for p in problems]
    assert (
        "error",
        "events[1]",
        "event 1 goes back in time: offset 3s after 5s (event 0)",
    ) in messages
    assert (
        "error",
        "events[3]",
        "event 3 goes back in time: offset 6s after 7s (event 2)",
    ) in messages
    assert ("warning", "events[3]", "'a1' removed by 'ghost', who never joined") in messages
    assert ("warning", None, "the session has no client") in messages
    assert any("never joined, taken as external" in m for _, _, m in messages)
    assert any("joined again without leaving" in m for _, _, m in messages)


def test_validate_structural_error_has_line_and_column(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text("<chatTranscript startAt='2022-03-05T07:09:33Z' sessionId='S'>\n<a></b>")
    result = invoke("validate", str(bad))
    assert result.exit_code == 2
    assert result.stdout.startswith(f"{bad}:2:")


def test_convert_xml_to_json_and_back(tmp_path):
    xml = "samples/04-forced-close-by-agent.xml"
    result = invoke("convert", xml, "--to", "json", "--out", str(tmp_path))
    assert result.exit_code == 0
    converted = tmp_path / "04-forced-close-by-agent.json"
    assert json.loads(converted.read_text())["format"] == "chatstats-transcript/1"
    back = invoke("convert", str(converted), "--to", "xml")
    assert back.stdout.startswith("<?xml")
    options = build_options(["attach-session-statistics=all"])
    assert (
        replay_session(load_path(converted), options).kvps
        == replay_session(load_path(xml), options).kvps
    )


def test_convert_route_to_xml_fails_with_exit_2():
    result = invoke("convert", "samples/07-async-dormant.json", "--to", "xml")
    assert result.exit_code == 2
    assert "route without a party) has no XML form" in result.stderr


def test_convert_several_xml_to_stdout_is_refused():
    result = invoke("convert", CLEAN, WARNS, "--to", "xml")
    assert result.exit_code == 2


def test_convert_several_json_to_stdout_is_one_per_line():
    result = invoke("convert", CLEAN, WARNS, "--to", "json")
    assert [json.loads(line)["session_id"] for line in result.stdout.splitlines()] == [
        "answered-chat",
        "still-open",
    ]


def test_redact_keeps_format_and_statistics(tmp_path):
    salt = tmp_path / "salt.txt"
    salt.write_text("s\n")
    out = tmp_path / "out"
    result = invoke(
        "redact",
        "samples/06-bot-then-agent.xml",
        CLEAN,
        "--salt-file",
        str(salt),
        "--keep-session-id",
        "--out",
        str(out),
    )
    assert result.exit_code == 0
    (xml_file,) = out.glob("*.xml")
    (json_file,) = out.glob("*.json")
    redacted_xml = xml_file.read_text()
    assert "Carla" not in redacted_xml and "agent-3" not in redacted_xml
    options = build_options(["attach-session-statistics=all"])
    for written, name in (
        (xml_file, "06-bot-then-agent.xml"),
        (json_file, "01-answered-chat.json"),
    ):
        assert (
            replay_session(load_path(written), options).kvps
            == replay_session(load_path(ROOT / "samples" / name), options).kvps
        )


def test_redacted_file_names_are_pseudonyms_too(tmp_path):
    """An input named after a customer must not name the output after them."""
    named = tmp_path / "jane-doe-complaint.json"
    named.write_text((ROOT / CLEAN).read_text())
    out = tmp_path / "out"
    assert invoke("redact", str(named), "--out", str(out)).exit_code == 0
    (written,) = out.iterdir()
    assert written.name.startswith("file-") and "jane" not in written.name


def test_redact_is_deterministic_for_a_salt_and_notes_a_missing_salt(tmp_path):
    def redacted(salt: str | None) -> str:
        env = {"CHATSTATS_SALT": salt} if salt else {"CHATSTATS_SALT": ""}
        return CliRunner().invoke(app, ["redact", CLEAN], env=env).stdout

    first = redacted("x")
    assert first == redacted("x")
    assert first != redacted("y")
    assert (
        "no salt" in CliRunner().invoke(app, ["redact", CLEAN], env={"CHATSTATS_SALT": ""}).stderr
    )
    salt = tmp_path / "salt"
    salt.write_text("x")
    assert invoke("redact", CLEAN, "--salt-file", str(salt)).stdout == first


def test_the_salt_is_never_a_command_line_argument():
    result = invoke("redact", CLEAN, "--salt", "x")
    assert result.exit_code == 2 and "No such option" in result.stderr


def test_redact_pseudonymises_the_session_id_unless_asked_to_keep_it():
    env = {"CHATSTATS_SALT": "x"}
    default = CliRunner().invoke(app, ["redact", CLEAN], env=env)
    assert json.loads(default.stdout)["session_id"].startswith("session-")
    kept = CliRunner().invoke(app, ["redact", CLEAN, "--keep-session-id"], env=env)
    assert json.loads(kept.stdout)["session_id"] == "answered-chat"
    old_flag = CliRunner().invoke(app, ["redact", CLEAN, "--new-session-id"], env=env)
    assert old_flag.stdout == default.stdout  # the old flag still works: it is the default


def test_without_a_salt_redact_uses_a_random_one_and_says_how_to_keep_pseudonyms_stable():
    """The empty default salt made pseudonyms reversible by dictionary."""
    env = {"CHATSTATS_SALT": ""}
    first = CliRunner().invoke(app, ["redact", CLEAN], env=env)
    second = CliRunner().invoke(app, ["redact", CLEAN], env=env)
    assert first.exit_code == second.exit_code == 0
    assert first.stdout != second.stdout  # a fresh salt each run
    assert "a random one was used" in first.stderr and "--salt-file" in first.stderr


def test_validate_reports_each_load_warning_once(tmp_path):
    odd = tmp_path / "odd.xml"
    odd.write_text(
        '<chatTranscript startAt="2022-03-05T07:09:33Z" sessionId="W">\n'
        '<newParty userId="C" timeShift="0"><userInfo userType="CLIENT"/></newParty>\n'
        '<oddity timeShift="1"/>\n'
        '<partyLeft userId="C" timeShift="5"><reason code="42">x</reason></partyLeft>\n'
        "</chatTranscript>\n"
    )
    result = invoke("validate", str(odd))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{odd}:3: warning: unknown element <oddity> skipped",
        f"{odd}:4: warning: unknown partyLeft reason code '42', taken as a plain leave",
    ]


def test_validate_names_option_warnings_once():
    result = invoke("validate", CLEAN, "-o", "attach-stats-rep-events=1")
    assert result.stdout.count("attach-stats-rep-place is 0") == 1
