"""The native pipeline's targets (issue #21), whole processes, ratios measured in one run.

    python bench/targets.py            # 20,000 files and 100,000 lines (a few minutes)
    python bench/targets.py --quick    # small sizes, to check the script itself

Each figure is the best of three wall times of a whole process, against its floor measured in
the same run:

- ``replay DIR -f jsonl -o attach-session-statistics=all`` over one-session JSON files, against
  a process that lists, reads and parses them with orjson (target <= 1.0x);
- the same from one JSON Lines file, against a process parsing each line with orjson (<= 1.5x);
- ``replay ONE.json -f jsonl`` against a process that only imports typer (<= 1.5x);
- ``--jobs 2`` against ``--jobs 1`` on the JSON Lines file (>= 1.7x), with the peak RSS of each;
- ``replay DIR`` of XML files against a defusedxml parse of them (<= 0.5x);
- ``sweep`` over 16 option sets against one replay (<= 2.0x);
- docs/scale.md's Dask script against ``--jobs 2`` on the same lines (<= 2.0x, cluster
  start included), when dask is installed.

Not a test: timings belong here, never in the suite.
"""

from __future__ import annotations

import argparse
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "chatstats_cli"]
ALL = ["-o", "attach-session-statistics=all"]


def best(command: list[str], cwd: Path | None = None, runs: int = 3) -> tuple[float, int]:
    """The best wall time of ``runs`` runs (output to /dev/null) and the largest peak RSS (KiB)
    of the children so far."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(
            command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True
        )
        times.append(time.perf_counter() - started)
    return min(times), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


LIST_AND_PARSE = """
import os, sys, orjson
for root, _, files in os.walk(sys.argv[1]):
    for name in sorted(files):
        with open(os.path.join(root, name), 'rb') as f:
            orjson.loads(f.read())
"""
PARSE_LINES = """
import sys, orjson
with open(sys.argv[1], 'rb') as f:
    for line in f:
        if line.strip():
            orjson.loads(line)
"""


def _generate(arguments: list[str]) -> None:
    subprocess.run([*CLI, "generate", *arguments], check=True, stdout=subprocess.DEVNULL)


def _line(name: str, value: float, floor: float, target: str) -> str:
    return f"{name:<58} {value:7.2f}s / {floor:6.2f}s = {value / floor:5.2f}x  (target {target})"


def main() -> None:
    """Build the corpora in a temporary folder, measure, print one line per target."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    quick = parser.parse_args().quick
    files, lines = (500, 2000) if quick else (20_000, 100_000)
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        _generate(["--count", str(files), "--seed", "1", "--out", str(work / "json")])
        _generate(["--count", str(files), "--seed", "1", "--to", "xml", "--out", str(work / "xml")])
        _generate(["--count", str(lines), "--seed", "1", "--out", str(work / "corpus.jsonl")])
        one = next((work / "json").iterdir())
        report = [
            f"chatstats targets, {files:,} files, {lines:,} lines, python {sys.version.split()[0]}"
        ]

        replay, _ = best([*CLI, "replay", str(work / "json"), "-f", "jsonl", "-q", *ALL])
        floor, _ = best([*python(LIST_AND_PARSE), str(work / "json")])
        report.append(_line(f"replay DIR of {files:,} JSON files", replay, floor, "<= 1.0x"))

        jsonl = [*CLI, "replay", str(work / "corpus.jsonl"), "-f", "jsonl", "-q", *ALL]
        one_job, rss_one = best(jsonl)
        floor, _ = best([*python(PARSE_LINES), str(work / "corpus.jsonl")])
        report.append(_line(f"replay of {lines:,} JSON Lines", one_job, floor, "<= 1.5x"))

        single, _ = best([*CLI, "replay", str(one), "-f", "jsonl", "-q"], runs=5)
        floor, _ = best(python("import typer"), runs=5)
        report.append(_line("replay ONE.json (whole process)", single, floor, "<= 1.5x"))

        two_jobs, rss_two = best([*jsonl, "--jobs", "2"])
        report.append(
            f"{'--jobs 2 against --jobs 1, JSON Lines':<58} {one_job / two_jobs:5.2f}x faster  "
            f"(target >= 1.7x); peak RSS so far {rss_two // 1024} MiB"
        )

        xml, _ = best([*CLI, "replay", str(work / "xml"), "-f", "jsonl", "-q", *ALL])
        floor, _ = best([sys.executable, str(ROOT / "bench" / "parse_only.py"), str(work / "xml")])
        report.append(
            _line(f"replay DIR of {files:,} XML files / defusedxml", xml, floor, "<= 0.5x")
        )

        vary = ["--vary", "stop-abandoned-interaction=never,noagents,noanswer,always"]
        vary += ["--vary", "inactivity-control/timeout-alert=30,60,120,300"]
        sweep, _ = best([*CLI, "sweep", str(work / "corpus.jsonl"), *vary, "-f", "json", "-q"])
        report.append(_line("sweep of 16 option sets / one replay", sweep, one_job, "<= 2.0x"))

        report.append(_dask(work, two_jobs))
        print("\n".join(report))


def _dask(work: Path, two_jobs: float) -> str:
    """docs/scale.md's script on the JSON Lines, against --jobs 2 (measured on attach=all:
    the script's own options are fired/noanswer, of the same cost)."""
    try:
        import dask  # noqa: F401
    except ImportError:
        return "dask: not installed (pip install '.[dask]')"
    text = (ROOT / "docs" / "scale.md").read_text(encoding="utf-8")
    (script,) = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    (work / "replay_corpus.py").write_text(script, encoding="utf-8")
    seconds, _ = best([sys.executable, "replay_corpus.py"], cwd=work, runs=1)
    return _line("docs/scale.md's Dask script / replay --jobs 2", seconds, two_jobs, "<= 2.0x")


if __name__ == "__main__":
    main()
