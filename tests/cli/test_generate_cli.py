"""`chatstats generate`: outputs and reproducibility."""

from typer.testing import CliRunner

from chatstats_cli.app import app


def test_stdout_jsonl_is_reproducible():
    runner = CliRunner()
    first = runner.invoke(app, ["generate", "-n", "20", "--seed", "5", "--bots"])
    assert first.exit_code == 0
    assert (
        first.stdout == runner.invoke(app, ["generate", "-n", "20", "--seed", "5", "--bots"]).stdout
    )
    assert len(first.stdout.splitlines()) == 20


def test_folder_of_xml_replays(tmp_path):
    runner = CliRunner()
    assert (
        runner.invoke(app, ["generate", "-n", "5", "--out", str(tmp_path), "--to", "xml"]).exit_code
        == 0
    )
    assert len(list(tmp_path.glob("*.xml"))) == 5
    result = runner.invoke(app, ["replay", str(tmp_path), "-f", "jsonl"])
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 5


def test_jsonl_file_and_bad_combination(tmp_path):
    runner = CliRunner()
    target = tmp_path / "g.jsonl"
    assert runner.invoke(app, ["generate", "-n", "3", "--out", str(target)]).exit_code == 0
    assert len(target.read_text().splitlines()) == 3
    assert runner.invoke(app, ["generate", "-n", "3", "--to", "xml"]).exit_code == 2


def test_a_file_name_gets_a_file_in_the_format_of_its_suffix(tmp_path):
    """.json / .xml hold one session, .jsonl.gz and .csv several; each replays as written."""
    runner = CliRunner()
    made = {"one.json": 1, "one.xml": 1, "many.jsonl.gz": 4, "many.csv": 4}
    for name, count in made.items():
        result = runner.invoke(app, ["generate", "-n", str(count), "--out", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        assert (tmp_path / name).is_file()
    replayed = runner.invoke(
        app, ["replay", *(str(tmp_path / n) for n in made if "csv" not in n), "-f", "jsonl"]
    )
    assert len(replayed.stdout.splitlines()) == 6
    from_csv = runner.invoke(
        app, ["replay", str(tmp_path / "many.csv"), "--csv-column", "transcript", "-f", "jsonl"]
    )
    assert len(from_csv.stdout.splitlines()) == 4


def test_a_json_file_cannot_hold_several_sessions_and_no_folder_is_made(tmp_path):
    target = tmp_path / "foo.json"
    result = CliRunner().invoke(app, ["generate", "-n", "3", "--out", str(target)])
    assert result.exit_code == 2
    assert "a .json file holds one session, not 3" in result.stderr
    assert not target.exists()


def test_an_unknown_suffix_is_refused(tmp_path):
    result = CliRunner().invoke(app, ["generate", "-n", "3", "--out", str(tmp_path / "x.txt")])
    assert result.exit_code == 2 and "unknown output type '.txt'" in result.stderr
    assert not (tmp_path / "x.txt").exists()


def test_an_existing_file_is_not_overwritten_without_force(tmp_path):
    target = tmp_path / "g.jsonl"
    target.write_text("mine\n")
    result = CliRunner().invoke(app, ["generate", "-n", "3", "--out", str(target)])
    assert result.exit_code == 2 and "--force overwrites it" in result.stderr
    assert target.read_text() == "mine\n"
    assert (
        CliRunner().invoke(app, ["generate", "-n", "3", "--out", str(target), "--force"]).exit_code
        == 0
    )
    assert len(target.read_text().splitlines()) == 3
