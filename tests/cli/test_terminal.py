"""On a terminal: the progress bar goes to stderr, never tears the data, and leaves nothing
behind (tested on pseudo-terminals)."""

import os
import pty
import subprocess
import sys
import threading

import pytest

from tests.helpers import ROOT


def _drain(descriptor: int, into: bytearray) -> None:
    """Read a pseudo-terminal until it closes (so a chatty child never blocks on it)."""
    while True:
        try:
            chunk = os.read(descriptor, 65536)
        except OSError:
            return
        if not chunk:
            return
        into.extend(chunk)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    path = tmp_path_factory.mktemp("terminal") / "corpus.jsonl"
    subprocess.run(
        [sys.executable, "-m", "chatstats_cli", "generate", "-n", "400", "--out", str(path)],
        check=True,
        cwd=ROOT,
    )
    return path


def _run(corpus, *, stdout_on_terminal: bool, delay: str, extra=(), stdout=None):
    """Replay the corpus with stderr (and maybe stdout) on a pseudo-terminal; return the
    process and everything the terminal showed."""
    controller, terminal = pty.openpty()
    shown = bytearray()
    reader = threading.Thread(target=_drain, args=(controller, shown), daemon=True)
    reader.start()
    target = terminal if stdout_on_terminal else (stdout or subprocess.PIPE)
    completed = subprocess.run(
        [sys.executable, "-m", "chatstats_cli", "replay", str(corpus), "-f", "jsonl", *extra],
        stdout=target,
        stderr=terminal,
        cwd=ROOT,
        check=False,
        timeout=120,
        env=dict(os.environ, TERM="xterm", COLUMNS="100", CHATSTATS_PROGRESS_DELAY=delay),
    )
    os.close(terminal)
    reader.join(timeout=10)
    os.close(controller)
    return completed, bytes(shown)


def test_progress_bar_on_a_terminal_never_takes_stdout(corpus):
    completed, shown = _run(corpus, stdout_on_terminal=False, delay="0")
    assert completed.returncode == 0
    assert len(completed.stdout.splitlines()) == 400
    assert b'"session_id"' not in shown
    assert b"400 sessions replayed" in shown
    assert b"/400" in shown  # the JSON Lines file was counted: the bar has an end


def test_no_bar_when_the_data_goes_to_the_same_terminal(corpus):
    """stdout and stderr on one screen: the bar would tear the data, so none is drawn."""
    completed, shown = _run(corpus, stdout_on_terminal=True, delay="0")
    assert completed.returncode == 0
    assert b"replaying" not in shown
    lines = [line for line in shown.splitlines() if line.startswith(b"{")]
    assert len(lines) == 400 and all(line.endswith(b"}") for line in lines)


def test_a_short_run_draws_no_bar_at_all(corpus):
    """The bar waits a second: a quick run (or a pipe closed by head) leaves no 0/N behind."""
    completed, shown = _run(corpus, stdout_on_terminal=False, delay="60")
    assert completed.returncode == 0
    assert b"replaying" not in shown and b"/400" not in shown
    assert b"400 sessions replayed" in shown


def test_a_pipe_closed_early_leaves_no_stale_bar(corpus):
    """Like `chatstats replay big.jsonl | head -1`: the reader goes away after one line."""
    controller, terminal = pty.openpty()
    shown = bytearray()
    drainer = threading.Thread(target=_drain, args=(controller, shown), daemon=True)
    drainer.start()
    reader, writer = os.pipe()
    process = subprocess.Popen(
        [sys.executable, "-m", "chatstats_cli", "replay", str(corpus), "-f", "jsonl"],
        stdout=writer,
        stderr=terminal,
        cwd=ROOT,
        env=dict(os.environ, TERM="xterm", COLUMNS="100", CHATSTATS_PROGRESS_DELAY="1"),
    )
    os.close(writer)
    with os.fdopen(reader, "rb") as incoming:
        first = incoming.readline()
    process.wait(timeout=60)
    os.close(terminal)
    drainer.join(timeout=10)
    os.close(controller)
    assert first.startswith(b"{")
    assert b"0/400" not in shown and b"Traceback" not in shown


def test_the_bar_labels_its_times(corpus):
    """The two times were unlabelled ("0:00:00 0:00:02")."""
    completed, shown = _run(corpus, stdout_on_terminal=False, delay="0")
    assert completed.returncode == 0
    assert b"elapsed" in shown and b"left" in shown


def test_the_bar_counts_elapsed_time_from_the_start_of_the_run():
    """The bar appears after a delay; its elapsed time started with it (0:00:00 at 23,610 of
    40,000 sessions in a 3.3 s run). Now it counts from the run's start."""
    from chatstats_cli.common import _LazyBar

    bar = _LazyBar(lambda: 10)
    bar.started_at -= 5.0  # the run began five seconds ago
    bar.delay = 0
    bar.advance(0)
    try:
        assert bar.shown is not None
        assert bar.shown[0].tasks[0].start_time == bar.started_at
        assert bar.shown[0].tasks[0].elapsed >= 5.0
    finally:
        bar.stop()
