"""Trust round 3, as a new user meets it: one-session commands that say so, stdin that gets one
document back, tables that die of SIGPIPE like every other format, an empty folder that is
said, options-file typos that are errors, NO_COLOR that means no styling, and a report CSV that
starts with its header. Each test failed before its fix."""

from __future__ import annotations

import json
import os
import pty
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chatstats_cli.app import app
from tests.helpers import ROOT, SAMPLES

ANSWERED = SAMPLES / "01-answered-chat.json"
FORCED = SAMPLES / "04-forced-close-by-agent.xml"
CLI = [sys.executable, "-m", "chatstats_cli"]
ENV = dict(os.environ, COLUMNS="100")
ENV.pop("NO_COLOR", None)


def invoke(*args: str, **kwargs):
    return CliRunner().invoke(app, [str(a) for a in args], **kwargs)


@pytest.fixture
def two_sessions(tmp_path: Path) -> Path:
    document = json.loads(ANSWERED.read_text())
    path = tmp_path / "two.jsonl"
    path.write_text(
        json.dumps(document) + "\n" + json.dumps({**document, "session_id": "second"}) + "\n"
    )
    return path


ONE_SESSION = {
    "explain": ("explain",),
    "timeline": ("timeline",),
    "fit": ("fit", "--expected", str(SAMPLES / "reported-log.txt")),
}


@pytest.mark.parametrize("command", ONE_SESSION)
def test_one_session_commands_refuse_several_sessions_and_say_how_to_pick(command, two_sessions):
    name, *rest = ONE_SESSION[command]
    result = invoke(name, two_sessions, *rest, "-f", "json")
    assert result.exit_code == 2
    assert (
        f"{two_sessions}: error: holds 2 sessions and this command works on one: give --session "
        "ID (answered-chat, second)"
    ) in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("command", ONE_SESSION)
def test_session_picks_the_session_by_id(command, two_sessions):
    name, *rest = ONE_SESSION[command]
    result = invoke(name, two_sessions, *rest, "--session", "second", "-f", "json")
    assert result.exit_code in (0, 1), result.output
    assert '"second"' in result.stdout or "second" in result.stdout


def test_a_folder_names_its_size_and_an_unknown_id_is_an_error(two_sessions):
    folder = invoke("timeline", SAMPLES, "-f", "json")
    assert folder.exit_code == 2 and "holds 18 sessions" in folder.stderr
    unknown = invoke("explain", two_sessions, "--session", "third", "-f", "json")
    assert unknown.exit_code == 2
    assert "no session 'third' among the 2 sessions here" in unknown.stderr


def test_convert_and_redact_of_one_transcript_on_stdin_write_it_to_stdout():
    xml = invoke("convert", "-", "--to", "xml", input=FORCED.read_bytes())
    assert xml.exit_code == 0, xml.output
    assert xml.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<chatTranscript ')
    redacted = invoke("redact", "-", input=FORCED.read_bytes())
    assert redacted.exit_code == 0, redacted.output
    assert redacted.stdout.startswith("<?xml")
    piped = invoke("convert", "-", "--to", "json", input=ANSWERED.read_bytes())
    named = invoke("convert", ANSWERED, "--to", "json")
    assert piped.stdout == named.stdout and piped.stdout.startswith("{\n  ")


#: A corpus whose table is larger than a pipe holds (64 KiB): the writer is still writing when
#: the reader goes, whichever is faster (the samples' table fits in one write, which may land
#: before the reader closes: then there is no broken pipe to die of).
LARGE_CORPUS = "{large corpus}"

TABLES = {
    "replay": ("replay", LARGE_CORPUS, "-f", "table"),
    "report": ("report", "samples", "-f", "table"),
    "timeline": ("timeline", str(ANSWERED), "-f", "table"),
    "options": ("options", "-f", "table"),
    "explain": ("explain", str(ANSWERED), "-f", "table"),
    "diff": ("diff", "samples", "-a", "stop-abandoned-interaction=never", "-b",
             "stop-abandoned-interaction=always", "-f", "table"),
}  # fmt: skip


@pytest.fixture(scope="module")
def large_corpus(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("large") / "corpus.jsonl"
    generated = invoke("generate", "--count", "3000", "--seed", "1", "--out", path)
    assert generated.exit_code == 0, generated.output
    return str(path)


@pytest.mark.parametrize("command", TABLES)
def test_a_table_into_a_closed_pipe_dies_of_sigpipe_like_every_format(command, large_corpus):
    """rich ends a broken pipe with exit 1, which for diff means 'differences found'."""
    arguments = [large_corpus if a == LARGE_CORPUS else a for a in TABLES[command]]
    process = subprocess.Popen(
        [*CLI, *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=ENV,
        cwd=ROOT,
    )
    assert process.stdout is not None
    process.stdout.read(1)
    process.stdout.close()
    process.wait(timeout=120)
    assert process.returncode == -signal.SIGPIPE  # 141 in a shell


def test_an_empty_folder_is_said(tmp_path):
    result = invoke("replay", tmp_path, "-f", "jsonl")
    assert result.exit_code == 0
    assert f"replay: warning: no transcript found in {tmp_path}" in result.stderr


def test_a_typo_in_an_options_file_is_an_error_as_with_o(tmp_path):
    options = tmp_path / "cs.cfg"
    options.write_text("[settings]\nattach-session-statistic = all\n")
    result = invoke("replay", ANSWERED, "--options-file", options, "-f", "jsonl")
    assert result.exit_code == 2
    assert f"{options}:2: error: unknown option" in result.stderr
    assert "did you mean attach-session-statistics?" in result.stderr


def _on_a_terminal(*args: str, env: dict[str, str]) -> bytes:
    """What the command shows on a pseudo-terminal."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen([*CLI, *args], stdout=terminal, stderr=terminal, env=env, cwd=ROOT)
    os.close(terminal)
    shown = bytearray()
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    process.wait(timeout=60)
    os.close(controller)
    return bytes(shown)


def test_no_color_and_color_never_print_no_escape_code_at_all():
    """NO_COLOR: "should prevent the addition of ANSI color" and styling; bold and dim were
    still printed."""
    args = ("replay", str(ANSWERED), "-f", "table", "-o", "attach-session-statistics=all")
    assert b"\x1b[" in _on_a_terminal(*args, env=ENV)  # the control: styled by default
    assert b"\x1b[" not in _on_a_terminal(*args, env={**ENV, "NO_COLOR": "1"})
    assert b"\x1b[" not in _on_a_terminal(*args, "--color", "never", env=ENV)


def test_the_report_csv_starts_with_its_header():
    result = invoke("report", "samples", "-f", "csv", "-q")
    assert result.stdout.startswith("group,")
    assert "report: chatstats " in result.stderr


def test_the_engine_option_works_after_the_command_too():
    after = invoke("replay", ANSWERED, "-f", "jsonl", "--engine", "python")
    before = invoke("--engine", "python", "replay", ANSWERED, "-f", "jsonl")
    assert after.exit_code == before.exit_code == 0, after.output
    assert after.stdout == before.stdout
    assert invoke("replay", ANSWERED, "--engine=bogus").exit_code == 2


def test_validate_takes_every_input_the_other_commands_take(two_sessions, tmp_path):
    """A folder ("Is a directory" before), JSON Lines (read as one document before), a CSV
    export with --csv-column (refused before)."""
    folder = invoke("validate", SAMPLES)
    assert folder.exit_code == 1  # three samples carry warnings, none an error
    assert folder.stderr.endswith("validate: 18 transcripts, 15 clean, 0 errors, 3 warnings\n")
    lines = invoke("validate", two_sessions)
    assert lines.stderr == "validate: 2 transcripts, 2 clean, 0 errors, 0 warnings\n"
    export = tmp_path / "ucs.csv"
    assert invoke("generate", "--count", "3", "--out", export).exit_code == 0
    csv_run = invoke("validate", export, "--csv-column", "transcript")
    assert csv_run.exit_code == 0, csv_run.output


def test_validate_reports_every_event_the_schema_refuses(tmp_path):
    document = json.loads(ANSWERED.read_text())
    document["events"][1]["type"] = "mesage"
    document["events"][3]["t"] = "x"
    document["events"][5]["party"] = 5
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))
    result = invoke("validate", path)
    assert result.exit_code == 2
    assert [line.split(": error: ")[0] for line in result.stdout.splitlines()] == [
        f"{path}:events[1].type",
        f"{path}:events[3].t",
        f"{path}:events[5].party",
    ]
    assert result.stderr == "validate: 1 transcript, 0 clean, 3 errors, 0 warnings\n"


def test_warnings_are_located_as_errors_and_validate_locate_things():
    """`file:10: warning: event 2: ...`, not `file: warning: event 2 (line 10): ...`."""
    result = invoke("replay", SAMPLES / "09-session-restoration.xml", "-f", "jsonl")
    assert (
        f"{SAMPLES / '09-session-restoration.xml'}:10: warning: event 2: session restoration "
        "before any message"
    ) in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("sweep", "--vary", "stop-abandoned-interaction=never,noagents", "-f", "csv"),
        ("report", "-f", "csv", "--by", "ended-by"),
    ],
    ids=["sweep", "report"],
)
def test_summary_csv_headers_are_identifiers_in_a_fixed_order(args):
    """Months of runs load into one table (sqlite-utils, Miller): the header is the same
    whichever sessions a run had, and every name is an identifier (issue 22's columns)."""
    command, *rest = args
    one = invoke(command, SAMPLES / "01-answered-chat.json", *rest, "-q")
    many = invoke(command, SAMPLES, *rest, "-q")
    header = one.stdout.splitlines()[0]
    assert header == many.stdout.splitlines()[0]
    assert all(name.replace("_", "").isalnum() and name.islower() for name in header.split(","))
    assert "ended_agent_force" in header and "ended_system_db_error" in header


def test_convert_to_xml_says_the_dropped_tenant_once_with_a_count(tmp_path):
    """One identical warning per session (5,000 lines for 5,000 sessions) is one line."""
    document = json.loads(ANSWERED.read_text())
    corpus = tmp_path / "tenants.jsonl"
    corpus.write_text(
        "".join(json.dumps({**document, "session_id": f"S{i}"}) + "\n" for i in range(5))
    )
    result = invoke("convert", corpus, "--to", "xml", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if "XML has no tenant" in line]
    assert warnings == [
        f"{corpus}:1 and 4 more sessions: warning: XML has no tenant: tenant_id 101 is not kept "
        "(give -o tenant-id= when replaying)"
    ]


def test_diff_expected_says_when_the_computed_side_attaches_nothing():
    """Under the Genesys default (none) every reported KVP was a right-only line, unexplained."""
    report = SAMPLES / "reported-log.txt"
    result = invoke("diff", ANSWERED, "--expected", report, "-q")
    assert "attach-session-statistics is none (the Genesys default)" in result.stderr
    assert "-o attach-session-statistics=fired" in result.stderr
    quiet = invoke(
        "diff", ANSWERED, "--expected", report, "-q", "-o", "attach-session-statistics=all"
    )
    assert "(the Genesys default)" not in quiet.stderr


def test_diff_ignore_takes_info_mart_columns_and_warns_when_it_matches_nothing():
    report = SAMPLES / "reported-log.txt"
    args = (
        "diff",
        ANSWERED,
        "--expected",
        report,
        "-f",
        "json",
        "-o",
        "attach-session-statistics=all",
    )
    plain = json.loads(invoke(*args).stdout)
    by_column = invoke(*args, "--ignore", "HANDLE_*", "--ignore", "csg_Nope*")
    keys = {d["key"] for s in json.loads(by_column.stdout)["sessions"] for d in s["differences"]}
    before = {d["key"] for s in plain["sessions"] for d in s["differences"]}
    # HANDLE_COUNT and HANDLE_DURATION are cse_SessionHandleTotalCount and ...TotalTime
    assert before - keys == {"cse_SessionHandleTotalCount", "cse_SessionHandleTotalTime"}
    assert "--ignore 'csg_Nope*' matches no KVP" in by_column.stderr


def _infomart_export(tmp_path: Path, header_of, ids=None) -> Path:
    """The real transcripts' `replay -f infomart` rows with the header as a database writes it."""
    rows = invoke(
        "replay", SAMPLES / "real", "-f", "infomart", "-o", "attach-session-statistics=all"
    )
    lines = rows.stdout.splitlines()
    header = ",".join(header_of(name) for name in lines[0].split(","))
    body = lines[1:]
    if ids is not None:
        body = [",".join([new, *line.split(",")[1:]]) for new, line in zip(ids, body, strict=True)]
    path = tmp_path / "export.csv"
    path.write_text("\n".join([header, *body]) + "\n")
    return path


def test_an_info_mart_export_is_read_with_its_database_names(tmp_path):
    """MEDIA_SERVER_IXN_GUID for the id, lower-case headers as PostgreSQL writes them."""

    export = _infomart_export(tmp_path, str.lower)
    args = ("diff", SAMPLES / "real", "--expected", export, "-o", "attach-session-statistics=all")
    result = invoke(*args, "-f", "json")
    assert result.exit_code == 0, result.output
    assert (
        json.loads(result.stdout)["compared"] == 7 and json.loads(result.stdout)["different"] == 0
    )


def test_id_column_names_another_id_and_no_match_says_which_ids_each_side_has(tmp_path):
    export = _infomart_export(
        tmp_path,
        lambda n: "ixn_id" if n == "MEDIA_SERVER_IXN_GUID" else n,
        ids=[f"X{i}" for i in range(7)],
    )
    args = ("diff", SAMPLES / "real", "--expected", export, "-o", "attach-session-statistics=all")
    result = invoke(*args, "--id-column", "IXN_ID", "-q")
    assert result.exit_code == 1
    assert "no session of the report matched a transcript by id" in result.stderr
    assert "the report has X0, X1, X2, ..." in result.stderr
    assert "give --id-column" in result.stderr
    refused = invoke(*args, "-q")  # no id column chatstats knows, and none named
    assert refused.exit_code == 2
