"""Corpus inputs: folders, globs, JSON Lines (files and stdin, gzip too), CSV exports, --jobs,
--keep-going and the summary line."""

import csv
import gzip
import json

import orjson
import pytest
from typer.testing import CliRunner

from chatstats_cli.app import app
from tests.helpers import ROOT

SAMPLE_IDS = [
    "abandoned-before-agent",
    "forced-close-by-agent",
    "bot-then-agent",
    "session-restoration",
    "db-error",
]


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def replay(*args, stdin=None):
    return CliRunner().invoke(app, ["replay", "-f", "jsonl", *args], input=stdin)


def ids(result):
    return [orjson.loads(line)["session_id"] for line in result.stdout.splitlines()]


def test_folder_is_walked_sorted_and_judged_by_content():
    result = replay("samples")
    assert result.exit_code == 0
    assert len(ids(result)) == 18  # 11 samples and the 7 real transcripts in samples/real
    assert "18 sessions replayed, 24 skipped, 0 failed" in result.stderr  # .ini, .md, outputs


def test_glob_pattern_in_order():
    assert ids(replay("samples/*.xml")) == SAMPLE_IDS


def test_json_lines_file_gzip_too(tmp_path):
    lines = "".join(
        orjson.dumps(json.loads((ROOT / "samples" / name).read_text())).decode() + "\n"
        for name in ("01-answered-chat.json", "03-agent-left-then-customer-left.json")
    )
    (tmp_path / "many.jsonl").write_text(lines)
    (tmp_path / "many.jsonl.gz").write_bytes(gzip.compress(lines.encode()))
    assert ids(replay(str(tmp_path / "many.jsonl"))) == [
        "answered-chat",
        "agent-left-then-customer-left",
    ]
    assert ids(replay(str(tmp_path / "many.jsonl.gz"))) == [
        "answered-chat",
        "agent-left-then-customer-left",
    ]


def test_json_lines_on_stdin_with_a_bad_line_located():
    good = orjson.dumps(json.loads((ROOT / "samples/01-answered-chat.json").read_text())).decode()
    result = replay(
        "-",
        "-o",
        "attach-session-statistics=fired",
        stdin=good + '\n{"format": "nope"}\n' + good + "\n",
    )
    assert result.exit_code == 2
    assert ids(result) == ["answered-chat", "answered-chat"]
    assert result.stderr.startswith("-:2:format: error: ")


def test_csv_export_with_transcripts_in_a_column(tmp_path):
    export = tmp_path / "ucs.csv"
    with export.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "transcript"])
        writer.writerow(["1", (ROOT / "samples/04-forced-close-by-agent.xml").read_text()])
        writer.writerow(["2", "<chatTranscript"])
        writer.writerow(["3", (ROOT / "samples/06-bot-then-agent.xml").read_text()])
    result = replay(str(export), "--csv-column", "transcript")
    assert ids(result) == ["forced-close-by-agent", "bot-then-agent"]
    # the second data row (physical lines 1 to 50 or so hold the header and the first XML)
    assert f"{export}:data row 2 (id 2):1:" in result.stderr
    assert "not well-formed XML" in result.stderr
    assert result.exit_code == 2


def test_csv_export_errors_name_the_data_row_without_an_id_column(tmp_path):
    export = tmp_path / "ucs.csv"
    with export.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["transcript"])
        writer.writerow([(ROOT / "samples/04-forced-close-by-agent.xml").read_text()])
        writer.writerow([""])
    result = replay(str(export), "--csv-column", "transcript")
    assert f"{export}:data row 2: error: empty transcript cell" in result.stderr


def test_csv_without_the_column(tmp_path):
    export = tmp_path / "ucs.csv"
    export.write_text("id,text\n1,x\n")
    result = replay(str(export), "--csv-column", "transcript")
    assert result.exit_code == 2
    assert "no column 'transcript' in the CSV" in result.stderr


def test_keep_going_exits_0_with_failures_still_reported():
    result = replay("samples/01-answered-chat.json", "no/such.xml", "--keep-going")
    assert result.exit_code == 0
    assert "1 failed" in result.stderr and "no/such.xml: error" in result.stderr


def test_quiet_has_no_summary_line():
    result = replay("samples/01-answered-chat.json", "--quiet")
    assert result.stderr == ""


def test_pattern_that_matches_nothing_is_an_error():
    result = replay("samples/*.nothing")
    assert result.exit_code == 2
    assert "no file matches this pattern" in result.stderr


def test_kvp_sessions_are_separated_by_a_blank_line():
    result = CliRunner().invoke(
        app,
        [
            "replay",
            "-f",
            "kvp",
            "samples/02-abandoned-before-agent.xml",
            "samples/04-forced-close-by-agent.xml",
            "-q",
        ],
    )
    assert "\n\n# session forced-close-by-agent" in result.stdout


def test_saved_output_in_a_folder_is_skipped_and_big_jsonl_streams(tmp_path):
    runner = CliRunner()
    (tmp_path / "out.jsonl").write_text(
        runner.invoke(app, ["replay", "samples/01-answered-chat.json", "-f", "jsonl", "-q"]).stdout
    )
    (tmp_path / "in.jsonl").write_text(runner.invoke(app, ["generate", "-n", "300"]).stdout)
    result = replay(str(tmp_path))
    assert len(ids(result)) == 300
    assert "300 sessions replayed, 1 skipped, 0 failed" in result.stderr


def test_diff_and_sweep_read_csv_exports_too(tmp_path):
    export = tmp_path / "ucs.csv"
    with export.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["transcript"])
        writer.writerow([(ROOT / "samples/03-agent-left-then-customer-left.json").read_text()])
    runner = CliRunner()
    diff = runner.invoke(
        app,
        [
            "diff",
            str(export),
            "--csv-column",
            "transcript",
            "-a",
            "stop-abandoned-interaction=never",
            "-b",
            "stop-abandoned-interaction=noagents",
            "-f",
            "json",
        ],
    )
    assert diff.exit_code == 1 and json.loads(diff.stdout)["different"] == 1
    sweep = runner.invoke(
        app,
        [
            "sweep",
            str(export),
            "--csv-column",
            "transcript",
            "--vary",
            "timeout-alert=5,10",
            "-f",
            "json",
        ],
    )
    assert json.loads(sweep.stdout)["rows"][0]["figures"]["sessions"] == 1
