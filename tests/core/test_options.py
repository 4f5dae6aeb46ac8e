"""Options (behaviour.md section 6): defaults, valid values, assignments and INI files."""

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chatstats_core import OPTION_SPECS, OptionError, Options, build_options, read_options_file
from chatstats_core.engine.options import AttachLevel, NoticeFilter, StopPolicy
from chatstats_core.transcript.model import Visibility

GENESYS_DEFAULTS = {
    "settings/attach-session-statistics": "none",
    "settings/stop-abandoned-interaction": "never",
    "settings/attach-stats-rep-events": 0,
    "settings/attach-stats-rep-place": 0,
    "settings/async-idle-alert": 86400,
    "settings/async-idle-close": 3600,
    "settings/async-idle-notices": "major",
    "inactivity-control/enabled": False,
    "inactivity-control/include-notices": "major",
    "inactivity-control/timeout-alert": 255,
    "inactivity-control/timeout-alert2": 0,
    "inactivity-control/timeout-close": 45,
    "replay/tenant-id": 1,
    "replay/bot-gateway": True,
    "replay/coach-visibility": "VIP",
}


def test_every_option_has_its_genesys_default():
    assert Options().effective() == dict(sorted(GENESYS_DEFAULTS.items()))
    assert {spec.key: spec.default for spec in OPTION_SPECS} == GENESYS_DEFAULTS


@pytest.mark.parametrize(
    ("assignment", "attr", "value"),
    [
        ("attach-session-statistics=all", "attach_session_statistics", AttachLevel.ALL),
        ("attach-session-statistics=fired", "attach_session_statistics", AttachLevel.FIRED),
        ("attach-session-statistics=None", "attach_session_statistics", AttachLevel.NONE),
        ("stop-abandoned-interaction=always", "stop_abandoned_interaction", StopPolicy.ALWAYS),
        ("stop-abandoned-interaction=never", "stop_abandoned_interaction", StopPolicy.NEVER),
        ("stop-abandoned-interaction=noagents", "stop_abandoned_interaction", StopPolicy.NOAGENTS),
        ("stop-abandoned-interaction=NOANSWER", "stop_abandoned_interaction", StopPolicy.NOANSWER),
        ("stop-abandoned-interaction=true", "stop_abandoned_interaction", StopPolicy.NOANSWER),
        ("stop-abandoned-interaction=False", "stop_abandoned_interaction", StopPolicy.NEVER),
        ("attach-stats-rep-events=7", "attach_stats_rep_events", 7),
        ("attach-stats-rep-place=1000000", "attach_stats_rep_place", 1_000_000),
        ("async-idle-alert=1", "async_idle_alert", 1),
        ("async-idle-close=1728000", "async_idle_close", 1_728_000),
        ("async-idle-notices=typing", "async_idle_notices", NoticeFilter.TYPING),
        ("inactivity-control/enabled=TRUE", "inactivity_enabled", True),
        ("include-notices=major2", "include_notices", NoticeFilter.MAJOR2),
        ("include-notices=all", "include_notices", NoticeFilter.ALL),
        ("include-notices=none", "include_notices", NoticeFilter.NONE),
        ("timeout-alert=86400", "timeout_alert", 86400),
        ("timeout-alert2=0", "timeout_alert2", 0),
        ("timeout-close= 5 ", "timeout_close", 5),
        ("replay/tenant-id=0", "tenant_id", 0),
        ("bot-gateway=false", "bot_gateway", False),
        ("coach-visibility=int", "coach_visibility", Visibility.INT),
    ],
)
def test_option_values_parse(assignment, attr, value):
    assert getattr(build_options([assignment]), attr) == value


@pytest.mark.parametrize(
    "assignment",
    [
        "attach-session-statistics=some",
        "stop-abandoned-interaction=yes",
        "attach-stats-rep-events=8",
        "attach-stats-rep-events=-1",
        "attach-stats-rep-place=1000001",
        "async-idle-alert=0",
        "async-idle-close=1728001",
        "async-idle-notices=typing2",
        "inactivity-control/enabled=yes",
        "timeout-alert=0",
        "timeout-alert=86401",
        "timeout-alert2=1.5",
        "timeout-close=abc",
        "tenant-id=-3",
        "coach-visibility=ALL",
    ],
)
def test_bad_values_name_option_value_and_valid_values(assignment):
    name, _, raw = assignment.partition("=")
    with pytest.raises(OptionError) as caught:
        build_options([assignment])
    text = caught.value.one_line()
    assert name.split("/")[-1] in text and repr(raw) in text and "expected" in text


def test_unknown_option_suggests_the_near_one():
    with pytest.raises(OptionError, match="did you mean settings/attach-session-statistics"):
        build_options(["settings/attach-session-statistic=all"])


def test_assignment_without_equals_is_an_error():
    with pytest.raises(OptionError, match="not of the form"):
        build_options(["attach-session-statistics"])


def test_later_assignment_wins():
    assert build_options(["timeout-alert=10", "timeout-alert=20"]).timeout_alert == 20


INI = """\
[settings]
attach-session-statistics = fired
stop-abandoned-interaction = true
transcript-save-on-error = close

[inactivity-control]
enabled = true
timeout-alert = 120

[log]
verbose = all
"""


def test_options_file_reads_known_options_and_notes_the_rest():
    loaded = read_options_file(INI, "cs.cfg")
    assert loaded.options.attach_session_statistics is AttachLevel.FIRED
    assert loaded.options.stop_abandoned_interaction is StopPolicy.NOANSWER
    assert (loaded.options.inactivity_enabled, loaded.options.timeout_alert) == (True, 120)
    assert loaded.notes == (
        "cs.cfg: note: option settings/transcript-save-on-error ignored (chatstats does not model it)",
        "cs.cfg: note: section [log] ignored (no option chatstats models)",
    )


def test_command_line_options_override_the_file():
    loaded = read_options_file(INI, "cs.cfg")
    assert build_options(["timeout-alert=30"], loaded.options).timeout_alert == 30
    assert build_options(["timeout-alert=30"], loaded.options).inactivity_enabled is True


def test_bad_value_in_options_file_names_the_file_and_line():
    with pytest.raises(OptionError) as caught:
        read_options_file("[settings]\nattach-session-statistics=most\n", "cs.cfg")
    assert caught.value.one_line().startswith("cs.cfg:2: error: invalid value 'most'")


def test_a_near_miss_of_a_modeled_option_in_an_options_file_is_an_error_with_a_suggestion():
    """The same typo is an error with -o; in a file it used to be a note, and the run went on
    with the default (attach nothing)."""
    text = "[settings]\n; exported 2026-11-30\nattach-session-statistic = all\n"
    with pytest.raises(OptionError) as caught:
        read_options_file(text, "cs.cfg")
    assert caught.value.one_line() == (
        "cs.cfg:3: error: unknown option 'settings/attach-session-statistic'; did you mean "
        "attach-session-statistics?"
    )


def test_options_far_from_every_modeled_one_stay_notes():
    """transcript-save-on-error, session-restoration-mode: Chat Server options chatstats does
    not model, far from any it does."""
    loaded = read_options_file(
        "[settings]\ntranscript-save-on-error = close\nsession-restoration-mode = simple\n",
        "cs.cfg",
    )
    assert len(loaded.notes) == 2 and all("ignored" in note for note in loaded.notes)


def test_quoted_values_are_read_as_configuration_manager_writes_them():
    loaded = read_options_file('[settings]\nattach-session-statistics = "fired"\n', "cs.cfg")
    assert loaded.options.attach_session_statistics is AttachLevel.FIRED


def test_options_file_that_is_not_ini():
    with pytest.raises(OptionError, match="not an INI options file"):
        read_options_file("attach-session-statistics=all\n", "cs.cfg")


def test_rep_events_without_place_warns():
    assert Options(attach_stats_rep_events=1).warnings()
    assert not Options(attach_stats_rep_events=1, attach_stats_rep_place=3).warnings()


NAMES = st.sampled_from(
    [spec.key for spec in OPTION_SPECS]
    + [spec.name for spec in OPTION_SPECS]
    + ["", "nope", "settings/", "/x"]
)
VALUES = st.one_of(
    st.text(max_size=12),
    st.integers(-(10**30), 10**30).map(str),
    st.sampled_from(["true", "false", "all", "fired", "1e9", "0x10", " 5 ", "-1"]),
)


@settings(max_examples=400 if os.environ.get("CI") else 100)
@given(st.lists(st.tuples(NAMES, VALUES), max_size=4), st.text(max_size=6))
def test_any_assignment_gives_options_or_an_option_error(pairs, junk):
    assignments = [f"{name}={value}" for name, value in pairs] + ([junk] if junk else [])
    try:
        options = build_options(assignments)
    except OptionError as exc:
        assert "\n" not in exc.one_line()
        return
    assert isinstance(options, Options)


@settings(max_examples=400 if os.environ.get("CI") else 100)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["settings", "inactivity-control", "replay", "log", ""]), NAMES, VALUES
        ),
        max_size=4,
    ),
    st.text(max_size=40),
)
def test_any_options_file_gives_options_or_an_option_error(entries, junk):
    text = (
        "".join(
            f"[{section}]\n{name.rpartition('/')[2]} = {value}\n"
            for section, name, value in entries
        )
        + junk
    )
    try:
        loaded = read_options_file(text, "cs.cfg")
    except OptionError as exc:
        assert exc.one_line().startswith("cs.cfg")
        return
    assert isinstance(loaded.options, Options)
