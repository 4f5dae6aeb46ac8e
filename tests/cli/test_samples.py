"""Every sample's committed expected output is exactly what `replay --format json` prints."""

import pytest
from typer.testing import CliRunner

from chatstats_cli.app import app
from tests.helpers import ROOT, SAMPLES

TRANSCRIPTS = sorted(
    p
    for p in SAMPLES.iterdir()
    if p.suffix in (".xml", ".json") and not p.name.endswith(".expected.json")
)


def test_there_are_at_least_ten_samples_in_both_formats():
    assert len(TRANSCRIPTS) >= 10
    assert {p.suffix for p in TRANSCRIPTS} == {".xml", ".json"}


@pytest.mark.parametrize("path", TRANSCRIPTS, ids=lambda p: p.name)
def test_sample_matches_its_expected_output(path, monkeypatch):
    monkeypatch.chdir(ROOT)
    relative = path.relative_to(ROOT)
    options = relative.with_suffix(".ini")
    expected = path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8")
    result = CliRunner().invoke(
        app, ["replay", str(relative), "--options-file", str(options), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == expected
