"""`chatstats diff` in its three forms: output shape, formats and exit codes."""

import json

import orjson
import pytest
from typer.testing import CliRunner

from chatstats_cli.app import app
from tests.helpers import ROOT

ANSWERED = "samples/01-answered-chat.json"
VISITED = "samples/03-agent-left-then-customer-left.json"
INACTIVE = "samples/08-inactivity-closure.json"


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


#: The two option sets most tests compare: whether an abandoned interaction is stopped.
NEVER_VS_NOAGENTS = (
    "-a",
    "stop-abandoned-interaction=never",
    "-b",
    "stop-abandoned-interaction=noagents",
)


def invoke(*args):
    return CliRunner().invoke(app, ["diff", *args])


def test_option_sets_that_change_nothing_exit_0_and_show_nothing():
    """Like GNU diff: no differences, no output; the summary on stderr."""
    result = invoke(
        ANSWERED,
        *NEVER_VS_NOAGENTS,
        "-f",
        "json",
    )
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert (document["compared"], document["different"], document["sessions"]) == (1, 0, [])
    assert result.stderr == "diff: 0 of 1 session differ\n"


def test_all_shows_the_sessions_that_do_not_differ_too():
    result = invoke(
        ANSWERED,
        *NEVER_VS_NOAGENTS,
        "-f",
        "json",
        "--all",
    )
    document = json.loads(result.stdout)
    assert document["sessions"][0]["options"] == {
        "settings/stop-abandoned-interaction": {"left": "never", "right": "noagents"}
    }


def test_brief_prints_one_line_per_differing_session():
    result = invoke(
        ANSWERED,
        VISITED,
        *NEVER_VS_NOAGENTS,
        "--brief",
    )
    assert result.exit_code == 1
    assert result.stdout == "agent-left-then-customer-left: classification.interaction_stopped\n"
    assert result.stderr.startswith("diff: 1 of 2 sessions differs; ")


def test_q_is_quiet_in_diff_as_in_every_batch_command():
    """-q means --quiet everywhere (no summary line); the brief output is --brief alone."""
    result = invoke(ANSWERED, VISITED, *NEVER_VS_NOAGENTS, "--brief", "-q")
    assert result.exit_code == 1
    assert result.stdout == "agent-left-then-customer-left: classification.interaction_stopped\n"
    assert result.stderr == ""


def test_option_sets_list_changed_classification_and_exit_1():
    """03 is VISITED: noagents stops the interaction, never does not."""
    result = invoke(
        ANSWERED,
        VISITED,
        *NEVER_VS_NOAGENTS,
        "-f",
        "json",
    )
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert (document["compared"], document["different"]) == (2, 1)
    assert [s["session_id"] for s in document["sessions"]] == ["agent-left-then-customer-left"]
    assert document["sessions"][0]["differences"] == [
        {"key": "classification.interaction_stopped", "left": False, "right": True}
    ]
    assert "most often different: classification.interaction_stopped (1)" in result.stderr


def test_option_sets_mark_one_sided_kvps():
    """Inactivity control closes 08 at 330 s; without it the session stays open."""
    result = invoke(
        INACTIVE,
        "-a",
        "inactivity-control/enabled=false",
        "-b",
        "inactivity-control/enabled=true",
        "-o",
        "attach-session-statistics=fired",
        "-f",
        "json",
    )
    differences = {d["key"]: d for d in json.loads(result.stdout)["sessions"][0]["differences"]}
    assert differences["csg_SessionTotalTime"] == {
        "key": "csg_SessionTotalTime",
        "left": None,
        "right": 330,
        "presence": "right-only",
    }
    assert differences["csg_MessagesFromCustomersCount"]["left"] == 3
    assert differences["csg_MessagesFromCustomersCount"]["right"] == 2


def test_option_files_per_side(tmp_path):
    left, right = tmp_path / "a.ini", tmp_path / "b.ini"
    left.write_text("[settings]\nattach-session-statistics=none\n")
    right.write_text("[settings]\nattach-session-statistics=fired\n")
    result = invoke(
        ANSWERED, "--options-file-a", str(left), "--options-file-b", str(right), "-f", "json"
    )
    assert result.exit_code == 1
    keys = [d["key"] for d in json.loads(result.stdout)["sessions"][0]["differences"]]
    assert "csg_ChatSessionID" in keys and "ChatServerSessionStartedAt" not in keys


GENESYS_LOG = """2026-01-05T10:01:35.120 Trc 04542 EventAttachedDataChanged sent
\tAttributeInteractionId\t'0001KaCMQ2YR00BH'
\tAttributeUserData\t[512] 00 0d 00 00..
\t\t'csg_SessionEndedBy'\t'AGENT'
\t\t'cse_CustomerWaitMaxTime'\t38
\t\tcsg_TenantId   101
"""


def test_reported_genesys_log_paste_with_rules_and_notes(tmp_path):
    report = tmp_path / "log.txt"
    report.write_text(GENESYS_LOG)
    result = invoke(
        ANSWERED,
        "--expected",
        str(report),
        "-o",
        "attach-session-statistics=all",
        "--only-reported",
        "-f",
        "json",
    )
    assert result.exit_code == 1
    (difference,) = json.loads(result.stdout)["sessions"][0]["differences"]
    assert (difference["key"], difference["left"], difference["right"]) == (
        "csg_SessionEndedBy",
        "CLIENT",
        "AGENT",
    )
    assert difference["rule"].startswith("CLIENT if the client left on its own")
    assert (
        "2 keys that are not reporting KVPs ignored (AttributeInteractionId, AttributeUserData)"
        in result.stderr
    )


def test_reported_without_only_reported_lists_every_computed_key(tmp_path):
    report = tmp_path / "kv.txt"
    report.write_text("csg_SessionEndedBy=CLIENT\n")
    result = invoke(ANSWERED, "--expected", str(report), "-f", "json")
    differences = json.loads(result.stdout)["sessions"][0]["differences"]
    presence = {d["key"]: d["presence"] for d in differences}
    assert presence == {
        "ChatServerSessionStartedAt": "left-only",
        "ChatServerSessionClosedAt": "left-only",
        "csg_MediaType": "left-only",
        "csg_TenantId": "left-only",
        "csg_SessionEndedBy": "right-only",
    }  # not attached under none


def test_ignore_globs_leave_their_keys_out_of_a_comparison_with_a_report(tmp_path):
    report = tmp_path / "kv.json"
    report.write_text('{"csg_SessionEndedBy": "CLIENT"}')
    result = invoke(
        ANSWERED,
        "--expected",
        str(report),
        "--ignore",
        "ChatServer*",
        "--ignore",
        "csg_*",
        "-f",
        "json",
    )
    assert result.exit_code == 0


def test_reported_replay_output_compares_classification_too():
    result = invoke(
        ANSWERED,
        "--expected",
        "samples/01-answered-chat.expected.json",
        "--options-file",
        "samples/01-answered-chat.ini",
        "-f",
        "json",
    )
    assert result.exit_code == 0, result.stdout
    result = invoke(
        ANSWERED,
        "--expected",
        "samples/01-answered-chat.expected.json",
        "--options-file",
        "samples/01-answered-chat.ini",
        "-o",
        "stop-abandoned-interaction=always",
        "-f",
        "json",
    )
    session = json.loads(result.stdout)["sessions"][0]
    assert session["differences"][0]["key"] == "classification.interaction_stopped"
    assert session["options"]["settings/stop-abandoned-interaction"] == {
        "left": "always",
        "right": "never",
    }


def test_a_session_on_one_side_only_is_a_difference_of_its_own(tmp_path):
    """The report holds 02 only: 01 is computed-only (left), 02 report-only (right)."""
    report = tmp_path / "r.json"
    report.write_text((ROOT / "samples/02-abandoned-before-agent.expected.json").read_text())
    result = invoke(ANSWERED, "--expected", str(report), "-f", "jsonl")
    assert result.exit_code == 1
    sessions = [orjson.loads(line) for line in result.stdout.splitlines()]
    assert [(s["session_id"], s["differences"][0]["presence"]) for s in sessions] == [
        ("answered-chat", "left-only"),
        ("abandoned-before-agent", "right-only"),
    ]


def test_run_vs_run_matches_sessions_by_id(tmp_path):
    runner = CliRunner()
    old, new = tmp_path / "old.jsonl", tmp_path / "new.jsonl"
    old.write_text(runner.invoke(app, ["replay", ANSWERED, VISITED, "-f", "jsonl"]).stdout)
    new.write_text(
        runner.invoke(
            app, ["replay", VISITED, "-f", "jsonl", "-o", "stop-abandoned-interaction=noagents"]
        ).stdout
    )
    result = invoke(str(old), str(new), "-f", "jsonl")
    assert result.exit_code == 1
    lines = [orjson.loads(line) for line in result.stdout.splitlines()]
    assert lines[0]["differences"] == [
        {"key": "session", "left": "present", "right": None, "presence": "left-only"}
    ]
    assert lines[1]["differences"][0]["key"] == "classification.interaction_stopped"


def test_run_vs_run_identical_exits_0(tmp_path):
    run = tmp_path / "run.jsonl"
    run.write_text(CliRunner().invoke(app, ["replay", ANSWERED, "-f", "jsonl"]).stdout)
    assert invoke(str(run), str(run)).exit_code == 0


def test_two_transcripts_without_a_mode_is_a_usage_error():
    result = invoke(ANSWERED, VISITED)
    assert result.exit_code == 2
    assert "not a saved replay output" in result.stderr


def test_bad_transcript_in_option_set_diff_is_trouble(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text("<nope")
    result = invoke(ANSWERED, str(bad), "-a", "timeout-alert=5", "-f", "json", "--all")
    assert result.exit_code == 2
    assert json.loads(result.stdout)["sessions"][0]["session_id"] == "answered-chat"


def test_table_format_shows_rules_for_reported(tmp_path):
    report = tmp_path / "kv.txt"
    report.write_text("csg_SessionEndedBy=AGENT\n")
    result = invoke(
        ANSWERED,
        "--expected",
        str(report),
        "--only-reported",
        "-f",
        "table",
        "-o",
        "attach-session-statistics=all",
    )
    assert "rule (computed side)" in result.stdout
    assert "csg_SessionEndedBy" in result.stdout


def test_option_sets_over_a_corpus_with_jobs_give_the_same_bytes(tmp_path):
    """-a/-b over a folder: --jobs 2 gives --jobs 1's output, byte for byte, in input order."""
    args = [
        "samples",
        *NEVER_VS_NOAGENTS,
        "-f",
        "jsonl",
    ]
    one, two = invoke(*args, "--jobs", "1"), invoke(*args, "--jobs", "2")
    assert one.exit_code == two.exit_code == 1
    assert one.stdout == two.stdout
    lines = [orjson.loads(line) for line in one.stdout.splitlines()]
    assert [line["session_id"] for line in lines] == [  # those that differ: no agent at the end
        "abandoned-before-agent",
        "agent-left-then-customer-left",
        "session-restoration",
    ]
    assert one.stderr == two.stderr
    assert one.stderr.startswith("diff: 3 of 18 sessions differ; ")  # samples/real too


def test_keep_going_exits_on_the_differences_despite_a_bad_input(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    result = invoke(
        ANSWERED,
        str(bad),
        *NEVER_VS_NOAGENTS,
        "-f",
        "jsonl",
        "--keep-going",
    )
    assert result.exit_code == 0
    assert "bad.json:1:2: error: not valid JSON" in result.stderr


def test_quiet_diff_says_only_errors():
    result = invoke(
        ANSWERED,
        *NEVER_VS_NOAGENTS,
        "-f",
        "jsonl",
        "--quiet",
    )
    assert result.exit_code == 0 and result.stderr == ""


def test_a_comparison_with_a_report_runs_in_workers_with_the_same_output(tmp_path):
    """diff --expected is a batch like -a/-b: --jobs 2 gives the bytes of --jobs 1 (sessions
    in input order, the report's unmatched ones last)."""
    report = tmp_path / "kv.txt"
    report.write_text("csg_SessionEndedBy=CLIENT\n")
    runs = [
        invoke(
            ANSWERED,
            VISITED,
            "--expected",
            str(report),
            "--only-reported",
            "--jobs",
            jobs,
            "-f",
            "json",
            "-o",
            "attach-session-statistics=all",
        )
        for jobs in ("1", "2")
    ]
    assert [r.exit_code for r in runs] == [1, 1]
    assert runs[0].stdout == runs[1].stdout
    assert "--jobs" not in runs[1].stderr


def test_jobs_with_two_saved_runs_is_noted_not_ignored_silently(tmp_path):
    old = tmp_path / "old.jsonl"
    old.write_text(CliRunner().invoke(app, ["replay", ANSWERED, "-f", "jsonl"]).stdout)
    result = invoke(str(old), str(old), "--jobs", "2", "-f", "json")
    assert result.exit_code == 0
    assert result.stderr.startswith("diff: note: --jobs applies to transcripts")


@pytest.mark.parametrize("fmt", ["json", "jsonl", "kvp", "csv", "infomart"])
def test_replay_output_piped_back_as_expected_stdin_has_no_differences(fmt):
    """`replay -f FMT a b | diff a b --expected -`: each session meets its own report."""
    files = [ANSWERED, VISITED, "samples/04-forced-close-by-agent.xml"]
    options = ["-o", "attach-session-statistics=all"]
    report = CliRunner().invoke(app, ["replay", *files, "-f", fmt, *options]).stdout
    result = CliRunner().invoke(
        app, ["diff", *files, "--expected", "-", *options, "-f", "json"], input=report
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["compared"] == 3
    assert result.stderr.endswith("diff: 0 of 3 sessions differ\n")


def test_a_report_of_several_unnamed_sessions_is_refused(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text("csg_SessionTotalTime=5\ncsg_SessionTotalTime=7\n")
    result = invoke(ANSWERED, "--expected", str(report))
    assert result.exit_code == 2
    assert "holds 2 sessions and 2 of them name no session" in result.stderr
