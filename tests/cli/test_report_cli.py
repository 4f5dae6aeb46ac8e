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
    result = invoke("samples", "--by", "ended-by", "-f", "csv", "--html", str(page), "-q",
                    "--jobs", "2")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[-1]["group"] == "total" and rows[-1]["sessions"] == "18"
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
