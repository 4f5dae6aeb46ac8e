"""Hostile input, round 3: every row that can be read is read, nothing hangs, side files are
bounded, and a start instant outside the calendar is a clean error. Each test failed before its
fix (the FIFO and link-loop ones hung; they run in a subprocess with a timeout)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chatstats_cli.app import app
from chatstats_core.workflows.reported import Reported, ReportedSet
from tests.helpers import ROOT, SAMPLES

ANSWERED = json.loads((SAMPLES / "01-answered-chat.json").read_text())
CLI = [sys.executable, "-m", "chatstats_cli"]
MIB = 1024 * 1024


def invoke(*args: str, **kwargs):
    return CliRunner().invoke(app, [str(a) for a in args], **kwargs)


def _session(session_id: str, pad: int = 0) -> dict:
    user_data = dict(ANSWERED["user_data"], **({"pad": "x" * pad} if pad else {}))
    return dict(ANSWERED, session_id=session_id, user_data=user_data)


def _ids(stdout: str) -> list[str]:
    return [json.loads(line)["session_id"] for line in stdout.splitlines()]


def test_a_json_lines_line_over_the_limit_is_skipped_and_the_rest_read(tmp_path):
    corpus = tmp_path / "over.jsonl"
    lines = [_session("one"), _session("big", pad=2 * MIB), _session("three")]
    corpus.write_text("".join(json.dumps(s) + "\n" for s in lines))
    result = invoke("replay", corpus, "-f", "jsonl", "--max-size", "1")
    assert result.exit_code == 2
    assert _ids(result.stdout) == ["one", "three"]
    assert f"{corpus}:2: error: transcript too large" in result.stderr
    assert "2 sessions replayed, 0 skipped, 1 failed" in result.stderr


def test_a_first_json_lines_line_over_the_limit_costs_that_line_only(tmp_path):
    corpus = tmp_path / "first.jsonl"
    lines = [_session("big", pad=2 * MIB), _session("two"), _session("three")]
    corpus.write_text("".join(json.dumps(s) + "\n" for s in lines))
    result = invoke("replay", corpus, "-f", "jsonl", "--max-size", "1")
    assert _ids(result.stdout) == ["two", "three"]
    assert f"{corpus}:1: error: transcript too large" in result.stderr


def _export(path: Path, sessions: list[dict], raw_edit: tuple[bytes, bytes] | None = None) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "transcript"])
    for number, session in enumerate(sessions, 1):
        writer.writerow([str(number), json.dumps(session)])
    data = buffer.getvalue().encode()
    path.write_bytes(data.replace(*raw_edit, 1) if raw_edit else data)


def test_a_csv_row_over_the_limit_is_skipped_with_its_row_number(tmp_path):
    export = tmp_path / "over.csv"
    _export(export, [_session("r1"), _session("big", pad=2 * MIB), _session("r3")])
    result = invoke(
        "replay", export, "--csv-column", "transcript", "-f", "jsonl", "--max-size", "1"
    )
    assert _ids(result.stdout) == ["r1", "r3"]
    assert f"{export}:data row 2: error: transcript too large" in result.stderr


def test_reading_a_csv_export_gives_the_csv_module_its_limit_back(tmp_path):
    """The csv module's field limit is process-wide: a reading sets --max-size for itself
    and restores what was there, so other CSV readers (a report, a test) keep theirs."""
    export = tmp_path / "export.csv"
    _export(export, [_session("r1")])
    before = csv.field_size_limit()
    result = invoke(
        "replay", export, "--csv-column", "transcript", "-f", "jsonl", "--max-size", "1"
    )
    assert _ids(result.stdout) == ["r1"]
    assert csv.field_size_limit() == before != MIB


def test_one_csv_row_that_is_not_utf8_fails_alone(tmp_path):
    export = tmp_path / "latin1.csv"
    _export(export, [_session("r1"), _session("r2"), _session("r3")], (b'"r2"', b'"r\xe92"'))
    result = invoke("replay", export, "--csv-column", "transcript", "-f", "jsonl")
    assert _ids(result.stdout) == ["r1", "r3"]
    assert f"{export}:data row 2 (id 2): error: this row is not UTF-8" in result.stderr


def test_a_file_name_that_is_not_utf8_is_read_and_shown_escaped(tmp_path):
    for name in (b"a.json", b"b\xff.json", b"c.json"):
        (Path(os.fsdecode(bytes(tmp_path) + b"/" + name))).write_text(json.dumps(ANSWERED))
    for engine in ("native", "python"):
        done = subprocess.run(
            [*CLI, "--engine", engine, "replay", str(tmp_path), "-f", "jsonl"],
            capture_output=True,
            text=True,
            timeout=60,
            env=dict(os.environ, CHATSTATS_ENGINE="auto"),
        )
        if engine == "native" and "not built" in done.stderr:
            continue
        assert done.returncode == 0, done.stderr
        sources = [json.loads(line)["source"] for line in done.stdout.splitlines()]
        assert sources == [f"{tmp_path}/a.json", f"{tmp_path}/b\\xff.json", f"{tmp_path}/c.json"]


@pytest.mark.parametrize("started", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"])
@pytest.mark.parametrize("command", ["replay", "validate", "timeline", "convert", "redact"])
def test_a_start_outside_years_1_to_9999_is_a_clean_error(tmp_path, started, command):
    path = tmp_path / "edge.json"
    path.write_text(json.dumps(dict(ANSWERED, started_at=started)))
    extra = ("--to", "xml") if command == "convert" else ()
    result = invoke(command, path, *extra)
    assert result.exit_code == 2
    assert "internal error" not in result.stderr
    assert "started_at" in result.stderr or "started_at" in result.stdout


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], capture_output=True, text=True, timeout=60, cwd=cwd, env=dict(os.environ)
    )


def test_a_fifo_in_a_folder_or_matched_by_a_pattern_is_skipped_not_waited_on(tmp_path):
    (tmp_path / "a.json").write_text(json.dumps(ANSWERED))
    os.mkfifo(tmp_path / "b.json")
    for spec in (str(tmp_path), str(tmp_path / "*.json")):
        done = _run(["replay", spec, "-f", "jsonl", "-v"], ROOT)
        assert done.returncode == 0, done.stderr
        assert len(done.stdout.splitlines()) == 1
        assert "b.json: skipped: not a regular file" in done.stderr


def test_a_double_star_pattern_over_two_link_loops_ends(tmp_path):
    tree = tmp_path / "tree"
    (tree / "x").mkdir(parents=True)
    (tree / "x" / "s.json").write_text(json.dumps(ANSWERED))
    (tree / "x" / "up").symlink_to(tree)
    (tree / "x" / "self").symlink_to(tree / "x")
    done = _run(["replay", "tree/**/*.json", "-f", "jsonl"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 1  # each real file once


@pytest.mark.parametrize("option", ["--expected", "--options-file", "--salt-file"])
def test_side_files_are_read_within_the_size_limit(option):
    command = {"--expected": "diff", "--options-file": "replay", "--salt-file": "redact"}[option]
    result = invoke(command, SAMPLES / "01-answered-chat.json", option, "/dev/zero")
    assert result.exit_code == 2
    assert "too large (expected at most 64 MiB)" in result.stderr


def test_a_report_s_sessions_are_matched_by_id_each_once():
    """The matcher is a dictionary look-up (diff --expected was quadratic in sessions): ids
    match ids, a report session without an id serves one session, duplicates go in order and
    by the file they name."""
    reported = ReportedSet(
        (
            Reported("A", {}, source="x/a.xml"),
            Reported("A", {}, source="y/a.xml"),
            Reported("B", {}),
            Reported(None, {}),
        ),
        (),
    )
    matcher = reported.matcher()
    assert matcher.take("A", "y/a.xml") == 1
    assert matcher.take("A", "z/a.xml") == 0
    assert matcher.take("A", "z/a.xml") == 3  # the report's session without an id
    assert matcher.take("C") is None
    assert matcher.untaken() == [2]


def test_reporting_events_cost_memory_in_proportion_to_what_they_carry(tmp_path):
    """1,000 async hold/wake cycles under attach-stats-rep-events=7 (2,001 reporting events):
    the native core kept a copy of every timeline per event (1.5 GB for 2,000 cycles); now
    each event keeps its KVPs. Peak RSS of the whole run stays under 200 MiB."""
    events = [{"t": 0, "type": "join", "party": "c1", "role": "client"}]
    for cycle in range(1000):
        t = 1 + 4 * cycle
        events += [
            {"t": t, "type": "join", "party": "a1", "role": "agent"},
            {"t": t + 1, "type": "message", "party": "a1", "text": "hi"},
            {"t": t + 2, "type": "leave", "party": "a1"},
            {"t": t + 3, "type": "message", "party": "c1", "text": "back?"},
        ]
    path = tmp_path / "cycles.json"
    path.write_text(
        json.dumps(
            {
                "format": "chatstats-transcript/1",
                "started_at": "2026-01-05T10:00:00Z",
                "user_data": {"GCTI_Chat_AsyncMode": "true"},
                "events": events,
            }
        )
    )
    measure = (
        "import resource, subprocess, sys; "
        "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE); "
        "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)"
    )
    args = ["replay", str(path), "-f", "jsonl", "-o", "attach-stats-rep-events=7"]
    done = subprocess.run(
        [sys.executable, "-c", measure, *CLI, *args, "-o", "attach-stats-rep-place=1"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    status, peak_mib = map(int, done.stdout.split())
    assert status == 0
    assert peak_mib < 200, peak_mib


def test_fit_over_hundreds_of_distinct_gaps_is_bounded_and_says_so(tmp_path):
    """300 distinct activity gaps made 4,856 candidate option sets (138 s); now the 24 longest
    gaps give the alert candidates, the cut is a hint, and the fit is still exact."""
    events = [
        {"t": 0, "type": "join", "party": "c1", "role": "client"},
        {"t": 1, "type": "join", "party": "a1", "role": "agent"},
    ]
    t = 1
    for i in range(300):
        t += 10 + i
        events.append({"t": t, "type": "message", "party": "a1" if i % 2 else "c1", "text": "x"})
    events += [
        {"t": t + 5, "type": "leave", "party": "c1"},
        {"t": t + 6, "type": "leave", "party": "a1"},
    ]
    path = tmp_path / "gaps.json"
    path.write_text(
        json.dumps(
            {
                "format": "chatstats-transcript/1",
                "started_at": "2026-01-05T10:00:00Z",
                "events": events,
            }
        )
    )
    timers = ["inactivity-control/enabled=true", "timeout-alert=100", "timeout-close=400"]
    report = tmp_path / "gaps.kvp"
    options = [arg for timer in timers for arg in ("-o", timer)]
    replayed = invoke("replay", path, "-f", "kvp", "-o", "attach-session-statistics=all", *options)
    report.write_text(replayed.stdout)
    result = invoke("fit", path, "--expected", report, "-f", "json")
    document = json.loads(result.stdout)
    assert document["exact"] is True
    assert document["tried"] <= 500
    assert any("alerts were tried for the 24 longest only" in hint for hint in document["hints"])


def test_leading_white_space_of_any_length_is_skipped_by_both_readers(tmp_path):
    path = tmp_path / "spaced.json"
    path.write_text(" \n" * 3000 + json.dumps(ANSWERED))
    result = invoke("replay", path, "-f", "jsonl")
    assert result.exit_code == 0, result.stderr  # was "found an empty input" past 4 KiB
    assert _ids(result.stdout) == ["answered-chat"]


def test_utf16_and_non_utf8_json_are_refused_by_name(tmp_path):
    utf16 = tmp_path / "u16.json"
    utf16.write_bytes(json.dumps(ANSWERED).encode("utf-16"))
    latin = tmp_path / "latin.json"
    latin.write_bytes(
        json.dumps(dict(ANSWERED, session_id="caf\u00e9"), ensure_ascii=False).encode("latin-1")
    )
    assert "UTF-16 JSON is not read" in invoke("replay", utf16).stderr  # was "not well-formed XML"
    said = invoke("replay", latin).stderr  # was "surrogates not allowed"
    assert f"{latin}:1:" in said and "not UTF-8: byte 0xe9" in said


def test_json_lines_errors_name_file_line_and_column(tmp_path):
    path = tmp_path / "e.jsonl"
    path.write_text(json.dumps(ANSWERED) + "\n" + '{"format": "chatstats-transcript/1", x}\n')
    assert f"{path}:2:38: error: not valid JSON" in invoke("replay", path, "-f", "jsonl").stderr


@pytest.mark.parametrize(
    "args",
    [("timeline", "-f", "text"), ("timeline", "-f", "json"), ("explain", "-f", "json")],
    ids=["timeline-text", "timeline-json", "explain-json"],
)
def test_one_session_outputs_into_a_closed_pipe_die_of_sigpipe(tmp_path, args):
    """One large write cut short by `| head -1` was lost without an error (exit 0)."""
    events = [ANSWERED["events"][0]]
    events += [dict(ANSWERED["events"][1], t=4 + i / 1000) for i in range(20000)]
    path = tmp_path / "long.json"
    path.write_text(json.dumps(dict(ANSWERED, events=events + ANSWERED["events"][2:])))
    process = subprocess.Popen(
        [*CLI, args[0], str(path), *args[1:]], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    assert process.stdout is not None
    process.stdout.read(10)
    process.stdout.close()
    assert process.wait(timeout=120) == -13  # SIGPIPE: 141 in a shell


def test_explain_and_timeline_take_at_most_their_documented_events(tmp_path):
    """They keep an entry per event (1,000,000 events took 1.9-4.8 GB): past MAX_TRACED_EVENTS
    a clear error says the limit and that replay reads more."""
    from chatstats_core.workflows.timeline import MAX_TRACED_EVENTS

    events = [ANSWERED["events"][0]]
    events += [dict(ANSWERED["events"][1], t=4) for _ in range(MAX_TRACED_EVENTS + 1)]
    path = tmp_path / "many.json"
    path.write_text(json.dumps(dict(ANSWERED, events=events)))
    for command in ("timeline", "explain"):
        result = invoke(command, path, "-f", "json")
        assert result.exit_code == 2
        assert f"at most {MAX_TRACED_EVENTS} for explain and timeline" in result.stderr
    assert invoke("replay", path, "-f", "jsonl").exit_code == 0


def test_a_huge_option_name_or_value_is_not_echoed_whole(tmp_path):
    options = tmp_path / "big.cfg"
    options.write_text(
        "[settings]\n"
        + "x" * 1_000_000
        + " = 1\n"
        + "attach-session-statistics = "
        + "y" * 100_000
        + "\n"
    )
    result = invoke("replay", SAMPLES / "01-answered-chat.json", "--options-file", options)
    assert result.exit_code == 2 and len(result.stderr) < 2000
    typed = invoke("replay", SAMPLES / "01-answered-chat.json", "-o", "z" * 100_000 + "=1")
    assert typed.exit_code == 2 and len(typed.stderr) < 2000
