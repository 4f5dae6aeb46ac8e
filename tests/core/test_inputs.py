"""What the inputs are worth before they are read: the count a progress bar can show."""

import gzip

from chatstats_core.corpus.inputs import known_count


def test_named_files_count_one_and_json_lines_one_per_non_blank_line(tmp_path):
    transcript = tmp_path / "one.xml"
    transcript.write_text("<chatTranscript/>")
    lines = tmp_path / "many.jsonl"
    lines.write_text('{"a": 1}\n\n{"a": 2}\n   \n{"a": 3}')
    assert known_count([str(transcript), str(lines), str(transcript)]) == 5


def test_what_cannot_be_counted_cheaply_gives_none(tmp_path):
    lines = tmp_path / "many.jsonl"
    lines.write_text('{"a": 1}\n')
    zipped = tmp_path / "many.jsonl.gz"
    zipped.write_bytes(gzip.compress(b'{"a": 1}\n'))
    disguised = tmp_path / "disguised.jsonl"
    disguised.write_bytes(gzip.compress(b'{"a": 1}\n'))
    assert known_count([str(lines), "-"]) is None
    assert known_count([str(tmp_path)]) is None  # a folder: files are judged by content
    assert known_count([str(tmp_path / "*.jsonl")]) is None
    assert known_count([str(zipped)]) is None
    assert known_count([str(disguised)]) is None
    assert known_count([str(lines)], csv_column="transcript") is None
    assert known_count([str(lines)]) == 1


def test_an_unreadable_json_lines_file_gives_none_not_an_error(tmp_path, monkeypatch):
    lines = tmp_path / "many.jsonl"
    lines.write_text('{"a": 1}\n')

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(type(lines), "open", refuse)
    assert known_count([str(lines)]) is None
