"""`chatstats generate`: outputs and reproducibility."""

from typer.testing import CliRunner

from chatstats_cli.app import app


def test_stdout_jsonl_is_reproducible():
    runner = CliRunner()
    first = runner.invoke(app, ["generate", "-n", "20", "--seed", "5", "--bots"])
    assert first.exit_code == 0
    assert first.stdout == runner.invoke(app, ["generate", "-n", "20", "--seed", "5",
                                               "--bots"]).stdout
    assert len(first.stdout.splitlines()) == 20


def test_folder_of_xml_replays(tmp_path):
    runner = CliRunner()
    assert runner.invoke(app, ["generate", "-n", "5", "--out", str(tmp_path), "--to", "xml"]
                         ).exit_code == 0
    assert len(list(tmp_path.glob("*.xml"))) == 5
    result = runner.invoke(app, ["replay", str(tmp_path), "-f", "jsonl"])
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 5


def test_jsonl_file_and_bad_combination(tmp_path):
    runner = CliRunner()
    target = tmp_path / "g.jsonl"
    assert runner.invoke(app, ["generate", "-n", "3", "--out", str(target)]).exit_code == 0
    assert len(target.read_text().splitlines()) == 3
    assert runner.invoke(app, ["generate", "-n", "3", "--to", "xml"]).exit_code == 2
