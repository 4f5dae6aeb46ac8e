"""`chatstats report`: formats, --by, --html and exit codes."""

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from chatstats_cli.app import app
from tests.helpers import ROOT


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def invoke(*args):
    return CliRunner().invoke(app, ["report", *args])


def test_json_over_a_folder():
    result = invoke("samples", "-q")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["total"]["sessions"] == 18  # 11 samples, 7 real


def test_csv_by_ended_by_and_html(tmp_path):
    page = tmp_path / "report.html"
    result = invoke(
        "samples", "--by", "ended-by", "-f", "csv", "--html", str(page), "-q", "--jobs", "2"
    )
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[-1]["group"] == "total" and rows[-1]["sessions"] == "18"
    assert result.stdout.startswith("group,")  # the header first, as csv readers expect
    assert "\nreport: chatstats " in result.stderr  # what made it, on stderr
    assert "<svg" in page.read_text()


def test_table_and_bad_by():
    assert "customer wait" in invoke("samples", "-f", "table", "-q").stdout
    assert invoke("samples", "--by", "colour").exit_code == 2


def test_failed_input_exits_2_unless_keep_going():
    assert invoke("samples/01-answered-chat.json", "nope.xml", "-q").exit_code == 2
    assert invoke("samples/01-answered-chat.json", "nope.xml", "-q", "--keep-going").exit_code == 0


def test_workers_give_the_same_report_as_one_process_by_every_grouping():
    for by in ("tenant", "language", "ended-by", "hour"):
        one = invoke("samples", "--by", by, "-f", "json", "-q", "--jobs", "1")
        two = invoke("samples", "--by", by, "-f", "json", "-q", "--jobs", "2")
        assert one.exit_code == two.exit_code == 0
        assert one.stdout == two.stdout


def test_report_a_b_puts_two_option_sets_side_by_side(tmp_path):
    """samples/real under never and under inactivity control with a 30 s alert: nothing is
    abandoned either way; the alert closes sessions (SYSTEM/INACTIVE appears in B only)."""
    page = tmp_path / "ab.html"
    result = invoke(
        "samples/real",
        "-a",
        "stop-abandoned-interaction=never",
        "-b",
        "inactivity-control/enabled=true",
        "-b",
        "timeout-alert=30",
        "-f",
        "json",
        "--html",
        str(page),
        "-q",
    )
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    total = document["total"]
    assert total["a"]["sessions"] == total["b"]["sessions"] == 7
    assert total["a"]["ended"].get("SYSTEM/INACTIVE", 0) == 0
    assert total["delta"]["ended"]["SYSTEM/INACTIVE"] == total["b"]["ended"]["SYSTEM/INACTIVE"] > 0
    assert document["options"]["b"]["inactivity-control/timeout-alert"] == 30
    assert "B - A" in page.read_text()
    table = invoke(
        "samples/real",
        "-a",
        "stop-abandoned-interaction=never",
        "-b",
        "stop-abandoned-interaction=noanswer",
        "-f",
        "table",
        "-q",
    )
    assert "B - A" in table.stdout and "interactions stopped" in table.stdout


def test_the_same_inputs_give_the_same_report_bytes():
    first = invoke("samples/real", "-f", "json", "-q")
    again = invoke("samples/real", "-f", "json", "-q")
    assert first.stdout == again.stdout
    assert json.loads(first.stdout)["inputs"]["given"] == ["samples/real"]
