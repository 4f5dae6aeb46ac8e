"""Hardening, round 2: each attack a hostile or careless user can make, with its exact outcome
(exit status, the key words of the one error line, files untouched, memory bound), run the way
a user runs it: the console script in a subprocess where the process itself is under attack
(memory, signals, pipes), the app in-process elsewhere.

Peak memory is measured in a fresh wrapper process per attack (``RUSAGE_CHILDREN`` of a process
that ran only that command), so one measurement never sees another's.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chatstats_cli.app import app
from tests.helpers import ROOT, SAMPLES

ANSWERED = str(SAMPLES / "01-answered-chat.json")
MIB = 1024 * 1024
RSS_BOUND_MIB = 200
ENV = dict(os.environ, NO_COLOR="1", COLUMNS="100")
CLI = [sys.executable, "-m", "chatstats_cli"]
_MEASURE = """
import resource, subprocess, sys
stdin = subprocess.DEVNULL if sys.argv[1] == "-" else open(sys.argv[1], "rb")
done = subprocess.run(sys.argv[2:], stdin=stdin, capture_output=True)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
sys.stdout.write(f"{done.returncode}\\n{peak}\\n" + done.stderr.decode(errors="replace"))
"""


def invoke(*args: str, **kwargs):
    return CliRunner().invoke(app, list(args), **kwargs)


def measured(args: list[str], stdin: str = "-") -> tuple[int, int, str]:
    """Run the CLI alone in a fresh process: (exit status, peak RSS in MiB, stderr)."""
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, stdin, *CLI, *args],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=300,
        cwd=ROOT,
    )
    status, peak, stderr = done.stdout.split("\n", 2)
    return int(status), int(peak), stderr


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    """A 200 KiB .jsonl.gz that inflates to 400 MiB of one line without an end."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.jsonl.gz"
    with gzip.open(path, "wb", compresslevel=9) as stream:
        block = b"0" * MIB
        for _ in range(400):
            stream.write(block)
    return path


# --- bounded input: memory never follows the attacker -----------------------------------------


def test_gzip_bomb_is_refused_at_the_limit_within_bounded_memory(bomb):
    status, peak, stderr = measured(["replay", str(bomb), "-q"])
    assert status == 2
    assert f"{bomb}:1: error: transcript too large" in stderr
    assert "at most 64 MiB (raise the limit with --max-size)" in stderr
    assert peak < RSS_BOUND_MIB, peak
    print(f"gzip bomb: peak RSS {peak} MiB")


def test_dev_zero_is_refused_at_the_limit_within_bounded_memory():
    status, peak, stderr = measured(["replay", "/dev/zero", "-q"])
    assert status == 2
    assert stderr.startswith("/dev/zero: error: transcript too large")
    assert peak < RSS_BOUND_MIB, peak
    print(f"/dev/zero: peak RSS {peak} MiB")


def test_an_endless_stdin_is_refused_at_the_limit_within_bounded_memory():
    status, peak, stderr = measured(["replay", "-", "-q"], stdin="/dev/zero")
    assert status == 2
    assert stderr.startswith("-: error: transcript too large")
    assert peak < RSS_BOUND_MIB, peak


def test_a_2_gb_file_is_refused_within_bounded_memory(tmp_path):
    """Refused by its size before a byte is read (the memory bound shows nothing was held)."""
    huge = tmp_path / "huge.xml"
    with huge.open("wb") as stream:
        stream.truncate(2 * 1024 * MIB)  # sparse: no disk used
    status, peak, stderr = measured(["replay", str(huge), "-q"])
    assert status == 2 and "huge.xml: error: transcript too large" in stderr
    assert peak < RSS_BOUND_MIB, peak


def test_a_json_lines_line_without_end_is_refused_at_the_limit(tmp_path):
    endless = tmp_path / "endless.jsonl"
    with endless.open("wb") as stream:
        stream.truncate(80 * MIB)  # one 80 MiB "line" of NUL bytes
    result = invoke("replay", str(endless), "-q", "--max-size", "4")
    assert result.exit_code == 2
    assert "endless.jsonl:1: error: transcript too large" in result.stderr


@pytest.fixture
def big_transcript(tmp_path) -> Path:
    """A valid transcript of a little over 1 MiB."""
    document = json.loads(Path(ANSWERED).read_text())
    document["events"][1]["text"] = "x" * (MIB + 10)
    path = tmp_path / "big.json"
    path.write_text(json.dumps(document))
    return path


@pytest.mark.parametrize(
    "command",
    [
        ["convert", "--to", "xml"],
        ["redact"],
        ["validate"],
        ["explain"],
        ["timeline"],
        ["replay"],
        ["report"],
        ["fit", "--expected", str(SAMPLES / "reported-log.txt")],
    ],
)
def test_every_command_that_reads_transcripts_takes_max_size(command, big_transcript):
    """The 1 MiB transcript is refused under --max-size 1 by every command, loaded under 2."""
    refused = invoke(*command[:1], str(big_transcript), *command[1:], "--max-size", "1")
    assert refused.exit_code == 2, refused.output
    assert "transcript too large" in refused.output  # validate reports it on stdout, as data
    accepted = invoke(*command[:1], str(big_transcript), *command[1:], "--max-size", "2")
    assert "transcript too large" not in accepted.output


# --- numbers from input are bounded before use -------------------------------------------------

HEAD = '<?xml version="1.0"?><chatTranscript startAt="{start}" sessionId="S">'
JOIN = (
    '<newParty userId="C" timeShift="{t}" visibility="ALL" eventId="1"><userInfo '
    'personId="" userNick="c" userType="CLIENT"/></newParty>'
)
LEFT = (
    '<partyLeft userId="C" timeShift="{t}" visibility="ALL" eventId="2"><reason>left'
    "</reason></partyLeft></chatTranscript>"
)


def _xml(
    tmp_path: Path,
    start: str = "2026-01-05T10:00:00Z",
    join: str = "0",
    left: str = "9",
    head: str = HEAD,
) -> str:
    path = tmp_path / "t.xml"
    path.write_text(head.format(start=start) + JOIN.format(t=join) + LEFT.format(t=left))
    return str(path)


@pytest.mark.parametrize(
    ("case", "outcome"),
    [
        ({"join": "9" * 5000}, "timeShift too large on <newParty>"),
        ({"left": "300000000000"}, "timeShift too large on <partyLeft>"),
        ({"start": "9999-12-31T23:59:50Z"}, "the session runs past what a timestamp can show"),
        (
            {"start": "9999-09-30T00:00:00Z", "left": "9000000"},
            "the session runs past what a timestamp can show",
        ),
        (
            {"head": '<?xml version="1.0" encoding="UTF-32"?>' + HEAD[21:]},
            "cannot decode the document",
        ),
        (
            {"head": '<?xml version="1.0" encoding="no-such-code"?>' + HEAD[21:]},
            "cannot decode the document: unknown encoding",
        ),
    ],
    ids=[
        "timeShift-5000-digits",
        "timeShift-past-1e10",
        "year-9999",
        "offset-past-9999",
        "utf-32",
        "unknown-encoding",
    ],
)
def test_numbers_and_encodings_out_of_range_are_one_line_and_exit_2(case, outcome, tmp_path):
    result = invoke("replay", _xml(tmp_path, **case), "-q")
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert outcome in line and "Traceback" not in result.output


def test_a_start_in_year_1_replays(tmp_path):
    result = invoke("replay", _xml(tmp_path, start="0001-01-01T00:00:00Z"), "-q", "-f", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["kvps"]["ChatServerSessionStartedAt"] == (
        "0001-01-01T00:00:00Z"
    )


# --- amplification is bounded -------------------------------------------------------------------


def test_warnings_per_session_are_capped_with_a_count_of_the_rest(tmp_path):
    events = [{"t": 0, "type": "join", "party": "c", "role": "client"}]
    events += [{"t": 1, "type": "leave", "party": f"ghost{i}"} for i in range(5000)]
    path = tmp_path / "ghosts.json"
    path.write_text(
        json.dumps(
            {
                "format": "chatstats-transcript/1",
                "started_at": "2026-01-05T10:00:00Z",
                "events": events,
            }
        )
    )
    result = invoke("replay", str(path), "-q", "-f", "json")
    warnings = json.loads(result.stdout)["warnings"]
    assert len(warnings) < 110
    assert "... and 4900 more warnings about events" in warnings


def test_sweep_refuses_a_huge_matrix_unless_asked():
    values = ",".join(str(n) for n in range(1, 41))
    args = [
        "sweep",
        ANSWERED,
        "--vary",
        f"timeout-alert={values}",
        "--vary",
        f"timeout-close={values}",
    ]
    refused = invoke(*args)
    assert refused.exit_code == 2
    assert "the sweep has 1600 combinations, more than 1000" in refused.stderr
    assert invoke(*args, "--max-combinations", "1600", "-f", "json").exit_code == 0


# --- nothing overwritten, nothing lost ---------------------------------------------------------


def test_convert_never_overwrites_an_existing_file_without_force(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    mine = out / "01-answered-chat.xml"
    mine.write_text("mine")
    refused = invoke("convert", ANSWERED, "--to", "xml", "--out", str(out))
    assert refused.exit_code == 2 and "the file exists; --force overwrites it" in refused.stderr
    assert mine.read_text() == "mine"
    assert invoke("convert", ANSWERED, "--to", "xml", "--out", str(out), "--force").exit_code == 0
    assert mine.read_text().startswith("<?xml")


def test_an_output_that_is_one_of_the_inputs_is_always_an_error(tmp_path):
    source = tmp_path / "a.json"
    shutil.copy(ANSWERED, source)
    before = source.read_bytes()
    result = invoke("convert", str(source), "--to", "json", "--out", str(tmp_path), "--force")
    assert result.exit_code == 2 and "would replace one of the inputs" in result.stderr
    assert source.read_bytes() == before


def test_two_outputs_with_one_name_get_distinct_names(tmp_path):
    for folder in ("x", "y"):
        (tmp_path / folder).mkdir()
        shutil.copy(ANSWERED, tmp_path / folder / "same.json")
    out = tmp_path / "out"
    result = invoke(
        "convert", str(tmp_path / "x"), str(tmp_path / "y"), "--to", "xml", "--out", str(out)
    )
    assert result.exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["same-2.xml", "same.xml"]
    assert "written as same-2.xml" in result.stderr


def test_json_lines_records_with_one_session_id_get_distinct_files(tmp_path):
    line = json.dumps(json.loads(Path(ANSWERED).read_text()))
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(line + "\n" + line + "\n")
    out = tmp_path / "out"
    assert invoke("convert", str(corpus), "--to", "json", "--out", str(out)).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["answered-chat-2.json", "answered-chat.json"]


def test_writes_leave_no_temporary_or_half_file(tmp_path):
    out = tmp_path / "out"
    assert invoke("convert", str(SAMPLES), "--to", "json", "--out", str(out)).exit_code in (0, 2)
    assert not [p for p in out.iterdir() if p.name.endswith(".part") or p.name.startswith(".")]


def test_the_redact_salt_never_comes_from_the_command_line():
    assert invoke("redact", ANSWERED, "--salt", "secret").exit_code == 2


def test_redact_hides_file_names_and_every_user_data_value_not_kept(tmp_path):
    named = tmp_path / "ann-smith.json"
    document = json.loads(Path(ANSWERED).read_text())
    document["user_data"]["EmailAddress"] = "ann@example.com"
    named.write_text(json.dumps(document))
    out = tmp_path / "out"
    assert invoke("redact", str(named), "--out", str(out)).exit_code == 0
    (written,) = out.iterdir()
    assert "ann" not in written.name and "ann@example.com" not in written.read_text()


def test_a_reported_csv_with_a_bad_row_costs_only_that_row(tmp_path):
    report = invoke(
        "replay",
        ANSWERED,
        str(SAMPLES / "03-agent-left-then-customer-left.json"),
        "-f",
        "csv",
        "-o",
        "attach-session-statistics=all",
        "-q",
    ).stdout
    lines = report.splitlines()
    lines[1] = lines[1].replace(",101", ",a lot", 1)  # csg_TenantId is the last column
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n")
    result = invoke(
        "diff",
        ANSWERED,
        str(SAMPLES / "03-agent-left-then-customer-left.json"),
        "--expected",
        str(bad),
        "-o",
        "attach-session-statistics=all",
        "--brief",
    )
    assert result.exit_code == 2
    assert f"{bad}:data row 1: error: csg_TenantId must be a whole number" in result.stderr
    assert "diff: 1 of 2 sessions differs" in result.stderr  # row 2 compared: the same


# --- input discovery ------------------------------------------------------------------------------


def test_an_unreadable_file_in_a_folder_is_reported_and_counted(tmp_path):
    shutil.copy(ANSWERED, tmp_path / "good.json")
    (tmp_path / "gone.json").symlink_to(tmp_path / "nowhere.json")
    result = invoke("replay", str(tmp_path), "-f", "jsonl")
    assert result.exit_code == 2
    assert f"{tmp_path / 'gone.json'}: error: cannot read file" in result.stderr
    assert "1 session replayed, 0 skipped, 1 failed" in result.stderr


def test_a_symlink_loop_in_a_folder_ends_and_is_listed_under_verbose(tmp_path):
    shutil.copy(ANSWERED, tmp_path / "a.json")
    (tmp_path / "loop").symlink_to(tmp_path)
    result = invoke("replay", str(tmp_path), "-f", "jsonl", "-v")
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 1
    assert f"{tmp_path / 'loop'}: skipped: a symbolic link to a folder" in result.stderr


def test_a_double_star_pattern_over_a_cycle_ends_with_each_file_once(tmp_path):
    (tmp_path / "d").mkdir()
    shutil.copy(ANSWERED, tmp_path / "d" / "a.json")
    (tmp_path / "d" / "up").symlink_to(tmp_path)
    result = invoke("replay", f"{tmp_path}/**/*.json", "-f", "jsonl")
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 1


@pytest.mark.parametrize("prefix", [b"<!-- exported by UCS -->\n", b"\xef\xbb\xbf", b"  \n\t"])
def test_a_transcript_is_never_skipped_for_its_first_bytes(prefix, tmp_path):
    body = (SAMPLES / "04-forced-close-by-agent.xml").read_bytes().split(b"?>", 1)[1]
    (tmp_path / "t.xml").write_bytes(prefix + body)
    result = invoke("replay", str(tmp_path), "-f", "jsonl", "-v")
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 1, result.stderr


def test_skipped_files_are_listed_with_their_reason_and_counted(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    shutil.copy(ANSWERED, tmp_path / "a.json")
    result = invoke("replay", str(tmp_path), "-f", "jsonl", "-v")
    assert f"{tmp_path / 'notes.txt'}: skipped: not named as a transcript" in result.stderr
    assert "1 session replayed, 1 skipped, 0 failed" in result.stderr


# --- process faults -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "c.jsonl"
    subprocess.run(
        [*CLI, "generate", "-n", "30000", "--seed", "3", "--out", str(path)], check=True, env=ENV
    )
    return path


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(p) for p in (task / "children").read_text().split()]
    return found


#: The Python engine: these tests stop workers mid-run, and the native one finishes 30,000
#: sessions before they could (what they test is the batch runner, the same for both).
SLOW_ENV = {**ENV, "CHATSTATS_ENGINE": "python"}


def _start(corpus: Path, out: Path):
    handle = out.open("wb")
    process = subprocess.Popen(
        [*CLI, "replay", str(corpus), "--jobs", "2", "-f", "jsonl"],
        stdout=handle,
        stderr=subprocess.PIPE,
        env=SLOW_ENV,
    )
    deadline = time.monotonic() + 30
    while len(_children(process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.8)  # let the workers take a few chunks
    return process, handle


def _whole_json_lines(path: Path) -> int:
    text = path.read_text()
    assert not text or text.endswith("\n")
    return sum(1 for line in text.splitlines() if json.loads(line))


def test_a_killed_worker_costs_only_its_sessions_named_as_lost(corpus, tmp_path):
    out = tmp_path / "out.jsonl"
    process, handle = _start(corpus, out)
    os.kill(_children(process.pid)[-1], signal.SIGKILL)
    _, stderr = process.communicate(timeout=120)
    handle.close()
    assert process.returncode == 2, stderr[-2000:]
    assert b"Traceback" not in stderr, stderr[-2000:]
    lost = [line for line in stderr.splitlines() if b"error: lost: a worker process died" in line]
    assert lost, stderr[-2000:]
    assert all(line.startswith(str(corpus).encode() + b":") for line in lost)
    assert _whole_json_lines(out) + len(lost) == 30000


def test_sigterm_ends_every_worker_and_exits_143_on_a_whole_line(corpus, tmp_path):
    out = tmp_path / "out.jsonl"
    process, handle = _start(corpus, out)
    workers = _children(process.pid)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    handle.close()
    assert process.returncode == 143 and b"Traceback" not in stderr
    time.sleep(0.5)
    assert not [
        pid
        for pid in workers
        if Path(f"/proc/{pid}").exists()
        and "Z" not in Path(f"/proc/{pid}/stat").read_text().split()[2]
    ]
    _whole_json_lines(out)


def test_sigint_says_interrupted_and_exits_130_on_a_whole_line(corpus, tmp_path):
    out = tmp_path / "out.jsonl"
    process, handle = _start(corpus, out)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    handle.close()
    assert process.returncode == 130
    assert b"interrupted" in stderr and b"Traceback" not in stderr
    _whole_json_lines(out)


def test_a_full_disk_is_one_line_and_exit_2():
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [*CLI, "replay", str(SAMPLES), "-f", "jsonl", "-q"],
            stdout=full,
            stderr=subprocess.PIPE,
            env=ENV,
            timeout=60,
        )
    assert done.returncode == 2
    assert done.stderr.decode().strip() == (
        "chatstats: error: cannot write the output: No space left on device"
    )


def test_a_closed_stdout_is_one_line_and_exit_2():
    done = subprocess.run(
        [*CLI, "replay", str(SAMPLES), "-f", "jsonl", "-q"],
        stderr=subprocess.PIPE,
        env=ENV,
        timeout=60,
        preexec_fn=lambda: os.close(1),
    )  # noqa: PLW1509 - the attack itself
    assert done.returncode == 2
    assert done.stderr.decode().strip().startswith("chatstats: error: cannot write the output")


def test_a_broken_pipe_ends_quietly_as_cat_does(corpus):
    process = subprocess.Popen(
        [*CLI, "replay", str(corpus), "-f", "jsonl", "-q"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=ENV,
    )
    assert process.stdout is not None
    process.stdout.readline()
    process.stdout.close()  # the reader goes away, as `| head -1` does
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == -signal.SIGPIPE  # killed by SIGPIPE: 141 in a shell
    assert stderr == b""


@pytest.mark.parametrize(
    "args",
    [
        ["report", ANSWERED, "--html", "/nonexistent-folder/r.html", "-q", "-f", "json"],
        ["convert", ANSWERED, "--to", "json", "--out", "/proc/chatstats-cannot-be-made"],
        ["generate", "-n", "2", "--out", "/nonexistent-folder/g.jsonl"],
    ],
    ids=["html-missing-folder", "out-folder-cannot-be-made", "generate-missing-folder"],
)
def test_an_output_path_that_cannot_be_written_is_one_line_and_exit_2(args):
    result = invoke(*args)
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if "error" in line]
    assert len(lines) == 1 and "cannot" in lines[0]


# --- hostile text in output --------------------------------------------------------------------


@pytest.fixture
def hostile_names(tmp_path) -> Path:
    document = {
        "format": "chatstats-transcript/1",
        "session_id": "[bold]S[/] \x1b[31mred",
        "started_at": "2026-01-05T10:00:00Z",
        "user_data": {"MediaOrigin": '=HYPERLINK("http://x")'},
        "events": [
            {
                "t": 0,
                "type": "join",
                "party": "[red]c1[/red]",
                "role": "client",
                "nick": "\x1b]0;pwned\x07",
            },
            {"t": 1, "type": "join", "party": "a[/]1", "role": "agent"},
            {"t": 5, "type": "message", "party": "a[/]1", "text": "[/] \x1b[2J"},
            {"t": 9, "type": "leave", "party": "[red]c1[/red]"},
            {"t": 10, "type": "leave", "party": "a[/]1"},
        ],
    }
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(document))
    return path


@pytest.mark.parametrize(
    "command",
    [
        ["replay", "-f", "table"],
        ["timeline", "-f", "table"],
        ["explain", "-f", "table"],
        ["diff", "-a", "timeout-alert=5", "-f", "table", "--all"],
    ],
)
def test_markup_and_control_characters_in_ids_are_shown_never_acted_on(command, hostile_names):
    result = invoke(
        command[0],
        str(hostile_names),
        *command[1:],
        "--color",
        "always",
        "-o",
        "attach-session-statistics=all",
    )
    assert result.exit_code in (0, 1), result.output
    assert "[bold]S[/]" in result.stdout  # markup shown as written
    assert "\x1b[31mred" not in result.stdout and "\x1b[2J" not in result.stdout
    assert "\x1b]0;" not in result.stdout
    assert "\\x1b[31mred" in result.stdout  # escaped, visible


def test_a_file_name_with_a_line_break_stays_on_one_quoted_line(tmp_path):
    result = invoke(
        "replay", str(tmp_path / "no\nsuch.json"), "-o", "attach-session-statistics=all"
    )
    (line, summary) = result.stderr.splitlines()
    assert line.startswith("'") and "\\n" in line and "cannot read file" in line


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(hostile_names):
    result = invoke(
        "replay", str(hostile_names), "-f", "csv", "-o", "attach-session-statistics=all", "-q"
    )
    assert '"\'=HYPERLINK(""http://x"")"' in result.stdout


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("[" * 100000, "a report must be JSON objects, not a list"),
        ('{"a": ' + "[" * 100000 + "]" * 100000 + "}", "nested too deeply"),
        ("[1, 2]", "a report must be JSON objects, not a list"),
        ('{"csg_SessionTotalTime": ' + "9" * 5000 + "}", "a number too long to read"),
        (
            '{"csg_SessionTotalTime": 99999999999999999999999}',
            "csg_SessionTotalTime is out of range",
        ),
    ],
    ids=["deep-list", "deep-object", "list", "5000-digit-integer", "beyond-64-bits"],
)
def test_a_hostile_report_is_one_clear_error(text, outcome, tmp_path):
    report = tmp_path / "r.json"
    report.write_text(text)
    result = invoke("diff", ANSWERED, "--expected", str(report))
    assert result.exit_code == 2
    assert outcome in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "outcome"),
    [
        (["-o", "tenant-id=2147483648"], "expected integer 0-2147483647"),
        (["--at", "inf"], "--at must be a number of seconds"),
        (["--at", "nan"], "Invalid value for '--at'"),
    ],
    ids=["tenant-id-above-int32", "at-infinite", "at-nan"],
)
def test_option_values_out_of_range_are_refused(args, outcome):
    result = invoke("replay", ANSWERED, *args)
    assert result.exit_code == 2 and outcome in result.stderr


def test_a_million_jobs_are_clamped_with_a_note():
    result = invoke("replay", ANSWERED, "--jobs", "1000000", "-f", "jsonl", "-q")
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 1
    assert "note: --jobs 1000000 clamped to" in result.stderr


def test_timeline_memory_does_not_grow_as_events_times_parties(tmp_path):
    """1,000 clients present and 20,000 messages: the time line lists 20 of those present per
    entry and counts the rest, and each entry shares who is present (was 10 GB for 5 MB)."""
    events = [{"t": 0, "type": "join", "party": f"c{i}", "role": "client"} for i in range(1000)]
    events += [{"t": 1, "type": "message", "party": "c0", "text": "x"} for _ in range(20000)]
    path = tmp_path / "crowd.json"
    path.write_text(
        json.dumps(
            {
                "format": "chatstats-transcript/1",
                "started_at": "2026-01-05T10:00:00Z",
                "events": events,
            }
        )
    )
    status, peak, _ = measured(["timeline", str(path), "-f", "json"])
    assert status == 0 and peak < RSS_BOUND_MIB, peak
    entry = json.loads(invoke("timeline", str(path), "-f", "json").stdout)["entries"][-1]
    assert len(entry["present"]) == 20 and entry["present_more"] == 980


def test_generate_writes_whole_files_with_ordinary_permissions(tmp_path):
    """Through the safe writer: no .part left, the mode a plain open() gives (not 0600)."""
    target = tmp_path / "g.jsonl.gz"
    assert invoke("generate", "-n", "3", "--out", str(target)).exit_code == 0
    umask = os.umask(0o022)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    assert [p.name for p in tmp_path.iterdir()] == ["g.jsonl.gz"]


HALF_SENT = """
import os, signal, sys, time
from concurrent.futures import ProcessPoolExecutor
from chatstats_core.corpus import batch

def big(_):
    return b"x" * 400_000_000

if __name__ == "__main__":
    pool = ProcessPoolExecutor(max_workers=1)
    pool.submit(big, 0)
    time.sleep(float(sys.argv[1]))
    for process in pool._processes.values():
        os.kill(process.pid, signal.SIGKILL)
    time.sleep(0.3)
    batch._end_workers(pool)
"""


@pytest.mark.parametrize("delay", [0.5, 0.7, 0.9])
def test_a_worker_killed_while_sending_its_result_does_not_hang_the_exit(tmp_path, delay):
    """Killed halfway through sending a large result, a worker leaves the pool's reader
    waiting for bytes no process will send; once the pool is ended, the interpreter's exit
    (which joins the pool's thread) must not wait for them (it did, before: a hang)."""
    script = tmp_path / "half_sent.py"
    script.write_text(HALF_SENT)
    completed = subprocess.run(
        [sys.executable, str(script), str(delay)], capture_output=True, timeout=30, env=ENV
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
