"""On a terminal: the progress bar goes to stderr and the data still goes to stdout."""

import os
import pty
import subprocess
import sys
import threading

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


def test_progress_bar_on_a_terminal_never_takes_stdout(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    subprocess.run([sys.executable, "-m", "chatstats_cli", "generate", "-n", "400", "--out",
                    str(corpus)], check=True, cwd=ROOT)
    controller, terminal = pty.openpty()
    shown = bytearray()
    reader = threading.Thread(target=_drain, args=(controller, shown), daemon=True)
    reader.start()
    completed = subprocess.run(
        [sys.executable, "-m", "chatstats_cli", "replay", str(corpus), "-f", "jsonl"],
        stdout=subprocess.PIPE, stderr=terminal, cwd=ROOT, check=False, timeout=120,
        env=dict(os.environ, TERM="xterm", COLUMNS="100"))
    os.close(terminal)
    reader.join(timeout=10)
    os.close(controller)
    assert completed.returncode == 0
    assert len(completed.stdout.splitlines()) == 400
    assert b'"session_id"' not in shown
    assert b"400 sessions replayed" in shown
    assert b"/400" in shown  # the JSON Lines file was counted: the bar has an end
