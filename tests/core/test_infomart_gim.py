"""Info Mart as GIM holds it: integer 15-minute DATE_TIME keys, *_TS seconds, and exports read
back with their database names (issue 22's "Info Mart as it really is")."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from chatstats_cli.app import app
from chatstats_core import ChatstatsError, build_options, load_path, replay_session
from chatstats_core.engine import kvps
from chatstats_core.engine.contract import result_to_dict
from chatstats_core.render import OutputFormat
from chatstats_core.workflows.compare import KeyFilter, diff_reported_document, ignoring
from chatstats_core.workflows.reported import parse_reported
from tests.helpers import REAL, render_all

#: Starts 2022-03-05T07:09:33Z, closes 07:28:00 (a 1,107 s session).
SHORT_REAL = REAL / "01-bot-party-style-disconnect-forced-close.xml"
ALL = ("attach-session-statistics=all",)


def invoke(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def _fact_rows(*paths) -> list[dict[str, str]]:
    results = [replay_session(load_path(p), build_options(ALL)) for p in paths]
    return list(csv.DictReader(io.StringIO(render_all(OutputFormat.INFOMART, results))))


def test_date_time_keys_are_the_start_of_the_15_minute_interval_in_seconds_since_1970():
    """2022-03-05T00:00:00Z is 1,646,438,400 (1,640,995,200 for 2022-01-01 + 63 days of
    86,400 s). The start 07:09:33 is 25,773 s later, in the interval 07:00 (+25,200); the close
    07:28:00 (+1,107 s) is in the interval 07:15 (+26,100)."""
    row = _fact_rows(SHORT_REAL)[0]
    assert row["MEDIA_SERVER_IXN_GUID"] == "005PAaH11EN8Q828"
    assert row["START_TS"] == str(1_646_438_400 + 25_773)
    assert row["END_TS"] == str(1_646_438_400 + 25_773 + 1_107)
    assert row["START_DATE_TIME_KEY"] == str(1_646_438_400 + 25_200)
    assert row["END_DATE_TIME_KEY"] == str(1_646_438_400 + 26_100)
    assert row["SESSION_DURATION"] == "1107"


def test_the_row_is_the_fact_then_the_dimension_attributes_a_join_brings():
    header = next(csv.reader(io.StringIO(render_all(OutputFormat.INFOMART, []))))
    assert header[:6] == [
        "MEDIA_SERVER_IXN_GUID",
        "START_DATE_TIME_KEY",
        "END_DATE_TIME_KEY",
        "START_TS",
        "END_TS",
        "TENANT_KEY",
    ]
    assert header[-6:] == [
        "MEDIA_NAME_CODE",
        "LANGUAGE_NAME",
        "MEDIA_ORIGIN",
        "ENDED_BY",
        "ENDED_REASON",
        "ASYNC_MODE",
    ]
    assert len(header) == 40  # the id, 4 time columns, and the seed's 35 other targets


def _gim_export(tmp_path, keep=lambda name: True, edit=None):
    """The real transcripts' facts as a PostgreSQL export: lower-case headers, GIM's names."""
    rows = _fact_rows(*sorted(REAL.glob("*.xml")))
    for row in rows:
        if edit:
            edit(row)
    names = [name for name in rows[0] if keep(name)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(name.lower() for name in names)
    writer.writerows([row[name] for name in names] for row in rows)
    path = tmp_path / "chat_session_fact.csv"
    path.write_text(out.getvalue())
    return path


def _diff(export, *more):
    args = ("diff", REAL, "--expected", export, "-o", ALL[0], "-f", "json", *more)
    return invoke(*args)


@pytest.mark.parametrize("with_ts", [True, False], ids=["keys-and-ts", "keys-only"])
def test_a_gim_export_of_the_real_transcripts_diffs_clean(tmp_path, with_ts):
    """Integer keys (alone, they are compared at their 15-minute granularity),
    MEDIA_SERVER_IXN_GUID, lower-case headers."""
    export = _gim_export(tmp_path, keep=lambda name: with_ts or not name.endswith("_TS"))
    result = _diff(export)
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert (document["compared"], document["different"]) == (7, 0)


def test_a_gim_export_with_two_edited_values_finds_exactly_those_two(tmp_path):
    def edit(row: dict[str, str]) -> None:
        if row["MEDIA_SERVER_IXN_GUID"] == "005PAaH11EN8Q828":
            row["CUSTOMER_WAIT_MAX_DURATION"] = "999"
            row["ENDED_BY"] = "CLIENT"

    result = _diff(_gim_export(tmp_path, edit=edit))
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["different"] == 1
    (session,) = document["sessions"]
    found = {d["key"]: (d["left"], d["right"]) for d in session["differences"]}
    assert found == {
        kvps.cse_CustomerWaitMaxTime: (195, 999),
        kvps.csg_SessionEndedBy: ("AGENT", "CLIENT"),
    }


def _against(header: str, cells: str):
    """The short real session's computed document against a one-row export."""
    document = result_to_dict(replay_session(load_path(SHORT_REAL), build_options(ALL)))
    reported = parse_reported(f"{header}\n{cells}\n", "export.csv").sessions[0]
    return diff_reported_document(document, reported, KeyFilter()).differences


_KEYS = "MEDIA_SERVER_IXN_GUID,START_DATE_TIME_KEY,END_DATE_TIME_KEY,ENDED_BY,HANDLE_COUNT"


def test_a_key_matches_every_instant_of_its_interval():
    """07:09:33 lies in [07:00, 07:15): the key 1646463600 matches it."""
    assert _against(_KEYS, "005PAaH11EN8Q828,1646463600,1646464500,AGENT,2") == ()


def test_a_key_of_another_interval_is_a_difference_shown_as_that_interval():
    """The key of 07:15 (1646464500) for a start at 07:09:33: the report's side reads as ISO
    8601's start/duration."""
    (difference,) = _against(_KEYS, "005PAaH11EN8Q828,1646464500,1646464500,AGENT,2")
    assert difference.key == kvps.ChatServerSessionStartedAt
    assert (difference.left, difference.right) == (
        "2022-03-05T07:09:33Z",
        "2022-03-05T07:15:00Z/PT15M",
    )


def test_ts_seconds_are_compared_to_the_second():
    header = "MEDIA_SERVER_IXN_GUID,START_TS,END_TS"
    assert _against(header, "005PAaH11EN8Q828,1646464173,1646465280") == ()
    (difference,) = _against(header, "005PAaH11EN8Q828,1646464174,1646465280")
    assert (difference.left, difference.right) == ("2022-03-05T07:09:33Z", "2022-03-05T07:09:34Z")


def test_ts_wins_over_the_key_when_a_row_has_both():
    """The exact instant decides; the key adds nothing beside it."""
    header = "MEDIA_SERVER_IXN_GUID,START_DATE_TIME_KEY,START_TS"
    (difference,) = _against(header, "005PAaH11EN8Q828,1646463600,1646464180")
    assert difference.right == "2022-03-05T07:09:40Z"


def test_timestamps_in_the_key_columns_are_still_read_as_instants():
    """chatstats once wrote ISO timestamps into the key columns: still the instant."""
    header = "SESSION_ID,START_DATE_TIME_KEY,END_DATE_TIME_KEY"
    assert _against(header, "005PAaH11EN8Q828,2022-03-05T07:09:33Z,2022-03-05T07:28:00Z") == ()


@pytest.mark.parametrize("cell", ["99999999999999", "-99999999999999", "soon"])
def test_a_time_beyond_years_1_to_9999_or_not_a_time_costs_its_row(cell):
    report = parse_reported(
        f"MEDIA_SERVER_IXN_GUID,START_TS,ENDED_BY\nA,{cell},CLIENT\nB,0,AGENT\n", "export.csv"
    )
    assert [s.session_id for s in report.sessions] == ["B"]
    (problem,) = report.problems
    assert "export.csv:data row 1" in problem and "START_TS" in problem


def test_ignore_takes_the_time_columns_by_their_gim_names():
    keys, unmatched = ignoring(["start_ts", "END_DATE_TIME_KEY"])
    assert unmatched == []
    right = {kvps.ChatServerSessionStartedAt: "x", kvps.ChatServerSessionClosedAt: "y"}
    assert not keys.keeps(kvps.ChatServerSessionStartedAt, right)
    assert not keys.keeps(kvps.ChatServerSessionClosedAt, right)


def test_an_epoch_before_1970_floors_to_its_interval():
    """1969-12-31T23:59:59Z is -1 s: its interval starts at 23:45:00, -900 s (a floor, not a
    truncation towards zero)."""
    from chatstats_core.engine.rules import INFOMART_ROW
    from chatstats_core.render.infomart_format import _cell

    key, seconds = INFOMART_ROW[0], INFOMART_ROW[2]
    assert _cell(key, "1969-12-31T23:59:59Z") == -900
    assert _cell(seconds, "1969-12-31T23:59:59Z") == -1


def test_the_error_for_a_bad_export_still_names_the_file():
    with pytest.raises(ChatstatsError, match="no session id column"):
        parse_reported("START_TS,END_TS,HANDLE_COUNT,ENDED_BY\n1,2,3,AGENT\n", "export.csv")
