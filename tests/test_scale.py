"""docs/scale.md's Dask bag recipe, run on a local two-process cluster: the same results as the
CLI's JSON Lines output."""

import orjson
import pytest
from typer.testing import CliRunner

from chatstats_cli.app import app
from chatstats_core import build_options
from chatstats_core.corpus.scale import replay_line

dask_bag = pytest.importorskip("dask.bag")
distributed = pytest.importorskip("dask.distributed")

OPTIONS = ["-o", "attach-session-statistics=fired", "-o", "stop-abandoned-interaction=noanswer"]


def test_dask_bag_on_a_local_cluster_matches_the_cli(tmp_path):
    runner = CliRunner()
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        runner.invoke(
            app, ["generate", "-n", "120", "--seed", "4", "--bots", "--async-share", "0.2"]
        ).stdout
        + '{"nope": 1}\n'
    )
    expected = [
        orjson.loads(line)
        for line in runner.invoke(
            app, ["replay", str(corpus), "-f", "jsonl", "-q", "--keep-going", *OPTIONS]
        ).stdout.splitlines()
    ]
    options = build_options([OPTIONS[1], OPTIONS[3]])
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster),
    ):
        results = dask_bag.read_text(str(corpus), blocksize="16KiB").map(
            replay_line, options=options
        )
        computed = results.compute()
    good = [r for r in computed if "error" not in r]
    bad = [r for r in computed if "error" in r]
    for r in good:
        r.pop("source")
    for r in expected:
        r.pop("source")
    assert good == expected
    assert len(bad) == 1 and "unknown key 'nope'" in bad[0]["error"]


def test_replay_line_takes_str_or_bytes():
    line = CliRunner().invoke(app, ["generate", "-n", "1"]).stdout
    assert (
        replay_line(line, build_options([]))["kvps"]
        == replay_line(line.encode(), build_options([]))["kvps"]
    )


def test_the_docs_script_runs_as_a_saved_script(tmp_path):
    """docs/scale.md's example, saved to a file and run with python, as a user would."""
    import re
    import subprocess
    import sys

    from tests.helpers import ROOT

    text = (ROOT / "docs" / "scale.md").read_text()
    (script,) = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    (tmp_path / "replay_corpus.py").write_text(script)
    (tmp_path / "corpus-1.jsonl").write_text(
        CliRunner().invoke(app, ["generate", "-n", "40", "--seed", "2"]).stdout
    )
    completed = subprocess.run(
        [sys.executable, "replay_corpus.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert re.search(r"^abandoned: \d+ failed: 0$", completed.stdout, flags=re.M)
    written = sorted((tmp_path / "out").glob("part-*.jsonl"))
    assert sum(len(p.read_text().splitlines()) for p in written) == 40
