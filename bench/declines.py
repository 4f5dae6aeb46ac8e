"""How many sessions the native core leaves to the Python engine, by reason.

    python bench/declines.py

Over the samples, the real transcripts and tests/fixtures/revision3 (in every format), 10,000
generated JSON sessions and 2,000 generated XML transcripts (jsonl), under each of the six
option sets the differential tests use (tests/test_engines.OPTION_SETS_USED). Not a test: the
tests bound the declines; this prints them.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chatstats_core import build_options  # noqa: E402
from chatstats_core.workflows.replay import ReplayTask  # noqa: E402
from tests.helpers import REAL, SAMPLES  # noqa: E402
from tests.test_engines import (  # noqa: E402
    CORE,
    FORMATS,
    OPTION_SETS_USED,
    REVISION3,
    _generated,
    _generated_xml,
    _raw,
)


def main() -> None:
    groups = {
        "samples, real, revision 3": (_raw([str(SAMPLES), str(REAL), str(REVISION3)]), FORMATS),
        "generated JSON": (_generated(10_000), FORMATS[:1]),
        "generated XML": (_generated_xml(2_000), FORMATS[:1]),
    }
    for group, (items, formats) in groups.items():
        for name, assignments in OPTION_SETS_USED.items():
            for output in formats:
                task = ReplayTask(build_options(assignments), output)
                declined = Counter(r for r in task.natively(CORE, items) if isinstance(r, str))
                reasons = ", ".join(f"{n} {why}" for why, n in declined.most_common()) or "none"
                print(f"{group} ({len(items)}), {name}, {output.value}: {reasons}")


if __name__ == "__main__":
    main()
