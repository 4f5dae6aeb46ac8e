"""`chatstats replay` and `chatstats options`: formats, exit codes, stdin, errors, purity."""

import csv
import io
import json
import subprocess
import sys

import orjson
import pytest
from typer.testing import CliRunner

from chatstats_cli.app import app
from chatstats_core import ALL_KVPS
from tests.helpers import ROOT

ANSWERED = "samples/01-answered-chat.json"
FORCED = "samples/04-forced-close-by-agent.xml"
ALL = ["-o", "attach-session-statistics=all"]


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("TERM", "dumb")


def invoke(*args, stdin=None):
    return CliRunner().invoke(app, list(args), input=stdin)


def test_json_is_the_default_when_stdout_is_not_a_terminal():
    result = invoke("replay", ANSWERED)
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert list(document) == [
        "session_id",
        "source",
        "options",
        "kvps",
        "classification",
        "delivery",
        "reporting_events",
        "warnings",
    ]
    assert set(document["kvps"]) == {
        "ChatServerSessionStartedAt",
        "ChatServerSessionClosedAt",
        "csg_MediaType",
        "csg_TenantId",
    }


def test_jsonl_prints_one_line_per_session_in_input_order():
    result = invoke("replay", FORCED, ANSWERED, "--format", "jsonl", *ALL)
    lines = result.stdout.splitlines()
    assert [orjson.loads(line)["session_id"] for line in lines] == [
        "forced-close-by-agent",
        "answered-chat",
    ]


def test_json_with_several_files_is_a_stream_of_objects():
    result = invoke("replay", FORCED, ANSWERED, "--format", "json")
    decoder = json.JSONDecoder()
    text, position, ids = result.stdout, 0, []
    while position < len(text.strip()):
        obj, end = decoder.raw_decode(text, position)
        ids.append(obj["session_id"])
        position = end + 1
    assert ids == ["forced-close-by-agent", "answered-chat"]


def test_kvp_prints_genesys_log_style_lines():
    result = invoke("replay", ANSWERED, "--format", "kvp", *ALL)
    lines = result.stdout.splitlines()
    assert lines[0] == f"# session answered-chat ({ANSWERED})"
    assert "'csg_SessionEndedBy'\t'CLIENT'" in lines
    assert "'cse_CustomerWaitMaxTime'\t38" in lines
    assert "'csg_TenantId'\t101" in lines


def test_csv_has_one_row_per_session_and_a_column_per_kvp():
    result = invoke("replay", ANSWERED, FORCED, "--format", "csv", *ALL)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 2
    assert set(ALL_KVPS) <= set(rows[0])
    assert rows[0]["cse_CustomerWaitTotalTime"] == "53"
    assert rows[0]["ended_by"] == "CLIENT" and rows[0]["abandoned"] == "false"
    assert rows[1]["csg_MediaOrigin"] == ""  # not attached: empty cell


def test_table_lists_kvps_and_explains_the_none_default():
    result = invoke("replay", ANSWERED, "--format", "table")
    assert result.exit_code == 0
    assert "csg_TenantId" in result.stdout
    assert "-o attach-session-statistics=all" in " ".join(result.stdout.split())
    assert "ended by CLIENT (DISCONNECT)" in result.stdout
    assert "\x1b[" not in result.stdout  # no colour when stdout is not a terminal


def test_table_without_the_note_when_statistics_are_attached():
    result = invoke("replay", ANSWERED, "--format", "table", *ALL)
    assert "Genesys default" not in result.stdout
    assert "cse_CustomerWaitMaxTime" in result.stdout


def test_stdin_is_read_with_a_dash():
    data = (ROOT / ANSWERED).read_text()
    result = invoke("replay", "-", "--format", "jsonl", stdin=data)
    assert result.exit_code == 0
    assert orjson.loads(result.stdout)["source"] == "-"


def test_at_gives_the_statistics_as_of_an_instant():
    result = invoke("replay", ANSWERED, "--at", "45", "--format", "json", *ALL)
    document = json.loads(result.stdout)
    assert "ChatServerSessionClosedAt" not in document["kvps"]
    assert document["classification"]["ended_by"] is None
    assert "statistics as of t=45s" in result.stderr


def test_options_file_then_command_line_override():
    result = invoke(
        "replay",
        ANSWERED,
        "--options-file",
        "samples/08-inactivity-closure.ini",
        "-o",
        "inactivity-control/enabled=false",
        "--format",
        "json",
    )
    document = json.loads(result.stdout)
    assert document["options"]["settings/attach-session-statistics"] == "all"
    assert document["options"]["inactivity-control/enabled"] is False
    assert "section [log] ignored" in result.stderr


def test_warnings_go_to_stderr_and_into_json():
    result = invoke("replay", "samples/10-still-open.json", "--format", "json", "--quiet")
    assert result.stderr == (
        "samples/10-still-open.json: warning: session still open at end of transcript\n"
    )
    assert json.loads(result.stdout)["warnings"] == ["session still open at end of transcript"]


def test_exit_0_on_success():
    assert invoke("replay", ANSWERED, FORCED).exit_code == 0


def test_exit_2_on_unknown_option_with_one_line_on_stderr():
    result = invoke("replay", ANSWERED, "-o", "attach-session-statistic=all")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "options: error: unknown option 'attach-session-statistic'; did you "
        "mean attach-session-statistics?\n"
    )


def test_exit_2_on_bad_option_value_naming_valid_values():
    result = invoke("replay", ANSWERED, "-o", "stop-abandoned-interaction=sometimes")
    assert result.exit_code == 2
    assert "always, never, noagents, noanswer" in result.stderr


def test_exit_2_on_bad_input_naming_file_and_line_without_traceback(tmp_path):
    bad = tmp_path / "broken.xml"
    bad.write_text("<chatTranscript startAt='2022-03-05T07:09:33Z' sessionId='S'>\n<message>\n")
    result = invoke("replay", str(bad), "--quiet")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{bad}:3:")
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1


def test_batch_with_a_bad_file_still_prints_every_good_session_and_exits_2(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "chatstats-transcript/1"}')
    result = invoke(
        "replay",
        ANSWERED,
        str(bad),
        FORCED,
        "--format",
        "jsonl",
        "-o",
        "attach-session-statistics=fired",
    )
    assert result.exit_code == 2
    assert [orjson.loads(line)["session_id"] for line in result.stdout.splitlines()] == [
        "answered-chat",
        "forced-close-by-agent",
    ]
    first, summary = result.stderr.splitlines()
    assert first == f"{bad}:started_at: error: missing required key 'started_at'"
    assert summary.startswith("replay: 2 sessions replayed, 0 skipped, 1 failed in ")


def test_exit_2_on_missing_file():
    result = invoke("replay", "no/such/file.xml", "-q")
    assert result.exit_code == 2
    assert result.stderr == "no/such/file.xml: error: cannot read file: No such file or directory\n"


def test_exit_2_on_bad_usage():
    assert invoke("replay").exit_code == 2
    assert invoke("replay", ANSWERED, "--format", "yaml").exit_code == 2
    assert invoke("replay", ANSWERED, "--at", "-1").exit_code == 2


def test_options_lists_every_option_with_default_and_meaning():
    result = invoke("options", "--format", "json")
    rows = json.loads(result.stdout)
    assert len(rows) == 15
    stop = next(r for r in rows if r["option"] == "settings/stop-abandoned-interaction")
    assert stop["default"] == "never" and "noanswer" in stop["valid"]
    table = invoke("options")
    assert "inactivity-control/timeout-alert" in table.stdout


def test_version_prints_the_tool_name_and_exits_0():
    result = invoke("--version")
    assert result.exit_code == 0 and result.stdout.startswith("chatstats ")


def test_python_dash_m_runs_the_cli():
    completed = subprocess.run(
        [sys.executable, "-m", "chatstats_cli", "replay", ANSWERED, "--format", "jsonl"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert orjson.loads(completed.stdout)["session_id"] == "answered-chat"


def test_the_core_imports_neither_rich_nor_typer():
    code = (
        "import sys, chatstats_core, chatstats_core.render, chatstats_core.transcript.writers;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rich', 'typer', 'click')))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert completed.stdout.strip() == "[]"


def test_table_says_the_none_note_once_per_run():
    result = invoke("replay", ANSWERED, FORCED, "--format", "table")
    assert result.stdout.count("Genesys default") == 1


def test_infomart_csv_has_the_fact_columns_and_attached_values_only():
    result = invoke(
        "replay", FORCED, "--format", "infomart", "-o", "attach-session-statistics=fired", "-q"
    )
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0])[0] == "MEDIA_SERVER_IXN_GUID"  # the row's order: test_infomart_gim
    # 2026-01-06T09:30:00Z is 1767657600 + 9.5 h; the close at 09:32:00 is 120 s later, in the
    # same 15-minute interval
    assert rows[0]["START_TS"] == "1767691800" and rows[0]["END_TS"] == "1767691920"
    assert rows[0]["START_DATE_TIME_KEY"] == rows[0]["END_DATE_TIME_KEY"] == "1767691800"
    assert rows[0]["ENDED_BY"] == "AGENT" and rows[0]["ENDED_REASON"] == "FORCE"
    assert rows[0]["HANDLE_DURATION"] == "105" and rows[0]["MSG_FROM_AGENTS_SIZE"] == "69"
    assert rows[0]["ACTIVE_IDLE_COUNT"] == ""  # not fired, not attached
    assert "ASYNC_DORMANT_DURATION" in rows[0] and "MEDIA_NAME_CODE" in rows[0]


@pytest.mark.parametrize("fmt", ["json", "jsonl", "kvp", "csv", "infomart"])
def test_the_default_attach_none_is_explained_once_on_stderr(fmt):
    """Under the Genesys default only four KVPs come out: every non-table format says why,
    once however many sessions, and names the option to set."""
    result = invoke("replay", ANSWERED, FORCED, "--format", fmt)
    notes = [
        line for line in result.stderr.splitlines() if "attach-session-statistics is none" in line
    ]
    assert len(notes) == 1 and "-o attach-session-statistics=fired" in notes[0]
    chosen = invoke("replay", ANSWERED, "--format", fmt, "-o", "attach-session-statistics=all")
    assert "attach-session-statistics is none" not in chosen.stderr


ABANDONED = "samples/02-abandoned-before-agent.xml"


def test_a_corpus_on_the_table_is_one_row_per_session_in_input_order():
    """Two transcripts: a header, then a row each. 04: the customer writes at 40 s, the agent
    answers at 45 s, so the longest customer wait and agent reply are both 5 s; it ended
    AGENT/FORCE. 02 ended CLIENT/DISCONNECT before any agent: abandoned, no reply (0)."""
    result = invoke("replay", ABANDONED, FORCED, "-f", "table", *ALL, "-q")
    assert result.exit_code == 0, result.output
    header, *rows = result.stdout.splitlines()
    assert header.split() == [
        "session",
        "ended",
        "abandoned",
        "stopped",
        "cust",
        "wait",
        "agent",
        "reply",
    ]
    assert [row.split() for row in rows] == [
        ["abandoned-befor…", "CLIENT/DISCONNECT", "yes", "no", "0", "0"],
        ["forced-close-by…", "AGENT/FORCE", "no", "no", "5", "5"],
    ]


def test_the_corpus_table_shows_the_kvps_asked_for_and_a_dash_where_none_is_attached():
    result = invoke("replay", ABANDONED, FORCED, "-f", "table", "--kvp", "csg_SessionEndedBy", "-q")
    lines = result.stdout.splitlines()
    assert lines[0].split()[-1] == "SessionEndedBy"
    assert "attach-session-statistics=none" in lines[1]  # said once, before the rows
    assert [line.split()[-1] for line in lines[-2:]] == ["-", "-"]  # under none: not attached


def test_one_transcript_file_or_detail_shows_every_session_in_full():
    one = invoke("replay", FORCED, "-f", "table", *ALL, "-q")
    detail = invoke("replay", ABANDONED, FORCED, "-f", "table", *ALL, "-q", "--detail")
    assert "KVP" in one.stdout and "ended by AGENT (FORCE)" in one.stdout
    assert detail.stdout.count("KVP") == 2 and "ended by AGENT (FORCE)" in detail.stdout


def test_the_corpus_table_is_the_same_with_either_engine(monkeypatch):
    rows = invoke("replay", "samples", "-f", "table", *ALL, "-q").stdout
    monkeypatch.setenv("CHATSTATS_ENGINE", "python")
    assert invoke("replay", "samples", "-f", "table", *ALL, "-q").stdout == rows
