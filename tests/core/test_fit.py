"""fit: reports made under known options are reproduced, fast, with the smallest change."""

import pytest

from chatstats_core import build_options, load_path, replay_session
from chatstats_core.workflows.fit import fit, fit_document
from chatstats_core.workflows.reported import Reported
from tests.helpers import REAL, SAMPLES, join, leave, msg, session


def _report(path, *options, classification=False):
    result = replay_session(load_path(path), build_options(options))
    extra = {}
    if classification:
        c = result.classification
        extra["classification"] = {
            "ended_by": c.ended_by,
            "ended_reason": c.ended_reason,
            "ended_agent": c.ended_agent,
            "abandoned": c.abandoned,
            "interaction_stopped": c.interaction_stopped,
        }
    return Reported(result.session_id, result.kvps, extra)


def _fit(path, report, **kwargs):
    return fit(load_path(path), report, **kwargs)


def test_attach_level_fired_is_found_with_nothing_else_changed():
    path = SAMPLES / "01-answered-chat.json"
    result = _fit(path, _report(path, "attach-session-statistics=fired"))
    assert result.exact[0].changes == {"settings/attach-session-statistics": "fired"}


def test_defaults_reproduce_a_none_report():
    path = SAMPLES / "04-forced-close-by-agent.xml"
    result = _fit(path, _report(path))
    assert result.exact[0].changes == {}
    assert "attach-session-statistics=none" in result.hints[0]


def test_inactivity_timeouts_are_recovered_from_idle_and_closure():
    """08 under alert 120 / alert2 60 / close 60: idle 150 -> 270, closed at 270. alert2 only
    delays the closure, so the smallest fit is alert 120, close 120 (alert2 0)."""
    path = SAMPLES / "08-inactivity-closure.json"
    report = _report(
        path,
        "attach-session-statistics=all",
        "inactivity-control/enabled=true",
        "timeout-alert=120",
        "timeout-alert2=60",
        "timeout-close=60",
    )
    result = _fit(path, report)
    assert result.exact[0].changes == {
        "inactivity-control/enabled": True,
        "inactivity-control/timeout-alert": 120,
        "inactivity-control/timeout-close": 120,
        "settings/attach-session-statistics": "all",
    }
    assert any("cse_ActiveIdle*" in hint for hint in result.hints)


def test_async_idle_timeouts_are_recovered():
    path = SAMPLES / "07-async-dormant.json"
    report = _report(
        path, "attach-session-statistics=fired", "async-idle-alert=30", "async-idle-close=100"
    )
    assert _fit(path, report).exact[0].changes == {
        "settings/async-idle-alert": 30,
        "settings/async-idle-close": 100,
        "settings/attach-session-statistics": "fired",
    }


@pytest.mark.parametrize(
    "name",
    [
        "01-bot-party-style-disconnect-forced-close.xml",
        "02-bot-as-agent-transfer-close-if-no-agents.xml",
        "03-external-esp-prechat-agent-forced-close.xml",
    ],
)
def test_corpus_sessions_with_inactivity_are_fitted_exactly(name):
    path = REAL / name
    report = _report(
        path,
        "attach-session-statistics=fired",
        "inactivity-control/enabled=true",
        "timeout-alert=30",
        "timeout-close=300",
    )
    assert report.kvps["cse_ActiveIdleTotalCount"] > 0  # alerts fired: there is something to fit
    result = _fit(path, report)
    assert result.exact
    assert result.exact[0].changes["inactivity-control/enabled"] is True


def test_stop_policy_is_searched_when_the_report_has_a_classification():
    path = SAMPLES / "03-agent-left-then-customer-left.json"
    report = _report(
        path,
        "attach-session-statistics=fired",
        "stop-abandoned-interaction=noagents",
        classification=True,
    )
    fits = _fit(path, report).exact
    # VISITED: always and noagents both stop the interaction, never and noanswer do not
    assert {f.changes["settings/stop-abandoned-interaction"] for f in fits} == {
        "always",
        "noagents",
    }


def test_no_exact_fit_lists_the_closest_with_differences():
    path = SAMPLES / "01-answered-chat.json"
    report = _report(path, "attach-session-statistics=fired")
    kvps = dict(report.kvps, csg_SessionEndedBy="BOT")
    result = _fit(path, Reported(report.session_id, kvps))
    assert not result.exact
    (difference,) = result.closest[0].differences
    assert (difference.key, difference.left, difference.right) == (
        "csg_SessionEndedBy",
        "CLIENT",
        "BOT",
    )


def test_partial_report_compares_only_its_keys():
    path = SAMPLES / "01-answered-chat.json"
    result = _fit(path, Reported(None, {"cse_CustomerWaitMaxTime": 38}))
    assert result.exact
    document = fit_document(result)
    assert document["fits"][0]["changes"] == {}
    assert document["not_determined"] == ["settings/attach-session-statistics"]
    assert "taken as partial" in document["hints"][0]


def test_fixed_options_are_not_searched():
    path = SAMPLES / "01-answered-chat.json"
    report = _report(path, "attach-session-statistics=fired")
    result = _fit(
        path,
        report,
        base=build_options(["attach-session-statistics=all"]),
        fixed=frozenset({"attach_session_statistics"}),
    )
    assert not result.exact


def test_fit_finds_inactivity_options_when_the_customer_queued_longer_than_the_alert():
    """Revision 2, rule 3: the timer runs only with a visible agent. The client queues 0-400
    (longer than any alert), the agent joins at 400 and writes at 410, the client at 420; under
    alert 120 / close 60 the alert fires at 540 and the session closes at 600 (idle 60 s; the
    recorded leave at 900 is dropped). fit reads the quiet stretches from the agent's join on,
    and recovers exactly alert 120, close 60."""
    transcript = session(
        join(0, "c1", "client"),
        msg(5, "c1"),
        join(400, "a1", "agent"),
        msg(410, "a1"),
        msg(420, "c1"),
        leave(900, "c1"),
        leave(901, "a1"),
    )
    result = replay_session(
        transcript,
        build_options(
            [
                "attach-session-statistics=all",
                "inactivity-control/enabled=true",
                "timeout-alert=120",
                "timeout-close=60",
            ]
        ),
    )
    assert (result.kvps["csg_SessionTotalTime"], result.kvps["cse_ActiveIdleTotalTime"]) == (
        600,
        60,
    )
    found = fit(transcript, Reported(result.session_id, result.kvps, {}))
    assert found.exact[0].changes == {
        "inactivity-control/enabled": True,
        "inactivity-control/timeout-alert": 120,
        "inactivity-control/timeout-close": 60,
        "settings/attach-session-statistics": "all",
    }
